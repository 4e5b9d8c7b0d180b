// CSV: plain numbers for machines (shortest round-trip text, empty for n/a), percentages 0-100 in *_pct
// columns, the total as a last row, and text cells protected against formula injection.
#include "csat/render.hpp"
#include "render/cells.hpp"

namespace csat {

std::string render_csv(const ReportView& view, const RenderOptions& options) {
    std::string out;
    auto row = [&](const std::vector<std::string>& cells) {
        std::string line;
        for (std::size_t i = 0; i < cells.size(); ++i) {
            line += (i == 0 ? "" : ",") + cells[i];
        }
        out += line + "\n";
    };
    std::vector<std::string> header;
    if (view.grouped) {
        for (const std::string& k : view.key_names) {
            header.push_back(render::csv_cell(k, ',', options.sanitize));
        }
    } else {
        header.emplace_back("group");
    }
    for (const MetricDef* m : view.columns) {
        header.emplace_back(m->name);
    }
    for (const char* extra : {"n", "low_n", "low_rate"}) {
        header.emplace_back(extra);
    }
    row(header);
    std::size_t keys = view.grouped ? view.key_names.size() : 1;
    auto body = [&](const ViewRow& r) {
        std::vector<std::string> cells;
        if (r.is_total) {
            cells.emplace_back("(total)");
            for (std::size_t k = 1; k < keys; ++k) {
                cells.emplace_back("");
            }
        } else {
            for (const std::string& k : r.key) {
                cells.push_back(render::csv_cell(k, ',', options.sanitize));
            }
        }
        for (const auto& v : r.values) {
            cells.push_back(v ? render::exact_value(*v) : "");
        }
        cells.push_back(std::to_string(r.n));
        cells.emplace_back(r.low_n ? "true" : "false");
        cells.emplace_back(r.low_rate ? "true" : "false");
        row(cells);
    };
    for (const ViewRow& r : view.rows) {
        body(r);
    }
    body(view.total);
    return out;
}

std::string render_rejects(const Accounting& accounting, const RenderOptions& options) {
    std::string out = "file,line,reason,detail\n";
    for (const Reject& r : accounting.rejects) {
        out += render::csv_cell(r.file, ',', options.sanitize) + "," + std::to_string(r.line) + "," +
               render::csv_cell(r.reason, ',', options.sanitize) + "," +
               render::csv_cell(r.detail, ',', options.sanitize) + "\n";
    }
    return out;
}

}  // namespace csat
