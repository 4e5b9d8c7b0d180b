// Score parsing: one vocabulary for what support exports write in a score column. Numbers on a configured
// scale, no-answer markers (blank, N/A, Zendesk Offered), built-in label vocabularies (satisfaction words,
// happy/unhappy, Zendesk good/bad, Freshdesk codes) and custom --labels.
//
// A label counts toward % positive through its own notion of positive, but toward the mean only when its
// native scale is the configured one: averaging values from different scales would mean nothing.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace csat {

enum class ScoreKind { csat, nps, ces };

struct Scale {
    int min = 1;
    int max = 5;
    int positive_from = 4;  // CSAT: the lowest positive value (top box)
    bool binary = false;    // good/bad only: no mean
    bool higher_is_better = true;
    // CES: the easy side, inclusive
    int easy_from = 5;
    int easy_to = 7;
    std::string label() const;  // "1-5", "binary"
};

// --csat-scale 1-5 (default) | 1-3 | 1-4 | 1-6 | 1-7 | 1-10 | 0-10 | binary; --csat-positive moves the cut.
Scale csat_scale(std::string_view text, std::optional<int> positive_override);
Scale nps_scale();  // 0-10; promoters 9-10, detractors 0-6
// --ces-scale 1-7 (default) | 1-5; --ces-better high|low (default high on 1-7, low on 1-5).
Scale ces_scale(std::string_view text, std::optional<std::string_view> better);

enum class AnswerStatus { value, no_answer, offered, not_offered, invalid };

struct Answer {
    AnswerStatus status = AnswerStatus::no_answer;
    int value = 0;            // on the configured scale, when has_value
    bool has_value = false;   // counts toward the mean
    bool positive = false;    // CSAT top box, NPS promoter, CES easy
    bool negative = false;    // NPS detractor
    std::string_view reason;  // for invalid: a short static text
};

class ScoreParser {
  public:
    // custom_labels: "Awful=1,Poor=2,OK=3,Good=4,Great=5" (values on the scale); extra_na: "x,y".
    // Both throw Error(usage) when malformed.
    ScoreParser(ScoreKind kind, const Scale& scale, std::string_view custom_labels = {},
                std::string_view extra_na = {});
    // One or two digits, the bulk of every score column, come from a table inline; the rest (spaces, labels,
    // markers, invalid values) are parsed out of line.
    Answer parse(std::string_view text) const {
        const Answer* number = on_scale(text);
        return number != nullptr ? *number : parse_text(text);
    }
    const Scale& scale() const { return m_scale; }

  private:
    struct Label {
        AnswerStatus status = AnswerStatus::value;
        int native_value = 0;
        int native_min = 0;
        int native_max = 0;
        bool positive = false;
        bool binary = false;
    };
    // The answer for one or two digits (no leading zero) that are a value on the scale, else null.
    const Answer* on_scale(std::string_view t) const {
        if (t.size() == 1 || (t.size() == 2 && t[0] != '0')) {
            const unsigned d0 = static_cast<unsigned char>(t[0]) - unsigned{'0'};
            const unsigned d1 = t.size() == 2 ? static_cast<unsigned char>(t[1]) - unsigned{'0'} : 0u;
            if (d0 <= 9 && d1 <= 9) {
                const unsigned v = t.size() == 2 ? d0 * 10 + d1 : d0;
                return m_numbers[v].status == AnswerStatus::value ? &m_numbers[v] : nullptr;
            }
        }
        return nullptr;
    }
    Answer parse_text(std::string_view text) const;
    Answer from_number(int value) const;
    Answer from_label(const Label& label) const;

    ScoreKind m_kind;
    Scale m_scale;
    std::unordered_map<std::string, Label> m_labels;  // folded text -> meaning
    std::array<Answer, 100> m_numbers{};              // from_number(v) for v on the scale, else no_answer
};

}  // namespace csat
