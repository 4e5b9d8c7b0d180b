// The tokenizer. Each record is read in two phases: a scan that finds its field boundaries without changing
// the buffer (so it can simply start again when the record continues past the buffered data), then a pass
// that undoes doubled quotes in place. The scan looks at 64 bytes at a time: SSE2 compares turn each block
// into bit masks of delimiters, quotes and line ends, and the loop visits only those bits, so the cost is
// per field rather than per byte. Inside quotes only quote bits are visited.
#include <immintrin.h>

#include <algorithm>
#include <cstring>

#include "csat/csv_reader.hpp"
#include "csat/text.hpp"
#include "csv/source.hpp"

namespace csat {

namespace {

// Bytes kept after the data so that a 64-byte block load never leaves the buffer.
constexpr std::size_t k_slack = 64;

// Bit masks of one 64-byte block: which bytes are the delimiter, a quote, a line end (LF or CR), and which
// need a closer look by the UTF-8 check (NUL or a byte >= 0x80). The buffer keeps 64 bytes of slack after its
// data, so the load may read past the valid bytes; the caller masks those bits off.
struct BlockMasks {
    std::uint64_t delimiter;
    std::uint64_t quote;
    std::uint64_t line_end;
    std::uint64_t unusual;
};

inline std::uint64_t movemask64(__m128i a, __m128i b, __m128i c, __m128i d) {
    auto m = [](__m128i x) {
        return static_cast<std::uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(x)));
    };
    return m(a) | (m(b) << 16) | (m(c) << 32) | (m(d) << 48);
}

// The bytes of x that end a line (CR or LF).
inline __m128i line_end_bytes(__m128i x) {
    return _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('\n')), _mm_cmpeq_epi8(x, _mm_set1_epi8('\r')));
}

template <Simd S>
BlockMasks block_masks(const char* p, char delimiter);

template <>
inline BlockMasks block_masks<Simd::sse2>(const char* p, char delimiter) {
    const __m128i x0 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i x1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16));
    const __m128i x2 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 32));
    const __m128i x3 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 48));
    const __m128i vd = _mm_set1_epi8(delimiter);
    const __m128i vq = _mm_set1_epi8('"');
    const __m128i zero = _mm_setzero_si128();
    auto eq = [](__m128i x, __m128i v) { return _mm_cmpeq_epi8(x, v); };
    // A byte >= 0x80 has its top bit set, which movemask reads directly; NUL is compared.
    auto odd = [&](__m128i x) { return _mm_or_si128(x, eq(x, zero)); };
    BlockMasks m{};
    m.delimiter = movemask64(eq(x0, vd), eq(x1, vd), eq(x2, vd), eq(x3, vd));
    m.quote = movemask64(eq(x0, vq), eq(x1, vq), eq(x2, vq), eq(x3, vq));
    m.line_end = movemask64(line_end_bytes(x0), line_end_bytes(x1), line_end_bytes(x2), line_end_bytes(x3));
    m.unusual = movemask64(odd(x0), odd(x1), odd(x2), odd(x3));
    return m;
}

// The same with two 32-byte AVX2 compares per mask, for processors that have it (chosen at run time).
template <>
__attribute__((target("avx2"))) inline BlockMasks block_masks<Simd::avx2>(const char* p, char delimiter) {
    const __m256i x0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
    const __m256i x1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32));
    const __m256i vd = _mm256_set1_epi8(delimiter);
    const __m256i vq = _mm256_set1_epi8('"');
    const __m256i vn = _mm256_set1_epi8('\n');
    const __m256i vr = _mm256_set1_epi8('\r');
    const __m256i zero = _mm256_setzero_si256();
    BlockMasks m{};
    m.delimiter =
        static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(x0, vd))) |
        (std::uint64_t{static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(x1, vd)))} << 32);
    m.quote =
        static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(x0, vq))) |
        (std::uint64_t{static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(x1, vq)))} << 32);
    const __m256i e0 = _mm256_or_si256(_mm256_cmpeq_epi8(x0, vn), _mm256_cmpeq_epi8(x0, vr));
    const __m256i e1 = _mm256_or_si256(_mm256_cmpeq_epi8(x1, vn), _mm256_cmpeq_epi8(x1, vr));
    m.line_end = static_cast<std::uint32_t>(_mm256_movemask_epi8(e0)) |
                 (std::uint64_t{static_cast<std::uint32_t>(_mm256_movemask_epi8(e1))} << 32);
    const __m256i u0 = _mm256_or_si256(x0, _mm256_cmpeq_epi8(x0, zero));
    const __m256i u1 = _mm256_or_si256(x1, _mm256_cmpeq_epi8(x1, zero));
    m.unusual = static_cast<std::uint32_t>(_mm256_movemask_epi8(u0)) |
                (std::uint64_t{static_cast<std::uint32_t>(_mm256_movemask_epi8(u1))} << 32);
    return m;
}

