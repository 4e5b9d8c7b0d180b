// The CSV reader on in-memory input. Every case runs at several buffer sizes (1, 2, 3, 7, 64 bytes and the
// default): the records must not depend on how the input is chunked.
#include <zlib.h>
#include <cctype>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "csat/csv_reader.hpp"

using namespace csat;

namespace {

struct Parsed {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
    std::vector<std::uint64_t> lines;
    std::vector<std::vector<std::uint64_t>> columns;  // each field's byte column on the line where it starts
    std::vector<std::string> problems;
    std::string error;  // a thrown Error, located
    char delimiter = 0;
    std::uint64_t blank = 0;
    std::uint64_t footer = 0;

    bool operator==(const Parsed& o) const {
        return header == o.header && rows == o.rows && lines == o.lines && columns == o.columns &&
               problems == o.problems && error == o.error && delimiter == o.delimiter && blank == o.blank &&
               footer == o.footer;
    }
};

Parsed parse_with(const std::string& data, CsvOptions options) {
    Parsed p;
    try {
        auto reader = CsvReader::from_string(data, "t.csv", options);
        p.header = reader->header();
        p.delimiter = reader->delimiter();
        CsvRecord r;
        while (reader->next(r)) {
            p.rows.emplace_back(r.fields.begin(), r.fields.end());
            p.lines.push_back(r.line);
            std::vector<std::uint64_t>& columns = p.columns.emplace_back();
            for (std::size_t i = 0; i < r.size(); ++i) {
                columns.push_back(r.column_of(i));
            }
            if (r.problem) {
                p.problems.push_back(r.problem->located_message());
            }
        }
        p.blank = reader->blank_lines();
        p.footer = reader->footer_lines();
    } catch (const Error& e) {
        p.error = e.located_message();
    }
    return p;
}

// Parses at every buffer size, with each scanner the processor has (AVX-512, AVX2, SSE2), and checks they
// agree; returns the default-size result.
Parsed parse(const std::string& data, CsvOptions options = {}) {
    Parsed reference = parse_with(data, options);
    for (Simd simd : {Simd::avx512, Simd::avx2, Simd::sse2}) {
        options.max_simd = simd;
        for (std::size_t size : {std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{7},
                                 std::size_t{64}, std::size_t{1} << 20}) {
            options.buffer_size = size;
            Parsed p = parse_with(data, options);
            INFO("buffer size " << size << ", scanner " << static_cast<int>(simd));
            CHECK(p == reference);
        }
    }
    return reference;
}

using Rows = std::vector<std::vector<std::string>>;

std::string gzip(const std::string& data) {
    z_stream z{};
    deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
    std::string out(data.size() + 128, '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = static_cast<uInt>(data.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    deflate(&z, Z_FINISH);
    out.resize(z.total_out);
    deflateEnd(&z);
    return out;
}

}  // namespace

TEST_CASE("quoted fields keep delimiters, doubled quotes and line breaks", "[csv]") {
    Parsed p = parse(
        "id,comment\n1,\"a, b\"\n2,\"say "
        "\"\"hi\"\"\"\n3,\"two\nlines\"\n4,\"crlf\r\ninside\"\n5,\"cr\rinside\"\n6,x\n");
    CHECK(p.header == std::vector<std::string>{"id", "comment"});
    CHECK(p.rows == Rows{{"1", "a, b"},
                         {"2", "say \"hi\""},
                         {"3", "two\nlines"},
                         {"4", "crlf\r\ninside"},
                         {"5", "cr\rinside"},
                         {"6", "x"}});
    // Physical lines: the quoted line breaks count.
    CHECK(p.lines == std::vector<std::uint64_t>{2, 3, 4, 6, 8, 10});
    CHECK(p.error.empty());
}

TEST_CASE("LF, CRLF and bare CR record ends, mixed, and no final newline", "[csv]") {
    Parsed p = parse("a,b\r\n1,2\n3,4\r5,6\r\n7,8");
    CHECK(p.rows == Rows{{"1", "2"}, {"3", "4"}, {"5", "6"}, {"7", "8"}});
    CHECK(p.lines == std::vector<std::uint64_t>{2, 3, 4, 5});
}

TEST_CASE("a UTF-8 BOM is dropped, also before a quoted header", "[csv]") {
    CHECK(parse("\xEF\xBB\xBFid,x\n1,2\n").header == std::vector<std::string>{"id", "x"});
    CHECK(parse("\xEF\xBB\xBF\"id\",\"x\"\n1,2\n").header == std::vector<std::string>{"id", "x"});
}

TEST_CASE("blank lines are skipped and counted", "[csv]") {
    Parsed p = parse("a,b\n\n1,2\r\n\r\n3,4\n\n");
    CHECK(p.rows == Rows{{"1", "2"}, {"3", "4"}});
    CHECK(p.lines == std::vector<std::uint64_t>{3, 5});
    CHECK(p.blank == 3);
}

TEST_CASE("Excel's sep= line sets the delimiter", "[csv]") {
    Parsed p = parse("sep=;\na;b\n1,5;2\n");
    CHECK(p.delimiter == ';');
    CHECK(p.rows == Rows{{"1,5", "2"}});
    CHECK(p.lines == std::vector<std::uint64_t>{3});
    // CRLF after sep= (found by fuzzing: a 2-byte buffer saw the CR without its LF).
    CHECK(parse("sep=;\r\na;b\r\n1;2\r\n").lines == std::vector<std::uint64_t>{3});
}

TEST_CASE("a trailing delimiter on every line is an empty column, dropped", "[csv]") {
    Parsed p = parse("a,b,\n1,2,\n3,4,\n");
    CHECK(p.header == std::vector<std::string>{"a", "b"});
    CHECK(p.rows == Rows{{"1", "2"}, {"3", "4"}});
    CHECK(p.problems.empty());
}

TEST_CASE("a quote inside an unquoted field is literal", "[csv]") {
    Parsed p = parse("a,b\n5'2\",x\n\"q\"tail,y\n");
    CHECK(p.rows == Rows{{"5'2\"", "x"}, {"qtail", "y"}});
}

TEST_CASE("the delimiter is sniffed among comma, semicolon, tab and pipe", "[csv]") {
    CHECK(parse("a;b;c\n1,5;2;3\n4;5;6\n").delimiter == ';');
    CHECK(parse("a\tb\n1\t2\n").delimiter == '\t');
    CHECK(parse("a|b\n1|2\n").delimiter == '|');
    CHECK(parse("a,b\n\"x;y\",2\n").delimiter == ',');
    CHECK(parse("single\n1\n2\n").delimiter == ',');
    CHECK(parse("a,b;c\n1,2;3\n").error ==
          "t.csv:1:1: cannot tell the delimiter: ',' and ';' both split the first rows evenly");
    CsvOptions forced;
    forced.delimiter = ';';
    CHECK(parse("a,b;c\n1,2;3\n", forced).rows == Rows{{"1,2", "3"}});
}

TEST_CASE("header problems: duplicates and an empty file", "[csv]") {
    CHECK(parse("id,Agent, agent \n1,2,3\n").error ==
          "t.csv:1:10: duplicate column name 'agent' (columns 2 and 3)");
    CHECK(parse("").error == "t.csv:1: empty file: expected a header row, found nothing");
    CHECK(parse("\n\n").error == "t.csv:3: empty file: expected a header row, found nothing");
    Parsed header_only = parse("a,b\n");
    CHECK(header_only.header == std::vector<std::string>{"a", "b"});
    CHECK(header_only.rows.empty());
}

TEST_CASE("Salesforce report footers are skipped, not ragged", "[csv]") {
    Parsed p = parse(
        "\"Case Number\",\"Owner\"\n\"001\",\"Ana\"\n\n\"Grand Totals (1 records)\"\n\n"
        "\"Confidential Information - Do Not Distribute\"\n"
        "\"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved.\"\n");
    CHECK(p.rows == Rows{{"001", "Ana"}});
    CHECK(p.footer == 3);
    CHECK(p.problems.empty());
    // The same text as a data row, not after a blank line, is just a ragged row.
    Parsed q = parse("a,b\n\"Grand Totals (1 records)\"\n");
    CHECK(q.footer == 0);
    CHECK(q.problems == std::vector<std::string>{"t.csv:2:25: expected 2 fields, found 1"});
}

TEST_CASE("a header row repeated mid-file (concatenated exports) is skipped", "[csv]") {
    auto reader = CsvReader::from_string("id,agent\n1,Ana\n id , agent\n2,Ben\n", "t.csv");
    CsvRecord r;
    std::vector<std::string> ids;
    while (reader->next(r)) {
        ids.emplace_back(r.fields[0]);
    }
    CHECK(ids == std::vector<std::string>{"1", "2"});
    CHECK(reader->repeated_headers() == 1);
}

TEST_CASE("ragged rows come back with the problem for the caller to decide", "[csv]") {
    Parsed p = parse("a,b,c\n1,2,3\n4,5\n6,7,8,9\n");
    CHECK(p.rows.size() == 3);
    CHECK(p.problems == std::vector<std::string>{"t.csv:3:4: expected 3 fields, found 2",
                                                 "t.csv:4:7: expected 3 fields, found 4"});
}

TEST_CASE("an unterminated quote reports the line where it opened", "[csv]") {
    Parsed p = parse("a,b\n1,2\n3,\"never\ncloses\n4,5\n");
    CHECK(p.error ==
          "t.csv:3:3: unterminated quoted field: expected a closing '\"', found the end of the file");
    CHECK(p.rows == Rows{{"1", "2"}});
}

TEST_CASE("NUL bytes, invalid UTF-8 and over-long records are data errors", "[csv]") {
    CHECK(parse(std::string("a,b\n1,x\0y\n", 10)).error == "t.csv:2:4: unexpected NUL byte");
    CHECK(parse("a,b\n1,caf\xE9\n").error == "t.csv:2:6: invalid UTF-8 byte 0xE9");
    CsvOptions small;
    small.max_record_bytes = 64;
    CHECK(parse("a,b\n1," + std::string(200, 'x') + "\n", small).error ==
          "t.csv:2:1: a record is longer than the limit of 64 bytes");
    CsvOptions narrow;
    narrow.max_fields = 8;
    CHECK(parse("a,b\n" + std::string(20, ',') + "\n", narrow).error ==
          "t.csv:2:1: a record has more than 8 fields");
}

TEST_CASE("Windows-1252 and Latin-1 are transcoded when asked", "[csv]") {
    CsvOptions cp;
    cp.encoding = Encoding::cp1252;
    CHECK(parse("a,b\n1,caf\xE9 \x80\x93\n", cp).rows == Rows{{"1", "caf\xC3\xA9 \xE2\x82\xAC\xE2\x80\x9C"}});
    CsvOptions latin;
    latin.encoding = Encoding::latin1;
    CHECK(parse("a,b\n1,\xE9\n", latin).rows == Rows{{"1", "\xC3\xA9"}});
}

TEST_CASE("UTF-16 with a BOM is read; without one it is refused", "[csv]") {
    auto utf16 = [](const std::string& ascii, bool big_endian) {
        std::string out = big_endian ? std::string("\xFE\xFF") : std::string("\xFF\xFE");
        for (char c : ascii) {
            out += big_endian ? std::string{'\0', c} : std::string{c, '\0'};
        }
        return out;
    };
    CHECK(parse(utf16("id,x\n1,2\n", false)).rows == Rows{{"1", "2"}});
    CHECK(parse(utf16("id,x\n1,2\n", true)).rows == Rows{{"1", "2"}});
    CHECK(parse(utf16("id,x\n1,2\n", false).substr(2)).error ==
          "t.csv:1:1: the file looks like UTF-16 without a byte-order mark (NUL every other byte)");
}

TEST_CASE("gzip input is detected by its magic bytes", "[csv]") {
    Parsed p = parse(gzip("id,comment\n1,\"a\nb\"\n2,c\n"));
    CHECK(p.rows == Rows{{"1", "a\nb"}, {"2", "c"}});
    CHECK(parse(gzip("id,x\n1,2\n").substr(0, 12)).error == "t.csv: truncated gzip data");
}

TEST_CASE("column lookup ignores case and surrounding spaces", "[csv]") {
    auto r = CsvReader::from_string(" Case Number ,Agent\n", "t.csv");
    CHECK(r->find_column("case number") == std::size_t{0});
    CHECK(r->find_column("AGENT ") == std::size_t{1});
    CHECK_FALSE(r->find_column("queue").has_value());
}

TEST_CASE("csv-spectrum: every file gives exactly its JSON", "[csv]") {
    namespace fs = std::filesystem;
    fs::path dir(CSAT_SPECTRUM_DIR);
    REQUIRE(fs::exists(dir / "csvs"));
    // The expected JSON is an array of objects of strings; this small reader handles exactly that.
    auto parse_json = [](const std::string& text) {
        std::vector<std::vector<std::pair<std::string, std::string>>> out;
        std::size_t i = 0;
        auto skip = [&] {
            while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) {
                ++i;
            }
        };
        auto str = [&] {
            std::string s;
            ++i;  // opening quote
            while (text[i] != '"') {
                if (text[i] == '\\') {
                    ++i;
                    char c = text[i];
                    s += c == 'n' ? '\n' : c == 'r' ? '\r' : c == 't' ? '\t' : c;
                } else {
                    s += text[i];
                }
                ++i;
            }
            ++i;
            return s;
        };
        skip();
        ++i;  // [
        while (true) {
            skip();
            if (text[i] == ']') {
                break;
            }
            if (text[i] == ',') {
                ++i;
                continue;
            }
            ++i;  // {
            std::vector<std::pair<std::string, std::string>> obj;
            while (true) {
                skip();
                if (text[i] == '}') {
                    ++i;
                    break;
                }
                if (text[i] == ',') {
                    ++i;
                    continue;
                }
                std::string k = str();
                skip();
                ++i;  // :
                skip();
                obj.emplace_back(k, str());
            }
            out.push_back(obj);
        }
        return out;
    };
    int files = 0;
    for (const auto& entry : fs::directory_iterator(dir / "csvs")) {
        std::ifstream in(entry.path(), std::ios::binary);
        std::string csv((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        std::ifstream jin(dir / "json" / (entry.path().stem().string() + ".json"));
        std::string json((std::istreambuf_iterator<char>(jin)), std::istreambuf_iterator<char>());
        INFO(entry.path().filename().string());
        CsvOptions comma;
        comma.delimiter = ',';
        Parsed p = parse(csv, comma);
        REQUIRE(p.error.empty());
        auto expected = parse_json(json);
        REQUIRE(p.rows.size() == expected.size());
        for (std::size_t r = 0; r < expected.size(); ++r) {
            REQUIRE(expected[r].size() == p.header.size());
            for (std::size_t c = 0; c < expected[r].size(); ++c) {
                CHECK(p.header[c] == expected[r][c].first);
                CHECK(p.rows[r][c] == expected[r][c].second);
            }
        }
        ++files;
    }
    CHECK(files == 11);
}

TEST_CASE("round trip: random records written and read back are the same at any buffer size", "[csv]") {
    std::mt19937 rng(20260301);  // fixed seed: the same cases on every run
    const std::string alphabet = "ab ,;\"\r\n\t|xyz\xC3\xA9";
    for (int trial = 0; trial < 200; ++trial) {
        std::size_t width = 1 + rng() % 5;
        std::vector<std::vector<std::string>> records;
        std::vector<std::vector<std::uint64_t>> columns;
        std::vector<std::uint64_t> lines;  // where each record starts: after the header, and the line breaks
        std::uint64_t next_line = 2;       // of the records before (LF, CR alone, or CRLF as one)
        std::string text;
        std::vector<std::string> header;
        for (std::size_t c = 0; c < width; ++c) {
            header.push_back("h" + std::to_string(c));
        }
        text += format_csv_record(header) + "\n";
        std::size_t rows = rng() % 6;
        for (std::size_t r = 0; r < rows; ++r) {
            std::vector<std::string> rec;
            for (std::size_t c = 0; c < width; ++c) {
                std::string f;
                // Every third trial has long fields, so records span several 64-byte blocks.
                std::size_t len = rng() % (trial % 3 == 0 ? 90 : 8);
                for (std::size_t k = 0; k < len; ++k) {
                    std::size_t pick = rng() % (alphabet.size() - 1);
                    if (alphabet[pick] == '\xC3') {
                        f += "\xC3\xA9";  // keep multi-byte characters whole
                    } else if (alphabet[pick] != '\xA9') {
                        f += alphabet[pick];
                    }
                }
                rec.push_back(f);
            }
            // A record of one empty field would read as a blank line; real exports never have one.
            if (width == 1 && rec[0].empty()) {
                rec[0] = "x";
            }
            records.push_back(rec);
            // Each field written beside an empty one quotes as it does in the record (alone, an empty field
            // would be quoted), so its column is where it starts after the last line break written before it
            // (a quoted field may hold line breaks).
            std::string line = format_csv_record(rec);
            std::vector<std::uint64_t> at;
            std::size_t written = 0;
            std::size_t line_start = 0;
            for (std::size_t c = 0; c < width; ++c) {
                at.push_back(written - line_start + 1);
                std::string f = format_csv_record({rec[c], ""});
                f.pop_back();
                for (std::size_t k = 0; k < f.size(); ++k) {
                    bool crlf = f[k] == '\r' && k + 1 < f.size() && f[k + 1] == '\n';
                    if ((f[k] == '\n' || f[k] == '\r') && !crlf) {
                        line_start = written + k + 1;
                    }
                }
                written += f.size() + 1;
            }
            REQUIRE(written == line.size() + 1);
            columns.push_back(at);
            lines.push_back(next_line);
            for (std::size_t k = 0; k < line.size(); ++k) {
                if (line[k] == '\n' || (line[k] == '\r' && !(k + 1 < line.size() && line[k + 1] == '\n'))) {
                    ++next_line;
                }
            }
            ++next_line;
            text += line + (r % 2 ? "\r\n" : "\n");
        }
        CsvOptions options;
        options.delimiter = ',';
        Parsed p = parse(text, options);
        INFO("trial " << trial << ": " << text);
        REQUIRE(p.error.empty());
        CHECK(p.header == header);
        CHECK(p.rows == records);
        CHECK(p.columns == columns);
        CHECK(p.lines == lines);
    }
}

TEST_CASE("a part guessed to start inside a quoted line break moves on to the next record", "[csv]") {
    // Row 2's comment holds two line breaks. The first line start after the guess is "second, line" (2 fields
    // against the header's 3), then `third",4` (2 fields), then row 3: the part begins at row 3, where the
    // part before it will end, so it need not be read again.
    const std::string data =
        "id,comment,score\n1,plain,5\n2,\"first line\nsecond, line\nthird\",4\n3,last,3\n";
    auto reader = CsvReader::from_string(data, "t.csv");
    auto part = reader->open_part(1 << 16);
    part->restart_part(data.find("first line") + 3, data.size(), true, {});
    CHECK(part->offset() == data.find("3,last"));
    CsvRecord record;
    REQUIRE(part->next(record));
    CHECK(record.fields == std::vector<std::string_view>{"3", "last", "3"});

    // A guess at a true record start stays there.
    part->restart_part(data.find("1,plain"), data.size(), true, {});
    CHECK(part->offset() == data.find("1,plain"));
    // Where no line start within reach reads with the header's width (a ragged file), the first is kept.
    const std::string ragged = "a,b,c\n1,2\n3,4\n5,6\n7,8\n";
    auto ragged_reader = CsvReader::from_string(ragged, "r.csv");
    auto ragged_part = ragged_reader->open_part(1 << 16);
    ragged_part->restart_part(ragged.find("1,2") + 1, ragged.size(), true, {});
    CHECK(ragged_part->offset() == ragged.find("3,4"));
}
