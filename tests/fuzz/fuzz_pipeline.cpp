// Fuzz target for the whole job: the input is split into a cases file and a responses file at the position
// the first byte names, then report's pipeline runs on them grouped by agent and week. Properties: only
// csat::Error escapes, every file's rows are accounted for (read = used + excluded), and reading on three
// threads in tiny chunks (whose guessed boundaries are mostly wrong) gives exactly the one-thread result.
#include <cstdint>
#include <cstdlib>
#include <string>

#include <fmt/format.h>

#include "csat/job.hpp"

namespace {

std::string summary(const csat::JobOptions& o) {
    try {
        csat::JobResult r = csat::run_job(o);
        std::string out;
        auto stats = [&](const csat::GroupStats& s) {
            out += fmt::format("{} {} {} {} {} {} {} {} {} {}\n", s.cases, s.responded, s.responses, s.csat_n,
                               s.csat_positive, s.csat_sum, s.nps_n, s.promoters, s.detractors, s.ces_sum);
        };
        stats(r.total);
        for (const csat::GroupResult& g : r.groups) {
            for (const std::string& k : g.key) {
                out += k + "|";
            }
            stats(g.stats);
        }
        for (const csat::FileAccount& f : r.accounting.files) {
            if (f.used + f.excluded_total() != f.rows_read) {
                std::abort();
            }
            out += fmt::format("{} {} {} {} {}\n", f.rows_read, f.used, f.blank_lines, f.footer_lines,
                               f.repeated_headers);
            for (const auto& [fate, sample] : f.excluded) {
                out += fmt::format("{} {} {}\n", static_cast<int>(fate), sample.count,
                                   fmt::join(sample.first_lines, ","));
            }
        }
        for (const csat::InvalidValues& v : r.accounting.invalid) {
            out += fmt::format("{} {} {}\n", v.metric, v.sample.count, fmt::join(v.sample.first_lines, ","));
        }
        return out;
    } catch (const csat::Error& e) {
        return "error " + e.located_message();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) {
        return 0;
    }
    std::size_t split = 1 + data[0] % (size - 1);
    csat::JobOptions o;
    o.csat_scale = csat::csat_scale("1-5", std::nullopt);
    o.ces_scale = csat::ces_scale("1-7", std::nullopt);
    o.cases_files = {"cases.csv"};
    o.responses_files = {"responses.csv"};
    o.in_memory_files["cases.csv"] = std::string(reinterpret_cast<const char*>(data + 1), split - 1);
    o.in_memory_files["responses.csv"] =
        std::string(reinterpret_cast<const char*>(data + split), size - split);
    o.csv.max_record_bytes = 1 << 16;
    o.on_error = (data[0] & 1) ? csat::OnError::skip : csat::OnError::fail;
    o.duplicates = (data[0] & 2) ? csat::DuplicatePolicy::all : csat::DuplicatePolicy::latest;
    o.period = csat::Period::week;
    o.by = {"agent"};
    const std::string one = summary(o);
    o.threads = 3;
    o.chunk_bytes = 1 + data[0] % 13;
    if (summary(o) != one) {
        std::abort();
    }
    return 0;
}
