// Dates: every accepted form, AM/PM edges, impossible dates, placeholders, day/month sniffing, time zones
// across DST changes both ways, period keys and labels at year edges, and every --since/--until form.
// Expected values are worked out by hand in the comments; calendar anchors: 2026-01-01 and 2026-10-01 are
// Thursdays, 2026-03-01 and 2026-11-01 are Sundays.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>

#include <fmt/format.h>

#include "csat/error.hpp"
#include "csat/time.hpp"

using namespace csat;

namespace {

// "YYYY-MM-DD HH:MM:SS" plus "Z" when absolute, or the status name.
std::string parsed(std::string_view text, DateOrder order = DateOrder::unknown) {
    ParsedTime t;
    TimeParse status = parse_time(text, order, t);
    if (status != TimeParse::ok) {
        return std::string(time_parse_name(status));
    }
    return format_local_time(t.seconds) + (t.absolute ? "Z" : "");
}

std::int64_t day(int y, unsigned m, unsigned d) {
    return days_from_civil(y, m, d);
}

std::int64_t utc(std::string_view iso) {
    ParsedTime t;
    REQUIRE(parse_time(iso, DateOrder::unknown, t) == TimeParse::ok);
    REQUIRE(t.absolute);
    return t.seconds;
}

ParsedTime naive(std::string_view text) {
    ParsedTime t;
    REQUIRE(parse_time(text, DateOrder::unknown, t) == TimeParse::ok);
    REQUIRE_FALSE(t.absolute);
    return t;
}

// "message | hint" of the usage error that f throws.
template <typename F>
std::string usage_error_of(F&& f) {
    try {
        f();
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::usage);
        return e.message() + " | " + e.hint();
    }
    return "no error";
}

}  // namespace

// ---- Parsing
// ------------------------------------------------------------------------------------------------

TEST_CASE("ISO 8601 and RFC 3339 with offsets and fractions", "[time]") {
    CHECK(parsed("2019-11-22T03:49:52.000Z") == "2019-11-22 03:49:52Z");      // Salesforce API / Data Export
    CHECK(parsed("2019-11-22T03:49:52.000+0000") == "2019-11-22 03:49:52Z");  // SOQL's +0000
    CHECK(parsed("2026-03-29T01:30:00+02:00") ==
          "2026-03-28 23:30:00Z");                                        // 01:30 - 2h = 23:30 the day before
    CHECK(parsed("2026-03-29 01:30:00-0530") == "2026-03-29 07:00:00Z");  // 01:30 + 5:30
    CHECK(parsed("2026-03-29T01:30+01") == "2026-03-29 00:30:00Z");       // +HH, no seconds
    CHECK(parsed("2026-12-31T23:30:00-01:00") == "2027-01-01 00:30:00Z");  // an offset can change the year
    CHECK(parsed("2026-01-01T00:15:00+14:00") == "2025-12-31 10:15:00Z");  // Kiribati, the largest offset
    CHECK(parsed("2026-03-14t10:00:00z") == "2026-03-14 10:00:00Z");       // RFC 3339 allows lower case
    CHECK(parsed("2026-03-14T10:00:00,5Z") == "2026-03-14 10:00:00Z");     // comma fraction, truncated
    CHECK(parsed("2026-03-14T10:00:59.999999999Z") == "2026-03-14 10:00:59Z");
    CHECK(parsed("2026-03-14 10:00:00 UTC") == "2026-03-14 10:00:00Z");
    CHECK(parsed("2026-03-14 10:00:00 GMT+01:00") == "2026-03-14 09:00:00Z");
    CHECK(parsed("2026-03-14 10:00 +02:00") == "2026-03-14 08:00:00Z");  // a space before the offset
    CHECK(parsed("2016-12-31T23:59:60Z") == "2016-12-31 23:59:59Z");     // a leap second stays in its minute

    ParsedTime t;
    REQUIRE(parse_time("1970-01-02T00:00:01Z", DateOrder::unknown, t) == TimeParse::ok);
    CHECK(t.seconds == 86401);
    CHECK(t.absolute);
}

TEST_CASE("naive ISO forms, year-first slashes and surrounding blanks", "[time]") {
    CHECK(parsed("2023-04-08 20:52:00") == "2023-04-08 20:52:00");  // Zendesk CSV, in the account's zone
    CHECK(parsed("2023-04-08T20:52:00") == "2023-04-08 20:52:00");
    CHECK(parsed("2023-04-08 20:52") == "2023-04-08 20:52:00");
    CHECK(parsed("2023-04-08 9:05") == "2023-04-08 09:05:00");
    CHECK(parsed("2023-04-08") == "2023-04-08 00:00:00");
    CHECK(parsed(" \t2023-04-08 \r\n") == "2023-04-08 00:00:00");
    CHECK(parsed("2026-3-5") == "2026-03-05 00:00:00");
    CHECK(parsed("2026/03/29 9:05") == "2026-03-29 09:05:00");
    CHECK(parsed("2026-03-14 2:22 PM") == "2026-03-14 14:22:00");
    CHECK(parsed("") == "empty");
    CHECK(parsed("   ") == "empty");
    CHECK(parsed("\t") == "empty");
}

