#include "render/cells.hpp"

#include <cmath>

#include <fmt/format.h>

#include "csat/text.hpp"

namespace csat::render {

std::string display_value(const std::optional<double>& value, MetricUnit unit) {
    if (!value || !std::isfinite(*value)) {
        return "n/a";
    }
    switch (unit) {
        case MetricUnit::count:
            return group_thousands(std::llround(*value));
        case MetricUnit::percent:
            return fmt::format("{:.1f}", *value);
        case MetricUnit::mean:
            return fmt::format("{:.2f}", *value);
        case MetricUnit::nps:
            return fmt::format("{:+.1f}", *value);
        case MetricUnit::margin:
            return fmt::format("\u00b1{:.1f}", *value);
    }
    return "n/a";
}

std::string format_interval(double low, double high) {
    return low < 0 ? fmt::format("{:.1f} to {:.1f}", low, high) : fmt::format("{:.1f}-{:.1f}", low, high);
}

std::string exact_value(double value) {
    if (!std::isfinite(value)) {
        return "";
    }
    if (value == std::floor(value) && std::fabs(value) < 9.0e15) {
        return fmt::format("{}", static_cast<long long>(value));
    }
    return fmt::format("{}", value);
}

std::string csv_cell(std::string_view text, char delimiter, bool sanitize) {
    std::string value(text);
    if (sanitize && !value.empty()) {
        char c = value[0];
        // Spreadsheets run a cell that starts with these as a formula (CSV injection); a leading quote makes
        // it text.
        if (c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r') {
            value.insert(value.begin(), '\'');
        }
    }
    bool quote = value.find_first_of(std::string{delimiter, '"', '\n', '\r'}) != std::string::npos ||
                 (!value.empty() && (value.front() == ' ' || value.back() == ' '));
    if (!quote) {
        return value;
    }
    std::string out = "\"";
    for (char c : value) {
        if (c == '"') {
            out += '"';
        }
        out += c;
    }
    out += '"';
    return out;
}

std::string json_string(std::string_view text) {
    std::string out = "\"";
    for (char c : text) {
        auto u = static_cast<unsigned char>(c);
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                if (u < 0x20 || u == 0x7F) {
                    out += fmt::format("\\u{:04x}", static_cast<unsigned>(u));
                } else if (c == '<') {
                    out += "\\u003c";  // safe to embed in HTML <script>
                } else {
                    out += c;
                }
        }
    }
    out += '"';
    return out;
}

std::string html_escape(std::string_view text) {
    std::string out;
    for (char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string markdown_cell(std::string_view text) {
    // Markdown passes HTML through, so & < > become entities; its own syntax characters get a backslash.
    std::string out;
    for (char c : escape_control(text)) {
        switch (c) {
            case '&':
                out += "&amp;";
                continue;
            case '<':
                out += "&lt;";
                continue;
            case '>':
                out += "&gt;";
                continue;
            case '|':
            case '\\':
            case '*':
            case '_':
            case '`':
            case '[':
            case ']':
                out += '\\';
                break;
            default:
                break;
        }
        out += c;
    }
    return out;
}

}  // namespace csat::render
