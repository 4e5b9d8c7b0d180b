// Private to the human renderers (table, markdown): the view's columns as display text, with the Wilson
// bounds merged into one "95% CI" column and the flags last. Both formats lay out the same cells.
#pragma once

#include <string>
#include <vector>

#include "csat/report_view.hpp"

namespace csat::render {

struct DisplayTable {
    std::vector<std::string> headers;
    std::vector<bool> numeric;                   // right-aligned
    std::vector<std::vector<std::string>> rows;  // groups, then the total last
    std::size_t key_columns = 0;
    bool any_low_n = false;
    bool any_low_rate = false;
};

DisplayTable display_table(const ReportView& view);
// The legend and notes under a table, one line each.
std::vector<std::string> footnotes(const ReportView& view, const DisplayTable& table);
std::string flags_text(const ViewRow& row);

}  // namespace csat::render
