// Fuzz target for the date parser and the day/month sniffer. Properties: never throws; an ok result formats
// back to text that parses to the same instant; sniffer results are consistent with what it was fed.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "csat/time.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    csat::DateOrderSniffer sniffer;
    for (csat::DateOrder order : {csat::DateOrder::unknown, csat::DateOrder::dmy, csat::DateOrder::mdy}) {
        csat::ParsedTime t;
        csat::TimeParse status = csat::parse_time(text, order, t);
        if (status == csat::TimeParse::ambiguous && order != csat::DateOrder::unknown) {
            std::abort();  // a given order never leaves a date ambiguous
        }
        if (status == csat::TimeParse::ok && t.seconds > -62135596800LL && t.seconds < 253402300800LL) {
            // Years 1..9999: the canonical text must read back to the same instant.
            std::string again = csat::format_local_time(t.seconds) + (t.absolute ? "Z" : "");
            csat::ParsedTime u;
            if (csat::parse_time(again, csat::DateOrder::unknown, u) != csat::TimeParse::ok || u.seconds != t.seconds) {
                std::abort();
            }
        }
    }
    sniffer.feed(text);
    if (sniffer.conflicting() && sniffer.result() != csat::DateOrder::unknown) {
        std::abort();
    }
    return 0;
}