// One 64-byte compare per mask, straight into a mask register: a third of the AVX2 version's instructions.
template <>
__attribute__((target("avx512f,avx512bw"))) inline BlockMasks block_masks<Simd::avx512>(const char* p,
                                                                                        char delimiter) {
    const __m512i x = _mm512_loadu_si512(p);
    BlockMasks m{};
    m.delimiter = _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8(delimiter));
    m.quote = _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8('"'));
    m.line_end =
        _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8('\n')) | _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8('\r'));
    m.unusual = _mm512_movepi8_mask(x) | _mm512_testn_epi8_mask(x, x);  // top bit set, or NUL
    return m;
}

// Bits at positions >= n of a 64-bit block (n in 0..64).
constexpr std::uint64_t bits_from(std::size_t n) {
    return n >= 64 ? 0 : ~std::uint64_t{0} << n;
}

// How far the unquoted run of a record got (see CsvReader::scan).
struct UnquotedRun {
    std::size_t count;     // fields cut, each ended by a delimiter
    const char* start;     // of the field after them
    std::size_t base;      // the block where the run stopped
    std::uint64_t odd;     // unusual bytes seen before the stop
    std::size_t line_end;  // of the record, when the run reached it; else npos
};

// The common run of a record from p0: unquoted fields on its first line, a block at a time, cut at each
// delimiter bit into out[0, limit). It stops at the record's line end, at a quote, where the data read so
// far [.., e) ends, or before a block whose fields would reach `limit`. Apart from the general loop, with
// only these few values live: written inside it, the run had GCC keep the masks, the count and the field
// start on the stack (reading 100k quote-free cases: 68.4M -> 67.7M instructions).
template <Simd S>
[[gnu::always_inline]] inline UnquotedRun unquoted_run(const char* b, std::size_t p0, std::size_t e,
                                                       char delimiter, std::string_view* out,
                                                       std::size_t limit) {
    const char* start = b + p0;
    std::size_t base = p0;
    std::size_t count = 0;
    std::uint64_t odd = 0;
    while (true) {
        const BlockMasks m = block_masks<S>(b + base, delimiter);
        const std::uint64_t in_data = ~bits_from(e - base);
        const std::uint64_t ends = m.line_end & in_data;
        std::uint64_t before = ends != 0 ? (ends & (0 - ends)) - 1 : in_data;
        const std::uint64_t quotes = m.quote & before;
        if (quotes != 0) {
            before = (quotes & (0 - quotes)) - 1;  // the fields before the quote
        }
        std::uint64_t d = m.delimiter & before;
        if (count + static_cast<std::size_t>(__builtin_popcountll(d)) >= limit) {
            break;
        }
        odd |= m.unusual & before;
        const char* block = b + base;
        for (; d != 0; d &= d - 1) {
            const char* at = block + static_cast<unsigned>(__builtin_ctzll(d));
            out[count++] = std::string_view(start, static_cast<std::size_t>(at - start));
            start = at + 1;
        }
        if (quotes != 0) {
            break;
        }
        if (ends != 0) {
            return {count, start, base, odd, base + static_cast<unsigned>(__builtin_ctzll(ends))};
        }
        if (base + 64 >= e) {
            break;  // the data ends inside this record
        }
        base += 64;
    }
    return {count, start, base, odd, std::string_view::npos};
}

// Counts line ends in [p, e) (CRLF once, bare CR once) and moves line_start past the last one.
void count_lines(const char* b, std::size_t p, std::size_t e, std::uint64_t& lines, std::size_t& line_start) {
    // A line ends at LF, at CR not followed by LF, and at CRLF once (at its LF).
    auto at = [&](std::size_t i) {
        const char c = b[i];
        if (c == '\n' || (c == '\r' && !(i + 1 < e && b[i + 1] == '\n'))) {
            ++lines;
            line_start = i + 1;
        }
    };
    std::size_t i = p;
    for (; i + 16 <= e; i += 16) {  // sixteen bytes at a time, visiting only the CR and LF among them
        const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b + i));
        auto bits = static_cast<unsigned>(_mm_movemask_epi8(line_end_bytes(x)));
        for (; bits != 0; bits &= bits - 1) {
            at(i + static_cast<std::size_t>(__builtin_ctz(bits)));
        }
    }
    for (; i < e; ++i) {
        at(i);
    }
}

bool starts_with(std::string_view s, std::string_view p) {
    return s.substr(0, p.size()) == p;
}

bool is_report_footer(std::string_view v) {
    v = trim(v);
    return (starts_with(v, "Grand Totals (") && v.back() == ')') ||
           v == "Confidential Information - Do Not Distribute" ||
           (starts_with(v, "Copyright (c)") && v.find("salesforce.com") != std::string_view::npos);
}

