// Private to the pipeline: digesting rows. The per-row work that needs nothing but the row itself (the ID and
// its hash, dictionary codes, dates, scores, filters, the row hash) runs on whichever thread read the row and
// fills a Batch of plain rows. Everything in a batch is local to it: codes index the batch's own
// dictionaries, and lines count from its chunk's start. load.cpp applies the batches in input order, and
// everything that depends on earlier rows (the case index, duplicates, accounting, --strict) happens there.
#pragma once

#include <emmintrin.h>

#include <limits>
#include <string>
#include <vector>

#include "csat/scores.hpp"
#include "pipeline/chunks.hpp"
#include "pipeline/row_context.hpp"

namespace csat::pipeline {

inline constexpr std::uint32_t k_no_entry = 0xFFFFFFFFu;
inline constexpr std::int32_t k_no_day = std::numeric_limits<std::int32_t>::min();

// An invalid value or a finding for its row, recorded (or under --strict raised) when the row is applied.
struct RowNote {
    bool finding = false;
    std::size_t column = 0;          // header index
    std::uint64_t field_column = 0;  // byte column of the field on its line
    std::string metric;              // invalid: "csat", "created_at", ...; finding: its kind
    std::string value;
    std::string reason;
    std::string expected;  // invalid only
};

// How far a row got in the digest; anything but ok is counted (or raised) when applied.
enum class RowOutcome : std::uint8_t {
    ok,
    malformed,
    missing_case_id,
    filtered_where,
    filtered_date,
    no_answer,
    orphan,
};

// The response side of a row: a responses-file row, or the scores of a cases-file row (one file as both).
struct ResponsePart {
    StoredResponse stored;  // line counted from the chunk's start; case_index is the loader's to set
    bool answered = false;
    bool offered = false;
    bool offer_states = false;  // the row has an Offered / Not offered state: scores are Zendesk-style
    bool in_dates = true;       // inside --since/--until when they go by the response date
    DateSniff submitted;
    std::uint32_t dims = 0;             // its first code in Batch::response_dims
    std::uint32_t detail = k_no_entry;  // in Batch::details, when alerts keep it
};

// One cache line: every case row goes through it, from the thread that read it to the one that applies it.
// What only a rare path reads (the ID's column, for the error a conflicting repeat raises; the close time,
// kept only with keep_closed) is in the batch's side columns, not here. At 80 bytes most rows straddled two
// lines: the 1M job per agent, 1 thread, under cachegrind: 10.91M -> 10.46M first-level data misses.
struct alignas(64) CaseRow {
    std::uint64_t id_hash = 0;
    std::int64_t created = k_no_time;
    std::uint64_t line = 0;
    std::uint32_t id_at = 0;  // the trimmed ID is Batch::text[id_at, id_at + id_size)
    std::uint32_t id_size = 0;
    std::int32_t day = k_no_day;   // local day of the date that buckets and filters the case
    std::uint32_t case_class = 0;  // in Batch::classes
    std::uint32_t row_hash = 0;
    std::uint32_t notes_mid = 0;  // notes up to here come before the case is indexed, the rest after
    std::uint32_t notes_end = 0;
    // A malformed row's problem in Batch::problems, or the response part (one file as both) in Batch::parts.
    std::uint32_t extra = k_no_entry;
    RowOutcome outcome = RowOutcome::ok;
    std::uint8_t flags = 0;
    DateSniff created_sniff;
    DateSniff closed_sniff;
};
static_assert(sizeof(CaseRow) == 64);

// Writes a case row to its slot in a batch with streaming stores, which write the line without reading it
// first. The slot's line was last read by the applying thread, on the other core, so an ordinary store
// waited for it to come back: a fifth of the case digest's time (5M per agent, 9 alternating pairs: 0.52 ->
// 0.45 s, CPU 0.99 -> 0.88 s; per week 0.56 -> 0.46 s). Streaming stores are not ordered with later ones:
// Digester::cases ends with an sfence before its batch can be handed over.
[[gnu::always_inline]] inline void stream_row(CaseRow* to, const CaseRow& from) {
    const auto* in = reinterpret_cast<const __m128i*>(&from);
    auto* out = reinterpret_cast<__m128i*>(to);
    _mm_stream_si128(out, _mm_load_si128(in));
    _mm_stream_si128(out + 1, _mm_load_si128(in + 1));
    _mm_stream_si128(out + 2, _mm_load_si128(in + 2));
    _mm_stream_si128(out + 3, _mm_load_si128(in + 3));
}

struct ResponseRow {
    std::uint64_t id_hash = 0;
    std::uint32_t id_at = 0;
    std::uint32_t id_size = 0;
    std::uint64_t line = 0;
    std::uint32_t case_index = k_no_case;  // looked up by the digest when the case index is complete
    std::uint32_t submitted_at = 0;        // the submitted text in Batch::text, for validate's findings
    std::uint32_t submitted_size = 0;
    std::uint32_t notes_mid = 0;  // notes from here on are about the response date: dropped for an orphan
    std::uint32_t notes_end = 0;
    std::uint32_t problem = k_no_entry;
    RowOutcome outcome = RowOutcome::ok;
    ResponsePart part;
};

// A small memo of the last distinct values of a column that the digest maps to a flag (status -> closed).
class FlagMemo {
  public:
    template <class Fn>
    bool get(std::string_view value, Fn&& compute) {
        for (std::size_t i = 0; i < m_used; ++i) {
            if (bytes_equal(m_values[i], value)) {
                return m_flags[i];
            }
        }
        bool flag = compute(value);
        std::size_t slot = m_used < k_size ? m_used++ : (m_next++ % k_size);
        m_values[slot].assign(value);
        m_flags[slot] = flag;
        return flag;
    }