TEST_CASE("the plain-timestamp fast path reads its form exactly and leaves every other text alone",
          "[time]") {
    ParsedTime t;
    // 2023-04-08 20:52:07: day 19455 since 1970 (53 years, 13 leap days: 53*365 + 13 + 97 days into 2023).
    REQUIRE(parse_plain_timestamp("2023-04-08 20:52:07", t));
    CHECK(t.seconds == std::int64_t{19455} * 86400 + 20 * 3600 + 52 * 60 + 7);
    CHECK_FALSE(t.absolute);
    CHECK(parse_plain_timestamp("2024-02-29T00:00:00", t));  // leap day, 'T'
    CHECK(t.seconds == day(2024, 2, 29) * 86400);
    CHECK(parse_plain_timestamp("2024-02-29t00:00:01", t));  // 't'
    CHECK(t.seconds == day(2024, 2, 29) * 86400 + 1);
    // Every month end of every year the path accepts (its leap days, the day counts before and after March)
    // matches the calendar functions, with times of day spread over the hours, minutes and seconds.
    for (int y = 1901; y <= 9998; ++y) {
        for (unsigned m = 1; m <= 12; ++m) {
            unsigned d = days_in_month(y, m);
            std::string text = fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", y, m, d, m + 11, d, m * 4);
            INFO(text);
            REQUIRE(parse_plain_timestamp(text, t));
            CHECK(t.seconds == day(y, m, d) * 86400 + (m + 11) * 3600 + d * 60 + m * 4);
        }
    }
    // Every second of one day (every digit in every place of the time), and every day of one year.
    for (std::int64_t s = 0; s < 86400; ++s) {
        std::string text = fmt::format("2031-07-19T{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
        REQUIRE(parse_plain_timestamp(text, t));
        REQUIRE(t.seconds == day(2031, 7, 19) * 86400 + s);
    }
    for (unsigned m = 1; m <= 12; ++m) {
        for (unsigned d = 1; d <= days_in_month(1996, m); ++d) {
            REQUIRE(parse_plain_timestamp(fmt::format("1996-{:02}-{:02} 09:05:00", m, d), t));
            REQUIRE(t.seconds == day(1996, m, d) * 86400 + 9 * 3600 + 5 * 60);
        }
    }
    // Not its form (or not a real time): false, for parse_time's general path to judge.
    for (const char* text : {"2023-04-08 20:52",
                             "2023-04-08 20:52:07Z",
                             " 2023-04-08 20:52:0",
                             "2023/04/08 20:52:07",
                             "2023-04-08x20:52:07",
                             "2023-04-08 20-52:07",
                             "2023-04-08 20:52-07",
                             "2023-04-0a 20:52:07",
                             "2023-04-08 2/:52:07",
                             "2023-04-08 20:5::07",
                             "1900-01-01 00:00:00",
                             "9999-12-31 23:59:59",
                             "2023-02-29 00:00:00",
                             "2023-13-01 00:00:00",
                             "2023-00-10 00:00:00",
                             "2023-04-08 24:00:00",
                             "2023-04-08 23:60:00",
                             "2023-04-08 23:59:60",
                             "0001-01-01 00:00:00",
                             "2023-04-00 12:00:00",
                             "2023-04-31 12:00:00",
                             "2023-01-32 12:00:00",
                             "2023-04-08 99:00:00",
                             "2023-04-08 00:99:00",
                             "2023-04-08 00:00:99",
                             "2023-99-08 00:00:00",
                             "2023-04-08d20:52:07",
                             "2023-04-08U20:52:07",
                             "2023-04-08\x14"
                             "20:52:07",
                             "2023-04-08\x04"
                             "20:52:07"}) {
        INFO(text);
        CHECK_FALSE(parse_plain_timestamp(text, t));
    }
    // ... and the general path still reads what it reads.
    CHECK(parsed("2023-04-08 23:59:60") == "2023-04-08 23:59:59");
    CHECK(parsed("1900-01-01 00:00:00") == "no_date");
    CHECK(parsed("2023-02-29 00:00:00") == "invalid");
}

TEST_CASE("Unix epoch seconds are 9 to 11 digits", "[time]") {
    // 1700000000 = 19675 days + 80000 s; day 19675 is 2023-11-14, 80000 s is 22:13:20.
    CHECK(parsed("1700000000") == "2023-11-14 22:13:20Z");
    CHECK(parsed(" 1700000000 ") == "2023-11-14 22:13:20Z");
    // 100000000 = 1157 days + 35200 s: 1973-03-03 09:46:40.
    CHECK(parsed("100000000") == "1973-03-03 09:46:40Z");
    CHECK(parsed("99999999") == "invalid");       // 8 digits: a count or an ID, not a time
    CHECK(parsed("20260314") == "invalid");       // nor basic ISO
    CHECK(parsed("1700000000000") == "invalid");  // epoch milliseconds are not guessed
    CHECK(parsed("-1700000000") == "invalid");
}

TEST_CASE("US month-first and day-first numeric dates", "[time]") {
    CHECK(parsed("11/3/2026 2:22 PM", DateOrder::mdy) == "2026-11-03 14:22:00");  // Salesforce report, en-US
    CHECK(parsed("03/11/2026 14:22", DateOrder::dmy) == "2026-11-03 14:22:00");   // Salesforce report, en-GB
    CHECK(parsed("3/14/2026 12:05 AM") == "2026-03-14 00:05:00");  // 14 cannot be a month: month-first
    CHECK(parsed("14/3/2026 9:05:07") == "2026-03-14 09:05:07");   // 14 cannot be a month: day-first
    CHECK(parsed("3/14/2026") == "2026-03-14 00:00:00");
    CHECK(parsed("3/14/2026, 2:22:00 PM") == "2026-03-14 14:22:00");  // JavaScript's en-US toLocaleString
    CHECK(parsed("31/12/2026 23:59:59") == "2026-12-31 23:59:59");
    CHECK(parsed("12/31/2026") == "2026-12-31 00:00:00");
    CHECK(parsed("05/05/2026") == "2026-05-05 00:00:00");  // the same either way
    CHECK(parsed("1/1/1900 12:00 AM") == "no_date");
    // Dashes follow the order like slashes (MM-DD-YYYY is common in the US); dots are always day-first.
    CHECK(parsed("03-11-2026 14:22") == "ambiguous");
    CHECK(parsed("03-11-2026 14:22", DateOrder::dmy) == "2026-11-03 14:22:00");
    CHECK(parsed("03-11-2026 14:22", DateOrder::mdy) == "2026-03-11 14:22:00");
    CHECK(parsed("03.11.2026 14:22") == "2026-11-03 14:22:00");
    CHECK(parsed("03.11.2026 14:22", DateOrder::mdy) == "2026-11-03 14:22:00");
    CHECK(parsed("3.11.2026") == "2026-11-03 00:00:00");
}

TEST_CASE("12 AM and 12 PM, and hours that AM/PM rules out", "[time]") {
    CHECK(parsed("3/14/2026 12:00 AM") == "2026-03-14 00:00:00");  // midnight
    CHECK(parsed("3/14/2026 12:59:59 AM") == "2026-03-14 00:59:59");
    CHECK(parsed("3/14/2026 1:00 AM") == "2026-03-14 01:00:00");
    CHECK(parsed("3/14/2026 11:59 AM") == "2026-03-14 11:59:00");
    CHECK(parsed("3/14/2026 12:00 PM") == "2026-03-14 12:00:00");  // noon
    CHECK(parsed("3/14/2026 12:05 pm") == "2026-03-14 12:05:00");
    CHECK(parsed("3/14/2026 1:00 PM") == "2026-03-14 13:00:00");
    CHECK(parsed("3/14/2026 11:59 PM") == "2026-03-14 23:59:00");
    CHECK(parsed("3/14/2026 2:22:07PM") == "2026-03-14 14:22:07");
    CHECK(parsed("3/14/2026 0:30 AM") == "invalid");
    CHECK(parsed("3/14/2026 13:00 PM") == "invalid");
    CHECK(parsed("3/14/2026 12:00 XM") == "invalid");
}

TEST_CASE("month names", "[time]") {
    CHECK(parsed("5 Jan 2020") == "2020-01-05 00:00:00");
    CHECK(parsed("5th January 2020 14:30") == "2020-01-05 14:30:00");
    CHECK(parsed("22nd Feb 2024") == "2024-02-22 00:00:00");
    CHECK(parsed("05-Jan-2020 10:00") == "2020-01-05 10:00:00");
    CHECK(parsed("Jan 5, 2020 2:22 PM") == "2020-01-05 14:22:00");
    CHECK(parsed("SEPT. 3rd 2026") == "2026-09-03 00:00:00");
    CHECK(parsed("December 31 2026 23:59:59 UTC") == "2026-12-31 23:59:59Z");
    CHECK(parsed("February 29, 2023") == "invalid");
    CHECK(parsed("5 Foo 2020") == "invalid");
    CHECK(parsed("Ma 5 2020") == "invalid");  // two letters name no month
    CHECK(parsed("Jan 5 20") == "invalid");
}

TEST_CASE("impossible dates and malformed times are invalid", "[time]") {
    CHECK(parsed("2023-02-29") == "invalid");
    CHECK(parsed("2024-02-29") == "2024-02-29 00:00:00");
    CHECK(parsed("2100-02-29") == "invalid");  // century years are leap only every 400 years
    CHECK(parsed("2000-02-29") == "2000-02-29 00:00:00");
    CHECK(parsed("2026-13-01") == "invalid");
    CHECK(parsed("2026-00-10") == "invalid");
    CHECK(parsed("2026-04-31") == "invalid");
    CHECK(parsed("0000-01-01") == "invalid");
    CHECK(parsed("2026-01-01 24:00") == "invalid");
    CHECK(parsed("2026-01-01T10:61") == "invalid");
    CHECK(parsed("2026-01-01T10:00:61") == "invalid");
    CHECK(parsed("2026-01-01 9:5") == "invalid");
    CHECK(parsed("2026-01-01T") == "invalid");
    CHECK(parsed("2026-01-01Z") == "invalid");  // an offset needs a time
    CHECK(parsed("2026-01-01T10:00:00.") == "invalid");
    CHECK(parsed("2026-01-01T10:00+02:") == "invalid");
    CHECK(parsed("2026-01-01T10:00+2") == "invalid");
    CHECK(parsed("2026-01-01T10:00+021") == "invalid");
    CHECK(parsed("2026-01-01T10:00+19:00") == "invalid");
    CHECK(parsed("2026-01-01T10:00+02:60") == "invalid");
    CHECK(parsed("2026-01-01 10:00 extra") == "invalid");
    CHECK(parsed("13/13/2026") == "invalid");
    CHECK(parsed("0/5/2026") == "invalid");    // month 0 or day 0 either way: invalid, not ambiguous
    CHECK(parsed("31/04/2026") == "invalid");  // April 31 or month 31: neither
    CHECK(parsed("25/04/2026", DateOrder::mdy) == "invalid");
    CHECK(parsed("3/14/26") == "invalid");  // two-digit year
    CHECK(parsed("3/14/20266") == "invalid");
    CHECK(parsed("yesterday") == "invalid");
    CHECK(parsed("N/A") == "invalid");
    CHECK(parsed("10:00") == "invalid");
}

TEST_CASE("placeholders for 'no date' are no_date, not errors", "[time]") {
    CHECK(parsed("1900-01-01 00:00:00") == "no_date");  // Zendesk: not solved yet
    CHECK(parsed("1900-01-01") == "no_date");
    CHECK(parsed("1899-12-31 19:00:00") == "no_date");   // the same sentinel shifted into New York time
    CHECK(parsed("1899-12-30") == "no_date");            // Excel's day zero
    CHECK(parsed("0001-01-01T00:00:00Z") == "no_date");  // .NET / Go zero value
    CHECK(parsed("9999-12-31 23:59:59") == "no_date");   // "never"
    CHECK(parsed("1900-01-02") == "1900-01-02 00:00:00");
    CHECK(parsed("1899-12-29") == "1899-12-29 00:00:00");
    CHECK(parsed("9999-12-30") == "9999-12-30 00:00:00");
}

TEST_CASE("ambiguous slash dates need an order; out is untouched unless ok", "[time]") {
    CHECK(parsed("03/04/2026") == "ambiguous");
    CHECK(parsed("03/04/2026 10:00", DateOrder::dmy) == "2026-04-03 10:00:00");
    CHECK(parsed("03/04/2026 10:00", DateOrder::mdy) == "2026-03-04 10:00:00");
    CHECK(parsed("03/04/2026 25:00") == "invalid");  // a bad time makes it invalid, whatever the order
    ParsedTime t{42, true};
    CHECK(parse_time("03/04/2026", DateOrder::unknown, t) == TimeParse::ambiguous);
    CHECK(parse_time("2023-02-29", DateOrder::unknown, t) == TimeParse::invalid);
    CHECK(parse_time("1900-01-01", DateOrder::unknown, t) == TimeParse::no_date);
    CHECK(parse_time("", DateOrder::unknown, t) == TimeParse::empty);
    CHECK(t.seconds == 42);
    CHECK(t.absolute);
}

TEST_CASE("the sniffer settles day/month order from the column", "[time]") {
    DateOrderSniffer dmy;
    for (const char* v : {"03/04/2026", "25/04/2026 10:00", "2026-01-01", "", "13-02-2026"}) {
        dmy.feed(v);
    }
    CHECK(dmy.result() == DateOrder::dmy);
    CHECK_FALSE(dmy.conflicting());
    CHECK(dmy.saw_slash_dates());
    CHECK(dmy.dmy_votes() == 2);
    CHECK(dmy.slash_dates() == 3);

    DateOrderSniffer mdy;
    for (const char* v : {"03/04/2026", "4/25/2026 1:00 PM", " 12/31/2026 "}) {
        mdy.feed(v);
    }
    CHECK(mdy.result() == DateOrder::mdy);
    CHECK(mdy.mdy_votes() == 2);

    DateOrderSniffer none;
    for (const char* v : {"03/04/2026", "12/11/2026", "31/02/2026"}) {  // 31/02 is no date either way
        none.feed(v);
    }
    CHECK(none.result() == DateOrder::unknown);
    CHECK(none.saw_slash_dates());
    CHECK_FALSE(none.conflicting());

    DateOrderSniffer both;
    both.feed("25/04/2026");
    both.feed("04/25/2026");
    CHECK(both.conflicting());
    CHECK(both.result() == DateOrder::unknown);

    DateOrderSniffer iso;
    for (const char* v : {"2026-04-25", "2026-04-25T10:00:00Z", "1700000000", "25.04.2026", "5 Jan 2020"}) {
        iso.feed(v);  // year-first, epoch, dotted and named dates are never evidence
    }
    CHECK_FALSE(iso.saw_slash_dates());
    CHECK(iso.result() == DateOrder::unknown);
}

// ---- Time zones
// ---------------------------------------------------------------------------------------------

TEST_CASE("Europe/Berlin across spring forward (2026-03-29 01:00Z)", "[time]") {
    // 02:00 CET (+1) becomes 03:00 CEST (+2) at 01:00 UTC.
    TimeZone berlin = TimeZone::locate("Europe/Berlin");
    CHECK(format_local_time(berlin.local_seconds(utc("2026-03-29T00:59:59Z"))) == "2026-03-29 01:59:59");
    CHECK(format_local_time(berlin.local_seconds(utc("2026-03-29T01:00:00Z"))) == "2026-03-29 03:00:00");
    CHECK(format_day(berlin.local_day(utc("2026-03-28T22:59:59Z"))) == "2026-03-28");  // 23:59:59 CET
    CHECK(format_day(berlin.local_day(utc("2026-03-28T23:30:00Z"))) == "2026-03-29");  // 00:30 CET
    CHECK(format_day(berlin.local_day(utc("2026-03-29T00:30:00Z"))) == "2026-03-29");  // 01:30 CET
    CHECK(format_day(berlin.local_day(utc("2026-03-29T21:59:59Z"))) == "2026-03-29");  // 23:59:59 CEST
    CHECK(format_day(berlin.local_day(utc("2026-03-29T22:30:00Z"))) == "2026-03-30");  // 00:30 CEST
    CHECK(berlin.offset_at(utc("2026-03-29T00:59:59Z")) == 3600);
    CHECK(berlin.offset_at(utc("2026-03-29T01:00:00Z")) == 7200);
    // Naive times: 01:59:59 is CET; 02:00-02:59 do not exist and move forward by the gap (02:30 -> 03:30
    // CEST, which is 01:30 UTC); 03:00 is CEST.
    CHECK(format_local_time(berlin.to_utc(naive("2026-03-29 01:59:59"))) == "2026-03-29 00:59:59");
    CHECK(format_local_time(berlin.to_utc(naive("2026-03-29 02:00"))) == "2026-03-29 01:00:00");
    CHECK(format_local_time(berlin.to_utc(naive("2026-03-29 02:30"))) == "2026-03-29 01:30:00");
    CHECK(format_local_time(berlin.to_utc(naive("2026-03-29 03:00"))) == "2026-03-29 01:00:00");
    CHECK(format_local_time(berlin.to_utc(naive("2026-01-15 12:00"))) == "2026-01-15 11:00:00");
    CHECK(format_local_time(berlin.to_utc(naive("2026-07-15 12:00"))) == "2026-07-15 10:00:00");
}

TEST_CASE("Europe/Berlin across fall back (2026-10-25 01:00Z)", "[time]") {
    // 03:00 CEST (+2) becomes 02:00 CET (+1) at 01:00 UTC: local 02:00-02:59 happens twice.
    TimeZone berlin = TimeZone::locate("Europe/Berlin");
    CHECK(format_local_time(berlin.local_seconds(utc("2026-10-25T00:30:00Z"))) ==
          "2026-10-25 02:30:00");  // CEST
    CHECK(format_local_time(berlin.local_seconds(utc("2026-10-25T01:30:00Z"))) ==
          "2026-10-25 02:30:00");                                                      // CET
    CHECK(format_day(berlin.local_day(utc("2026-10-24T21:59:59Z"))) == "2026-10-24");  // 23:59:59 CEST
    CHECK(format_day(berlin.local_day(utc("2026-10-24T22:00:00Z"))) == "2026-10-25");  // 00:00 CEST
    CHECK(format_day(berlin.local_day(utc("2026-10-25T22:30:00Z"))) == "2026-10-25");  // 23:30 CET
    CHECK(format_day(berlin.local_day(utc("2026-10-25T23:00:00Z"))) == "2026-10-26");  // 00:00 CET
    // The overlap takes the earlier instant, CEST: 02:30 - 2h = 00:30 UTC. 01:59 is CEST only, 03:00 CET
    // only.
    CHECK(format_local_time(berlin.to_utc(naive("2026-10-25 02:30"))) == "2026-10-25 00:30:00");
    CHECK(format_local_time(berlin.to_utc(naive("2026-10-25 02:00"))) == "2026-10-25 00:00:00");
    CHECK(format_local_time(berlin.to_utc(naive("2026-10-25 01:59"))) == "2026-10-24 23:59:00");
    CHECK(format_local_time(berlin.to_utc(naive("2026-10-25 03:00"))) == "2026-10-25 02:00:00");
}

TEST_CASE("America/New_York across both 2026 changes", "[time]") {
    // Spring: 2026-03-08 02:00 EST (-5) -> 03:00 EDT (-4) at 07:00 UTC. Fall: 2026-11-01 02:00 EDT -> 01:00
    // EST at 06:00 UTC.
    TimeZone ny = TimeZone::locate("America/New_York");
    CHECK(format_local_time(ny.local_seconds(utc("2026-03-08T06:30:00Z"))) == "2026-03-08 01:30:00");  // EST
    CHECK(format_local_time(ny.local_seconds(utc("2026-03-08T07:30:00Z"))) == "2026-03-08 03:30:00");  // EDT
    CHECK(format_local_time(ny.to_utc(naive("2026-03-08 02:30"))) ==
          "2026-03-08 07:30:00");  // gap: read as EST
    CHECK(format_local_time(ny.to_utc(naive("2026-11-01 01:30"))) == "2026-11-01 05:30:00");  // overlap: EDT
    CHECK(format_local_time(ny.to_utc(naive("2026-11-01 02:30"))) == "2026-11-01 07:30:00");  // EST only
    CHECK(format_day(ny.local_day(utc("2026-11-01T03:59:59Z"))) == "2026-10-31");             // 23:59:59 EDT
    CHECK(format_day(ny.local_day(utc("2026-11-01T04:30:00Z"))) == "2026-11-01");             // 00:30 EDT
    CHECK(format_day(ny.local_day(utc("2026-11-02T04:30:00Z"))) == "2026-11-01");             // 23:30 EST
    CHECK(format_day(ny.local_day(utc("2026-11-02T05:00:00Z"))) == "2026-11-02");             // 00:00 EST
    // Before 1970 the day number is negative and must round down: 1969-12-31 18:00 EST is day -1.
    CHECK(ny.local_day(utc("1969-12-31T23:00:00Z")) == -1);
    CHECK(ny.local_day(utc("1970-01-01T04:59:59Z")) == -1);
    CHECK(ny.local_day(utc("1970-01-01T05:00:00Z")) == 0);
}

TEST_CASE("the cached interval gives the answers of a fresh lookup", "[time]") {
    // A fixed pseudo-random walk over 2024-2027 that crosses DST changes in both directions, hopping between
    // intervals so the cache is both hit and missed; each answer is checked against a cold TimeZone.
    TimeZone cached = TimeZone::locate("America/New_York");
    std::uint64_t state = 12345;
    const std::int64_t from = utc("2024-01-01T00:00:00Z");
    const std::int64_t span = utc("2028-01-01T00:00:00Z") - from;
    for (int i = 0; i < 2000; ++i) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        const auto t = from + static_cast<std::int64_t>((state >> 20) % static_cast<std::uint64_t>(span));
        const TimeZone cold = TimeZone::locate("America/New_York");
        REQUIRE(cached.local_seconds(t) == cold.local_seconds(t));
        ParsedTime local{t, false};
        REQUIRE(cached.to_utc(local) == TimeZone::locate("America/New_York").to_utc(local));
    }
}

