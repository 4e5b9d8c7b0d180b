#include "commands/command.hpp"

namespace csat {

void setup_report(CLI::App& app, CommandRun& run) {
    auto* sub = app.add_subcommand("report", "TODO");
    sub->callback([&run] { run = [] { return 0; }; });
}

}  // namespace csat
