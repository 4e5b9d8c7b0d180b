// Small text primitives shared by every stage: trimming, ASCII case folding, escaping of control and
// bidi characters for terminals, and display width. Locale-free by design: output must not depend on LC_*.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace csat {

// Without spaces and tabs at either end. Inline: the loaders trim several cells of every row.
inline std::string_view trim(std::string_view s) {
    auto above_space = [](char c) { return static_cast<unsigned char>(c) > ' '; };
    if (s.empty() || (above_space(s.front()) && above_space(s.back()))) {
        return s;  // nearly every cell: two tests, not four
    }
    std::size_t b = 0;
    std::size_t e = s.size();
    while (b < e && (s[b] == ' ' || s[b] == '\t')) {
        ++b;
    }
    while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) {
        --e;
    }
    return s.substr(b, e - b);
}
std::string to_lower_ascii(std::string_view s);
bool iequals(std::string_view a, std::string_view b);
// Lower-case, trimmed, and with runs of space/underscore/dash/slash/dot folded to one '_' ("Date/Time Closed"
// and "date_time_closed" meet).
std::string fold_name(std::string_view s);
std::vector<std::string> split(std::string_view s, char sep);

// Decodes the UTF-8 sequence at s[i]: its length, or 0 if it is invalid (overlong, surrogate, truncated).
std::size_t decode_utf8(std::string_view s, std::size_t i, char32_t& cp);

// Replaces C0/C1 controls, DEL, and bidi overrides (U+202A-202E, U+2066-2069) with visible escapes
// (\n, \t, \x1b, \u202e). Invalid UTF-8 bytes become \xNN. Everything else passes through.
std::string escape_control(std::string_view s);
// Terminal columns that s occupies (East Asian wide and emoji count 2, combining marks 0).
std::size_t display_width(std::string_view s);

// Edit distance, for "did you mean" hints.
std::size_t edit_distance(std::string_view a, std::string_view b);

// Formats an integer with ',' thousands separators, independent of locale.
std::string group_thousands(long long value);

}  // namespace csat
