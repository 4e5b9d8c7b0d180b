#include "commands/job_cli.hpp"

#include <thread>

#include <glob.h>

#include <cmath>
#include <cstdlib>

#include "csat/error.hpp"
#include "csat/output.hpp"
#include "csat/text.hpp"

namespace csat {

namespace {

// Expands a glob (for shells that pass it through, and for cron lines); plain names pass unchanged so a
// missing file is reported by the reader with its name.
std::vector<std::string> expand(const std::vector<std::string>& patterns) {
    std::vector<std::string> out;
    for (const std::string& p : patterns) {
        if (p == "-" || p.find_first_of("*?[") == std::string::npos) {
            out.push_back(p);
            continue;
        }
        glob_t g{};
        int rc = ::glob(p.c_str(), 0, nullptr, &g);
        if (rc == GLOB_NOMATCH) {
            ::globfree(&g);
            throw Error(ErrorKind::io, fmt::format("{}: no file matches", p),
                        "check the pattern and quote it");
        }
        for (std::size_t i = 0; i < g.gl_pathc; ++i) {
            out.emplace_back(g.gl_pathv[i]);  // glob() sorts, so the order is stable
        }
        ::globfree(&g);
    }
    return out;
}

std::vector<std::string> split_list(const std::vector<std::string>& values) {
    std::vector<std::string> out;
    for (const std::string& v : values) {
        for (const std::string& part : split(v, ',')) {
            std::string_view t = trim(part);
            if (!t.empty()) {
                out.emplace_back(t);
            }
        }
    }
    return out;
}

char parse_delimiter(const std::string& text) {
    if (text.empty()) {
        return 0;
    }
    if (text == "tab" || text == "\\t" || text == "\t") {
        return '\t';
    }
    if (text.size() == 1 && (text == "," || text == ";" || text == "|" || text == ":")) {
        return text[0];
    }
    throw Error(ErrorKind::usage, fmt::format("--delimiter '{}': expected one of , ; | tab", text),
                "leave it out to sniff the delimiter from the file");
}

template <typename T>
T pick(const std::string& flag, const std::string& value,
       std::initializer_list<std::pair<const char*, T>> choices) {
    std::string names;
    for (const auto& [name, v] : choices) {
        if (iequals(value, name)) {
            return v;
        }
        names += names.empty() ? "" : ", ";
        names += name;
    }
    throw Error(ErrorKind::usage, fmt::format("{} '{}': expected one of {}", flag, value, names),
                fmt::format("for example {} {}", flag, choices.begin()->first));
}

}  // namespace

void add_job_options(CLI::App& app, JobCli& cli, bool with_grouping) {
    app.add_option("--cases", cli.cases,
                   "cases export(s): .csv, .csv.gz or - for stdin; repeat or use a glob")
        ->group("Inputs");
    app.add_option("--responses", cli.responses,
                   "survey responses export(s); omit when the cases file has scores")
        ->group("Inputs");
    app.add_option("--preset", cli.preset, "column names: auto, salesforce, zendesk, freshdesk, generic")
        ->group("Inputs");
    app.add_option("--col", cli.cols, "map a role to a header: ROLE=HEADER or cases:ROLE=HEADER (repeatable)")
        ->group("Inputs");
    app.add_option("--delimiter", cli.delimiter, "field delimiter: , ; | tab (default: sniffed)")
        ->group("Inputs");
    app.add_option("--encoding", cli.encoding, "input encoding: utf8, latin1, cp1252")->group("Inputs");
    if (with_grouping) {
        app.add_option("--by", cli.by,
                       "group by roles or columns, comma-separated (agent, queue, type, \"Account Name\")")
            ->group("Grouping");
        app.add_option("--period", cli.period, "time buckets: day, week, month, quarter, year")
            ->group("Grouping");
    }
    app.add_option("--week-start", cli.week_start, "monday (ISO weeks, default) or sunday")
        ->group("Grouping");
    app.add_option("--date", cli.date,
                   "which date buckets and filters a row: closed (default), created, response")
        ->group("Grouping");
    app.add_option("--tz", cli.tz, "IANA time zone for dates without an offset and for buckets (default UTC)")
        ->group("Grouping");
    app.add_option("--date-order", cli.date_order, "slash dates: auto (sniff, default), mdy, dmy")
        ->group("Grouping");
    app.add_option("--since", cli.since, "from this day: YYYY-MM-DD, 7d, 4w, last-week, this-month, ...")
        ->group("Filters");
    app.add_option("--until", cli.until, "to this day (inclusive), same forms as --since")->group("Filters");
    app.add_option("--as-of", cli.as_of, "the day relative dates count from (default: today in --tz)")
        ->group("Filters");
    app.add_option("--where", cli.where,
                   "keep rows whose column has one of the values: COL=V1,V2 (repeatable)")
        ->group("Filters");
    app.add_option("--csat-scale", cli.csat_scale, "1-5 (default), 1-7, 1-10, 0-10, 1-3, 1-4, 1-6, binary")
        ->group("Scores");
    app.add_option("--csat-positive", cli.csat_positive,
                   "lowest positive CSAT value (default by scale: 4 on 1-5)")
        ->group("Scores");
    app.add_option("--labels", cli.labels, "custom labels: \"Awful=1,Poor=2,OK=3,Good=4,Great=5\"")
        ->group("Scores");
    app.add_option("--na-values", cli.na_values, "extra values that mean no answer, comma-separated")
        ->group("Scores");
    app.add_option("--ces-scale", cli.ces_scale, "1-7 (default) or 1-5")->group("Scores");
    app.add_option("--ces-better", cli.ces_better, "high or low (default: high on 1-7, low on 1-5)")
        ->group("Scores");
    app.add_option("--duplicates", cli.duplicates,
                   "several responses for a case: latest (default), first, all")
        ->group("Join");
    app.add_flag("--keep-orphans", cli.keep_orphans, "count responses with no matching case in the scores")
        ->group("Join");
    app.add_option("--rate-base", cli.rate_base,
                   "response-rate denominator: auto (default), closed, sent, offered")
        ->group("Join");
    app.add_option("--closed-status", cli.closed_status,
                   "status values that mean closed (default: closed,solved,resolved,done,completed)")
        ->group("Join");
    app.add_flag("--strict", cli.strict, "any skipped row or invalid value is an error (exit 3)")
        ->group("Join");
    app.add_option("--on-error", cli.on_error, "malformed CSV rows: fail (default) or skip (counted)")
        ->group("Join");
    app.add_option("--progress", cli.progress,
                   "progress line on stderr: auto (when a terminal, default), always, never")
        ->group("Output");
    app.add_option("--threads", cli.threads,
                   "threads that read each input file (default: all cores); results do not depend on it")
        ->check(CLI::Range(1u, 256u))
        ->group("Inputs");
}

void add_output_options(CLI::App& app, OutputCli& cli, bool with_rejects) {
    app.add_option("--format", cli.format,
                   "table, csv, json, markdown (default: table on a terminal, else csv)")
        ->group("Output");
    app.add_option("-o,--output", cli.output, "write to FILE (atomically) instead of stdout")
        ->group("Output");
    app.add_option("--color", cli.color, "auto (default; honours NO_COLOR), always, never")->group("Output");
    app.add_flag("-q,--quiet", cli.quiet, "no accounting summary on stderr")->group("Output");
    app.add_flag("--no-sanitize", cli.no_sanitize, "CSV: do not prefix formula-like cells with '")
        ->group("Output");
    if (with_rejects) {
        app.add_option("--rejects", cli.rejects,
                       "write every rejected row (file, line, reason) as CSV to FILE")
            ->group("Output");
    }
}

void add_view_options(CLI::App& app, ViewCli& cli) {
    app.add_option("--metrics", cli.metrics, "columns: families rate,csat,nps,ces and/or metric names")
        ->group("Output");
    app.add_option("--sort", cli.sort, "order groups by a metric, descending; METRIC:asc for ascending")
        ->group("Output");
    app.add_option("--top", cli.top, "keep the first N groups after sorting")->group("Output");
    app.add_option("--min-n", cli.min_n, "groups with fewer answers are flagged low n (default 30)")
        ->group("Output");
    app.add_option("--min-rate", cli.min_rate, "response rate %% under which a group is flagged (default 10)")
        ->group("Output");
    app.add_flag("--hide-low-n", cli.hide_low_n, "drop low-n groups (the total keeps them)")->group("Output");
    app.add_option("--confidence", cli.confidence, "interval confidence level (default 0.95)")
        ->group("Output");
}

JobOptions to_job_options(const JobCli& cli, bool want_rejects) {
    JobOptions o;
    o.cases_files = expand(cli.cases);
    o.responses_files = expand(cli.responses);
    o.preset = parse_preset(cli.preset);
    for (const std::string& c : cli.cols) {
        o.overrides.push_back(parse_column_override(c));
    }
    o.csv.delimiter = parse_delimiter(cli.delimiter);
    o.csv.encoding = pick<Encoding>("--encoding", cli.encoding,
                                    {{"utf8", Encoding::utf8},
                                     {"utf-8", Encoding::utf8},
                                     {"latin1", Encoding::latin1},
                                     {"iso-8859-1", Encoding::latin1},
                                     {"cp1252", Encoding::cp1252},
                                     {"windows-1252", Encoding::cp1252}});
    o.by = split_list(cli.by);
    o.period = cli.period.empty() ? Period::none : parse_period(cli.period);
    o.week_start = pick<WeekStart>("--week-start", cli.week_start,
                                   {{"monday", WeekStart::monday}, {"sunday", WeekStart::sunday}});
    o.date_basis = pick<DateBasis>(
        "--date", cli.date,
        {{"closed", DateBasis::closed}, {"created", DateBasis::created}, {"response", DateBasis::response}});
    TimeZone tz = TimeZone::locate(cli.tz);
    o.tz = tz.name();
    o.date_order =
        pick<DateOrder>("--date-order", cli.date_order,
                        {{"auto", DateOrder::unknown}, {"mdy", DateOrder::mdy}, {"dmy", DateOrder::dmy}});
    if (!cli.since.empty() || !cli.until.empty()) {
        std::int64_t as_of = cli.as_of.empty() ? today_local_day(tz) : parse_day(cli.as_of);
        if (!cli.since.empty()) {
            o.since_day = resolve_since(cli.since, as_of, o.week_start);
        }
        if (!cli.until.empty()) {
            o.until_day = resolve_until(cli.until, as_of, o.week_start);
        }
        if (o.since_day && o.until_day && *o.since_day > *o.until_day) {
            throw Error(ErrorKind::usage,
                        fmt::format("--since {} is after --until {}", format_day(*o.since_day),
                                    format_day(*o.until_day)),
                        "swap them, or check --as-of");
        }
    } else if (!cli.as_of.empty()) {
        parse_day(cli.as_of);  // validate even when unused
    }
    for (const std::string& w : cli.where) {
        auto eq = w.find('=');
        if (eq == std::string::npos || eq == 0) {
            throw Error(ErrorKind::usage, fmt::format("--where '{}': expected COL=V1,V2", w),
                        "for example --where queue=Billing,Returns");
        }
        WhereFilter f;
        f.column = std::string(trim(std::string_view(w).substr(0, eq)));
        for (const std::string& v : split(std::string_view(w).substr(eq + 1), ',')) {
            f.values.emplace_back(trim(v));
        }
        o.where.push_back(std::move(f));
    }
    o.csat_scale = csat_scale(cli.csat_scale, cli.csat_positive);
    o.ces_scale =
        ces_scale(cli.ces_scale,
                  cli.ces_better.empty() ? std::nullopt : std::optional<std::string_view>(cli.ces_better));
    o.labels = cli.labels;
    o.na_values = cli.na_values;
    o.duplicates = pick<DuplicatePolicy>("--duplicates", cli.duplicates,
                                         {{"latest", DuplicatePolicy::latest},
                                          {"first", DuplicatePolicy::first},
                                          {"all", DuplicatePolicy::all}});
    o.keep_orphans = cli.keep_orphans;
    o.rate_base = pick<RateBase>("--rate-base", cli.rate_base,
                                 {{"auto", RateBase::auto_detect},
                                  {"closed", RateBase::closed},
                                  {"sent", RateBase::sent},
                                  {"offered", RateBase::offered}});
    if (!cli.closed_status.empty()) {
        o.closed_statuses.clear();
        for (const std::string& s : split(cli.closed_status, ',')) {
            o.closed_statuses.push_back(to_lower_ascii(trim(s)));
        }
    }
    o.strict = cli.strict;
    o.on_error =
        pick<OnError>("--on-error", cli.on_error, {{"fail", OnError::fail}, {"skip", OnError::skip}});
    o.collect_rejects = want_rejects;
    std::string progress = to_lower_ascii(cli.progress);
    if (progress != "auto" && progress != "always" && progress != "never") {
        throw Error(ErrorKind::usage,
                    fmt::format("--progress '{}': expected auto, always or never", cli.progress),
                    "auto draws it only when stderr is a terminal");
    }
    o.progress = progress == "always" || (progress == "auto" && stderr_is_tty());
    o.threads = cli.threads != 0 ? cli.threads : std::max(1u, std::thread::hardware_concurrency());
    return o;
}

ViewOptions to_view_options(const ViewCli& cli) {
    ViewOptions v;
    if (!cli.metrics.empty()) {
        v.metrics = parse_metric_list(cli.metrics);
    }
    if (!(cli.confidence > 0.0 && cli.confidence < 1.0)) {
        throw Error(ErrorKind::usage,
                    fmt::format("--confidence {}: expected a level between 0 and 1", cli.confidence),
                    "for example --confidence 0.9");
    }
    v.confidence = cli.confidence;
    v.min_n = cli.min_n;
    v.min_rate_pct = cli.min_rate;
    v.hide_low_n = cli.hide_low_n;
    v.top = cli.top;
    if (!cli.sort.empty()) {
        std::string s = cli.sort;
        auto colon = s.find(':');
        if (colon != std::string::npos) {
            std::string dir = to_lower_ascii(s.substr(colon + 1));
            if (dir != "asc" && dir != "desc") {
                throw Error(ErrorKind::usage,
                            fmt::format("--sort '{}': expected METRIC or METRIC:asc", cli.sort),
                            "for example --sort csat_pct:asc");
            }
            v.sort_ascending = dir == "asc";
            s.resize(colon);
        }
        if (!find_metric(s)) {
            throw Error(
                ErrorKind::usage, fmt::format("--sort: unknown metric '{}'", s),
                "sort by a metric name such as csat_pct, csat_n, nps or response_rate_pct (csat metrics)");
        }
        v.sort_metric = s;
    }
    return v;
}

std::vector<std::pair<std::string, std::string>> describe_settings(const JobCli& cli, const JobOptions& o) {
    std::vector<std::pair<std::string, std::string>> s;
    auto join = [](const std::vector<std::string>& v) {
        std::string out;
        for (const std::string& x : v) {
            out += out.empty() ? "" : ",";
            out += x;
        }
        return out;
    };
    s.emplace_back("by", join(o.by));
    s.emplace_back("period", cli.period);
    s.emplace_back("week_start", cli.week_start);
    s.emplace_back("date", cli.date);
    s.emplace_back("tz", o.tz);
    s.emplace_back("since", o.since_day ? format_day(*o.since_day) : "");
    s.emplace_back("until", o.until_day ? format_day(*o.until_day) : "");
    s.emplace_back("csat_scale", o.csat_scale.label());
    s.emplace_back("csat_positive_from", std::to_string(o.csat_scale.positive_from));
    s.emplace_back("ces_scale", o.ces_scale.label());
    s.emplace_back("ces_better", o.ces_scale.higher_is_better ? "high" : "low");
    s.emplace_back("duplicates", cli.duplicates);
    s.emplace_back("keep_orphans", o.keep_orphans ? "true" : "false");
    s.emplace_back("rate_base", cli.rate_base);
    s.emplace_back("strict", o.strict ? "true" : "false");
    std::string where;
    for (const WhereFilter& w : o.where) {
        where += where.empty() ? "" : "; ";
        where += w.column + "=" + join(w.values);
    }
    s.emplace_back("where", where);
    return s;
}

std::string report_caption(const JobOptions& o, const JobResult& job, const ViewOptions& view) {
    std::vector<std::string> parts;
    if (!job.key_names.empty()) {
        std::string by;
        for (const std::string& k : o.by) {
            by += by.empty() ? "" : ", ";
            by += k;
        }
        if (o.period != Period::none) {
            std::string basis = job.date_basis == DateBasis::closed    ? "closed"
                                : job.date_basis == DateBasis::created ? "created"
                                                                       : "response";
            static const char* names[] = {"", "day", "week", "month", "quarter", "year"};
            by += by.empty() ? "" : ", ";
            by += fmt::format("{} of {} date ({})", names[static_cast<int>(o.period)], basis, o.tz);
        }
        parts.push_back("by " + by);
    }
    if (o.since_day || o.until_day) {
        parts.push_back(fmt::format("{} to {}", o.since_day ? format_day(*o.since_day) : "start",
                                    o.until_day ? format_day(*o.until_day) : "end"));
    }
    if (job.has_csat) {
        parts.push_back(o.csat_scale.binary
                            ? std::string("CSAT positive = good")
                            : fmt::format("CSAT positive = {}-{} on {}", o.csat_scale.positive_from,
                                          o.csat_scale.max, o.csat_scale.label()));
    }
    parts.push_back(fmt::format("{}% Wilson intervals", std::lround(view.confidence * 100.0)));
    if (job.has_cases) {
        parts.push_back("response rate = responded / " + job.rate_base);
    }
    std::string out = "CSAT report";
    for (const std::string& p : parts) {
        out += " | " + p;
    }
    return out;
}

Format output_format(const OutputCli& cli) {
    if (!cli.format.empty()) {
        return parse_format(cli.format);
    }
    bool to_terminal = (cli.output.empty() || cli.output == "-") && stdout_is_tty();
    return to_terminal ? Format::table : Format::csv;
}

RenderOptions render_options(const OutputCli& cli, Format format) {
    RenderOptions r;
    r.sanitize = !cli.no_sanitize;
    std::string c = to_lower_ascii(cli.color);
    if (c == "always") {
        r.color = true;
    } else if (c == "never") {
        r.color = false;
    } else if (c == "auto") {
        const char* no_color = std::getenv("NO_COLOR");
        r.color = format == Format::table && (cli.output.empty() || cli.output == "-") && stdout_is_tty() &&
                  !(no_color && *no_color);
    } else {
        throw Error(ErrorKind::usage, fmt::format("--color '{}': expected auto, always or never", cli.color),
                    "colour is used only on a terminal unless you say always");
    }
    return r;
}

void emit(const OutputCli& cli, const std::string& text, const JobResult& job) {
    if (!cli.rejects.empty()) {
        RenderOptions r;
        r.sanitize = !cli.no_sanitize;
        write_output(cli.rejects, render_rejects(job.accounting, r));
    }
    write_output(cli.output, text);
    if (!cli.quiet) {
        std::string summary = accounting_summary(job);
        std::fputs(summary.c_str(), stderr);
    }
}

}  // namespace csat
