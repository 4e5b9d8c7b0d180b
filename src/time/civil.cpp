// Civil-calendar arithmetic on day numbers (days since 1970-01-01), proleptic Gregorian, valid for any year
// an export can hold. The algorithm shifts the year to start in March so that leap days fall at the end.
#include <fmt/format.h>

#include "csat/time.hpp"

namespace csat {

std::int64_t days_from_civil(int y, unsigned m, unsigned d) {
    std::int64_t year = static_cast<std::int64_t>(y) - (m <= 2 ? 1 : 0);
    std::int64_t era = (year >= 0 ? year : year - 399) / 400;
    auto yoe = static_cast<std::int64_t>(year - era * 400);                            // [0, 399]
    std::int64_t mp = m > 2 ? static_cast<std::int64_t>(m) - 3 : static_cast<std::int64_t>(m) + 9;  // March = 0
    std::int64_t doy = (153 * mp + 2) / 5 + static_cast<std::int64_t>(d) - 1;        // [0, 365]
    std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;                         // [0, 146096]
    return era * 146097 + doe - 719468;
}

void civil_from_days(std::int64_t days, int& y, unsigned& m, unsigned& d) {
    std::int64_t z = days + 719468;
    std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    std::int64_t doe = z - era * 146097;
    std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    std::int64_t mp = (5 * doy + 2) / 153;
    d = static_cast<unsigned>(doy - (153 * mp + 2) / 5 + 1);
    m = static_cast<unsigned>(mp < 10 ? mp + 3 : mp - 9);
    y = static_cast<int>(yoe + era * 400 + (m <= 2 ? 1 : 0));
}

std::string format_day(std::int64_t local_day) {
    int y = 0;
    unsigned m = 0;
    unsigned d = 0;
    civil_from_days(local_day, y, m, d);
    return fmt::format("{:04}-{:02}-{:02}", y, m, d);
}

std::string format_local_time(std::int64_t local_seconds) {
    std::int64_t day = local_seconds >= 0 ? local_seconds / 86400 : (local_seconds - 86399) / 86400;
    std::int64_t sec = local_seconds - day * 86400;
    return fmt::format("{} {:02}:{:02}:{:02}", format_day(day), sec / 3600, (sec / 60) % 60, sec % 60);
}

}  // namespace csat
