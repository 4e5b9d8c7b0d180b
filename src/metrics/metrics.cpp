#include "csat/metrics.hpp"

#include <algorithm>
#include <cmath>

#include "csat/error.hpp"
#include "csat/stats.hpp"
#include "csat/text.hpp"

namespace csat {

namespace {

using Value = std::optional<double>;

double ratio(std::uint64_t part, std::uint64_t whole) {
    return static_cast<double>(part) / static_cast<double>(whole);
}

Value case_count(std::uint64_t v, const MetricContext& ctx) {
    if (!ctx.case_metrics) {
        return std::nullopt;
    }
    return static_cast<double>(v);
}

Value pct(std::uint64_t part, std::uint64_t whole) {
    if (whole == 0) {
        return std::nullopt;
    }
    return 100.0 * ratio(part, whole);
}

Value count(std::uint64_t v) {
    return static_cast<double>(v);
}

Value mean(std::int64_t sum, std::uint64_t n) {
    if (n == 0) {
        return std::nullopt;
    }
    return static_cast<double>(sum) / static_cast<double>(n);
}

Value wilson_bound(const GroupStats& s, const MetricContext& ctx, bool high) {
    if (s.csat_n == 0) {
        return std::nullopt;
    }
    Interval i = wilson_interval(s.csat_positive, s.csat_n, ctx.z);
    return 100.0 * (high ? i.high : i.low);
}

Value nps_value(const GroupStats& s) {
    if (s.nps_n == 0) {
        return std::nullopt;
    }
    // Subtract counts before dividing: flooring each share first (as some reports do) biases the score.
    return 100.0 * (static_cast<double>(s.promoters) - static_cast<double>(s.detractors)) /
           static_cast<double>(s.nps_n);
}

using Range = std::optional<MetricInterval>;

Range wilson_pct(std::uint64_t k, std::uint64_t n, const MetricContext& ctx) {
    if (n == 0) {
        return std::nullopt;
    }
    Interval i = wilson_interval(k, n, ctx.z);
    return MetricInterval{100.0 * i.low, 100.0 * i.high};
}

// Normal interval of a mean from integer sums: mean +/- z * s / sqrt(n), with the sample variance.
Range mean_range(std::int64_t sum, std::int64_t sum_sq, std::uint64_t n, const MetricContext& ctx) {
    if (n < 2) {
        return std::nullopt;
    }
    double dn = static_cast<double>(n);
    double m = static_cast<double>(sum) / dn;
    double var = (static_cast<double>(sum_sq) - dn * m * m) / (dn - 1.0);
    double half = ctx.z * std::sqrt(std::max(var, 0.0) / dn);
    return MetricInterval{m - half, m + half};
}

// The n of a metric: one count of the group's.
template <std::uint64_t GroupStats::*Count>
std::uint64_t n_of(const GroupStats& s) {
    return s.*Count;
}

const std::vector<MetricDef> k_metrics{
    {"cases", MetricFamily::rate, MetricUnit::count, "cases",
     "eligible cases: the response-rate denominator (closed cases by default)",
     [](const GroupStats& s, const MetricContext& c) { return case_count(s.cases, c); }, true,
     n_of<&GroupStats::cases>, nullptr},
    {"responded", MetricFamily::rate, MetricUnit::count, "responded",
     "eligible cases with at least one counted response",
     [](const GroupStats& s, const MetricContext& c) { return case_count(s.responded, c); }, true,
     n_of<&GroupStats::cases>, nullptr},
    {"response_rate_pct", MetricFamily::rate, MetricUnit::percent, "rate %", "responded / cases x 100",
     [](const GroupStats& s, const MetricContext& c) -> Value {
         return c.case_metrics ? pct(s.responded, s.cases) : std::nullopt;
     },
     true, n_of<&GroupStats::cases>,
     [](const GroupStats& s, const MetricContext& c) -> Range {
         return c.case_metrics ? wilson_pct(s.responded, s.cases, c) : std::nullopt;
     }},
    {"responses", MetricFamily::rate, MetricUnit::count, "responses",
     "responses counted after the duplicate policy",
     [](const GroupStats& s, const MetricContext&) { return count(s.responses); }, false,
     n_of<&GroupStats::responses>, nullptr},
    {"csat_n", MetricFamily::csat, MetricUnit::count, "CSAT n", "CSAT answers counted (numeric or label)",
     [](const GroupStats& s, const MetricContext&) { return count(s.csat_n); }, false,
     n_of<&GroupStats::csat_n>, nullptr},
    {"csat_pct", MetricFamily::csat, MetricUnit::percent, "CSAT %",
     "positive (top-box) answers / csat_n x 100",
     [](const GroupStats& s, const MetricContext&) { return pct(s.csat_positive, s.csat_n); }, false,
     n_of<&GroupStats::csat_n>,
     [](const GroupStats& s, const MetricContext& c) { return wilson_pct(s.csat_positive, s.csat_n, c); }},
    {"csat_pct_low", MetricFamily::csat, MetricUnit::percent, "low",
     "lower bound of the Wilson interval of csat_pct",
     [](const GroupStats& s, const MetricContext& c) { return wilson_bound(s, c, false); }, false,
     n_of<&GroupStats::csat_n>, nullptr},
    {"csat_pct_high", MetricFamily::csat, MetricUnit::percent, "high",
     "upper bound of the Wilson interval of csat_pct",
     [](const GroupStats& s, const MetricContext& c) { return wilson_bound(s, c, true); }, false,
     n_of<&GroupStats::csat_n>, nullptr},
    {"csat_avg", MetricFamily::csat, MetricUnit::mean, "avg",
     "mean CSAT score over numeric answers on the configured scale",
     [](const GroupStats& s, const MetricContext&) { return mean(s.csat_sum, s.csat_value_n); }, false,
     n_of<&GroupStats::csat_value_n>,
     [](const GroupStats& s, const MetricContext& c) {
         return mean_range(s.csat_sum, s.csat_sum_sq, s.csat_value_n, c);
     }},
    {"nps_n", MetricFamily::nps, MetricUnit::count, "NPS n", "NPS answers (0-10) counted",
     [](const GroupStats& s, const MetricContext&) { return count(s.nps_n); }, false,
     n_of<&GroupStats::nps_n>, nullptr},
    {"nps", MetricFamily::nps, MetricUnit::nps, "NPS", "%promoters (9-10) - %detractors (0-6), -100..100",
     [](const GroupStats& s, const MetricContext&) { return nps_value(s); }, false, n_of<&GroupStats::nps_n>,
     [](const GroupStats& s, const MetricContext& c) -> Range {
         if (s.nps_n == 0) {
             return std::nullopt;
         }
         double v = *nps_value(s);
         double m = nps_margin(s.promoters, s.detractors, s.nps_n, c.z);
         return MetricInterval{v - m, v + m};
     }},
    {"nps_moe", MetricFamily::nps, MetricUnit::margin, "NPS +/-",
     "margin of error of NPS: z x sqrt(100^2 x (p + d - (p - d)^2) / n)",
     [](const GroupStats& s, const MetricContext& c) -> Value {
         if (s.nps_n == 0) {
             return std::nullopt;
         }
         return nps_margin(s.promoters, s.detractors, s.nps_n, c.z);
     },
     false, n_of<&GroupStats::nps_n>, nullptr},
    {"promoters_pct", MetricFamily::nps, MetricUnit::percent, "prom %", "promoters (9-10) / nps_n x 100",
     [](const GroupStats& s, const MetricContext&) { return pct(s.promoters, s.nps_n); }, false,
     n_of<&GroupStats::nps_n>,
     [](const GroupStats& s, const MetricContext& c) { return wilson_pct(s.promoters, s.nps_n, c); }},
    {"passives_pct", MetricFamily::nps, MetricUnit::percent, "pass %", "passives (7-8) / nps_n x 100",
     [](const GroupStats& s, const MetricContext&) {
         return pct(s.nps_n - s.promoters - s.detractors, s.nps_n);
     },
     false, n_of<&GroupStats::nps_n>,
     [](const GroupStats& s, const MetricContext& c) {
         return wilson_pct(s.nps_n - s.promoters - s.detractors, s.nps_n, c);
     }},
    {"detractors_pct", MetricFamily::nps, MetricUnit::percent, "detr %", "detractors (0-6) / nps_n x 100",
     [](const GroupStats& s, const MetricContext&) { return pct(s.detractors, s.nps_n); }, false,
     n_of<&GroupStats::nps_n>,
     [](const GroupStats& s, const MetricContext& c) { return wilson_pct(s.detractors, s.nps_n, c); }},
    {"ces_n", MetricFamily::ces, MetricUnit::count, "CES n", "CES answers counted",
     [](const GroupStats& s, const MetricContext&) { return count(s.ces_n); }, false,
     n_of<&GroupStats::ces_n>, nullptr},
    {"ces_avg", MetricFamily::ces, MetricUnit::mean, "CES avg", "mean CES score (direction per --ces-better)",
     [](const GroupStats& s, const MetricContext&) { return mean(s.ces_sum, s.ces_n); }, false,
     n_of<&GroupStats::ces_n>,
     [](const GroupStats& s, const MetricContext& c) {
         return mean_range(s.ces_sum, s.ces_sum_sq, s.ces_n, c);
     }},
    {"ces_easy_pct", MetricFamily::ces, MetricUnit::percent, "easy %",
     "answers on the easy side / ces_n x 100 (top 3 of 7, or bottom 2 of 5 when lower is better)",
     [](const GroupStats& s, const MetricContext&) { return pct(s.ces_easy, s.ces_n); }, false,
     n_of<&GroupStats::ces_n>,
     [](const GroupStats& s, const MetricContext& c) { return wilson_pct(s.ces_easy, s.ces_n, c); }},
};

}  // namespace

const std::vector<MetricDef>& metric_registry() {
    return k_metrics;
}

const MetricDef* find_metric(std::string_view name) {
    for (const MetricDef& m : k_metrics) {
        if (m.name == name) {
            return &m;
        }
    }
    return nullptr;
}

std::string_view family_name(MetricFamily family) {
    switch (family) {
        case MetricFamily::rate:
            return "rate";
        case MetricFamily::csat:
            return "csat";
        case MetricFamily::nps:
            return "nps";
        case MetricFamily::ces:
            return "ces";
    }
    return "csat";
}

std::vector<const MetricDef*> parse_metric_list(std::string_view text) {
    std::vector<const MetricDef*> out;
    auto add = [&](const MetricDef* m) {
        if (std::find(out.begin(), out.end(), m) == out.end()) {
            out.push_back(m);
        }
    };
    for (const std::string& raw : split(text, ',')) {
        std::string name = to_lower_ascii(trim(raw));
        if (name.empty()) {
            continue;
        }
        bool found = false;
        for (const MetricDef& m : k_metrics) {
            if (family_name(m.family) == name) {
                add(&m);
                found = true;
            }
        }
        if (!found) {
            if (const MetricDef* m = find_metric(name)) {
                add(m);
                found = true;
            }
        }
        if (!found) {
            std::string names = "rate, csat, nps, ces";
            for (const MetricDef& m : k_metrics) {
                names += ", " + std::string(m.name);
            }
            throw Error(ErrorKind::usage, fmt::format("--metrics: unknown metric '{}'", name),
                        "known: " + names + " (see csat metrics)");
        }
    }
    if (out.empty()) {
        throw Error(ErrorKind::usage, "--metrics: no metric named", "for example --metrics csat,nps");
    }
    return out;
}

std::vector<const MetricDef*> default_metrics(bool has_cases, bool has_csat, bool has_nps, bool has_ces) {
    std::vector<const MetricDef*> out;
    for (const MetricDef& m : k_metrics) {
        bool want = false;
        switch (m.family) {
            case MetricFamily::rate:
                want = has_cases ? m.name != "responses" : m.name == "responses";
                break;
            case MetricFamily::csat:
                want = has_csat;
                break;
            case MetricFamily::nps:
                want = has_nps && (m.name == "nps_n" || m.name == "nps" || m.name == "nps_moe");
                break;
            case MetricFamily::ces:
                want = has_ces;
                break;
        }
        if (want) {
            out.push_back(&m);
        }
    }
    return out;
}

}  // namespace csat
