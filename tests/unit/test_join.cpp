// The pipeline end to end on in-memory files: join policies, accounting, eligibility and the case/response
// edge cases of issue 3. Each expected figure is counted by hand from the rows in the test.
#include <catch2/catch.hpp>

#include "csat/error.hpp"
#include "csat/job.hpp"

using namespace csat;

namespace {

JobOptions options(std::string cases, std::string responses) {
    JobOptions o;
    o.csat_scale = csat_scale("1-5", std::nullopt);
    o.ces_scale = ces_scale("1-7", std::nullopt);
    if (!cases.empty()) {
        o.cases_files = {"cases.csv"};
        o.in_memory_files["cases.csv"] = std::move(cases);
    }
    if (!responses.empty()) {
        o.responses_files = {"responses.csv"};
        o.in_memory_files["responses.csv"] = std::move(responses);
    }
    return o;
}

const std::string k_cases =
    "case_id,agent,status,created_at,closed_at\n"
    "C1,Ana,Closed,2026-03-02 09:00,2026-03-02 10:00\n"
    "C2,Ana,Closed,2026-03-02 09:00,2026-03-03 10:00\n"
    "C3,Ben,Closed,2026-03-04 09:00,2026-03-04 12:00\n"
    "C4,Ben,Open,2026-03-05 09:00,\n";

const GroupResult& group(const JobResult& r, const std::string& key) {
    for (const GroupResult& g : r.groups) {
        if (g.key.front() == key) {
            return g;
        }
    }
    FAIL("no group " << key);
    return r.groups.front();
}

std::uint64_t excluded(const JobResult& r, std::size_t file, RowFate fate) {
    auto it = r.accounting.files[file].excluded.find(fate);
    return it == r.accounting.files[file].excluded.end() ? 0 : it->second.count;
}

}  // namespace

TEST_CASE("join counts eligible cases, responded cases and scores per group", "[join]") {
    JobOptions o = options(k_cases,
                           "response_id,case_id,submitted_at,csat,nps\n"
                           "R1,C1,2026-03-02 11:00,5,10\n"
                           "R2,C3,2026-03-04 13:00,3,6\n"
                           "R3,C4,2026-03-05 10:00,4,8\n");
    o.by = {"agent"};
    JobResult r = run_job(o);
    // Closed cases: C1, C2 (Ana), C3 (Ben); C4 is open and not eligible but its answer still counts in CSAT.
    CHECK(r.total.cases == 3);
    CHECK(r.total.responded == 2);  // C1 and C3
    CHECK(r.total.responses == 3);
    CHECK(r.total.csat_n == 3);
    CHECK(r.total.csat_positive == 2);  // 5 and 4
    CHECK(r.total.csat_sum == 12);
    CHECK(r.total.promoters == 1);
    CHECK(r.total.detractors == 1);
    REQUIRE(r.groups.size() == 2);
    CHECK(group(r, "Ana").stats.cases == 2);
    CHECK(group(r, "Ana").stats.responded == 1);
    CHECK(group(r, "Ben").stats.cases == 1);
    CHECK(group(r, "Ben").stats.responses == 2);
    CHECK(r.rate_base == "closed cases");
    CHECK(r.accounting.files[0].used == 4);
    CHECK(r.accounting.files[1].used == 3);
}

TEST_CASE("duplicate responses follow --duplicates latest, first or all", "[join]") {
    const std::string responses =
        "response_id,case_id,submitted_at,csat\n"
        "R1,C1,2026-03-02 11:00,5\n"
        "R2,C1,2026-03-05 11:00,2\n"
        "R3,C1,2026-03-03 11:00,4\n";
    JobOptions o = options(k_cases, responses);
    SECTION("latest keeps the newest submission") {
        JobResult r = run_job(o);
        CHECK(r.total.responses == 1);
        CHECK(r.total.csat_sum == 2);
        CHECK(excluded(r, 1, RowFate::duplicate_response) == 2);
        CHECK(r.accounting.files[1].used == 1);
    }
    SECTION("first keeps the earliest") {
        o.duplicates = DuplicatePolicy::first;
        JobResult r = run_job(o);
        CHECK(r.total.csat_sum == 5);
        CHECK(excluded(r, 1, RowFate::duplicate_response) == 2);
    }
    SECTION("all counts every response but the case once") {
        o.duplicates = DuplicatePolicy::all;
        JobResult r = run_job(o);
        CHECK(r.total.responses == 3);
        CHECK(r.total.csat_sum == 11);
        CHECK(r.total.responded == 1);
    }
}

