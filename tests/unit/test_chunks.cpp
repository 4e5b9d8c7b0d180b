// Reading a file on several threads: the chunk boundaries are guesses (a line start after a fixed offset), so
// every test here cuts tiny chunks, where most guesses land inside a quoted field, after a blank line or in
// the middle of a CRLF, and checks that the whole result (groups, accounting with its sample lines, rejects,
// notes, details, the first error) is the one a single thread gives.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <random>
#include <sstream>

#include "csat/error.hpp"
#include "csat/job.hpp"

using namespace csat;

namespace {

std::string stats_text(const GroupStats& s) {
    return fmt::format(
        "cases={} responded={} responses={} csat={}/{}/{} sum={} sq={} nps={}/{}/{} ces={}/{}/{}/{}", s.cases,
        s.responded, s.responses, s.csat_n, s.csat_positive, s.csat_value_n, s.csat_sum, s.csat_sum_sq,
        s.nps_n, s.promoters, s.detractors, s.ces_n, s.ces_easy, s.ces_sum, s.ces_sum_sq);
}

std::string lines_text(const LineSample& s) {
    std::string out = fmt::format("{} [", s.count);
    for (std::uint64_t l : s.first_lines) {
        out += fmt::format(" {}", l);
    }
    return out + " ]";
}

// Everything a command can show of a run, as text, so that two runs compare in one CHECK.
std::string describe(const JobOptions& o) {
    std::ostringstream out;
    try {
        JobResult r = run_job(o);
        out << "total " << stats_text(r.total) << "\n";
        for (const GroupResult& g : r.groups) {
            for (const std::string& k : g.key) {
                out << k << "|";
            }
            out << " " << stats_text(g.stats) << "\n";
        }
        for (const FileAccount& f : r.accounting.files) {
            out << f.path << " read=" << f.rows_read << " used=" << f.used << " blank=" << f.blank_lines
                << " footer=" << f.footer_lines << " headers=" << f.repeated_headers
                << " kept=" << f.orphans_kept << "\n";
            for (const auto& [fate, sample] : f.excluded) {
                out << "  " << row_fate_name(fate) << " " << lines_text(sample) << "\n";
            }
        }
        for (const auto* list : {&r.accounting.invalid, &r.accounting.findings}) {
            for (const InvalidValues& v : *list) {
                out << v.file << " " << v.metric << " " << v.column << " " << lines_text(v.sample) << " '"
                    << v.first_value << "' " << v.first_reason << "\n";
            }
        }
        for (const Reject& j : r.accounting.rejects) {
            out << "reject " << j.file << ":" << j.line << " " << j.reason << " " << j.detail << "\n";
        }
        for (const std::string& n : r.notes) {
            out << "note " << n << "\n";
        }
        for (const ResponseDetail& d : r.details) {
            out << "detail " << d.case_id << " " << d.file << ":" << d.line << " " << d.csat_text << " '"
                << d.comment << "'\n";
        }
        if (r.first_day) {
            out << "days " << *r.first_day << " " << *r.last_day << "\n";
        }
        out << "rate base " << r.rate_base << "\n";
    } catch (const Error& e) {
        out << "error " << e.located_message() << " / " << e.hint() << "\n";
    }
    return out.str();
}

JobOptions base_options(const std::string& cases, const std::string& responses) {
    JobOptions o;
    o.csat_scale = csat_scale("1-5", std::nullopt);
    o.ces_scale = ces_scale("1-7", std::nullopt);
    o.cases_files = {"cases.csv"};
    o.in_memory_files["cases.csv"] = cases;
    if (!responses.empty()) {
        o.responses_files = {"responses.csv"};
        o.in_memory_files["responses.csv"] = responses;
    }
    o.collect_rejects = true;
    return o;
}

// The result with one thread, and the same with 2 and 3 threads at many chunk sizes.
void check_all_splits(JobOptions o) {
    o.threads = 1;
    const std::string reference = describe(o);
    for (unsigned threads : {2u, 3u}) {
        for (std::uint64_t chunk : {1u, 2u, 3u, 5u, 7u, 11u, 16u, 29u, 64u, 200u}) {
            o.threads = threads;
            o.chunk_bytes = chunk;
            INFO("threads " << threads << ", chunk " << chunk << " bytes");
            REQUIRE(describe(o) == reference);
        }
    }
}

const std::string k_cases =
    "case_id,subject,agent,status,created_at,closed_at\n"
    "C1,\"Line one\nline two, with a comma\",Ana,Closed,2026-03-02 09:00:00,2026-03-02 10:00:00\n"
    "C2,Plain,Ana,Closed,2026-03-02 09:00:00,2026-03-03 10:00:00\r\n"
    "C3,\"He said \"\"no\"\"\r\nthen yes\",Ben,Closed,2026-03-04 09:00:00,2026-03-04 12:00:00\n"
    "\n"
    "C4,Open one,Ben,Open,2026-03-05 09:00:00,\n"
    "C2,Plain,Ana,Closed,2026-03-02 09:00:00,2026-03-03 10:00:00\n"
    "case_id,subject,agent,status,created_at,closed_at\n"
    ",No ID,Cy,Closed,2026-03-06 09:00:00,2026-03-06 10:00:00\n"
    "C5,Bad date,Cy,Closed,2026-03-06 09:00:00,not a date\n"
    "C6,\"\",Cy,Closed,2026-03-07 09:00:00,2026-03-07 10:00:00\n";

const std::string k_responses =
    "response_id,case_id,submitted_at,csat,nps,comment\n"
    "R1,C1,2026-03-02 11:00:00,5,10,\"Great,\nthanks\"\n"
    "R2,C3,2026-03-04 13:00:00,2,3,\"Slow \"\"fix\"\"\"\n"
    "R3,C9,2026-03-04 13:00:00,4,8,orphan\n"
    "R4,C1,2026-03-03 11:00:00,3,7,second answer\r\n"
    "R5,C2,2026-03-01 08:00:00,4,9,before its case\n"
    "R6,C4,2026-03-05 10:00:00,N/A,,\n"
    "R7,C6,2026-03-07 11:00:00,7,5,out of range\n"
    "R8,,2026-03-07 11:00:00,5,10,no case id\n";

}  // namespace