TEST_CASE("every naive hour of 2026 maps back to itself, gaps moved forward", "[time]") {
    for (const char* name : {"Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kolkata"}) {
        TimeZone tz = TimeZone::locate(name);
        int moved = 0;
        for (std::int64_t local = day(2026, 1, 1) * 86400; local < day(2027, 1, 1) * 86400; local += 1800) {
            const std::int64_t back = tz.local_seconds(tz.to_utc(ParsedTime{local, false}));
            if (back != local) {
                REQUIRE(back == local + 3600);  // every one of these zones springs forward by an hour
                ++moved;
            }
        }
        // Two half-hours (02:00 and 02:30) vanish in one spring-forward night; Kolkata has no DST.
        CHECK(moved == (std::string(name) == "Asia/Kolkata" ? 0 : 2));
    }
}

TEST_CASE("time zone names", "[time]") {
    CHECK(TimeZone::locate("UTC").is_utc());
    CHECK(TimeZone::locate("utc").name() == "UTC");
    CHECK(TimeZone::locate("Etc/UTC").is_utc());
    CHECK(TimeZone::locate("").name() == "UTC");
    CHECK(TimeZone::utc().to_utc(ParsedTime{100, false}) == 100);
    CHECK(TimeZone::utc().local_day(-1) == -1);
    CHECK(TimeZone::locate(" Europe/Berlin ").name() == "Europe/Berlin");
    CHECK(TimeZone::locate("europe/berlin").name() == "Europe/Berlin");  // case slips are unambiguous
    // Kolkata is +05:30 all year: 20:00 UTC is 01:30 the next day.
    CHECK(format_local_time(TimeZone::locate("Asia/Kolkata").local_seconds(utc("2026-01-01T20:00:00Z"))) ==
          "2026-01-02 01:30:00");
    CHECK(
        usage_error_of([] { TimeZone::locate("Mars/Olympus"); }) ==
        "unknown time zone 'Mars/Olympus' | use an IANA name such as Europe/Berlin, America/New_York or UTC");
    CHECK(usage_error_of([] { TimeZone::locate("Europe/Berln"); }) ==
          "unknown time zone 'Europe/Berln' | did you mean Europe/Berlin? Zones are IANA names such as "
          "Europe/Berlin, America/New_York or UTC");
    CHECK(
        usage_error_of([] { TimeZone::locate("UTC+2"); }) ==
        "unknown time zone 'UTC+2' | for a fixed offset use Etc/GMT-2 (IANA inverts the sign), or better the "
        "place's zone, which knows its DST changes");
}