  private:
    static constexpr std::size_t k_size = 4;
    std::string m_values[k_size];
    bool m_flags[k_size] = {};
    std::size_t m_used = 0;
    std::size_t m_next = 0;
};

// A two-way memo in front of a batch's class dictionary, which every case row looks up. A key of 1-16 bytes
// (an agent's or a queue's name, mostly) is read as its short_words(), which with its size identify it, and a
// multiply of them picks its pair of entries: a hit costs two word compares instead of the dictionary's hash,
// probe and key compare (the 100k job: 236.4M -> 229.7M instructions, direct-mapped with 1024 entries: 256
// gave 232.1M, 4096 228.7M). Direct-mapped, 200 agents' names left 1 row in 8 to the dictionary, as a
// name's entry was another's too (12,650 lookups for 100k rows); with two ways 212.2M -> 209.5M. A key not
// in its pair takes the dictionary's way and the pair's first entry, moving the first to the second.
class ClassMemo {
  public:
    template <class Lookup>
    [[gnu::always_inline]] std::uint32_t get(std::string_view key, Lookup&& lookup) {
        const std::size_t n = key.size();
        if (n - 1 >= 16) {  // empty (wraps around) or longer than 16
            return lookup(key);
        }
        const auto [a, b] = hash_detail::short_words(key.data(), n);
        Entry* pair =
            &m_entries[2 * (((a ^ (b * hash_detail::k_p1) ^ n) * hash_detail::k_p0) >> (64 - k_bits))];
        if (pair[0].a == a && pair[0].b == b && pair[0].size == n) {
            return pair[0].id;
        }
        if (pair[1].a == a && pair[1].b == b && pair[1].size == n) {
            return pair[1].id;
        }
        const std::uint32_t id = lookup(key);
        pair[1] = pair[0];
        pair[0] = {a, b, static_cast<std::uint32_t>(n), id};
        return id;
    }
    void clear() {
        for (Entry& e : m_entries) {
            e.size = 0;
        }
    }

