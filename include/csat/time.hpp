// Time: reading the timestamps that support exports write (ISO 8601, US and day-first numeric dates, month
// names, epoch seconds), telling day-first from month-first over a whole column, UTC <-> IANA zone
// (DST-correct), and the period keys, labels and --since/--until days that bucketing and filtering use.
#pragma once

#include <emmintrin.h>

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

namespace date {
class time_zone;
}

namespace csat {

// ---- Civil days
// -------------------------------------------------------------------------------------------- A "day"
// everywhere in csat is a day number: days since 1970-01-01 in the proleptic Gregorian calendar. Inline so
// that the per-row parser pays no call for it.

constexpr std::int64_t days_from_civil(int y, unsigned m, unsigned d) {
    // The year is shifted to start in March so that the leap day is the last day of the shifted year.
    const std::int64_t year = static_cast<std::int64_t>(y) - (m <= 2 ? 1 : 0);
    const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
    const std::int64_t yoe = year - era * 400;  // [0, 399]
    const std::int64_t mp = m > 2 ? static_cast<std::int64_t>(m) - 3 : static_cast<std::int64_t>(m) + 9;
    const std::int64_t doy = (153 * mp + 2) / 5 + static_cast<std::int64_t>(d) - 1;  // [0, 365]
    const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;                  // [0, 146096]
    return era * 146097 + doe - 719468;  // 719468 = days from 0000-03-01 to 1970-01-01
}

struct CivilDate {
    int year = 1970;
    unsigned month = 1;
    unsigned day = 1;
};

constexpr CivilDate civil_from_days(std::int64_t days) {
    const std::int64_t z = days + 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const std::int64_t doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    CivilDate c;
    c.day = static_cast<unsigned>(doy - (153 * mp + 2) / 5 + 1);
    c.month = static_cast<unsigned>(mp < 10 ? mp + 3 : mp - 9);
    c.year = static_cast<int>(yoe + era * 400 + (c.month <= 2 ? 1 : 0));
    return c;
}

// The older out-parameter form, kept for existing callers.
inline void civil_from_days(std::int64_t days, int& y, unsigned& m, unsigned& d) {
    const CivilDate c = civil_from_days(days);
    y = c.year;
    m = c.month;
    d = c.day;
}

constexpr bool is_leap_year(int y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}
// m in 1..12. Arithmetic rather than a table: a constexpr function's local table is rebuilt on every call.
constexpr unsigned days_in_month(int y, unsigned m) {
    if (m == 2) {
        return is_leap_year(y) ? 29 : 28;
    }
    return 30 + ((m + m / 8) & 1);  // 31 for Jan, Mar, May, Jul, Aug, Oct, Dec
}
// 0 = Monday ... 6 = Sunday (ISO numbering minus one). 1970-01-01 was a Thursday.
constexpr unsigned weekday_index(std::int64_t day) {
    const std::int64_t r = (day + 3) % 7;
    return static_cast<unsigned>(r < 0 ? r + 7 : r);
}

std::string format_day(std::int64_t local_day);             // "2026-02-16"
std::string format_local_time(std::int64_t local_seconds);  // "2026-02-16 14:05:00"

// ---- Parsing one timestamp
// ---------------------------------------------------------------------------------

// Seconds since 1970-01-01T00:00:00. For an absolute time (it had Z, UTC/GMT, an offset, or was epoch
// seconds) this is UTC; for a naive (zone-less) time it is the local civil time written as if UTC, for a
// TimeZone to resolve. Fractional seconds are truncated.
struct ParsedTime {
    std::int64_t seconds = 0;
    bool absolute = false;
};

enum class DateOrder { unknown, dmy, mdy };

enum class TimeParse {
    ok,
    empty,      // blank or only spaces
    no_date,    // a placeholder for "no date", see below; not an error
    invalid,    // not a timestamp, or an impossible one (2023-02-29, 13th month, 24:00)
    ambiguous,  // a slash or dash date like 03/04/2026 read with DateOrder::unknown
};
std::string_view time_parse_name(TimeParse status);  // "ok", "empty", "no_date", "invalid", "ambiguous"

// Never throws, never allocates, no locale: it runs once per date cell, millions of times. `out` is written
// only when the result is ok. Accepted (surrounding spaces and tabs ignored, letters case-insensitive):
//   2019-11-22T03:49:52.000Z, 2026-03-29 01:30:00+02:00, ...-0530, ...+01, ... UTC   ISO 8601 / RFC 3339,
//       'T' or spaces before the time, optional seconds and fraction, offset Z | +-HH:MM | +-HHMM | +-HH |
//       UTC | GMT
//   2026-03-29, 2026/03/29 [time]                                                  year first: never
//   ambiguous 11/3/2026 2:22 PM, 3/14/2026, 03/11/2026 14:22, 03-11-2026 14:22:05             slash or dash:
//   `order` decides;
//       with DateOrder::unknown a first field > 12 means day-first, a second > 12 month-first, else ambiguous
//   03.11.2026 14:22                                                                dots: always day-first
//   5 Jan 2020, 5th January 2020, 05-Jan-2020 10:00, Jan 5, 2020 2:22 PM            English month names
//   1700000000                                                                      Unix epoch seconds: 9-11
//       digits and nothing else (1973-03-03 to 5138); shorter digit runs are not dates, longer ones (epoch
//       milliseconds) are invalid rather than guessed
// Any time may carry AM/PM (12 AM = 00, 12 PM = 12; hour 0 or 13+ with AM/PM is invalid) and an offset.
// 24:00 is invalid; a leap second :60 reads as :59. Two-digit years are invalid (which century is a guess).
// no_date: placeholders that exports write for "not yet": any time on 1899-12-30 .. 1900-01-01 (Zendesk's
// 1900-01-01 00:00:00, Excel's day zero, either shifted by a zone offset), on 0001-01-01 (.NET/Go zero value)
// or on 9999-12-31 ("never").
TimeParse parse_time(std::string_view text, DateOrder order, ParsedTime& out);

// parse_time's first step, inline for the per-row loaders: "2024-03-14 12:34:56" (or with 'T'), exactly, the
// form of most export columns. False for anything else, and for years outside 1901-9998 (the placeholders
// among them) and leap seconds, which take the general path.
inline bool parse_plain_timestamp(std::string_view s, ParsedTime& out) {
    if (s.size() != 19) {
        return false;
    }
    // Two overlapping 16-byte loads (SSE2, which every x86-64 processor has) hold "YYYY-MM-DD hh:mm" and
    // "Y-MM-DD hh:mm:ss", checked and read a vector at a time: about 100 instructions where the
    // word-at-a-time version took 130 (the 100k job: 222.8M -> 218.9M).
    const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data()));
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + 3));
    const __m128i zero = _mm_setzero_si128();
    const __m128i da = _mm_sub_epi8(a, _mm_set1_epi8('0'));
    const __m128i db = _mm_sub_epi8(b, _mm_set1_epi8('0'));
    // A digit's byte minus '0' is at most 9 (a byte below '0' wraps around to more). Bit i: byte i.
    auto digits = [&](__m128i d) {
        return _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_subs_epu8(d, _mm_set1_epi8(9)), zero));
    };
    const int dashes_colon = _mm_movemask_epi8(
        _mm_cmpeq_epi8(a, _mm_setr_epi8(0, 0, 0, 0, '-', 0, 0, '-', 0, 0, 0, 0, 0, ':', 0, 0)));
    const int colons = _mm_movemask_epi8(_mm_cmpeq_epi8(b, _mm_set1_epi8(':')));
    const auto t = static_cast<unsigned char>(s[10]);  // ' ' or 'T' (or 't') between date and time
    // a: digits at 0-3, 5-6, 8-9, 11-12, 14-15 (0xDB6F), '-' at 4 and 7 and ':' at 13 (0x2090); b: ':' at 13
    // (the string's 16th byte) and digits at 14-15 (its last two).
    const bool form = ((digits(da) & 0xDB6F) | (dashes_colon & 0x2090)) == 0xFBFF &&
                      ((digits(db) & 0xC000) | (colons & 0x2000)) == 0xE000 &&
                      (t == ' ' || (t | 0x20) == 't');
    // Expected to hold: from the branches GCC otherwise guesses that the arithmetic below is cold, and
    // compiles its divisions by constants to `div` instructions (some 25 cycles each), not multiplies.
    if (__builtin_expect(!form, 0)) {
        return false;
    }
    // The bytes as 16-bit lanes, multiplied by 10, 1, 10, 1 ... and added in pairs: 32-bit lane k holds
    // 10 * byte 2k + byte 2k + 1, the value of the two digits there (separators make other lanes garbage).
    const __m128i tens = _mm_set1_epi32(0x0001000A);
    const __m128i a_low = _mm_madd_epi16(_mm_unpacklo_epi8(da, zero), tens);   // YY YY -M M-
    const __m128i a_high = _mm_madd_epi16(_mm_unpackhi_epi8(da, zero), tens);  // DD _h h: mm
    const __m128i b_low = _mm_madd_epi16(_mm_unpacklo_epi8(db, zero), tens);   // Y- MM -D D_
    const __m128i b_high = _mm_madd_epi16(_mm_unpackhi_epi8(db, zero), tens);  // hh :m m: ss
    const auto y = _mm_extract_epi16(a_low, 0) * 100 + _mm_extract_epi16(a_low, 2);
    const auto m = static_cast<unsigned>(_mm_extract_epi16(b_low, 2));
    const auto d = static_cast<unsigned>(_mm_extract_epi16(a_high, 0));
    const auto h = static_cast<unsigned>(_mm_extract_epi16(b_high, 0));
    const auto mi = static_cast<unsigned>(_mm_extract_epi16(a_high, 6));
    const auto se = static_cast<unsigned>(_mm_extract_epi16(b_high, 6));
    if (static_cast<unsigned>(y - 1901) > 9998 - 1901 || m - 1 > 11 || d - 1 > 30 || h > 23 || mi > 59 ||
        se > 59 || (d > 28 && d > days_in_month(y, m))) {
        return false;
    }
    // days_from_civil for a positive year. Years start in March, so a leap day is the last day of the year
    // before.
    static constexpr std::uint16_t k_days_since_march[13] = {0,   306, 337, 0,   31,  61, 92,
                                                             122, 153, 184, 214, 245, 275};
    const unsigned year = static_cast<unsigned>(y) - (m <= 2 ? 1u : 0u);
    const unsigned days_since_0000_03_01 =
        year * 365 + year / 4 - year / 100 + year / 400 + k_days_since_march[m] + d - 1;
    const std::int64_t days = static_cast<std::int64_t>(days_since_0000_03_01) - 719468;
    out.seconds = days * 86400 + static_cast<std::int64_t>(h * 3600 + mi * 60 + se);
    out.absolute = false;
    return true;
}