TEST_CASE("copies of a TimeZone keep their own cache", "[time]") {
    TimeZone a = TimeZone::locate("Europe/Berlin");
    CHECK(a.offset_at(utc("2026-01-15T12:00:00Z")) == 3600);
    TimeZone b = a;  // NOLINT(performance-unnecessary-copy-initialization): the copy is what is tested
    CHECK(b.offset_at(utc("2026-07-15T12:00:00Z")) == 7200);
    CHECK(a.offset_at(utc("2026-01-15T13:00:00Z")) == 3600);
    CHECK(b.name() == "Europe/Berlin");
}

// ---- Periods
// ------------------------------------------------------------------------------------------------

namespace {

std::string label_of(int y, unsigned m, unsigned d, Period p, WeekStart ws = WeekStart::monday) {
    return period_label(period_key(day(y, m, d), p, ws), p, ws);
}

}  // namespace

TEST_CASE("ISO week labels use the ISO week-year", "[time]") {
    // 2026-01-01 is a Thursday, so ISO week 1 of 2026 is 2025-12-29 .. 2026-01-04.
    CHECK(label_of(2025, 12, 29, Period::week) == "2026-W01");
    CHECK(label_of(2026, 1, 4, Period::week) == "2026-W01");
    CHECK(label_of(2026, 1, 5, Period::week) == "2026-W02");
    // 2026-02-16 is 3 + 31 + 15 = 49 days after 2025-12-29: week 49 / 7 + 1 = 8. Sunday the 15th ends week 7.
    CHECK(label_of(2026, 2, 16, Period::week) == "2026-W08");
    CHECK(label_of(2026, 2, 15, Period::week) == "2026-W07");
    // 2020 began on a Wednesday of a leap year, so it has 53 weeks and 2021-01-03 (a Sunday) is in the last.
    CHECK(label_of(2021, 1, 3, Period::week) == "2020-W53");
    CHECK(label_of(2021, 1, 4, Period::week) == "2021-W01");
    // 2025-01-01 is a Wednesday: its week 1 starts Monday 2024-12-30.
    CHECK(label_of(2024, 12, 29, Period::week) == "2024-W52");
    CHECK(label_of(2024, 12, 30, Period::week) == "2025-W01");
    // 2026 began on a Thursday, so it has 53 weeks, the last running to Sunday 2027-01-03.
    CHECK(label_of(2026, 12, 31, Period::week) == "2026-W53");
    CHECK(label_of(2027, 1, 3, Period::week) == "2026-W53");
    CHECK(label_of(2027, 1, 4, Period::week) == "2027-W01");
    CHECK(label_of(2008, 12, 29, Period::week) == "2009-W01");
    CHECK(label_of(2010, 1, 3, Period::week) == "2009-W53");
    CHECK(period_key(day(2026, 11, 26), Period::week, WeekStart::monday) == day(2026, 11, 23));
    CHECK(period_key(day(1969, 12, 31), Period::week, WeekStart::monday) ==
          day(1969, 12, 29));  // negative days
}