TEST_CASE("split reading gives the one-thread result: quoted line breaks, CRLF, repeats, rejects",
          "[chunks]") {
    JobOptions o = base_options(k_cases, k_responses);
    o.by = {"agent"};
    o.period = Period::week;
    check_all_splits(o);
    o.duplicates = DuplicatePolicy::all;
    o.keep_orphans = true;
    check_all_splits(o);
    o.duplicates = DuplicatePolicy::first;
    o.details = DetailRule{3, true};
    check_all_splits(o);
}

TEST_CASE("split reading gives the one-thread result for the first error, under --strict and for bad rows",
          "[chunks]") {
    JobOptions strict = base_options(k_cases, k_responses);
    strict.strict = true;
    check_all_splits(strict);
    // A ragged row mid-file, failing and skipped; an unterminated quote at the end.
    const std::string ragged =
        "case_id,agent,status\nC1,Ana,Closed\nC2,Ana\nC3,\"Ben\nB\",Closed\nC4,Cy,Closed,extra\n";
    JobOptions fail = base_options(ragged, "");
    fail.in_memory_files["cases.csv"] = ragged;
    fail.responses_files = {"r.csv"};
    fail.in_memory_files["r.csv"] = "case_id,csat\nC1,5\nC3,4\n";
    check_all_splits(fail);
    fail.on_error = OnError::skip;
    check_all_splits(fail);
    JobOptions open_quote = fail;
    open_quote.in_memory_files["cases.csv"] = ragged + "C5,\"never closed,Closed\nC6,Dee,Closed\n";
    check_all_splits(open_quote);
}