// Field counts of the first complete records from p, for one candidate delimiter (quote-aware).
std::vector<std::size_t> field_counts(const char* b, std::size_t p, std::size_t e, bool eof, char d) {
    std::vector<std::size_t> counts;
    std::size_t fields = 1;
    bool in_quotes = false;
    bool field_start = true;
    bool blank = true;
    while (p < e && counts.size() < 20) {
        char c = b[p];
        if (in_quotes) {
            if (c == '"') {
                if (p + 1 < e && b[p + 1] == '"') {
                    ++p;
                } else {
                    in_quotes = false;
                }
            }
        } else if (c == '"' && field_start) {
            in_quotes = true;
            blank = false;
        } else if (c == d) {
            ++fields;
            field_start = true;
            blank = false;
            ++p;
            continue;
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && p + 1 < e && b[p + 1] == '\n') {
                ++p;
            }
            if (!blank) {
                counts.push_back(fields);
            }
            fields = 1;
            blank = true;
            field_start = true;
            ++p;
            continue;
        } else {
            blank = false;
        }
        field_start = false;
        ++p;
    }
    if (eof && p >= e && !blank && !in_quotes && counts.size() < 20) {
        counts.push_back(fields);
    }
    return counts;
}

}  // namespace

std::unique_ptr<CsvReader> CsvReader::open(const std::string& path, const CsvOptions& options) {
    std::uint64_t total = 0;
    auto source = open_source(path, options.encoding, total);
    std::unique_ptr<CsvReader> reader(
        new CsvReader(std::move(source), path == "-" ? "standard input" : path, options));
    reader->m_total_bytes = total;
    reader->start();
    return reader;
}

std::unique_ptr<CsvReader> CsvReader::from_string(std::string data, std::string display_name,
                                                  const CsvOptions& options) {
    const std::uint64_t size = data.size();
    auto source = memory_source(std::move(data), display_name, options.encoding);
    std::unique_ptr<CsvReader> reader(new CsvReader(std::move(source), std::move(display_name), options));
    reader->m_total_bytes = size;
    reader->start();
    return reader;
}

CsvReader::CsvReader(std::unique_ptr<ByteSource> source, std::string name, const CsvOptions& options)
    : m_source(std::move(source)),
      m_name(std::move(name)),
      m_options(options),
      m_simd(options.max_simd == Simd::avx512 && __builtin_cpu_supports("avx512bw") ? Simd::avx512
             : options.max_simd >= Simd::avx2 && __builtin_cpu_supports("avx2")     ? Simd::avx2
                                                                                    : Simd::sse2) {
    m_options.buffer_size = std::max<std::size_t>(m_options.buffer_size, 1);
    m_buf.resize(m_options.buffer_size + k_slack);
}

CsvReader::~CsvReader() = default;

std::uint64_t CsvReader::bytes_read() const {
    return m_source->raw_bytes();
}

void CsvReader::fail(std::uint64_t line, std::uint64_t column, std::string message, std::string hint) {
    throw Error(ErrorKind::data, SourcePos{m_name, line, column}, std::move(message), std::move(hint));
}

bool CsvReader::fill() {
    if (m_eof) {
        return false;
    }
    if (m_pos > 0) {
        std::memmove(m_buf.data(), m_buf.data() + m_pos, m_end - m_pos);
        m_buf_offset += m_pos;
        m_end -= m_pos;
        m_pos = 0;
    }
    if (m_end > m_options.max_record_bytes) {
        fail(m_line, 1,
             fmt::format("a record is longer than the limit of {} bytes", m_options.max_record_bytes),
             "a quote may be missing its closing quote; or the file has no line breaks");
    }
    if (m_buf.size() - k_slack - m_end < m_options.buffer_size) {
        m_buf.resize(std::max(m_buf.size() * 2, m_end + m_options.buffer_size + k_slack));
    }
    std::size_t n =
        m_source->read(m_buf.data() + m_end, std::min(m_options.buffer_size, m_buf.size() - k_slack - m_end));
    if (n == 0) {
        m_eof = true;
        return false;
    }
    m_end += n;
    return true;
}

CsvReader::Scan CsvReader::scan_record(CsvRecord& record, std::size_t& end, std::uint64_t& lines) {
    switch (m_simd) {
        case Simd::avx512:
            return scan_avx512(record, end, lines);
        case Simd::avx2:
            return scan_avx2(record, end, lines);
        default:
            return scan_sse2(record, end, lines);
    }
}

