// The streaming CSV reader: one record at a time as views into a reused buffer, so memory depends on the
// longest record, not on the file. RFC 4180 plus what real exports do: quoted line breaks, mixed line ends,
// BOMs, `sep=` lines, gzip, UTF-16 and Windows-1252 input, Salesforce report footers. Structural errors carry
// the physical line and byte column; a ragged row is handed to the caller, who decides whether it is fatal.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "csat/error.hpp"
#include "csat/memory.hpp"

namespace csat {

enum class Encoding { utf8, latin1, cp1252 };
// How wide the scanner's compares are: 16, 32 or 64 bytes (SSE2, AVX2, AVX-512BW).
enum class Simd : std::uint8_t { sse2, avx2, avx512 };

struct CsvOptions {
    char delimiter = 0;  // 0 = sniff among , ; TAB |
    Encoding encoding = Encoding::utf8;
    std::size_t buffer_size = 1 << 20;         // read size; records never depend on it
    std::size_t max_record_bytes = 16u << 20;  // a longer record is a data error
    std::size_t max_fields = 1u << 16;         // so is a record with more fields (memory stays bounded)
    // The widest the scanner may use, when the processor has it; the tests lower it to cover the others.
    Simd max_simd = Simd::avx512;
};

struct CsvRecord {
    std::vector<std::string_view> fields;  // unescaped values, valid until the next call to next()
    // 1-based byte column where each field starts, on its line. Kept only for a record with a quoted field;
    // in the others (most), a field's column is its distance from `begin`.
    std::vector<std::uint32_t> columns;
    const char* begin = nullptr;   // the record's first byte, valid until the next call to next()
    std::string_view text;         // the record as written, without its line end (valid as `begin`)
    std::uint64_t line = 0;        // physical line where the record starts (quoted newlines counted)
    std::uint64_t offset = 0;      // byte offset of the record in the decoded input
    std::optional<Error> problem;  // a ragged row: the caller decides (--on-error)

    std::size_t size() const { return fields.size(); }
    std::string_view operator[](std::size_t i) const { return fields[i]; }
    std::uint64_t column_of(std::size_t i) const {
        if (i < columns.size()) {
            return columns[i];
        }
        if (columns.empty() && i < fields.size() && begin != nullptr) {
            return static_cast<std::uint64_t>(fields[i].data() - begin) + 1;
        }
        return 1;
    }
};

class ByteSource;

class CsvReader {
  public:
    // "-" is stdin. Reads the header (and sniffs the delimiter) before returning.
    static std::unique_ptr<CsvReader> open(const std::string& path, const CsvOptions& options = {});
    static std::unique_ptr<CsvReader> from_string(std::string data, std::string display_name,
                                                  const CsvOptions& options = {});
    ~CsvReader();
    CsvReader(const CsvReader&) = delete;
    CsvReader& operator=(const CsvReader&) = delete;

    const std::string& name() const { return m_name; }
    char delimiter() const { return m_delimiter; }
    const std::vector<std::string>& header() const { return m_header; }
    std::uint64_t header_line() const { return m_header_line; }
    // The column whose name matches after trimming and ASCII case folding.
    std::optional<std::size_t> find_column(std::string_view name) const;

    // The next data record; false at the end. Throws Error(data) when the rest cannot be read: an
    // unterminated quote (at the line where it opened), a NUL byte, invalid UTF-8, a record over
    // max_record_bytes.
    bool next(CsvRecord& record);

    std::uint64_t bytes_read() const;                            // raw (compressed) bytes consumed so far
    std::uint64_t total_bytes() const { return m_total_bytes; }  // file size if known, else 0
    std::uint64_t blank_lines() const { return m_blank_lines; }
    std::uint64_t footer_lines() const { return m_footer_lines; }
    // Rows equal to the header (concatenated exports repeat it): skipped and counted.
    std::uint64_t repeated_headers() const { return m_repeated_headers; }

