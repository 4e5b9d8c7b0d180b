#include "csat/progress.hpp"

#include <unistd.h>

#include <fmt/format.h>

#include "csat/text.hpp"

namespace csat {

Progress::Progress(bool enabled, const std::string& label, std::uint64_t total_bytes)
    : m_enabled(enabled),
      m_label(escape_control(label)),
      m_total(total_bytes),
      m_start(std::chrono::steady_clock::now()),
      m_last(m_start) {}

Progress::~Progress() {
    if (m_drawn) {
        // Leave the terminal line clean whether the run ended well or not.
        std::string clear = "\r\x1b[K";
        [[maybe_unused]] ssize_t n = ::write(STDERR_FILENO, clear.data(), clear.size());
    }
}

void Progress::finish(std::uint64_t bytes_done) {
    if (m_drawn) {
        draw(bytes_done, true);
    }
}

void Progress::draw(std::uint64_t bytes_done, bool last) {
    auto now = std::chrono::steady_clock::now();
    // Redraw at most 5 times a second, and not at all for runs shorter than half a second.
    if (!last &&
        (now - m_last < std::chrono::milliseconds(200) || now - m_start < std::chrono::milliseconds(500))) {
        return;
    }
    m_last = now;
    double secs = std::chrono::duration<double>(now - m_start).count();
    double rate = secs > 0 ? static_cast<double>(bytes_done) / 1e6 / secs : 0.0;
    std::string line;
    if (m_total > 0) {
        double share = std::min(1.0, static_cast<double>(bytes_done) / static_cast<double>(m_total));
        auto filled = static_cast<std::size_t>(share * 20.0);
        double eta =
            rate > 0 ? (static_cast<double>(m_total - std::min(bytes_done, m_total)) / 1e6) / rate : 0.0;
        line =
            fmt::format("\r{} [{}{}] {:3.0f}% {:.0f}/{:.0f} MB {:.0f} MB/s ETA {:.0f}s\x1b[K", m_label,
                        std::string(filled, '#'), std::string(20 - filled, '.'), share * 100.0,
                        static_cast<double>(bytes_done) / 1e6, static_cast<double>(m_total) / 1e6, rate, eta);
    } else {
        line = fmt::format("\r{} {:.0f} MB {:.0f} MB/s\x1b[K", m_label, static_cast<double>(bytes_done) / 1e6,
                           rate);
    }
    [[maybe_unused]] ssize_t n = ::write(STDERR_FILENO, line.data(), line.size());
    m_drawn = true;
}

}  // namespace csat
