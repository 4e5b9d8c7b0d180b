// How a command plugs into main: each file in src/commands/ defines setup_<name>(), which adds a CLI11
// subcommand and, when that subcommand is chosen, stores the function that runs it. main runs it after
// parsing, inside its one catch.
#pragma once

#include <functional>

#include <CLI/CLI.hpp>

namespace csat {

using CommandRun = std::function<int()>;

void setup_report(CLI::App& app, CommandRun& run);
void setup_columns(CLI::App& app, CommandRun& run);
void setup_metrics(CLI::App& app, CommandRun& run);
void setup_check(CLI::App& app, CommandRun& run);
void setup_trend(CLI::App& app, CommandRun& run);
void setup_alerts(CLI::App& app, CommandRun& run);
void setup_validate(CLI::App& app, CommandRun& run);
void setup_summary(CLI::App& app, CommandRun& run);

inline void setup_all_commands(CLI::App& app, CommandRun& run) {
    setup_report(app, run);
    setup_columns(app, run);
    setup_check(app, run);
    setup_trend(app, run);
    setup_alerts(app, run);
    setup_validate(app, run);
    setup_summary(app, run);
    setup_metrics(app, run);
}

}  // namespace csat
