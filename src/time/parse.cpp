// Timestamp parsing by hand: no strtod, no std::get_time, no locale, no allocation. One date cell per row
// goes through here, millions of times.
#include "csat/time.hpp"

namespace csat {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Reads 1..max digits at s[i]; returns the count read (0 if none).
std::size_t read_number(std::string_view s, std::size_t& i, std::size_t max, int& value) {
    std::size_t start = i;
    value = 0;
    while (i < s.size() && i - start < max && is_digit(s[i])) {
        value = value * 10 + (s[i] - '0');
        ++i;
    }
    return i - start;
}

bool valid_date(int y, int m, int d) {
    static const int k_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1 || m < 1 || m > 12 || d < 1) {
        return false;
    }
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    int max = k_days[m - 1] + (m == 2 && leap ? 1 : 0);
    return d <= max;
}

std::string_view strip(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
        s.remove_suffix(1);
    }
    return s;
}

bool iequal_at(std::string_view s, std::size_t i, std::string_view word) {
    if (i + word.size() > s.size()) {
        return false;
    }
    for (std::size_t k = 0; k < word.size(); ++k) {
        char c = s[i + k];
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
        if (c != word[k]) {
            return false;
        }
    }
    return true;
}

// Parses "[T| ]HH:MM[:SS[.fff]][ AM|PM][Z|±HH[:MM]]" from s[i]; fills seconds of day and the offset.
bool parse_clock(std::string_view s, std::size_t& i, int& seconds, bool& has_offset, int& offset_seconds,
                 bool allow_ampm) {
    seconds = 0;
    has_offset = false;
    offset_seconds = 0;
    if (i == s.size()) {
        return true;
    }
    if (s[i] != 'T' && s[i] != 't' && s[i] != ' ') {
        return false;
    }
    ++i;
    while (i < s.size() && s[i] == ' ') {
        ++i;
    }
    int h = 0;
    int mi = 0;
    int se = 0;
    if (read_number(s, i, 2, h) == 0 || i >= s.size() || s[i] != ':') {
        return false;
    }
    ++i;
    if (read_number(s, i, 2, mi) != 2) {
        return false;
    }
    if (i < s.size() && s[i] == ':') {
        ++i;
        if (read_number(s, i, 2, se) != 2) {
            return false;
        }
        if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
            ++i;
            std::size_t start = i;
            while (i < s.size() && is_digit(s[i])) {
                ++i;
            }
            if (i == start) {
                return false;
            }
        }
    }
    while (i < s.size() && s[i] == ' ') {
        ++i;
    }
    if (allow_ampm && (iequal_at(s, i, "am") || iequal_at(s, i, "pm"))) {
        bool pm = iequal_at(s, i, "pm");
        if (h < 1 || h > 12) {
            return false;
        }
        h = h % 12 + (pm ? 12 : 0);
        i += 2;
        while (i < s.size() && s[i] == ' ') {
            ++i;
        }
    }
    if (h > 23 || mi > 59 || se > 60) {
        return false;
    }
    seconds = h * 3600 + mi * 60 + (se == 60 ? 59 : se);
    if (i < s.size() && (s[i] == 'Z' || s[i] == 'z')) {
        has_offset = true;
        ++i;
    } else if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
        int sign = s[i] == '-' ? -1 : 1;
        ++i;
        int oh = 0;
        int om = 0;
        if (read_number(s, i, 2, oh) != 2) {
            return false;
        }
        if (i < s.size() && s[i] == ':') {
            ++i;
        }
        if (i < s.size() && read_number(s, i, 2, om) != 2) {
            return false;
        }
        if (oh > 18 || om > 59) {
            return false;
        }
        has_offset = true;
        offset_seconds = sign * (oh * 3600 + om * 60);
    }
    return i == s.size();
}

