#include "pipeline/row_context.hpp"

#include <algorithm>

#include "csat/error.hpp"
#include "csat/text.hpp"

namespace csat::pipeline {

DateColumn::DateColumn(Role role, std::optional<std::size_t> column, DateOrder order)
    : m_role(role), m_column(column), m_order(order) {}

DateCell DateColumn::parse_other(std::string_view text, const TimeZone& tz) const {
    DateCell cell;
    ParsedTime t;
    TimeParse status = parse_time(text, m_order, t);
    if (m_order == DateOrder::unknown) {
        cell.bits = static_cast<std::uint32_t>(DateOrderSniffer::vote(text));
    }
    if (status == TimeParse::ambiguous) {
        // Read as month-first for now; finish() asks for a second pass if the column proves day-first.
        cell.bits |= DateCell::k_ambiguous;
        status = parse_time(text, DateOrder::mdy, t);
    }
    if (status == TimeParse::ok) {
        cell.utc = t.absolute ? t.seconds : tz.to_utc(t);
    } else if (status == TimeParse::invalid) {
        cell.bits |= DateCell::k_invalid;
    }
    return cell;
}

void DateColumn::count(DateVote vote, bool ambiguous) {
    m_sniffer.add(vote);
    m_saw_ambiguous = m_saw_ambiguous || ambiguous;
}

std::optional<DateOrder> DateColumn::finish(const std::string& file, const std::string& header) const {
    if (m_order != DateOrder::unknown) {
        return std::nullopt;
    }
    if (m_sniffer.conflicting()) {
        throw Error(ErrorKind::data,
                    fmt::format("{}: column '{}' mixes day-first and month-first dates", file, header),
                    "fix the export, or pass --date-order dmy|mdy to read every slash date one way");
    }
    if (!m_saw_ambiguous) {
        return std::nullopt;
    }
    switch (m_sniffer.result()) {
        case DateOrder::mdy:
            return std::nullopt;
        case DateOrder::dmy:
            return DateOrder::dmy;
        case DateOrder::unknown:
            break;
    }
    throw Error(ErrorKind::usage,
                fmt::format("{}: column '{}' has dates like 03/04/2026 that read either day-first or "
                            "month-first, and no value tells which",
                            file, header),
                "pass --date-order mdy (US: month/day) or --date-order dmy (day/month)");
}

bool ResolvedFilter::keeps(std::string_view value) const {
    std::string_view v = trim(value);
    return std::any_of(filter->values.begin(), filter->values.end(),
                       [&](const std::string& k) { return k == v; });
}

bool is_truthy(std::string_view value) {
    std::string v = to_lower_ascii(trim(value));
    return v == "1" || v == "true" || v == "yes" || v == "y" || v == "x" || v == "sent" || v == "t";
}

namespace {

std::string describe_mapping(const ColumnMap& map, const std::vector<std::string>& header, FileKind kind) {
    std::string out;
    for (std::size_t r = 0; r < k_role_count; ++r) {
        auto role = static_cast<Role>(r);
        if (!role_applies(role, kind) || !map.column[r]) {
            continue;
        }
        out += fmt::format("{}={};", role_name(role), fold_name(header[*map.column[r]]));
    }
    return out;
}

void add_mapping(JobState& state, const InputFile& input, const std::string& kind) {
    FileMapping m;
    m.path = input.path;
    m.kind = kind;
    m.delimiter = input.reader->delimiter();
    const auto& header = input.reader->header();
    auto add = [&](const ColumnMap& map, FileKind fk) {
        m.preset = map.preset;
        for (std::size_t r = 0; r < k_role_count; ++r) {
            auto role = static_cast<Role>(r);
            if (role_applies(role, fk) && map.column[r]) {
                auto pair = std::make_pair(std::string(role_name(role)), header[*map.column[r]]);
                if (std::find(m.roles.begin(), m.roles.end(), pair) == m.roles.end()) {
                    m.roles.push_back(pair);
                }
            }
        }
    };
    if (kind != "responses") {
        add(input.cases_map, FileKind::cases);
    }
    if (kind != "cases") {
        add(input.responses_map, FileKind::responses);
    }
    state.result.mappings.push_back(std::move(m));
}

}  // namespace

InputFile open_input(JobState& state, const std::string& path, FileKind kind, bool both_roles) {
    const JobOptions& opt = *state.options;
    InputFile input;
    input.path = path;
    auto in_memory = opt.in_memory_files.find(path);
    input.reader = in_memory != opt.in_memory_files.end()
                       ? CsvReader::from_string(in_memory->second, path, opt.csv)
                       : CsvReader::open(path, opt.csv);
    const auto& header = input.reader->header();
    if (kind == FileKind::cases || both_roles) {
        input.cases_map = map_columns(header, FileKind::cases, opt.preset, opt.overrides, path);
    }
    if (kind == FileKind::responses || both_roles) {
        input.responses_map = map_columns(header, FileKind::responses, opt.preset, opt.overrides, path);
    }
    if (both_roles) {
        // One file as both: a column that plays a case role (say "Created at") is not also the response date.
        for (std::size_t r = 0; r < k_role_count; ++r) {
            auto role = static_cast<Role>(r);
            auto& col = input.responses_map.column[r];
            if (role == Role::case_id || !col || input.responses_map.overridden[r]) {
                continue;
            }
            for (const auto& c : input.cases_map.column) {
                if (c == col) {
                    col.reset();
                    break;
                }
            }
        }
    }
    input.file_index = static_cast<std::uint16_t>(state.file_names.size());
    state.file_names.push_back(path);
    input.account_index = state.result.accounting.files.size();
    FileAccount account;
    account.path = path;
    account.role = both_roles ? "cases+responses" : (kind == FileKind::cases ? "cases" : "responses");
    state.result.accounting.files.push_back(account);
    add_mapping(state, input, account.role);

    // Every file of one role must map alike: compare with the first mapping of the same kind.
    const auto& mappings = state.result.mappings;
    for (std::size_t i = 0; i + 1 < mappings.size(); ++i) {
        if (mappings[i].kind != account.role) {
            continue;
        }
        const auto& first = mappings[i];
        const auto& mine = mappings.back();
        if (first.roles.size() != mine.roles.size() ||
            !std::equal(first.roles.begin(), first.roles.end(), mine.roles.begin(),
                        [](const auto& a, const auto& b) {
                            return a.first == b.first && fold_name(a.second) == fold_name(b.second);
                        })) {
            std::string a;
            std::string b;
            for (const auto& [role, h] : first.roles) {
                a += fmt::format(" {}='{}'", role, h);
            }
            for (const auto& [role, h] : mine.roles) {
                b += fmt::format(" {}='{}'", role, h);
            }
            throw Error(
                ErrorKind::usage,
                fmt::format("{}: its header maps differently from {} (here:{}; there:{})", path, first.path,
                            b, a),
                "files of one role must have the same columns; fix the header or report them separately");
        }
        break;
    }
    (void)describe_mapping;
    return input;
}

namespace {

std::optional<std::size_t> resolve_in(const std::vector<std::string>& header, const ColumnMap& map,
                                      std::string_view name, std::optional<Role>& role_out) {
    if (auto role = parse_role(name); role && map.has(*role)) {
        role_out = role;
        return map.get(*role);
    }
    return find_header(header, name);
}

}  // namespace

void plan_dimensions(JobState& state, const InputFile* cases_file, const InputFile* responses_file) {
    const JobOptions& opt = *state.options;
    auto resolve = [&](const std::string& name, const char* what) -> std::pair<FileKind, std::size_t> {
        std::optional<Role> role;
        if (cases_file) {
            if (auto col = resolve_in(cases_file->reader->header(), cases_file->cases_map, name, role)) {
                (void)col;
                for (std::size_t i = 0; i < state.dims.size(); ++i) {
                    if (state.dims[i].kind == FileKind::cases &&
                        fold_name(state.dims[i].name) == fold_name(name)) {
                        return {FileKind::cases, i};
                    }
                }
                Dimension d;
                d.name = name;
                d.kind = FileKind::cases;
                d.role = role;
                d.header = cases_file->reader->header()[*col];
                state.dims.push_back(std::move(d));
                return {FileKind::cases, state.dims.size() - 1};
            }
        }
        if (responses_file) {
            role.reset();
            if (auto col =
                    resolve_in(responses_file->reader->header(), responses_file->responses_map, name, role)) {
                for (std::size_t i = 0; i < state.dims.size(); ++i) {
                    if (state.dims[i].kind == FileKind::responses &&
                        fold_name(state.dims[i].name) == fold_name(name)) {
                        return {FileKind::responses, i};
                    }
                }
                Dimension d;
                d.name = name;
                d.kind = FileKind::responses;
                d.role = role;
                d.header = responses_file->reader->header()[*col];
                state.dims.push_back(std::move(d));
                return {FileKind::responses, state.dims.size() - 1};
            }
        }
        // Neither file has it: name the headers and the closest one.
        std::vector<std::string> all;
        if (cases_file) {
            all = cases_file->reader->header();
        }
        if (responses_file && responses_file != cases_file) {
            const auto& h = responses_file->reader->header();
            all.insert(all.end(), h.begin(), h.end());
        }
        std::string closest;
        std::size_t best = static_cast<std::size_t>(-1);
        std::string list;
        for (const std::string& h : all) {
            list += list.empty() ? "" : ", ";
            list += "'" + h + "'";
            std::size_t d = edit_distance(fold_name(h), fold_name(name));
            if (d < best) {
                best = d;
                closest = h;
            }
        }
        throw Error(
            ErrorKind::usage,
            fmt::format("{} '{}': no such role or column in the inputs; columns are: {}", what, name, list),
            closest.empty() ? std::string("name a role (agent, queue, type, channel, account, status) "
                                          "or a header of either file")
                            : fmt::format("did you mean '{}'?", closest));
    };
    for (const std::string& key : opt.by) {
        auto [kind, index] = resolve(key, "--by");
        state.group_dims.push_back(index);
        (void)kind;
    }
    for (const WhereFilter& w : opt.where) {
        resolve(w.column, "--where");
    }
    if (opt.details && cases_file) {
        // Case context for kept responses: only roles the cases file maps; never a grouping key.
        for (const std::string& name : opt.detail_roles) {
            auto role = parse_role(name);
            if (!role || !cases_file->cases_map.has(*role)) {
                continue;
            }
            auto [kind, index] = resolve(name, "--by");
            if (kind == FileKind::cases) {
                state.detail_dims.push_back(index);
                state.result.detail_names.push_back(name);
            }
        }
    }
    for (std::size_t i = 0; i < state.dims.size(); ++i) {
        (state.dims[i].kind == FileKind::cases ? state.case_dims : state.response_dims).push_back(i);
    }
}

void bind_columns(JobState& state, InputFile& input, FileKind kind) {
    const JobOptions& opt = *state.options;
    const auto& header = input.reader->header();
    const ColumnMap& map = kind == FileKind::cases ? input.cases_map : input.responses_map;
    input.dim_columns.assign(state.dims.size(), std::nullopt);
    for (std::size_t i = 0; i < state.dims.size(); ++i) {
        const Dimension& d = state.dims[i];
        if (d.kind != kind) {
            continue;
        }
        std::optional<std::size_t> col =
            d.role && map.has(*d.role) ? map.get(*d.role) : find_header(header, d.header);
        if (!col) {
            throw Error(ErrorKind::usage,
                        fmt::format("{}: no column '{}' (it is in the first {} file)", input.path, d.header,
                                    kind == FileKind::cases ? "cases" : "responses"),
                        "files of one role must have the same columns");
        }
        input.dim_columns[i] = col;
    }
    input.filters.clear();
    for (const WhereFilter& w : opt.where) {
        for (std::size_t i = 0; i < state.dims.size(); ++i) {
            if (state.dims[i].kind == kind && fold_name(state.dims[i].name) == fold_name(w.column)) {
                input.filters.push_back(ResolvedFilter{input.dim_columns[i], &w});
            }
        }
    }
}

void skip_malformed(JobState& state, InputFile& input, Error e) {
    const std::uint64_t line = e.pos().line;
    e.with_file(input.path);
    if (state.options->on_error == OnError::fail) {
        if (e.hint().empty()) {
            e.with_hint("fix the row, or skip malformed rows with --on-error skip (they are counted)");
        }
        throw e;
    }
    FileAccount& account = state.result.accounting.files[input.account_index];
    account.exclude(RowFate::malformed, line);
    if (state.options->collect_rejects) {
        state.result.accounting.rejects.push_back(
            Reject{input.path, line, row_fate_name(RowFate::malformed), e.message()});
    }
}

void reject(JobState& state, InputFile& input, std::uint64_t line, RowFate fate, const std::string& detail) {
    FileAccount& account = state.result.accounting.files[input.account_index];
    if (state.options->strict) {
        throw Error(ErrorKind::data, SourcePos{input.path, line, 0},
                    fmt::format("{}: {}", row_fate_description(fate), detail),
                    "--strict stops at the first skipped row; drop --strict to count and skip such rows");
    }
    account.exclude(fate, line);
    if (state.options->collect_rejects) {
        state.result.accounting.rejects.push_back(Reject{input.path, line, row_fate_name(fate), detail});
    }
}

void invalid_value(JobState& state, InputFile& input, std::uint64_t line, std::uint64_t field_column,
                   std::size_t column, const std::string& metric, std::string_view value,
                   std::string_view reason, const std::string& expected) {
    const std::string& header = input.reader->header()[column];
    if (state.options->strict) {
        throw Error(
            ErrorKind::data, SourcePos{input.path, line, field_column},
            fmt::format("column '{}': expected {}, found '{}'", header, expected, value),
            metric == "csat" || metric == "nps" || metric == "ces"
                ? "treat such values as no answer with --na-values, or drop --strict to count and skip them"
                : "fix the value, or drop --strict to count it and treat the date as missing");
    }
    state.result.accounting.add_invalid(input.path, metric, header, line, value, reason);
    if (state.options->collect_rejects) {
        state.result.accounting.rejects.push_back(
            Reject{input.path, line, "invalid_" + metric,
                   fmt::format("column '{}': {} ('{}')", header, reason, value)});
    }
}

}  // namespace csat::pipeline
