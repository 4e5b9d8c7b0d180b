// Reader throughput: read_speed csat|fccp|naive FILE
//   csat  - our CsvReader, every field of every record touched
//   fccp  - fast-cpp-csv-parser (io::CSVReader, 8 columns of the cases layout; quote-free input only)
//   naive - a byte-at-a-time loop over the mmapped file counting fields and lines
// Prints: tool, bytes, records, seconds, MB/s.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

// fast-cpp-csv-parser's header is not warning-clean, and some of its warnings surface where it is inlined.
#pragma GCC diagnostic ignored "-Wstringop-truncation"
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wold-style-cast"
#pragma GCC diagnostic ignored "-Wconversion"
#pragma GCC diagnostic ignored "-Wsign-conversion"
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wimplicit-fallthrough"
#if __has_include(<libfccp/csv.h>)
#include <libfccp/csv.h>
#define HAVE_FCCP 1
#elif __has_include(<csv.h>)
#include <csv.h>
#define HAVE_FCCP 1
#endif
#pragma GCC diagnostic pop

#include "csat/csv_reader.hpp"

namespace {

std::uint64_t file_size(const char* path) {
    struct stat st {};
    return ::stat(path, &st) == 0 ? static_cast<std::uint64_t>(st.st_size) : 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: read_speed csat|fccp|naive FILE\n");
        return 2;
    }
    std::string tool = argv[1];
    const char* path = argv[2];
    auto t0 = std::chrono::steady_clock::now();
    std::uint64_t records = 0;
    std::uint64_t checksum = 0;
    if (tool == "csat") {
        csat::CsvOptions opts;
        if (const char* bs = std::getenv("CSAT_BUF")) {
            opts.buffer_size = std::strtoull(bs, nullptr, 10);
        }
        auto reader = csat::CsvReader::open(path, opts);
        csat::CsvRecord r;
        while (reader->next(r)) {
            ++records;
            for (std::string_view f : r.fields) {
                checksum += f.size();
            }
        }
    } else if (tool == "fccp") {
#ifdef HAVE_FCCP
        io::CSVReader<8, io::trim_chars<>, io::double_quote_escape<',', '"'>> in(path);
        in.read_header(io::ignore_extra_column, "case_id", "subject", "agent", "queue", "case_type", "status",
                       "created_at", "closed_at");
        char* f[8];
        while (in.read_row(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7])) {
            ++records;
            for (char* x : f) {
                checksum += std::char_traits<char>::length(x);
            }
        }
#else
        std::fprintf(stderr, "fast-cpp-csv-parser not installed (apt-get install libfccp-dev)\n");
        return 2;
#endif
    } else if (tool == "naive") {
        int fd = ::open(path, O_RDONLY);
        std::uint64_t size = file_size(path);
        const char* p = static_cast<const char*>(::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0));
        for (std::uint64_t i = 0; i < size; ++i) {
            char c = p[i];
            records += c == '\n' ? 1 : 0;
            checksum += c == ',' ? 1 : 0;
        }
        ::munmap(const_cast<char*>(p), size);
        ::close(fd);
    } else {
        std::fprintf(stderr, "unknown tool %s\n", tool.c_str());
        return 2;
    }
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::uint64_t bytes = file_size(path);
    std::printf("%s\t%llu\t%llu\t%.3f\t%.0f\t(checksum %llu)\n", tool.c_str(),
                static_cast<unsigned long long>(bytes), static_cast<unsigned long long>(records), secs,
                static_cast<double>(bytes) / 1e6 / secs, static_cast<unsigned long long>(checksum));
    return 0;
}
