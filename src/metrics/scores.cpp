#include "csat/scores.hpp"

#include <fmt/format.h>

#include "csat/error.hpp"
#include "csat/text.hpp"

namespace csat {

namespace {

std::string fold(std::string_view s) {
    std::string out;
    for (char c : trim(s)) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
        // Curly apostrophes and runs of spaces are common in exported labels.
        if (c == ' ' && !out.empty() && out.back() == ' ') {
            continue;
        }
        out += c;
    }
    return out;
}

// Parses a plain integer, allowing a ".0" fraction; reports whether it had a non-zero fraction.
enum class NumberKind { integer, fraction, not_number };
NumberKind parse_number(std::string_view s, int& value) {
    bool negative = false;
    std::size_t i = 0;
    if (i < s.size() && s[i] == '-') {
        negative = true;
        ++i;
    }
    std::size_t start = i;
    long v = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9' && i - start < 6) {
        v = v * 10 + (s[i] - '0');
        ++i;
    }
    if (i == start) {
        return NumberKind::not_number;
    }
    bool fraction = false;
    if (i < s.size() && s[i] == '.') {
        ++i;
        std::size_t fs = i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
            fraction = fraction || s[i] != '0';
            ++i;
        }
        if (i == fs) {
            return NumberKind::not_number;
        }
    }
    if (i != s.size()) {
        return NumberKind::not_number;
    }
    value = static_cast<int>(negative ? -v : v);
    return fraction ? NumberKind::fraction : NumberKind::integer;
}

int parse_int_flag(std::string_view text, const char* flag) {
    int v = 0;
    if (parse_number(trim(text), v) != NumberKind::integer) {
        throw Error(ErrorKind::usage, fmt::format("{}: '{}' is not a whole number", flag, text),
                    "for example --csat-scale 1-5");
    }
    return v;
}

}  // namespace

std::string Scale::label() const {
    return binary ? "binary" : fmt::format("{}-{}", min, max);
}

Scale csat_scale(std::string_view text, std::optional<int> positive_override) {
    std::string t = to_lower_ascii(trim(text));
    Scale s;
    if (t == "binary") {
        s.binary = true;
        s.min = 0;
        s.max = 1;
        s.positive_from = 1;
        if (positive_override) {
            throw Error(ErrorKind::usage, "--csat-positive does not apply to a binary scale",
                        "a binary scale counts good as positive");
        }
        return s;
    }
    struct Known {
        const char* name;
        int min;
        int max;
        int positive_from;
    };
    // Default cut-points from the domain reference: 3-pt top 1, 4-pt top 2, 5-pt 4-5, 6-pt 5-6, 7-pt 6-7,
    // 10-pt 8-10.
    static const Known k_known[] = {{"1-3", 1, 3, 3}, {"1-4", 1, 4, 3},   {"1-5", 1, 5, 4},  {"1-6", 1, 6, 5},
                                    {"1-7", 1, 7, 6}, {"1-10", 1, 10, 8}, {"0-10", 0, 10, 8}};
    for (const Known& k : k_known) {
        if (t == k.name) {
            s.min = k.min;
            s.max = k.max;
            s.positive_from = k.positive_from;
            if (positive_override) {
                if (*positive_override <= s.min || *positive_override > s.max) {
                    throw Error(
                        ErrorKind::usage,
                        fmt::format("--csat-positive {}: must lie above {} and at most {} on the {} scale",
                                    *positive_override, s.min, s.max, s.label()),
                        fmt::format("the default on {} is {}", s.label(), k.positive_from));
                }
                s.positive_from = *positive_override;
            }
            return s;
        }
    }
    throw Error(ErrorKind::usage, fmt::format("--csat-scale '{}': unknown scale", text),
                "use 1-5, 1-3, 1-4, 1-6, 1-7, 1-10, 0-10 or binary");
}

Scale nps_scale() {
    Scale s;
    s.min = 0;
    s.max = 10;
    s.positive_from = 9;
    return s;
}

