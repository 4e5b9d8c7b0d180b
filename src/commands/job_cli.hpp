// The options that every data command shares (inputs, mapping, grouping, periods, filters, scales, the
// join policies and output), as CLI11 bindings. report, check, trend, alerts, validate and summary all call
// add_job_options() and to_job_options(), so a flag means the same everywhere.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "csat/job.hpp"
#include "csat/render.hpp"
#include "csat/report_view.hpp"

namespace csat {

struct JobCli {
    std::vector<std::string> cases;
    std::vector<std::string> responses;
    std::string preset = "auto";
    std::vector<std::string> cols;
    std::string delimiter;
    std::string encoding = "utf8";
    std::vector<std::string> by;
    std::string period;
    std::string week_start = "monday";
    std::string date = "closed";
    std::string tz = "UTC";
    std::string date_order = "auto";
    std::string since;
    std::string until;
    std::string as_of;
    std::vector<std::string> where;
    std::string csat_scale = "1-5";
    std::optional<int> csat_positive;
    std::string labels;
    std::string na_values;
    std::string ces_scale = "1-7";
    std::string ces_better;
    std::string duplicates = "latest";
    bool keep_orphans = false;
    std::string rate_base = "auto";
    std::string closed_status;
    bool strict = false;
    std::string on_error = "fail";
    std::string progress = "auto";
    unsigned threads = 0;  // 0: all cores
};

struct OutputCli {
    std::string format;  // empty: table on a terminal, csv otherwise
    std::string output = "-";
    std::string color = "auto";
    bool quiet = false;
    bool no_sanitize = false;
    std::string rejects;
};

struct ViewCli {
    std::string metrics;
    std::string sort;
    std::optional<std::size_t> top;
    std::uint64_t min_n = 30;
    double min_rate = 10.0;
    bool hide_low_n = false;
    double confidence = 0.95;
};

void add_job_options(CLI::App& app, JobCli& cli, bool with_grouping = true);
void add_output_options(CLI::App& app, OutputCli& cli, bool with_rejects = true);
void add_view_options(CLI::App& app, ViewCli& cli);

JobOptions to_job_options(const JobCli& cli, bool want_rejects);
ViewOptions to_view_options(const ViewCli& cli);
// The settings in effect, for captions and JSON "options".
std::vector<std::pair<std::string, std::string>> describe_settings(const JobCli& cli,
                                                                   const JobOptions& options);
std::string report_caption(const JobOptions& options, const JobResult& job, const ViewOptions& view);

Format output_format(const OutputCli& cli);
RenderOptions render_options(const OutputCli& cli, Format format);
// Writes the result and, unless --quiet, the accounting summary; writes --rejects if asked.
void emit(const OutputCli& cli, const std::string& text, const JobResult& job);

}  // namespace csat