// Fed every value of a date column; tells day-first from month-first when some value settles it.
// Only slash and dash dates (D/M/YYYY, M-D-YYYY) are evidence: dotted dates are always day-first, and
// year-first or named-month dates are never ambiguous. A value is evidence for an order only if it is a real
// date in that order and not in the other (13/02/2026 says dmy; 31/02/2026 says nothing).
enum class DateVote : std::uint8_t { none, either, dmy, mdy };  // what one value says: see vote()

class DateOrderSniffer {
  public:
    void feed(std::string_view text) { add(vote(text)); }
    // What one value says, without counting it (any thread), and counting a vote (in input order).
    static DateVote vote(std::string_view text);
    void add(DateVote vote);
    // dmy or mdy when the evidence points one way; unknown with no evidence or conflicting evidence.
    DateOrder result() const;
    bool conflicting() const { return m_dmy_votes > 0 && m_mdy_votes > 0; }
    bool saw_slash_dates() const { return m_slash_dates > 0; }
    // Counts, for messages such as "412 values read day-first, 3 month-first".
    std::uint64_t dmy_votes() const { return m_dmy_votes; }
    std::uint64_t mdy_votes() const { return m_mdy_votes; }
    std::uint64_t slash_dates() const { return m_slash_dates; }

  private:
    std::uint64_t m_dmy_votes = 0;
    std::uint64_t m_mdy_votes = 0;
    std::uint64_t m_slash_dates = 0;
};

