#include "csat/output.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>

#include "csat/error.hpp"

namespace csat {

namespace {

// The temp file being written, so the signal handler can remove it. One output at a time is enough.
char g_pending_temp[4096] = {0};
std::atomic<bool> g_pending{false};

extern "C" void on_terminate_signal(int sig) {
    if (g_pending.load()) {
        ::unlink(g_pending_temp);
    }
    ::_exit(sig == SIGINT ? 130 : 128 + sig);
}

void write_all(int fd, std::string_view text, const std::string& what) {
    const char* p = text.data();
    std::size_t left = text.size();
    while (left > 0) {
        ssize_t n = ::write(fd, p, left);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            if (errno == EPIPE && fd == STDOUT_FILENO) {
                throw BrokenPipe{};
            }
            throw Error(ErrorKind::io, fmt::format("cannot write {}: {}", what, std::strerror(errno)),
                        "check free space and permissions");
        }
        p += n;
        left -= static_cast<std::size_t>(n);
    }
}

}  // namespace

void install_signal_handlers() {
    std::signal(SIGPIPE, SIG_IGN);
    std::signal(SIGINT, on_terminate_signal);
    std::signal(SIGTERM, on_terminate_signal);
}

void write_stdout(std::string_view text) {
    write_all(STDOUT_FILENO, text, "standard output");
}

void flush_stdout() {}

namespace {

// Devices, FIFOs and the like (/dev/full, /dev/stdout, a named pipe) are written in place: renaming a
// temporary file over them would replace the device node itself.
void write_in_place(const std::string& path, std::string_view text) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) {
        throw Error(ErrorKind::io, fmt::format("cannot open {}: {}", path, std::strerror(errno)));
    }
    try {
        write_all(fd, text, path);
    } catch (...) {
        ::close(fd);
        throw;
    }
    ::close(fd);
}

}  // namespace

void write_output(const std::string& path, std::string_view text) {
    if (path == "-" || path.empty()) {
        write_stdout(text);
        return;
    }
    std::filesystem::path target(path);
    std::error_code ec;
    auto status = std::filesystem::status(target, ec);
    if (!ec && std::filesystem::exists(status) && !std::filesystem::is_regular_file(status)) {
        if (std::filesystem::is_directory(status)) {
            throw Error(ErrorKind::io, fmt::format("cannot write {}: it is a directory", path),
                        "name a file, for example --output report.csv");
        }
        write_in_place(path, text);
        return;
    }
    std::filesystem::path dir = target.parent_path();
    std::string temp = (dir.empty() ? std::filesystem::path(".") : dir).string() + "/." +
                       target.filename().string() + ".csat-XXXXXX";
    if (temp.size() >= sizeof(g_pending_temp)) {
        throw Error(ErrorKind::io, fmt::format("cannot write {}: path too long", path));
    }
    std::strcpy(g_pending_temp, temp.c_str());
    int fd = ::mkstemp(g_pending_temp);
    if (fd < 0) {
        throw Error(ErrorKind::io,
                    fmt::format("cannot create a file beside {}: {}", path, std::strerror(errno)),
                    "check that the directory exists and is writable");
    }
    g_pending.store(true);
    auto fail = [&](const std::string& msg) {
        ::close(fd);
        ::unlink(g_pending_temp);
        g_pending.store(false);
        throw Error(ErrorKind::io, msg, "check free space and permissions");
    };
    try {
        write_all(fd, text, path);
    } catch (const Error& e) {
        fail(e.message());
    }
    if (::fchmod(fd, 0644) != 0 || ::fsync(fd) != 0) {
        fail(fmt::format("cannot write {}: {}", path, std::strerror(errno)));
    }
    if (::close(fd) != 0) {
        ::unlink(g_pending_temp);
        g_pending.store(false);
        throw Error(ErrorKind::io, fmt::format("cannot write {}: {}", path, std::strerror(errno)));
    }
    if (::rename(g_pending_temp, path.c_str()) != 0) {
        int err = errno;
        ::unlink(g_pending_temp);
        g_pending.store(false);
        throw Error(ErrorKind::io, fmt::format("cannot rename onto {}: {}", path, std::strerror(err)));
    }
    g_pending.store(false);
}

bool stdout_is_tty() {
    return ::isatty(STDOUT_FILENO) == 1;
}
bool stderr_is_tty() {
    return ::isatty(STDERR_FILENO) == 1;
}

}  // namespace csat
