// csat summary: the weekly page for cron. The headline metrics of the last complete period against the one
// before (with n and intervals), the top and bottom groups by CSAT among those large enough to judge, the
// significant drops, the number of low-score alerts, and the data-quality accounting, as Markdown or HTML.
#include <algorithm>
#include <cmath>
#include <map>

#include "commands/command.hpp"
#include "commands/job_cli.hpp"
#include "csat/error.hpp"
#include "csat/job.hpp"
#include "csat/periods.hpp"
#include "csat/render.hpp"
#include "csat/text.hpp"
#include "render/cells.hpp"

namespace csat {

namespace {

struct SummaryOptions {
    JobCli job;
    OutputCli output;
    std::string by = "agent";
    std::uint64_t min_n = 30;
    double confidence = 0.95;
    std::size_t top = 3;
};

constexpr const char* k_summary_help = R"HELP(Examples:
  csat summary --cases c.csv --responses r.csv --period week --as-of 2026-03-29
  csat summary --cases c.csv --responses r.csv --by queue --format html -o weekly.html
Cron, every Monday at 07:00, for the week that ended on Sunday:
  0 7 * * 1  csat summary --cases /data/cases.csv --responses /data/responses.csv --as-of "$(date -d yesterday +\%F)" -o /srv/reports/csat-week.md)HELP";

// A document of headings, paragraphs, bullet lists and tables, written as Markdown or HTML.
class Page {
  public:
    explicit Page(bool html) : m_html(html) {}
    void heading(const std::string& text, int level) {
        if (m_html) {
            m_out += fmt::format("<h{0}>{1}</h{0}>\n", level, render::html_escape(escape_control(text)));
        } else {
            m_out += std::string(static_cast<std::size_t>(level), '#') + " " + render::markdown_cell(text) +
                     "\n\n";
        }
    }
    void paragraph(const std::string& text) {
        m_out += m_html ? "<p>" + render::html_escape(escape_control(text)) + "</p>\n"
                        : render::markdown_cell(text) + "\n\n";
    }
    void bullets(const std::vector<std::string>& items) {
        if (items.empty()) {
            return;
        }
        if (m_html) {
            m_out += "<ul>\n";
            for (const std::string& i : items) {
                m_out += "<li>" + render::html_escape(escape_control(i)) + "</li>\n";
            }
            m_out += "</ul>\n";
        } else {
            for (const std::string& i : items) {
                m_out += "- " + render::markdown_cell(i) + "\n";
            }
            m_out += "\n";
        }
    }
    void table(const Grid& g) {
        if (m_html) {
            m_out += "<table>\n<tr>";
            for (const std::string& h : g.headers) {
                m_out += "<th>" + render::html_escape(escape_control(h)) + "</th>";
            }
            m_out += "</tr>\n";
            for (const auto& r : g.rows) {
                m_out += "<tr>";
                for (std::size_t c = 0; c < r.size(); ++c) {
                    bool num = c < g.numeric.size() && g.numeric[c];
                    m_out += std::string(num ? "<td class=\"num\">" : "<td>") +
                             render::html_escape(escape_control(r[c])) + "</td>";
                }
                m_out += "</tr>\n";
            }
            m_out += "</table>\n";
        } else {
            m_out += render_grid(Format::markdown, g, RenderOptions{}) + "\n";
        }
    }
    std::string str(const std::string& title) const {
        if (!m_html) {
            return m_out;
        }
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" +
               render::html_escape(escape_control(title)) +
               "</title>\n<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}"
               "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .6em}"
               ".num{text-align:right}</style>\n</head>\n<body>\n" +
               m_out + "</body>\n</html>\n";
    }

