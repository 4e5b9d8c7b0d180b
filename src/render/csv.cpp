// CSV: plain numbers for machines (shortest round-trip text, empty for n/a), percentages 0-100 in *_pct
// columns, the total as a last row, and text cells protected against formula injection.
#include "csat/render.hpp"
#include "render/cells.hpp"

namespace csat {

std::string render_csv(const ReportView& view, const RenderOptions& options) {
    // Cells go straight onto the output: a string per cell and two per line were most of the time of a
    // report of many groups (the 100k job per agent and queue by month, 24k rows: see bench/RESULTS.md).
    std::string out;
    auto separate = [&](bool first) {
        if (!first) {
            out += ',';
        }
    };
    bool first = true;
    if (view.grouped) {
        for (const std::string& k : view.key_names) {
            separate(first);
            first = false;
            render::append_csv_cell(out, k, ',', options.sanitize);
        }
    } else {
        out += "group";
        first = false;
    }
    for (const MetricDef* m : view.columns) {
        separate(first);
        first = false;
        out += m->name;
    }
    out += ",n,low_n,low_rate\n";
    std::size_t keys = view.grouped ? view.key_names.size() : 1;
    auto body = [&](const ViewRow& r) {
        if (r.is_total) {
            out += "(total)";
            out.append(keys - 1, ',');
        } else {
            for (std::size_t k = 0; k < r.key.size(); ++k) {
                separate(k == 0);
                render::append_csv_cell(out, r.key[k], ',', options.sanitize);
            }
        }
        for (const auto& v : r.values) {
            out += ',';
            if (v) {
                render::append_exact_value(out, *v);
            }
        }
        out += ',';
        out += std::to_string(r.n);
        out += r.low_n ? ",true" : ",false";
        out += r.low_rate ? ",true\n" : ",false\n";
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
