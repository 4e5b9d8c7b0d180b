#include "render/display_columns.hpp"

#include <cmath>

#include <fmt/format.h>

#include "render/cells.hpp"

namespace csat::render {

std::string flags_text(const ViewRow& row) {
    std::string out;
    if (row.low_n) {
        out += "low n";
    }
    if (row.low_rate) {
        out += out.empty() ? "low rate" : ", low rate";
    }
    return out;
}

DisplayTable display_table(const ReportView& view) {
    DisplayTable t;
    const auto& cols = view.columns;
    int confidence_pct = static_cast<int>(std::lround(view.confidence * 100.0));
    // Column plan: index into view.columns, or a merged interval (low index, high index).
    struct Plan {
        std::size_t first;
        std::optional<std::size_t> second;
    };
    std::vector<Plan> plan;
    std::optional<std::size_t> low;
    std::optional<std::size_t> high;
    for (std::size_t i = 0; i < cols.size(); ++i) {
        if (cols[i]->name == "csat_pct_low") {
            low = i;
        } else if (cols[i]->name == "csat_pct_high") {
            high = i;
        }
    }
    for (std::size_t i = 0; i < cols.size(); ++i) {
        if (low && high && i == *low) {
            plan.push_back({*low, *high});
            continue;
        }
        if (low && high && i == *high) {
            continue;
        }
        plan.push_back({i, std::nullopt});
    }
    if (view.grouped) {
        for (const std::string& k : view.key_names) {
            t.headers.push_back(k);
            t.numeric.push_back(false);
        }
    } else {
        t.headers.emplace_back("");
        t.numeric.push_back(false);
    }
    t.key_columns = t.headers.size();
    for (const Plan& p : plan) {
        if (p.second) {
            t.headers.push_back(fmt::format("{}% CI", confidence_pct));
        } else {
            t.headers.emplace_back(cols[p.first]->header);
        }
        t.numeric.push_back(true);
    }
    t.headers.emplace_back("flags");
    t.numeric.push_back(false);

    auto cells = [&](const ViewRow& row) {
        std::vector<std::string> out;
        if (row.is_total) {
            out.emplace_back("Total");
            for (std::size_t k = 1; k < t.key_columns; ++k) {
                out.emplace_back("");
            }
        } else {
            out = row.key;
        }
        for (const Plan& p : plan) {
            if (p.second) {
                const auto& lo = row.values[p.first];
                const auto& hi = row.values[*p.second];
                out.push_back(lo && hi ? format_interval(*lo, *hi) : "n/a");
            } else {
                out.push_back(display_value(row.values[p.first], cols[p.first]->unit));
            }
        }
        out.push_back(flags_text(row));
        t.any_low_n = t.any_low_n || row.low_n;
        t.any_low_rate = t.any_low_rate || row.low_rate;
        return out;
    };
    for (const ViewRow& row : view.rows) {
        t.rows.push_back(cells(row));
    }
    t.rows.push_back(cells(view.total));
    return t;
}

std::vector<std::string> footnotes(const ReportView& view, const DisplayTable& table) {
    std::vector<std::string> out;
    if (table.any_low_n) {
        out.push_back(fmt::format("low n: fewer than {} {} answers; read the interval, not the score",
                                  view.min_n,
                                  view.headline_metric == "csat"  ? "CSAT"
                                  : view.headline_metric == "nps" ? "NPS"
                                                                  : "CES"));
    }
    if (table.any_low_rate) {
        out.push_back(
            fmt::format("low rate: response rate under {}%; respondents may not represent the cases",
                        fmt::format("{}", view.min_rate_pct)));
    }
    if (view.hidden_low_n > 0) {
        out.push_back(fmt::format("{} low-n group{} hidden by --hide-low-n", view.hidden_low_n,
                                  view.hidden_low_n == 1 ? "" : "s"));
    }
    if (view.job) {
        for (const std::string& note : view.job->notes) {
            out.push_back("note: " + note);
        }
    }
    return out;
}

}  // namespace csat::render
