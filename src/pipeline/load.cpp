// Loading: the case files into the compact CaseTable, then the response files through the join. Rows are
// digested in batches, on several threads when a file can be split (pipeline/chunks.cpp, digest.cpp), and
// applied here in input order: the case index, repeated cases, the duplicate policy for responses, the
// accounting of every row, and --strict. One file can play both roles (a Zendesk ticket export carries its
// satisfaction score).
#include <algorithm>
#include <array>
#include <limits>

#include "csat/error.hpp"
#include "csat/progress.hpp"
#include "csat/text.hpp"
#include "pipeline/digest.hpp"

namespace csat::pipeline {

namespace {

// One file being applied: its columns, counters of day/month evidence, accounting entry and progress.
class FileLoad {
  public:
    FileLoad(JobState& state, InputFile& input)
        : m_state(state),
          m_input(input),
          m_cols(state, input),
          m_created(m_cols.created),
          m_closed(m_cols.closed),
          m_submitted(m_cols.submitted),
          m_progress(state.options->progress, input.path, input.reader->total_bytes()),
          m_digester(state, input, m_cols),
          m_data_start(input.reader->offset()) {}

    // Reads the whole file through `apply`, then records the reader's counts and the day/month evidence.
    template <class Apply>
    void run(bool cases, Apply&& apply) {
        const JobOptions& opt = *m_state.options;
        ChunkPlan plan;
        plan.threads = opt.threads;
        plan.chunk_bytes = opt.chunk_bytes;
        const std::size_t dim_count = m_state.dims.size();
        const TimeZone& tz = m_state.tz;
        const bool chunked = m_input.reader->total_bytes() > plan.chunk_bytes;
        MakeBatch make = [&tz, dim_count, cases, chunked] {
            auto batch = std::make_unique<Batch>(tz, dim_count);
            if (chunked) {
                batch->reserve_rows(cases);
            }
            return batch;
        };
        DigestChunk digest = [&](CsvReader& reader, ChunkBatch& batch, std::size_t max_rows) {
            auto& b = static_cast<Batch&>(batch);
            return cases ? m_digester.cases(reader, b, max_rows) : m_digester.responses(reader, b, max_rows);
        };
        ChunkTotals totals = read_in_chunks(*m_input.reader, plan, make, digest, [&](ChunkBatch& batch) {
            auto& b = static_cast<Batch&>(batch);
            remap_codes(b);
            apply(b);
            m_progress.update(b.raw_done);
        });
        m_progress.finish(m_input.reader->total_bytes());
        FileAccount& account = this->account();
        account.blank_lines = totals.blank_lines;
        account.footer_lines = totals.footer_lines;
        account.repeated_headers = totals.repeated_headers;
        finish_dates();
    }

    JobState& state() { return m_state; }
    std::uint64_t data_start() const { return m_data_start; }
    InputFile& input() { return m_input; }
    const FileColumns& columns() const { return m_cols; }
    FileAccount& account() { return m_state.result.accounting.files[m_input.account_index]; }
    // The global code of a batch's dimension code, and of its case class.
    std::uint32_t dim_value(std::size_t dim, std::uint32_t code) const { return m_dim_codes[dim][code]; }
    std::uint32_t case_class(std::uint32_t local) const { return m_class_codes[local]; }

    // Records (or raises) the notes [from, to) of a batch.
    void play_notes(const Batch& batch, std::uint32_t from, std::uint32_t to, std::uint64_t line) {
        for (std::uint32_t i = from; i < to; ++i) {
            const RowNote& n = batch.notes[i];
            if (n.finding) {
                m_state.result.accounting.add_finding(
                    m_input.path, n.metric, m_input.reader->header()[n.column], line, n.value, n.reason);
            } else {
                invalid_value(m_state, m_input, line, n.field_column, n.column, n.metric, n.value, n.reason,
                              n.expected);
            }
        }
    }
    void count_dates(const DateSniff& created, const DateSniff& closed) {
        if (!says_nothing(created) || !says_nothing(closed)) {
            count(m_created, created);
            count(m_closed, closed);
        }
    }
    void count_submitted(const DateSniff& s) { count(m_submitted, s); }