TEST_CASE("Sunday weeks are labelled by their first day", "[time]") {
    const WeekStart sun = WeekStart::sunday;
    CHECK(label_of(2026, 2, 15, Period::week, sun) == "2026-02-15");  // a Sunday starts its own week
    CHECK(label_of(2026, 2, 21, Period::week, sun) == "2026-02-15");  // Saturday ends it
    CHECK(label_of(2026, 2, 22, Period::week, sun) == "2026-02-22");
    CHECK(label_of(2026, 1, 1, Period::week, sun) == "2025-12-28");  // Thursday -> the Sunday before
    CHECK(period_key(day(2026, 11, 23), Period::week, sun) == day(2026, 11, 22));
    CHECK(period_key(day(1970, 1, 1), Period::week, sun) == day(1969, 12, 28));
}

TEST_CASE("day, month, quarter and year keys and labels", "[time]") {
    CHECK(label_of(2026, 12, 31, Period::day) == "2026-12-31");
    CHECK(label_of(2026, 12, 31, Period::none) == "2026-12-31");
    CHECK(label_of(2026, 2, 28, Period::month) == "2026-02");
    CHECK(label_of(2026, 1, 1, Period::quarter) == "2026-Q1");
    CHECK(label_of(2026, 3, 31, Period::quarter) == "2026-Q1");
    CHECK(label_of(2026, 5, 31, Period::quarter) == "2026-Q2");
    CHECK(label_of(2026, 12, 31, Period::quarter) == "2026-Q4");
    CHECK(label_of(2026, 12, 31, Period::year) == "2026");
    CHECK(period_key(day(2026, 2, 28), Period::month, WeekStart::monday) == day(2026, 2, 1));
    CHECK(period_key(day(2026, 5, 31), Period::quarter, WeekStart::monday) == day(2026, 4, 1));
    CHECK(period_key(day(2026, 11, 26), Period::quarter, WeekStart::monday) == day(2026, 10, 1));
    CHECK(period_key(day(2026, 12, 31), Period::year, WeekStart::monday) == day(2026, 1, 1));
    CHECK(period_key(day(1969, 7, 4), Period::quarter, WeekStart::monday) == day(1969, 7, 1));
}

