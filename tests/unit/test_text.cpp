#include <catch2/catch.hpp>

#include "csat/error.hpp"
#include "csat/text.hpp"

using namespace csat;

TEST_CASE("fold_name meets labels and snake_case", "[text]") {
    CHECK(fold_name("  Date/Time Closed ") == "date_time_closed");
    CHECK(fold_name("date_time_closed") == "date_time_closed");
    CHECK(fold_name("Case Number") == "case_number");
    CHECK(fold_name("ClosedDate") == "closeddate");
}

TEST_CASE("escape_control shows controls, C1 and bidi overrides as escapes", "[text]") {
    CHECK(escape_control("a\tb\nc") == "a\\tb\\nc");
    CHECK(escape_control("\x1b]52;c;aGk=\x07") == "\\x1b]52;c;aGk=\\x07");
    CHECK(escape_control("x\u202Ey") == "x\\u202ey");
    CHECK(escape_control("\xc2\x9b") == "\\u009b");
    CHECK(escape_control("caf\xc3\xa9") == "caf\xc3\xa9");
    CHECK(escape_control("bad\xff") == "bad\\xff");
}

TEST_CASE("display_width counts wide characters twice", "[text]") {
    CHECK(display_width("abc") == 3);
    CHECK(display_width("\xe6\x97\xa5\xe6\x9c\xac") == 4);  // 日本
    CHECK(display_width("e\xcc\x81") == 1);                 // e + combining acute
}

TEST_CASE("group_thousands is locale-free", "[text]") {
    CHECK(group_thousands(0) == "0");
    CHECK(group_thousands(999) == "999");
    CHECK(group_thousands(1000) == "1,000");
    CHECK(group_thousands(-1234567) == "-1,234,567");
}

TEST_CASE("Error renders file:line:column, message and hint", "[error]") {
    Error e(ErrorKind::data, SourcePos{"", 14, 5}, "column 'csat': expected a score 1-5, found 'N/A'",
            "treat it as no answer with --na-values N/A");
    e.with_file("responses.csv");
    CHECK(e.render() ==
          "csat: error: responses.csv:14:5: column 'csat': expected a score 1-5, found 'N/A'\n"
          "  hint: treat it as no answer with --na-values N/A\n");
    CHECK(exit_code(e.kind()) == 3);
    CHECK(exit_code(ErrorKind::usage) == 2);
    CHECK(exit_code(ErrorKind::io) == 4);
}