  private:
    static bool says_nothing(const DateSniff& s) { return s.vote == DateVote::none && !s.ambiguous; }
    static void count(DateColumn& column, const DateSniff& s) {
        if (!says_nothing(s)) {  // most cells
            column.count(s.vote, s.ambiguous);
        }
    }

    // Translates the batch's dictionary codes and case classes into the job's.
    void remap_codes(const Batch& batch) {
        m_dim_codes.resize(m_state.dims.size());
        for (std::size_t d = 0; d < m_state.dims.size(); ++d) {
            const StringIndex& local = batch.dims[d];
            std::vector<std::uint32_t>& codes = m_dim_codes[d];
            codes.resize(local.size());
            for (std::uint32_t c = 0; c < local.size(); ++c) {
                codes[c] = m_state.dims[d].values.insert(local.key(c)).first;
            }
        }
        CaseClasses& classes = m_state.classes;
        const std::size_t n_dims = m_state.case_dims.size();
        m_class_codes.resize(batch.classes.size());
        for (std::uint32_t c = 0; c < batch.classes.size(); ++c) {
            // The job's classes have the batches' keys (values as text), so a class seen before costs one
            // lookup.
            std::string_view key = batch.classes.key(c);
            auto [id, inserted] = classes.keys.insert(key);
            if (inserted) {
                std::int64_t period = k_no_time;
                m_digester.class_key().read(key, n_dims, m_values, period);
                for (std::size_t k = 0; k < n_dims; ++k) {
                    classes.dims.push_back(
                        m_state.dims[m_state.case_dims[k]].values.insert(m_values[k]).first);
                }
                classes.period.push_back(period);
            }
            m_class_codes[c] = id;
        }
    }

    void finish_dates() {
        bool retry = false;
        for (DateColumn* c : {&m_created, &m_closed, &m_submitted}) {
            if (!c->column()) {
                continue;
            }
            if (auto order = c->finish(m_input.path, m_input.reader->header()[*c->column()])) {
                if (m_input.path == "-") {
                    throw Error(
                        ErrorKind::usage,
                        fmt::format("standard input: column '{}' holds day-first dates that were read before "
                                    "that was clear, and standard input cannot be read twice",
                                    m_input.reader->header()[*c->column()]),
                        "pass --date-order dmy");
                }
                m_state.date_orders[{m_input.path, c->role()}] = *order;
                retry = true;
            }
        }
        if (retry) {
            throw RetryWithDateOrders{};
        }
    }

