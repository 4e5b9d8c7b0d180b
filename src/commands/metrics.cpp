// csat metrics: lists every metric with its family, unit and formula, from the registry that also validates
// --metrics, --sort and check thresholds.
#include <fmt/format.h>

#include "commands/command.hpp"
#include "csat/metrics.hpp"
#include "csat/output.hpp"

namespace csat {

namespace {

std::string_view unit_name(MetricUnit unit) {
    switch (unit) {
        case MetricUnit::count:
            return "count";
        case MetricUnit::percent:
            return "percent";
        case MetricUnit::mean:
            return "mean";
        case MetricUnit::nps:
            return "nps";
        case MetricUnit::margin:
            return "margin";
    }
    return "count";
}

int run_metrics() {
    std::string out = fmt::format("{:<18} {:<7} {:<8} {}\n", "metric", "family", "unit", "definition");
    for (const MetricDef& m : metric_registry()) {
        out += fmt::format("{:<18} {:<7} {:<8} {}\n", m.name, family_name(m.family), unit_name(m.unit),
                           m.description);
    }
    write_stdout(out);
    return 0;
}

}  // namespace

void setup_metrics(CLI::App& app, CommandRun& run) {
    static bool list = true;
    CLI::App* sub = app.add_subcommand("metrics", "list every metric, its family and its formula");
    sub->add_flag("--list", list, "list the metrics (the default)");
    sub->footer("Families (for --metrics): rate, csat, nps, ces. See docs/metrics.md for defaults.");
    sub->callback([&run] { run = [] { return run_metrics(); }; });
}

}  // namespace csat
