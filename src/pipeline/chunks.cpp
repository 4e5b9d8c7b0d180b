#include "pipeline/chunks.hpp"

#include <condition_variable>
#include <limits>
#include <mutex>
#include <thread>
#include <vector>

#include "csat/error.hpp"

namespace csat::pipeline {

namespace {

[[noreturn]] void rethrow_shifted(const std::exception_ptr& error, std::uint64_t lines_before) {
    try {
        std::rethrow_exception(error);
    } catch (Error& e) {
        e.shift_line(lines_before);
        throw;
    }
}

ChunkTotals counts_of(const CsvReader& reader) {
    return {reader.blank_lines(), reader.footer_lines(), reader.repeated_headers()};
}

ChunkTotals read_serially(CsvReader& reader, const ChunkPlan& plan, const MakeBatch& make_batch,
                          const DigestChunk& digest, const ApplyBatch& apply) {
    std::unique_ptr<ChunkBatch> batch = make_batch();
    bool more = true;
    while (more) {
        batch->reset();
        batch->lines_before = 0;
        std::exception_ptr error;
        try {
            more = digest(reader, *batch, plan.rows_per_batch);
        } catch (...) {
            error = std::current_exception();
        }
        batch->offset_end = reader.offset();
        batch->raw_done = reader.bytes_read();
        apply(*batch);
        if (error) {
            std::rethrow_exception(error);
        }
    }
    return counts_of(reader);
}

// One chunk as a worker read it: where it really began (after aligning) and ended, in which state.
struct ChunkResult {
    std::unique_ptr<ChunkBatch> batch;
    std::uint64_t begin = 0;
    std::uint64_t end = 0;
    CsvReader::PartState state;
    std::uint64_t lines = 0;
    ChunkTotals counts;
    std::exception_ptr error;
    bool ready = false;
};

class SplitRead {
  public:
    SplitRead(CsvReader& reader, const ChunkPlan& plan, const MakeBatch& make_batch,
              const DigestChunk& digest)
        : m_reader(reader),
          m_plan(plan),
          m_make_batch(make_batch),
          m_digest(digest),
          m_start(reader.offset()),
          m_chunks((reader.total_bytes() - m_start + plan.chunk_bytes - 1) / plan.chunk_bytes),
          m_window(2 * std::size_t{plan.threads} + 1),
          m_slots(m_window) {}

    ~SplitRead() {
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_cancel = true;
        }
        m_cv.notify_all();
        for (std::thread& t : m_threads) {
            t.join();
        }
    }
    SplitRead(const SplitRead&) = delete;
    SplitRead& operator=(const SplitRead&) = delete;

    // The calling thread is one of the `threads` readers: it applies the chunks in order, and whenever the
    // next one is not ready it reads the next unclaimed chunk itself. So there is one busy thread per core,
    // with no applying thread to wake and preempt a reader for each chunk, and a chunk it read is applied
    // from its own core's cache.
    ChunkTotals run(const ApplyBatch& apply) {
        for (unsigned t = 1; t < m_plan.threads; ++t) {
            m_threads.emplace_back([this] { work(); });
        }
        ChunkTotals totals = counts_of(m_reader);
        std::uint64_t lines_before = m_reader.line() - 1;
        std::uint64_t end = m_start;
        CsvReader::PartState state = m_reader.part_state();
        std::unique_ptr<CsvReader> own_part;
        for (std::uint64_t k = 0; k < m_chunks; ++k) {
            ChunkResult& r = m_slots[k % m_window];
            while (true) {
                std::uint64_t claimed = 0;
                {
                    std::unique_lock<std::mutex> lock(m_mutex);
                    m_cv.wait(lock, [&] { return r.ready || can_claim(); });
                    if (r.ready) {
                        break;
                    }
                    claimed = m_next++;
                }
                read_claimed(claimed, own_part);
            }
            if (!r.batch) {
                std::rethrow_exception(r.error);  // its reader could not even start (out of memory)
            }
            if (r.begin != end || !(state == CsvReader::PartState{})) {
                // The guessed boundary was wrong (or the chunk before ended where a footer may follow).
                if (!own_part) {
                    own_part = m_reader.open_part(buffer_size());
                }
                read_chunk(*own_part, r, end, stop_of(k), false, state);
            }
            r.batch->lines_before = lines_before;
            apply(*r.batch);
            if (r.error) {
                rethrow_shifted(r.error, lines_before);
            }
            totals.blank_lines += r.counts.blank_lines;
            totals.footer_lines += r.counts.footer_lines;
            totals.repeated_headers += r.counts.repeated_headers;
            lines_before += r.lines;
            end = r.end;
            state = r.state;
            {
                std::lock_guard<std::mutex> lock(m_mutex);
                r.ready = false;
                ++m_consumed;
            }
            m_cv.notify_all();
        }
        return totals;
    }

