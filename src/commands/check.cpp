// csat check: gates for CI. Compares metrics against --min/--max thresholds on the total and on every group,
// skips groups too small to judge (never passing them silently), optionally fails a group only when its whole
// interval is past the threshold, applies data-quality gates, and writes JUnit XML for CI test reporters.
#include <cmath>

#include "commands/command.hpp"
#include "commands/job_cli.hpp"
#include "csat/error.hpp"
#include "csat/job.hpp"
#include "csat/output.hpp"
#include "csat/render.hpp"
#include "csat/stats.hpp"
#include "csat/text.hpp"
#include "render/cells.hpp"
#include "render/json_writer.hpp"

namespace csat {

namespace {

struct CheckOptions {
    JobCli job;
    OutputCli output;
    std::vector<std::string> min;
    std::vector<std::string> max;
    std::uint64_t min_n = 30;
    bool confidence_gate = false;
    double confidence = 0.95;
    std::string junit;
    std::optional<double> max_orphans_pct;
    std::optional<double> max_invalid_pct;
    std::optional<std::uint64_t> max_skipped;
};

struct Threshold {
    const MetricDef* metric;
    bool is_min;
    double limit;
};

enum class Status { pass, breach, skipped };

struct Outcome {
    std::string group;  // "total" or "agent=Ana, period=2026-W07"
    std::string check;  // "csat_pct >= 85"
    std::optional<double> value;
    std::string shown_value;
    std::uint64_t n = 0;
    std::string interval;
    Status status = Status::pass;
    std::string reason;
};

constexpr const char* k_check_help = R"HELP(Examples:
  csat check --cases c.csv --responses r.csv --min csat_pct=85 --min response_rate_pct=10
  csat check --cases c.csv --responses r.csv --by agent --min csat_pct=80 --confidence-gate --junit csat.xml
  csat check --cases c.csv --responses r.csv --max ces_avg=3.5 --max-orphans-pct 2 --max-skipped 0
Exit codes: 0 every check passed or was skipped for low n, 1 a breach, 2 usage, 3 data, 4 I/O.)HELP";

std::vector<Threshold> parse_thresholds(const std::vector<std::string>& list, bool is_min) {
    std::vector<Threshold> out;
    for (const std::string& text : list) {
        auto eq = text.find('=');
        std::string name = eq == std::string::npos ? text : std::string(trim(text.substr(0, eq)));
        const MetricDef* metric = find_metric(name);
        if (eq == std::string::npos || !metric) {
            throw Error(ErrorKind::usage,
                        fmt::format("{} '{}': expected METRIC=VALUE with a metric from csat metrics",
                                    is_min ? "--min" : "--max", text),
                        "for example --min csat_pct=85 or --max ces_avg=3.5");
        }
        std::string value(trim(text.substr(eq + 1)));
        char* end = nullptr;
        double limit = std::strtod(value.c_str(), &end);
        if (value.empty() || end != value.c_str() + value.size() || !std::isfinite(limit)) {
            throw Error(ErrorKind::usage,
                        fmt::format("{} '{}': '{}' is not a number", is_min ? "--min" : "--max", text, value),
                        "thresholds are plain numbers; percentages are 0-100");
        }
        out.push_back(Threshold{metric, is_min, limit});
    }
    return out;
}

std::string number(double v) {
    return render::exact_value(std::round(v * 1000.0) / 1000.0);
}

Outcome evaluate(const std::string& group, const GroupStats& stats, const Threshold& t,
                 const MetricContext& ctx, const CheckOptions& opt) {
    Outcome o;
    o.group = group;
    o.check = fmt::format("{} {} {}", t.metric->name, t.is_min ? ">=" : "<=", number(t.limit));
    o.value = t.metric->value(stats, ctx);
    o.n = t.metric->n ? t.metric->n(stats) : 0;
    o.shown_value = render::display_value(o.value, t.metric->unit);
    std::optional<MetricInterval> range;
    if (t.metric->interval) {
        range = t.metric->interval(stats, ctx);
    }
    if (range) {
        o.interval = render::format_interval(range->low, range->high);
    }
    if (!o.value) {
        o.status = Status::skipped;
        o.reason = "no data";
        return o;
    }
    if (o.n < opt.min_n) {
        o.status = Status::skipped;
        o.reason = fmt::format("skipped (n={} < {})", o.n, opt.min_n);
        return o;
    }
    double v = *o.value;
    bool breach = t.is_min ? v < t.limit : v > t.limit;
    if (breach && opt.confidence_gate && range) {
        // Only a breach the interval confirms: the whole interval lies on the wrong side.
        breach = t.is_min ? range->high < t.limit : range->low > t.limit;
        if (!breach) {
            o.reason = "within the interval";
        }
    }
    o.status = breach ? Status::breach : Status::pass;
    if (breach) {
        o.reason = fmt::format("{} {} {}", o.shown_value, t.is_min ? "<" : ">", number(t.limit));
    }
    return o;
}

std::string group_label(const JobResult& job, const GroupResult& g) {
    std::string out;
    for (std::size_t k = 0; k < job.key_names.size(); ++k) {
        out += out.empty() ? "" : ", ";
        out += job.key_names[k] + "=" + g.key[k];
    }
    return out;
}

// Data-quality gates: an export that half failed must not pass.
void quality_gates(const JobResult& job, const CheckOptions& opt, std::vector<Outcome>& out) {
    std::uint64_t response_rows = 0;
    std::uint64_t orphans = 0;
    std::uint64_t skipped = 0;
    for (const FileAccount& f : job.accounting.files) {
        if (f.role != "cases") {
            response_rows += f.rows_read;
        }
        orphans += f.orphans_kept;
        for (const auto& [fate, sample] : f.excluded) {
            if (fate == RowFate::orphan) {
                orphans += sample.count;
            }
            if (fate == RowFate::malformed || fate == RowFate::missing_case_id || fate == RowFate::orphan ||
                fate == RowFate::before_created) {
                skipped += sample.count;
            }
        }
    }
    std::uint64_t invalid = 0;
    for (const InvalidValues& v : job.accounting.invalid) {
        invalid += v.sample.count;
    }
    auto gate = [&](const char* name, double value, double limit, std::string shown) {
        Outcome o;
        o.group = "data";
        o.check = fmt::format("{} <= {}", name, number(limit));
        o.value = value;
        o.shown_value = std::move(shown);
        o.n = response_rows;
        o.status = value > limit ? Status::breach : Status::pass;
        if (o.status == Status::breach) {
            o.reason = fmt::format("{} > {}", o.shown_value, number(limit));
        }
        out.push_back(o);
    };
    auto pct = [&](std::uint64_t k) {
        return response_rows == 0 ? 0.0 : 100.0 * static_cast<double>(k) / static_cast<double>(response_rows);
    };
    if (opt.max_orphans_pct) {
        gate("orphans_pct", pct(orphans), *opt.max_orphans_pct, fmt::format("{:.1f}", pct(orphans)));
    }
    if (opt.max_invalid_pct) {
        gate("invalid_pct", pct(invalid), *opt.max_invalid_pct, fmt::format("{:.1f}", pct(invalid)));
    }
    if (opt.max_skipped) {
        gate("skipped_rows", static_cast<double>(skipped), static_cast<double>(*opt.max_skipped),
             std::to_string(skipped));
    }
}

std::string_view status_name(Status s) {
    switch (s) {
        case Status::pass:
            return "pass";
        case Status::breach:
            return "BREACH";
        case Status::skipped:
            return "skipped";
    }
    return "pass";
}

std::string xml(std::string_view text) {
    return render::html_escape(escape_control(text));
}

std::string junit_xml(const std::vector<Outcome>& outcomes) {
    std::size_t failures = 0;
    std::size_t skipped = 0;
    for (const Outcome& o : outcomes) {
        failures += o.status == Status::breach ? 1 : 0;
        skipped += o.status == Status::skipped ? 1 : 0;
    }
    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out += fmt::format(
        "<testsuites name=\"csat check\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\">\n",
        outcomes.size(), failures, skipped);
    out += fmt::format(
        "  <testsuite name=\"csat check\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\" "
        "time=\"0\">\n",
        outcomes.size(), failures, skipped);
    for (const Outcome& o : outcomes) {
        out += fmt::format("    <testcase classname=\"csat.{}\" name=\"{}\" time=\"0\"", xml(o.group),
                           xml(o.check));
        std::string detail = fmt::format("value {} (n={}{})", o.shown_value, o.n,
                                         o.interval.empty() ? "" : ", interval " + o.interval);
        if (o.status == Status::pass) {
            out += "/>\n";
        } else if (o.status == Status::breach) {
            out += fmt::format(
                ">\n      <failure message=\"{}\" type=\"threshold\">{}</failure>\n    </testcase>\n",
                xml(o.reason), xml(detail));
        } else {
            out += fmt::format(">\n      <skipped message=\"{}\"/>\n    </testcase>\n", xml(o.reason));
        }
    }
    out += "  </testsuite>\n</testsuites>\n";
    return out;
}

std::string render_outcomes(Format format, const std::vector<Outcome>& outcomes, const CheckOptions& opt,
                            const RenderOptions& render, const JobResult& job) {
    std::size_t breaches = 0;
    std::size_t skipped = 0;
    for (const Outcome& o : outcomes) {
        breaches += o.status == Status::breach ? 1 : 0;
        skipped += o.status == Status::skipped ? 1 : 0;
    }
    std::string verdict = fmt::format(
        "{}: {} check{}, {} passed, {} breached, {} skipped", breaches > 0 ? "FAIL" : "PASS", outcomes.size(),
        outcomes.size() == 1 ? "" : "s", outcomes.size() - breaches - skipped, breaches, skipped);
    if (format == Format::json) {
        render::JsonWriter w;
        w.begin_object();
        w.key("csat_version").value(render.version);
        w.key("command").value("check");
        w.key("passed").value(breaches == 0);
        w.key("confidence_gate").value(opt.confidence_gate);
        w.key("confidence").value(opt.confidence);
        w.key("min_n").value(opt.min_n);
        w.key("checks").begin_array();
        for (const Outcome& o : outcomes) {
            w.begin_object();
            w.key("group").value(o.group);
            w.key("check").value(o.check);
            w.key("status").value(o.status == Status::pass     ? "pass"
                                  : o.status == Status::breach ? "breach"
                                                               : "skipped");
            w.key("value").value(o.value);
            w.key("n").value(o.n);
            w.key("interval").value(o.interval);
            w.key("reason").value(o.reason);
            w.end_object();
        }
        w.end_array();
        w.key("accounting");
        render::write_accounting(w, job.accounting);
        w.end_object();
        return w.str();
    }
    Grid g;
    g.headers = {"group",  "check", "value", "n", fmt::format("{:.0f}% CI", opt.confidence * 100.0),
                 "status", "reason"};
    g.numeric = {false, false, true, true, true, false, false};
    for (const Outcome& o : outcomes) {
        g.rows.push_back({o.group, o.check, o.shown_value, std::to_string(o.n), o.interval,
                          std::string(status_name(o.status)), o.reason});
    }
    g.notes.push_back(verdict);
    if (opt.confidence_gate) {
        g.notes.emplace_back(
            "--confidence-gate: a check fails only when its whole interval is past the threshold");
    }
    return render_grid(format, g, render);
}

int run_check(const CheckOptions& opt) {
    JobOptions job_options = to_job_options(opt.job, !opt.output.rejects.empty());
    std::vector<Threshold> thresholds = parse_thresholds(opt.min, true);
    for (const Threshold& t : parse_thresholds(opt.max, false)) {
        thresholds.push_back(t);
    }
    if (thresholds.empty() && !opt.max_orphans_pct && !opt.max_invalid_pct && !opt.max_skipped) {
        throw Error(
            ErrorKind::usage, "no checks given",
            "add --min METRIC=VALUE, --max METRIC=VALUE or a data-quality gate such as --max-skipped 0");
    }
    if (!(opt.confidence > 0.0 && opt.confidence < 1.0)) {
        throw Error(ErrorKind::usage,
                    fmt::format("--confidence {}: expected a level between 0 and 1", opt.confidence),
                    "for example --confidence 0.9");
    }
    Format format = output_format(opt.output);
    RenderOptions render = render_options(opt.output, format);
    JobResult job = run_job(job_options);

    MetricContext ctx;
    ctx.z = z_for_confidence(opt.confidence);
    std::vector<Outcome> outcomes;
    for (const GroupResult& g : job.groups) {
        MetricContext gctx = ctx;
        gctx.case_metrics = job.group_case_metrics;
        for (const Threshold& t : thresholds) {
            outcomes.push_back(evaluate(group_label(job, g), g.stats, t, gctx, opt));
        }
    }
    MetricContext tctx = ctx;
    tctx.case_metrics = job.total_case_metrics;
    for (const Threshold& t : thresholds) {
        outcomes.push_back(evaluate("total", job.total, t, tctx, opt));
    }
    quality_gates(job, opt, outcomes);

    if (!opt.junit.empty()) {
        write_output(opt.junit, junit_xml(outcomes));
    }
    emit(opt.output, render_outcomes(format, outcomes, opt, render, job), job);
    bool breached = std::any_of(outcomes.begin(), outcomes.end(),
                                [](const Outcome& o) { return o.status == Status::breach; });
    return breached ? exit_code(ErrorKind::check_failed) : 0;
}

}  // namespace