TEST_CASE("orphans are counted, and kept only with --keep-orphans", "[join]") {
    const std::string responses =
        "case_id,csat\n"
        "C1,5\n"
        "C9,1\n";
    JobOptions o = options(k_cases, responses);
    JobResult r = run_job(o);
    CHECK(r.total.csat_n == 1);
    CHECK(excluded(r, 1, RowFate::orphan) == 1);
    CHECK(r.accounting.files[1].excluded.at(RowFate::orphan).first_lines == std::vector<std::uint64_t>{3});
    o.keep_orphans = true;
    JobResult kept = run_job(o);
    CHECK(kept.total.csat_n == 2);
    CHECK(kept.total.responded == 1);
    CHECK(kept.accounting.files[1].orphans_kept == 1);
}

TEST_CASE("case IDs join as exact strings after trimming spaces", "[join]") {
    JobOptions o = options("case_id,status\n00123,Closed\n",
                           "case_id,csat\n"
                           "123,5\n"
                           " 00123 ,4\n");
    JobResult r = run_job(o);
    CHECK(r.total.csat_n == 1);
    CHECK(r.total.csat_sum == 4);
    CHECK(excluded(r, 1, RowFate::orphan) == 1);
}

TEST_CASE("numbered case IDs join as exact strings, also after one breaks the numbering", "[join]") {
    // 00123 sets the rule (five digits, no prefix); 123 breaks it, so the index moves to hashing at line 4.
    const std::string responses =
        "case_id,csat\n"
        "00124,5\n"   // case 00124
        "123,4\n"     // case 123, not 00123
        "0124,1\n"    // no such case: orphan
        "00126,2\n"   // no such case: orphan
        "00125,3\n";  // case 00125, indexed after the move
    for (bool broken : {false, true}) {
        std::string cases = "case_id,status\n00123,Closed\n00124,Closed\n";
        cases += broken ? "123,Closed\n" : "";
        cases += "00125,Closed\n00124,Closed\n";  // the last row repeats 00124 exactly
        JobResult r = run_job(options(cases, responses));
        INFO(cases);
        CHECK(r.total.cases == (broken ? 4 : 3));
        CHECK(excluded(r, 0, RowFate::duplicate_case) == 1);
        // Joined: 00124 (5) and 00125 (3), and 123 (4) when it is a case: n 3, sum 12; else n 2, sum 8.
        CHECK(r.total.csat_n == (broken ? 3 : 2));
        CHECK(r.total.csat_sum == (broken ? 12 : 8));
        CHECK(excluded(r, 1, RowFate::orphan) == (broken ? 2 : 3));
    }
}

TEST_CASE("a case ID twice: identical rows count once, conflicting rows are an error", "[join]") {
    JobOptions same = options("case_id,agent,status\nC1,Ana,Closed\nC1,Ana,Closed\n", "case_id,csat\nC1,5\n");
    JobResult r = run_job(same);
    CHECK(r.total.cases == 1);
    CHECK(excluded(r, 0, RowFate::duplicate_case) == 1);
    JobOptions clash =
        options("case_id,agent,status\nC1,Ana,Closed\nC1,Ben,Closed\n", "case_id,csat\nC1,5\n");
    try {
        run_job(clash);
        FAIL("expected an error");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::data);
        CHECK(e.located_message() ==
              "cases.csv:3:1: case ID 'C1' appears twice with different values (first at cases.csv:2)");
    }
    // The column of an ID in the second column, after a row without an ID and a ragged one (each of which has
    // its place in the batch's columns too), and with the close times kept (validate's findings).
    JobOptions later = options(
        "agent,case_id,status,closed_at\n"
        "Ana,C1,Closed,2026-03-02 10:00:00\n"
        "Bob,,Closed,2026-03-02 10:00:00\n"
        "Cy\n"
        "Dana,C1,Closed,2026-03-03 10:00:00\n",
        "case_id,csat\nC1,5\n");
    later.collect_findings = true;
    later.on_error = OnError::skip;
    try {
        run_job(later);
        FAIL("expected an error");
    } catch (const Error& e) {
        // "Dana," is five bytes: the ID starts at column 6.
        CHECK(e.located_message() ==
              "cases.csv:5:6: case ID 'C1' appears twice with different values (first at cases.csv:2)");
    }
}

