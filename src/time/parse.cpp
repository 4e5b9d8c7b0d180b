// Timestamp parsing by hand: no strtod, no std::get_time, no locale, no allocation. Every date cell of every
// row goes through parse_time, so the common ISO path is a straight run of digit reads and a few compares.
#include "csat/time.hpp"

namespace csat {

namespace {

constexpr bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
constexpr char to_lower(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}
constexpr bool is_alpha(char c) {
    return to_lower(c) >= 'a' && to_lower(c) <= 'z';
}
constexpr bool is_blank(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::string_view strip(std::string_view s) {
    while (!s.empty() && is_blank(s.front())) {
        s.remove_prefix(1);
    }
    while (!s.empty() && is_blank(s.back())) {
        s.remove_suffix(1);
    }
    return s;
}

constexpr bool valid_date(int y, int m, int d) {
    return y >= 1 && m >= 1 && m <= 12 && d >= 1 &&
           d <= static_cast<int>(days_in_month(y, static_cast<unsigned>(m)));
}

// Placeholders that exports write for "no date yet" (see the header). Tested on the date as written, before
// any offset, because the sentinel is often shifted into the account's zone (1899-12-31 19:00:00 in New
// York).
constexpr bool is_placeholder(int y, int m, int d) {
    switch (y) {
        case 1899:
            return m == 12 && d >= 30;
        case 1:
        case 1900:
            return m == 1 && d == 1;
        case 9999:
            return m == 12 && d == 31;
        default:
            return false;
    }
}

// A forward-only reader over the stripped cell. peek() is '\0' at the end; no caller asks to eat '\0'.
class Cursor {
  public:
    explicit Cursor(std::string_view s) : m_s(s) {}

    bool done() const { return m_i == m_s.size(); }
    char peek() const { return m_i < m_s.size() ? m_s[m_i] : '\0'; }
    char peek_at(std::size_t ahead) const { return m_i + ahead < m_s.size() ? m_s[m_i + ahead] : '\0'; }
    void skip(std::size_t n) { m_i += n; }

    bool eat(char c) {
        if (peek() != c) {
            return false;
        }
        ++m_i;
        return true;
    }

    // Reads min..max digits into value; consumes nothing and fails when fewer than min are there.
    bool digits(std::size_t min, std::size_t max, int& value) {
        std::size_t n = 0;
        int v = 0;
        while (n < max && m_i + n < m_s.size() && is_digit(m_s[m_i + n])) {
            v = v * 10 + (m_s[m_i + n] - '0');
            ++n;
        }
        if (n < min) {
            return false;
        }
        m_i += n;
        value = v;
        return true;
    }

    std::size_t spaces() {
        std::size_t start = m_i;
        while (m_i < m_s.size() && (m_s[m_i] == ' ' || m_s[m_i] == '\t')) {
            ++m_i;
        }
        return m_i - start;
    }

    // The run of letters at the cursor (not consumed).
    std::string_view letters() const {
        std::size_t n = 0;
        while (m_i + n < m_s.size() && is_alpha(m_s[m_i + n])) {
            ++n;
        }
        return m_s.substr(m_i, n);
    }

    // Consumes `word` (lower-case) when the next letters spell it in any case and no letter follows.
    bool eat_word(std::string_view word) {
        std::string_view run = letters();
        if (run.size() != word.size()) {
            return false;
        }
        for (std::size_t k = 0; k < word.size(); ++k) {
            if (to_lower(run[k]) != word[k]) {
                return false;
            }
        }
        m_i += word.size();
        return true;
    }

  private:
    std::string_view m_s;
    std::size_t m_i = 0;
};

struct Clock {
    int seconds_of_day = 0;
    int offset = 0;  // seconds east of UTC
    bool absolute = false;
};

// "+HH", "+HHMM", "+HH:MM" (or '-'), at the cursor.
bool parse_offset(Cursor& c, Clock& k) {
    int sign = c.peek() == '-' ? -1 : 1;
    c.skip(1);
    int hh = 0;
    int mm = 0;
    if (!c.digits(2, 2, hh)) {
        return false;
    }
    if (c.eat(':')) {
        if (!c.digits(2, 2, mm)) {
            return false;
        }
    } else if (is_digit(c.peek()) && !c.digits(2, 2, mm)) {
        return false;
    }
    if (hh > 18 || mm > 59) {
        return false;
    }
    k.offset = sign * (hh * 3600 + mm * 60);
    k.absolute = true;
    return true;
}

// After H:MM[:SS]: [.fff] [AM|PM] [zone], to the end of the cell.
bool finish_clock(Cursor& c, int h, int mi, int se, bool has_seconds, Clock& k) {
    if (has_seconds && (c.eat('.') || c.eat(','))) {
        int ignored = 0;
        if (!c.digits(1, 1, ignored)) {
            return false;
        }
        while (is_digit(c.peek())) {
            c.skip(1);
        }
    }
    c.spaces();
    const bool letter = is_alpha(c.peek());
    bool am = letter && c.eat_word("am");
    bool pm = letter && !am && c.eat_word("pm");
    if (am || pm) {
        if (h < 1 || h > 12) {
            return false;
        }
        h = h % 12 + (pm ? 12 : 0);
        c.spaces();
    }
    if (h > 23 || mi > 59 || se > 60) {
        return false;
    }
    // A leap second stays in its minute: the day and the minute are what buckets and filters see.
    k.seconds_of_day = h * 3600 + mi * 60 + (se == 60 ? 59 : se);
    char z = c.peek();
    if (z == 'Z' || z == 'z') {
        c.skip(1);
        k.absolute = true;
    } else if (z == '+' || z == '-') {
        if (!parse_offset(c, k)) {
            return false;
        }
    } else if (c.eat_word("utc") || c.eat_word("gmt")) {
        k.absolute = true;
        if ((c.peek() == '+' || c.peek() == '-') && !parse_offset(c, k)) {
            return false;
        }
    }
    return c.done();
}

// Everything after the date: nothing, or [','] ('T' | spaces) H[H]:MM[:SS[.fff]] [AM|PM] [zone], to the end.
bool parse_clock(Cursor& c, Clock& k) {
    if (c.done()) {
        return true;
    }
    if (!c.eat('T') && !c.eat('t')) {
        c.eat(',');  // "3/14/2026, 2:22:00 PM" (JavaScript's en-US toLocaleString)
        if (c.spaces() == 0) {
            return false;
        }
    }
    int h = 0;
    int mi = 0;
    int se = 0;
    if (!c.digits(1, 2, h) || !c.eat(':') || !c.digits(2, 2, mi)) {
        return false;
    }
    bool has_seconds = c.eat(':');
    if (has_seconds && !c.digits(2, 2, se)) {
        return false;
    }
    return finish_clock(c, h, mi, se, has_seconds, k);
}

TimeParse compose(int y, int m, int d, const Clock& k, ParsedTime& out) {
    if (!valid_date(y, m, d)) {
        return TimeParse::invalid;
    }
    if (is_placeholder(y, m, d)) {
        return TimeParse::no_date;
    }
    out.seconds = days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d)) * 86400 +
                  k.seconds_of_day - k.offset;
    out.absolute = k.absolute;
    return TimeParse::ok;
}

// 1..12 for an English month name or an abbreviation of at least three letters ("Sept" included), else 0.
int month_from_name(std::string_view run) {
    static constexpr std::string_view k_names[] = {"january",   "february", "march",    "april",
                                                   "may",       "june",     "july",     "august",
                                                   "september", "october",  "november", "december"};
    if (run.size() < 3 || run.size() > 9) {
        return 0;
    }
    for (int m = 0; m < 12; ++m) {
        std::string_view name = k_names[m];
        if (run.size() > name.size()) {
            continue;
        }
        bool match = true;
        for (std::size_t k = 0; k < run.size() && match; ++k) {
            match = to_lower(run[k]) == name[k];
        }
        if (match) {
            return m + 1;
        }
    }
    return 0;
}

bool eat_month_name(Cursor& c, int& month) {
    std::string_view run = c.letters();
    month = month_from_name(run);
    if (month == 0) {
        return false;
    }
    c.skip(run.size());
    c.eat('.');  // "Sept."
    return true;
}

// "1st", "2nd", "23rd", "5th": the suffix is skipped, not checked against the number.
void eat_ordinal(Cursor& c) {
    if (!c.eat_word("st") && !c.eat_word("nd") && !c.eat_word("rd")) {
        c.eat_word("th");
    }
}

// YYYY-MM-DD or YYYY/M/D, then the clock. The year has been seen to be four digits.
TimeParse parse_year_first(Cursor& c, ParsedTime& out) {
    int y = 0;
    int m = 0;
    int d = 0;
    c.digits(4, 4, y);
    char sep = c.peek();
    if ((sep != '-' && sep != '/') || !c.eat(sep) || !c.digits(1, 2, m) || !c.eat(sep) ||
        !c.digits(1, 2, d)) {
        return TimeParse::invalid;
    }
    Clock k;
    if (!parse_clock(c, k)) {
        return TimeParse::invalid;
    }
    return compose(y, m, d, k, out);
}

// "5 Jan 2020", "5th January 2020", "05-Jan-2020", after the day number has been read.
TimeParse parse_day_month_name(Cursor& c, int day, ParsedTime& out) {
    eat_ordinal(c);
    bool dashed = c.eat('-');
    if (!dashed && c.spaces() == 0) {
        return TimeParse::invalid;
    }
    int month = 0;
    int y = 0;
    if (!eat_month_name(c, month)) {
        return TimeParse::invalid;
    }
    if (dashed) {
        if (!c.eat('-')) {
            return TimeParse::invalid;
        }
    } else {
        c.eat(',');
        if (c.spaces() == 0) {
            return TimeParse::invalid;
        }
    }
    if (!c.digits(4, 4, y) || is_digit(c.peek())) {
        return TimeParse::invalid;
    }
    Clock k;
    if (!parse_clock(c, k)) {
        return TimeParse::invalid;
    }
    return compose(y, month, day, k, out);
}

// "Jan 5, 2020", "January 5th 2020 2:22 PM".
TimeParse parse_month_name_first(Cursor& c, ParsedTime& out) {
    int month = 0;
    int day = 0;
    int y = 0;
    if (!eat_month_name(c, month) || c.spaces() == 0 || !c.digits(1, 2, day)) {
        return TimeParse::invalid;
    }
    eat_ordinal(c);
    c.eat(',');
    if (c.spaces() == 0 || !c.digits(4, 4, y) || is_digit(c.peek())) {
        return TimeParse::invalid;
    }
    Clock k;
    if (!parse_clock(c, k)) {
        return TimeParse::invalid;
    }
    return compose(y, month, day, k, out);
}

// The numeric A?B?YYYY prefix shared by the parser and the sniffer: one or two digits, a separator, one or
// two digits, the same separator, exactly four digits. Leaves the cursor after the year.
bool read_numeric_date(Cursor& c, int& a, int& b, int& y, char& sep) {
    if (!c.digits(1, 2, a)) {
        return false;
    }
    sep = c.peek();
    if (sep != '/' && sep != '-' && sep != '.') {
        return false;
    }
    c.skip(1);
    return c.digits(1, 2, b) && c.eat(sep) && c.digits(4, 4, y) && !is_digit(c.peek());
}

// D/M/YYYY, M/D/YYYY (also with '-'), D.M.YYYY, then the clock.
TimeParse parse_numeric(Cursor& c, DateOrder order, ParsedTime& out) {
    int a = 0;
    int b = 0;
    int y = 0;
    char sep = '\0';
    if (!read_numeric_date(c, a, b, y, sep)) {
        return TimeParse::invalid;
    }
    Clock k;
    if (!parse_clock(c, k)) {
        return TimeParse::invalid;
    }
    if (sep == '.') {
        order = DateOrder::dmy;  // 03.11.2026 is day-first wherever it is written
    }
    if (order == DateOrder::unknown) {
        bool as_dmy = valid_date(y, b, a);
        bool as_mdy = valid_date(y, a, b);
        if (as_dmy && as_mdy && a != b) {
            return TimeParse::ambiguous;
        }
        order = as_dmy ? DateOrder::dmy : DateOrder::mdy;  // one reading, or neither (compose says invalid)
    }
    return order == DateOrder::dmy ? compose(y, b, a, k, out) : compose(y, a, b, k, out);
}

constexpr bool digit_at(std::string_view s, std::size_t i) {
    return static_cast<unsigned>(s[i] - '0') <= 9;
}
constexpr int two_digits(std::string_view s, std::size_t i) {
    return (s[i] - '0') * 10 + (s[i + 1] - '0');
}

// The shapes that nearly every API and database export writes, "YYYY-MM-DD" and "YYYY-MM-DD[T ]HH:MM:SS...",
// read at fixed positions without scanning. Returns false, touching nothing, for any other shape.
bool parse_iso_fixed(std::string_view s, TimeParse& status, ParsedTime& out) {
    if (s.size() < 10 || s[4] != '-' || s[7] != '-' || !digit_at(s, 0) || !digit_at(s, 1) ||
        !digit_at(s, 2) || !digit_at(s, 3) || !digit_at(s, 5) || !digit_at(s, 6) || !digit_at(s, 8) ||
        !digit_at(s, 9)) {
        return false;
    }
    const int y = two_digits(s, 0) * 100 + two_digits(s, 2);
    Clock k;
    if (s.size() > 10) {
        if (s.size() < 19 || (s[10] != 'T' && s[10] != ' ' && s[10] != 't') || s[13] != ':' || s[16] != ':' ||
            !digit_at(s, 11) || !digit_at(s, 12) || !digit_at(s, 14) || !digit_at(s, 15) ||
            !digit_at(s, 17) || !digit_at(s, 18)) {
            return false;
        }
        const int h = two_digits(s, 11);
        const int mi = two_digits(s, 14);
        const int se = two_digits(s, 17);
        // The two tails that dominate real files, "" and ".000Z" (or "Z"), skip the general clock reader.
        const bool naive = s.size() == 19;
        const bool zulu =
            (s.size() == 20 && s[19] == 'Z') || (s.size() == 24 && s[19] == '.' && digit_at(s, 20) &&
                                                 digit_at(s, 21) && digit_at(s, 22) && s[23] == 'Z');
        if ((naive || zulu) && h <= 23 && mi <= 59 && se <= 59) {
            k.seconds_of_day = h * 3600 + mi * 60 + se;
            k.absolute = zulu;
        } else {
            Cursor c(s);
            c.skip(19);
            if (!finish_clock(c, h, mi, se, true, k)) {
                status = TimeParse::invalid;
                return true;
            }
        }
    }
    status = compose(y, two_digits(s, 5), two_digits(s, 8), k, out);
    return true;
}

TimeParse parse_epoch(std::string_view s, ParsedTime& out) {
    // 9-11 digits: 1973-03-03 to 5138. Fewer are more likely counts or IDs; more, epoch milliseconds.
    if (s.size() < 9 || s.size() > 11) {
        return TimeParse::invalid;
    }
    std::int64_t v = 0;
    for (char ch : s) {
        v = v * 10 + (ch - '0');
    }
    out.seconds = v;
    out.absolute = true;
    return TimeParse::ok;
}

}  // namespace

