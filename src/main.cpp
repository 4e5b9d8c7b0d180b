// csat: customer-satisfaction analytics over exported support data. main builds the CLI, runs the chosen
// command, and holds the only catch that turns errors into exit codes (see docs/cli.md).
#include <csignal>
#include <cstdio>
#include <exception>
#include <new>

#include <CLI/CLI.hpp>

#include "commands/command.hpp"
#include "csat/error.hpp"
#include "csat/output.hpp"

// Read by jemalloc, which the release builds link (CMakeLists.txt): its memory is asked for on huge pages. On
// the benchmark machine a first write to a 4 KiB page costs about 13 us, and a report of 160k groups at 5M
// cases made 78,000 such faults in the heap (2.0 -> 1.3 s; docs/architecture.md, Pages).
extern "C" {
// NOLINTNEXTLINE: the name and type are jemalloc's.
const char* malloc_conf = "thp:always,metadata_thp:auto";
}

int main(int argc, char** argv) {
    csat::install_signal_handlers();
    CLI::App app{
        "csat: customer-satisfaction analytics (CSAT, response rate, NPS, CES) over support exports"};
    app.set_version_flag("--version", std::string("csat ") + CSAT_VERSION);
    app.require_subcommand(1);
    app.footer(
        "Run 'csat COMMAND --help' for a command's options and examples. Exit codes: 0 ok, 1 check failed,\n"
        "2 usage, 3 data, 4 I/O, 70 internal error, 130 interrupted.");
    csat::CommandRun run;
    csat::setup_all_commands(app, run);
    try {
        try {
            app.parse(argc, argv);
        } catch (const CLI::ParseError& e) {
            int code = app.exit(e);
            // CLI11 uses 0 for --help/--version and 100-127 for parse errors; ours is 2 for all usage errors.
            return code == 0 ? 0 : csat::exit_code(csat::ErrorKind::usage);
        }
        int code = run ? run() : 0;
        csat::flush_stdout();
        return code;
    } catch (const csat::BrokenPipe&) {
        return 0;
    } catch (const csat::Error& e) {
        std::fputs(e.render().c_str(), stderr);
        return csat::exit_code(e.kind());
    } catch (const std::bad_alloc&) {
        std::fputs("csat: error: out of memory\n", stderr);
        return csat::exit_code(csat::ErrorKind::internal);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "csat: internal error: %s\n  hint: this is a bug; please report it\n", e.what());
        return csat::exit_code(csat::ErrorKind::internal);
    }
}
