// Fuzz target for dialect and encoding detection. The first byte picks the encoding; the rest is a file whose
// delimiter is sniffed. Properties: only csat::Error escapes; when sniffing succeeds, forcing the sniffed
// delimiter reads the same records.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "csat/csv_reader.hpp"

namespace {

std::vector<std::vector<std::string>> read_all(const std::string& input, csat::CsvOptions options,
                                               char& delimiter, bool& failed) {
    std::vector<std::vector<std::string>> rows;
    failed = false;
    try {
        auto reader = csat::CsvReader::from_string(input, "fuzz.csv", options);
        delimiter = reader->delimiter();
        rows.push_back(reader->header());
        csat::CsvRecord r;
        while (reader->next(r)) {
            rows.emplace_back(r.fields.begin(), r.fields.end());
        }
    } catch (const csat::Error&) {
        failed = true;
    }
    return rows;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) {
        return 0;
    }
    csat::CsvOptions options;
    options.buffer_size = 4096;
    options.max_record_bytes = 1 << 16;
    options.encoding = data[0] % 3 == 0   ? csat::Encoding::utf8
                       : data[0] % 3 == 1 ? csat::Encoding::latin1
                                          : csat::Encoding::cp1252;
    std::string input(reinterpret_cast<const char*>(data + 1), size - 1);
    char sniffed = 0;
    bool failed = false;
    auto rows = read_all(input, options, sniffed, failed);
    if (failed || input.rfind("sep=", 0) == 0 || input.rfind("SEP=", 0) == 0) {
        return 0;
    }
    options.delimiter = sniffed;
    char forced = 0;
    bool forced_failed = false;
    auto again = read_all(input, options, forced, forced_failed);
    if (forced_failed || again != rows) {
        std::abort();
    }
    return 0;
}
