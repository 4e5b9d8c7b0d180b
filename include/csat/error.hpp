// The one error type of csat. Every failure that reaches the user is a csat::Error: it carries a kind
// (which becomes the exit code), an optional file:line:column, the message, and an optional hint line.
// Low layers fill in line and column; the caller that knows the path adds it (see with_file).
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

namespace csat {

enum class ErrorKind {
    check_failed,  // exit 1: a gate or threshold failed
    usage,         // exit 2: bad flag, bad value, missing column mapping
    data,          // exit 3: malformed CSV, invalid score or date in strict mode
    io,            // exit 4: cannot open, read or write
    internal,      // exit 70: a bug
    interrupted,   // exit 130
};

int exit_code(ErrorKind kind);

struct SourcePos {
    std::string file;
    std::uint64_t line = 0;    // 1-based physical line; 0 = unknown
    std::uint64_t column = 0;  // 1-based byte column; 0 = unknown
};

class Error : public std::runtime_error {
  public:
    Error(ErrorKind kind, std::string message, std::string hint = {});
    Error(ErrorKind kind, SourcePos pos, std::string message, std::string hint = {});

    ErrorKind kind() const { return m_kind; }
    const SourcePos& pos() const { return m_pos; }
    const std::string& message() const { return m_message; }
    const std::string& hint() const { return m_hint; }

    // Adds the path when the lower layer did not know it.
    Error& with_file(const std::string& file);
    Error& with_hint(std::string hint);
    // Moves a known line down by `lines`: a reader of part of a file counts lines from the part's start.
    Error& shift_line(std::uint64_t lines);

    // "file:line:column: message" (only the parts that are known), without the "csat: error: " prefix.
    std::string located_message() const;
    // The full text for stderr: "csat: error: <located>\n  hint: <hint>\n".
    std::string render() const;

  private:
    void refresh();

    ErrorKind m_kind;
    SourcePos m_pos;
    std::string m_message;
    std::string m_hint;
};

// Shorthands with fmt-checked format strings.
template <typename... Args>
Error usage_error(fmt::format_string<Args...> format, Args&&... args) {
    return Error(ErrorKind::usage, fmt::format(format, std::forward<Args>(args)...));
}
template <typename... Args>
Error data_error(SourcePos pos, fmt::format_string<Args...> format, Args&&... args) {
    return Error(ErrorKind::data, std::move(pos), fmt::format(format, std::forward<Args>(args)...));
}
template <typename... Args>
Error io_error(fmt::format_string<Args...> format, Args&&... args) {
    return Error(ErrorKind::io, fmt::format(format, std::forward<Args>(args)...));
}

}  // namespace csat
