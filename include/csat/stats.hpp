// Statistics for small samples: the Wilson score interval for a share, the NPS margin of error, and the
// z tests that decide whether a change between two periods is a real drop. Fractions are 0..1 here; callers
// scale to percent.
#pragma once

#include <cstdint>

namespace csat {

struct Interval {
    double low = 0;
    double high = 0;
};

struct ZTest {
    double z = 0;
    double p_value = 1;  // two-sided
};

double normal_cdf(double x);
// The two-sided critical value: 0.95 -> 1.959964. Throws Error(usage) outside (0, 1).
double z_for_confidence(double confidence);
// Wilson score interval of positives/n; n == 0 gives {0, 0} (callers show n/a instead).
Interval wilson_interval(std::uint64_t positives, std::uint64_t n, double z);
// NPS margin of error in points: z * sqrt(100^2 * (p + d - (p - d)^2) / n).
double nps_margin(std::uint64_t promoters, std::uint64_t detractors, std::uint64_t n, double z);
// Pooled two-proportion z test of k2/n2 against k1/n1 (z > 0: the second is higher).
ZTest two_proportion_z(std::uint64_t k1, std::uint64_t n1, std::uint64_t k2, std::uint64_t n2);
// z test of NPS2 - NPS1 with each period's NPS variance.
ZTest nps_difference(std::uint64_t prom1, std::uint64_t det1, std::uint64_t n1, std::uint64_t prom2,
                     std::uint64_t det2, std::uint64_t n2);

}  // namespace csat
