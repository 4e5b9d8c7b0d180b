#include "csat/stats.hpp"

#include <cmath>

#include <fmt/format.h>

#include "csat/error.hpp"

namespace csat {

namespace {

double share(std::uint64_t k, std::uint64_t n) {
    return static_cast<double>(k) / static_cast<double>(n);
}

ZTest from_z(double z) {
    return ZTest{z, 2.0 * (1.0 - normal_cdf(std::fabs(z)))};
}

// Inverse of the standard normal CDF by Acklam's rational approximation (relative error < 1.2e-9), refined
// by one Newton step on erfc.
double inverse_normal(double p) {
    static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,  -2.759285104469687e+02,
                               1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
    static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                               6.680131188771972e+01, -1.328068155288572e+01};
    static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                               -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
    static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                               3.754408661907416e+00};
    double x = 0;
    if (p < 0.02425) {
        double q = std::sqrt(-2 * std::log(p));
        x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    } else if (p <= 1 - 0.02425) {
        double q = p - 0.5;
        double r = q * q;
        x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
            (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    } else {
        double q = std::sqrt(-2 * std::log(1 - p));
        x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    double e = 0.5 * std::erfc(-x / std::sqrt(2.0)) - p;
    double u = e * std::sqrt(2 * M_PI) * std::exp(x * x / 2);
    return x - u / (1 + x * u / 2);
}

}  // namespace

double normal_cdf(double x) {
    return 0.5 * std::erfc(-x / std::sqrt(2.0));
}

double z_for_confidence(double confidence) {
    if (!(confidence > 0.0 && confidence < 1.0)) {
        throw Error(ErrorKind::usage, fmt::format("confidence {} is not between 0 and 1", confidence),
                    "for example --confidence 0.95");
    }
    return inverse_normal(1.0 - (1.0 - confidence) / 2.0);
}

Interval wilson_interval(std::uint64_t positives, std::uint64_t n, double z) {
    if (n == 0) {
        return {};
    }
    double dn = static_cast<double>(n);
    double p = share(positives, n);
    double z2 = z * z;
    double denom = 1.0 + z2 / dn;
    double centre = (p + z2 / (2.0 * dn)) / denom;
    double half = z * std::sqrt(p * (1.0 - p) / dn + z2 / (4.0 * dn * dn)) / denom;
    return {std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

double nps_margin(std::uint64_t promoters, std::uint64_t detractors, std::uint64_t n, double z) {
    if (n == 0) {
        return 0;
    }
    double p = share(promoters, n);
    double d = share(detractors, n);
    double var = 100.0 * 100.0 * (p + d - (p - d) * (p - d)) / static_cast<double>(n);
    return z * std::sqrt(std::max(var, 0.0));
}

ZTest two_proportion_z(std::uint64_t k1, std::uint64_t n1, std::uint64_t k2, std::uint64_t n2) {
    if (n1 == 0 || n2 == 0) {
        return {};
    }
    double pooled = share(k1 + k2, n1 + n2);
    if (pooled <= 0.0 || pooled >= 1.0) {
        return {};
    }
    double se =
        std::sqrt(pooled * (1.0 - pooled) * (1.0 / static_cast<double>(n1) + 1.0 / static_cast<double>(n2)));
    return from_z((share(k2, n2) - share(k1, n1)) / se);
}

ZTest nps_difference(std::uint64_t prom1, std::uint64_t det1, std::uint64_t n1, std::uint64_t prom2,
                     std::uint64_t det2, std::uint64_t n2) {
    if (n1 == 0 || n2 == 0) {
        return {};
    }
    auto variance = [](std::uint64_t p, std::uint64_t d, std::uint64_t n) {
        double ps = share(p, n);
        double ds = share(d, n);
        return 100.0 * 100.0 * (ps + ds - (ps - ds) * (ps - ds)) / static_cast<double>(n);
    };
    double se = std::sqrt(variance(prom1, det1, n1) + variance(prom2, det2, n2));
    if (se == 0.0) {
        return {};
    }
    double nps1 = 100.0 * (share(prom1, n1) - share(det1, n1));
    double nps2 = 100.0 * (share(prom2, n2) - share(det2, n2));
    return from_z((nps2 - nps1) / se);
}

}  // namespace csat