  private:
    struct Entry {
        std::uint64_t a = 0;
        std::uint64_t b = 0;
        std::uint32_t size = 0;  // 0: empty
        std::uint32_t id = 0;
    };
    static constexpr unsigned k_bits = 9;  // pairs
    Entry m_entries[std::size_t{2} << k_bits];
};

// Bytes appended back to back (the rows' IDs, a class key being built), with slack after the end so that
// short copies can be whole words.
class ByteBuffer {
  public:
    // Appends and returns where it starts.
    std::uint32_t append(std::string_view s) {
        reserve(s.size());
        copy_bytes(m_bytes.get() + m_size, s);
        auto at = static_cast<std::uint32_t>(m_size);
        m_size += s.size();
        return at;
    }
    void append_raw(const void* p, std::size_t n) {
        reserve(n);
        __builtin_memcpy(m_bytes.get() + m_size, p, n);
        m_size += n;
    }
    void clear() { m_size = 0; }
    const char* data() const { return m_bytes.get(); }
    std::size_t size() const { return m_size; }
    std::string_view view() const { return {m_bytes.get(), m_size}; }
    std::string_view view(std::uint32_t at, std::uint32_t size) const { return {m_bytes.get() + at, size}; }

  private:
    void reserve(std::size_t more) {
        if (m_size + more + 16 > m_capacity) {
            std::size_t capacity = std::max<std::size_t>(4096, (m_size + more + 16) * 2);
            std::unique_ptr<char[]> bytes(new char[capacity]);
            if (m_size > 0) {
                __builtin_memcpy(bytes.get(), m_bytes.get(), m_size);
            }
            m_bytes = std::move(bytes);
            m_capacity = capacity;
        }
    }

    std::unique_ptr<char[]> m_bytes;
    std::size_t m_size = 0;
    std::size_t m_capacity = 0;
};

// How a case class is written as a key: the values of the case dimensions (each after its 4-byte length, or
// alone when there is one), then the 8-byte period key when the class has one. A single short value, the
// common --by agent, makes a key that hashes and compares as one or two words.
struct ClassKeyLayout {
    bool one_value = false;
    bool with_period = false;

    ClassKeyLayout(const JobState& state)
        : one_value(state.case_dims.size() == 1),
          with_period(state.options->period != Period::none &&
                      state.options->date_basis != DateBasis::response) {}
    void add_value(ByteBuffer& key, std::string_view value) const;
    // The values of a key (n of them) and its period (k_no_time without one).
    void read(std::string_view key, std::size_t n, std::vector<std::string_view>& values,
              std::int64_t& period) const;
};

struct Batch final : ChunkBatch {
    explicit Batch(const TimeZone& zone, std::size_t dim_count) : dims(dim_count), tz(zone) {}
    void reset() override;
    // Room for a megabyte of rows of one kind at once, for a file read in chunks: its batches grow to that
    // anyway, and the steps on the way would be on 4 KiB pages.
    void reserve_rows(bool case_rows);

    // The rows of a chunk come to a megabyte or more, so they are on huge pages (csat/memory.hpp). A case
    // row is streamed to its slot whole (stream_row).
    std::vector<CaseRow, StreamedRowAllocator<CaseRow>> cases;
    std::vector<std::uint32_t> case_id_columns;  // per case row: the column of its ID (0 when it has none)
    std::vector<std::int64_t> case_closed;       // per case row, only when CaseTable::keep_closed
    std::vector<ResponseRow, BigAllocator<ResponseRow>> responses;
    std::vector<ResponsePart> parts;  // response parts of case rows
    ByteBuffer text;                  // the IDs
    std::vector<RowNote> notes;
    std::vector<Error> problems;
    std::vector<StringIndex> dims;  // per response dimension (by state.dims index): this batch's codes
    StringIndex classes;            // this batch's case classes: each case dimension's value, then the period
    ClassMemo class_memo;           // in front of `classes`
    ByteBuffer key;                 // the class key being built
    std::vector<std::uint32_t> response_dims;
    std::vector<ResponseDetail> details;
    TimeZone tz;  // this batch's own copy: a zone caches its last lookup
    FlagMemo closed_status;
};

class ScoreParsers {
  public:
    explicit ScoreParsers(const JobOptions& opt);
    const ScoreParser& csat() const { return m_csat; }
    const ScoreParser& nps() const { return m_nps; }
    const ScoreParser& ces() const { return m_ces; }