// ---- Time zones
// --------------------------------------------------------------------------------------------

// An IANA time zone from the system tzdata, or UTC. Lookups cache the offset interval of the last answer
// (consecutive rows mostly fall between the same two DST changes), so a TimeZone is NOT safe to share between
// threads: give each thread its own copy (copies are cheap: a name, a pointer and the cache).
// Known limit: the system tzdata lists DST changes only up to 2037, and instants after that get the offset in
// force at the end of 2037 (standard time for northern zones), because the date library ignores the rule
// string at the end of each tzdata file.
class TimeZone {
  public:
    static TimeZone utc();
    // Throws Error(usage) "unknown time zone 'X'" with a hint (nearest IANA name, or Etc/GMT-N for an
    // offset). UTC, Etc/UTC, GMT, Z (any case) and the empty name all mean UTC.
    static TimeZone locate(std::string_view iana_name);

    const std::string& name() const { return m_name; }
    bool is_utc() const { return m_zone == nullptr; }

    // Naive -> UTC seconds by this zone; an absolute time is returned as it is. In a DST gap (02:30 on a
    // spring-forward night) the time moves forward by the gap (03:30 summer time); in an overlap (02:30 on a
    // fall-back night) the earlier instant (summer time) wins.
    std::int64_t to_utc(const ParsedTime& t) const;
    // UTC seconds -> local civil seconds (seconds since 1970-01-01 00:00 local, written as if UTC).
    std::int64_t local_seconds(std::int64_t utc_seconds) const;
    // UTC seconds -> local day number.
    std::int64_t local_day(std::int64_t utc_seconds) const;
    // The UTC offset in force at an instant, in seconds (east positive).
    std::int64_t offset_at(std::int64_t utc_seconds) const {
        return local_seconds(utc_seconds) - utc_seconds;
    }