Scale ces_scale(std::string_view text, std::optional<std::string_view> better) {
    std::string t = to_lower_ascii(trim(text));
    Scale s;
    if (t == "1-7") {
        s.min = 1;
        s.max = 7;
        s.higher_is_better = true;
    } else if (t == "1-5") {
        s.min = 1;
        s.max = 5;
        s.higher_is_better = false;
    } else {
        throw Error(ErrorKind::usage, fmt::format("--ces-scale '{}': unknown scale", text), "use 1-7 or 1-5");
    }
    if (better) {
        std::string b = to_lower_ascii(trim(*better));
        if (b == "high") {
            s.higher_is_better = true;
        } else if (b == "low") {
            s.higher_is_better = false;
        } else {
            throw Error(ErrorKind::usage, fmt::format("--ces-better '{}': expected high or low", *better),
                        "high for an agree scale (\"made it easy\"), low for an effort scale");
        }
    }
    // % easy: the top 3 of 7 or bottom 2 of 5 by default direction, mirrored for the other direction.
    if (s.max == 7) {
        s.easy_from = s.higher_is_better ? 5 : 1;
        s.easy_to = s.higher_is_better ? 7 : 3;
    } else {
        s.easy_from = s.higher_is_better ? 4 : 1;
        s.easy_to = s.higher_is_better ? 5 : 2;
    }
    s.positive_from = s.easy_from;
    return s;
}

ScoreParser::ScoreParser(ScoreKind kind, const Scale& scale, std::string_view custom_labels,
                         std::string_view extra_na)
    : m_kind(kind), m_scale(scale) {
    for (const char* na : {"", "n/a", "na", "null", "none", "-", "#n/a", "nan"}) {
        m_labels[na] = Label{AnswerStatus::no_answer};
    }
    m_labels["offered"] = Label{AnswerStatus::offered};
    m_labels["not offered"] = Label{AnswerStatus::not_offered};
    m_labels["unoffered"] = Label{AnswerStatus::not_offered};
    if (kind == ScoreKind::csat) {
        auto add = [&](const char* text, int value, int min, int max, bool positive, bool binary = false) {
            m_labels[text] = Label{AnswerStatus::value, value, min, max, positive, binary};
        };
        bool three = m_scale.min == 1 && m_scale.max == 3;
        add("very dissatisfied", 1, 1, 5, false);
        add("very unsatisfied", 1, 1, 5, false);
        add("very satisfied", 5, 1, 5, true);
        add("neither satisfied nor dissatisfied", 3, 1, 5, false);
        // satisfied / neutral / dissatisfied are also a 3-level vocabulary; which one depends on the scale.
        add("dissatisfied", three ? 1 : 2, 1, three ? 3 : 5, false);
        add("unsatisfied", three ? 1 : 2, 1, three ? 3 : 5, false);
        add("neutral", three ? 2 : 3, 1, three ? 3 : 5, false);
        add("satisfied", three ? 3 : 4, 1, three ? 3 : 5, true);
        add("happy", 3, 1, 3, true);
        add("unhappy", 1, 1, 3, false);
        add("good", 1, 0, 1, true, true);
        add("good, i'm satisfied", 1, 0, 1, true, true);
        add("bad", 0, 0, 1, false, true);
        add("bad, i'm unsatisfied", 0, 0, 1, false, true);
        // Freshdesk ratings, codes and names, on their native 7-point scale.
        struct Code {
            const char* code;
            const char* name;
            int value;
        };
        static const Code k_codes[] = {{"103", "extremely happy", 7}, {"102", "very happy", 6},
                                       {"101", nullptr, 5},           {"100", nullptr, 4},
                                       {"-101", nullptr, 3},          {"-100", nullptr, 3},
                                       {"-102", "very unhappy", 2},   {"-103", "extremely unhappy", 1}};
        for (const Code& c : k_codes) {
            bool fits_scale = false;
            int numeric = 0;
            parse_number(c.code, numeric);
            fits_scale = numeric >= m_scale.min && numeric <= m_scale.max;
            if (!fits_scale) {
                m_labels[c.code] = Label{AnswerStatus::value, c.value, 1, 7, c.value >= 5, false};
            }
            if (c.name) {
                m_labels[c.name] = Label{AnswerStatus::value, c.value, 1, 7, c.value >= 5, false};
            }
        }
    }
    for (const std::string& item : split(extra_na, ',')) {
        std::string f = fold(item);
        if (!f.empty()) {
            m_labels[f] = Label{AnswerStatus::no_answer};
        }
    }
    for (const std::string& item : split(custom_labels, ',')) {
        if (trim(item).empty()) {
            continue;
        }
        auto eq = item.rfind('=');
        if (eq == std::string::npos) {
            throw Error(ErrorKind::usage, fmt::format("--labels: '{}' is not LABEL=VALUE", item),
                        "for example --labels \"Awful=1,Poor=2,OK=3,Good=4,Great=5\"");
        }
        int v = parse_int_flag(item.substr(eq + 1), "--labels");
        if (v < m_scale.min || v > m_scale.max) {
            throw Error(ErrorKind::usage,
                        fmt::format("--labels: '{}' maps outside the {} scale", item, m_scale.label()),
                        "label values must lie on the CSAT scale (--csat-scale)");
        }
        m_labels[fold(item.substr(0, eq))] =
            Label{AnswerStatus::value, v, m_scale.min, m_scale.max, v >= m_scale.positive_from, false};
    }
    for (int v = 0; v < static_cast<int>(m_numbers.size()); ++v) {
        if (!m_scale.binary && v >= m_scale.min && v <= m_scale.max) {
            m_numbers[static_cast<std::size_t>(v)] = from_number(v);
        }
    }
}

