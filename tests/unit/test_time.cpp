// Dates: every accepted form, impossible dates, the Zendesk sentinel, day/month sniffing, time zones across
// DST changes, period keys and labels, and the relative forms of --since/--until.
#include <catch2/catch.hpp>

#include "csat/error.hpp"
#include "csat/time.hpp"

using namespace csat;

namespace {

// Parses and returns "YYYY-MM-DD HH:MM:SS" (+ "Z" if absolute), or the status name.
std::string parsed(std::string_view text, DateOrder order = DateOrder::unknown) {
    ParsedTime t;
    switch (parse_time(text, order, t)) {
        case TimeParse::ok:
            return format_local_time(t.seconds) + (t.absolute ? "Z" : "");
        case TimeParse::empty:
            return "empty";
        case TimeParse::no_date:
            return "no_date";
        case TimeParse::invalid:
            return "invalid";
        case TimeParse::ambiguous:
            return "ambiguous";
    }
    return "?";
}

std::int64_t day(int y, unsigned m, unsigned d) { return days_from_civil(y, m, d); }

}  // namespace

TEST_CASE("ISO 8601 and RFC 3339 forms", "[time]") {
    CHECK(parsed("2019-11-22T03:49:52.000Z") == "2019-11-22 03:49:52Z");
    CHECK(parsed("2026-03-29T01:30:00+02:00") == "2026-03-28 23:30:00Z");  // 01:30 at +2 is 23:30 UTC the day before
    CHECK(parsed("2026-03-29 01:30:00-0530") == "2026-03-29 07:00:00Z");
    CHECK(parsed("2026-03-29T01:30+01") == "2026-03-29 00:30:00Z");
    CHECK(parsed("2023-04-08 20:52:00") == "2023-04-08 20:52:00");
    CHECK(parsed("2023-04-08 20:52") == "2023-04-08 20:52:00");
    CHECK(parsed(" 2023-04-08 ") == "2023-04-08 00:00:00");
    CHECK(parsed("1700000000") == "2023-11-14 22:13:20Z");  // Unix epoch seconds
    CHECK(parsed("") == "empty");
    CHECK(parsed("1900-01-01 00:00:00") == "no_date");  // Zendesk: not solved
}

TEST_CASE("US and day-first forms, with AM/PM", "[time]") {
    CHECK(parsed("11/3/2026 2:22 PM", DateOrder::mdy) == "2026-11-03 14:22:00");
    CHECK(parsed("03/11/2026 14:22", DateOrder::dmy) == "2026-11-03 14:22:00");
    CHECK(parsed("3/14/2026 12:05 AM") == "2026-03-14 00:05:00");  // 14 cannot be a month: month-first
    CHECK(parsed("3/14/2026 12:05 pm") == "2026-03-14 12:05:00");
    CHECK(parsed("14/3/2026 9:05:07") == "2026-03-14 09:05:07");  // day-first, seconds
    CHECK(parsed("03.11.2026 14:22", DateOrder::dmy) == "2026-11-03 14:22:00");
    CHECK(parsed("03/11/2026") == "ambiguous");
    CHECK(parsed("05/05/2026") == "2026-05-05 00:00:00");  // the same either way
    CHECK(parsed("13 PM 2026") == "invalid");
    CHECK(parsed("1/2/2026 13:00 PM", DateOrder::mdy) == "invalid");
}

TEST_CASE("impossible dates and times are invalid", "[time]") {
    CHECK(parsed("2023-02-29") == "invalid");
    CHECK(parsed("2024-02-29") == "2024-02-29 00:00:00");
    CHECK(parsed("2026-13-01") == "invalid");
    CHECK(parsed("2026-04-31") == "invalid");
    CHECK(parsed("2026-01-01 24:00") == "invalid");
    CHECK(parsed("2026-01-01T10:61") == "invalid");
    CHECK(parsed("yesterday") == "invalid");
    CHECK(parsed("2026-01-01 10:00 extra") == "invalid");
}

TEST_CASE("day/month order is sniffed over a whole column", "[time]") {
    DateOrderSniffer dmy;
    for (const char* v : {"03/04/2026", "25/04/2026 10:00", "2026-01-01"}) {
        dmy.feed(v);
    }
    CHECK(dmy.result() == DateOrder::dmy);
    CHECK_FALSE(dmy.conflicting());
    DateOrderSniffer mdy;
    for (const char* v : {"03/04/2026", "4/25/2026 1:00 PM"}) {
        mdy.feed(v);
    }
    CHECK(mdy.result() == DateOrder::mdy);
    DateOrderSniffer none;
    none.feed("03/04/2026");
    CHECK(none.result() == DateOrder::unknown);
    CHECK(none.saw_slash_dates());
    DateOrderSniffer both;
    both.feed("25/04/2026");
    both.feed("04/25/2026");
    CHECK(both.conflicting());
    CHECK(both.result() == DateOrder::unknown);
}