TEST_CASE("shifting periods carries across years", "[time]") {
    const WeekStart mon = WeekStart::monday;
    CHECK(shift_period(day(2026, 1, 1), Period::month, mon, -1) == day(2025, 12, 1));
    CHECK(shift_period(day(2026, 1, 1), Period::quarter, mon, -1) == day(2025, 10, 1));
    CHECK(shift_period(day(2026, 1, 1), Period::quarter, mon, 5) == day(2027, 4, 1));
    CHECK(shift_period(day(2026, 1, 1), Period::year, mon, -30) == day(1996, 1, 1));
    CHECK(shift_period(day(2026, 11, 23), Period::week, mon, 1) == day(2026, 11, 30));
    CHECK(shift_period(day(2026, 11, 23), Period::day, mon, -23) == day(2026, 10, 31));
}

TEST_CASE("parse_period", "[time]") {
    CHECK(parse_period("day") == Period::day);
    CHECK(parse_period(" Week ") == Period::week);
    CHECK(parse_period("MONTH") == Period::month);
    CHECK(parse_period("quarter") == Period::quarter);
    CHECK(parse_period("year") == Period::year);
    CHECK(usage_error_of([] { parse_period("fortnight"); }) ==
          "--period 'fortnight': expected day, week, month, quarter or year | for example --period week");
    CHECK(usage_error_of([] { parse_period("weekly"); }) ==
          "--period 'weekly': expected day, week, month, quarter or year | did you mean --period week?");
    CHECK(usage_error_of([] { parse_period("daily"); }) ==
          "--period 'daily': expected day, week, month, quarter or year | did you mean --period day?");
}

