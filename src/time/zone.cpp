// Time zones through the IANA database (Howard Hinnant's date, reading the system tzdata). Each TimeZone
// caches the offset interval of its last lookup: rows of one export mostly fall between the same two DST
// changes, so most lookups are two compares and an add.
#include <algorithm>
#include <chrono>
#include <limits>

#include "csat/error.hpp"
#include "csat/text.hpp"
#include "csat/time.hpp"
#include "time/date_tz.hpp"

namespace csat {

namespace {

// Lookups are clamped to years 1..9999: the date library's own arithmetic is not meant for the whole int64
// range, and no timestamp csat parses lies outside it.
constexpr std::int64_t k_lookup_min = -62135596800;  // 0001-01-01T00:00:00Z
constexpr std::int64_t k_lookup_max = 253402300799;  // 9999-12-31T23:59:59Z
// No two neighbouring offsets of a zone differ by a day or more, so a naive time whose naive reading lands a
// day inside the cached interval has exactly one reading.
constexpr std::int64_t k_one_day = 86400;

bool is_utc_alias(std::string_view name) {
    for (std::string_view alias : {"utc", "etc/utc", "z", "zulu", "gmt", "etc/gmt", "uct", "universal"}) {
        if (iequals(name, alias)) {
            return true;
        }
    }
    return false;
}

// "+02:00", "UTC+2", "GMT-5": a fixed offset, which IANA spells Etc/GMT-2 (the sign is inverted there).
std::string offset_hint(std::string_view name) {
    std::string_view rest = name;
    for (std::string_view prefix : {"utc", "gmt"}) {
        if (rest.size() > prefix.size() && iequals(rest.substr(0, prefix.size()), prefix)) {
            rest.remove_prefix(prefix.size());
        }
    }
    if (rest.size() < 2 || (rest[0] != '+' && rest[0] != '-')) {
        return {};
    }
    int hours = 0;
    std::size_t i = 1;
    while (i < rest.size() && i < 3 && rest[i] >= '0' && rest[i] <= '9') {
        hours = hours * 10 + (rest[i] - '0');
        ++i;
    }
    if (i == 1 || hours > 14) {
        return {};
    }
    char inverted = rest[0] == '+' ? '-' : '+';
    return fmt::format(
        "for a fixed offset use Etc/GMT{}{} (IANA inverts the sign), or better the place's zone, "
        "which knows its DST changes",
        inverted, hours);
}

const date::time_zone* find_ignoring_case(std::string_view name) {
    for (const date::time_zone& zone : date::get_tzdb().zones) {
        if (iequals(zone.name(), name)) {
            return &zone;
        }
    }
    return nullptr;
}

std::string nearest_zone_hint(std::string_view name) {
    std::string best;
    std::size_t best_distance = std::numeric_limits<std::size_t>::max();
    std::string wanted = to_lower_ascii(name);
    for (const date::time_zone& zone : date::get_tzdb().zones) {
        std::string candidate(zone.name());
        std::size_t d = edit_distance(wanted, to_lower_ascii(candidate));
        if (d < best_distance) {
            best_distance = d;
            best = std::move(candidate);
        }
    }
    // Close enough to be a typo ("Europe/Berln", "America/NewYork"); anything further would be a guess.
    if (!best.empty() && best_distance <= std::max<std::size_t>(2, wanted.size() / 5)) {
        return fmt::format(
            "did you mean {}? Zones are IANA names such as Europe/Berlin, America/New_York or UTC", best);
    }
    return "use an IANA name such as Europe/Berlin, America/New_York or UTC";
}

}  // namespace

TimeZone TimeZone::utc() {
    return TimeZone{};
}

TimeZone TimeZone::locate(std::string_view iana_name) {
    std::string_view name = trim(iana_name);
    TimeZone tz;
    if (name.empty() || is_utc_alias(name)) {
        return tz;
    }
    try {
        tz.m_zone = date::locate_zone(std::string(name));
    } catch (const std::exception&) {
        tz.m_zone = nullptr;
    }
    if (tz.m_zone == nullptr) {
        std::string hint;
        try {
            // IANA names differ in more than case, so "europe/berlin" can only mean one zone.
            tz.m_zone = find_ignoring_case(name);
            if (tz.m_zone != nullptr) {
                tz.m_name = std::string(tz.m_zone->name());
                return tz;
            }
            hint = offset_hint(name);
            if (hint.empty()) {
                hint = nearest_zone_hint(name);
            }
        } catch (const std::exception& e) {
            // Not this name's fault: the database itself cannot be read.
            throw Error(ErrorKind::io, fmt::format("cannot read the time zone database: {}", e.what()),
                        "install the tzdata package (it provides /usr/share/zoneinfo), or use --tz UTC");
        }
        throw Error(ErrorKind::usage, fmt::format("unknown time zone '{}'", name), hint);
    }
    tz.m_name = std::string(name);
    return tz;
}

void TimeZone::refresh(std::int64_t utc_seconds) const {
    const std::int64_t at = std::clamp(utc_seconds, k_lookup_min, k_lookup_max);
    const date::sys_info info = m_zone->get_info(date::sys_seconds{std::chrono::seconds{at}});
    m_offset = info.offset.count();
    if (at != utc_seconds) {
        // Out of range: answer with the edge's offset but cache nothing, so the next call looks again.
        m_begin = 0;
        m_end = 0;
        return;
    }
    m_begin = info.begin.time_since_epoch().count();
    m_end = info.end.time_since_epoch().count();
}

std::int64_t TimeZone::local_seconds(std::int64_t utc_seconds) const {
    if (m_zone == nullptr) {
        return utc_seconds;
    }
    if (utc_seconds < m_begin || utc_seconds >= m_end) {
        refresh(utc_seconds);
    }
    return utc_seconds + m_offset;
}

std::int64_t TimeZone::local_day(std::int64_t utc_seconds) const {
    const std::int64_t local = local_seconds(utc_seconds);
    return local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
}

std::int64_t TimeZone::to_utc(const ParsedTime& t) const {
    if (t.absolute || m_zone == nullptr) {
        return t.seconds;
    }
    // Fast path: read with the cached offset; a reading a day clear of the interval's edges is the only one.
    const std::int64_t guess = t.seconds - m_offset;
    if (guess >= m_begin && guess < m_end && guess - m_begin >= k_one_day && m_end - guess > k_one_day) {
        return guess;
    }
    const std::int64_t local = std::clamp(t.seconds, k_lookup_min, k_lookup_max);
    const date::local_info info = m_zone->get_info(date::local_seconds{std::chrono::seconds{local}});
    // `first` is the interval before the change in every case. Unique: the only one. Nonexistent (spring
    // gap): reading with the earlier, smaller offset lands after the change, i.e. moved forward by the gap.
    // Ambiguous (autumn overlap): the earlier interval has the larger offset and gives the earlier instant.
    const std::int64_t utc = t.seconds - info.first.offset.count();
    refresh(utc);
    return utc;
}

std::int64_t today_local_day(const TimeZone& tz) {
    const auto now =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
    return tz.local_day(static_cast<std::int64_t>(now.count()));
}

}  // namespace csat