TEST_CASE("time zones: local days and naive times across DST changes", "[time]") {
    TimeZone berlin = TimeZone::locate("Europe/Berlin");
    ParsedTime t;
    // Spring forward 2026-03-29 at 02:00 CET -> 03:00 CEST.
    REQUIRE(parse_time("2026-03-29T00:30:00Z", DateOrder::unknown, t) == TimeParse::ok);
    CHECK(format_day(berlin.local_day(t.seconds)) == "2026-03-29");  // 01:30 CET
    REQUIRE(parse_time("2026-03-29T22:30:00Z", DateOrder::unknown, t) == TimeParse::ok);
    CHECK(format_day(berlin.local_day(t.seconds)) == "2026-03-30");  // 00:30 CEST
    // A naive 02:30 on that day does not exist: it moves forward by the gap, to 03:30 CEST = 01:30 UTC.
    REQUIRE(parse_time("2026-03-29 02:30", DateOrder::unknown, t) == TimeParse::ok);
    CHECK(format_local_time(berlin.to_utc(t)) == "2026-03-29 01:30:00");
    // Fall back 2026-10-25 03:00 CEST -> 02:00 CET: 02:30 happens twice; the earlier (CEST) wins = 00:30 UTC.
    REQUIRE(parse_time("2026-10-25 02:30", DateOrder::unknown, t) == TimeParse::ok);
    CHECK(format_local_time(berlin.to_utc(t)) == "2026-10-25 00:30:00");
    REQUIRE(parse_time("2026-10-25T22:30:00Z", DateOrder::unknown, t) == TimeParse::ok);
    CHECK(format_day(berlin.local_day(t.seconds)) == "2026-10-25");  // 23:30 CET
    TimeZone ny = TimeZone::locate("America/New_York");
    REQUIRE(parse_time("2026-03-08T06:30:00Z", DateOrder::unknown, t) == TimeParse::ok);
    CHECK(format_local_time(ny.local_seconds(t.seconds)) == "2026-03-08 01:30:00");  // EST, before 2:00
    REQUIRE(parse_time("2026-03-08T07:30:00Z", DateOrder::unknown, t) == TimeParse::ok);
    CHECK(format_local_time(ny.local_seconds(t.seconds)) == "2026-03-08 03:30:00");  // EDT
    CHECK_THROWS_WITH(TimeZone::locate("Mars/Olympus"), "unknown time zone 'Mars/Olympus'");
    CHECK(TimeZone::locate("UTC").to_utc(ParsedTime{100, false}) == 100);
}

TEST_CASE("period keys and labels", "[time]") {
    auto label = [](int y, unsigned m, unsigned d, Period p, WeekStart ws = WeekStart::monday) {
        return period_label(period_key(day(y, m, d), p, ws), p, ws);
    };
    CHECK(label(2026, 2, 16, Period::week) == "2026-W08");
    CHECK(label(2026, 2, 15, Period::week) == "2026-W07");  // a Sunday ends ISO week 7
    CHECK(label(2021, 1, 3, Period::week) == "2020-W53");   // ISO week-year
    CHECK(label(2024, 12, 30, Period::week) == "2025-W01");
    CHECK(label(2026, 2, 15, Period::week, WeekStart::sunday) == "2026-02-15");
    CHECK(label(2026, 2, 21, Period::week, WeekStart::sunday) == "2026-02-15");
    CHECK(label(2026, 2, 28, Period::month) == "2026-02");
    CHECK(label(2026, 5, 31, Period::quarter) == "2026-Q2");
    CHECK(label(2026, 12, 31, Period::year) == "2026");
    CHECK(label(2026, 12, 31, Period::day) == "2026-12-31");
    CHECK(period_key(day(2026, 11, 26), Period::week, WeekStart::monday) == day(2026, 11, 23));
    CHECK(period_key(day(2026, 11, 26), Period::quarter, WeekStart::monday) == day(2026, 10, 1));
    CHECK_THROWS_AS(parse_period("fortnight"), Error);
}

TEST_CASE("relative --since and --until against a fixed as-of", "[time]") {
    std::int64_t as_of = day(2026, 11, 23);  // a Monday
    auto since = [&](const char* t) { return format_day(resolve_since(t, as_of, WeekStart::monday)); };
    auto until = [&](const char* t) { return format_day(resolve_until(t, as_of, WeekStart::monday)); };
    CHECK(since("7d") == "2026-11-17");  // the 7 days ending at as-of
    CHECK(until("7d") == "2026-11-16");
    CHECK(since("4w") == "2026-10-27");
    CHECK(since("today") == "2026-11-23");
    CHECK(since("yesterday") == "2026-11-22");
    CHECK(since("this-week") == "2026-11-23");
    CHECK(until("this-week") == "2026-11-29");
    CHECK(since("last-week") == "2026-11-16");
    CHECK(until("last-week") == "2026-11-22");
    CHECK(since("last-month") == "2026-10-01");
    CHECK(until("last-month") == "2026-10-31");
    CHECK(since("this-quarter") == "2026-10-01");
    CHECK(until("last-quarter") == "2026-09-30");
    CHECK(since("last-year") == "2025-01-01");
    CHECK(until("this-year") == "2026-12-31");
    CHECK(since("2026-01-05") == "2026-01-05");
    CHECK_THROWS_WITH(resolve_since("last-fortnight", as_of, WeekStart::monday),
                      "--since 'last-fortnight': not a date or a relative day");
    CHECK_THROWS_AS(parse_day("2026-02-30"), Error);
}

TEST_CASE("civil day arithmetic round-trips", "[time]") {
    for (std::int64_t d = -800000; d < 800000; d += 997) {
        int y = 0;
        unsigned m = 0;
        unsigned dd = 0;
        civil_from_days(d, y, m, dd);
        REQUIRE(days_from_civil(y, m, dd) == d);
    }
    CHECK(day(1970, 1, 1) == 0);
    CHECK(format_day(day(2000, 2, 29)) == "2000-02-29");
}
