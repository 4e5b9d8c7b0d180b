// Periods (day, week, month, quarter, year) as sortable keys and readable labels. A key is the local day
// number of the period's first day, so keys sort in time order and the next key is a day-number step away.
#include <fmt/format.h>

#include "csat/error.hpp"
#include "csat/text.hpp"
#include "csat/time.hpp"

namespace csat {

namespace {

std::int64_t week_start_day(std::int64_t day, WeekStart week_start) {
    const unsigned monday_based = weekday_index(day);  // 0 = Monday
    const unsigned into_week = week_start == WeekStart::monday ? monday_based : (monday_based + 1) % 7;
    return day - into_week;
}

std::int64_t months_per(Period period) {
    switch (period) {
        case Period::month:
            return 1;
        case Period::quarter:
            return 3;
        case Period::year:
            return 12;
        default:
            return 0;
    }
}

std::int64_t month_period_start(std::int64_t day, std::int64_t months) {
    const CivilDate c = civil_from_days(day);
    const auto first = static_cast<unsigned>((static_cast<std::int64_t>(c.month) - 1) / months * months + 1);
    return days_from_civil(c.year, first, 1);
}

}  // namespace

Period parse_period(std::string_view text) {
    static constexpr std::pair<std::string_view, Period> k_periods[] = {{"day", Period::day},
                                                                        {"week", Period::week},
                                                                        {"month", Period::month},
                                                                        {"quarter", Period::quarter},
                                                                        {"year", Period::year}};
    std::string_view t = trim(text);
    for (const auto& [name, period] : k_periods) {
        if (iequals(t, name)) {
            return period;
        }
    }
    // "weekly", "daily", "months", "quartely": an adjective, a plural or a slip still names one period: say
    // which.
    std::string lower = to_lower_ascii(t);
    std::string_view guess;
    for (const auto& [name, period] : k_periods) {
        if ((lower.size() >= 2 && lower.rfind(name.substr(0, 2), 0) == 0) ||
            edit_distance(lower, name) <= 2) {
            guess = name;
            break;
        }
    }
    throw Error(ErrorKind::usage,
                fmt::format("--period '{}': expected day, week, month, quarter or year", text),
                guess.empty() ? std::string("for example --period week")
                              : fmt::format("did you mean --period {}?", guess));
}

std::int64_t period_key(std::int64_t local_day, Period period, WeekStart week_start) {
    switch (period) {
        case Period::none:
        case Period::day:
            return local_day;
        case Period::week:
            return week_start_day(local_day, week_start);
        case Period::month:
        case Period::quarter:
        case Period::year:
            return month_period_start(local_day, months_per(period));
    }
    return local_day;
}

std::int64_t shift_period(std::int64_t key, Period period, WeekStart week_start, std::int64_t steps) {
    switch (period) {
        case Period::none:
        case Period::day:
            return key + steps;
        case Period::week:
            return week_start_day(key, week_start) + 7 * steps;
        case Period::month:
        case Period::quarter:
        case Period::year: {
            const CivilDate c = civil_from_days(key);
            // Count in months from year 0 so that floor division carries into the year.
            const std::int64_t total =
                static_cast<std::int64_t>(c.year) * 12 + c.month - 1 + steps * months_per(period);
            const std::int64_t year = total >= 0 ? total / 12 : (total - 11) / 12;
            const auto month = static_cast<unsigned>(total - year * 12 + 1);
            return month_period_start(days_from_civil(static_cast<int>(year), month, 1), months_per(period));
        }
    }
    return key;
}

std::string period_label(std::int64_t key, Period period, WeekStart week_start) {
    const CivilDate c = civil_from_days(key);
    switch (period) {
        case Period::none:
        case Period::day:
            return format_day(key);
        case Period::week: {
            if (week_start == WeekStart::sunday) {
                return format_day(key);
            }
            // ISO 8601: a week belongs to the year that holds its Thursday, and week 1 is the one with the
            // year's first Thursday, so the week number is the Thursday's day-of-year / 7, plus one.
            const std::int64_t thursday = week_start_day(key, WeekStart::monday) + 3;
            const int iso_year = civil_from_days(thursday).year;
            const std::int64_t week = (thursday - days_from_civil(iso_year, 1, 1)) / 7 + 1;
            return fmt::format("{:04}-W{:02}", iso_year, week);
        }
        case Period::month:
            return fmt::format("{:04}-{:02}", c.year, c.month);
        case Period::quarter:
            return fmt::format("{:04}-Q{}", c.year, (c.month - 1) / 3 + 1);
        case Period::year:
            return fmt::format("{:04}", c.year);
    }
    return format_day(key);
}

}  // namespace csat
