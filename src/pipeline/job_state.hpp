// Private to the pipeline: the compact in-memory state between loading and aggregation. A case is kept as
// the few bytes the join and the report need: its ID in the case index, the id of its "class" (the values
// of its dimensions and its period, which many cases share), its creation time and a few flags. Responses
// are kept only as the bytes that aggregation needs.
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "csat/case_index.hpp"
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
};

enum ResponseFlag : std::uint8_t {
    k_csat_answered = 1,
    k_csat_positive = 2,
    k_csat_has_value = 4,
    k_nps_answered = 8,
    k_ces_answered = 16,
    k_ces_easy = 32,
};

// A column that grows in blocks, each twice the size of the one before (16Ki values first): appending never
// moves what is stored, so loading millions of cases has no reallocation peaks (a doubling vector holds old
// and new copies at once). Values are trivially copyable.
template <class T>
class Column {
  public:
    static_assert(std::is_trivially_copyable_v<T>);
    static constexpr unsigned k_first_shift = 14;

    void push_back(const T& value) {
        if (m_size == m_capacity) {
            grow();
        }
        m_last[m_size - m_last_start] = value;
        ++m_size;
    }
    T& operator[](std::size_t i) { return at(i); }
    T& back() { return m_last[m_size - 1 - m_last_start]; }  // of a column that is not empty
    // Always inline: see StringIndex::prefetch.
    [[gnu::always_inline]] void prefetch(std::size_t i) const {
        __builtin_prefetch(&const_cast<Column*>(this)->at(i), 1);
    }
    const T& operator[](std::size_t i) const { return const_cast<Column*>(this)->at(i); }
    std::size_t size() const { return m_size; }
    bool empty() const { return m_size == 0; }
    // A pass over the values [from, to) without locating each one: fn(values, other, count) per run of
    // them within one block, where `other` is the same run of another column (every column has the same
    // blocks for the same indexes).
    template <class U, class Fn>
    void for_each_run(const Column<U>& other, std::size_t from, std::size_t to, Fn&& fn) const {
        to = std::min(to, m_size);
        std::size_t first = 0;
        for (std::size_t b = 0; b < m_blocks.size() && first < to; ++b) {
            const std::size_t end = first + (std::size_t{1} << (b + k_first_shift));
            if (end > from) {
                const std::size_t at = std::max(from, first);
                const std::size_t count = std::min(end, to) - at;
                fn(m_blocks[b].template as<T>() + (at - first), other.block(b) + (at - first), count);
            }
            first = end;
        }
    }
    const T* block(std::size_t b) const { return m_blocks[b].template as<T>(); }

  private:
    // Block b holds 2^(b + k_first_shift) values from index (2^b - 1) << k_first_shift.
    T& at(std::size_t i) {
        const std::size_t q = (i >> k_first_shift) + 1;
        const auto b = static_cast<unsigned>(63 - __builtin_clzll(q));
        return m_blocks[b].template as<T>()[i - (((std::size_t{1} << b) - 1) << k_first_shift)];
    }
    void grow() {
        const std::size_t count = std::size_t{1} << (m_blocks.size() + k_first_shift);
        m_blocks.emplace_back(count * sizeof(T));
        m_last = m_blocks.back().template as<T>();
        m_last_start = m_capacity;
        m_capacity += count;
    }

    std::vector<ZeroedBuffer> m_blocks;
    T* m_last = nullptr;
    std::size_t m_last_start = 0;
    std::size_t m_size = 0;
    std::size_t m_capacity = 0;
};

// A dimension used for --by, --where or a kept response's context: which file it comes from and its
// dictionary of values.
struct Dimension {
    std::string name;  // as the user wrote it
    FileKind kind;     // the file whose column it is
    std::optional<Role> role;
    std::string header;  // resolved header name in the first file of that kind
    StringIndex values;
};

// The distinct combinations of case-dimension values and case period: a case stores one class id.
struct CaseClasses {
    StringIndex keys;  // per case dimension its value (a u32 length, the text), then the i64 period
    std::vector<std::uint32_t> dims;   // per class, one value id per case dimension (state.case_dims order)
    std::vector<std::int64_t> period;  // per class: period key, or k_no_time (no date, or no --period)
};

// Where a case came from, by runs: case `first` and the ones after it were on consecutive lines.
struct LineRun {
    std::uint32_t first = 0;
    std::uint16_t file = 0;
    std::uint64_t line = 0;
};

// What every case keeps, in one 12-byte record: one stream of writes while loading, not three. The creation
// time is kept in seconds from the table's first one, which covers 68 years either way; a time further off
// is kept aside (exports that far apart are rare, but not wrong).
struct CaseData {
    std::int32_t created;
    std::uint32_t case_class;
    std::uint32_t row_hash;  // of every field, to tell an identical repeat from a conflicting one
};

struct CaseTable {
    static constexpr std::int32_t k_no_created = std::numeric_limits<std::int32_t>::min();
    static constexpr std::int32_t k_far_created = k_no_created + 1;

    CaseIndex ids;
    Column<CaseData> data;
    Column<std::int64_t> closed;  // only when keep_closed (validate's findings, alerts' context)
    Column<std::uint8_t> flags;
    Column<std::uint32_t> response_slot;  // only for --duplicates latest|first
    std::vector<LineRun> runs;
    std::int64_t created_base = k_no_time;
    std::map<std::uint32_t, std::int64_t> far_created;
    bool keep_closed = false;
    bool keep_slots = false;

