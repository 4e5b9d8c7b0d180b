// A progress line on stderr for long runs: bytes read of the total, rate and time left. Drawn only when asked
// (--progress always) or when stderr is a terminal (--progress auto, the default); never in pipes or files,
// so it cannot disturb output that scripts read.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace csat {

class Progress {
  public:
    Progress(bool enabled, const std::string& label, std::uint64_t total_bytes);
    ~Progress();
    Progress(const Progress&) = delete;
    Progress& operator=(const Progress&) = delete;

    // Called per batch of rows (thousands at a time), so it may look at the clock every time.
    void update(std::uint64_t bytes_done) {
        if (m_enabled) {
            draw(bytes_done, false);
        }
    }
    void finish(std::uint64_t bytes_done);

  private:
    void draw(std::uint64_t bytes_done, bool last);

    bool m_enabled;
    std::string m_label;
    std::uint64_t m_total;
    bool m_drawn = false;
    std::chrono::steady_clock::time_point m_start;
    std::chrono::steady_clock::time_point m_last;
};

}  // namespace csat