void setup_check(CLI::App& app, CommandRun& run) {
    auto opt = std::make_shared<CheckOptions>();
    CLI::App* sub =
        app.add_subcommand("check", "fail (exit 1) when a metric breaks a threshold: a gate for CI");
    add_job_options(*sub, opt->job);
    sub->add_option("--min", opt->min, "METRIC=VALUE: fail when the metric is below VALUE (repeatable)")
        ->group("Checks");
    sub->add_option("--max", opt->max, "METRIC=VALUE: fail when the metric is above VALUE (repeatable)")
        ->group("Checks");
    sub->add_option("--min-n", opt->min_n,
                    "skip groups with fewer answers (default 30); they never pass silently")
        ->group("Checks");
    sub->add_flag("--confidence-gate", opt->confidence_gate,
                  "fail only when the whole interval lies past the threshold")
        ->group("Checks");
    sub->add_option("--confidence", opt->confidence, "interval confidence level (default 0.95)")
        ->group("Checks");
    sub->add_option("--junit", opt->junit, "write JUnit XML (one testcase per group and threshold) to FILE")
        ->group("Checks");
    sub->add_option("--max-orphans-pct", opt->max_orphans_pct,
                    "fail when orphan responses exceed this % of rows")
        ->group("Data quality");
    sub->add_option("--max-invalid-pct", opt->max_invalid_pct,
                    "fail when invalid scores exceed this % of rows")
        ->group("Data quality");
    sub->add_option("--max-skipped", opt->max_skipped,
                    "fail when more rows were skipped (malformed, no case ID, orphan, dated before the case)")
        ->group("Data quality");
    add_output_options(*sub, opt->output);
    sub->footer(k_check_help);
    sub->callback([opt, &run] { run = [opt] { return run_check(*opt); }; });
}

}  // namespace csat
