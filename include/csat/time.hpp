// Time: parsing the timestamps that support exports write (ISO 8601, US and day-first slash dates, epoch
// seconds), telling day-first from month-first by looking at a whole column, converting between UTC and a
// time zone (IANA, DST-correct), and the period keys and labels used for bucketing and filters.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace csat {

// Seconds since 1970-01-01T00:00:00. Absolute times (with Z, an offset, or epoch seconds) are UTC; naive
// times are the local civil time written as if it were UTC, to be resolved by a TimeZone.
struct ParsedTime {
    std::int64_t seconds = 0;
    bool absolute = false;
};

enum class DateOrder { unknown, dmy, mdy };
enum class TimeParse { ok, empty, no_date, invalid, ambiguous };

// Never throws and never allocates: it runs once per date cell.
TimeParse parse_time(std::string_view text, DateOrder order, ParsedTime& out);

// Fed every value of a column: day-first if some first field is over 12, month-first if some second field is.
class DateOrderSniffer {
public:
    void feed(std::string_view text);
    DateOrder result() const;
    bool conflicting() const { return m_dmy && m_mdy; }
    bool saw_slash_dates() const { return m_slash; }

private:
    bool m_dmy = false;
    bool m_mdy = false;
    bool m_slash = false;
};

class TimeZone {
public:
    static TimeZone utc();
    static TimeZone locate(std::string_view iana_name);  // throws Error(usage) for an unknown zone

    const std::string& name() const { return m_name; }
    // Naive -> UTC: in a DST gap the time moves forward by the gap; in an overlap the earlier instant wins.
    std::int64_t to_utc(const ParsedTime& t) const;
    std::int64_t local_seconds(std::int64_t utc_seconds) const;
    std::int64_t local_day(std::int64_t utc_seconds) const;

private:
    struct Cache;
    std::string m_name = "UTC";
    const void* m_zone = nullptr;  // date::time_zone, or null for UTC
    // The offset interval of the last lookup: consecutive rows mostly fall in the same one. Not thread-safe;
    // copy the TimeZone per thread.
    std::shared_ptr<Cache> m_cache;
};

enum class Period { none, day, week, month, quarter, year };
enum class WeekStart { monday, sunday };

Period parse_period(std::string_view text);  // throws Error(usage)
// The local day number of the first day of the period holding local_day: sortable, and the group key.
std::int64_t period_key(std::int64_t local_day, Period period, WeekStart week_start);
// "2026-02-16", ISO week "2026-W07" (ISO week-year), Sunday weeks by first day "2026-02-15", "2026-02",
// "2026-Q1", "2026".
std::string period_label(std::int64_t key, Period period, WeekStart week_start);

std::string format_day(std::int64_t local_day);             // 2026-02-16
std::string format_local_time(std::int64_t local_seconds);  // 2026-02-16 14:05:00

// --since/--until: YYYY-MM-DD, Nd, Nw, today, yesterday, this-|last-week|month|quarter|year, resolved against
// as_of. A named period is its first day for since and its last day for until; both are inclusive days.
std::int64_t resolve_since(std::string_view text, std::int64_t as_of_day, WeekStart week_start);
std::int64_t resolve_until(std::string_view text, std::int64_t as_of_day, WeekStart week_start);
std::int64_t parse_day(std::string_view yyyy_mm_dd);  // throws Error(usage)
std::int64_t today_local_day(const TimeZone& tz);     // the only reader of the clock

std::int64_t days_from_civil(int y, unsigned m, unsigned d);
void civil_from_days(std::int64_t days, int& y, unsigned& m, unsigned& d);

}  // namespace csat
