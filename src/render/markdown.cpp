// Markdown: a pipe table ready for a wiki or chat post. Cells escape Markdown and HTML.
#include "csat/render.hpp"
#include "render/cells.hpp"
#include "render/display_columns.hpp"

namespace csat {

std::string render_markdown(const ReportView& view, const RenderOptions&) {
    render::DisplayTable t = render::display_table(view);
    std::string out;
    if (!view.caption.empty()) {
        out += render::markdown_cell(view.caption) + "\n\n";
    }
    auto row_text = [&](const std::vector<std::string>& cells, bool bold_first) {
        std::string line = "|";
        for (std::size_t c = 0; c < cells.size(); ++c) {
            std::string cell = render::markdown_cell(cells[c]);
            if (bold_first && c == 0 && !cell.empty()) {
                cell.insert(0, "**");
                cell += "**";
            }
            line.append(" ").append(cell).append(" |");
        }
        return line + "\n";
    };
    out += row_text(t.headers, false);
    std::string rule = "|";
    for (std::size_t c = 0; c < t.headers.size(); ++c) {
        rule += t.numeric[c] ? " ---: |" : " --- |";
    }
    out += rule + "\n";
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        out += row_text(t.rows[r], r + 1 == t.rows.size());
    }
    std::vector<std::string> notes = render::footnotes(view, t);
    if (!notes.empty()) {
        out += "\n";
        for (const std::string& n : notes) {
            out += "_" + render::markdown_cell(n) + "_  \n";
        }
    }
    return out;
}

}  // namespace csat