Answer ScoreParser::from_number(int v) const {
    Answer a;
    a.status = AnswerStatus::value;
    a.value = v;
    a.has_value = true;
    switch (m_kind) {
        case ScoreKind::csat:
            a.positive = v >= m_scale.positive_from;
            break;
        case ScoreKind::nps:
            a.positive = v >= 9;
            a.negative = v <= 6;
            break;
        case ScoreKind::ces:
            a.positive = v >= m_scale.easy_from && v <= m_scale.easy_to;
            break;
    }
    return a;
}

Answer ScoreParser::from_label(const Label& l) const {
    Answer a;
    a.status = l.status;
    if (l.status != AnswerStatus::value) {
        return a;
    }
    a.positive = l.positive;
    bool same_scale =
        !m_scale.binary && !l.binary && l.native_min == m_scale.min && l.native_max == m_scale.max;
    if (same_scale) {
        a.value = l.native_value;
        a.has_value = true;
        a.positive = l.native_value >= m_scale.positive_from;
    } else if (m_scale.binary && l.binary) {
        a.value = l.native_value;
    }
    return a;
}

Answer ScoreParser::parse_text(std::string_view text) const {
    std::string_view t = trim(text);
    if (t.empty()) {
        return Answer{};  // blank is no answer on every scale (no label or --na-values can be blank)
    }
    if (const Answer* number = on_scale(t)) {  // digits with spaces around them
        return *number;
    }
    int v = 0;
    NumberKind kind = parse_number(t, v);
    if (kind != NumberKind::not_number && !m_scale.binary) {
        if (kind == NumberKind::fraction) {
            Answer a;
            a.status = AnswerStatus::invalid;
            a.reason = "not an integer";
            return a;
        }
        if (v >= m_scale.min && v <= m_scale.max) {
            return from_number(v);
        }
    }
    // Labels, no-answer markers and Freshdesk codes. Short strings only: a long value is never a label.
    if (t.size() <= 64) {
        char buf[65] = {};
        std::size_t n = 0;
        for (char c : t) {
            if (c == ' ' && n > 0 && buf[n - 1] == ' ') {
                continue;
            }
            buf[n++] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
        }
        auto it = m_labels.find(std::string(buf, n));
        if (it != m_labels.end()) {
            return from_label(it->second);
        }
    }
    Answer a;
    a.status = AnswerStatus::invalid;
    if (kind == NumberKind::integer) {
        a.reason = m_kind == ScoreKind::nps ? "out of range 0-10" : "out of range";
    } else {
        a.reason = "not a score";
    }
    return a;
}

}  // namespace csat
