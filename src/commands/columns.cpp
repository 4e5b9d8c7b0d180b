#include "commands/command.hpp"

namespace csat {

void setup_columns(CLI::App& app, CommandRun& run) {
    auto* sub = app.add_subcommand("columns", "TODO");
    sub->callback([&run] { run = [] { return 0; }; });
}

}  // namespace csat
