// The accounting paragraph for stderr: where every input row went, so a run never loses rows silently.
#include <fmt/format.h>

#include "csat/render.hpp"
#include "csat/text.hpp"

namespace csat {

namespace {

std::string lines_text(const LineSample& s) {
    std::string out;
    for (std::uint64_t l : s.first_lines) {
        out += out.empty() ? "" : ", ";
        out += std::to_string(l);
    }
    if (s.count > s.first_lines.size()) {
        out += ", ...";
    }
    return out;
}

}  // namespace

std::string accounting_summary(const JobResult& job) {
    const Accounting& a = job.accounting;
    std::string out = fmt::format(
        "csat: read {} row{} from {} file{}", group_thousands(static_cast<long long>(a.total_read())),
        a.total_read() == 1 ? "" : "s", a.files.size(), a.files.size() == 1 ? "" : "s");
    for (const FileAccount& f : a.files) {
        out += fmt::format("; {} ({}): {} read, {} used", escape_control(f.path), f.role,
                           group_thousands(static_cast<long long>(f.rows_read)),
                           group_thousands(static_cast<long long>(f.used)));
        for (const auto& [fate, sample] : f.excluded) {
            out += fmt::format(", {}: {} (line {})", row_fate_description(fate),
                               group_thousands(static_cast<long long>(sample.count)), lines_text(sample));
        }
        if (f.orphans_kept > 0) {
            out += fmt::format(", orphans kept: {}", f.orphans_kept);
        }
        if (f.repeated_headers > 0) {
            out += fmt::format(", repeated header rows skipped: {}", f.repeated_headers);
        }
        if (f.footer_lines > 0) {
            out += fmt::format(", report footer lines skipped: {}", f.footer_lines);
        }
    }
    out += ".";
    for (const InvalidValues& v : a.invalid) {
        out += fmt::format(" Invalid {} values in {} column '{}': {} (line {}; first '{}': {}).", v.metric,
                           escape_control(v.file), escape_control(v.column),
                           group_thousands(static_cast<long long>(v.sample.count)), lines_text(v.sample),
                           escape_control(v.first_value), v.first_reason);
    }
    return out + "\n";
}

}  // namespace csat