TEST_CASE("a response dated before its case was created is a counted skip", "[join]") {
    JobOptions o = options(k_cases,
                           "case_id,submitted_at,csat\n"
                           "C1,2026-03-01 08:00,1\n"
                           "C2,2026-03-03 12:00,5\n");
    JobResult r = run_job(o);
    CHECK(r.total.csat_n == 1);
    CHECK(excluded(r, 1, RowFate::before_created) == 1);
    o.strict = true;
    CHECK_THROWS_AS(run_job(o), Error);
}

TEST_CASE("one file as cases and responses: Zendesk Offered feeds the response rate", "[join]") {
    JobOptions o = options(
        "ID,Assignee,Status,Solved at,Satisfaction Score\n"
        "1,Sam,Solved,2026-03-02 10:00:00,good\n"
        "2,Sam,Solved,2026-03-02 11:00:00,Offered\n"
        "3,Jo,Closed,2026-03-03 10:00:00,bad\n"
        "4,Jo,Closed,2026-03-03 12:00:00,\n"
        "5,Jo,Open,1900-01-01 00:00:00,Not Offered\n",
        "");
    JobResult r = run_job(o);
    // Surveyed = answered or offered: tickets 1, 2, 3. Responded: 1 and 3. good/bad carry no mean.
    CHECK(r.rate_base == "cases offered a survey");
    CHECK(r.total.cases == 3);
    CHECK(r.total.responded == 2);
    CHECK(r.total.csat_n == 2);
    CHECK(r.total.csat_positive == 1);
    CHECK(r.total.csat_value_n == 0);
    CHECK(r.accounting.files.size() == 1);
    CHECK(r.accounting.files[0].role == "cases+responses");
    CHECK(r.accounting.files[0].used == 5);
}

TEST_CASE("responses only: case metrics are n/a with a note", "[join]") {
    JobOptions o =
        options("", "case_id,submitted_at,csat\nC1,2026-03-02,5\nC1,2026-03-04,3\nC2,2026-03-02,4\n");
    JobResult r = run_job(o);
    CHECK_FALSE(r.has_cases);
    CHECK_FALSE(r.total_case_metrics);
    CHECK(r.total.csat_n == 2);  // C1 deduplicated to its latest answer
    CHECK(r.total.csat_sum == 7);
    REQUIRE(r.notes.size() == 1);
    CHECK(r.notes[0] == "no cases file: cases and response rate are n/a");
}

TEST_CASE("invalid scores are dropped from their metric only and counted", "[join]") {
    JobOptions o = options(k_cases,
                           "case_id,csat,nps\n"
                           "C1,4.5,9\n"
                           "C2,N/A,7\n"
                           "C3,6,10\n");
    JobResult r = run_job(o);
    CHECK(r.total.csat_n == 0);
    CHECK(r.total.nps_n == 3);
    CHECK(r.total.responded == 3);
    REQUIRE(r.accounting.invalid.size() == 1);
    CHECK(r.accounting.invalid[0].metric == "csat");
    CHECK(r.accounting.invalid[0].sample.count == 2);  // 4.5 and 6; N/A is no answer
    CHECK(r.accounting.invalid[0].sample.first_lines == std::vector<std::uint64_t>{2, 4});
    o.strict = true;
    try {
        run_job(o);
        FAIL("expected an error");
    } catch (const Error& e) {
        CHECK(e.located_message() == "responses.csv:2:4: column 'csat': expected a score 1-5, found '4.5'");
    }
}

