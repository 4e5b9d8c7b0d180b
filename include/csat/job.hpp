// The shared job behind report, check, trend, alerts, validate and summary: load the cases, join the
// responses, and aggregate per group. JobOptions is plain data filled from the command line by
// commands/job_options.cpp; run_job() is the pipeline read -> map -> load/index -> join -> aggregate.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "csat/accounting.hpp"
#include "csat/csv_reader.hpp"
#include "csat/group_stats.hpp"
#include "csat/mapping.hpp"
#include "csat/scores.hpp"
#include "csat/time.hpp"

namespace csat {

enum class DuplicatePolicy { latest, first, all };
enum class DateBasis { closed, created, response };
enum class RateBase { auto_detect, closed, sent, offered };
enum class OnError { fail, skip };

struct WhereFilter {
    std::string column;               // a role name or a header of either file
    std::vector<std::string> values;  // kept values, compared after trimming, case-sensitive
};

// Which counted responses to keep in full (for alerts): low CSAT and/or NPS detractors.
struct DetailRule {
    std::optional<int> csat_at_or_below;  // numeric answers <= this, and non-positive labels
    bool nps_detractors = false;
};

struct JobOptions {
    std::vector<std::string> cases_files;      // may be empty (responses only)
    std::vector<std::string> responses_files;  // may be empty (one file holds both)
    Preset preset = Preset::auto_detect;
    std::vector<ColumnOverride> overrides;
    CsvOptions csv;

    std::vector<std::string> by;  // group keys: role names or headers of either file
    Period period = Period::none;
    WeekStart week_start = WeekStart::monday;
    DateBasis date_basis = DateBasis::closed;
    std::string tz = "UTC";
    DateOrder date_order = DateOrder::unknown;  // unknown = sniff each column
    std::optional<std::int64_t> since_day;      // local days, inclusive
    std::optional<std::int64_t> until_day;      // local days, inclusive
    std::vector<WhereFilter> where;

    Scale csat_scale;
    Scale ces_scale;
    std::string labels;     // --labels
    std::string na_values;  // --na-values
    DuplicatePolicy duplicates = DuplicatePolicy::latest;
    bool keep_orphans = false;
    RateBase rate_base = RateBase::auto_detect;
    std::vector<std::string> closed_statuses{"closed", "solved", "resolved", "done", "completed"};
    bool strict = false;
    OnError on_error = OnError::fail;
    bool collect_rejects = false;
    bool progress = false;  // draw a progress line on stderr while reading
    unsigned threads = 1;   // threads reading one file (--threads); the result does not depend on it
    std::uint64_t chunk_bytes = 1u << 20;  // how a file is cut for those threads; tests make it tiny
    std::optional<DetailRule> details;
    // validate: count conflicting case IDs instead of stopping, and record findings (responses more than
    // max_lag_days after closure, closed cases without a close date).
    bool count_case_conflicts = false;
    bool collect_findings = false;
    int max_lag_days = 90;
    // Case roles to carry into ResponseDetail (when mapped).
    std::vector<std::string> detail_roles{"agent", "queue", "case_type"};
    // Tests: file contents by path, read instead of the disk (the pipeline stays the same).
    std::map<std::string, std::string> in_memory_files;
};

// One counted response kept in full under JobOptions::details.
struct ResponseDetail {
    std::string case_id;
    std::vector<std::string> case_values;    // per JobResult::detail_names; empty when unmapped or no case
    std::optional<std::int64_t> created_at;  // UTC seconds
    std::optional<std::int64_t> closed_at;
    std::optional<std::int64_t> submitted_at;
    std::optional<int> csat;
    std::string csat_text;  // the answer as written (labels have no number)
    std::optional<int> nps;
    std::optional<int> ces;
    std::string comment;
    std::string file;
    std::uint64_t line = 0;
};

struct FileMapping {
    std::string path;
    std::string kind;  // "cases", "responses", "cases+responses"
    Preset preset = Preset::generic;
    char delimiter = ',';
    std::vector<std::pair<std::string, std::string>> roles;  // role name -> header
};

struct GroupResult {
    std::vector<std::string> key;  // one value per --by key, then the period label if any
    std::optional<std::int64_t> period_key;
    GroupStats stats;
};

struct JobResult {
    std::vector<std::string> key_names;  // the --by keys, then "period" if any
    std::vector<GroupResult> groups;     // sorted by key (period keys chronologically)
    GroupStats total;
    // Case-side figures (cases, responded, response rate) are meaningful per group only when every group key
    // is known for a case without its responses; false with --date response or a responses-file key.
    bool group_case_metrics = true;
    bool total_case_metrics = true;
    bool has_csat = false;
    bool has_nps = false;
    bool has_ces = false;
    bool has_cases = false;
    DateBasis date_basis = DateBasis::closed;  // in effect (responses-only input uses the response date)
    std::string rate_base;  // "closed cases", "cases flagged as surveyed", "cases offered a survey"
    std::vector<FileMapping> mappings;
    Accounting accounting;
    std::vector<std::string> notes;
    std::vector<ResponseDetail> details;  // under JobOptions::details, in input order
    std::vector<std::string> detail_names;
    std::optional<std::int64_t> first_day;  // the date range seen on the date basis (local days)
    std::optional<std::int64_t> last_day;
};

JobResult run_job(const JobOptions& options);

}  // namespace csat
