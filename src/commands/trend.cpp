// csat trend: what changed. One metric per period over the last N complete periods, per group or for the
// total, with the change against the previous period and against the trailing mean, a significance test on
// that change (two-proportion z for shares, NPS difference with its variance, Welch z for means), streaks of
// falls, and --fail-on-drop for cron.
#include <algorithm>
#include <clocale>
#include <cmath>
#include <cstdlib>
#include <map>

#include "commands/command.hpp"
#include "commands/job_cli.hpp"
#include "csat/error.hpp"
#include "csat/job.hpp"
#include "csat/periods.hpp"
#include "csat/render.hpp"
#include "csat/stats.hpp"
#include "csat/text.hpp"
#include "render/cells.hpp"
#include "render/json_writer.hpp"

namespace csat {

namespace {

struct TrendOptions {
    JobCli job;
    OutputCli output;
    std::string metric = "csat_pct";
    std::size_t last = 8;
    std::size_t streak = 2;
    std::uint64_t min_n = 30;
    double confidence = 0.95;
    bool fail_on_drop = false;
    bool fail_on_rise = false;
    bool ascii = false;
};

constexpr const char* k_trend_help = R"HELP(Examples:
  csat trend --cases c.csv --responses r.csv --as-of 2026-03-29
  csat trend --cases c.csv --responses r.csv --by queue --period week --last 6 --metric csat_pct --fail-on-drop
  csat trend --cases c.csv --responses r.csv --period month --metric nps --format json
The last period is the latest one that has ended on or before --as-of (default: today in --tz).)HELP";

struct Point {
    std::int64_t period = 0;
    GroupStats stats;
    std::optional<double> value;
    std::uint64_t n = 0;
    bool low_n = false;
    std::optional<double> delta_prev;
    std::optional<double> delta_trailing;
    std::optional<ZTest> test;
    bool drop = false;
    bool rise = false;
    bool streak = false;
};

struct Series {
    std::vector<std::string> key;
    std::vector<Point> points;
};

bool unicode_output(const TrendOptions& opt) {
    if (opt.ascii) {
        return false;
    }
    for (const char* var : {"LC_ALL", "LC_CTYPE", "LANG"}) {
        const char* v = std::getenv(var);
        if (v && *v) {
            std::string s = to_lower_ascii(v);
            return s.find("utf-8") != std::string::npos || s.find("utf8") != std::string::npos;
        }
    }
    return false;
}

std::string sparkline(const Series& s, bool unicode) {
    static const char* blocks[] = {"\u2581", "\u2582", "\u2583", "\u2584",
                                   "\u2585", "\u2586", "\u2587", "\u2588"};
    static const char ramp[] = "_.-~=+*#";
    double lo = 0;
    double hi = 0;
    bool any = false;
    for (const Point& p : s.points) {
        if (p.value) {
            lo = any ? std::min(lo, *p.value) : *p.value;
            hi = any ? std::max(hi, *p.value) : *p.value;
            any = true;
        }
    }
    std::string out;
    for (const Point& p : s.points) {
        if (!p.value) {
            out += ' ';  // a period without data
            continue;
        }
        auto level = hi > lo ? static_cast<std::size_t>(std::lround((*p.value - lo) / (hi - lo) * 7.0)) : 3;
        out += unicode ? std::string(blocks[level]) : std::string(1, ramp[level]);
    }
    return out;
}

std::string flags_of(const Point& p) {
    std::vector<std::string> f;
    if (p.drop) {
        f.emplace_back("drop");
    }
    if (p.rise) {
        f.emplace_back("rise");
    }
    if (p.streak) {
        f.emplace_back("streak");
    }
    if (p.low_n) {
        f.emplace_back("low n");
    }
    std::string out;
    for (const std::string& x : f) {
        out += out.empty() ? x : ", " + x;
    }
    return out;
}

std::string signed_value(const std::optional<double>& v, MetricUnit unit) {
    if (!v) {
        return "n/a";
    }
    if (unit == MetricUnit::mean) {
        return fmt::format("{:+.2f}", *v);
    }
    return fmt::format("{:+.1f}", *v);
}

int run_trend(const TrendOptions& opt) {
    const MetricDef* metric = find_metric(opt.metric);
    if (!metric || metric->unit == MetricUnit::count) {
        throw Error(ErrorKind::usage,
                    fmt::format("--metric '{}': expected a rate, share, mean or NPS metric", opt.metric),
                    "for example --metric csat_pct, nps, csat_avg, response_rate_pct or ces_avg");
    }
    if (opt.last < 2) {
        throw Error(ErrorKind::usage, fmt::format("--last {}: a trend needs at least 2 periods", opt.last),
                    "for example --last 8");
    }
    JobCli cli = opt.job;
    if (cli.period.empty()) {
        cli.period = "week";
    }
    JobOptions job_options = to_job_options(cli, !opt.output.rejects.empty());
    TimeZone tz = TimeZone::locate(job_options.tz);
    std::int64_t as_of = cli.as_of.empty() ? today_local_day(tz) : parse_day(cli.as_of);
    Period period = job_options.period;
    WeekStart ws = job_options.week_start;
    PeriodWindow window = complete_periods(as_of, period, ws, opt.last);
    const std::vector<std::int64_t>& keys = window.keys;
    std::int64_t since = window.first_day;
    std::int64_t until = window.last_day;
    job_options.since_day = job_options.since_day ? std::max(*job_options.since_day, since) : since;
    job_options.until_day = job_options.until_day ? std::min(*job_options.until_day, until) : until;

    Format format = output_format(opt.output);
    RenderOptions render = render_options(opt.output, format);
    JobResult job = run_job(job_options);

    MetricContext ctx;
    ctx.z = z_for_confidence(opt.confidence);
    ctx.case_metrics = job.group_case_metrics;
    double alpha = 1.0 - opt.confidence;
    std::size_t by = job.key_names.size() - 1;  // the last key is the period
    std::map<std::vector<std::string>, Series> series;
    for (const GroupResult& g : job.groups) {
        if (!g.period_key) {
            continue;
        }
        std::vector<std::string> key(g.key.begin(), g.key.begin() + static_cast<std::ptrdiff_t>(by));
        Series& s = series[key];
        if (s.points.empty()) {
            s.key = key;
            for (std::int64_t k : keys) {
                Point p;
                p.period = k;
                s.points.push_back(p);
            }
        }
        auto it = std::find(keys.begin(), keys.end(), *g.period_key);
        if (it != keys.end()) {
            s.points[static_cast<std::size_t>(it - keys.begin())].stats = g.stats;
        }
    }
    bool any_drop = false;
    bool any_rise = false;
    for (auto& [key, s] : series) {
        std::size_t falls = 0;
        for (std::size_t i = 0; i < s.points.size(); ++i) {
            Point& p = s.points[i];
            p.value = metric->value(p.stats, ctx);
            p.n = metric->n ? metric->n(p.stats) : 0;
            p.low_n = p.n < opt.min_n;
            if (i == 0) {
                continue;
            }
            const Point& prev = s.points[i - 1];
            if (p.value && prev.value) {
                p.delta_prev = *p.value - *prev.value;
                falls = *p.delta_prev < 0 ? falls + 1 : 0;
            } else {
                falls = 0;
            }
            p.streak = falls >= opt.streak;
            double sum = 0;
            std::size_t count = 0;
            for (std::size_t j = 0; j < i; ++j) {
                if (s.points[j].value) {
                    sum += *s.points[j].value;
                    ++count;
                }
            }
            if (p.value && count > 0) {
                p.delta_trailing = *p.value - sum / static_cast<double>(count);
            }
            // A change resting on a low-n period is never called significant.
            if (p.value && prev.value && !p.low_n && !prev.low_n) {
                p.test = change_test(*metric, prev.stats, p.stats);
                if (p.test && p.test->p_value < alpha) {
                    p.drop = p.test->z < 0;
                    p.rise = p.test->z > 0;
                }
            }
            any_drop = any_drop || p.drop;
            any_rise = any_rise || p.rise;
        }
    }

    std::string text;
    std::vector<std::string> key_names(job.key_names.begin(),
                                       job.key_names.begin() + static_cast<std::ptrdiff_t>(by));
    if (format == Format::json) {
        render::JsonWriter w;
        w.begin_object();
        w.key("csat_version").value(render.version);
        w.key("command").value("trend");
        w.key("metric").value(metric->name);
        w.key("period").value(cli.period);
        w.key("as_of").value(format_day(as_of));
        w.key("confidence").value(opt.confidence);
        w.key("min_n").value(opt.min_n);
        w.key("streak").value(static_cast<std::uint64_t>(opt.streak));
        w.key("series").begin_array();
        for (const auto& [key, s] : series) {
            w.begin_object();
            w.key("key").begin_object();
            for (std::size_t k = 0; k < key_names.size(); ++k) {
                w.key(key_names[k]).value(key[k]);
            }
            w.end_object();
            w.key("points").begin_array();
            for (const Point& p : s.points) {
                w.begin_object();
                w.key("period").value(period_label(p.period, period, ws));
                w.key("value").value(p.value);
                w.key("n").value(p.n);
                w.key("low_n").value(p.low_n);
                w.key("delta_prev").value(p.delta_prev);
                w.key("delta_trailing").value(p.delta_trailing);
                w.key("z").value(p.test ? std::optional<double>(p.test->z) : std::nullopt);
                w.key("p_value").value(p.test ? std::optional<double>(p.test->p_value) : std::nullopt);
                w.key("drop").value(p.drop);
                w.key("rise").value(p.rise);
                w.key("streak").value(p.streak);
                w.end_object();
            }
            w.end_array();
            w.end_object();
        }
        w.end_array();
        w.key("accounting");
        render::write_accounting(w, job.accounting);
        w.end_object();
        text = w.str();
    } else {
        Grid g;
        std::string basis = job.date_basis == DateBasis::closed    ? "closed"
                            : job.date_basis == DateBasis::created ? "created"
                                                                   : "response";
        g.caption = fmt::format("{} per {} ({} date, {}), {} periods to {}", metric->name, cli.period, basis,
                                job_options.tz, keys.size(), format_day(until));
        for (const std::string& k : key_names) {
            g.headers.push_back(k);
            g.numeric.push_back(false);
        }
        for (const char* h : {"period", "value", "n", "vs prev", "vs trailing", "p", "flags"}) {
            g.headers.emplace_back(h);
        }
        for (bool num : {false, true, true, true, true, true, false}) {
            g.numeric.push_back(num);
        }
        bool csv = format == Format::csv;
        for (const auto& [key, s] : series) {
            for (const Point& p : s.points) {
                std::vector<std::string> row = key;
                row.push_back(period_label(p.period, period, ws));
                if (csv) {
                    auto exact = [](const std::optional<double>& v) {
                        return v ? render::exact_value(*v) : "";
                    };
                    row.push_back(exact(p.value));
                    row.push_back(std::to_string(p.n));
                    row.push_back(exact(p.delta_prev));
                    row.push_back(exact(p.delta_trailing));
                    row.push_back(p.test ? render::exact_value(p.test->p_value) : "");
                } else {
                    row.push_back(render::display_value(p.value, metric->unit));
                    row.push_back(group_thousands(static_cast<long long>(p.n)));
                    row.push_back(signed_value(p.delta_prev, metric->unit));
                    row.push_back(signed_value(p.delta_trailing, metric->unit));
                    row.push_back(p.test ? fmt::format("{:.3f}", p.test->p_value) : "");
                }
                row.push_back(flags_of(p));
                g.rows.push_back(row);
            }
        }
        if (format == Format::table) {
            bool unicode = unicode_output(opt);
            std::size_t name_width = 5;
            for (const auto& [key, s] : series) {
                std::string name;
                for (const std::string& k : key) {
                    name += name.empty() ? k : " / " + k;
                }
                name_width = std::max(name_width, display_width(name));
            }
            for (const auto& [key, s] : series) {
                std::string name;
                for (const std::string& k : key) {
                    name += name.empty() ? k : " / " + k;
                }
                if (name.empty()) {
                    name = "total";
                }
                g.notes.push_back(name + std::string(name_width - display_width(name) + 2, ' ') +
                                  sparkline(s, unicode));
            }
        }
        if (format != Format::csv) {
            g.notes.push_back(
                fmt::format("drop/rise: change from the previous period significant at p < {:g}; streak: "
                            "fell {} period{} in a row; "
                            "changes resting on a low-n period (n < {}) are never called significant",
                            alpha, opt.streak, opt.streak == 1 ? "" : "s", opt.min_n));
        }
        text = render_grid(format, g, render);
    }
    emit(opt.output, text, job);
    if ((opt.fail_on_drop && any_drop) || (opt.fail_on_rise && any_rise)) {
        return exit_code(ErrorKind::check_failed);
    }
    return 0;
}

}  // namespace