TEST_CASE("where and since filters apply to cases, and their responses follow", "[join]") {
    JobOptions o = options(k_cases, "case_id,csat\nC1,5\nC2,4\nC3,1\n");
    o.where = {WhereFilter{"agent", {"Ben"}}};
    JobResult r = run_job(o);
    CHECK(r.total.cases == 1);
    CHECK(r.total.csat_n == 1);
    CHECK(excluded(r, 0, RowFate::filtered_where) == 2);
    CHECK(excluded(r, 1, RowFate::case_filtered) == 2);
    JobOptions d = options(k_cases, "case_id,csat\nC1,5\nC2,4\nC3,1\n");
    d.since_day = days_from_civil(2026, 3, 3);
    JobResult dr = run_job(d);
    // Closed on or after 2026-03-03: C2 and C3; C1 closed 03-02 and C4 has no close date.
    CHECK(dr.total.cases == 2);
    CHECK(dr.total.csat_sum == 5);
    CHECK(excluded(dr, 0, RowFate::filtered_date) == 2);
}

TEST_CASE("day-first dates are sniffed over the whole column, never guessed", "[join]") {
    JobOptions o = options(
        "case_id,status,closed_at\n"
        "C1,Closed,03/04/2026 10:00\n"
        "C2,Closed,25/04/2026 10:00\n",
        "case_id,csat\nC1,5\n");
    o.period = Period::month;
    JobResult r = run_job(o);
    // 25/04 proves day-first, so 03/04 is 3 April: both cases fall in 2026-04.
    REQUIRE(r.groups.size() == 1);
    CHECK(r.groups[0].key[0] == "2026-04");
    CHECK(r.groups[0].stats.cases == 2);
    JobOptions unclear = options("case_id,status,closed_at\nC1,Closed,03/04/2026\n", "case_id,csat\nC1,5\n");
    unclear.period = Period::month;
    try {
        run_job(unclear);
        FAIL("expected an error");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::usage);
        CHECK(e.hint() == "pass --date-order mdy (US: month/day) or --date-order dmy (day/month)");
    }
    // Without --period (and with a status column) the close date is not needed, so it is not read at all.
    unclear.period = Period::none;
    JobResult r2 = run_job(unclear);
    CHECK(r2.total.cases == 1);
    CHECK(r2.accounting.invalid.empty());
}

TEST_CASE("a missing required column names the headers, the closest match and the fix", "[join]") {
    JobOptions o = options("ticket,status\nC1,Closed\n", "case_id,csat\nC1,5\n");
    try {
        run_job(o);
        FAIL("expected an error");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::usage);
        CHECK(e.hint() == "closest header is 'ticket'; map it with --col cases:case_id=\"ticket\"");
    }
}

TEST_CASE("creation times far from the first case's still reject responses dated before them", "[join]") {
    // The case table keeps creation times as seconds from the first one (1930 here); 2026 is 96 years on,
    // beyond 32 bits of seconds, so C2's time is kept aside and must come back exactly.
    JobOptions o = options(
        "case_id,status,created_at\n"
        "C1,Closed,1930-05-01 10:00\n"
        "C2,Closed,2026-03-02 09:00\n"
        "C3,Closed,1931-01-01 00:00\n",
        "case_id,submitted_at,csat\n"
        "C1,1930-05-01 09:00,5\n"    // an hour before C1: rejected
        "C2,2026-03-02 08:59,4\n"    // a minute before C2: rejected
        "C2,2026-03-02 09:01,3\n"    // after: counted
        "C3,1931-01-01 00:00,2\n");  // the same second: counted
    o.collect_rejects = true;
    JobResult r = run_job(o);
    CHECK(excluded(r, 1, RowFate::before_created) == 2);
    CHECK(r.total.csat_n == 2);
    CHECK(r.total.csat_sum == 5);
    REQUIRE(r.accounting.rejects.size() >= 2);
    CHECK(r.accounting.rejects[1].detail ==
          "submitted 2026-03-02 08:59:00 before case 'C2' was created 2026-03-02 09:00:00");
}