std::string_view time_parse_name(TimeParse status) {
    switch (status) {
        case TimeParse::ok:
            return "ok";
        case TimeParse::empty:
            return "empty";
        case TimeParse::no_date:
            return "no_date";
        case TimeParse::invalid:
            return "invalid";
        case TimeParse::ambiguous:
            return "ambiguous";
    }
    return "invalid";
}

TimeParse parse_time(std::string_view text, DateOrder order, ParsedTime& out) {
    if (parse_plain_timestamp(text, out)) {
        return TimeParse::ok;
    }
    std::string_view s = strip(text);
    if (s.empty()) {
        return TimeParse::empty;
    }
    TimeParse fixed = TimeParse::invalid;
    if (parse_iso_fixed(s, fixed, out)) {
        return fixed;
    }
    std::size_t lead = 0;
    while (lead < s.size() && is_digit(s[lead])) {
        ++lead;
    }
    if (lead == s.size()) {
        return parse_epoch(s, out);
    }
    Cursor c(s);
    if (lead == 4) {
        return parse_year_first(c, out);
    }
    if (lead == 1 || lead == 2) {
        if (s[lead] == ' ' || (s[lead] == '-' && is_alpha(c.peek_at(lead + 1))) || is_alpha(s[lead])) {
            int day = 0;
            c.digits(1, 2, day);
            return parse_day_month_name(c, day, out);
        }
        return parse_numeric(c, order, out);
    }
    if (lead == 0 && is_alpha(s[0])) {
        return parse_month_name_first(c, out);
    }
    return TimeParse::invalid;
}

