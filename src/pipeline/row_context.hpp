// Private to the pipeline: the per-file reading context shared by the case and response loaders: opening
// and mapping a file, checking that every file of one role maps alike, and the row-level rules for malformed
// rows, date columns (with day/month sniffing), filters and --strict.
#pragma once

#include <cassert>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/job_state.hpp"

namespace csat::pipeline {

// What one date cell says about its column's day/month order.
struct DateSniff {
    DateVote vote = DateVote::none;
    bool ambiguous = false;
};
static_assert(sizeof(DateSniff) == 2);

// One date cell as parsed: the instant (UTC seconds, or k_no_time for blank, placeholder or invalid) and
// what it says about the column's day/month order. The flags are one word, not three bools: where the
// inline timestamp path and parse_other() met, GCC merged the bools through the stack, byte stores then a
// word load, which cannot be forwarded (a stall of about 10% of the case digest's samples at 5M).
struct DateCell {
    static constexpr std::uint32_t k_ambiguous = 1u << 8;  // read month-first for now
    static constexpr std::uint32_t k_invalid = 1u << 9;

    std::int64_t utc = k_no_time;
    std::uint32_t bits = 0;  // the vote in the low byte, then the flags above

    DateVote vote() const { return static_cast<DateVote>(bits & 0xFF); }
    bool ambiguous() const { return (bits & k_ambiguous) != 0; }
    bool invalid() const { return (bits & k_invalid) != 0; }
    DateSniff sniff() const { return {vote(), ambiguous()}; }
};

// A date column of one file, parsed with day/month sniffing over the whole column. parse() may run on any
// thread; count() takes the cells of the rows the job uses, in input order.
class DateColumn {
  public:
    DateColumn(Role role, std::optional<std::size_t> column, DateOrder order);
    DateCell parse(std::string_view text, const TimeZone& tz) const {
        // The plain-timestamp form inline (year first: no day/month evidence, never ambiguous).
        ParsedTime t;
        if (parse_plain_timestamp(text, t)) {
            DateCell cell;
            cell.utc = tz.is_utc() ? t.seconds : tz.to_utc(t);
            return cell;
        }
        return parse_other(text, tz);
    }
    void count(DateVote vote, bool ambiguous);
    std::optional<std::size_t> column() const { return m_column; }
    Role role() const { return m_role; }
    // After the file: throws for an unresolvable column, or returns the order a second pass needs.
    std::optional<DateOrder> finish(const std::string& file, const std::string& header) const;

  private:
    DateCell parse_other(std::string_view text, const TimeZone& tz) const;

    Role m_role;
    std::optional<std::size_t> m_column;
    DateOrder m_order;
    DateOrderSniffer m_sniffer;
    bool m_saw_ambiguous = false;
};

// Opens a file (reading its header), maps it, and checks that it maps like the earlier files of its role.
InputFile open_input(JobState& state, const std::string& path, FileKind kind, bool both_roles);

// Resolves --by and --where names into dimensions and filters; called once with the first file's headers.
void plan_dimensions(JobState& state, const InputFile* cases_file, const InputFile* responses_file);
void bind_columns(JobState& state, InputFile& input, FileKind kind);

// Handles a record's structural problem (located already): throws under --on-error fail, else counts it.
void skip_malformed(JobState& state, InputFile& input, Error problem);

// Records a reject for --rejects and, under --strict, throws a data error instead.
void reject(JobState& state, InputFile& input, std::uint64_t line, RowFate fate, const std::string& detail);

// The cell of a mapped column, or empty if unmapped. Only for a record without a problem: the reader gives
// every other one (a row shorter or longer than the header) a problem, and the mapped columns are the
// header's, so each is in range. Inline, with no range test: it runs per cell.
inline std::string_view field(const CsvRecord& record, std::optional<std::size_t> column) {
    if (!column) {
        return {};
    }
    assert(!record.problem && *column < record.fields.size());
    return record.fields[*column];
}

// Counts an invalid value; under --strict throws a data error naming file:line:column.
void invalid_value(JobState& state, InputFile& input, std::uint64_t line, std::uint64_t field_column,
                   std::size_t column, const std::string& metric, std::string_view value,
                   std::string_view reason, const std::string& expected);

bool is_truthy(std::string_view value);

}  // namespace csat::pipeline