void setup_trend(CLI::App& app, CommandRun& run) {
    auto opt = std::make_shared<TrendOptions>();
    CLI::App* sub =
        app.add_subcommand("trend", "a metric per period with deltas, significant drops and streaks");
    add_job_options(*sub, opt->job);
    sub->add_option("--metric", opt->metric, "the metric to follow (default csat_pct)")->group("Trend");
    sub->add_option("--last", opt->last, "how many complete periods, ending at --as-of (default 8)")
        ->group("Trend");
    sub->add_option("--streak", opt->streak, "flag a metric that fell this many periods in a row (default 2)")
        ->group("Trend");
    sub->add_option("--min-n", opt->min_n, "periods with fewer answers are low n (default 30)")
        ->group("Trend");
    sub->add_option("--confidence", opt->confidence, "significance level for drops (default 0.95)")
        ->group("Trend");
    sub->add_flag("--fail-on-drop", opt->fail_on_drop, "exit 1 when any significant drop is flagged")
        ->group("Trend");
    sub->add_flag("--fail-on-rise", opt->fail_on_rise,
                  "exit 1 when any significant rise is flagged (for ces_avg on an effort scale)")
        ->group("Trend");
    sub->add_flag("--ascii", opt->ascii,
                  "ASCII sparklines (default: Unicode blocks when the locale is UTF-8)")
        ->group("Trend");
    add_output_options(*sub, opt->output);
    sub->footer(k_trend_help);
    sub->callback([opt, &run] { run = [opt] { return run_trend(*opt); }; });
}

}  // namespace csat
