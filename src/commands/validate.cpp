// csat validate: is this export fit to report on? A data-quality report with no metrics: dialect and
// mapping, rows read, malformed rows, invalid values, duplicates and orphans, suspicious dates, the date
// range and its gaps, and groups whose response rate stands far from the rest.
#include <algorithm>
#include <map>

#include "commands/command.hpp"
#include "commands/job_cli.hpp"
#include "csat/error.hpp"
#include "csat/job.hpp"
#include "csat/periods.hpp"
#include "csat/render.hpp"
#include "csat/text.hpp"
#include "render/json_writer.hpp"

namespace csat {

namespace {

struct ValidateOptions {
    JobCli job;
    OutputCli output;
    std::string by;
    std::string period = "week";
    std::string fail_on = "error";
    int max_lag = 90;
};

constexpr const char* k_validate_help = R"HELP(Examples:
  csat validate --cases cases.csv --responses responses.csv
  csat validate --cases tickets.csv --by queue --period month --fail-on warn --format json
Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage, 3 unreadable input.)HELP";

struct Finding {
    std::string severity;  // "error" or "warn"
    std::string kind;
    std::string file;
    std::uint64_t count = 0;
    std::vector<std::uint64_t> lines;
    std::string detail;
};

std::string lines_text(const std::vector<std::uint64_t>& lines, std::uint64_t count) {
    if (lines.empty()) {
        return "";
    }
    std::string out;
    for (std::uint64_t l : lines) {
        out += out.empty() ? "" : ", ";
        out += std::to_string(l);
    }
    if (count > lines.size()) {
        out += ", ...";
    }
    return out;
}

std::string severity_of(RowFate fate) {
    switch (fate) {
        case RowFate::malformed:
        case RowFate::missing_case_id:
        case RowFate::conflicting_case:
            return "error";
        default:
            return "warn";
    }
}

std::vector<Finding> collect(const JobResult& job, const ValidateOptions& opt, Period period, WeekStart ws) {
    std::vector<Finding> out;
    for (const FileAccount& f : job.accounting.files) {
        for (const auto& [fate, sample] : f.excluded) {
            if (fate == RowFate::filtered_where || fate == RowFate::filtered_date ||
                fate == RowFate::case_filtered || fate == RowFate::no_answer) {
                continue;
            }
            out.push_back(Finding{severity_of(fate), row_fate_name(fate), f.path, sample.count,
                                  sample.first_lines, row_fate_description(fate)});
        }
    }
    for (const InvalidValues& v : job.accounting.invalid) {
        out.push_back(
            Finding{"error", "invalid_" + v.metric, v.file, v.sample.count, v.sample.first_lines,
                    fmt::format("column '{}': first '{}' ({})", v.column, v.first_value, v.first_reason)});
    }
    for (const InvalidValues& v : job.accounting.findings) {
        out.push_back(Finding{"warn", v.metric, v.file, v.sample.count, v.sample.first_lines,
                              fmt::format("column '{}': {}", v.column, v.first_reason)});
    }
    // Gaps: periods inside the covered range with no cases (or no responses without a cases file).
    std::map<std::int64_t, std::uint64_t> per_period;
    std::map<std::string, GroupStats> per_group;
    bool grouped = job.key_names.size() > 1;
    for (const GroupResult& g : job.groups) {
        if (g.period_key) {
            per_period[*g.period_key] += job.has_cases ? g.stats.cases : g.stats.responses;
        }
        if (grouped) {
            per_group[g.key[0]].merge(g.stats);
        }
    }
    if (job.first_day && job.last_day) {
        std::vector<std::string> empty;
        for (std::int64_t k = period_key(*job.first_day, period, ws); k <= *job.last_day;
             k = next_period_start(k, period, ws)) {
            auto it = per_period.find(k);
            if (it == per_period.end() || it->second == 0) {
                empty.push_back(period_label(k, period, ws));
            }
        }
        if (!empty.empty()) {
            std::string list;
            for (const std::string& e : empty) {
                list += list.empty() ? e : ", " + e;
            }
            out.push_back(Finding{"warn",
                                  "gap",
                                  "",
                                  empty.size(),
                                  {},
                                  fmt::format("{} with no {} (a partial export?): {}", opt.period,
                                              job.has_cases ? "cases" : "responses", list)});
        }
    }
    // Response rates far from the rest: group against all other groups, two-proportion z, p < 0.001.
    if (grouped && job.group_case_metrics) {
        GroupStats all;
        for (const auto& [key, s] : per_group) {
            all.merge(s);
        }
        for (const auto& [key, s] : per_group) {
            if (s.cases < 20 || all.cases - s.cases < 20) {
                continue;
            }
            ZTest t =
                two_proportion_z(all.responded - s.responded, all.cases - s.cases, s.responded, s.cases);
            if (t.p_value < 0.001) {
                double rate = 100.0 * static_cast<double>(s.responded) / static_cast<double>(s.cases);
                double rest = 100.0 * static_cast<double>(all.responded - s.responded) /
                              static_cast<double>(all.cases - s.cases);
                out.push_back(
                    Finding{"warn",
                            "rate_outlier",
                            "",
                            s.cases,
                            {},
                            fmt::format("{} '{}': response rate {:.1f}% vs {:.1f}% for the rest (z = {:.2f})",
                                        job.key_names[0], key, rate, rest, t.z)});
            }
        }
    }
    return out;
}

int run_validate(const ValidateOptions& opt) {
    JobCli cli = opt.job;
    cli.period = opt.period;
    cli.by.clear();
    if (!opt.by.empty()) {
        cli.by.push_back(opt.by);
    }
    cli.on_error = "skip";
    cli.strict = false;
    JobOptions job_options = to_job_options(cli, !opt.output.rejects.empty());
    job_options.count_case_conflicts = true;
    job_options.collect_findings = true;
    job_options.max_lag_days = opt.max_lag;
    if (opt.fail_on != "warn" && opt.fail_on != "error") {
        throw Error(ErrorKind::usage, fmt::format("--fail-on '{}': expected warn or error", opt.fail_on),
                    "--fail-on warn fails on any finding; error (default) only on errors");
    }
    Format format = output_format(opt.output);
    if (format == Format::csv && opt.output.format.empty()) {
        format = Format::table;
    }
    RenderOptions render = render_options(opt.output, format);
    JobResult job = run_job(job_options);
    std::vector<Finding> findings = collect(job, opt, job_options.period, job_options.week_start);
    std::size_t errors = static_cast<std::size_t>(std::count_if(
        findings.begin(), findings.end(), [](const Finding& f) { return f.severity == "error"; }));
    std::size_t warnings = findings.size() - errors;
    std::string range = job.first_day
                            ? fmt::format("{} to {}", format_day(*job.first_day), format_day(*job.last_day))
                            : std::string("none");

    std::string text;
    if (format == Format::json) {
        render::JsonWriter w;
        w.begin_object();
        w.key("csat_version").value(render.version);
        w.key("command").value("validate");
        w.key("inputs");
        render::write_inputs(w, job);
        w.key("date_range").begin_object();
        w.key("basis").value(cli.date);
        w.key("first").value(job.first_day ? format_day(*job.first_day) : "");
        w.key("last").value(job.last_day ? format_day(*job.last_day) : "");
        w.end_object();
        w.key("errors").value(static_cast<std::uint64_t>(errors));
        w.key("warnings").value(static_cast<std::uint64_t>(warnings));
        w.key("findings").begin_array();
        for (const Finding& f : findings) {
            w.begin_object();
            w.key("severity").value(f.severity);
            w.key("kind").value(f.kind);
            w.key("file").value(f.file);
            w.key("count").value(f.count);
            w.key("first_lines").begin_array();
            for (std::uint64_t l : f.lines) {
                w.value(l);
            }
            w.end_array();
            w.key("detail").value(f.detail);
            w.end_object();
        }
        w.end_array();
        w.key("accounting");
        render::write_accounting(w, job.accounting);
        w.end_object();
        text = w.str();
    } else {
        Grid g;
        g.caption = fmt::format("csat validate: {} rows in {} file{}; {} dates: {}",
                                group_thousands(static_cast<long long>(job.accounting.total_read())),
                                job.accounting.files.size(), job.accounting.files.size() == 1 ? "" : "s",
                                cli.date, range);
        g.headers = {"severity", "finding", "file", "rows", "first lines", "detail"};
        g.numeric = {false, false, false, true, false, false};
        for (const Finding& f : findings) {
            g.rows.push_back({f.severity, f.kind, f.file, group_thousands(static_cast<long long>(f.count)),
                              lines_text(f.lines, f.count), f.detail});
        }
        if (findings.empty()) {
            g.rows.push_back({"ok", "no findings", "", "", "", ""});
        }
        for (const FileMapping& m : job.mappings) {
            std::string roles;
            for (const auto& [role, header] : m.roles) {
                roles += roles.empty() ? "" : ", ";
                roles.append(role).append("<-'").append(header).append("'");
            }
            const FileAccount* acct = nullptr;
            for (const FileAccount& a : job.accounting.files) {
                if (a.path == m.path) {
                    acct = &a;
                }
            }
            g.notes.push_back(
                fmt::format("{} ({}): delimiter '{}', preset {}, {} rows; {}", m.path, m.kind,
                            m.delimiter == '\t' ? std::string("tab") : std::string(1, m.delimiter),
                            preset_name(m.preset), acct ? acct->rows_read : 0, roles));
        }
        g.notes.push_back(fmt::format("{}: {} error{}, {} warning{}", errors > 0 ? "NOT FIT" : "OK", errors,
                                      errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s"));
        text = render_grid(format, g, render);
    }
    emit(opt.output, text, job);
    bool fail = opt.fail_on == "warn" ? !findings.empty() : errors > 0;
    return fail ? exit_code(ErrorKind::check_failed) : 0;
}

}  // namespace

void setup_validate(CLI::App& app, CommandRun& run) {
    auto opt = std::make_shared<ValidateOptions>();
    CLI::App* sub = app.add_subcommand("validate", "data-quality report: is this export fit to report on?");
    add_job_options(*sub, opt->job, false);
    sub->add_option("--by", opt->by, "look for response rates far from the rest across this key (e.g. agent)")
        ->group("Validate");
    sub->add_option("--period", opt->period, "gap detection buckets: day, week (default), month")
        ->group("Validate");
    sub->add_option("--max-lag", opt->max_lag,
                    "flag responses more than this many days after closure (default 90)")
        ->group("Validate");
    sub->add_option("--fail-on", opt->fail_on, "exit 1 on: error (default) or warn (any finding)")
        ->group("Validate");
    add_output_options(*sub, opt->output);
    sub->footer(k_validate_help);
    sub->callback([opt, &run] { run = [opt] { return run_validate(*opt); }; });
}

}  // namespace csat