TEST_CASE("split reading keeps Salesforce footers, blank lines and conflicting repeats as one thread does",
          "[chunks]") {
    const std::string sf =
        "\"Case Number\",\"Case Owner\",\"Status\",\"Date/Time Closed\"\n"
        "\"00001\",\"Ana\",\"Closed\",\"3/2/2026 10:00 AM\"\n"
        "\"00002\",\"Ben\",\"Closed\",\"3/14/2026 2:22 PM\"\n"
        "\n"
        "\n"
        "\"Grand Totals (2 records)\"\n"
        "\n"
        "\"Confidential Information - Do Not Distribute\"\n"
        "\"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved.\"\n";
    JobOptions o =
        base_options(sf, "\"Case Number\",\"Satisfaction\"\n\"00001\",5\n\"00002\",\"Very satisfied\"\n");
    o.by = {"agent"};
    check_all_splits(o);
    JobOptions conflict = base_options("case_id,agent,status\nC1,Ana,Closed\nC2,Ben,Closed\nC1,Ben,Closed\n",
                                       "case_id,csat\nC1,5\n");
    check_all_splits(conflict);
    conflict.count_case_conflicts = true;
    conflict.collect_findings = true;
    check_all_splits(conflict);
}

TEST_CASE("split reading of random files gives the one-thread result", "[chunks]") {
    std::mt19937 rng(20261201);
    const char* agents[] = {"Ana", "Ben", "\"Cy, Jr\"", "\"D\"\"E\"", ""};
    const char* statuses[] = {"Closed", "Open", "closed ", "Solved"};
    const char* ends[] = {"\n", "\r\n", "\n\n"};
    for (int file = 0; file < 15; ++file) {
        std::string cases = "case_id,agent,status,closed_at,note\n";
        std::string responses = "case_id,csat,comment\n";
        int n = 1 + static_cast<int>(rng() % 40);
        for (int i = 0; i < n; ++i) {
            int id = static_cast<int>(rng() % 30);
            cases += fmt::format("C{},{},{},2026-0{}-1{} 10:00:00,\"n{}\nx\"{}", id, agents[rng() % 5],
                                 statuses[rng() % 4], 1 + rng() % 9, rng() % 10, i, ends[rng() % 3]);
            if (rng() % 2 == 0) {
                responses += fmt::format("C{},{},\"c,{}\r\nz\"{}", rng() % 35, rng() % 7, i, ends[rng() % 3]);
            }
        }
        JobOptions o = base_options(cases, responses);
        o.by = {"agent"};
        o.period = Period::month;
        o.on_error = OnError::skip;
        o.count_case_conflicts = true;
        INFO(cases << "\n---\n" << responses);
        check_all_splits(o);
    }
}

TEST_CASE("split reading gives the one-thread result for one file as both, responses only, and other options",
          "[chunks]") {
    // A Zendesk-style ticket export carries its score: the cases file is also the responses file.
    const std::string tickets =
        "ID,Assignee,Group,Status,Created at,Solved at,Satisfaction Score,Comment\n"
        "1,Ana,Billing,Solved,2026-03-02 09:00:00,2026-03-02 10:00:00,Offered,\n"
        "2,Ana,Billing,Solved,2026-03-02 09:00:00,2026-03-03 10:00:00,5,\"fine,\nthanks\"\n"
        "3,Ben,Returns,Open,2026-03-04 09:00:00,1900-01-01 00:00:00,,\n"
        "2,Ana,Billing,Solved,2026-03-02 09:00:00,2026-03-03 10:00:00,5,\"fine,\nthanks\"\n"
        "4,Ben,Returns,Solved,2026-03-05 09:00:00,2026-03-05 11:00:00,bad,\"slow\"\n"
        "5,Cy,Billing,Solved,2026-03-06 09:00:00,2026-03-06 10:00:00,Not Offered,\n"
        "6,Cy,Returns,Solved,2026-03-29 01:30:00,2026-03-29 03:30:00,good,\n";
    JobOptions single;
    single.csat_scale = csat_scale("1-5", std::nullopt);
    single.ces_scale = ces_scale("1-7", std::nullopt);
    single.cases_files = {"tickets.csv"};
    single.in_memory_files["tickets.csv"] = tickets;
    single.collect_rejects = true;
    single.by = {"agent", "queue"};
    single.period = Period::day;
    single.tz = "Europe/Berlin";
    check_all_splits(single);
    single.details = DetailRule{2, false};
    single.date_basis = DateBasis::response;
    check_all_splits(single);

    // Responses only: the cases come from the response rows' IDs.
    JobOptions only;
    only.csat_scale = csat_scale("1-5", std::nullopt);
    only.ces_scale = ces_scale("1-7", std::nullopt);
    only.responses_files = {"responses.csv"};
    only.in_memory_files["responses.csv"] = k_responses;
    only.collect_rejects = true;
    only.period = Period::week;
    check_all_splits(only);

    // A responses column as a group key, --where on both files, --since/--until.
    JobOptions rest = base_options(k_cases, k_responses);
    rest.by = {"comment"};
    rest.where = {WhereFilter{"agent", {"Ana", "Ben"}}, WhereFilter{"nps", {"10", "3", "7", "9"}}};
    rest.since_day = days_from_civil(2026, 3, 2);
    rest.until_day = days_from_civil(2026, 3, 4);
    check_all_splits(rest);
}

