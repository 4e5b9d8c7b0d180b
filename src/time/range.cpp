// The days that --since, --until and --as-of name: an absolute YYYY-MM-DD or a form relative to the as-of
// day. Every failure is a usage error that names the flag and lists the forms, since the user typed the
// value.
#include <array>

#include <fmt/format.h>

#include "csat/error.hpp"
#include "csat/text.hpp"
#include "csat/time.hpp"

namespace csat {

namespace {

enum class Bound { since, until };

constexpr std::string_view k_forms =
    "use YYYY-MM-DD, Nd (N days), Nw (N weeks), today, yesterday, this-week, last-week, this-month, "
    "last-month, "
    "this-quarter, last-quarter, this-year or last-year";

constexpr std::array<std::string_view, 10> k_named = {
    "today",      "yesterday",    "this-week",    "last-week", "this-month",
    "last-month", "this-quarter", "last-quarter", "this-year", "last-year"};

const char* flag_of(Bound bound) {
    return bound == Bound::since ? "--since" : "--until";
}

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

// YYYY-MM-DD by shape: four digits, '-', two digits, '-', two digits.
bool day_shaped(std::string_view s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') {
        return false;
    }
    constexpr std::array<std::size_t, 8> k_digit_at = {0, 1, 2, 3, 5, 6, 8, 9};
    for (std::size_t i : k_digit_at) {
        if (!is_digit(s[i])) {
            return false;
        }
    }
    return true;
}

int number_at(std::string_view s, std::size_t from, std::size_t count) {
    int v = 0;
    for (std::size_t i = from; i < from + count; ++i) {
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

// Checks a day-shaped text; on an impossible day, says why ("2026-02 has 28 days").
bool real_day(std::string_view s, std::int64_t& day, std::string& why) {
    const int y = number_at(s, 0, 4);
    const auto m = static_cast<unsigned>(number_at(s, 5, 2));
    const auto d = static_cast<unsigned>(number_at(s, 8, 2));
    if (y < 1) {
        why = "there is no year 0";
        return false;
    }
    if (m < 1 || m > 12) {
        why = fmt::format("there is no month {:02}", m);
        return false;
    }
    if (d < 1 || d > days_in_month(y, m)) {
        why = fmt::format("{:04}-{:02} has {} days", y, m, days_in_month(y, m));
        return false;
    }
    day = days_from_civil(y, m, d);
    return true;
}

// "7d", "4w": N >= 1 with at most five digits (ample: 99999 days is 273 years).
bool count_form(std::string_view t, std::int64_t& days, bool& zero) {
    if (t.size() < 2 || t.size() > 6 || (t.back() != 'd' && t.back() != 'w')) {
        return false;
    }
    std::int64_t n = 0;
    for (std::size_t i = 0; i + 1 < t.size(); ++i) {
        if (!is_digit(t[i])) {
            return false;
        }
        n = n * 10 + (t[i] - '0');
    }
    zero = n == 0;
    days = t.back() == 'w' ? 7 * n : n;
    return true;
}

// "this-month", "last-quarter", ...: the period's first day for --since, its last day for --until.
bool named_period(std::string_view t, std::int64_t as_of, WeekStart week_start, Bound bound,
                  std::int64_t& day) {
    static constexpr std::pair<std::string_view, Period> k_periods[] = {{"week", Period::week},
                                                                        {"month", Period::month},
                                                                        {"quarter", Period::quarter},
                                                                        {"year", Period::year}};
    std::int64_t back = 0;
    if (t.rfind("last-", 0) == 0) {
        back = 1;
    } else if (t.rfind("this-", 0) != 0) {
        return false;
    }
    std::string_view unit = t.substr(5);
    for (const auto& [name, period] : k_periods) {
        if (unit == name) {
            const std::int64_t start =
                shift_period(period_key(as_of, period, week_start), period, week_start, -back);
            day = bound == Bound::since ? start : shift_period(start, period, week_start, 1) - 1;
            return true;
        }
    }
    return false;
}

std::int64_t resolve(std::string_view text, std::int64_t as_of, WeekStart week_start, Bound bound) {
    // "Last_Week" and "last week" (quoted in a shell) mean last-week.
    std::string t = to_lower_ascii(trim(text));
    for (char& ch : t) {
        if (ch == '_' || ch == ' ') {
            ch = '-';
        }
    }
    if (t == "today") {
        return as_of;
    }
    if (t == "yesterday") {
        return as_of - 1;
    }
    std::int64_t day = 0;
    bool zero = false;
    if (count_form(t, day, zero)) {
        if (zero) {
            throw Error(ErrorKind::usage, fmt::format("{} '{}': counts no days", flag_of(bound), text),
                        "use 1d for the as-of day alone (or 'today')");
        }
        // since: the N days ending at as_of, so as_of - N + 1; until: the day before those, as_of - N.
        return bound == Bound::since ? as_of - day + 1 : as_of - day;
    }
    if (named_period(t, as_of, week_start, bound, day)) {
        return day;
    }
    if (day_shaped(t)) {
        std::string why;
        if (!real_day(t, day, why)) {
            throw Error(ErrorKind::usage, fmt::format("{} '{}': no such day ({})", flag_of(bound), text, why),
                        std::string(k_forms));
        }
        return day;
    }
    std::string hint(k_forms);
    for (std::string_view name : k_named) {
        if (edit_distance(t, name) <= 2) {
            hint = fmt::format("did you mean {}? Or {}", name, k_forms);
            break;
        }
    }
    throw Error(ErrorKind::usage, fmt::format("{} '{}': not a date or a relative day", flag_of(bound), text),
                hint);
}

}  // namespace

std::int64_t parse_day(std::string_view yyyy_mm_dd) {
    std::string_view s = trim(yyyy_mm_dd);
    if (!day_shaped(s)) {
        throw Error(ErrorKind::usage, fmt::format("expected a day as YYYY-MM-DD, found '{}'", yyyy_mm_dd),
                    "for example 2026-03-31");
    }
    std::int64_t day = 0;
    std::string why;
    if (!real_day(s, day, why)) {
        throw Error(ErrorKind::usage, fmt::format("'{}' is not a day: {}", yyyy_mm_dd, why),
                    "for example 2026-03-31");
    }
    return day;
}

std::int64_t resolve_since(std::string_view text, std::int64_t as_of_day, WeekStart week_start) {
    return resolve(text, as_of_day, week_start, Bound::since);
}

std::int64_t resolve_until(std::string_view text, std::int64_t as_of_day, WeekStart week_start) {
    return resolve(text, as_of_day, week_start, Bound::until);
}

}  // namespace csat