    JobState& m_state;
    InputFile& m_input;
    FileColumns m_cols;
    DateColumn m_created;  // the evidence of the rows the job uses, in input order
    DateColumn m_closed;
    DateColumn m_submitted;
    Progress m_progress;
    Digester m_digester;
    std::vector<std::vector<std::uint32_t>> m_dim_codes;
    std::vector<std::uint32_t> m_class_codes;
    std::vector<std::string_view> m_values;
    std::uint64_t m_data_start;
};

void note_day(JobResult& result, std::int64_t day) {
    if (day == k_no_time) {
        return;
    }
    result.first_day = result.first_day ? std::min(*result.first_day, day) : day;
    result.last_day = result.last_day ? std::max(*result.last_day, day) : day;
}

// Stores a counted response, applying --duplicates; returns where it was stored, or k_no_slot if an
// earlier one was kept instead.
std::uint32_t store_response(FileLoad& load, const StoredResponse& r,
                             const std::vector<std::uint32_t>& dim_values) {
    JobState& state = load.state();
    const JobOptions& opt = *state.options;
    auto push = [&] {
        state.responses.push_back(r);
        for (std::size_t k = 0; k < dim_values.size(); ++k) {
            state.response_dim_values[k].push_back(dim_values[k]);
        }
        if (opt.details) {
            state.details.emplace_back();
        }
        return static_cast<std::uint32_t>(state.responses.size() - 1);
    };
    if (state.stream_responses) {
        count_response(state, r, dim_values.data());  // nothing can replace it: straight into its group
        return k_no_slot;
    }
    if (opt.duplicates == DuplicatePolicy::all || r.case_index == k_no_case) {
        return push();
    }
    std::uint32_t& slot = state.cases.response_slot[r.case_index];
    if (slot == k_no_slot) {
        slot = push();
        return slot;
    }
    StoredResponse& old = state.responses[slot];
    // Undated responses count as older than any dated one; ties keep file order.
    bool newer = r.submitted > old.submitted;
    bool replace = opt.duplicates == DuplicatePolicy::latest ? (newer || r.submitted == old.submitted)
                                                             : (r.submitted < old.submitted);
    auto& accounts = state.result.accounting.files;
    if (replace) {
        accounts[old.file].exclude(RowFate::duplicate_response, old.line());
        if (opt.collect_rejects) {
            state.result.accounting.rejects.push_back(Reject{state.file_names[old.file], old.line(),
                                                             row_fate_name(RowFate::duplicate_response),
                                                             fmt::format("replaced by line {}", r.line())});
        }
        old = r;
        for (std::size_t k = 0; k < dim_values.size(); ++k) {
            state.response_dim_values[k][slot] = dim_values[k];
        }
        return slot;
    }
    accounts[load.input().account_index].exclude(RowFate::duplicate_response, r.line());
    if (opt.collect_rejects) {
        state.result.accounting.rejects.push_back(Reject{load.input().path, r.line(),
                                                         row_fate_name(RowFate::duplicate_response),
                                                         fmt::format("kept line {} instead", old.line())});
    }
    return k_no_slot;
}

// Stores the response part of a row and keeps (or forgets) its detail for alerts.
void store_part(FileLoad& load, const Batch& batch, const ResponsePart& part, std::uint32_t case_index,
                std::uint64_t line, std::vector<std::uint32_t>& dim_values) {
    JobState& state = load.state();
    StoredResponse r = part.stored;
    r.case_index = case_index;
    r.file = load.input().file_index;
    r.set_line(line);
    for (std::size_t k = 0; k < state.response_dims.size(); ++k) {
        std::size_t d = state.response_dims[k];
        dim_values[k] = load.dim_value(d, batch.response_dims[part.dims + k]);
    }
    std::uint32_t slot = store_response(load, r, dim_values);
    if (!state.options->details || slot == k_no_slot) {
        return;
    }
    if (part.detail == k_no_entry) {
        state.details[slot].reset();
        return;
    }
    ResponseDetail d = batch.details[part.detail];
    d.line = line;
    state.details[slot] = std::move(d);
}

// A malformed row is counted (under --on-error skip) or its problem raised, at its line in the file.
bool skip_if_malformed(FileLoad& load, const Batch& batch, RowOutcome outcome, std::uint32_t problem) {
    if (outcome != RowOutcome::malformed) {
        return false;
    }
    Error e = batch.problems[problem];
    skip_malformed(load.state(), load.input(), e.shift_line(batch.lines_before));
    return true;
}

// The case index is sized once from the first rows and the size of the case files, so that it is not
// rebuilt while it grows.
void reserve_cases(JobState& state, std::uint64_t rows, std::uint64_t bytes) {
    std::uint64_t total = 0;
    for (const InputFile& f : state.case_inputs) {
        if (f.reader->total_bytes() == 0 || !f.reader->can_split()) {
            return;  // a pipe, or compressed: no size in rows' bytes to go by
        }
        total += f.reader->total_bytes();
    }
    if (rows < 1000 || bytes == 0) {
        return;
    }
    double estimate = static_cast<double>(rows) * static_cast<double>(total) / static_cast<double>(bytes);
    state.cases.ids.reserve(static_cast<std::size_t>(estimate * 1.05), state.options->threads);
}

// How many rows ahead the case index's slot is loaded while rows are inserted.
constexpr std::size_t k_ahead = 8;

void apply_cases(FileLoad& load, Batch& batch, bool& reserved) {
    JobState& state = load.state();
    InputFile& input = load.input();
    const JobOptions& opt = *state.options;
    CaseTable& cases = state.cases;
    FileAccount& account = load.account();
    if (!reserved && state.case_inputs.front().file_index == input.file_index) {
        reserved = true;
        reserve_cases(state, batch.cases.size(), batch.offset_end - load.data_start());
    }
    std::vector<std::uint32_t> dim_values(state.response_dims.size());
    std::uint32_t notes = 0;
    const std::size_t n = batch.cases.size();
    // The ID's number of each of the next k_ahead rows, by row % k_ahead (see CaseIndex::locate).
    std::array<std::uint64_t, k_ahead> numbers{};
    auto locate = [&](std::size_t i) {
        const CaseRow& row = batch.cases[i];
        numbers[i % k_ahead] = cases.ids.locate({batch.text.data() + row.id_at, row.id_size}, row.id_hash);
    };
    for (std::size_t i = 0; i < std::min(n, k_ahead); ++i) {
        locate(i);
    }
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint64_t number = numbers[i % k_ahead];
        if (i + k_ahead < n) {
            locate(i + k_ahead);
        }
        const CaseRow& row = batch.cases[i];
        const std::uint64_t line = row.line + batch.lines_before;
        const std::uint32_t first_note = notes;
        notes = row.notes_end;
        ++account.rows_read;
        if (skip_if_malformed(load, batch, row.outcome, row.extra)) {
            continue;
        }
        if (row.outcome == RowOutcome::missing_case_id) {
            reject(state, input, line, RowFate::missing_case_id, "the case ID is blank");
            continue;
        }
        load.play_notes(batch, first_note, row.notes_mid, line);
        load.count_dates(row.created_sniff, row.closed_sniff);
        const std::string_view id(batch.text.data() + row.id_at, row.id_size);
        const std::uint32_t case_class = load.case_class(row.case_class);
        auto [index, inserted] = cases.ids.insert(id, row.id_hash, number);
        const std::int64_t closed = cases.keep_closed ? batch.case_closed[i] : k_no_time;
        if (!inserted) {
            const CaseData& first = cases.data[index];
            bool same = first.row_hash == row.row_hash && cases.created_at(index) == row.created &&
                        cases.closed_at(index) == closed &&
                        (cases.flags[index] & (k_case_closed | k_case_sent)) == row.flags &&
                        first.case_class == case_class;
            if (!same && opt.count_case_conflicts) {
                account.exclude(RowFate::conflicting_case, line);
                continue;
            }
            auto [file, first_line] = cases.source(index);
            if (!same) {
                throw Error(ErrorKind::data, SourcePos{input.path, line, batch.case_id_columns[i]},
                            fmt::format("case ID '{}' appears twice with different values (first at {}:{})",
                                        id, state.file_names[file], first_line),
                            "remove one of the rows, or export each case once");
            }
            reject(state, input, line, RowFate::duplicate_case,
                   fmt::format("same as {}:{}", state.file_names[file], first_line));
            continue;
        }
        const std::uint8_t flags = row.flags;
        cases.add(case_class, row.created, closed, row.row_hash, flags, input.file_index, line);
        if (row.outcome == RowOutcome::filtered_where || row.outcome == RowOutcome::filtered_date) {
            cases.flags.back() = flags | k_case_excluded;
            account.exclude(
                row.outcome == RowOutcome::filtered_where ? RowFate::filtered_where : RowFate::filtered_date,
                line);
            continue;
        }
        if (row.day != k_no_day) {
            note_day(state.result, row.day);
        }
        if (row.extra != k_no_entry) {
            const ResponsePart& part = batch.parts[row.extra];
            load.play_notes(batch, row.notes_mid, row.notes_end, line);
            state.saw_offered_states = state.saw_offered_states || part.offer_states;
            if (part.answered || part.offered) {
                // Before the response is stored: counted at once (--duplicates all), it marks the case
                // responded, which a later write of the case's flags would undo.
                cases.flags.back() = flags | k_case_surveyed;
            }
            if (part.answered) {
                load.count_submitted(part.submitted);
                if (part.in_dates) {
                    store_part(load, batch, part, index, line, dim_values);
                }
            }
        }
    }
}

void apply_responses(FileLoad& load, Batch& batch) {
    JobState& state = load.state();
    InputFile& input = load.input();
    const JobOptions& opt = *state.options;
    CaseTable& cases = state.cases;
    FileAccount& account = load.account();
    const bool responses_only = opt.cases_files.empty();
    std::vector<std::uint32_t> dim_values(state.response_dims.size());
    std::uint32_t notes = 0;
    const std::size_t n = batch.responses.size();
    for (std::size_t r = 0; r < n; ++r) {
        if (r + k_ahead < n && batch.responses[r + k_ahead].case_index != k_no_case) {
            cases.prefetch(batch.responses[r + k_ahead].case_index);
        }
        const ResponseRow& row = batch.responses[r];
        const std::uint64_t line = row.line + batch.lines_before;
        const std::uint32_t first_note = notes;
        notes = row.notes_end;
        ++account.rows_read;
        if (skip_if_malformed(load, batch, row.outcome, row.problem)) {
            continue;
        }
        if (row.outcome == RowOutcome::filtered_where) {
            account.exclude(RowFate::filtered_where, line);
            continue;
        }
        // An orphan's notes about its response date are not its: it never got that far.
        load.play_notes(batch, first_note, row.outcome == RowOutcome::orphan ? row.notes_mid : row.notes_end,
                        line);
        const ResponsePart& part = row.part;
        state.saw_offered_states = state.saw_offered_states || part.offer_states;
        const std::string_view id(batch.text.data() + row.id_at, row.id_size);
        std::uint32_t index = row.case_index;
        if (responses_only && !id.empty()) {
            auto [i, inserted] = cases.ids.insert(id, row.id_hash);
            if (inserted) {
                cases.add(0, k_no_time, k_no_time, 0, 0, 0, 0);
            }
            index = i;
        }
        switch (row.outcome) {
            case RowOutcome::no_answer:
                if (part.offered && index != k_no_case) {
                    cases.flags[index] |= k_case_surveyed;
                }
                account.exclude(RowFate::no_answer, line);
                continue;
            case RowOutcome::missing_case_id:
                reject(state, input, line, RowFate::missing_case_id, "the case ID is blank");
                continue;
            case RowOutcome::orphan:
                reject(state, input, line, RowFate::orphan,
                       fmt::format("no case '{}' in the cases files", id));
                continue;
            default:
                break;
        }
        if (!responses_only && index == k_no_case) {
            ++account.orphans_kept;
        }
        load.count_submitted(part.submitted);
        const std::int64_t submitted = part.stored.submitted;
        if (index != k_no_case && !responses_only) {
            if (cases.flags[index] & k_case_excluded) {
                account.exclude(RowFate::case_filtered, line);
                continue;
            }
            std::int64_t created = cases.created_at(index);
            if (submitted != k_no_time && created != k_no_time && submitted < created) {
                reject(state, input, line, RowFate::before_created,
                       fmt::format("submitted {} before case '{}' was created {}",
                                   format_local_time(state.tz.local_seconds(submitted)), id,
                                   format_local_time(state.tz.local_seconds(created))));
                continue;
            }
            cases.flags[index] |= k_case_surveyed;
            std::int64_t closed = cases.closed_at(index);
            if (opt.collect_findings && submitted != k_no_time && closed != k_no_time &&
                submitted - closed > std::int64_t{opt.max_lag_days} * 86400) {
                const auto& column = load.columns().submitted.column();
                state.result.accounting.add_finding(
                    input.path, "late_response", column ? input.reader->header()[*column] : "", line,
                    std::string_view(batch.text.data() + row.submitted_at, row.submitted_size),
                    fmt::format("more than {} days after the case closed", opt.max_lag_days));
            }
        }
        if (!part.in_dates) {
            account.exclude(RowFate::filtered_date, line);
            continue;
        }
        store_part(load, batch, part, index, line, dim_values);
    }
}

void prepare_cases(JobState& state) {
    const JobOptions& opt = *state.options;
    CaseTable& cases = state.cases;
    cases.keep_closed = opt.collect_findings || opt.details.has_value();
    cases.keep_slots = opt.duplicates != DuplicatePolicy::all;
    state.stream_responses = opt.duplicates == DuplicatePolicy::all && !opt.details;
    state.response_dim_values.clear();
    state.response_dim_values.resize(state.response_dims.size());
}

}  // namespace