  private:
    ScoreParser m_csat;
    ScoreParser m_nps;
    ScoreParser m_ces;
};

// The columns of one file that the job reads, bound once before its rows.
struct FileColumns {
    FileColumns(const JobState& state, const InputFile& input);

    std::optional<std::size_t> case_id;
    std::optional<std::size_t> status;
    std::optional<std::size_t> is_closed;
    std::optional<std::size_t> survey_sent;
    std::optional<std::size_t> csat;
    std::optional<std::size_t> nps;
    std::optional<std::size_t> ces;
    std::optional<std::size_t> comment;
    DateColumn created;
    DateColumn closed;
    DateColumn submitted;
    // Whether the job needs the case dates at all. A date column the job does not use is not read, so it
    // can neither fail the run nor be counted invalid (csat validate uses them all).
    bool use_created = true;
    bool use_closed = true;
};

// Digests the rows of one file; shared by every thread that reads it, so it only reads its state.
class Digester {
  public:
    Digester(const JobState& state, const InputFile& input, const FileColumns& columns);
    bool cases(CsvReader& reader, Batch& batch, std::size_t max_rows) const;
    bool responses(CsvReader& reader, Batch& batch, std::size_t max_rows) const;
    // How its batches' class keys are written, for the loader that maps them to the job's classes.
    const ClassKeyLayout& class_key() const { return m_class_key; }

  private:
    // Always inline in cases() and responses(), the loops over a chunk (the 100k job: 215.6M -> 214.0M
    // instructions).
    [[gnu::always_inline]] inline void case_row(const CsvRecord& record, Batch& batch) const;
    [[gnu::always_inline]] inline void digest_case(const CsvRecord& record, Batch& batch, CaseRow& row) const;
    [[gnu::always_inline]] inline void response_row(const CsvRecord& record, Batch& batch) const;
    void find_cases(Batch& batch, std::size_t first) const;
    // The scores, response dimensions and kept detail of a row; notes for invalid scores.
    void scores(const CsvRecord& record, Batch& batch, ResponsePart& part) const;
    void response_details(const CsvRecord& record, Batch& batch, ResponsePart& part,
                          std::string_view id) const;
    // Inline, with DateColumn::parse's fast path, so that the cell of every row's date comes back in
    // registers rather than through the stack.
    DateCell date(const CsvRecord& record, Batch& batch, const DateColumn& column) const {
        if (!column.column()) {
            return {};
        }
        const std::string_view text = field(record, column.column());
        const DateCell cell = column.parse(text, batch.tz);
        if (cell.invalid()) {
            note_invalid_date(record, batch, column, text);
        }
        return cell;
    }
    void note_invalid_date(const CsvRecord& record, Batch& batch, const DateColumn& column,
                           std::string_view text) const;
    void note_invalid(const CsvRecord& record, Batch& batch, std::size_t column, std::string metric,
                      std::string_view value, std::string_view reason, std::string expected) const;
    void note_finding(const CsvRecord& record, Batch& batch, std::size_t column, std::string kind,
                      std::string_view value, std::string reason) const;
    std::uint32_t copy_text(Batch& batch, std::string_view text) const;
    // Inline for the common job with no --since/--until: every row asks (the 100k job: 1.9M instructions).
    bool within_dates(const Batch& batch, std::int64_t utc) const {
        return (!m_opt.since_day && !m_opt.until_day) || within_date_filter(batch, utc);
    }
    bool within_date_filter(const Batch& batch, std::int64_t utc) const;

    const JobState& m_state;
    const JobOptions& m_opt;
    const InputFile& m_input;
    const FileColumns& m_cols;
    ScoreParsers m_parsers;
    ClassKeyLayout m_class_key;
    bool m_lookup_cases;  // the case index is complete: responses find their case here
};

}  // namespace csat::pipeline
