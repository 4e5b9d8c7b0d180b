#include "csat/periods.hpp"

#include <algorithm>
#include <cmath>
#include <string_view>

namespace csat {

std::int64_t next_period_start(std::int64_t key, Period period, WeekStart week_start) {
    std::int64_t d = key;
    while (period_key(d, period, week_start) == key) {
        ++d;
    }
    return d;
}

PeriodWindow complete_periods(std::int64_t as_of_day, Period period, WeekStart week_start,
                              std::size_t count) {
    std::int64_t last = period_key(as_of_day, period, week_start);
    if (next_period_start(last, period, week_start) != as_of_day + 1) {
        last = period_key(last - 1, period, week_start);
    }
    PeriodWindow w;
    w.keys.push_back(last);
    while (w.keys.size() < count) {
        w.keys.insert(w.keys.begin(), period_key(w.keys.front() - 1, period, week_start));
    }
    w.first_day = w.keys.front();
    w.last_day = next_period_start(last, period, week_start) - 1;
    return w;
}

namespace {

double mean_variance(std::int64_t sum, std::int64_t sum_sq, std::uint64_t n) {
    double dn = static_cast<double>(n);
    double mean = static_cast<double>(sum) / dn;
    return std::max((static_cast<double>(sum_sq) - dn * mean * mean) / (dn - 1.0), 0.0) / dn;
}

std::optional<ZTest> welch(std::int64_t s1, std::int64_t q1, std::uint64_t n1, std::int64_t s2,
                           std::int64_t q2, std::uint64_t n2) {
    if (n1 < 2 || n2 < 2) {
        return std::nullopt;
    }
    double se = std::sqrt(mean_variance(s1, q1, n1) + mean_variance(s2, q2, n2));
    double diff =
        static_cast<double>(s2) / static_cast<double>(n2) - static_cast<double>(s1) / static_cast<double>(n1);
    if (se == 0.0) {
        return ZTest{0.0, 1.0};
    }
    double z = diff / se;
    return ZTest{z, 2.0 * (1.0 - normal_cdf(std::fabs(z)))};
}

}  // namespace

std::optional<ZTest> change_test(const MetricDef& m, const GroupStats& a, const GroupStats& b) {
    std::string_view name = m.name;
    if (name == "csat_pct") {
        return two_proportion_z(a.csat_positive, a.csat_n, b.csat_positive, b.csat_n);
    }
    if (name == "response_rate_pct") {
        return two_proportion_z(a.responded, a.cases, b.responded, b.cases);
    }
    if (name == "promoters_pct") {
        return two_proportion_z(a.promoters, a.nps_n, b.promoters, b.nps_n);
    }
    if (name == "detractors_pct") {
        return two_proportion_z(a.detractors, a.nps_n, b.detractors, b.nps_n);
    }
    if (name == "ces_easy_pct") {
        return two_proportion_z(a.ces_easy, a.ces_n, b.ces_easy, b.ces_n);
    }
    if (name == "nps") {
        return nps_difference(a.promoters, a.detractors, a.nps_n, b.promoters, b.detractors, b.nps_n);
    }
    if (name == "csat_avg") {
        return welch(a.csat_sum, a.csat_sum_sq, a.csat_value_n, b.csat_sum, b.csat_sum_sq, b.csat_value_n);
    }
    if (name == "ces_avg") {
        return welch(a.ces_sum, a.ces_sum_sq, a.ces_n, b.ces_sum, b.ces_sum_sq, b.ces_n);
    }
    return std::nullopt;
}

}  // namespace csat
