// Period windows and period-over-period tests shared by trend and summary: the last N complete periods
// ending at --as-of, and the significance test of a change in a metric between two periods.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "csat/group_stats.hpp"
#include "csat/metrics.hpp"
#include "csat/stats.hpp"
#include "csat/time.hpp"

namespace csat {

struct PeriodWindow {
    std::vector<std::int64_t> keys;  // period keys, oldest first
    std::int64_t first_day = 0;      // inclusive local days
    std::int64_t last_day = 0;
};

// The `count` complete periods ending at as_of: the period holding as_of counts only if as_of is its last
// day.
PeriodWindow complete_periods(std::int64_t as_of_day, Period period, WeekStart week_start, std::size_t count);
std::int64_t next_period_start(std::int64_t key, Period period, WeekStart week_start);

// The test of a change from `before` to `after` for a metric: two-proportion z for shares, the NPS difference
// with each period's variance, Welch's z for means. nullopt when the metric has no test or n is too small.
std::optional<ZTest> change_test(const MetricDef& metric, const GroupStats& before, const GroupStats& after);

}  // namespace csat