DateVote DateOrderSniffer::vote(std::string_view text) {
    std::string_view s = strip(text);
    // Cheap rejection first: ISO and blank cells, the bulk of most columns, have no separator at [1] or [2].
    if (s.size() < 8 || !is_digit(s[0]) || (s[1] != '/' && s[1] != '-' && s[2] != '/' && s[2] != '-')) {
        return DateVote::none;
    }
    Cursor c(s);
    int a = 0;
    int b = 0;
    int y = 0;
    char sep = '\0';
    if (!read_numeric_date(c, a, b, y, sep) || sep == '.') {
        return DateVote::none;
    }
    bool as_dmy = valid_date(y, b, a);
    bool as_mdy = valid_date(y, a, b);
    if (as_dmy && !as_mdy) {
        return DateVote::dmy;
    }
    if (as_mdy && !as_dmy) {
        return DateVote::mdy;
    }
    return DateVote::either;
}

void DateOrderSniffer::add(DateVote vote) {
    if (vote == DateVote::none) {
        return;
    }
    ++m_slash_dates;
    if (vote == DateVote::dmy) {
        ++m_dmy_votes;
    } else if (vote == DateVote::mdy) {
        ++m_mdy_votes;
    }
}

DateOrder DateOrderSniffer::result() const {
    if (m_dmy_votes > 0 && m_mdy_votes == 0) {
        return DateOrder::dmy;
    }
    if (m_mdy_votes > 0 && m_dmy_votes == 0) {
        return DateOrder::mdy;
    }
    return DateOrder::unknown;
}

}  // namespace csat
