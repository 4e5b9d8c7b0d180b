// The terminal table: aligned by display width, numbers right-aligned, data escaped so that control, escape
// and bidi sequences from an export cannot reach the terminal raw.
#include <algorithm>

#include "csat/render.hpp"
#include "csat/text.hpp"
#include "render/display_columns.hpp"

namespace csat {

namespace {

constexpr std::string_view k_bold = "\x1b[1m";
constexpr std::string_view k_yellow = "\x1b[33m";
constexpr std::string_view k_reset = "\x1b[0m";

std::string pad(const std::string& text, std::size_t width, bool right) {
    std::size_t w = display_width(text);
    std::string fill(width > w ? width - w : 0, ' ');
    return right ? fill + text : text + fill;
}

}  // namespace

std::string render_table(const ReportView& view, const RenderOptions& options) {
    render::DisplayTable t = render::display_table(view);
    std::vector<std::size_t> widths(t.headers.size(), 0);
    auto escaped = [](std::vector<std::string> row) {
        for (std::string& cell : row) {
            cell = escape_control(cell);
        }
        return row;
    };
    std::vector<std::string> headers = escaped(t.headers);
    std::vector<std::vector<std::string>> rows;
    for (const auto& r : t.rows) {
        rows.push_back(escaped(r));
    }
    for (std::size_t c = 0; c < headers.size(); ++c) {
        widths[c] = display_width(headers[c]);
        for (const auto& r : rows) {
            widths[c] = std::max(widths[c], display_width(r[c]));
        }
    }
    // An empty flags column is dropped rather than shown blank.
    bool show_flags = t.any_low_n || t.any_low_rate;
    std::size_t shown = show_flags ? headers.size() : headers.size() - 1;

    auto line = [&](const std::vector<std::string>& cells, bool header, bool total) {
        std::string out;
        for (std::size_t c = 0; c < shown; ++c) {
            std::string cell = pad(cells[c], widths[c], t.numeric[c]);
            if (c > 0) {
                out += "  ";
            }
            bool highlight = options.color && c == shown - 1 && show_flags && !cells[c].empty() && !header;
            if (highlight) {
                out += k_yellow;
            }
            out += cell;
            if (highlight) {
                out += k_reset;
            }
        }
        while (!out.empty() && out.back() == ' ') {
            out.pop_back();
        }
        if (options.color && (header || total)) {
            out.insert(0, k_bold);
            out += k_reset;
        }
        return out + "\n";
    };
    std::string out;
    if (!view.caption.empty()) {
        out += escape_control(view.caption) + "\n\n";
    }
    out += line(headers, true, false);
    std::size_t rule = 0;
    for (std::size_t c = 0; c < shown; ++c) {
        rule += widths[c] + (c == 0 ? 0 : 2);
    }
    for (std::size_t r = 0; r < rows.size(); ++r) {
        bool total = r + 1 == rows.size();
        if (total && view.grouped) {
            out += std::string(rule, '-') + "\n";
        }
        out += line(rows[r], false, total);
    }
    std::vector<std::string> notes = render::footnotes(view, t);
    if (!notes.empty()) {
        out += "\n";
        for (const std::string& n : notes) {
            out += escape_control(n) + "\n";
        }
    }
    return out;
}

}  // namespace csat