// ---- --since / --until
// ----------------------------------------------------------------------------------------

TEST_CASE("every relative form against as-of Monday 2026-11-23", "[time]") {
    const std::int64_t as_of = day(2026, 11, 23);
    auto since = [&](std::string_view t, WeekStart ws = WeekStart::monday) {
        return format_day(resolve_since(t, as_of, ws));
    };
    auto until = [&](std::string_view t, WeekStart ws = WeekStart::monday) {
        return format_day(resolve_until(t, as_of, ws));
    };
    CHECK(since("7d") == "2026-11-17");  // the 7 days 17..23
    CHECK(until("7d") == "2026-11-16");  // the day before them
    CHECK(since("1d") == "2026-11-23");
    CHECK(until("1d") == "2026-11-22");
    CHECK(since("4w") == "2026-10-27");  // 28 days: 23 - 27 = Oct 27
    CHECK(until("4w") == "2026-10-26");
    CHECK(since("today") == "2026-11-23");
    CHECK(until("today") == "2026-11-23");
    CHECK(since("yesterday") == "2026-11-22");
    CHECK(until("yesterday") == "2026-11-22");
    CHECK(since("this-week") == "2026-11-23");
    CHECK(until("this-week") == "2026-11-29");
    CHECK(since("last-week") == "2026-11-16");
    CHECK(until("last-week") == "2026-11-22");
    CHECK(since("this-week", WeekStart::sunday) == "2026-11-22");
    CHECK(until("this-week", WeekStart::sunday) == "2026-11-28");
    CHECK(since("last-week", WeekStart::sunday) == "2026-11-15");
    CHECK(until("last-week", WeekStart::sunday) == "2026-11-21");
    CHECK(since("this-month") == "2026-11-01");
    CHECK(until("this-month") == "2026-11-30");
    CHECK(since("last-month") == "2026-10-01");
    CHECK(until("last-month") == "2026-10-31");
    CHECK(since("this-quarter") == "2026-10-01");
    CHECK(until("this-quarter") == "2026-12-31");
    CHECK(since("last-quarter") == "2026-07-01");
    CHECK(until("last-quarter") == "2026-09-30");
    CHECK(since("this-year") == "2026-01-01");
    CHECK(until("this-year") == "2026-12-31");
    CHECK(since("last-year") == "2025-01-01");
    CHECK(until("last-year") == "2025-12-31");
    CHECK(since("2026-01-05") == "2026-01-05");
    CHECK(until(" 2026-01-05 ") == "2026-01-05");
    CHECK(since("Last_Week") == "2026-11-16");
    CHECK(since("last week") == "2026-11-16");
    CHECK(since(" 7D ") == "2026-11-17");
}

TEST_CASE("relative forms at year and leap edges", "[time]") {
    const std::int64_t jan5 = day(2026, 1, 5);  // a Monday
    CHECK(format_day(resolve_since("last-month", jan5, WeekStart::monday)) == "2025-12-01");
    CHECK(format_day(resolve_until("last-month", jan5, WeekStart::monday)) == "2025-12-31");
    CHECK(format_day(resolve_since("last-quarter", jan5, WeekStart::monday)) == "2025-10-01");
    CHECK(format_day(resolve_until("last-quarter", jan5, WeekStart::monday)) == "2025-12-31");
    CHECK(format_day(resolve_since("last-week", jan5, WeekStart::monday)) == "2025-12-29");
    CHECK(format_day(resolve_until("last-week", jan5, WeekStart::monday)) == "2026-01-04");
    const std::int64_t mar31 = day(2024, 3, 31);
    CHECK(format_day(resolve_since("last-month", mar31, WeekStart::monday)) == "2024-02-01");
    CHECK(format_day(resolve_until("last-month", mar31, WeekStart::monday)) == "2024-02-29");
    CHECK(format_day(resolve_since("7d", day(2024, 3, 3), WeekStart::monday)) ==
          "2024-02-26");  // 3 - 6 over Feb 29
}