void CaseTable::add_far(std::uint32_t id, std::int64_t created_at) {
    if (created_base == k_no_time) {
        created_base = created_at;
        data[id].created = 0;
        return;
    }
    data[id].created = k_far_created;
    far_created[id] = created_at;
}

void CaseTable::add_run(std::uint32_t id, std::uint16_t file, std::uint64_t line) {
    runs.push_back(LineRun{id, file, line});
}

std::pair<std::uint16_t, std::uint64_t> CaseTable::source(std::uint32_t id) const {
    auto it = std::upper_bound(runs.begin(), runs.end(), id,
                               [](std::uint32_t v, const LineRun& r) { return v < r.first; });
    const LineRun& run = *(it - 1);
    return {run.file, run.line + (id - run.first)};
}

void load_cases(JobState& state) {
    prepare_cases(state);
    bool reserved = false;
    for (InputFile& input : state.case_inputs) {
        require_role(input.cases_map, Role::case_id, input.reader->header(), FileKind::cases, input.path);
        bind_columns(state, input, FileKind::cases);
        if (state.single_file) {
            std::vector<std::optional<std::size_t>> case_cols = input.dim_columns;
            bind_columns(state, input, FileKind::responses);
            for (std::size_t i = 0; i < case_cols.size(); ++i) {
                if (case_cols[i]) {
                    input.dim_columns[i] = case_cols[i];
                }
            }
        }
        const ColumnMap& map = input.cases_map;
        state.have_status = map.has(Role::status) || map.has(Role::is_closed) || map.has(Role::closed_at);
        state.have_sent_column = state.have_sent_column || map.has(Role::survey_sent);
        FileLoad load(state, input);
        load.run(true, [&](Batch& batch) { apply_cases(load, batch, reserved); });
    }
}

void load_responses(JobState& state) {
    const JobOptions& opt = *state.options;
    const bool responses_only = opt.cases_files.empty();
    if (responses_only) {
        prepare_cases(state);
        // Cases made from response IDs have no dimensions or dates: one class, with the empty key.
        state.classes.keys.insert(std::string_view());
        state.classes.period.push_back(k_no_time);
    }
    for (InputFile& input : state.response_inputs) {
        const std::string& path = input.path;
        const ColumnMap& map = input.responses_map;
        if (!map.has(Role::csat) && !map.has(Role::nps) && !map.has(Role::ces)) {
            require_role(map, Role::csat, input.reader->header(), FileKind::responses, path);
        }
        if (!responses_only) {
            require_role(map, Role::case_id, input.reader->header(), FileKind::responses, path);
        }
        bind_columns(state, input, FileKind::responses);
        FileLoad load(state, input);
        load.run(false, [&](Batch& batch) { apply_responses(load, batch); });
    }
}

}  // namespace csat::pipeline
