#include "commands/command.hpp"

namespace csat {

void setup_metrics(CLI::App& app, CommandRun& run) {
    auto* sub = app.add_subcommand("metrics", "TODO");
    sub->callback([&run] { run = [] { return 0; }; });
}

}  // namespace csat