template <Simd S>
inline CsvReader::Scan CsvReader::scan(CsvRecord& record, std::size_t& end, std::uint64_t& lines) {
    const char* b = bytes();
    const std::size_t e = m_end;
    const std::size_t p0 = m_pos;
    lines = 0;
    record.columns.clear();
    m_escaped.clear();
    if (p0 == e) {
        record.fields.clear();
        return m_eof ? Scan::end : Scan::need_more;
    }
    // Fields are written through a pointer into record.fields, sized ahead to the header's width (and grown
    // for a wider row), and the vector is cut to the count at the end: no capacity test per field. A record
    // of the header's width leaves it at that size, so the next one does not grow it again.
    if (record.fields.size() < std::max<std::size_t>(m_width, 1)) {
        record.fields.resize(std::max<std::size_t>(m_width, 1));
    }
    std::string_view* out = record.fields.data();
    std::size_t room = record.fields.size();
    // The common run of a record: unquoted fields on its first line, a block at a time with none of the
    // general loop's state. A record of only those ends here. Anything else (a quote, a record that runs past
    // the data read so far, more fields than there is room for or than the limit) goes on in the general loop
    // below from the field where this stopped, in the block it had reached.
    const std::size_t limit = std::min(room, m_options.max_fields);
    const UnquotedRun run = unquoted_run<S>(b, p0, e, m_delimiter, out, limit);
    std::size_t count = run.count;
    const char* start = run.start;  // of the current field
    std::size_t base = run.base;
    // A line end at `pos` (CR, LF or CRLF) ends the record, except a CR where the data read so far ends: it
    // may be the first half of a CRLF.
    auto cr_pending = [&](std::size_t pos) { return b[pos] == '\r' && pos + 1 == e && !m_eof; };
    auto after_line_end = [&](std::size_t pos) {
        return (b[pos] == '\r' && pos + 1 < e && b[pos + 1] == '\n') ? pos + 2 : pos + 1;
    };
    auto done = [&](std::size_t text_end, std::size_t record_end, bool unusual_bytes)
        __attribute__((always_inline)) {
        end = record_end;
        m_text_end = text_end;
        m_record_unusual = unusual_bytes;
        record.fields.resize(count);
        return Scan::record;
    };
    if (run.line_end != std::string_view::npos && !cr_pending(run.line_end)) {
        out[count++] = std::string_view(start, static_cast<std::size_t>(b + run.line_end - start));
        lines = 1;
        return done(run.line_end, after_line_end(run.line_end), run.odd != 0);
    }
    const std::uint64_t odd = run.odd;
    BlockMasks m = block_masks<S>(b + base, m_delimiter);

    bool unusual = false;
    auto emit = [&](const char* at, std::size_t len) __attribute__((always_inline)) {
        if (count == room) {
            record.fields.resize(room * 2);
            out = record.fields.data();
            room = record.fields.size();
        }
        out[count++] = std::string_view(at, len);
    };
    enum class State { field, quoted, after_quote };
    State state = State::field;
    const char delimiter = m_delimiter;
    const std::size_t max_fields = m_options.max_fields;
    std::size_t line_start = p0;
    std::size_t field_start = static_cast<std::size_t>(start - b);
    auto column = std::uint32_t{1};  // of a quoted field, taken where its quote opens
    std::size_t quote_open = 0;
    std::size_t quote_close = 0;
    std::uint64_t open_line = 0;
    bool escaped = false;
    bool quoted_line_end = false;    // the open quoted field holds a line break: count its lines on closing
    std::size_t line_end_from = 0;   // inside quotes, line ends before this were looked for already
    std::size_t next = field_start;  // bits before this position are handled
    std::uint64_t valid = ~bits_from(e - base);
    auto select = [&]() __attribute__((always_inline))->std::uint64_t {
        std::uint64_t want = state == State::quoted        ? m.quote
                             : state == State::after_quote ? (m.delimiter | m.line_end)
                                                           : (m.delimiter | m.line_end | m.quote);
        return want & valid & bits_from(next > base ? next - base : 0);
    };
    // Inside quotes: notes a line end among the bytes [line_end_from, upto) of this block.
    auto look_for_line_end = [&](std::size_t upto) __attribute__((always_inline)) {
        std::size_t from = line_end_from > base ? line_end_from - base : 0;
        std::size_t to = upto - base;
        if ((m.line_end & valid & bits_from(from) & ~bits_from(to)) != 0) {
            quoted_line_end = true;
        }
        line_end_from = upto;
    };
    auto push_field = [&](std::size_t pos) __attribute__((always_inline)) {
        // This path sees quotes (or the lines of a quoted field), so the record keeps its columns: those of
        // the fields before, all unquoted on the first line, are their offsets.
        for (std::size_t k = record.columns.size(); k < count; ++k) {
            record.columns.push_back(static_cast<std::uint32_t>(out[k].data() - (b + p0) + 1));
        }
        if (state == State::field) {
            emit(b + field_start, pos - field_start);
        } else if (escaped || pos > quote_close + 1) {
            // Doubled quotes to undo, or text after the closing quote (kept literally, as most readers do).
            m_escaped.push_back(static_cast<std::uint32_t>(count));
            emit(b + field_start, pos - field_start);
        } else {
            emit(b + field_start + 1, quote_close - field_start - 1);
        }
        record.columns.push_back(
            state == State::field ? static_cast<std::uint32_t>(field_start - line_start + 1) : column);
    };
    auto finish = [&](std::size_t text_end, std::size_t record_end) __attribute__((always_inline)) {
        return done(text_end, record_end, unusual || (m.unusual & valid) != 0);
    };
    unusual = odd != 0 || (m.unusual & valid) != 0;
    std::uint64_t bits = select();
    while (true) {
        while (bits == 0) {
            if (state == State::quoted) {
                look_for_line_end(std::min(base + 64, e));
            }
            unusual = unusual || (m.unusual & valid) != 0;
            base += 64;
            if (base >= e) {
                // The data ends inside this record.
                if (!m_eof) {
                    return Scan::need_more;
                }
                if (state == State::quoted) {
                    fail(m_line + open_line, column,
                         "unterminated quoted field: expected a closing '\"', found the end of the file",
                         "a quote opened here never closes; check for a stray \" in this field");
                }
                push_field(e);
                return finish(e, e);
            }
            m = block_masks<S>(b + base, m_delimiter);
            valid = ~bits_from(e - base);
            bits = select();
        }
        if (state == State::field && (m.quote & valid) == 0) {
            // The common block: no quote. Every bit left ends an unquoted field, and a line end the record.
            const bool with_columns = !record.columns.empty();
            const char* row = b + field_start;
            do {
                const std::size_t pos = base + static_cast<std::size_t>(__builtin_ctzll(bits));
                const char c = b[pos];
                emit(row, static_cast<std::size_t>(b + pos - row));
                if (with_columns) {
                    record.columns.push_back(static_cast<std::uint32_t>(field_start - line_start + 1));
                }
                if (c != delimiter) {
                    if (cr_pending(pos)) {
                        return Scan::need_more;
                    }
                    ++lines;
                    return finish(pos, after_line_end(pos));
                }
                if (count >= max_fields) {
                    fail(m_line, 1, fmt::format("a record has more than {} fields", max_fields),
                         "check the delimiter (--delimiter); no export has that many columns");
                }
                field_start = pos + 1;
                row = b + field_start;
                bits &= bits - 1;
            } while (bits != 0);
            next = field_start;
            continue;
        }
        const std::size_t pos = base + static_cast<std::size_t>(__builtin_ctzll(bits));
        const char c = b[pos];
        if (state == State::quoted) {
            look_for_line_end(pos);
            if (pos + 1 >= e && !m_eof) {
                return Scan::need_more;  // "" may continue in the next block
            }
            if (pos + 1 < e && b[pos + 1] == '"') {
                escaped = true;
                next = pos + 2;
                line_end_from = pos + 2;
            } else {
                quote_close = pos;
                if (quoted_line_end) {
                    count_lines(b, quote_open + 1, quote_close, lines, line_start);
                }
                state = State::after_quote;
                next = pos + 1;
            }
            bits = select();
            continue;
        }
        if (c == '"') {
            if (pos == field_start && state == State::field) {
                state = State::quoted;
                column = static_cast<std::uint32_t>(field_start - line_start + 1);
                quote_open = pos;
                open_line = lines;
                quoted_line_end = false;
                line_end_from = pos + 1;
                next = pos + 1;
                bits = select();
            } else {
                bits &= bits - 1;  // a quote inside an unquoted field is literal
            }
            continue;
        }
        push_field(pos);
        if (c == delimiter) {
            if (count >= max_fields) {
                fail(m_line, 1, fmt::format("a record has more than {} fields", max_fields),
                     "check the delimiter (--delimiter); no export has that many columns");
            }
            field_start = pos + 1;
            escaped = false;
            next = pos + 1;
            if (state == State::after_quote) {
                state = State::field;
                bits = select();
            } else {
                bits &= bits - 1;
            }
            continue;
        }
        if (cr_pending(pos)) {
            return Scan::need_more;
        }
        ++lines;
        return finish(pos, after_line_end(pos));
    }
}

