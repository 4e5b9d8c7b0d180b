// Fuzz target for the date parser, the day/month sniffer and what is built on a parsed time (zone round trip,
// period keys). The input is read in place, not copied, so ASan sees any read past its end. Properties
// checked: nothing throws; an explicit order never leaves a date ambiguous, and the three orders agree with
// each other; an ok time formats back to text that parses to the same instant; the sniffer agrees with the
// parser; a naive time survives a trip through a DST zone (moved forward by at most the gap); a day lies in
// its period.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "csat/time.hpp"

namespace {

constexpr std::int64_t k_year1 = -62135596800;                  // 0001-01-01T00:00:00Z
constexpr std::int64_t k_year10000 = 253402300800;              // 10000-01-01T00:00:00Z
constexpr std::int64_t k_max_offset = std::int64_t{19} * 3600;  // offsets are at most +-18:59

void check(bool ok) {
    if (!ok) {
        std::abort();
    }
}

void check_round_trip(const csat::ParsedTime& t) {
    if (t.seconds < k_year1 || t.seconds >= k_year10000) {
        return;  // an offset pushed it outside years 1..9999, which the canonical text cannot write
    }
    const std::string again = csat::format_local_time(t.seconds) + (t.absolute ? "Z" : "");
    csat::ParsedTime u;
    const csat::TimeParse status = csat::parse_time(again, csat::DateOrder::unknown, u);
    // An offset can move a real date onto a placeholder day (1900-01-02T01:00+05:00 is 1900-01-01 UTC).
    check(status == csat::TimeParse::no_date ||
          (status == csat::TimeParse::ok && u.seconds == t.seconds && u.absolute == t.absolute));
}

void check_zone_and_periods(const csat::ParsedTime& t) {
    static const csat::TimeZone berlin = csat::TimeZone::locate("Europe/Berlin");
    if (!t.absolute) {
        const std::int64_t back = berlin.local_seconds(berlin.to_utc(t));
        check(back >= t.seconds &&
              back - t.seconds <= std::int64_t{2} * 3600);  // unchanged, or moved forward over a gap
    }
    const std::int64_t day = berlin.local_day(t.absolute ? t.seconds : berlin.to_utc(t));
    for (csat::Period p : {csat::Period::day, csat::Period::week, csat::Period::month, csat::Period::quarter,
                           csat::Period::year}) {
        for (csat::WeekStart ws : {csat::WeekStart::monday, csat::WeekStart::sunday}) {
            const std::int64_t key = csat::period_key(day, p, ws);
            check(key <= day && day < csat::shift_period(key, p, ws, 1));
            check(csat::period_key(key, p, ws) == key);
            check(!csat::period_label(key, p, ws).empty());
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);

    csat::ParsedTime by_order[3];
    csat::TimeParse status[3];
    const csat::DateOrder orders[3] = {csat::DateOrder::unknown, csat::DateOrder::dmy, csat::DateOrder::mdy};
    for (int i = 0; i < 3; ++i) {
        status[i] = csat::parse_time(text, orders[i], by_order[i]);
        if (status[i] == csat::TimeParse::ok) {
            check(by_order[i].seconds >= k_year1 - k_max_offset &&
                  by_order[i].seconds < k_year10000 + k_max_offset);
            check_round_trip(by_order[i]);
        }
    }
    const csat::TimeParse unknown = status[0];
    check(status[1] != csat::TimeParse::ambiguous && status[2] != csat::TimeParse::ambiguous);
    check((unknown == csat::TimeParse::empty) == (status[1] == csat::TimeParse::empty));
    if (unknown == csat::TimeParse::ambiguous) {
        // Both readings are real dates, and different ones.
        check(status[1] == csat::TimeParse::ok && status[2] == csat::TimeParse::ok);
        check(by_order[1].seconds != by_order[2].seconds);
    }
    if (unknown == csat::TimeParse::invalid) {
        check(status[1] == csat::TimeParse::invalid && status[2] == csat::TimeParse::invalid);
    }
    if (unknown == csat::TimeParse::ok) {
        // Without an order the parser only reads what one of the orders reads.
        check((status[1] == csat::TimeParse::ok && by_order[1].seconds == by_order[0].seconds) ||
              (status[2] == csat::TimeParse::ok && by_order[2].seconds == by_order[0].seconds));
        check_zone_and_periods(by_order[0]);
    }

    // The sniffer on this one value must agree with the parser's view of it.
    csat::DateOrderSniffer one;
    one.feed(text);
    check(one.dmy_votes() + one.mdy_votes() <= one.slash_dates());
    if (unknown == csat::TimeParse::ambiguous) {
        check(one.result() == csat::DateOrder::unknown);
    }
    if (one.result() == csat::DateOrder::dmy) {
        check(status[2] != csat::TimeParse::ok);  // a value that only reads day-first cannot read month-first
    }
    if (one.result() == csat::DateOrder::mdy) {
        check(status[1] != csat::TimeParse::ok);
    }

    // Fed line by line, as a column.
    csat::DateOrderSniffer column;
    std::size_t start = 0;
    while (start <= size) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) {
            end = size;
        }
        column.feed(text.substr(start, end - start));
        start = end + 1;
    }
    check(!column.conflicting() || column.result() == csat::DateOrder::unknown);
    check(column.result() != csat::DateOrder::dmy || (column.dmy_votes() > 0 && column.mdy_votes() == 0));
    check(column.result() != csat::DateOrder::mdy || (column.mdy_votes() > 0 && column.dmy_votes() == 0));
    return 0;
}