  private:
    std::uint64_t nominal(std::uint64_t k) const { return m_start + k * m_plan.chunk_bytes; }
    std::uint64_t stop_of(std::uint64_t k) const {
        return k + 1 < m_chunks ? nominal(k + 1) : std::numeric_limits<std::uint64_t>::max();
    }
    // One read covers a chunk and the record that runs past its end, in the common case.
    std::size_t buffer_size() const { return static_cast<std::size_t>(m_plan.chunk_bytes) + (64u << 10); }

    void read_chunk(CsvReader& part, ChunkResult& out, std::uint64_t begin, std::uint64_t stop, bool align,
                    CsvReader::PartState state) {
        out.batch->reset();
        out.error = nullptr;
        out.begin = begin;
        try {
            part.restart_part(begin, stop, align, state);
            out.begin = part.offset();
            m_digest(part, *out.batch, std::numeric_limits<std::size_t>::max());
        } catch (...) {
            out.error = std::current_exception();
        }
        out.end = part.offset();
        out.state = part.part_state();
        out.lines = part.line() - 1;
        out.counts = counts_of(part);
        out.batch->offset_end = out.end;
        out.batch->raw_done = std::min(out.end, m_reader.total_bytes());
    }

    // Under the lock: a chunk is left to read, within the window of chunks in flight.
    bool can_claim() const { return m_next < m_chunks && m_next < m_consumed + m_window; }

    // Reads chunk k, which this thread has claimed, into its slot, and marks it ready.
    void read_claimed(std::uint64_t k, std::unique_ptr<CsvReader>& part) {
        ChunkResult& out = m_slots[k % m_window];
        try {
            if (!out.batch) {
                out.batch = m_make_batch();
            }
            if (!part) {
                part = m_reader.open_part(buffer_size());
            }
            read_chunk(*part, out, nominal(k), stop_of(k), k > 0, {});
        } catch (...) {
            // Out of memory making the batch or reader: the calling thread raises it in turn.
            out.error = std::current_exception();
            out.begin = std::numeric_limits<std::uint64_t>::max();
        }
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            out.ready = true;
        }
        m_cv.notify_all();
    }

    void work() {
        std::unique_ptr<CsvReader> part;
        while (true) {
            std::uint64_t k = 0;
            {
                std::unique_lock<std::mutex> lock(m_mutex);
                m_cv.wait(lock, [&] { return m_cancel || m_next >= m_chunks || can_claim(); });
                if (m_cancel || m_next >= m_chunks) {
                    return;
                }
                k = m_next++;
            }
            read_claimed(k, part);
        }
    }

    CsvReader& m_reader;
    const ChunkPlan& m_plan;
    const MakeBatch& m_make_batch;
    const DigestChunk& m_digest;
    const std::uint64_t m_start;
    const std::uint64_t m_chunks;
    const std::size_t m_window;        // chunks read ahead of the one being applied
    std::vector<ChunkResult> m_slots;  // chunk k in slot k % m_window
    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::uint64_t m_next = 0;
    std::uint64_t m_consumed = 0;
    bool m_cancel = false;
    std::vector<std::thread> m_threads;
};

}  // namespace

ChunkTotals read_in_chunks(CsvReader& reader, const ChunkPlan& plan, const MakeBatch& make_batch,
                           const DigestChunk& digest, const ApplyBatch& apply) {
    const std::uint64_t start = reader.offset();
    const std::uint64_t size = reader.total_bytes();
    if (plan.threads <= 1 || size <= start + plan.chunk_bytes || !reader.can_split()) {
        return read_serially(reader, plan, make_batch, digest, apply);
    }
    SplitRead split(reader, plan, make_batch, digest);
    return split.run(apply);
}

}  // namespace csat::pipeline
