// Day numbers and local seconds as text. The arithmetic lives inline in csat/time.hpp; this file only
// formats, by hand rather than through fmt, because --details and rejects format one time per row.
#include <array>

#include "csat/time.hpp"

namespace csat {

namespace {

// Writes value as exactly `width` digits (value is known to fit) at out[at].
template <std::size_t N>
void put_digits(std::array<char, N>& out, std::size_t at, std::size_t width, std::int64_t value) {
    for (std::size_t k = width; k > 0; --k) {
        out[at + k - 1] = static_cast<char>('0' + value % 10);
        value /= 10;
    }
}

}  // namespace

std::string format_day(std::int64_t local_day) {
    const CivilDate c = civil_from_days(local_day);
    if (c.year < 0 || c.year > 9999) {
        // Outside what any export holds; still readable, just not fixed-width.
        return std::to_string(c.year) + "-" + (c.month < 10 ? "0" : "") + std::to_string(c.month) + "-" +
               (c.day < 10 ? "0" : "") + std::to_string(c.day);
    }
    std::array<char, 10> out{'0', '0', '0', '0', '-', '0', '0', '-', '0', '0'};
    put_digits(out, 0, 4, c.year);
    put_digits(out, 5, 2, c.month);
    put_digits(out, 8, 2, c.day);
    return std::string(out.data(), out.size());
}

std::string format_local_time(std::int64_t local_seconds) {
    const std::int64_t day = local_seconds >= 0 ? local_seconds / 86400 : (local_seconds - 86399) / 86400;
    const std::int64_t sec = local_seconds - day * 86400;  // [0, 86399]
    std::array<char, 9> clock{' ', '0', '0', ':', '0', '0', ':', '0', '0'};
    put_digits(clock, 1, 2, sec / 3600);
    put_digits(clock, 4, 2, sec / 60 % 60);
    put_digits(clock, 7, 2, sec % 60);
    return format_day(day) + std::string(clock.data(), clock.size());
}

}  // namespace csat