CsvReader::Scan CsvReader::scan_sse2(CsvRecord& record, std::size_t& end, std::uint64_t& lines) {
    return scan<Simd::sse2>(record, end, lines);
}

__attribute__((target("avx2"))) CsvReader::Scan CsvReader::scan_avx2(CsvRecord& record, std::size_t& end,
                                                                     std::uint64_t& lines) {
    return scan<Simd::avx2>(record, end, lines);
}

__attribute__((target("avx512f,avx512bw"))) CsvReader::Scan CsvReader::scan_avx512(CsvRecord& record,
                                                                                   std::size_t& end,
                                                                                   std::uint64_t& lines) {
    return scan<Simd::avx512>(record, end, lines);
}

void CsvReader::check_bytes(std::size_t begin, std::size_t end, std::uint64_t line) {
    const auto* s = reinterpret_cast<const unsigned char*>(bytes());
    std::size_t i = begin;
    const __m128i zero = _mm_setzero_si128();
    while (i < end) {
        if (i + 16 <= end) {
            __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i));
            int flags = _mm_movemask_epi8(x) | _mm_movemask_epi8(_mm_cmpeq_epi8(x, zero));
            if (flags == 0) {
                i += 16;
                continue;
            }
        }
        unsigned char c = s[i];
        if (c == 0 || c >= 0x80) {
            char32_t cp = 0;
            std::size_t len = c == 0 ? 0 : decode_utf8(std::string_view(bytes(), end), i, cp);
            if (len == 0) {
                std::uint64_t lines = 0;
                std::size_t line_start = begin;
                count_lines(bytes(), begin, i, lines, line_start);
                if (c == 0) {
                    fail(line + lines, i - line_start + 1, "unexpected NUL byte",
                         "the file looks binary or UTF-16 without a byte-order mark; export it as UTF-8 CSV");
                }
                fail(line + lines, i - line_start + 1, fmt::format("invalid UTF-8 byte 0x{:02X}", c),
                     "the file is probably Windows-1252 or Latin-1: pass --encoding cp1252 (or latin1)");
            }
            i += len;
            continue;
        }
        ++i;
    }
}

