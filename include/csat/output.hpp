// The output edge: writing the rendered result to stdout or to a file. A file is written to a temporary
// name in the target directory, fsynced and renamed, so a failed or killed run never leaves half a report.
// A closed pipe (csat ... | head) ends the run quietly with exit 0.
#pragma once

#include <string>
#include <string_view>

namespace csat {

// Thrown when stdout is a closed pipe; main turns it into a quiet exit 0.
struct BrokenPipe {};

// Ignores SIGPIPE (so writes report EPIPE) and makes SIGINT/SIGTERM remove pending temp files and exit 130.
void install_signal_handlers();

void write_stdout(std::string_view text);
void flush_stdout();
// Writes text to path atomically (temp file + fsync + rename); "-" means stdout. Throws Error(io).
void write_output(const std::string& path, std::string_view text);

// True when stdout / stderr is a terminal.
bool stdout_is_tty();
bool stderr_is_tty();

}  // namespace csat
