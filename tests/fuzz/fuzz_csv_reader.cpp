// Fuzz target for the CSV reader. The first two bytes pick a buffer size (1 byte to 64 KiB); the rest is the
// input. Properties: the records and the error are the same at that size and at the default size; an error's
// line and column lie inside the input; nothing but csat::Error escapes.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "csat/csv_reader.hpp"

namespace {

struct Outcome {
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> problems;
    std::string error;
    std::uint64_t error_line = 0;
    std::uint64_t error_column = 0;
    bool operator==(const Outcome& o) const {
        return rows == o.rows && problems == o.problems && error == o.error;
    }
};

Outcome run(const std::string& data, std::size_t buffer_size, csat::Encoding encoding) {
    Outcome out;
    csat::CsvOptions options;
    options.buffer_size = buffer_size;
    options.encoding = encoding;
    options.max_record_bytes = 1 << 16;
    try {
        auto reader = csat::CsvReader::from_string(data, "fuzz.csv", options);
        csat::CsvRecord record;
        while (reader->next(record)) {
            out.rows.emplace_back(record.fields.begin(), record.fields.end());
            if (record.problem) {
                out.problems.push_back(record.problem->located_message());
            }
        }
    } catch (const csat::Error& e) {
        out.error = e.located_message();
        out.error_line = e.pos().line;
        out.error_column = e.pos().column;
    }
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) {
        return 0;
    }
    std::size_t buffer_size = 1 + ((static_cast<std::size_t>(data[0]) << 8 | data[1]) % 65536);
    csat::Encoding encoding = (data[0] & 0x80) ? csat::Encoding::cp1252 : csat::Encoding::utf8;
    std::string input(reinterpret_cast<const char*>(data + 2), size - 2);
    Outcome small = run(input, buffer_size, encoding);
    Outcome large = run(input, 1 << 16, encoding);
    if (!(small == large)) {
        std::abort();
    }
    if (!large.error.empty()) {
        // Lines and columns count in the decoded input, which is never more than 3 bytes per input byte.
        std::uint64_t lines = 1;
        for (char c : input) {
            lines += (c == '\n' || c == '\r') ? 1 : 0;
        }
        if (large.error_line > lines + 1 || large.error_column > 3 * input.size() + 1) {
            std::abort();
        }
    }
    return 0;
}
