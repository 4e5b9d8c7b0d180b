// csat report: the core job. Loads a cases export and a survey-responses export, joins them by case ID, and
// prints CSAT, response rate, NPS and CES per group and for the total, with intervals and small-sample flags.
#include "commands/command.hpp"
#include "commands/job_cli.hpp"
#include "csat/job.hpp"
#include "csat/render.hpp"

namespace csat {

namespace {

struct ReportOptions {
    JobCli job;
    OutputCli output;
    ViewCli view;
};

constexpr const char* k_report_help = R"HELP(Examples:
  csat report --cases cases.csv --responses responses.csv --by agent
  csat report --cases tickets.csv --by queue --period week --tz Europe/Berlin --format markdown
  csat report --cases 'exports/cases-*.csv.gz' --responses survey.csv --since last-month --until last-month
  csat report --responses survey.csv --period month --date response     (responses only: no response rate)
  csat report --cases sf.csv --responses r.csv --by "Account Name" --min-n 50 --hide-low-n --sort csat_pct)HELP";

int run_report(const ReportOptions& opt) {
    JobOptions job_options = to_job_options(opt.job, !opt.output.rejects.empty());
    ViewOptions view_options = to_view_options(opt.view);
    Format format = output_format(opt.output);
    RenderOptions render = render_options(opt.output, format);
    JobResult job = run_job(job_options);
    ReportView view = build_view(job, view_options, describe_settings(opt.job, job_options));
    view.caption = report_caption(job_options, job, view_options);
    emit(opt.output, render_report(format, view, render), job);
    return 0;
}

}  // namespace

void setup_report(CLI::App& app, CommandRun& run) {
    auto opt = std::make_shared<ReportOptions>();
    CLI::App* sub = app.add_subcommand(
        "report", "CSAT %, CSAT mean, response rate, NPS and CES per group, with intervals and low-n flags");
    add_job_options(*sub, opt->job);
    add_view_options(*sub, opt->view);
    add_output_options(*sub, opt->output);
    sub->footer(k_report_help);
    sub->callback([opt, &run] { run = [opt] { return run_report(*opt); }; });
}

}  // namespace csat
