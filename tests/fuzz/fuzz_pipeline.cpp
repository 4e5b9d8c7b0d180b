// Fuzz target for the whole job: the input is split into a cases file and a responses file at the position the
// first byte names, then report's pipeline runs on them grouped by agent and week. Properties: only csat::Error
// escapes, and every file's rows are accounted for (read = used + excluded).
#include <cstdint>
#include <cstdlib>
#include <string>

#include "csat/job.hpp"

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
    o.in_memory_files["responses.csv"] = std::string(reinterpret_cast<const char*>(data + split), size - split);
    o.csv.max_record_bytes = 1 << 16;
    o.on_error = (data[0] & 1) ? csat::OnError::skip : csat::OnError::fail;
    o.duplicates = (data[0] & 2) ? csat::DuplicatePolicy::all : csat::DuplicatePolicy::latest;
    o.period = csat::Period::week;
    o.by = {"agent"};
    try {
        csat::JobResult r = csat::run_job(o);
        for (const csat::FileAccount& f : r.accounting.files) {
            if (f.used + f.excluded_total() != f.rows_read) {
                std::abort();
            }
        }
    } catch (const csat::Error&) {
    }
    return 0;
}
