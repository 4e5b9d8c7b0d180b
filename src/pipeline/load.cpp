// Loading: stream the case files into the compact CaseTable, then stream the response files through the
// join. One file can play both roles (a Zendesk ticket export carries its satisfaction score).
#include <algorithm>

#include "csat/error.hpp"
#include "csat/progress.hpp"
#include "csat/text.hpp"
#include "pipeline/row_context.hpp"

namespace csat::pipeline {

namespace {

struct ScoreColumns {
    std::optional<std::size_t> csat;
    std::optional<std::size_t> nps;
    std::optional<std::size_t> ces;
    std::optional<std::size_t> case_id;
};

class ScoreParsers {
public:
    explicit ScoreParsers(const JobOptions& opt)
        : m_csat(ScoreKind::csat, opt.csat_scale, opt.labels, opt.na_values),
          m_nps(ScoreKind::nps, nps_scale(), {}, opt.na_values),
          m_ces(ScoreKind::ces, opt.ces_scale, {}, opt.na_values) {}
    const ScoreParser& csat() const { return m_csat; }
    const ScoreParser& nps() const { return m_nps; }
    const ScoreParser& ces() const { return m_ces; }

private:
    ScoreParser m_csat;
    ScoreParser m_nps;
    ScoreParser m_ces;
};

std::string scale_text(const Scale& s) { return s.binary ? "good or bad" : fmt::format("a score {}-{}", s.min, s.max); }

// Parses the score columns of one row into a StoredResponse. Returns whether anything was answered
// (an invalid value counts: the customer did answer); `offered` tells a surveyed-but-unanswered row.
bool parse_scores(JobState& state, InputFile& input, const CsvRecord& record, const ScoreColumns& cols,
                  const ScoreParsers& parsers, StoredResponse& out, bool& offered) {
    bool answered = false;
    offered = false;
    auto one = [&](std::optional<std::size_t> col, const ScoreParser& parser, const char* metric,
                   auto&& store) {
        if (!col) {
            return;
        }
        std::string_view text = field(record, col);
        Answer a = parser.parse(text);
        switch (a.status) {
            case AnswerStatus::value:
                answered = true;
                store(a);
                break;
            case AnswerStatus::invalid:
                answered = true;
                invalid_value(state, input, record, *col, metric, text, a.reason, scale_text(parser.scale()));
                break;
            case AnswerStatus::offered:
                offered = true;
                state.saw_offered_states = true;
                break;
            case AnswerStatus::not_offered:
                state.saw_offered_states = true;
                break;
            case AnswerStatus::no_answer:
                break;
        }
    };
    one(cols.csat, parsers.csat(), "csat", [&](const Answer& a) {
        out.flags |= k_csat_answered;
        if (a.positive) {
            out.flags |= k_csat_positive;
        }
        if (a.has_value) {
            out.flags |= k_csat_has_value;
            out.csat = static_cast<std::int8_t>(a.value);
        }
    });
    one(cols.nps, parsers.nps(), "nps", [&](const Answer& a) {
        out.flags |= k_nps_answered;
        out.nps = static_cast<std::int8_t>(a.value);
    });
    one(cols.ces, parsers.ces(), "ces", [&](const Answer& a) {
        out.flags |= k_ces_answered;
        if (a.positive) {
            out.flags |= k_ces_easy;
        }
        out.ces = static_cast<std::int8_t>(a.value);
    });
    return answered;
}

std::int64_t parse_date(JobState& state, InputFile& input, const CsvRecord& record, DateColumn& col) {
    if (!col.column()) {
        return k_no_time;
    }
    std::string_view text = field(record, col.column());
    bool invalid = false;
    std::int64_t t = col.parse(text, state.tz, invalid);
    if (invalid) {
        invalid_value(state, input, record, *col.column(), std::string(role_name(col.role())), text,
                      "not a date", "a date such as 2026-03-14 14:22 or 3/14/2026 2:22 PM");
    }
    return t;
}

DateOrder order_for(const JobState& state, const std::string& file, Role role) {
    if (state.options->date_order != DateOrder::unknown) {
        return state.options->date_order;
    }
    auto it = state.date_orders.find({file, role});
    return it == state.date_orders.end() ? DateOrder::unknown : it->second;
}

void finish_dates(JobState& state, InputFile& input, const std::vector<DateColumn*>& columns) {
    bool retry = false;
    for (DateColumn* c : columns) {
        if (!c->column()) {
            continue;
        }
        if (auto order = c->finish(input.path, input.reader->header()[*c->column()])) {
            if (input.path == "-") {
                throw Error(ErrorKind::usage,
                            fmt::format("standard input: column '{}' holds day-first dates that were read before "
                                        "that was clear, and standard input cannot be read twice",
                                        input.reader->header()[*c->column()]),
                            "pass --date-order dmy");
            }
            state.date_orders[{input.path, c->role()}] = *order;
            retry = true;
        }
    }
    if (retry) {
        throw RetryWithDateOrders{};
    }
}

// "1.23457E+11": what Excel makes of a long numeric ID. The digits are lost, so joins on it cannot be trusted.
bool looks_like_excel_number(std::string_view id) {
    std::size_t e = id.find_first_of("Ee");
    if (e == std::string_view::npos || e < 3 || id[1] != '.' || e + 2 >= id.size() || id[e + 1] != '+') {
        return false;
    }
    auto digits = [](std::string_view s) {
        return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
    };
    return digits(id.substr(0, 1)) && digits(id.substr(2, e - 2)) && digits(id.substr(e + 2));
}

void check_id(JobState& state, InputFile& input, const CsvRecord& record, std::optional<std::size_t> column,
              std::string_view id) {
    if (state.options->collect_findings && looks_like_excel_number(id)) {
        state.result.accounting.add_finding(input.path, "id_scientific_notation", input.reader->header()[*column],
                                            record.line, id, "an ID in Excel's scientific notation: digits were lost");
    }
}

bool within_dates(const JobState& state, std::int64_t utc) {
    const JobOptions& opt = *state.options;
    if (!opt.since_day && !opt.until_day) {
        return true;
    }
    if (utc == k_no_time) {
        return false;
    }
    std::int64_t day = state.tz.local_day(utc);
    return (!opt.since_day || day >= *opt.since_day) && (!opt.until_day || day <= *opt.until_day);
}

bool status_is_closed(const JobOptions& opt, std::string_view status) {
    std::string s = to_lower_ascii(trim(status));
    return std::find(opt.closed_statuses.begin(), opt.closed_statuses.end(), s) != opt.closed_statuses.end();
}

// Stores a counted response, applying --duplicates; returns where it was stored, or k_no_slot if an
// earlier one was kept instead.
std::uint32_t store_response(JobState& state, InputFile& input, const CsvRecord& record, StoredResponse r,
                    const std::vector<std::uint32_t>& dim_values) {
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
        accounts[old.file].exclude(RowFate::duplicate_response, old.line);
        if (opt.collect_rejects) {
            state.result.accounting.rejects.push_back(Reject{state.file_names[old.file], old.line,
                                                             row_fate_name(RowFate::duplicate_response),
                                                             fmt::format("replaced by line {}", record.line)});
        }
        old = r;
        for (std::size_t k = 0; k < dim_values.size(); ++k) {
            state.response_dim_values[k][slot] = dim_values[k];
        }
        return slot;
    } else {
        accounts[input.account_index].exclude(RowFate::duplicate_response, record.line);
        if (opt.collect_rejects) {
            state.result.accounting.rejects.push_back(Reject{input.path, record.line,
                                                             row_fate_name(RowFate::duplicate_response),
                                                             fmt::format("kept line {} instead", old.line)});
        }
    }
    return k_no_slot;
}

// Keeps a response in full when it matches the detail rule (alerts), or forgets an earlier one it replaced.
void keep_detail(JobState& state, InputFile& input, const CsvRecord& record, const StoredResponse& r,
                 std::uint32_t slot, std::string_view case_id, const ScoreColumns& cols, std::optional<std::size_t> comment) {
    const JobOptions& opt = *state.options;
    if (!opt.details || slot == k_no_slot) {
        return;
    }
    const DetailRule& rule = *opt.details;
    bool low_csat = false;
    if (rule.csat_at_or_below && (r.flags & k_csat_answered)) {
        low_csat = (r.flags & k_csat_has_value) ? r.csat <= *rule.csat_at_or_below : !(r.flags & k_csat_positive);
    }
    bool detractor = rule.nps_detractors && (r.flags & k_nps_answered) && r.nps <= 6;
    if (!low_csat && !detractor) {
        state.details[slot].reset();
        return;
    }
    ResponseDetail d;
    d.case_id = std::string(case_id);
    if (r.flags & k_csat_has_value) {
        d.csat = r.csat;
    }
    d.csat_text = std::string(trim(field(record, cols.csat)));
    if (r.flags & k_nps_answered) {
        d.nps = r.nps;
    }
    if (r.flags & k_ces_answered) {
        d.ces = r.ces;
    }
    if (r.submitted != k_no_time) {
        d.submitted_at = r.submitted;
    }
    d.comment = std::string(field(record, comment));
    d.file = input.path;
    d.line = record.line;
    state.details[slot] = std::move(d);
}

// A hash of the whole row: the fields lie in order in the reader's buffer, so one span covers them all.
std::uint32_t row_hash(const CsvRecord& record) {
    if (record.fields.empty()) {
        return 0;
    }
    const char* begin = record.fields.front().data();
    const char* end = record.fields.back().data() + record.fields.back().size();
    std::uint64_t h = hash_bytes(std::string_view(begin, static_cast<std::size_t>(end - begin)));
    return static_cast<std::uint32_t>(h >> 32);
}

std::uint32_t new_case(CaseTable& cases, std::size_t dim_count) {
    cases.row_hash.push_back(0);
    cases.line.push_back(0);
    cases.file.push_back(0);
    cases.created.push_back(k_no_time);
    cases.closed.push_back(k_no_time);
    cases.flags.push_back(0);
    cases.response_slot.push_back(k_no_slot);
    for (std::size_t d = 0; d < dim_count; ++d) {
        cases.dims[d].push_back(0);
    }
    return static_cast<std::uint32_t>(cases.flags.size() - 1);
}

}  // namespace

