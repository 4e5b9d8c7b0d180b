// Accounting: what happened to every input row. Each file's rows_read equals used plus the sum of its
// exclusions, so a run can always say where each row went. Invalid score values are counted per metric
// (the row itself is still used for the other metrics).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace csat {

// Why a row was not used. The order here is the order of the report.
enum class RowFate {
    malformed,           // ragged row or other structural problem (--on-error skip)
    missing_case_id,     // blank case ID
    duplicate_case,      // the same case ID again with identical values
    filtered_where,      // --where excluded it
    filtered_date,       // outside --since/--until
    case_filtered,       // a response whose case was excluded by a filter
    no_answer,           // a response row with no score at all (blank, N/A, Offered)
    before_created,      // a response dated before its case was created
    orphan,              // a response whose case ID is not in the cases file
    duplicate_response,  // a response replaced under --duplicates latest|first
    conflicting_case,    // the same case ID with different values (only counted by validate; else an error)
};
inline constexpr int k_row_fate_count = 11;
std::string row_fate_name(RowFate fate);         // snake_case, for JSON and CSV
std::string row_fate_description(RowFate fate);  // for the human summary

struct LineSample {
    std::uint64_t count = 0;
    std::vector<std::uint64_t> first_lines;  // up to k_sample_lines
};
inline constexpr std::size_t k_sample_lines = 5;

struct FileAccount {
    std::string path;
    std::string role;  // "cases", "responses" or "cases+responses"
    std::uint64_t rows_read = 0;
    std::uint64_t used = 0;
    std::uint64_t blank_lines = 0;
    std::uint64_t footer_lines = 0;
    std::uint64_t repeated_headers = 0;
    std::map<RowFate, LineSample> excluded;
    // Orphans under --keep-orphans are used but also counted here, so the report can say how many there were.
    std::uint64_t orphans_kept = 0;

    void exclude(RowFate fate, std::uint64_t line);
    std::uint64_t excluded_total() const;
};

struct InvalidValues {
    std::string file;
    std::string metric;  // "csat", "nps", "ces", "created_at", ...
    std::string column;
    LineSample sample;
    std::string first_value;
    std::string first_reason;
};

struct Reject {
    std::string file;
    std::uint64_t line = 0;
    std::string reason;
    std::string detail;
};

struct Accounting {
    std::vector<FileAccount> files;
    std::vector<InvalidValues> invalid;  // one entry per metric/column that had any
    std::vector<Reject> rejects;         // filled only when --rejects is asked for
    // Rows that were used but look wrong (validate): late responses, closed cases without a close date.
    std::vector<InvalidValues> findings;

    void add_invalid(const std::string& file, const std::string& metric, const std::string& column,
                     std::uint64_t line, std::string_view value, std::string_view reason);
    void add_finding(const std::string& file, const std::string& kind, const std::string& column,
                     std::uint64_t line, std::string_view value, std::string_view reason);
    std::uint64_t total_read() const;
    std::uint64_t total_excluded(RowFate fate) const;
};

}  // namespace csat
