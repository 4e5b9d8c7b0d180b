#include "pipeline/digest.hpp"

#include <algorithm>
#include <cstring>

#include "csat/text.hpp"

namespace csat::pipeline {

namespace {

std::string scale_text(const Scale& s) {
    return s.binary ? "good or bad" : fmt::format("a score {}-{}", s.min, s.max);
}

DateOrder order_for(const JobState& state, const std::string& file, Role role) {
    if (state.options->date_order != DateOrder::unknown) {
        return state.options->date_order;
    }
    auto it = state.date_orders.find({file, role});
    return it == state.date_orders.end() ? DateOrder::unknown : it->second;
}

// "1.23457E+11": what Excel makes of a long numeric ID. The digits are lost, so joins on it cannot be
// trusted.
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

bool status_is_closed(const JobOptions& opt, std::string_view status) {
    std::string s = to_lower_ascii(trim(status));
    return std::find(opt.closed_statuses.begin(), opt.closed_statuses.end(), s) != opt.closed_statuses.end();
}

// A fingerprint of the whole row as written, to tell a repeated case from a conflicting one. Four independent
// lanes of multiply-add, so that a long row does not wait on one chain of multiplications. The lanes are four
// variables, not an array: GCC kept an array of them on the stack, a store and a load per word.
std::uint32_t row_hash(const CsvRecord& record) {
    const char* p = record.text.data();
    const char* end = p + record.text.size();
    const auto size = static_cast<std::uint64_t>(end - p);
    constexpr std::uint64_t k = 0x9E3779B97F4A7C15ULL;
    std::uint64_t l0 = 1;
    std::uint64_t l1 = 2;
    std::uint64_t l2 = 3;
    std::uint64_t l3 = 4;
    auto load = [](const char* at) {
        std::uint64_t w = 0;
        std::memcpy(&w, at, 8);
        return w;
    };
    for (; end - p >= 32; p += 32) {
        l0 = (l0 + load(p)) * k;
        l1 = (l1 + load(p + 8)) * k;
        l2 = (l2 + load(p + 16)) * k;
        l3 = (l3 + load(p + 24)) * k;
    }
    // The last 0-31 bytes as four words, each cut to the bytes of the row it holds: the reader's buffer has
    // slack after its data, so a load that starts inside the row stays inside the buffer.
    const auto rest = static_cast<std::size_t>(end - p);
    auto word = [&](std::size_t at) -> std::uint64_t {
        if (at >= rest) {
            return 0;
        }
        return load(p + at) & (~std::uint64_t{0} >> (64 - 8 * std::min<std::size_t>(8, rest - at)));
    };
    l0 = (l0 + word(0)) * k;
    l1 = (l1 + word(8)) * k;
    l2 = (l2 + word(16)) * k;
    l3 = (l3 + word(24)) * k;
    std::uint64_t h = (l0 ^ (l1 >> 29)) * k + (l2 ^ (l3 >> 31)) + size;
    h ^= h >> 32;
    h *= k;
    return static_cast<std::uint32_t>(h >> 32);
}

}  // namespace

void Batch::reset() {
    cases.clear();
    case_id_columns.clear();
    case_closed.clear();
    responses.clear();
    parts.clear();
    text.clear();
    notes.clear();
    problems.clear();
    for (StringIndex& d : dims) {
        d.clear();
    }
    classes.clear();
    class_memo.clear();
    response_dims.clear();
    details.clear();
}

void Batch::reserve_rows(bool case_rows) {
    if (case_rows) {
        cases.reserve(k_big_block / sizeof(CaseRow));
    } else {
        responses.reserve(k_big_block / sizeof(ResponseRow) + 1);
    }
}

ScoreParsers::ScoreParsers(const JobOptions& opt)
    : m_csat(ScoreKind::csat, opt.csat_scale, opt.labels, opt.na_values),
      m_nps(ScoreKind::nps, nps_scale(), {}, opt.na_values),
      m_ces(ScoreKind::ces, opt.ces_scale, {}, opt.na_values) {}

FileColumns::FileColumns(const JobState& state, const InputFile& input)
    : created(Role::created_at, input.cases_map.get(Role::created_at),
              order_for(state, input.path, Role::created_at)),
      closed(Role::closed_at, input.cases_map.get(Role::closed_at),
             order_for(state, input.path, Role::closed_at)),
      submitted(Role::submitted_at, input.responses_map.get(Role::submitted_at),
                order_for(state, input.path, Role::submitted_at)) {
    const ColumnMap& cases = input.cases_map;
    const ColumnMap& responses = input.responses_map;
    // A responses file's case ID is in its responses map; a cases file's (also when it holds scores) in the
    // cases map.
    bool cases_file = std::any_of(state.case_inputs.begin(), state.case_inputs.end(),
                                  [&](const InputFile& f) { return &f == &input; });
    case_id = cases_file ? cases.get(Role::case_id) : responses.get(Role::case_id);
    status = cases.get(Role::status);
    is_closed = cases.get(Role::is_closed);
    survey_sent = cases.get(Role::survey_sent);
    if (!cases_file || state.single_file) {
        csat = responses.get(Role::csat);
        nps = responses.get(Role::nps);
        ces = responses.get(Role::ces);
        comment = responses.get(Role::comment);
    }
    const JobOptions& opt = *state.options;
    const bool filters_by_date = opt.since_day || opt.until_day;
    const bool context = opt.collect_findings || opt.details.has_value();
    // The creation date: responses dated before it are rejected; it buckets or filters with --date created.
    use_created = context || !state.response_inputs.empty() ||
                  (opt.date_basis == DateBasis::created && (opt.period != Period::none || filters_by_date));
    // The close date: it buckets and filters by default, and makes a case closed when nothing else says.
    use_closed = context || (!status && !is_closed) ||
                 (opt.date_basis == DateBasis::closed && (opt.period != Period::none || filters_by_date));
}

void ClassKeyLayout::add_value(ByteBuffer& key, std::string_view value) const {
    if (!one_value) {
        const auto size = static_cast<std::uint32_t>(value.size());
        key.append_raw(&size, 4);
    }
    key.append(value);
}

void ClassKeyLayout::read(std::string_view key, std::size_t n, std::vector<std::string_view>& values,
                          std::int64_t& period) const {
    values.clear();
    period = k_no_time;
    if (with_period) {
        std::memcpy(&period, key.data() + key.size() - 8, 8);
        key.remove_suffix(8);
    }
    if (one_value) {
        values.push_back(key);
        return;
    }
    std::size_t at = 0;
    for (std::size_t k = 0; k < n; ++k) {
        std::uint32_t size = 0;
        std::memcpy(&size, key.data() + at, 4);
        values.push_back(key.substr(at + 4, size));
        at += 4 + size;
    }
}

Digester::Digester(const JobState& state, const InputFile& input, const FileColumns& columns)
    : m_state(state),
      m_opt(*state.options),
      m_input(input),
      m_cols(columns),
      m_parsers(*state.options),
      m_class_key(state),
      m_lookup_cases(!state.options->cases_files.empty()) {}

std::uint32_t Digester::copy_text(Batch& batch, std::string_view text) const {
    return batch.text.append(text);
}

void Digester::note_invalid(const CsvRecord& record, Batch& batch, std::size_t column, std::string metric,
                            std::string_view value, std::string_view reason, std::string expected) const {
    RowNote n;
    n.column = column;
    n.field_column = record.column_of(column);
    n.metric = std::move(metric);
    n.value = std::string(value);
    n.reason = std::string(reason);
    n.expected = std::move(expected);
    batch.notes.push_back(std::move(n));
}

void Digester::note_finding(const CsvRecord& record, Batch& batch, std::size_t column, std::string kind,
                            std::string_view value, std::string reason) const {
    RowNote n;
    n.finding = true;
    n.column = column;
    n.field_column = record.column_of(column);
    n.metric = std::move(kind);
    n.value = std::string(value);
    n.reason = std::move(reason);
    batch.notes.push_back(std::move(n));
}

void Digester::note_invalid_date(const CsvRecord& record, Batch& batch, const DateColumn& column,
                                 std::string_view text) const {
    note_invalid(record, batch, *column.column(), std::string(role_name(column.role())), text, "not a date",
                 "a date such as 2026-03-14 14:22 or 3/14/2026 2:22 PM");
}

bool Digester::within_date_filter(const Batch& batch, std::int64_t utc) const {
    if (utc == k_no_time) {
        return false;
    }
    std::int64_t day = batch.tz.local_day(utc);
    return (!m_opt.since_day || day >= *m_opt.since_day) && (!m_opt.until_day || day <= *m_opt.until_day);
}

bool Digester::cases(CsvReader& reader, Batch& batch, std::size_t max_rows) const {
    struct Fence {  // on every way out, also a data error's: the rows before it are applied
        Fence() = default;
        Fence(const Fence&) = delete;
        Fence& operator=(const Fence&) = delete;
        ~Fence() { _mm_sfence(); }
    } fence;
    CsvRecord record;
    for (std::size_t n = 0; n < max_rows; ++n) {
        if (!reader.next(record)) {
            return false;
        }
        case_row(record, batch);
    }
    return true;
}

bool Digester::responses(CsvReader& reader, Batch& batch, std::size_t max_rows) const {
    CsvRecord record;
    const std::size_t first = batch.responses.size();
    bool more = true;
    try {
        for (std::size_t n = 0; n < max_rows && more; ++n) {
            more = reader.next(record);
            if (more) {
                response_row(record, batch);
            }
        }
    } catch (...) {
        find_cases(batch, first);  // the rows before the error are applied
        throw;
    }
    find_cases(batch, first);
    return more;
}

// Finds the case of every response row from `first` on, all at once, and turns the rows whose case is not
// there into orphans (their late notes, about the response date, are dropped: the row never got that far).
void Digester::find_cases(Batch& batch, std::size_t first) const {
    if (!m_lookup_cases) {
        return;
    }
    std::vector<std::string_view> keys;
    std::vector<std::uint64_t> hashes;
    std::vector<std::uint32_t> rows;
    for (std::size_t i = first; i < batch.responses.size(); ++i) {
        const ResponseRow& row = batch.responses[i];
        if (row.id_size > 0 && row.outcome != RowOutcome::malformed &&
            row.outcome != RowOutcome::filtered_where) {
            keys.emplace_back(batch.text.data() + row.id_at, row.id_size);
            hashes.push_back(row.id_hash);
            rows.push_back(static_cast<std::uint32_t>(i));
        }
    }
    std::vector<std::uint32_t> found(keys.size());
    m_state.cases.ids.find_many(keys.data(), hashes.data(), keys.size(), found.data());
    for (std::size_t k = 0; k < rows.size(); ++k) {
        ResponseRow& row = batch.responses[rows[k]];
        row.case_index = found[k];
        if (row.outcome == RowOutcome::ok && found[k] == k_no_case && !m_opt.keep_orphans) {
            row.outcome = RowOutcome::orphan;
        }
    }
}

// The row is built here and streamed to the batch whole, once complete.
inline void Digester::case_row(const CsvRecord& record, Batch& batch) const {
    CaseRow row;
    digest_case(record, batch, row);
    stream_row(&batch.cases.emplace_back(), row);
}

inline void Digester::digest_case(const CsvRecord& record, Batch& batch, CaseRow& row) const {
    std::uint32_t& id_column = batch.case_id_columns.emplace_back(0);
    if (m_state.cases.keep_closed) {
        batch.case_closed.push_back(k_no_time);
    }
    row.line = record.line;
    auto finish = [&](RowOutcome outcome) {
        row.outcome = outcome;
        row.notes_mid = static_cast<std::uint32_t>(batch.notes.size());
        row.notes_end = row.notes_mid;
    };
    if (record.problem) {
        row.extra = static_cast<std::uint32_t>(batch.problems.size());
        batch.problems.push_back(*record.problem);
        return finish(RowOutcome::malformed);
    }
    std::string_view id = trim(field(record, m_cols.case_id));
    if (id.empty()) {
        return finish(RowOutcome::missing_case_id);
    }
    row.id_hash = hash_bytes(id);
    row.id_at = copy_text(batch, id);
    row.id_size = static_cast<std::uint32_t>(id.size());
    id_column = static_cast<std::uint32_t>(record.column_of(*m_cols.case_id));
    if (m_opt.collect_findings && looks_like_excel_number(id)) {
        note_finding(record, batch, *m_cols.case_id, "id_scientific_notation", id,
                     "an ID in Excel's scientific notation: digits were lost");
    }
    // The class key: the case dimensions' values, then the period. One lookup for them all. A key of one
    // value and no period (--by agent) is the value itself, looked up where it lies.
    ByteBuffer& key = batch.key;
    key.clear();
    const bool value_is_key = m_class_key.one_value && !m_class_key.with_period;
    std::string_view only_value;
    for (std::size_t d : m_state.case_dims) {
        only_value = trim(field(record, m_input.dim_columns[d]));
        if (!value_is_key) {
            m_class_key.add_value(key, only_value);
        }
    }
    DateCell created = m_cols.use_created ? date(record, batch, m_cols.created) : DateCell{};
    DateCell closed = m_cols.use_closed ? date(record, batch, m_cols.closed) : DateCell{};
    row.created = created.utc;
    if (m_state.cases.keep_closed) {
        batch.case_closed.back() = closed.utc;
    }
    row.created_sniff = created.sniff();
    row.closed_sniff = closed.sniff();
    std::uint8_t flags = 0;
    if (m_cols.status) {
        if (batch.closed_status.get(field(record, m_cols.status),
                                    [&](std::string_view s) { return status_is_closed(m_opt, s); })) {
            flags |= k_case_closed;
        }
    } else if (m_cols.is_closed) {
        if (is_truthy(field(record, m_cols.is_closed))) {
            flags |= k_case_closed;
        }
    } else if (!m_cols.closed.column() || closed.utc != k_no_time) {
        flags |= k_case_closed;
    }
    if (m_cols.survey_sent && is_truthy(field(record, m_cols.survey_sent))) {
        flags |= k_case_sent;
    }
    if ((flags & k_case_closed) && m_cols.closed.column() && closed.utc == k_no_time &&
        m_opt.collect_findings && trim(field(record, m_cols.closed.column())).empty()) {
        note_finding(record, batch, *m_cols.closed.column(), "closed_without_date",
                     field(record, m_cols.closed.column()), "closed but no close date");
    }
    const std::int64_t basis = m_opt.date_basis == DateBasis::created ? created.utc : closed.utc;
    if (m_opt.date_basis != DateBasis::response && basis != k_no_time) {
        row.day = static_cast<std::int32_t>(batch.tz.local_day(basis));
    }
    std::int64_t period = k_no_time;
    if (m_opt.period != Period::none && row.day != k_no_day) {
        period = period_key(row.day, m_opt.period, m_opt.week_start);
    }
    if (m_class_key.with_period) {
        key.append_raw(&period, 8);
    }
    row.case_class = batch.class_memo.get(value_is_key ? only_value : key.view(),
                                          [&](std::string_view k) { return batch.classes.insert(k).first; });
    row.flags = flags;
    row.row_hash = row_hash(record);
    row.notes_mid = static_cast<std::uint32_t>(batch.notes.size());
    row.notes_end = row.notes_mid;
    for (const ResolvedFilter& filter : m_input.filters) {
        if (!filter.keeps(field(record, filter.column))) {
            row.outcome = RowOutcome::filtered_where;
            return;
        }
    }
    if (m_opt.date_basis != DateBasis::response && !within_dates(batch, basis)) {
        row.outcome = RowOutcome::filtered_date;
        return;
    }
    if (m_state.single_file) {
        row.extra = static_cast<std::uint32_t>(batch.parts.size());
        ResponsePart& part = batch.parts.emplace_back();
        part.stored.set_line(record.line);
        scores(record, batch, part);
        if (part.answered) {
            DateCell submitted = date(record, batch, m_cols.submitted);
            part.stored.submitted = submitted.utc;
            part.submitted = submitted.sniff();
            part.in_dates = m_opt.date_basis != DateBasis::response || within_dates(batch, submitted.utc);
            if (part.in_dates) {
                response_details(record, batch, part, id);
            }
        }
        row.notes_end = static_cast<std::uint32_t>(batch.notes.size());
    }
}

inline void Digester::response_row(const CsvRecord& record, Batch& batch) const {
    ResponseRow& row = batch.responses.emplace_back();
    row.line = record.line;
    row.part.stored.set_line(record.line);
    auto finish = [&](RowOutcome outcome) {
        row.outcome = outcome;
        row.notes_end = static_cast<std::uint32_t>(batch.notes.size());
        row.notes_mid = row.notes_end;
    };
    if (record.problem) {
        row.problem = static_cast<std::uint32_t>(batch.problems.size());
        batch.problems.push_back(*record.problem);
        return finish(RowOutcome::malformed);
    }
    bool kept = std::all_of(m_input.filters.begin(), m_input.filters.end(),
                            [&](const ResolvedFilter& f) { return f.keeps(field(record, f.column)); });
    if (!kept) {
        return finish(RowOutcome::filtered_where);
    }
    ResponsePart& part = row.part;
    scores(record, batch, part);
    std::string_view id = trim(field(record, m_cols.case_id));
    if (!id.empty()) {
        row.id_hash = hash_bytes(id);
        row.id_at = copy_text(batch, id);
        row.id_size = static_cast<std::uint32_t>(id.size());
        if (m_opt.collect_findings && looks_like_excel_number(id)) {
            note_finding(record, batch, *m_cols.case_id, "id_scientific_notation", id,
                         "an ID in Excel's scientific notation: digits were lost");
        }
    }
    if (!part.answered) {
        return finish(RowOutcome::no_answer);
    }
    if (m_lookup_cases && m_cols.case_id && id.empty()) {
        return finish(RowOutcome::missing_case_id);
    }
    // An orphan is known only once find_cases() has looked the case up; the rest is read anyway.
    row.notes_mid = static_cast<std::uint32_t>(batch.notes.size());
    DateCell submitted = date(record, batch, m_cols.submitted);
    part.stored.submitted = submitted.utc;
    part.submitted = submitted.sniff();
    if (m_opt.collect_findings) {
        std::string_view text = field(record, m_cols.submitted.column());
        row.submitted_at = copy_text(batch, text);
        row.submitted_size = static_cast<std::uint32_t>(text.size());
    }
    part.in_dates = m_opt.date_basis != DateBasis::response || within_dates(batch, submitted.utc);
    if (part.in_dates) {
        response_details(record, batch, part, id);
    }
    row.outcome = RowOutcome::ok;
    row.notes_end = static_cast<std::uint32_t>(batch.notes.size());
}

void Digester::scores(const CsvRecord& record, Batch& batch, ResponsePart& part) const {
    StoredResponse& out = part.stored;
    auto one = [&](std::optional<std::size_t> col, const ScoreParser& parser, const char* metric,
                   auto&& store) {
        if (!col) {
            return;
        }
        std::string_view text = field(record, col);
        Answer a = parser.parse(text);
        switch (a.status) {
            case AnswerStatus::value:
                part.answered = true;
                store(a);
                break;
            case AnswerStatus::invalid:
                // The customer did answer; the value is counted as invalid.
                part.answered = true;
                note_invalid(record, batch, *col, metric, text, a.reason, scale_text(parser.scale()));
                break;
            case AnswerStatus::offered:
                part.offered = true;
                part.offer_states = true;
                break;
            case AnswerStatus::not_offered:
                part.offer_states = true;
                break;
            case AnswerStatus::no_answer:
                break;
        }
    };
    one(m_cols.csat, m_parsers.csat(), "csat", [&](const Answer& a) {
        out.flags |= k_csat_answered;
        if (a.positive) {
            out.flags |= k_csat_positive;
        }
        if (a.has_value) {
            out.flags |= k_csat_has_value;
            out.csat = static_cast<std::int8_t>(a.value);
        }
    });
    one(m_cols.nps, m_parsers.nps(), "nps", [&](const Answer& a) {
        out.flags |= k_nps_answered;
        out.nps = static_cast<std::int8_t>(a.value);
    });
    one(m_cols.ces, m_parsers.ces(), "ces", [&](const Answer& a) {
        out.flags |= k_ces_answered;
        if (a.positive) {
            out.flags |= k_ces_easy;
        }
        out.ces = static_cast<std::int8_t>(a.value);
    });
}

// The response-dimension codes of a counted response, and its full text when alerts keep it.
void Digester::response_details(const CsvRecord& record, Batch& batch, ResponsePart& part,
                                std::string_view id) const {
    part.dims = static_cast<std::uint32_t>(batch.response_dims.size());
    for (std::size_t d : m_state.response_dims) {
        batch.response_dims.push_back(
            batch.dims[d].insert(trim(field(record, m_input.dim_columns[d]))).first);
    }
    if (!m_opt.details) {
        return;
    }
    const DetailRule& rule = *m_opt.details;
    const StoredResponse& r = part.stored;
    bool low_csat = false;
    if (rule.csat_at_or_below && (r.flags & k_csat_answered)) {
        low_csat =
            (r.flags & k_csat_has_value) ? r.csat <= *rule.csat_at_or_below : !(r.flags & k_csat_positive);
    }
    bool detractor = rule.nps_detractors && (r.flags & k_nps_answered) && r.nps <= 6;
    if (!low_csat && !detractor) {
        return;
    }
    ResponseDetail d;
    d.case_id = std::string(id);
    if (r.flags & k_csat_has_value) {
        d.csat = r.csat;
    }
    d.csat_text = std::string(trim(field(record, m_cols.csat)));
    if (r.flags & k_nps_answered) {
        d.nps = r.nps;
    }
    if (r.flags & k_ces_answered) {
        d.ces = r.ces;
    }
    if (r.submitted != k_no_time) {
        d.submitted_at = r.submitted;
    }
    d.comment = std::string(field(record, m_cols.comment));
    d.file = m_input.path;
    d.line = record.line;
    part.detail = static_cast<std::uint32_t>(batch.details.size());
    batch.details.push_back(std::move(d));
}

}  // namespace csat::pipeline