  private:
    bool m_html;
    std::string m_out;
};

std::string with_interval(const MetricDef& m, const GroupStats& s, const MetricContext& ctx) {
    std::string v = render::display_value(m.value(s, ctx), m.unit);
    if (m.interval) {
        if (auto r = m.interval(s, ctx)) {
            v += " (" + render::format_interval(r->low, r->high) + ")";
        }
    }
    return v;
}

int run_summary(const SummaryOptions& opt) {
    JobCli cli = opt.job;
    if (cli.period.empty()) {
        cli.period = "week";
    }
    cli.by = {opt.by};
    JobOptions job_options = to_job_options(cli, !opt.output.rejects.empty());
    std::string format = opt.output.format.empty() ? "markdown" : opt.output.format;
    if (format != "markdown" && format != "md" && format != "html") {
        throw Error(ErrorKind::usage, fmt::format("summary --format '{}': expected markdown or html", format),
                    "for a table or CSV of the figures use csat report");
    }
    TimeZone tz = TimeZone::locate(job_options.tz);
    std::int64_t as_of = cli.as_of.empty() ? today_local_day(tz) : parse_day(cli.as_of);
    PeriodWindow window = complete_periods(as_of, job_options.period, job_options.week_start, 2);
    job_options.since_day = window.first_day;
    job_options.until_day = window.last_day;
    job_options.details = DetailRule{job_options.csat_scale.positive_from - 1, false};
    JobResult job = run_job(job_options);

    MetricContext ctx;
    ctx.z = z_for_confidence(opt.confidence);
    ctx.case_metrics = job.group_case_metrics;
    std::int64_t prev_key = window.keys[0];
    std::int64_t last_key = window.keys[1];
    GroupStats prev;
    GroupStats last;
    std::map<std::string, std::pair<GroupStats, GroupStats>> groups;  // (previous, last)
    for (const GroupResult& g : job.groups) {
        if (!g.period_key) {
            continue;
        }
        bool is_last = *g.period_key == last_key;
        (is_last ? last : prev).merge(g.stats);
        auto& pair = groups[g.key[0]];
        (is_last ? pair.second : pair.first).merge(g.stats);
    }
    std::string last_label = period_label(last_key, job_options.period, job_options.week_start);
    std::string prev_label = period_label(prev_key, job_options.period, job_options.week_start);
    std::string title = fmt::format("CSAT summary: {} {}", cli.period, last_label);
    Page page(format == "html");
    page.heading(title, 1);
    page.paragraph(
        fmt::format("{} {} ({} to {}, {} date, {}) against {}. Intervals at {:.0f}%; groups with n < {} "
                    "are not ranked.",
                    cli.period, last_label, format_day(last_key), format_day(window.last_day), cli.date,
                    job_options.tz, prev_label, opt.confidence * 100.0, opt.min_n));

    // Headline metrics.
    Grid head;
    head.headers = {"metric", last_label, prev_label, "change", "n", "n before"};
    head.numeric = {false, true, true, true, true, true};
    std::vector<std::string> drops;
    for (const char* name : {"csat_pct", "csat_avg", "response_rate_pct", "nps", "ces_avg"}) {
        const MetricDef* m = find_metric(name);
        if ((m->family == MetricFamily::csat && !job.has_csat) ||
            (m->family == MetricFamily::nps && !job.has_nps) ||
            (m->family == MetricFamily::ces && !job.has_ces) || (m->case_side && !job.has_cases)) {
            continue;
        }
        MetricContext tctx = ctx;
        tctx.case_metrics = job.has_cases;
        auto a = m->value(prev, tctx);
        auto b = m->value(last, tctx);
        std::string change = a && b ? (m->unit == MetricUnit::mean ? fmt::format("{:+.2f}", *b - *a)
                                                                   : fmt::format("{:+.1f}", *b - *a))
                                    : "n/a";
        head.rows.push_back({std::string(m->name), with_interval(*m, last, tctx),
                             with_interval(*m, prev, tctx), change, std::to_string(m->n(last)),
                             std::to_string(m->n(prev))});
    }
    page.heading("Headline", 2);
    page.table(head);

    // Top and bottom groups by CSAT, among groups large enough to judge.
    const MetricDef* csat = find_metric("csat_pct");
    std::vector<std::pair<double, std::string>> ranked;
    for (const auto& [key, pair] : groups) {
        if (pair.second.csat_n >= opt.min_n) {
            ranked.emplace_back(*csat->value(pair.second, ctx), key);
        }
        auto t = change_test(*csat, pair.first, pair.second);
        if (t && t->z < 0 && t->p_value < 1.0 - opt.confidence && pair.first.csat_n >= opt.min_n &&
            pair.second.csat_n >= opt.min_n) {
            drops.push_back(fmt::format(
                "{} '{}': CSAT % {} -> {} (z = {:.2f}, p = {:.3f})", opt.by, key,
                render::display_value(csat->value(pair.first, ctx), MetricUnit::percent),
                render::display_value(csat->value(pair.second, ctx), MetricUnit::percent), t->z, t->p_value));
        }
    }
    std::stable_sort(ranked.begin(), ranked.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    page.heading(fmt::format("Top and bottom {} by CSAT %", opt.by), 2);
    if (ranked.empty()) {
        page.paragraph(
            fmt::format("No {} had {} or more CSAT answers in {}.", opt.by, opt.min_n, last_label));
    } else {
        Grid g;
        g.headers = {"rank", opt.by, "CSAT %", "interval", "n"};
        g.numeric = {true, false, true, true, true};
        std::size_t shown = std::min(opt.top, ranked.size());
        auto add = [&](std::size_t i) {
            const GroupStats& s = groups[ranked[i].second].second;
            auto r = csat->interval(s, ctx);
            g.rows.push_back({std::to_string(i + 1), ranked[i].second, fmt::format("{:.1f}", ranked[i].first),
                              r ? render::format_interval(r->low, r->high) : "", std::to_string(s.csat_n)});
        };
        for (std::size_t i = 0; i < shown; ++i) {
            add(i);
        }
        for (std::size_t i =
                 std::max(shown, ranked.size() > opt.top ? ranked.size() - opt.top : ranked.size());
             i < ranked.size(); ++i) {
            add(i);
        }
        page.table(g);
    }
    page.heading("Significant drops", 2);
    if (auto t = change_test(*csat, prev, last); t && t->z < 0 && t->p_value < 1.0 - opt.confidence &&
                                                 prev.csat_n >= opt.min_n && last.csat_n >= opt.min_n) {
        drops.insert(drops.begin(),
                     fmt::format("total: CSAT % {} -> {} (z = {:.2f}, p = {:.3f})",
                                 render::display_value(csat->value(prev, ctx), MetricUnit::percent),
                                 render::display_value(csat->value(last, ctx), MetricUnit::percent), t->z,
                                 t->p_value));
    }
    if (drops.empty()) {
        page.paragraph("None at this confidence level.");
    } else {
        page.bullets(drops);
    }
    std::size_t alerts = static_cast<std::size_t>(
        std::count_if(job.details.begin(), job.details.end(), [&](const ResponseDetail& d) {
            if (!d.submitted_at) {
                return false;
            }
            std::int64_t day = tz.local_day(*d.submitted_at);
            return day >= last_key && day <= window.last_day;
        }));
    page.heading("Low-score alerts", 2);
    page.paragraph(
        fmt::format("{} response{} at or below {} submitted in {} (csat alerts --since {} --until {}).",
                    alerts, alerts == 1 ? "" : "s", job_options.csat_scale.positive_from - 1, last_label,
                    format_day(last_key), format_day(window.last_day)));
    page.heading("Data quality", 2);
    std::string summary = accounting_summary(job);
    // The stderr paragraph without its "csat: " prefix and line end.
    std::string_view quality = trim(std::string_view(summary).substr(6));
    while (!quality.empty() && quality.back() == '\n') {
        quality.remove_suffix(1);
    }
    page.paragraph(std::string(quality));
    for (const std::string& n : job.notes) {
        page.paragraph("Note: " + n);
    }
    OutputCli out = opt.output;
    emit(out, page.str(title), job);
    return 0;
}

}  // namespace

void setup_summary(CLI::App& app, CommandRun& run) {
    auto opt = std::make_shared<SummaryOptions>();
    CLI::App* sub = app.add_subcommand("summary", "a ready-to-post weekly page (Markdown or HTML) for cron");
    add_job_options(*sub, opt->job, false);
    sub->add_option("--period", opt->job.period, "day, week (default), month, quarter, year")
        ->group("Summary");
    sub->add_option("--by", opt->by, "rank groups by this key (default agent)")->group("Summary");
    sub->add_option("--min-n", opt->min_n, "groups with fewer CSAT answers are not ranked (default 30)")
        ->group("Summary");
    sub->add_option("--top", opt->top, "how many top and bottom groups (default 3)")->group("Summary");
    sub->add_option("--confidence", opt->confidence, "interval and test level (default 0.95)")
        ->group("Summary");
    add_output_options(*sub, opt->output);
    sub->footer(k_summary_help);
    sub->callback([opt, &run] { run = [opt] { return run_summary(*opt); }; });
}

}  // namespace csat
