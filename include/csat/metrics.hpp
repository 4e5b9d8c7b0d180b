// The metric registry: every figure csat reports, with its name, family, unit and formula, in one table.
// The same table validates --metrics, --sort and check thresholds, prints `csat metrics`, and drives every
// renderer, so a metric is defined once.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "csat/group_stats.hpp"
#include "csat/scores.hpp"

namespace csat {

enum class MetricUnit { count, percent, mean, nps, margin };
enum class MetricFamily { rate, csat, nps, ces };

struct MetricContext {
    double z = 1.959963984540054;  // two-sided 95%
    bool case_metrics = true;      // false: cases/responded/response rate are n/a for this row
};

struct MetricInterval {
    double low = 0;
    double high = 0;
};

struct MetricDef {
    std::string_view name;
    MetricFamily family;
    MetricUnit unit;
    std::string_view header;  // short column title for tables
    std::string_view description;
    std::optional<double> (*value)(const GroupStats&, const MetricContext&);
    bool case_side = false;  // needs case data
    // The sample size behind the value, and its interval at ctx.z where one is defined (nullopt for counts).
    std::uint64_t (*n)(const GroupStats&) = nullptr;
    std::optional<MetricInterval> (*interval)(const GroupStats&, const MetricContext&) = nullptr;
};

const std::vector<MetricDef>& metric_registry();
const MetricDef* find_metric(std::string_view name);  // nullptr if unknown
std::string_view family_name(MetricFamily family);

// Parses --metrics: family names (rate, csat, nps, ces) and/or metric names, comma-separated.
// Throws Error(usage) for an unknown name, listing the known ones.
std::vector<const MetricDef*> parse_metric_list(std::string_view text);
// The default columns: rate (when there are cases), then each score family the data has.
std::vector<const MetricDef*> default_metrics(bool has_cases, bool has_csat, bool has_nps, bool has_ces);

}  // namespace csat
