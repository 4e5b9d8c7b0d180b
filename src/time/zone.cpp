// Time zones through the IANA database (Howard Hinnant's date, reading the system tzdata). Lookups are
// cached per offset interval: rows of one export mostly fall between the same two DST transitions.
#include <chrono>
#include <limits>

#include "csat/error.hpp"
#include "csat/time.hpp"
#include "time/date_tz.hpp"

namespace csat {

struct TimeZone::Cache {
    std::int64_t begin = std::numeric_limits<std::int64_t>::max();  // UTC seconds, [begin, end)
    std::int64_t end = std::numeric_limits<std::int64_t>::min();
    std::int64_t offset = 0;
};

namespace {

const date::time_zone* zone_of(const void* p) { return static_cast<const date::time_zone*>(p); }

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a >= 0 ? a / b : (a - b + 1) / b; }

}  // namespace

TimeZone TimeZone::utc() { return TimeZone{}; }

TimeZone TimeZone::locate(std::string_view iana_name) {
    TimeZone tz;
    if (iana_name.empty() || iana_name == "UTC" || iana_name == "Etc/UTC" || iana_name == "utc" ||
        iana_name == "Z") {
        return tz;
    }
    try {
        tz.m_zone = date::locate_zone(std::string(iana_name));
    } catch (const std::exception&) {
        throw Error(ErrorKind::usage, fmt::format("unknown time zone '{}'", iana_name),
                    "use an IANA name such as Europe/Berlin, America/New_York or UTC");
    }
    tz.m_name = std::string(iana_name);
    tz.m_cache = std::make_shared<Cache>();
    return tz;
}

std::int64_t TimeZone::local_seconds(std::int64_t utc_seconds) const {
    if (!m_zone) {
        return utc_seconds;
    }
    Cache& c = *m_cache;
    if (utc_seconds < c.begin || utc_seconds >= c.end) {
        date::sys_seconds t{std::chrono::seconds{utc_seconds}};
        date::sys_info info = zone_of(m_zone)->get_info(t);
        c.begin = info.begin.time_since_epoch().count();
        c.end = info.end.time_since_epoch().count();
        c.offset = info.offset.count();
    }
    return utc_seconds + c.offset;
}

std::int64_t TimeZone::local_day(std::int64_t utc_seconds) const {
    return floor_div(local_seconds(utc_seconds), 86400);
}

std::int64_t TimeZone::to_utc(const ParsedTime& t) const {
    if (t.absolute || !m_zone) {
        return t.seconds;
    }
    // Fast path: the cached interval's offset maps this local time back into the interval.
    Cache& c = *m_cache;
    std::int64_t guess = t.seconds - c.offset;
    if (guess >= c.begin && guess < c.end && guess - 86400 * 2 >= c.begin && guess + 86400 * 2 < c.end) {
        return guess;
    }
    date::local_seconds lt{std::chrono::seconds{t.seconds}};
    date::local_info info = zone_of(m_zone)->get_info(lt);
    std::int64_t utc = 0;
    switch (info.result) {
        case date::local_info::unique:
            utc = t.seconds - info.first.offset.count();
            break;
        case date::local_info::nonexistent:
            // In the spring gap: read with the offset before the change, which lands after it by the gap.
            utc = t.seconds - info.first.offset.count();
            break;
        case date::local_info::ambiguous:
            // In the autumn overlap: the earlier instant has the larger (pre-change) offset.
            utc = t.seconds - info.first.offset.count();
            break;
    }
    local_seconds(utc);  // refresh the cache around this instant
    return utc;
}

std::int64_t today_local_day(const TimeZone& tz) {
    auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
    return tz.local_day(now.count());
}

}  // namespace csat
