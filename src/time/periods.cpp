// Periods (day, ISO week, month, quarter, year) as sortable keys and readable labels, and the relative day
// forms that --since and --until accept.
#include <fmt/format.h>

#include "csat/error.hpp"
#include "csat/text.hpp"
#include "csat/time.hpp"

namespace csat {

namespace {

std::int64_t floor_mod(std::int64_t a, std::int64_t b) {
    std::int64_t r = a % b;
    return r < 0 ? r + b : r;
}

// 1970-01-01 was a Thursday.
std::int64_t week_start_day(std::int64_t day, WeekStart ws) {
    std::int64_t offset = ws == WeekStart::monday ? floor_mod(day + 3, 7) : floor_mod(day + 4, 7);
    return day - offset;
}

std::int64_t month_start(std::int64_t day, unsigned months_per_period) {
    int y = 0;
    unsigned m = 0;
    unsigned d = 0;
    civil_from_days(day, y, m, d);
    unsigned first = (m - 1) / months_per_period * months_per_period + 1;
    return days_from_civil(y, first, 1);
}

// The first day of the period `steps` periods after the one starting at key (steps may be negative).
std::int64_t shift_period(std::int64_t key, Period period, WeekStart ws, int steps) {
    switch (period) {
        case Period::day:
            return key + steps;
        case Period::week:
            return key + std::int64_t{7} * steps;
        case Period::month:
        case Period::quarter:
        case Period::year: {
            int months = period == Period::month ? 1 : period == Period::quarter ? 3 : 12;
            int y = 0;
            unsigned m = 0;
            unsigned d = 0;
            civil_from_days(key, y, m, d);
            int total = y * 12 + static_cast<int>(m) - 1 + steps * months;
            int ny = total >= 0 ? total / 12 : (total - 11) / 12;
            auto nm = static_cast<unsigned>(total - ny * 12 + 1);
            return days_from_civil(ny, nm, 1);
        }
        case Period::none:
            break;
    }
    (void)ws;
    return key;
}

std::string relative_forms() {
    return "use YYYY-MM-DD, Nd, Nw, today, yesterday, this-week, last-week, this-month, last-month, this-quarter, "
           "last-quarter, this-year or last-year";
}

// Resolves a relative or absolute day; `end` picks the last day of a named period.
std::int64_t resolve(std::string_view text, std::int64_t as_of, WeekStart ws, bool end, const char* flag) {
    std::string t = to_lower_ascii(trim(text));
    if (t == "today") {
        return as_of;
    }
    if (t == "yesterday") {
        return as_of - 1;
    }
    if (t.size() >= 2 && (t.back() == 'd' || t.back() == 'w')) {
        std::string digits = t.substr(0, t.size() - 1);
        bool ok = !digits.empty() && digits.size() <= 5 &&
                  digits.find_first_not_of("0123456789") == std::string::npos;
        if (ok) {
            std::int64_t n = std::stoll(digits) * (t.back() == 'w' ? 7 : 1);
            // --since 7d: the 7 days ending at as-of; --until 7d: up to 7 days before as-of.
            return end ? as_of - n : as_of - n + 1;
        }
    }
    for (const auto& [name, period] : {std::pair{"week", Period::week}, std::pair{"month", Period::month},
                                       std::pair{"quarter", Period::quarter}, std::pair{"year", Period::year}}) {
        for (int back : {0, 1}) {
            if (t == std::string(back ? "last-" : "this-") + name) {
                std::int64_t start = shift_period(period_key(as_of, period, ws), period, ws, -back);
                return end ? shift_period(start, period, ws, 1) - 1 : start;
            }
        }
    }
    try {
        return parse_day(t);
    } catch (const Error&) {
        throw Error(ErrorKind::usage, fmt::format("{} '{}': not a date or a relative day", flag, text),
                    relative_forms());
    }
}

}  // namespace

Period parse_period(std::string_view text) {
    std::string t = to_lower_ascii(trim(text));
    if (t == "day") {
        return Period::day;
    }
    if (t == "week") {
        return Period::week;
    }
    if (t == "month") {
        return Period::month;
    }
    if (t == "quarter") {
        return Period::quarter;
    }
    if (t == "year") {
        return Period::year;
    }
    throw Error(ErrorKind::usage, fmt::format("--period '{}': expected day, week, month, quarter or year", text),
                "for example --period week");
}

std::int64_t period_key(std::int64_t local_day, Period period, WeekStart week_start) {
    switch (period) {
        case Period::none:
        case Period::day:
            return local_day;
        case Period::week:
            return week_start_day(local_day, week_start);
        case Period::month:
            return month_start(local_day, 1);
        case Period::quarter:
            return month_start(local_day, 3);
        case Period::year:
            return month_start(local_day, 12);
    }
    return local_day;
}

std::string period_label(std::int64_t key, Period period, WeekStart week_start) {
    int y = 0;
    unsigned m = 0;
    unsigned d = 0;
    switch (period) {
        case Period::none:
        case Period::day:
            return format_day(key);
        case Period::week: {
            if (week_start == WeekStart::sunday) {
                return format_day(key);
            }
            // ISO 8601: the week belongs to the year of its Thursday.
            std::int64_t thursday = key + 3;
            civil_from_days(thursday, y, m, d);
            std::int64_t week = (thursday - days_from_civil(y, 1, 1)) / 7 + 1;
            return fmt::format("{:04}-W{:02}", y, week);
        }
        case Period::month:
            civil_from_days(key, y, m, d);
            return fmt::format("{:04}-{:02}", y, m);
        case Period::quarter:
            civil_from_days(key, y, m, d);
            return fmt::format("{:04}-Q{}", y, (m - 1) / 3 + 1);
        case Period::year:
            civil_from_days(key, y, m, d);
            return fmt::format("{:04}", y);
    }
    return format_day(key);
}

std::int64_t parse_day(std::string_view yyyy_mm_dd) {
    ParsedTime t;
    std::string_view s = trim(yyyy_mm_dd);
    if (s.size() == 10 && s[4] == '-' && s[7] == '-' && parse_time(s, DateOrder::unknown, t) == TimeParse::ok) {
        return t.seconds / 86400;
    }
    throw Error(ErrorKind::usage, fmt::format("'{}': expected a day as YYYY-MM-DD", yyyy_mm_dd),
                "for example --as-of 2026-03-31");
}

std::int64_t resolve_since(std::string_view text, std::int64_t as_of_day, WeekStart week_start) {
    return resolve(text, as_of_day, week_start, false, "--since");
}

std::int64_t resolve_until(std::string_view text, std::int64_t as_of_day, WeekStart week_start) {
    return resolve(text, as_of_day, week_start, true, "--until");
}

}  // namespace csat
