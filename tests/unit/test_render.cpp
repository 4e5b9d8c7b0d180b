// Renderers on a hand-built view: whole outputs asserted, plus the escaping each target needs.
#include <catch2/catch.hpp>

#include "csat/render.hpp"
#include "render/cells.hpp"

using namespace csat;

namespace {

ReportView sample_view() {
    ReportView v;
    v.key_names = {"agent"};
    v.grouped = true;
    v.columns = {find_metric("cases"),        find_metric("csat_n"),        find_metric("csat_pct"),
                 find_metric("csat_pct_low"), find_metric("csat_pct_high"), find_metric("csat_avg")};
    v.headline_metric = "csat";
    v.min_n = 30;
    ViewRow a;
    a.key = {"=HYPERLINK(\"x\")"};
    // 9 positive of 10: 90%, Wilson 59.6-98.2 (domain reference), mean 4.3.
    a.values = {1200.0, 10.0, 90.0, 59.58499, 98.21238, 4.3};
    a.n = 10;
    a.low_n = true;
    ViewRow b;
    b.key = {"Ben\x1b[31m|"};
    b.values = {40.0, 0.0, std::nullopt, std::nullopt, std::nullopt, std::nullopt};
    b.n = 0;
    b.low_n = true;
    v.rows = {a, b};
    v.total.is_total = true;
    v.total.values = {1240.0, 10.0, 90.0, 59.58499, 98.21238, 4.3};
    v.total.n = 10;
    v.total.low_n = true;
    return v;
}

}  // namespace

TEST_CASE("table aligns, groups thousands, merges the interval and escapes control bytes", "[render]") {
    std::string out = render_table(sample_view(), RenderOptions{});
    CHECK(out ==
          "agent            cases  CSAT n  CSAT %     95% CI   avg  flags\n"
          "=HYPERLINK(\"x\")  1,200      10    90.0  59.6-98.2  4.30  low n\n"
          "Ben\\x1b[31m|        40       0     n/a        n/a   n/a  low n\n"
          "--------------------------------------------------------------\n"
          "Total            1,240      10    90.0  59.6-98.2  4.30  low n\n"
          "\n"
          "low n: fewer than 30 CSAT answers; read the interval, not the score\n");
}

TEST_CASE("CSV keeps plain numbers and neutralises formula cells", "[render]") {
    RenderOptions o;
    std::string out = render_csv(sample_view(), o);
    CHECK(out ==
          "agent,cases,csat_n,csat_pct,csat_pct_low,csat_pct_high,csat_avg,n,low_n,low_rate\n"
          "\"'=HYPERLINK(\"\"x\"\")\",1200,10,90,59.58499,98.21238,4.3,10,true,false\n"
          "Ben\x1b[31m|,40,0,,,,,0,true,false\n"
          "(total),1240,10,90,59.58499,98.21238,4.3,10,true,false\n");
    o.sanitize = false;
    CHECK(render_csv(sample_view(), o).find("\"=HYPERLINK(\"\"x\"\")\"") != std::string::npos);
}

TEST_CASE("markdown escapes pipes and HTML", "[render]") {
    std::string out = render_markdown(sample_view(), RenderOptions{});
    CHECK(out.find("| Ben\\\\x1b\\[31m\\| | 40 |") != std::string::npos);
    CHECK(out.find("| =HYPERLINK(\"x\") | 1,200 | 10 | 90.0 | 59.6-98.2 | 4.30 | low n |") !=
          std::string::npos);
    CHECK(out.find("| **Total** |") != std::string::npos);
}

TEST_CASE("JSON has null for n/a and escapes strings", "[render]") {
    std::string out = render_json(sample_view(), RenderOptions{false, true, "test"});
    CHECK(out.find("\"agent\": \"Ben\\u001b[31m|\"") != std::string::npos);
    CHECK(out.find("\"csat_pct\": null") != std::string::npos);
    CHECK(out.find("\"csat_pct\": 90,") != std::string::npos);
    CHECK(out.find("NaN") == std::string::npos);
}

TEST_CASE("cell helpers", "[render]") {
    CHECK(render::csv_cell("+1 555", ',', true) == "'+1 555");
    CHECK(render::csv_cell("@SUM(A1)", ',', true) == "'@SUM(A1)");
    CHECK(render::csv_cell("-x", ',', true) == "'-x");
    CHECK(render::csv_cell("\tx", ',', true) == "'\tx");
    CHECK(render::csv_cell("a,b", ',', true) == "\"a,b\"");
    CHECK(render::csv_cell("line\nbreak", ',', false) == "\"line\nbreak\"");
    CHECK(render::exact_value(85.71428571428571) == "85.71428571428571");
    CHECK(render::exact_value(100.0) == "100");
    CHECK(render::display_value(-12.5, MetricUnit::nps) == "-12.5");
    CHECK(render::display_value(12.5, MetricUnit::nps) == "+12.5");
    CHECK(render::display_value(std::nullopt, MetricUnit::percent) == "n/a");
    CHECK(render::html_escape("<b>&\"'") == "&lt;b&gt;&amp;&quot;&#39;");
    // Escapes at the start, the middle and the end of a string, and runs of plain text between them.
    CHECK(render::json_string("") == "\"\"");
    CHECK(render::json_string("\"a\\b\"") == "\"\\\"a\\\\b\\\"\"");
    CHECK(render::json_string("x\ny\rz\t<script>\x01\x7f caf\xc3\xa9") ==
          "\"x\\ny\\rz\\t\\u003cscript>\\u0001\\u007f caf\xc3\xa9\"");
    // A cell that is a formula and needs quotes gets both, the quote mark inside them.
    CHECK(render::csv_cell("=1,2", ',', true) == "\"'=1,2\"");
    CHECK(render::csv_cell(" padded ", ',', true) == "\" padded \"");
    CHECK(render::csv_cell("-x ", ',', true) == "\"'-x \"");
    CHECK(render::csv_cell("say \"hi\"", ',', false) == "\"say \"\"hi\"\"\"");
}
