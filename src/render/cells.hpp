// Private to the renderers: cell-level formatting and escaping shared by every format. Numbers are formatted
// without locale (fmt), so output is byte-identical under any LC_ALL.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "csat/metrics.hpp"

namespace csat::render {

// Human display: counts with thousands separators, percentages 1 decimal, means 2, NPS signed 1; "n/a".
std::string display_value(const std::optional<double>& value, MetricUnit unit);
// Machine display: the shortest text that reads back as the same double; integers without a decimal point.
std::string exact_value(double value);
void append_exact_value(std::string& out, double value);  // the same, onto out (no string per cell)

// "59.6-98.2", or "-34.0 to 74.0" when the interval reaches below zero (NPS), so a minus is never a dash.
std::string format_interval(double low, double high);

std::string csv_cell(std::string_view text, char delimiter, bool sanitize);
void append_csv_cell(std::string& out, std::string_view text, char delimiter, bool sanitize);
std::string json_string(std::string_view text);
void append_json_string(std::string& out, std::string_view text);
std::string markdown_cell(std::string_view text);
std::string html_escape(std::string_view text);

}  // namespace csat::render