void load_cases(JobState& state) {
    const JobOptions& opt = *state.options;
    ScoreParsers parsers(opt);
    CaseTable& cases = state.cases;
    cases.dims.assign(state.case_dims.size(), {});
    std::vector<std::uint32_t> dim_values(state.case_dims.size());
    std::vector<std::uint32_t> response_dims(state.response_dims.size());
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
        auto id_col = map.get(Role::case_id);
        auto status_col = map.get(Role::status);
        auto is_closed_col = map.get(Role::is_closed);
        auto sent_col = map.get(Role::survey_sent);
        state.have_status = status_col || is_closed_col || map.has(Role::closed_at);
        state.have_sent_column = state.have_sent_column || sent_col.has_value();
        DateColumn created(Role::created_at, map.get(Role::created_at),
                           order_for(state, input.path, Role::created_at));
        DateColumn closed(Role::closed_at, map.get(Role::closed_at), order_for(state, input.path, Role::closed_at));
        DateColumn submitted(Role::submitted_at, input.responses_map.get(Role::submitted_at),
                             order_for(state, input.path, Role::submitted_at));
        ScoreColumns score_cols;
        if (state.single_file) {
            score_cols = {input.responses_map.get(Role::csat), input.responses_map.get(Role::nps),
                          input.responses_map.get(Role::ces), id_col};
        }
        FileAccount* account = &state.result.accounting.files[input.account_index];
        Progress progress(opt.progress, input.path, input.reader->total_bytes());
        CsvRecord record;
        while (input.reader->next(record)) {
            ++account->rows_read;
            progress.update(input.reader->bytes_read());
            if (skip_malformed(state, input, record)) {
                continue;
            }
            std::string_view id = trim(field(record, id_col));
            if (id.empty()) {
                reject(state, input, record, RowFate::missing_case_id, "the case ID is blank");
                continue;
            }
            check_id(state, input, record, id_col, id);
            for (std::size_t k = 0; k < state.case_dims.size(); ++k) {
                dim_values[k] =
                    state.dims[state.case_dims[k]].values.insert(trim(field(record, input.dim_columns[state.case_dims[k]])))
                        .first;
            }
            std::uint8_t flags = 0;
            std::int64_t created_at = parse_date(state, input, record, created);
            std::int64_t closed_at = parse_date(state, input, record, closed);
            if (status_col) {
                if (status_is_closed(opt, field(record, status_col))) {
                    flags |= k_case_closed;
                }
            } else if (is_closed_col) {
                if (is_truthy(field(record, is_closed_col))) {
                    flags |= k_case_closed;
                }
            } else if (!closed.column() || closed_at != k_no_time) {
                flags |= k_case_closed;
            }
            if (sent_col && is_truthy(field(record, sent_col))) {
                flags |= k_case_sent;
            }
            if ((flags & k_case_closed) && closed.column() && closed_at == k_no_time && opt.collect_findings &&
                trim(field(record, closed.column())).empty()) {
                state.result.accounting.add_finding(input.path, "closed_without_date",
                                                    input.reader->header()[*closed.column()], record.line,
                                                    field(record, closed.column()), "closed but no close date");
            }
            RowFate exclusion = RowFate::malformed;
            bool excluded = false;
            for (const ResolvedFilter& filter : input.filters) {
                if (!filter.keeps(field(record, filter.column))) {
                    excluded = true;
                    exclusion = RowFate::filtered_where;
                    break;
                }
            }
            if (!excluded && opt.date_basis != DateBasis::response &&
                !within_dates(state, opt.date_basis == DateBasis::closed ? closed_at : created_at)) {
                excluded = true;
                exclusion = RowFate::filtered_date;
            }
            auto [index, inserted] = cases.ids.insert(id);
            std::uint32_t hash = row_hash(record);
            if (!inserted) {
                bool same = cases.row_hash[index] == hash && cases.created[index] == created_at && cases.closed[index] == closed_at &&
                            (cases.flags[index] & (k_case_closed | k_case_sent)) == flags;
                for (std::size_t k = 0; same && k < dim_values.size(); ++k) {
                    same = cases.dims[k][index] == dim_values[k];
                }
                if (!same && opt.count_case_conflicts) {
                    account->exclude(RowFate::conflicting_case, record.line);
                    continue;
                }
                if (!same) {
                    throw Error(ErrorKind::data, SourcePos{input.path, record.line, field_column(record, *id_col)},
                                fmt::format("case ID '{}' appears twice with different values (first at {}:{})", id,
                                            state.file_names[cases.file[index]], cases.line[index]),
                                "remove one of the rows, or export each case once");
                }
                reject(state, input, record, RowFate::duplicate_case,
                       fmt::format("same as {}:{}", state.file_names[cases.file[index]], cases.line[index]));
                continue;
            }
            new_case(cases, state.case_dims.size());
            cases.line[index] = record.line;
            cases.row_hash[index] = hash;
            cases.file[index] = input.file_index;
            cases.created[index] = created_at;
            cases.closed[index] = closed_at;
            for (std::size_t k = 0; k < dim_values.size(); ++k) {
                cases.dims[k][index] = dim_values[k];
            }
            if (excluded) {
                cases.flags[index] = flags | k_case_excluded;
                account->exclude(exclusion, record.line);
                continue;
            }
            if (state.single_file) {
                StoredResponse r;
                bool offered = false;
                bool answered = parse_scores(state, input, record, score_cols, parsers, r, offered);
                if (answered || offered) {
                    flags |= k_case_surveyed;
                }
                if (answered) {
                    r.case_index = index;
                    r.file = input.file_index;
                    r.line = record.line;
                    r.submitted = parse_date(state, input, record, submitted);
                    if (opt.date_basis == DateBasis::response && !within_dates(state, r.submitted)) {
                        cases.flags[index] = flags | k_case_surveyed;
                        continue;
                    }
                    for (std::size_t k = 0; k < state.response_dims.size(); ++k) {
                        std::size_t d = state.response_dims[k];
                        response_dims[k] = state.dims[d].values.insert(trim(field(record, input.dim_columns[d]))).first;
                    }
                    std::uint32_t slot = store_response(state, input, record, r, response_dims);
                    keep_detail(state, input, record, r, slot, id, score_cols,
                                input.responses_map.get(Role::comment));
                }
            }
            cases.flags[index] = flags;
        }
        account->blank_lines = input.reader->blank_lines();
        account->footer_lines = input.reader->footer_lines();
        account->repeated_headers = input.reader->repeated_headers();
        finish_dates(state, input, {&created, &closed, &submitted});
    }
}