    // ---- Reading one file on several threads (pipeline/chunks.cpp) -------------------------------------
    // The rest of a file can be cut into parts that other readers of the same file and dialect read at the
    // same time. A part ends before the first record that starts at or after its stop offset. Where a part
    // begins at a guessed offset (`align`), it skips to the next line start that looks like a record start;
    // the caller checks that the part before it ended exactly there, in the same state, and reads it again
    // from the right place otherwise.
    struct PartState {
        bool after_blank = false;  // the last line was blank: a Salesforce footer may follow
        bool in_footer = false;
        bool operator==(const PartState&) const = default;
    };
    // Decoded offset of the next record (after the header: where the data starts), and its line.
    std::uint64_t offset() const { return m_buf_offset + m_pos; }
    std::uint64_t line() const { return m_line; }
    PartState part_state() const { return {m_after_blank, m_footer_lines > 0 || m_in_footer}; }
    // Whether open_part() works: an uncompressed UTF-8 file or in-memory data, not stdin.
    bool can_split() const;
    // An idle reader of this file for restart_part(); it reads `buffer_size` bytes at a time. This reader
    // must outlive it.
    std::unique_ptr<CsvReader> open_part(std::size_t buffer_size) const;
    // Points a part reader at [begin, stop); line 1 is the line it starts on.
    void restart_part(std::uint64_t begin, std::uint64_t stop, bool align, PartState state);

  private:
    CsvReader(std::unique_ptr<ByteSource> source, std::string name, const CsvOptions& options);
    void skip_to_line_start();
    void skip_quoted_line_starts();
    bool reads_as_records(std::size_t from, int records);
    const char* bytes() const { return m_buf.data(); }

    enum class Scan { record, need_more, end };

    void start();
    bool fill();  // reads more; false at end of input
    Scan scan_record(CsvRecord& record, std::size_t& end, std::uint64_t& lines);
    Scan scan_sse2(CsvRecord& record, std::size_t& end, std::uint64_t& lines);
    Scan scan_avx2(CsvRecord& record, std::size_t& end, std::uint64_t& lines);
    Scan scan_avx512(CsvRecord& record, std::size_t& end, std::uint64_t& lines);
    template <Simd S>
    [[gnu::always_inline]] inline Scan scan(CsvRecord& record, std::size_t& end, std::uint64_t& lines);
    // One record, header or data, without header checks. Always inline in next(), which every row calls
    // (the 100k job: 218.9M -> 215.6M instructions).
    [[gnu::always_inline]] inline bool read_raw(CsvRecord& record);
    void check_bytes(std::size_t begin, std::size_t end, std::uint64_t line);
    void sniff_delimiter();
    [[noreturn]] void fail(std::uint64_t line, std::uint64_t column, std::string message, std::string hint);

    std::unique_ptr<ByteSource> m_source;
    std::string m_name;
    CsvOptions m_options;
    Simd m_simd;  // the scanner's compares (chosen once, by the processor)
    char m_delimiter = ',';
    // A MiB or more (buffer_size): on huge pages, see csat/memory.hpp.
    std::vector<char, BigAllocator<char>> m_buf;
    std::size_t m_pos = 0;  // start of the next record
    std::size_t m_end = 0;  // end of valid data
    bool m_eof = false;
    bool m_record_unusual = false;         // the scanned record may hold NUL or non-ASCII bytes: check them
    std::uint64_t m_buf_offset = 0;        // decoded offset of m_buf[0]
    std::uint64_t m_line = 1;              // physical line at m_pos
    std::vector<std::uint32_t> m_escaped;  // fields of the scanned record with quotes to undo
    std::string m_unescaped;               // their values, for the record last read
    std::size_t m_text_end = 0;            // where the scanned record's text ends (before its line end)
    std::vector<std::string> m_header;
    std::uint64_t m_header_line = 0;
    std::size_t m_width = 0;  // fields per record (after dropping a trailing empty column)
    bool m_trailing_delimiter = false;
    bool m_after_blank = false;
    bool m_last_blank = false;
    std::uint64_t m_blank_lines = 0;
    std::uint64_t m_footer_lines = 0;
    std::uint64_t m_repeated_headers = 0;
    std::uint64_t m_total_bytes = 0;
    // Part readers: the reader whose source they reopen, the stop offset, the footer state carried in.
    const CsvReader* m_origin = nullptr;
    std::uint64_t m_stop = ~std::uint64_t{0};
    bool m_in_footer = false;
};

// Writes one record as RFC 4180 CSV (quoting only when needed), without a line end.
std::string format_csv_record(const std::vector<std::string>& fields, char delimiter = ',');

}  // namespace csat