  private:
    void refresh(std::int64_t utc_seconds) const;

    std::string m_name = "UTC";
    const date::time_zone* m_zone = nullptr;  // null means UTC
    // The cached interval [m_begin, m_end) of UTC seconds over which the offset is m_offset. Starts empty.
    mutable std::int64_t m_begin = 0;
    mutable std::int64_t m_end = 0;
    mutable std::int64_t m_offset = 0;
};

// ---- Periods
// -----------------------------------------------------------------------------------------------

enum class Period { none, day, week, month, quarter, year };
enum class WeekStart { monday, sunday };

Period parse_period(std::string_view text);  // day|week|month|quarter|year; throws Error(usage) otherwise
// The local day number of the first day of the period that holds local_day: sortable, and the group key.
// Period::none keys by day.
std::int64_t period_key(std::int64_t local_day, Period period, WeekStart week_start);
// Labels that sort and read well: day "2026-02-16"; Monday weeks as ISO weeks "2026-W07", numbered in the ISO
// week-year (2024-12-30 is "2025-W01", 2021-01-03 is "2020-W53"); Sunday weeks by their first day
// "2026-02-15", since no standard numbers them; month "2026-02"; quarter "2026-Q1"; year "2026".
std::string period_label(std::int64_t key, Period period, WeekStart week_start);
// The key of the period `steps` periods after (or before, if negative) the one starting at key.
std::int64_t shift_period(std::int64_t key, Period period, WeekStart week_start, std::int64_t steps);

// ---- --since / --until / --as-of
// ---------------------------------------------------------------------------

// A day as YYYY-MM-DD or a form relative to as_of (a local day); both bounds are inclusive days.
//   Nd, Nw     N days (Nw = 7N days), N >= 1. --since 7d: the 7 days ending at as_of (from as_of-6).
//              --until 7d: up to as_of-7, the day before "--since 7d" starts, so --since 14d --until 7d is
//              the week before the last 7 days.
//   today, yesterday
//   this-week, last-week, this-month, last-month, this-quarter, last-quarter, this-year, last-year
//              a period's first day for --since, its last day for --until ("this-" counts the whole period,
//              days after as_of included). '_' or a space may stand for '-'.
// Throws Error(usage) naming the flag, with a hint listing the forms.
std::int64_t resolve_since(std::string_view text, std::int64_t as_of_day, WeekStart week_start);
std::int64_t resolve_until(std::string_view text, std::int64_t as_of_day, WeekStart week_start);
std::int64_t parse_day(std::string_view yyyy_mm_dd);  // strict YYYY-MM-DD, for --as-of; throws Error(usage)
std::int64_t today_local_day(const TimeZone& tz);     // the only reader of the clock

}  // namespace csat
