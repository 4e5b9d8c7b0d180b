// csat alerts: who to call back. Lists the responses at or below a CSAT value (and NPS detractors on
// request), newest first, with the case's agent, queue and type, the dates, the scores and the comment.
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

#include "commands/command.hpp"
#include "commands/job_cli.hpp"
#include "csat/error.hpp"
#include "csat/job.hpp"
#include "csat/output.hpp"
#include "csat/render.hpp"
#include "csat/text.hpp"
#include "render/json_writer.hpp"

namespace csat {

namespace {

struct AlertsOptions {
    JobCli job;
    OutputCli output;
    std::optional<int> below;
    bool nps_detractors = false;
    std::string group_by;
    std::optional<std::size_t> width;
};

constexpr const char* k_alerts_help = R"HELP(Examples:
  csat alerts --cases c.csv --responses r.csv --since 7d --as-of 2026-03-31
  csat alerts --cases c.csv --responses r.csv --below 2 --nps-detractors --format csv -o callbacks.csv
  csat alerts --cases c.csv --responses r.csv --since last-week --group-by agent --format markdown
By default --since/--until apply to the response date (--date response).)HELP";

std::size_t terminal_width(const AlertsOptions& opt) {
    if (opt.width) {
        return *opt.width;
    }
    winsize ws{};
    if (stdout_is_tty() && ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) {
        return ws.ws_col;
    }
    if (const char* cols = std::getenv("COLUMNS")) {
        long v = std::strtol(cols, nullptr, 10);
        if (v > 20) {
            return static_cast<std::size_t>(v);
        }
    }
    return 120;
}

// Cuts text to at most `width` display columns, marking the cut.
std::string cut(const std::string& text, std::size_t width) {
    if (display_width(text) <= width) {
        return text;
    }
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
        std::size_t len = 1;
        auto b = static_cast<unsigned char>(text[i]);
        len = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
        std::string next = out + text.substr(i, len);
        if (display_width(next) + 3 > width) {
            break;
        }
        out = next;
        i += len;
    }
    return out + "...";
}

std::string when(const std::optional<std::int64_t>& t, const TimeZone& tz) {
    return t ? format_local_time(tz.local_seconds(*t)).substr(0, 16) : "";
}

std::string score(const std::optional<int>& v) {
    return v ? std::to_string(*v) : "";
}

