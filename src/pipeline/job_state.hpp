// Private to the pipeline: the compact in-memory state between loading and aggregation. Cases are stored
// column-wise with dictionary-encoded dimensions and a hash index on the case ID; responses are kept only as
// the few bytes that aggregation needs.
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "csat/hash_index.hpp"
#include "csat/job.hpp"

namespace csat::pipeline {

inline constexpr std::int64_t k_no_time = std::numeric_limits<std::int64_t>::min();
inline constexpr std::uint32_t k_no_case = 0xFFFFFFFFu;
inline constexpr std::uint32_t k_no_slot = 0xFFFFFFFFu;

enum CaseFlag : std::uint8_t {
    k_case_closed = 1,
    k_case_sent = 2,
    k_case_surveyed = 4,  // offered a survey or answered one (Zendesk-style score states)
    k_case_excluded = 8,  // removed by --where or --since/--until; kept so its responses are not orphans
    k_case_responded = 16,
    k_case_duplicate = 32,  // a later identical row (not counted)
};

enum ResponseFlag : std::uint8_t {
    k_csat_answered = 1,
    k_csat_positive = 2,
    k_csat_has_value = 4,
    k_nps_answered = 8,
    k_ces_answered = 16,
    k_ces_easy = 32,
};

// A dimension used for --by or --where: which file it comes from and its dictionary of values.
struct Dimension {
    std::string name;     // as the user wrote it
    FileKind kind;        // the file whose column it is
    std::optional<Role> role;
    std::string header;   // resolved header name in the first file of that kind
    StringIndex values;
};

struct CaseTable {
    StringIndex ids;
    std::vector<std::uint64_t> line;
    std::vector<std::uint16_t> file;
    std::vector<std::uint32_t> row_hash;  // of every field, to tell an identical repeat from a conflicting one
    std::vector<std::int64_t> created;
    std::vector<std::int64_t> closed;
    std::vector<std::uint8_t> flags;
    std::vector<std::vector<std::uint32_t>> dims;  // per case dimension, per case
    std::vector<std::uint32_t> response_slot;      // for --duplicates latest|first

    std::size_t size() const { return flags.size(); }
};

struct StoredResponse {
    std::uint32_t case_index = k_no_case;
    std::uint16_t file = 0;
    std::uint8_t flags = 0;
    std::int8_t csat = 0;
    std::int8_t nps = 0;
    std::int8_t ces = 0;
    std::uint64_t line = 0;
    std::int64_t submitted = k_no_time;
};

struct ResolvedFilter {
    std::optional<std::size_t> column;
    const WhereFilter* filter = nullptr;
    bool keeps(std::string_view value) const;
};

// One input file being read: its reader, mapping(s) and accounting entry.
struct InputFile {
    std::string path;
    std::unique_ptr<CsvReader> reader;
    ColumnMap cases_map;
    ColumnMap responses_map;
    std::size_t account_index = 0;
    std::uint16_t file_index = 0;
    std::vector<std::optional<std::size_t>> dim_columns;  // per state.dims entry (nullopt if the other file's)
    std::vector<ResolvedFilter> filters;                  // filters on this file's columns
};

// Learned day/month orders, per file and date role, for the second pass when a column sniffed as dmy.
using DateOrders = std::map<std::pair<std::string, Role>, DateOrder>;

struct JobState {
    const JobOptions* options = nullptr;
    TimeZone tz = TimeZone::utc();
    std::vector<Dimension> dims;  // case dimensions first, then response dimensions
    std::vector<std::size_t> case_dims;
    std::vector<std::size_t> response_dims;
    std::vector<std::size_t> group_dims;  // indexes into dims, in --by order
    CaseTable cases;
    std::vector<StoredResponse> responses;
    std::vector<std::vector<std::uint32_t>> response_dim_values;  // per response dimension, per stored response
    std::vector<std::optional<ResponseDetail>> details;           // per stored response, under options.details
    std::vector<std::size_t> detail_dims;                         // indexes into dims, per detail role
    bool have_cases_file = false;
    bool single_file = false;
    bool saw_offered_states = false;
    bool have_sent_column = false;
    bool have_status = false;
    std::vector<std::string> file_names;  // by file index, which is also the accounting index
    std::vector<InputFile> case_inputs;
    std::vector<InputFile> response_inputs;
    DateOrders date_orders;
    JobResult result;
};

void load_cases(JobState& state);
void load_responses(JobState& state);
void aggregate(JobState& state);

// Thrown by a loader when a date column turned out to be day-first after ambiguous values were read as
// month-first: the job is run again with the learned order.
struct RetryWithDateOrders {};

}  // namespace csat::pipeline
