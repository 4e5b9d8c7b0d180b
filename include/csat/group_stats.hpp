// Per-group accumulators. Everything is an integer count or an integer sum of integer scores, so merging is
// exact and order-independent (threads and files can be summed in any order) and nothing is rounded before
// render.
#pragma once

#include <cstdint>
#include <optional>

namespace csat {

struct GroupStats {
    // Case side: valid only when the group key depends on cases alone (see ReportData::case_metrics).
    std::uint64_t cases = 0;      // eligible cases: the response-rate denominator
    std::uint64_t responded = 0;  // eligible cases with at least one counted response
    // Response side.
    std::uint64_t responses = 0;  // responses counted (after the duplicate policy)
    std::uint64_t csat_n = 0;     // answers that count toward CSAT % (numeric or label)
    std::uint64_t csat_positive = 0;
    std::uint64_t csat_value_n = 0;  // numeric answers on the configured scale: the mean's n
    std::int64_t csat_sum = 0;
    std::int64_t csat_sum_sq = 0;  // for the interval of the mean (check --confidence-gate)
    std::uint64_t nps_n = 0;
    std::uint64_t promoters = 0;
    std::uint64_t detractors = 0;
    std::uint64_t ces_n = 0;
    std::uint64_t ces_easy = 0;
    std::int64_t ces_sum = 0;
    std::int64_t ces_sum_sq = 0;

    void merge(const GroupStats& other);
};

}  // namespace csat