int run_alerts(const AlertsOptions& opt) {
    JobOptions job_options = to_job_options(opt.job, !opt.output.rejects.empty());
    int below = opt.below.value_or(job_options.csat_scale.positive_from - 1);
    if (!job_options.csat_scale.binary &&
        (below < job_options.csat_scale.min || below > job_options.csat_scale.max)) {
        throw Error(
            ErrorKind::usage,
            fmt::format("--below {}: outside the CSAT scale {}", below, job_options.csat_scale.label()),
            "for example --below 3 on a 1-5 scale");
    }
    job_options.details = DetailRule{below, opt.nps_detractors};
    if (!opt.group_by.empty() && std::find(job_options.detail_roles.begin(), job_options.detail_roles.end(),
                                           opt.group_by) == job_options.detail_roles.end()) {
        job_options.detail_roles.push_back(opt.group_by);
    }
    Format format = output_format(opt.output);
    RenderOptions render = render_options(opt.output, format);
    JobResult job = run_job(job_options);
    TimeZone tz = TimeZone::locate(job_options.tz);

    std::vector<ResponseDetail> alerts = job.details;
    // Newest first; undated answers last; file order breaks ties so the output is stable.
    std::stable_sort(alerts.begin(), alerts.end(), [](const ResponseDetail& a, const ResponseDetail& b) {
        if (a.submitted_at.has_value() != b.submitted_at.has_value()) {
            return a.submitted_at.has_value();
        }
        return a.submitted_at.value_or(0) > b.submitted_at.value_or(0);
    });
    std::optional<std::size_t> group_col;
    if (!opt.group_by.empty()) {
        auto it = std::find(job.detail_names.begin(), job.detail_names.end(), opt.group_by);
        if (it == job.detail_names.end()) {
            throw Error(ErrorKind::usage,
                        fmt::format("--group-by '{}': no such case role in the cases file", opt.group_by),
                        "group by a mapped case role such as agent or queue");
        }
        group_col = static_cast<std::size_t>(it - job.detail_names.begin());
        std::stable_sort(alerts.begin(), alerts.end(), [&](const ResponseDetail& a, const ResponseDetail& b) {
            return a.case_values[*group_col] < b.case_values[*group_col];
        });
    }
    auto value_of = [&](const ResponseDetail& d, const std::string& role) -> std::string {
        auto it = std::find(job.detail_names.begin(), job.detail_names.end(), role);
        return it == job.detail_names.end()
                   ? ""
                   : d.case_values[static_cast<std::size_t>(it - job.detail_names.begin())];
    };

    std::string text;
    if (format == Format::json) {
        render::JsonWriter w;
        w.begin_object();
        w.key("csat_version").value(render.version);
        w.key("command").value("alerts");
        w.key("below").value(static_cast<double>(below));
        w.key("nps_detractors").value(opt.nps_detractors);
        w.key("tz").value(job_options.tz);
        w.key("alerts").begin_array();
        for (const ResponseDetail& d : alerts) {
            w.begin_object();
            w.key("case_id").value(d.case_id);
            for (std::size_t k = 0; k < job.detail_names.size(); ++k) {
                w.key(job.detail_names[k]).value(d.case_values[k]);
            }
            w.key("created_at").value(when(d.created_at, tz));
            w.key("closed_at").value(when(d.closed_at, tz));
            w.key("submitted_at").value(when(d.submitted_at, tz));
            w.key("csat").value(d.csat ? std::optional<double>(*d.csat) : std::nullopt);
            w.key("csat_answer").value(d.csat_text);
            w.key("nps").value(d.nps ? std::optional<double>(*d.nps) : std::nullopt);
            w.key("ces").value(d.ces ? std::optional<double>(*d.ces) : std::nullopt);
            w.key("comment").value(d.comment);
            w.key("source").value(fmt::format("{}:{}", d.file, d.line));
            w.end_object();
        }
        w.end_array();
        w.end_object();
        text = w.str();
    } else {
        Grid g;
        g.caption =
            fmt::format("{} alert{}: CSAT at or below {}{}", alerts.size(), alerts.size() == 1 ? "" : "s",
                        below, opt.nps_detractors ? ", or NPS 0-6" : "");
        g.headers = {"submitted", "case", "agent", "queue", "type",
                     "closed",    "csat", "nps",   "ces",   "comment"};
        g.numeric = {false, false, false, false, false, false, true, true, true, false};
        // Under --group-by the grouping column leads, and its usual place is dropped.
        auto usual = std::find(g.headers.begin(), g.headers.end(),
                               opt.group_by == "case_type" ? "type" : opt.group_by);
        std::optional<std::size_t> drop;
        if (group_col && usual != g.headers.end()) {
            drop = static_cast<std::size_t>(usual - g.headers.begin());
            g.headers.erase(usual);
            g.numeric.erase(g.numeric.begin() + static_cast<std::ptrdiff_t>(*drop));
        }
        if (group_col) {
            g.headers.insert(g.headers.begin(), opt.group_by);
            g.numeric.insert(g.numeric.begin(), false);
        }
        std::vector<std::vector<std::string>> rows;
        for (const ResponseDetail& d : alerts) {
            std::vector<std::string> row{when(d.submitted_at, tz),
                                         d.case_id,
                                         value_of(d, "agent"),
                                         value_of(d, "queue"),
                                         value_of(d, "case_type"),
                                         when(d.closed_at, tz),
                                         d.csat ? std::to_string(*d.csat) : d.csat_text,
                                         score(d.nps),
                                         score(d.ces),
                                         d.comment};
            if (drop) {
                row.erase(row.begin() + static_cast<std::ptrdiff_t>(*drop));
            }
            if (group_col) {
                row.insert(row.begin(), d.case_values[*group_col]);
            }
            rows.push_back(std::move(row));
        }
        if (format == Format::table && !rows.empty()) {
            // Comments take what the terminal has left, so each alert stays on one line.
            std::size_t used = 0;
            for (std::size_t c = 0; c + 1 < g.headers.size(); ++c) {
                std::size_t w = display_width(g.headers[c]);
                for (const auto& r : rows) {
                    w = std::max(w, display_width(escape_control(r[c])));
                }
                used += w + 2;
            }
            std::size_t room = terminal_width(opt) > used + 10 ? terminal_width(opt) - used : 10;
            for (auto& r : rows) {
                r.back() = cut(escape_control(r.back()), room);
            }
        }
        g.rows = std::move(rows);
        text = render_grid(format, g, render);
    }
    emit(opt.output, text, job);
    return 0;
}

}  // namespace

void setup_alerts(CLI::App& app, CommandRun& run) {
    auto opt = std::make_shared<AlertsOptions>();
    opt->job.date = "response";
    CLI::App* sub = app.add_subcommand("alerts", "low scores to call back, newest first, with the comment");
    add_job_options(*sub, opt->job, false);
    sub->add_option("--below", opt->below,
                    "list CSAT answers at or below this value (default: the highest non-positive, 3 on 1-5)")
        ->group("Alerts");
    sub->add_flag("--nps-detractors", opt->nps_detractors, "also list NPS detractors (0-6)")->group("Alerts");
    sub->add_option("--group-by", opt->group_by,
                    "list the alerts under each value of a case role, e.g. agent")
        ->group("Alerts");
    sub->add_option("--width", opt->width, "table width (default: the terminal's, else $COLUMNS, else 120)")
        ->group("Alerts");
    add_output_options(*sub, opt->output);
    sub->footer(k_alerts_help);
    sub->callback([opt, &run] { run = [opt] { return run_alerts(*opt); }; });
}

}  // namespace csat