inline bool CsvReader::read_raw(CsvRecord& record) {
    std::size_t end = 0;
    std::uint64_t lines = 0;
    if (offset() >= m_stop) {
        return false;
    }
    while (true) {
        Scan s = scan_record(record, end, lines);
        if (s == Scan::record) {
            break;
        }
        if (s == Scan::end) {
            return false;
        }
        fill();
    }
    if (end - m_pos > m_options.max_record_bytes) {
        // The same limit whether the record arrived in one read or many.
        fail(m_line, 1,
             fmt::format("a record is longer than the limit of {} bytes", m_options.max_record_bytes),
             "a quote may be missing its closing quote; or the file has no line breaks");
    }
    if (m_options.encoding == Encoding::utf8 && m_record_unusual) {
        check_bytes(m_pos, end, m_line);
    }
    record.problem.reset();
    const char* b = bytes();
    record.begin = b + m_pos;
    record.text = std::string_view(b + m_pos, m_text_end - m_pos);
    record.line = m_line;
    record.offset = m_buf_offset + m_pos;
    if (!m_escaped.empty()) {
        // Undo "" inside quotes into a buffer of the reader's, so the input is never changed (a record that
        // spans two chunks is read by both chunks' threads); text outside the quotes is kept as it is. Room
        // for all of them first, so no view moves.
        std::size_t room = 0;
        for (std::uint32_t k : m_escaped) {
            room += record.fields[k].size();
        }
        m_unescaped.clear();
        m_unescaped.reserve(room);
        for (std::uint32_t k : m_escaped) {
            std::string_view raw = record.fields[k];
            const std::size_t at = m_unescaped.size();
            // Runs between quotes are copied whole: a doubled quote keeps one, the closing quote none, and
            // whatever follows it stays as written.
            std::size_t i = 1;
            while (i < raw.size()) {
                const std::size_t quote = raw.find('"', i);
                if (quote == std::string_view::npos) {
                    m_unescaped.append(raw.data() + i, raw.size() - i);
                    break;
                }
                m_unescaped.append(raw.data() + i, quote - i);
                if (quote + 1 < raw.size() && raw[quote + 1] == '"') {
                    m_unescaped += '"';
                    i = quote + 2;
                } else {
                    m_unescaped.append(raw.data() + quote + 1, raw.size() - quote - 1);
                    break;
                }
            }
            record.fields[k] = std::string_view(m_unescaped.data() + at, m_unescaped.size() - at);
        }
    }
    // A record that is only a line end is a blank line.
    const char* at = b + m_pos;
    m_last_blank = record.fields.size() == 1 && record.fields[0].empty() && record.fields[0].data() == at &&
                   m_escaped.empty() && (m_pos == m_end || *at == '\n' || *at == '\r');
    m_line += lines;
    m_pos = end;
    return true;
}

void CsvReader::sniff_delimiter() {
    // Enough data for about 20 records, or the whole input.
    while (!m_eof && m_end - m_pos < std::min<std::size_t>(64u << 10, m_options.max_record_bytes)) {
        fill();
    }
    const char candidates[] = {',', ';', '\t', '|'};
    std::vector<char> consistent;
    std::vector<char> wide_header;
    for (char c : candidates) {
        std::vector<std::size_t> counts = field_counts(m_buf.data(), m_pos, m_end, m_eof, c);
        if (counts.empty() || counts[0] < 2) {
            continue;
        }
        wide_header.push_back(c);
        if (std::all_of(counts.begin(), counts.end(), [&](std::size_t n) { return n == counts[0]; })) {
            consistent.push_back(c);
        }
    }
    auto name = [](char c) { return c == '\t' ? std::string("tab") : fmt::format("'{}'", c); };
    const std::vector<char>& pick = consistent.empty() ? wide_header : consistent;
    if (pick.size() > 1) {
        std::string list;
        for (char c : pick) {
            list += list.empty() ? name(c) : " and " + name(c);
        }
        fail(m_line, 1, fmt::format("cannot tell the delimiter: {} both split the first rows evenly", list),
             "pass --delimiter with the right one (, ; | or tab)");
    }
    m_delimiter = pick.empty() ? ',' : pick[0];
}

