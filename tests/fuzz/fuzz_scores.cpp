// Fuzz target for score and label parsing on every kind and several scales. Properties: never throws; a value
// lies on its scale; NPS promoters and detractors never overlap; an invalid answer always says why.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "csat/scores.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    static const csat::ScoreParser parsers[] = {
        csat::ScoreParser(csat::ScoreKind::csat, csat::csat_scale("1-5", std::nullopt)),
        csat::ScoreParser(csat::ScoreKind::csat, csat::csat_scale("0-10", std::nullopt)),
        csat::ScoreParser(csat::ScoreKind::csat, csat::csat_scale("1-3", std::nullopt)),
        csat::ScoreParser(csat::ScoreKind::csat, csat::csat_scale("binary", std::nullopt)),
        csat::ScoreParser(csat::ScoreKind::csat, csat::csat_scale("1-5", std::nullopt), "Awful=1,Great=5",
                          "skip"),
        csat::ScoreParser(csat::ScoreKind::nps, csat::nps_scale()),
        csat::ScoreParser(csat::ScoreKind::ces, csat::ces_scale("1-7", std::nullopt)),
        csat::ScoreParser(csat::ScoreKind::ces, csat::ces_scale("1-5", std::nullopt)),
    };
    for (const csat::ScoreParser& p : parsers) {
        csat::Answer a = p.parse(text);
        if (a.has_value && (a.value < p.scale().min || a.value > p.scale().max)) {
            std::abort();
        }
        if (a.positive && a.negative) {
            std::abort();
        }
        if (a.status == csat::AnswerStatus::invalid && a.reason.empty()) {
            std::abort();
        }
    }
    return 0;
}
