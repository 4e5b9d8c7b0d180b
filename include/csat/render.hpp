// Renderers: one per output format, each a pure function from a ReportView to text. Each escapes user text
// for its target: the table strips control and bidi characters, CSV neutralises formula injection, JSON and
// Markdown escape their own syntax. Only the caller writes the text out.
#pragma once

#include <string>
#include <string_view>

#include "csat/accounting.hpp"
#include "csat/report_view.hpp"

namespace csat {

enum class Format { table, csv, json, markdown };
Format parse_format(std::string_view name);  // throws Error(usage)
std::string_view format_name(Format format);

struct RenderOptions {
    bool color = false;    // ANSI colour (table only)
    bool sanitize = true;  // CSV: neutralise cells that a spreadsheet would run as formulas
    std::string version = CSAT_VERSION;
};

std::string render_table(const ReportView& view, const RenderOptions& options);
std::string render_csv(const ReportView& view, const RenderOptions& options);
std::string render_json(const ReportView& view, const RenderOptions& options);
std::string render_markdown(const ReportView& view, const RenderOptions& options);
std::string render_report(Format format, const ReportView& view, const RenderOptions& options);

// The one-paragraph accounting summary for stderr.
std::string accounting_summary(const JobResult& job);
// --rejects: every rejected row as CSV (file, line, reason, detail).
std::string render_rejects(const Accounting& accounting, const RenderOptions& options);

}  // namespace csat

namespace csat {

// A plain grid of text cells for the commands whose output is a list (check, trend, alerts, validate):
// rendered as an aligned table, CSV or Markdown with the same escaping rules as the report.
struct Grid {
    std::vector<std::string> headers;
    std::vector<bool> numeric;  // right-aligned in tables
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> notes;  // lines under the table (not in CSV)
    std::string caption;             // line above the table (not in CSV)
};

std::string render_grid(Format format, const Grid& grid, const RenderOptions& options);

}  // namespace csat