TEST_CASE("bad --since/--until/--as-of values are usage errors with the forms", "[time]") {
    const std::int64_t as_of = day(2026, 11, 23);
    const std::string forms =
        "use YYYY-MM-DD, Nd (N days), Nw (N weeks), today, yesterday, this-week, last-week, this-month, "
        "last-month, this-quarter, last-quarter, this-year or last-year";
    CHECK(usage_error_of([&] { resolve_since("last-fortnight", as_of, WeekStart::monday); }) ==
          "--since 'last-fortnight': not a date or a relative day | " + forms);
    CHECK(usage_error_of([&] { resolve_until("last-weak", as_of, WeekStart::monday); }) ==
          "--until 'last-weak': not a date or a relative day | did you mean last-week? Or " + forms);
    CHECK(usage_error_of([&] { resolve_since("0d", as_of, WeekStart::monday); }) ==
          "--since '0d': counts no days | use 1d for the as-of day alone (or 'today')");
    CHECK(usage_error_of([&] { resolve_until("2026-02-30", as_of, WeekStart::monday); }) ==
          "--until '2026-02-30': no such day (2026-02 has 28 days) | " + forms);
    CHECK(usage_error_of([&] { resolve_since("123456d", as_of, WeekStart::monday); }) ==
          "--since '123456d': not a date or a relative day | " + forms);
    CHECK(usage_error_of([&] { resolve_since("", as_of, WeekStart::monday); }) ==
          "--since '': not a date or a relative day | " + forms);
    CHECK(usage_error_of([&] { resolve_since("3/14/2026", as_of, WeekStart::monday); }) ==
          "--since '3/14/2026': not a date or a relative day | " + forms);

    CHECK(parse_day("2026-11-23") == as_of);
    CHECK(parse_day(" 2026-11-23 ") == as_of);
    CHECK(usage_error_of([] { parse_day("2026-02-30"); }) ==
          "'2026-02-30' is not a day: 2026-02 has 28 days | for example 2026-03-31");
    CHECK(usage_error_of([] { parse_day("2026-13-01"); }) ==
          "'2026-13-01' is not a day: there is no month 13 | for example 2026-03-31");
    CHECK(usage_error_of([] { parse_day("0000-01-01"); }) ==
          "'0000-01-01' is not a day: there is no year 0 | for example 2026-03-31");
    CHECK(usage_error_of([] { parse_day("2026-2-3"); }) ==
          "expected a day as YYYY-MM-DD, found '2026-2-3' | for example 2026-03-31");
}

TEST_CASE("today comes from the clock, in the zone", "[time]") {
    const std::int64_t today = today_local_day(TimeZone::utc());
    CHECK(today > day(2024, 1, 1));
    const std::int64_t tokyo = today_local_day(TimeZone::locate("Asia/Tokyo"));
    CHECK((tokyo == today || tokyo == today + 1));
}

// ---- Civil arithmetic
// ---------------------------------------------------------------------------------------

TEST_CASE("civil day arithmetic and formatting", "[time]") {
    static_assert(days_from_civil(1970, 1, 1) == 0);
    static_assert(days_from_civil(2000, 3, 1) == 11017);  // 10957 days to 2000-01-01, + 31 + 29
    static_assert(civil_from_days(-1).year == 1969);
    static_assert(weekday_index(0) == 3);  // 1970-01-01, a Thursday
    static_assert(days_in_month(2024, 2) == 29 && days_in_month(2100, 2) == 28 &&
                  days_in_month(2000, 2) == 29);
    CHECK(weekday_index(day(2026, 11, 23)) == 0);  // Monday
    CHECK(weekday_index(day(1969, 12, 28)) == 6);  // Sunday
    for (std::int64_t d = -800000; d < 3000000; d += 997) {
        const CivilDate c = civil_from_days(d);
        REQUIRE(days_from_civil(c.year, c.month, c.day) == d);
        REQUIRE(c.day <= days_in_month(c.year, c.month));
    }
    int y = 0;
    unsigned m = 0;
    unsigned dd = 0;
    civil_from_days(day(2000, 2, 29), y, m, dd);
    CHECK((y == 2000 && m == 2 && dd == 29));
    CHECK(format_day(day(2000, 2, 29)) == "2000-02-29");
    CHECK(format_day(day(1, 1, 1)) == "0001-01-01");
    CHECK(format_day(day(9999, 12, 31)) == "9999-12-31");
    CHECK(format_day(day(-1, 12, 31)) == "-1-12-31");
    CHECK(format_local_time(-1) == "1969-12-31 23:59:59");
    CHECK(format_local_time(day(2026, 2, 16) * 86400 + 14 * 3600LL + 5 * 60LL) == "2026-02-16 14:05:00");
}

TEST_CASE("formatted times parse back to the same instant", "[time]") {
    // The round trip the fuzz target relies on, over a spread of instants from year 1 to 9999.
    for (std::int64_t s = -62135596800; s < 253402300800; s += 7777777 * 13 + 17) {
        ParsedTime t;
        const std::string text = format_local_time(s);
        const TimeParse status = parse_time(text, DateOrder::unknown, t);
        const CivilDate c = civil_from_days(s >= 0 ? s / 86400 : (s - 86399) / 86400);
        if (status == TimeParse::no_date) {
            REQUIRE(((c.year == 1 || c.year == 9999 || c.year == 1899 || c.year == 1900)));
            continue;
        }
        REQUIRE(status == TimeParse::ok);
        REQUIRE(t.seconds == s);
        REQUIRE_FALSE(t.absolute);
    }
}
