// The report as renderers see it: the chosen metric columns, one row per group plus the total, each value
// already computed (unrounded) with its low-n and low-rate flags. Built once from a JobResult; every output
// format renders this same view, so they cannot disagree.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "csat/job.hpp"
#include "csat/metrics.hpp"

namespace csat {

struct ViewOptions {
    std::vector<const MetricDef*> metrics;  // empty = default_metrics()
    double confidence = 0.95;
    std::uint64_t min_n = 30;
    double min_rate_pct = 10.0;
    bool hide_low_n = false;
    std::optional<std::string> sort_metric;  // descending unless sort_ascending
    bool sort_ascending = false;
    std::optional<std::size_t> top;
};

struct ViewRow {
    std::vector<std::string> key;
    std::vector<std::optional<double>> values;  // one per column
    std::uint64_t n = 0;                        // answers behind the headline score
    bool low_n = false;
    bool low_rate = false;
    bool is_total = false;
};

struct ReportView {
    std::string command = "report";
    std::vector<std::string> key_names;
    std::vector<const MetricDef*> columns;
    std::vector<ViewRow> rows;  // groups, in order; the total is separate
    ViewRow total;
    bool grouped = false;
    std::size_t hidden_low_n = 0;
    double confidence = 0.95;
    std::uint64_t min_n = 30;
    double min_rate_pct = 10.0;
    std::string caption;          // one line on what the figures mean (scale, interval, denominator)
    std::string headline_metric;  // whose n decides low n: csat, nps or ces
    std::vector<std::pair<std::string, std::string>> settings;  // options in effect, for headers and JSON
    const JobResult* job = nullptr;
};

ReportView build_view(const JobResult& job, const ViewOptions& options,
                      std::vector<std::pair<std::string, std::string>> settings);

}  // namespace csat
