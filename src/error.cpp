#include "csat/error.hpp"

#include "csat/text.hpp"

namespace csat {

int exit_code(ErrorKind kind) {
    switch (kind) {
        case ErrorKind::check_failed:
            return 1;
        case ErrorKind::usage:
            return 2;
        case ErrorKind::data:
            return 3;
        case ErrorKind::io:
            return 4;
        case ErrorKind::internal:
            return 70;
        case ErrorKind::interrupted:
            return 130;
    }
    return 70;
}

Error::Error(ErrorKind kind, std::string message, std::string hint)
    : Error(kind, SourcePos{}, std::move(message), std::move(hint)) {}

Error::Error(ErrorKind kind, SourcePos pos, std::string message, std::string hint)
    : std::runtime_error(message),
      m_kind(kind),
      m_pos(std::move(pos)),
      m_message(std::move(message)),
      m_hint(std::move(hint)) {
    refresh();
}

Error& Error::with_file(const std::string& file) {
    if (m_pos.file.empty()) {
        m_pos.file = file;
        refresh();
    }
    return *this;
}

Error& Error::with_hint(std::string hint) {
    m_hint = std::move(hint);
    return *this;
}

Error& Error::shift_line(std::uint64_t lines) {
    if (m_pos.line > 0 && lines > 0) {
        m_pos.line += lines;
        refresh();
    }
    return *this;
}

void Error::refresh() {
    static_cast<std::runtime_error&>(*this) = std::runtime_error(located_message());
}

std::string Error::located_message() const {
    std::string out;
    if (!m_pos.file.empty()) {
        out += m_pos.file;
        if (m_pos.line > 0) {
            out += fmt::format(":{}", m_pos.line);
            if (m_pos.column > 0) {
                out += fmt::format(":{}", m_pos.column);
            }
        }
        out += ": ";
    }
    out += m_message;
    return out;
}

std::string Error::render() const {
    // Messages quote data from the input: escape control bytes so a hostile cell cannot drive the terminal.
    std::string out = "csat: error: " + escape_control(located_message()) + "\n";
    if (!m_hint.empty()) {
        out += "  hint: " + escape_control(m_hint) + "\n";
    }
    return out;
}

}  // namespace csat