    std::uint32_t size() const { return ids.size(); }
    // Adds the case that `ids` just gave the next id; responses-only input passes no file (file 0, line 0).
    // Always inline: every case row comes here (the 100k job: 229.7M -> 228.9M instructions).
    [[gnu::always_inline]] void add(std::uint32_t case_class_id, std::int64_t created_at,
                                    std::int64_t closed_at, std::uint32_t hash, std::uint8_t case_flags,
                                    std::uint16_t file, std::uint64_t line) {
        const auto id = static_cast<std::uint32_t>(flags.size());
        std::int32_t created_rel = k_no_created;
        bool far = false;
        if (created_at != k_no_time) {
            // created_base is k_no_time before the first creation time: the difference then overflows, and
            // is caught below with the times too far from it.
            const std::int64_t delta = static_cast<std::int64_t>(static_cast<std::uint64_t>(created_at) -
                                                                 static_cast<std::uint64_t>(created_base));
            far = created_base == k_no_time || delta <= k_far_created ||
                  delta > std::numeric_limits<std::int32_t>::max();
            created_rel = static_cast<std::int32_t>(delta);
        }
        data.push_back(CaseData{created_rel, case_class_id, hash});
        if (far) {
            add_far(id, created_at);
        }
        if (keep_closed) {
            closed.push_back(closed_at);
        }
        flags.push_back(case_flags);
        if (keep_slots) {
            response_slot.push_back(k_no_slot);
        }
        if (runs.empty() || runs.back().file != file || runs.back().line + (id - runs.back().first) != line) {
            add_run(id, file, line);
        }
    }
    std::pair<std::uint16_t, std::uint64_t> source(std::uint32_t id) const;  // file index and line
    std::int64_t created_at(std::uint32_t id) const {
        const std::int32_t v = data[id].created;
        if (v == k_no_created) {
            return k_no_time;
        }
        return v == k_far_created ? far_created.at(id) : created_base + v;
    }
    std::uint32_t class_of(std::uint32_t id) const { return data[id].case_class; }
    // Starts loading what a response reads and writes of its case (the case index finds cases in any order).
    [[gnu::always_inline]] void prefetch(std::uint32_t id) const {
        data.prefetch(id);
        flags.prefetch(id);
    }
    std::int64_t closed_at(std::uint32_t id) const { return keep_closed ? closed[id] : k_no_time; }

  private:
    // The rare paths of add(): the first creation time, one too far from it, a new run of lines.
    void add_far(std::uint32_t id, std::int64_t created_at);
    void add_run(std::uint32_t id, std::uint16_t file, std::uint64_t line);
};

// 24 bytes: the line is kept in 48 bits (a file of 2^48 lines is not an export).
struct StoredResponse {
    std::int64_t submitted = k_no_time;
    std::uint32_t case_index = k_no_case;
    std::uint32_t line_low = 0;
    std::uint16_t file = 0;
    std::uint16_t line_high = 0;
    std::uint8_t flags = 0;
    std::int8_t csat = 0;
    std::int8_t nps = 0;
    std::int8_t ces = 0;

    std::uint64_t line() const { return (std::uint64_t{line_high} << 32) | line_low; }
    void set_line(std::uint64_t line) {
        line_low = static_cast<std::uint32_t>(line);
        line_high = static_cast<std::uint16_t>(line >> 32);
    }
};
static_assert(sizeof(StoredResponse) == 24);

struct ResolvedFilter {
    std::optional<std::size_t> column;
    const WhereFilter* filter = nullptr;
    bool keeps(std::string_view value) const;
};

// The groups of the report and their accumulators. Counted responses go in as they are applied when nothing
// can replace them (--duplicates all, no kept details: see JobState::stream_responses), else at the end;
// eligible cases go in at the end, by class.
struct GroupTable {
    StringIndex keys;  // packed: a u32 value id per group dimension, then the i64 period
    std::vector<GroupStats> stats;
    std::vector<std::int64_t> period;
    std::vector<std::uint32_t> of_class;  // per case class, its group once looked up (k_no_case before)
    std::uint32_t of_no_case = k_no_case;
    std::vector<std::size_t> case_pos;      // per dimension: where it is among the case dimensions
    std::vector<std::size_t> response_pos;  // ... and among the response dimensions
    bool key_needs_response = false;        // the key depends on the response, not just its case
    bool grouped = false;
    bool prepared = false;
    std::vector<char> key;
};

// One input file being read: its reader, mapping(s) and accounting entry.
struct InputFile {
    std::string path;
    std::unique_ptr<CsvReader> reader;
    ColumnMap cases_map;
    ColumnMap responses_map;
    std::size_t account_index = 0;
    std::uint16_t file_index = 0;
    std::vector<std::optional<std::size_t>>
        dim_columns;                      // per state.dims entry (nullopt if the other file's)
    std::vector<ResolvedFilter> filters;  // filters on this file's columns
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
    CaseClasses classes;
    Column<StoredResponse> responses;  // unless stream_responses
    bool stream_responses = false;
    GroupTable groups;
    std::vector<Column<std::uint32_t>> response_dim_values;  // per response dimension, per stored response
    std::vector<std::optional<ResponseDetail>> details;      // per stored response, under options.details
    std::vector<std::size_t> detail_dims;                    // indexes into dims, per detail role
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
// Adds a counted response to the total and its group; dim_values holds its response-dimension values.
void count_response(JobState& state, const StoredResponse& r, const std::uint32_t* dim_values);
void aggregate(JobState& state);

// Thrown by a loader when a date column turned out to be day-first after ambiguous values were read as
// month-first: the job is run again with the learned order.
struct RetryWithDateOrders {};

}  // namespace csat::pipeline
