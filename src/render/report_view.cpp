#include "csat/report_view.hpp"

#include <algorithm>

#include "csat/error.hpp"
#include "csat/stats.hpp"

namespace csat {

namespace {

ViewRow make_row(const GroupStats& s, const std::vector<const MetricDef*>& columns, const MetricContext& ctx,
                 const ReportView& view) {
    ViewRow row;
    for (const MetricDef* m : columns) {
        row.values.push_back(m->value(s, ctx));
    }
    row.n = view.headline_metric == "csat" ? s.csat_n : view.headline_metric == "nps" ? s.nps_n : s.ces_n;
    row.low_n = row.n < view.min_n;
    if (ctx.case_metrics && s.cases > 0) {
        double rate = 100.0 * static_cast<double>(s.responded) / static_cast<double>(s.cases);
        row.low_rate = rate < view.min_rate_pct;
    }
    return row;
}

}  // namespace

ReportView build_view(const JobResult& job, const ViewOptions& options,
                      std::vector<std::pair<std::string, std::string>> settings) {
    ReportView view;
    view.job = &job;
    view.key_names = job.key_names;
    view.grouped = !job.key_names.empty();
    view.confidence = options.confidence;
    view.min_n = options.min_n;
    view.min_rate_pct = options.min_rate_pct;
    view.settings = std::move(settings);
    view.headline_metric = job.has_csat ? "csat" : job.has_nps ? "nps" : job.has_ces ? "ces" : "csat";
    view.columns = options.metrics.empty()
                       ? default_metrics(job.has_cases, job.has_csat || (!job.has_nps && !job.has_ces),
                                         job.has_nps, job.has_ces)
                       : options.metrics;

    MetricContext ctx;
    ctx.z = z_for_confidence(options.confidence);
    ctx.case_metrics = job.group_case_metrics;
    for (const GroupResult& g : job.groups) {
        ViewRow row = make_row(g.stats, view.columns, ctx, view);
        row.key = g.key;
        if (options.hide_low_n && row.low_n) {
            ++view.hidden_low_n;
            continue;
        }
        view.rows.push_back(std::move(row));
    }
    MetricContext total_ctx = ctx;
    total_ctx.case_metrics = job.total_case_metrics;
    view.total = make_row(job.total, view.columns, total_ctx, view);
    view.total.is_total = true;

    if (options.sort_metric) {
        const MetricDef* metric = find_metric(*options.sort_metric);
        if (!metric) {
            throw Error(ErrorKind::usage, fmt::format("--sort: unknown metric '{}'", *options.sort_metric),
                        "sort by a metric name such as csat_pct, csat_n, nps or response_rate_pct");
        }
        // Sort on the metric even if it is not a shown column.
        std::vector<std::size_t> order(view.rows.size());
        for (std::size_t i = 0; i < order.size(); ++i) {
            order[i] = i;
        }
        std::vector<std::optional<double>> values(view.rows.size());
        std::size_t gi = 0;
        for (const GroupResult& g : job.groups) {
            ViewRow probe = make_row(g.stats, {metric}, ctx, view);
            bool hidden = options.hide_low_n && probe.low_n;
            if (!hidden) {
                values[gi++] = probe.values[0];
            }
        }
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
            const auto& va = values[a];
            const auto& vb = values[b];
            if (va.has_value() != vb.has_value()) {
                return va.has_value();  // n/a last either way
            }
            if (!va) {
                return false;
            }
            return options.sort_ascending ? *va < *vb : *va > *vb;
        });
        std::vector<ViewRow> sorted;
        sorted.reserve(order.size());
        for (std::size_t i : order) {
            sorted.push_back(std::move(view.rows[i]));
        }
        view.rows = std::move(sorted);
    }
    if (options.top && view.rows.size() > *options.top) {
        view.rows.resize(*options.top);
    }
    return view;
}

}  // namespace csat
