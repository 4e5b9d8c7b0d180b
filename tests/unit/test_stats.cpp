// Statistics, checked against worked examples (the domain reference's Wilson intervals) and hand arithmetic.
#include <catch2/catch.hpp>

#include "csat/error.hpp"
#include "csat/stats.hpp"

using namespace csat;

TEST_CASE("z for a confidence level", "[stats]") {
    CHECK(z_for_confidence(0.95) == Approx(1.959963985).epsilon(1e-9));
    CHECK(z_for_confidence(0.90) == Approx(1.644853627).epsilon(1e-9));
    CHECK(z_for_confidence(0.99) == Approx(2.575829304).epsilon(1e-9));
    CHECK_THROWS_AS(z_for_confidence(1.0), Error);
    CHECK_THROWS_AS(z_for_confidence(0.0), Error);
}

TEST_CASE("Wilson intervals: the domain reference's worked examples", "[stats]") {
    double z = z_for_confidence(0.95);
    Interval a = wilson_interval(3, 3, z);  // 3/3 -> 43.9-100%
    CHECK(a.low == Approx(0.4385).margin(1e-4));
    CHECK(a.high == Approx(1.0).margin(1e-12));
    Interval b = wilson_interval(9, 10, z);  // 9/10 -> 59.6-98.2%
    CHECK(b.low == Approx(0.5958).margin(1e-4));
    CHECK(b.high == Approx(0.9821).margin(1e-4));
    Interval c = wilson_interval(0, 5, z);
    CHECK(c.low == Approx(0.0).margin(1e-12));
    CHECK(c.high == Approx(0.4345).margin(1e-4));
    // 45/50: p = .9, z^2/n = .0768; centre (.9 + .0384)/1.0768 = .8715; half 1.96*sqrt(.0018+.000384)/1.0768
    // = .0851
    Interval d = wilson_interval(45, 50, z);
    CHECK(d.low == Approx(0.7864).margin(1e-4));
    CHECK(d.high == Approx(0.9565).margin(1e-4));
}

TEST_CASE("NPS margin of error", "[stats]") {
    // 50 promoters, 20 detractors of 100: p = .5, d = .2; var = 100^2*(.5+.2-.09)/100 = 61; moe = 1.96*7.8102
    // = 15.31
    CHECK(nps_margin(50, 20, 100, z_for_confidence(0.95)) == Approx(15.308).margin(1e-3));
    CHECK(nps_margin(0, 0, 0, 1.96) == 0.0);
}

TEST_CASE("two-proportion z test", "[stats]") {
    // 34/40 then 24/40: pooled .725, se = sqrt(.725*.275*(2/40)) = .09984, z = -.25/.09984 = -2.504, p =
    // .0123
    ZTest t = two_proportion_z(34, 40, 24, 40);
    CHECK(t.z == Approx(-2.504).margin(1e-3));
    CHECK(t.p_value == Approx(0.0123).margin(1e-4));
    ZTest same = two_proportion_z(10, 20, 10, 20);
    CHECK(same.z == Approx(0.0));
    CHECK(same.p_value == Approx(1.0));
    CHECK(two_proportion_z(0, 0, 1, 2).p_value == 1.0);
    CHECK(two_proportion_z(5, 5, 5, 5).p_value == 1.0);  // pooled share 1: no test
}

TEST_CASE("NPS difference test", "[stats]") {
    // NPS1 = (60-10)/100 = 50, var1 = 10^4*(.7-.25)/100 = 45; NPS2 = (40-30)/100 = 10, var2 =
    // 10^4*(.7-.01)/100 = 69 z = (10-50)/sqrt(114) = -3.746
    ZTest t = nps_difference(60, 10, 100, 40, 30, 100);
    CHECK(t.z == Approx(-3.746).margin(1e-3));
    CHECK(t.p_value < 0.001);
    CHECK(normal_cdf(0.0) == Approx(0.5));
    CHECK(normal_cdf(1.959963985) == Approx(0.975).epsilon(1e-9));
}