void CsvReader::start() {
    while (!m_eof && m_end - m_pos < 3) {
        fill();
    }
    if (m_end - m_pos >= 3 && std::memcmp(m_buf.data() + m_pos, "\xEF\xBB\xBF", 3) == 0) {
        m_pos += 3;  // a UTF-8 BOM, also before a quoted header
    }
    m_delimiter = m_options.delimiter;
    // Excel's "sep=;" first line names the delimiter. Seven bytes show all of "sep=;\r\n".
    while (!m_eof && m_end - m_pos < 7) {
        fill();
    }
    if (m_end - m_pos >= 5 && (std::memcmp(m_buf.data() + m_pos, "sep=", 4) == 0 ||
                               std::memcmp(m_buf.data() + m_pos, "SEP=", 4) == 0)) {
        std::size_t after = m_pos + 5;
        bool line_ends = after == m_end || m_buf[after] == '\n' || m_buf[after] == '\r';
        if (line_ends) {
            if (m_delimiter == 0) {
                m_delimiter = m_buf[m_pos + 4];
            }
            m_pos = after;
            if (m_pos < m_end && m_buf[m_pos] == '\r') {
                ++m_pos;
            }
            if (m_pos < m_end && m_buf[m_pos] == '\n') {
                ++m_pos;
            }
            ++m_line;
        }
    }
    if (m_delimiter == 0) {
        sniff_delimiter();
    }
    CsvRecord header;
    do {
        if (!read_raw(header)) {
            fail(m_line, 0, "empty file: expected a header row, found nothing",
                 "export the data with its header row");
        }
        if (m_last_blank) {
            ++m_blank_lines;
        }
    } while (m_last_blank);
    m_header_line = header.line;
    for (std::string_view f : header.fields) {
        m_header.emplace_back(trim(f));
    }
    if (m_header.size() > 1 && m_header.back().empty()) {
        // Every line ends with the delimiter: an empty last column, dropped from the header and the rows.
        m_header.pop_back();
        m_trailing_delimiter = true;
    }
    m_width = m_header.size();
    for (std::size_t i = 0; i < m_header.size(); ++i) {
        for (std::size_t j = 0; j < i; ++j) {
            if (iequals(m_header[i], m_header[j])) {
                fail(m_header_line, header.column_of(i),
                     fmt::format("duplicate column name '{}' (columns {} and {})", m_header[i], j + 1, i + 1),
                     "rename one of them so every column can be told apart");
            }
        }
    }
}

bool CsvReader::next(CsvRecord& record) {
    while (true) {
        if (!read_raw(record)) {
            return false;
        }
        if (m_last_blank) {
            ++m_blank_lines;
            m_after_blank = true;
            continue;
        }
        if (record.fields.size() == 1 && m_width > 1 &&
            (m_after_blank || m_footer_lines > 0 || m_in_footer) && is_report_footer(record.fields[0])) {
            ++m_footer_lines;
            continue;
        }
        m_after_blank = false;
        if (record.fields.size() >= m_width && record.fields.size() <= m_width + 1 &&
            std::equal(m_header.begin(), m_header.end(), record.fields.begin(),
                       [](const std::string& h, std::string_view f) { return h == trim(f); })) {
            ++m_repeated_headers;
            continue;
        }
        if (m_trailing_delimiter && record.fields.size() == m_width + 1 && record.fields.back().empty()) {
            record.fields.pop_back();
            if (!record.columns.empty()) {
                record.columns.pop_back();
            }
        }
        if (record.fields.size() != m_width) {
            std::uint64_t column =
                record.fields.size() > m_width
                    ? record.column_of(m_width)
                    : record.column_of(record.fields.size() - 1) + record.fields.back().size();
            record.problem = Error(ErrorKind::data, SourcePos{m_name, record.line, column},
                                   fmt::format("expected {} fields, found {}", m_width, record.fields.size()),
                                   "check the delimiter (--delimiter) and the quoting of this row");
        }
        return true;
    }
}

bool CsvReader::can_split() const {
    const CsvReader* root = m_origin ? m_origin : this;
    return root->m_source->reopen_at(0) != nullptr;
}