TimeParse finish(int y, int m, int d, std::string_view s, std::size_t i, bool allow_ampm, ParsedTime& out) {
    if (!valid_date(y, m, d)) {
        return TimeParse::invalid;
    }
    int secs = 0;
    bool has_offset = false;
    int offset = 0;
    if (!parse_clock(s, i, secs, has_offset, offset, allow_ampm)) {
        return TimeParse::invalid;
    }
    if (y == 1900 && m == 1 && d == 1 && secs == 0) {
        return TimeParse::no_date;  // Zendesk's "not solved yet"
    }
    out.seconds = days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d)) * 86400 + secs - offset;
    out.absolute = has_offset;
    return TimeParse::ok;
}

}  // namespace

TimeParse parse_time(std::string_view text, DateOrder order, ParsedTime& out) {
    std::string_view s = strip(text);
    if (s.empty()) {
        return TimeParse::empty;
    }
    std::size_t digits = 0;
    while (digits < s.size() && is_digit(s[digits])) {
        ++digits;
    }
    // Unix epoch seconds: 9 to 11 digits and nothing else.
    if (digits == s.size() && digits >= 9 && digits <= 11) {
        std::int64_t v = 0;
        for (char c : s) {
            v = v * 10 + (c - '0');
        }
        out.seconds = v;
        out.absolute = true;
        return TimeParse::ok;
    }
    if (digits == 0 || digits > 4 || digits == s.size()) {
        return TimeParse::invalid;
    }
    std::size_t i = 0;
    int a = 0;
    std::size_t na = read_number(s, i, 4, a);
    char sep = s[i];
    if (na == 4 && sep == '-') {
        // ISO: YYYY-MM-DD...
        int m = 0;
        int d = 0;
        ++i;
        if (read_number(s, i, 2, m) != 2 || i >= s.size() || s[i] != '-') {
            return TimeParse::invalid;
        }
        ++i;
        if (read_number(s, i, 2, d) != 2) {
            return TimeParse::invalid;
        }
        return finish(a, m, d, s, i, false, out);
    }
    if ((sep == '/' || sep == '.' || sep == '-') && na <= 2) {
        int b = 0;
        int y = 0;
        ++i;
        if (read_number(s, i, 2, b) == 0 || i >= s.size() || s[i] != sep) {
            return TimeParse::invalid;
        }
        ++i;
        std::size_t ny = read_number(s, i, 4, y);
        if (ny != 4) {
            return TimeParse::invalid;
        }
        DateOrder o = order;
        if (o == DateOrder::unknown) {
            if (a > 12 && b <= 12) {
                o = DateOrder::dmy;
            } else if (b > 12 && a <= 12) {
                o = DateOrder::mdy;
            } else if (a <= 12 && b <= 12) {
                return a == b ? finish(y, a, b, s, i, true, out) : TimeParse::ambiguous;
            } else {
                return TimeParse::invalid;
            }
        }
        int m = o == DateOrder::mdy ? a : b;
        int d = o == DateOrder::mdy ? b : a;
        return finish(y, m, d, s, i, true, out);
    }
    return TimeParse::invalid;
}

void DateOrderSniffer::feed(std::string_view text) {
    std::string_view s = strip(text);
    std::size_t i = 0;
    int a = 0;
    int b = 0;
    if (read_number(s, i, 2, a) == 0 || i >= s.size() || (s[i] != '/' && s[i] != '.' && s[i] != '-')) {
        return;
    }
    char sep = s[i++];
    if (read_number(s, i, 2, b) == 0 || i >= s.size() || s[i] != sep) {
        return;
    }
    m_slash = true;
    if (a > 12 && b <= 12) {
        m_dmy = true;
    } else if (b > 12 && a <= 12) {
        m_mdy = true;
    }
}

DateOrder DateOrderSniffer::result() const {
    if (m_dmy && !m_mdy) {
        return DateOrder::dmy;
    }
    if (m_mdy && !m_dmy) {
        return DateOrder::mdy;
    }
    return DateOrder::unknown;
}

}  // namespace csat
