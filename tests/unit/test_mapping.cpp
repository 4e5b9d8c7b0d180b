#include <catch2/catch.hpp>

#include "csat/error.hpp"
#include "csat/mapping.hpp"

using namespace csat;

namespace {

std::string mapped(const ColumnMap& map, Role role, const std::vector<std::string>& header) {
    return map.has(role) ? header[*map.get(role)] : std::string("-");
}

}  // namespace

TEST_CASE("Salesforce report labels are detected", "[mapping]") {
    std::vector<std::string> h{"Case Number",      "Case Owner",  "Subject",     "Status",
                               "Priority",         "Case Origin", "Type",        "Date/Time Opened",
                               "Date/Time Closed", "Closed",      "Account Name"};
    ColumnMap m = map_columns(h, FileKind::cases, Preset::auto_detect, {}, "sf.csv");
    CHECK(m.preset == Preset::salesforce);
    CHECK(mapped(m, Role::case_id, h) == "Case Number");
    CHECK(mapped(m, Role::agent, h) == "Case Owner");
    CHECK(mapped(m, Role::case_type, h) == "Type");
    CHECK(mapped(m, Role::channel, h) == "Case Origin");
    CHECK(mapped(m, Role::created_at, h) == "Date/Time Opened");
    CHECK(mapped(m, Role::closed_at, h) == "Date/Time Closed");
    CHECK(mapped(m, Role::is_closed, h) == "Closed");
    CHECK(mapped(m, Role::account, h) == "Account Name");
}

TEST_CASE("Salesforce Data Export API names are detected", "[mapping]") {
    std::vector<std::string> h{"Id",     "CaseNumber", "OwnerId",    "Type",        "Status",
                               "Origin", "IsClosed",   "ClosedDate", "CreatedDate", "AccountId"};
    ColumnMap m = map_columns(h, FileKind::cases, Preset::auto_detect, {}, "Case.csv");
    CHECK(m.preset == Preset::salesforce);
    CHECK(mapped(m, Role::case_id, h) == "CaseNumber");
    CHECK(mapped(m, Role::agent, h) == "OwnerId");
    CHECK(mapped(m, Role::closed_at, h) == "ClosedDate");
    CHECK(mapped(m, Role::is_closed, h) == "IsClosed");
}

TEST_CASE("Zendesk ticket export maps both roles from one header", "[mapping]") {
    std::vector<std::string> h{"ID",     "Requester",   "Assignee",   "Group",     "Subject",
                               "Status", "Ticket type", "Created at", "Solved at", "Satisfaction Score"};
    ColumnMap c = map_columns(h, FileKind::cases, Preset::auto_detect, {}, "z.csv");
    ColumnMap r = map_columns(h, FileKind::responses, Preset::auto_detect, {}, "z.csv");
    CHECK(c.preset == Preset::zendesk);
    CHECK(mapped(c, Role::case_id, h) == "ID");
    CHECK(mapped(c, Role::agent, h) == "Assignee");
    CHECK(mapped(c, Role::queue, h) == "Group");
    CHECK(mapped(c, Role::case_type, h) == "Ticket type");
    CHECK(mapped(c, Role::closed_at, h) == "Solved at");
    CHECK(mapped(r, Role::csat, h) == "Satisfaction Score");
    CHECK(mapped(r, Role::case_id, h) == "ID");
}

TEST_CASE("Freshdesk export and casing differences", "[mapping]") {
    std::vector<std::string> h{"Ticket Id", "Subject",      "STATUS",      "Type",          "Agent",
                               "Group",     "Created time", "Closed time", "Survey results"};
    ColumnMap c = map_columns(h, FileKind::cases, Preset::auto_detect, {}, "f.csv");
    ColumnMap r = map_columns(h, FileKind::responses, Preset::auto_detect, {}, "f.csv");
    CHECK(c.preset == Preset::freshdesk);
    CHECK(mapped(c, Role::case_id, h) == "Ticket Id");
    CHECK(mapped(c, Role::status, h) == "STATUS");
    CHECK(mapped(c, Role::closed_at, h) == "Closed time");
    CHECK(mapped(r, Role::csat, h) == "Survey results");
}

TEST_CASE("snake_case generic names", "[mapping]") {
    std::vector<std::string> h{"response_id", "case_id", "submitted_at", "csat", "nps", "ces", "comment"};
    ColumnMap r = map_columns(h, FileKind::responses, Preset::auto_detect, {}, "r.csv");
    CHECK(r.preset == Preset::generic);
    CHECK(mapped(r, Role::response_id, h) == "response_id");
    CHECK(mapped(r, Role::submitted_at, h) == "submitted_at");
    CHECK(mapped(r, Role::ces, h) == "ces");
}

TEST_CASE("column overrides win, scoped or not, and a bad one is a usage error", "[mapping]") {
    std::vector<std::string> h{"Ticket Number", "Owner", "Score"};
    auto o1 = parse_column_override("case_id=Ticket Number");
    auto o2 = parse_column_override("responses:csat= Score ");
    CHECK(o2.scope == FileKind::responses);
    CHECK(o2.header == "Score");
    ColumnMap c = map_columns(h, FileKind::cases, Preset::auto_detect, {o1, o2}, "x.csv");
    ColumnMap r = map_columns(h, FileKind::responses, Preset::auto_detect, {o1, o2}, "x.csv");
    CHECK(mapped(c, Role::case_id, h) == "Ticket Number");
    CHECK(c.overridden[static_cast<std::size_t>(Role::case_id)]);
    CHECK(mapped(r, Role::csat, h) == "Score");
    CHECK_THROWS_WITH(parse_column_override("bogus=X"), Catch::Contains("unknown role 'bogus'"));
    CHECK_THROWS_WITH(parse_column_override("csat"), Catch::Contains("expected ROLE=HEADER"));
    auto missing = parse_column_override("cases:agent=Nope");
    CHECK_THROWS_WITH(
        map_columns(h, FileKind::cases, Preset::auto_detect, {missing}, "x.csv"),
        "x.csv: --col agent=Nope: no such header; headers are: 'Ticket Number', 'Owner', 'Score'");
}

TEST_CASE("a forced preset does not borrow another export's names", "[mapping]") {
    std::vector<std::string> h{"Case Number", "Assignee", "Date/Time Closed"};
    ColumnMap forced = map_columns(h, FileKind::cases, Preset::zendesk, {}, "x.csv");
    CHECK(forced.preset == Preset::zendesk);
    CHECK(mapped(forced, Role::agent, h) == "Assignee");
    CHECK(mapped(forced, Role::case_id, h) == "Case Number");  // generic snake_case case_number still applies
    CHECK_FALSE(forced.has(Role::closed_at));                  // a Salesforce label, not used under zendesk
    ColumnMap detected = map_columns(h, FileKind::cases, Preset::auto_detect, {}, "x.csv");
    CHECK(mapped(detected, Role::closed_at, h) == "Date/Time Closed");
}