std::unique_ptr<CsvReader> CsvReader::open_part(std::size_t buffer_size) const {
    CsvOptions options = m_options;
    options.buffer_size = buffer_size;
    std::unique_ptr<CsvReader> part(new CsvReader(m_source->reopen_at(0), m_name, options));
    part->m_origin = this;
    part->m_delimiter = m_delimiter;
    part->m_header = m_header;
    part->m_header_line = m_header_line;
    part->m_width = m_width;
    part->m_trailing_delimiter = m_trailing_delimiter;
    part->m_total_bytes = m_total_bytes;
    return part;
}

void CsvReader::restart_part(std::uint64_t begin, std::uint64_t stop, bool align, PartState state) {
    align = align && begin > 0;
    std::uint64_t from = align ? begin - 1 : begin;
    m_source = m_origin->m_source->reopen_at(from);
    m_buf_offset = from;
    m_pos = 0;
    m_end = 0;
    m_eof = false;
    m_line = 1;
    m_stop = stop;
    m_after_blank = state.after_blank;
    m_in_footer = state.in_footer;
    m_last_blank = false;
    m_blank_lines = 0;
    m_footer_lines = 0;
    m_repeated_headers = 0;
    if (align) {
        skip_to_line_start();
        skip_quoted_line_starts();
    }
}

// A line start found by position alone may be inside a quoted field that holds line breaks, as survey
// comments do; the part before then ends elsewhere, and this part is read a second time. Of the next few line
// starts in the buffer, the first from which two records read with the header's width is taken, else the
// first: a guess either way, which the part before checks.
void CsvReader::skip_quoted_line_starts() {
    constexpr int k_tries = 8;
    const char* b = bytes();
    std::size_t candidate = m_pos;
    for (int t = 0; t < k_tries; ++t) {
        if (reads_as_records(candidate, 2)) {
            m_pos = candidate;
            return;
        }
        std::size_t i = candidate;
        while (i < m_end && b[i] != '\n' && b[i] != '\r') {
            ++i;
        }
        if (i + 1 >= m_end) {
            return;  // no further line start here (a CR at the end may be half a CRLF): keep the first
        }
        candidate = (b[i] == '\r' && b[i + 1] == '\n') ? i + 2 : i + 1;
    }
}

// Whether `records` records from `from` have the header's width, as far as the buffer tells: a record the
// buffer does not hold whole, or the end of the data, says nothing against it. Reads without moving on.
bool CsvReader::reads_as_records(std::size_t from, int records) {
    const std::size_t saved = m_pos;
    CsvRecord record;
    bool ok = true;
    try {
        m_pos = from;
        for (int r = 0; r < records && ok; ++r) {
            std::size_t end = 0;
            std::uint64_t lines = 0;
            if (scan_record(record, end, lines) != Scan::record) {
                break;
            }
            const std::size_t n = record.fields.size();
            ok = n == m_width || (m_trailing_delimiter && n == m_width + 1);
            m_pos = end;
        }
    } catch (const Error&) {
        ok = false;  // say, a quote that opens here and never closes
    }
    m_pos = saved;
    m_escaped.clear();
    return ok;
}

// Moves to just after the first line end (LF, CR or CRLF) at or after the current position, or to the end.
void CsvReader::skip_to_line_start() {
    while (true) {
        const char* b = bytes();
        for (std::size_t i = m_pos; i < m_end; ++i) {
            if (b[i] == '\n') {
                m_pos = i + 1;
                return;
            }
            if (b[i] == '\r') {
                if (i + 1 == m_end && !m_eof) {
                    break;  // CR or CRLF? Read on.
                }
                m_pos = (i + 1 < m_end && b[i + 1] == '\n') ? i + 2 : i + 1;
                return;
            }
        }
        std::size_t scanned = m_end;
        // Keep only a trailing CR, whose meaning the next byte decides.
        m_pos = scanned > m_pos && b[scanned - 1] == '\r' ? scanned - 1 : scanned;
        if (!fill()) {
            m_pos = m_end;
            return;
        }
    }
}

std::optional<std::size_t> CsvReader::find_column(std::string_view name) const {
    std::string_view want = trim(name);
    for (std::size_t i = 0; i < m_header.size(); ++i) {
        if (iequals(m_header[i], want)) {
            return i;
        }
    }
    return std::nullopt;
}

std::string format_csv_record(const std::vector<std::string>& fields, char delimiter) {
    std::string out;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        const std::string& f = fields[i];
        if (i > 0) {
            out += delimiter;
        }
        bool quote = f.find_first_of(std::string{delimiter, '"', '\n', '\r'}) != std::string::npos ||
                     (!f.empty() && (f.front() == ' ' || f.back() == ' ')) ||
                     (fields.size() == 1 && f.empty());
        if (!quote) {
            out += f;
            continue;
        }
        out += '"';
        for (char c : f) {
            if (c == '"') {
                out += '"';
            }
            out += c;
        }
        out += '"';
    }
    return out;
}

}  // namespace csat
