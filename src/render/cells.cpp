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
    std::string out;
    append_exact_value(out, value);
    return out;
}

void append_exact_value(std::string& out, double value) {
    if (!std::isfinite(value)) {
        return;
    }
    if (value == std::floor(value) && std::fabs(value) < 9.0e15) {
        fmt::format_to(std::back_inserter(out), "{}", static_cast<long long>(value));
        return;
    }
    fmt::format_to(std::back_inserter(out), "{}", value);
}

std::string csv_cell(std::string_view text, char delimiter, bool sanitize) {
    std::string out;
    append_csv_cell(out, text, delimiter, sanitize);
    return out;
}

void append_csv_cell(std::string& out, std::string_view text, char delimiter, bool sanitize) {
    // Spreadsheets run a cell that starts with these as a formula (CSV injection); a leading quote makes it
    // text.
    const bool formula = sanitize && !text.empty() &&
                         (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@' ||
                          text[0] == '\t' || text[0] == '\r');
    bool quote = !text.empty() && ((!formula && text.front() == ' ') || text.back() == ' ');
    for (char c : text) {
        quote = quote || c == delimiter || c == '"' || c == '\n' || c == '\r';
    }
    if (!quote) {
        if (formula) {
            out += '\'';
        }
        out += text;
        return;
    }
    out += '"';
    if (formula) {
        out += '\'';
    }
    for (char c : text) {
        if (c == '"') {
            out += '"';
        }
        out += c;
    }
    out += '"';
}

std::string json_string(std::string_view text) {
    std::string out;
    append_json_string(out, text);
    return out;
}

void append_json_string(std::string& out, std::string_view text) {
    out += '"';
    std::size_t i = 0;
    while (i < text.size()) {
        // A run that needs no escape as it is: most of every string.
        std::size_t plain = i;
        while (plain < text.size()) {
            const auto u = static_cast<unsigned char>(text[plain]);
            if (u < 0x20 || u == 0x7F || u == '"' || u == '\\' || u == '<') {
                break;
            }
            ++plain;
        }
        out.append(text.substr(i, plain - i));
        if (plain == text.size()) {
            break;
        }
        const char c = text[plain];
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
            case '<':
                out += "\\u003c";  // safe to embed in HTML <script>
                break;
            default:
                fmt::format_to(std::back_inserter(out), "\\u{:04x}",
                               static_cast<unsigned>(static_cast<unsigned char>(c)));
        }
        i = plain + 1;
    }
    out += '"';
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