void load_responses(JobState& state) {
    const JobOptions& opt = *state.options;
    ScoreParsers parsers(opt);
    CaseTable& cases = state.cases;
    const bool responses_only = opt.cases_files.empty();
    std::vector<std::uint32_t> dim_values(state.response_dims.size());
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
        ScoreColumns cols{map.get(Role::csat), map.get(Role::nps), map.get(Role::ces), map.get(Role::case_id)};
        DateColumn submitted(Role::submitted_at, map.get(Role::submitted_at),
                             order_for(state, path, Role::submitted_at));
        FileAccount* account = &state.result.accounting.files[input.account_index];
        Progress progress(opt.progress, input.path, input.reader->total_bytes());
        CsvRecord record;
        while (input.reader->next(record)) {
            ++account->rows_read;
            progress.update(input.reader->bytes_read());
            if (skip_malformed(state, input, record)) {
                continue;
            }
            bool kept = std::all_of(input.filters.begin(), input.filters.end(),
                                    [&](const ResolvedFilter& f) { return f.keeps(field(record, f.column)); });
            if (!kept) {
                account->exclude(RowFate::filtered_where, record.line);
                continue;
            }
            StoredResponse r;
            r.file = input.file_index;
            r.line = record.line;
            bool offered = false;
            bool answered = parse_scores(state, input, record, cols, parsers, r, offered);
            std::string_view id = trim(field(record, cols.case_id));
            if (!id.empty()) {
                check_id(state, input, record, cols.case_id, id);
            }
            std::uint32_t index = k_no_case;
            if (!responses_only) {
                index = id.empty() ? k_no_case : cases.ids.find(id);
            } else if (!id.empty()) {
                auto [i, inserted] = cases.ids.insert(id);
                if (inserted) {
                    new_case(cases, 0);
                }
                index = i;
            }
            if (!answered) {
                if (offered && index != k_no_case) {
                    cases.flags[index] |= k_case_surveyed;
                }
                account->exclude(RowFate::no_answer, record.line);
                continue;
            }
            if (!responses_only && cols.case_id && id.empty()) {
                reject(state, input, record, RowFate::missing_case_id, "the case ID is blank");
                continue;
            }
            if (!responses_only && index == k_no_case) {
                if (!opt.keep_orphans) {
                    reject(state, input, record, RowFate::orphan, fmt::format("no case '{}' in the cases files", id));
                    continue;
                }
                ++account->orphans_kept;
            }
            r.submitted = parse_date(state, input, record, submitted);
            if (index != k_no_case && !responses_only) {
                if (cases.flags[index] & k_case_excluded) {
                    account->exclude(RowFate::case_filtered, record.line);
                    continue;
                }
                if (r.submitted != k_no_time && cases.created[index] != k_no_time &&
                    r.submitted < cases.created[index]) {
                    reject(state, input, record, RowFate::before_created,
                           fmt::format("submitted {} before case '{}' was created {}",
                                       format_local_time(state.tz.local_seconds(r.submitted)), id,
                                       format_local_time(state.tz.local_seconds(cases.created[index]))));
                    continue;
                }
                cases.flags[index] |= k_case_surveyed;
                if (opt.collect_findings && r.submitted != k_no_time && cases.closed[index] != k_no_time &&
                    r.submitted - cases.closed[index] > std::int64_t{opt.max_lag_days} * 86400) {
                    state.result.accounting.add_finding(
                        path, "late_response", submitted.column() ? input.reader->header()[*submitted.column()] : "",
                        record.line, field(record, submitted.column()),
                        fmt::format("more than {} days after the case closed", opt.max_lag_days));
                }
            }
            if (opt.date_basis == DateBasis::response && !within_dates(state, r.submitted)) {
                account->exclude(RowFate::filtered_date, record.line);
                continue;
            }
            for (std::size_t k = 0; k < state.response_dims.size(); ++k) {
                std::size_t d = state.response_dims[k];
                dim_values[k] = state.dims[d].values.insert(trim(field(record, input.dim_columns[d]))).first;
            }
            r.case_index = index;
            std::uint32_t slot = store_response(state, input, record, r, dim_values);
            keep_detail(state, input, record, r, slot, id, cols, map.get(Role::comment));
        }
        account->blank_lines = input.reader->blank_lines();
        account->footer_lines = input.reader->footer_lines();
        account->repeated_headers = input.reader->repeated_headers();
        finish_dates(state, input, {&submitted});
    }
}

}  // namespace csat::pipeline