TEST_CASE("split reading settles day-first dates as one thread does, also when the proof comes late",
          "[chunks]") {
    std::string cases = "case_id,agent,status,closed_at\n";
    for (int i = 1; i <= 40; ++i) {
        cases += fmt::format("C{},A{},Closed,0{}/0{}/2026 10:00\n", i, i % 3, 1 + i % 9, 1 + (i * 7) % 9);
    }
    cases += "C99,A1,Closed,25/04/2026 10:00\n";  // the only value that settles the order: day first
    JobOptions o = base_options(cases, "case_id,csat\nC1,5\nC99,4\n");
    o.by = {"agent"};
    o.period = Period::month;
    check_all_splits(o);
}

TEST_CASE("a million cases and more: the two-thread aggregation and release give the one-thread result",
          "[chunks]") {
    // Past k_parallel_cases (2^20) the aggregation counts each half of the cases on its own thread, and the
    // case table is freed on two threads; past k_parallel_responses (2^17) stored responses (the default
    // --duplicates latest) are counted on two threads too. All only with --threads above 1.
    constexpr int k_cases_n = (1 << 20) + 4321;
    std::string cases = "case_id,agent,status,closed_at\n";
    std::string responses = "case_id,csat\n";
    cases.reserve(std::size_t{k_cases_n} * 40);
    const char* agents[] = {"Ana", "Ben", "Cy"};
    const char* statuses[] = {"Closed", "Open", "Solved"};
    for (int i = 0; i < k_cases_n; ++i) {
        // Agent and status cycle with different periods, so each half of the cases has its own mix.
        cases += fmt::format("C{},{},{},2026-0{}-1{} 10:00:00\n", i, agents[(i / 7) % 3], statuses[i % 3],
                             1 + (i / 100000) % 9, i % 10);
        if (i % 5 == 0) {
            responses += fmt::format("C{},{}\n", i, 1 + i % 5);
        }
        if (i % 35 == 0) {
            responses += fmt::format("C{},{}\n", i, 5);  // a second answer: the latest (this one) counts
        }
    }
    responses += "C-none,4\n";  // an orphan, kept below
    JobOptions o = base_options(cases, responses);
    o.by = {"agent"};
    o.keep_orphans = true;
    o.threads = 1;
    const std::string reference = describe(o);
    // By hand for the total: cases 0..N-1 with i % 3 != 1 are closed (Closed or Solved); responses for
    // i % 5 == 0, of which those with i % 3 != 1 are on eligible cases.
    std::uint64_t closed = 0;
    std::uint64_t responded = 0;
    for (int i = 0; i < k_cases_n; ++i) {
        closed += i % 3 != 1 ? 1u : 0u;
        responded += (i % 3 != 1 && i % 5 == 0) ? 1u : 0u;
    }
    // Responses: one per i % 5 == 0 (the second answers replace the first) and the orphan; CSAT positive
    // (4-5): i % 5 == 0 gives a score of 1, and the i % 35 == 0 ones were replaced by 5, plus the orphan's 4.
    const std::uint64_t answered = (k_cases_n + 4) / 5;
    const std::uint64_t replaced = (k_cases_n + 34) / 35;
    CHECK_THAT(reference,
               Catch::Contains(fmt::format("total cases={} responded={} responses={} csat={}/{}/", closed,
                                           responded, answered + 1, answered + 1, replaced + 1)));
    o.threads = 2;
    o.chunk_bytes = 1 << 16;
    CHECK(describe(o) == reference);
}
