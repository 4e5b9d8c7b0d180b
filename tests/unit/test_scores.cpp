// Score parsing: scales and cut-points, no-answer values, every label vocabulary, Freshdesk codes, custom
// labels.
#include <catch2/catch.hpp>

#include "csat/error.hpp"
#include "csat/scores.hpp"

using namespace csat;

namespace {

std::string show(const Answer& a) {
    switch (a.status) {
        case AnswerStatus::no_answer:
            return "none";
        case AnswerStatus::offered:
            return "offered";
        case AnswerStatus::not_offered:
            return "not_offered";
        case AnswerStatus::invalid:
            return "invalid: " + std::string(a.reason);
        case AnswerStatus::value:
            break;
    }
    std::string out = a.has_value ? std::to_string(a.value) : std::string("label");
    if (a.positive) {
        out += "+";
    }
    if (a.negative) {
        out += "-";
    }
    return out;
}

std::string csat_answer(std::string_view text, std::string_view scale = "1-5", std::string_view labels = {}) {
    return show(ScoreParser(ScoreKind::csat, csat_scale(scale, std::nullopt), labels).parse(text));
}

}  // namespace

TEST_CASE("default positive cut-points per scale", "[scores]") {
    CHECK(csat_scale("1-3", std::nullopt).positive_from == 3);
    CHECK(csat_scale("1-4", std::nullopt).positive_from == 3);
    CHECK(csat_scale("1-5", std::nullopt).positive_from == 4);
    CHECK(csat_scale("1-6", std::nullopt).positive_from == 5);
    CHECK(csat_scale("1-7", std::nullopt).positive_from == 6);
    CHECK(csat_scale("1-10", std::nullopt).positive_from == 8);
    CHECK(csat_scale("0-10", std::nullopt).positive_from == 8);
    CHECK(csat_scale("binary", std::nullopt).binary);
    CHECK(csat_scale("1-5", 5).positive_from == 5);
    CHECK_THROWS_WITH(csat_scale("1-5", 6), Catch::Contains("--csat-positive 6"));
    CHECK_THROWS_WITH(csat_scale("2-9", std::nullopt), "--csat-scale '2-9': unknown scale");
}

TEST_CASE("numbers: integers on the scale, anything else invalid", "[scores]") {
    CHECK(csat_answer("4") == "4+");
    CHECK(csat_answer(" 5 ") == "5+");
    CHECK(csat_answer("4.0") == "4+");
    CHECK(csat_answer("3") == "3");
    CHECK(csat_answer("4.5") == "invalid: not an integer");
    CHECK(csat_answer("6") == "invalid: out of range");
    CHECK(csat_answer("0") == "invalid: out of range");
    CHECK(csat_answer("5/5") == "invalid: not a score");
    CHECK(csat_answer("1,5") == "invalid: not a score");
    CHECK(csat_answer("\xEF\xBC\x94") == "invalid: not a score");  // fullwidth 4
    CHECK(csat_answer("8", "1-10") == "8+");
    CHECK(csat_answer("7", "1-10") == "7");
    CHECK(csat_answer("0", "0-10") == "0");
}

TEST_CASE("no answer, and Zendesk offered states", "[scores]") {
    for (const char* v : {"", "  ", "N/A", "na", "NULL", "none", "-"}) {
        CHECK(csat_answer(v) == "none");
    }
    CHECK(csat_answer("Offered") == "offered");
    CHECK(csat_answer("not offered") == "not_offered");
    CHECK(csat_answer("Unoffered") == "not_offered");
    ScoreParser extra(ScoreKind::csat, csat_scale("1-5", std::nullopt), {}, "skipped, n.v.");
    CHECK(show(extra.parse("Skipped")) == "none");
    CHECK(show(extra.parse("n.v.")) == "none");
}

TEST_CASE("label vocabularies", "[scores]") {
    CHECK(csat_answer("Very satisfied") == "5+");
    CHECK(csat_answer("  very   dissatisfied ") == "1");
    CHECK(csat_answer("Neutral") == "3");
    CHECK(csat_answer("Satisfied") == "4+");
    CHECK(csat_answer("Dissatisfied") == "2");
    CHECK(csat_answer("Satisfied", "1-3") == "3+");  // the 3-level reading on a 3-point scale
    CHECK(csat_answer("Dissatisfied", "1-3") == "1");
    CHECK(csat_answer("Very satisfied", "1-7") == "label+");  // a 5-level label on 1-7: positive, but no mean
    CHECK(csat_answer("happy") == "label+");
    CHECK(csat_answer("Unhappy") == "label");
    CHECK(csat_answer("good") == "label+");
    CHECK(csat_answer("Bad, I'm unsatisfied") == "label");
    CHECK(csat_answer("good", "binary") == "label+");
    CHECK(csat_answer("5", "binary") == "invalid: out of range");
    CHECK(csat_answer("great") == "invalid: not a score");
}

TEST_CASE("Freshdesk codes and names, with -100 as Unhappy", "[scores]") {
    CHECK(csat_answer("103") == "label+");
    CHECK(csat_answer("101") == "label+");
    CHECK(csat_answer("100") == "label");
    CHECK(csat_answer("-100") == "label");
    CHECK(csat_answer("-101") == "label");
    CHECK(csat_answer("-103") == "label");
    CHECK(csat_answer("Extremely happy") == "label+");
    CHECK(csat_answer("very unhappy") == "label");
    CHECK(csat_answer("100", "0-10") == "label");  // out of 0-10, so a code
}

TEST_CASE("custom labels live on the configured scale", "[scores]") {
    std::string labels = "Awful=1,Poor=2,OK=3,Good=4,Great=5";
    CHECK(csat_answer("great", "1-5", labels) == "5+");
    CHECK(csat_answer("OK", "1-5", labels) == "3");
    CHECK(csat_answer("Good", "1-5", labels) == "4+");  // overrides Zendesk's good/bad
    CHECK_THROWS_WITH(ScoreParser(ScoreKind::csat, csat_scale("1-5", std::nullopt), "Top=9"),
                      "--labels: 'Top=9' maps outside the 1-5 scale");
    CHECK_THROWS_WITH(ScoreParser(ScoreKind::csat, csat_scale("1-5", std::nullopt), "Top"),
                      "--labels: 'Top' is not LABEL=VALUE");
}

TEST_CASE("NPS and CES directions", "[scores]") {
    ScoreParser nps(ScoreKind::nps, nps_scale());
    CHECK(show(nps.parse("10")) == "10+");
    CHECK(show(nps.parse("9")) == "9+");
    CHECK(show(nps.parse("8")) == "8");
    CHECK(show(nps.parse("6")) == "6-");
    CHECK(show(nps.parse("0")) == "0-");
    CHECK(show(nps.parse("11")) == "invalid: out of range 0-10");
    ScoreParser agree(ScoreKind::ces, ces_scale("1-7", std::nullopt));
    CHECK(show(agree.parse("5")) == "5+");  // easy: top 3 of 7
    CHECK(show(agree.parse("4")) == "4");
    ScoreParser effort(ScoreKind::ces, ces_scale("1-5", std::nullopt));
    CHECK_FALSE(effort.scale().higher_is_better);
    CHECK(show(effort.parse("2")) == "2+");  // easy: bottom 2 of 5
    CHECK(show(effort.parse("3")) == "3");
    ScoreParser flipped(ScoreKind::ces, ces_scale("1-5", std::string_view("high")));
    CHECK(show(flipped.parse("4")) == "4+");
    CHECK(show(flipped.parse("2")) == "2");
    CHECK_THROWS_AS(ces_scale("1-5", std::string_view("sideways")), Error);
}
