// Grids for list-shaped outputs: the same escaping as the report renderers (control bytes escaped in tables,
// formula cells neutralised in CSV, Markdown and HTML escaped in Markdown).
#include <algorithm>

#include "csat/error.hpp"
#include "csat/render.hpp"
#include "csat/text.hpp"
#include "render/cells.hpp"

namespace csat {

namespace {

std::string grid_table(const Grid& g) {
    std::vector<std::size_t> widths(g.headers.size(), 0);
    auto esc = [](const std::vector<std::string>& row) {
        std::vector<std::string> out;
        out.reserve(row.size());
        for (const std::string& c : row) {
            out.push_back(escape_control(c));
        }
        return out;
    };
    std::vector<std::vector<std::string>> rows{esc(g.headers)};
    for (const auto& r : g.rows) {
        rows.push_back(esc(r));
    }
    for (const auto& r : rows) {
        for (std::size_t c = 0; c < r.size() && c < widths.size(); ++c) {
            widths[c] = std::max(widths[c], display_width(r[c]));
        }
    }
    std::string out;
    if (!g.caption.empty()) {
        out += escape_control(g.caption) + "\n\n";
    }
    for (const auto& r : rows) {
        std::string line;
        for (std::size_t c = 0; c < r.size(); ++c) {
            std::size_t w = display_width(r[c]);
            std::string fill(widths[c] > w ? widths[c] - w : 0, ' ');
            bool right = c < g.numeric.size() && g.numeric[c];
            line += (c == 0 ? "" : "  ") + (right ? fill + r[c] : r[c] + fill);
        }
        while (!line.empty() && line.back() == ' ') {
            line.pop_back();
        }
        out += line + "\n";
    }
    if (!g.notes.empty()) {
        out += "\n";
        for (const std::string& n : g.notes) {
            out += escape_control(n) + "\n";
        }
    }
    return out;
}

std::string grid_csv(const Grid& g, const RenderOptions& options) {
    std::string out;
    auto line = [&](const std::vector<std::string>& r, bool header) {
        for (std::size_t c = 0; c < r.size(); ++c) {
            bool numeric = !header && c < g.numeric.size() && g.numeric[c];
            // Numeric cells are numbers (a negative delta must stay a number); text cells are sanitised.
            if (c > 0) {
                out += ',';
            }
            if (numeric) {
                out += r[c];
            } else {
                render::append_csv_cell(out, r[c], ',', options.sanitize);
            }
        }
        out += '\n';
    };
    line(g.headers, true);
    for (const auto& r : g.rows) {
        line(r, false);
    }
    return out;
}

std::string grid_markdown(const Grid& g) {
    std::string out;
    if (!g.caption.empty()) {
        out += render::markdown_cell(g.caption) + "\n\n";
    }
    auto line = [&](const std::vector<std::string>& r) {
        std::string l = "|";
        for (const std::string& c : r) {
            l += " " + render::markdown_cell(c) + " |";
        }
        out += l + "\n";
    };
    line(g.headers);
    std::string rule = "|";
    for (std::size_t c = 0; c < g.headers.size(); ++c) {
        rule += c < g.numeric.size() && g.numeric[c] ? " ---: |" : " --- |";
    }
    out += rule + "\n";
    for (const auto& r : g.rows) {
        line(r);
    }
    if (!g.notes.empty()) {
        out += "\n";
        for (const std::string& n : g.notes) {
            out += "_" + render::markdown_cell(n) + "_  \n";
        }
    }
    return out;
}

}  // namespace

std::string render_grid(Format format, const Grid& grid, const RenderOptions& options) {
    switch (format) {
        case Format::table:
            return grid_table(grid);
        case Format::csv:
            return grid_csv(grid, options);
        case Format::markdown:
            return grid_markdown(grid);
        case Format::json:
            break;
    }
    throw Error(ErrorKind::internal, "render_grid: JSON is rendered by each command");
}

}  // namespace csat
