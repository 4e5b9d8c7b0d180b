#include "csat/mapping.hpp"

#include <algorithm>

#include "csat/error.hpp"
#include "csat/text.hpp"

namespace csat {

namespace {

struct RoleInfo {
    Role role;
    std::string_view name;
    bool cases;
    bool responses;
};

constexpr std::array<RoleInfo, k_role_count> k_roles{{
    {Role::case_id, "case_id", true, true},
    {Role::agent, "agent", true, false},
    {Role::queue, "queue", true, false},
    {Role::case_type, "case_type", true, false},
    {Role::channel, "channel", true, false},
    {Role::account, "account", true, false},
    {Role::status, "status", true, false},
    {Role::is_closed, "is_closed", true, false},
    {Role::created_at, "created_at", true, false},
    {Role::closed_at, "closed_at", true, false},
    {Role::survey_sent, "survey_sent", true, false},
    {Role::response_id, "response_id", false, true},
    {Role::submitted_at, "submitted_at", false, true},
    {Role::csat, "csat", false, true},
    {Role::nps, "nps", false, true},
    {Role::ces, "ces", false, true},
    {Role::comment, "comment", false, true},
}};

// Header names per preset and role, compared after fold_name(). The first match in a list wins, so the
// more specific names come first. Sources: ../docs/formats.md (Salesforce Case report labels and Data
// Export API names, Zendesk and Freshdesk ticket exports).
struct Alias {
    Role role;
    FileKind kind;
    std::vector<std::string_view> names;
};

const std::vector<Alias>& aliases(Preset preset) {
    static const std::vector<Alias> salesforce{
        {Role::case_id, FileKind::cases, {"Case Number", "CaseNumber", "Case ID", "Id"}},
        {Role::agent, FileKind::cases, {"Case Owner", "Owner Name", "Owner", "OwnerId"}},
        {Role::queue, FileKind::cases, {"Queue", "Owner Queue", "Case Queue"}},
        {Role::case_type, FileKind::cases, {"Type", "Case Type", "Case Reason", "Reason"}},
        {Role::channel, FileKind::cases, {"Case Origin", "Origin"}},
        {Role::account, FileKind::cases, {"Account Name", "AccountId"}},
        {Role::status, FileKind::cases, {"Status"}},
        {Role::is_closed, FileKind::cases, {"Closed", "IsClosed"}},
        {Role::created_at,
         FileKind::cases,
         {"Date/Time Opened", "Opened Date", "CreatedDate", "Created Date"}},
        {Role::closed_at, FileKind::cases, {"Date/Time Closed", "Closed Date", "ClosedDate"}},
        {Role::survey_sent, FileKind::cases, {"Survey Sent", "Survey_Sent__c"}},
        {Role::case_id, FileKind::responses, {"Case Number", "CaseNumber", "Case ID", "Case", "SubjectId"}},
        {Role::response_id, FileKind::responses, {"Response ID", "Survey Response ID", "ResponseId"}},
        {Role::submitted_at,
         FileKind::responses,
         {"Completion Date", "Response Date", "Submitted Date", "CompletionDateTime", "CreatedDate"}},
        {Role::csat,
         FileKind::responses,
         {"CSAT", "Satisfaction", "Satisfaction Score", "CSAT Score", "NumberValue"}},
        {Role::nps, FileKind::responses, {"NPS", "Likelihood to Recommend", "NPS Score"}},
        {Role::ces, FileKind::responses, {"CES", "Effort", "Customer Effort", "CES Score"}},
        {Role::comment, FileKind::responses, {"Comment", "Comments", "Feedback"}},
    };
    static const std::vector<Alias> zendesk{
        {Role::case_id, FileKind::cases, {"ID", "Ticket ID", "Ticket Id"}},
        {Role::agent, FileKind::cases, {"Assignee", "Assignee name"}},
        {Role::queue, FileKind::cases, {"Group", "Group name"}},
        {Role::case_type, FileKind::cases, {"Ticket type", "Type"}},
        {Role::channel, FileKind::cases, {"Via", "Channel"}},
        {Role::account, FileKind::cases, {"Organization", "Organization name"}},
        {Role::status, FileKind::cases, {"Status", "Ticket status"}},
        {Role::created_at, FileKind::cases, {"Created at", "Ticket created - Timestamp"}},
        {Role::closed_at, FileKind::cases, {"Solved at", "Ticket solved - Timestamp"}},
        {Role::case_id, FileKind::responses, {"Ticket ID", "Ticket Id", "ID"}},
        {Role::response_id, FileKind::responses, {"Satisfaction rating ID", "Rating ID"}},
        {Role::submitted_at, FileKind::responses, {"Satisfaction rated at", "Rated at", "Updated at"}},
        {Role::csat, FileKind::responses, {"Satisfaction Score", "Satisfaction", "Satisfaction rating"}},
        {Role::comment, FileKind::responses, {"Satisfaction Comment", "Satisfaction comment", "Comment"}},
    };
    static const std::vector<Alias> freshdesk{
        {Role::case_id, FileKind::cases, {"Ticket ID", "Ticket Id"}},
        {Role::agent, FileKind::cases, {"Agent", "Agent name"}},
        {Role::queue, FileKind::cases, {"Group", "Group name"}},
        {Role::case_type, FileKind::cases, {"Type", "Ticket type"}},
        {Role::channel, FileKind::cases, {"Source"}},
        {Role::account, FileKind::cases, {"Company", "Company Name"}},
        {Role::status, FileKind::cases, {"Status"}},
        {Role::created_at, FileKind::cases, {"Created time", "Created Time"}},
        {Role::closed_at, FileKind::cases, {"Closed time", "Resolved time"}},
        {Role::case_id, FileKind::responses, {"Ticket ID", "Ticket Id"}},
        {Role::response_id, FileKind::responses, {"Survey ID", "Rating ID"}},
        {Role::submitted_at, FileKind::responses, {"Survey time", "Rated time", "Created time"}},
        {Role::csat,
         FileKind::responses,
         {"Survey results", "Survey Result", "Customer Satisfaction", "Rating"}},
        {Role::comment, FileKind::responses, {"Feedback", "Survey comment"}},
    };
    static const std::vector<Alias> generic{
        {Role::case_id, FileKind::cases, {"case_id", "ticket_id", "case_number", "ticket_number", "id"}},
        {Role::agent, FileKind::cases, {"agent", "agent_name", "owner", "assignee", "case_owner"}},
        {Role::queue, FileKind::cases, {"queue", "group", "team"}},
        {Role::case_type, FileKind::cases, {"case_type", "ticket_type", "type", "category"}},
        {Role::channel, FileKind::cases, {"channel", "origin", "source", "via"}},
        {Role::account, FileKind::cases, {"account", "account_name", "organization", "company", "customer"}},
        {Role::status, FileKind::cases, {"status", "state"}},
        {Role::is_closed, FileKind::cases, {"is_closed", "closed"}},
        {Role::created_at, FileKind::cases, {"created_at", "created", "opened_at", "created_date"}},
        {Role::closed_at, FileKind::cases, {"closed_at", "solved_at", "resolved_at", "closed_date"}},
        {Role::survey_sent, FileKind::cases, {"survey_sent", "surveyed", "survey_offered"}},
        {Role::case_id,
         FileKind::responses,
         {"case_id", "ticket_id", "case_number", "ticket_number", "case"}},
        {Role::response_id, FileKind::responses, {"response_id", "survey_response_id", "rating_id"}},
        {Role::submitted_at,
         FileKind::responses,
         {"submitted_at", "responded_at", "response_date", "rated_at", "completed_at", "created_at"}},
        {Role::csat,
         FileKind::responses,
         {"csat", "csat_score", "satisfaction", "satisfaction_score", "rating"}},
        {Role::nps, FileKind::responses, {"nps", "nps_score", "likelihood_to_recommend", "recommend"}},
        {Role::ces, FileKind::responses, {"ces", "ces_score", "effort", "customer_effort"}},
        {Role::comment, FileKind::responses, {"comment", "comments", "feedback", "verbatim"}},
    };
    switch (preset) {
        case Preset::salesforce:
            return salesforce;
        case Preset::zendesk:
            return zendesk;
        case Preset::freshdesk:
            return freshdesk;
        case Preset::generic:
        case Preset::auto_detect:
            break;
    }
    return generic;
}

std::size_t role_index(Role role) {
    return static_cast<std::size_t>(role);
}

// Maps roles with one preset's names; returns how many roles it named. `exact` counts the names that matched
// the header letter for letter, which tells "case_id" (generic) from "Case ID" (Salesforce) when both fit.
std::size_t apply_preset(ColumnMap& map, const std::vector<std::string>& folded, FileKind kind, Preset preset,
                         const std::vector<std::string>* header = nullptr, std::size_t* exact = nullptr) {
    std::size_t matched = 0;
    for (const Alias& alias : aliases(preset)) {
        if (alias.kind != kind || map.has(alias.role)) {
            continue;
        }
        for (std::string_view name : alias.names) {
            std::string want = fold_name(name);
            auto it = std::find(folded.begin(), folded.end(), want);
            if (it == folded.end()) {
                continue;
            }
            auto index = static_cast<std::size_t>(it - folded.begin());
            // One header plays one role: "Status" must not also become "closed".
            bool taken = std::any_of(map.column.begin(), map.column.end(),
                                     [&](const std::optional<std::size_t>& c) { return c == index; });
            if (!taken) {
                map.column[role_index(alias.role)] = index;
                ++matched;
                if (header && exact && trim((*header)[index]) == name) {
                    ++*exact;
                }
                break;
            }
        }
    }
    return matched;
}

std::string list_headers(const std::vector<std::string>& header) {
    std::string out;
    for (const std::string& h : header) {
        out += out.empty() ? "" : ", ";
        out += "'" + h + "'";
    }
    return out;
}

}  // namespace

std::string_view role_name(Role role) {
    return k_roles[role_index(role)].name;
}

std::optional<Role> parse_role(std::string_view name) {
    std::string folded = fold_name(name);
    for (const RoleInfo& info : k_roles) {
        if (info.name == folded) {
            return info.role;
        }
    }
    if (folded == "type") {
        return Role::case_type;
    }
    if (folded == "origin") {
        return Role::channel;
    }
    if (folded == "group" || folded == "team") {
        return Role::queue;
    }
    if (folded == "owner" || folded == "assignee") {
        return Role::agent;
    }
    return std::nullopt;
}

bool role_applies(Role role, FileKind kind) {
    const RoleInfo& info = k_roles[role_index(role)];
    return kind == FileKind::cases ? info.cases : info.responses;
}

bool is_dimension_role(Role role) {
    switch (role) {
        case Role::agent:
        case Role::queue:
        case Role::case_type:
        case Role::channel:
        case Role::account:
        case Role::status:
            return true;
        default:
            return false;
    }
}

std::string_view preset_name(Preset preset) {
    switch (preset) {
        case Preset::auto_detect:
            return "auto";
        case Preset::salesforce:
            return "salesforce";
        case Preset::zendesk:
            return "zendesk";
        case Preset::freshdesk:
            return "freshdesk";
        case Preset::generic:
            return "generic";
    }
    return "generic";
}

Preset parse_preset(std::string_view name) {
    for (Preset p :
         {Preset::auto_detect, Preset::salesforce, Preset::zendesk, Preset::freshdesk, Preset::generic}) {
        if (iequals(name, preset_name(p))) {
            return p;
        }
    }
    throw Error(ErrorKind::usage, fmt::format("unknown preset '{}'", name),
                "use one of: auto, salesforce, zendesk, freshdesk, generic");
}

ColumnOverride parse_column_override(std::string_view text) {
    ColumnOverride out;
    auto eq = text.find('=');
    if (eq == std::string_view::npos) {
        throw Error(ErrorKind::usage, fmt::format("--col '{}': expected ROLE=HEADER", text),
                    "for example --col case_id=\"Ticket Number\" or --col responses:csat=Score");
    }
    std::string_view role_text = trim(text.substr(0, eq));
    out.header = std::string(trim(text.substr(eq + 1)));
    auto colon = role_text.find(':');
    if (colon != std::string_view::npos) {
        std::string_view scope = role_text.substr(0, colon);
        if (iequals(scope, "cases")) {
            out.scope = FileKind::cases;
        } else if (iequals(scope, "responses")) {
            out.scope = FileKind::responses;
        } else {
            throw Error(ErrorKind::usage, fmt::format("--col '{}': unknown file scope '{}'", text, scope),
                        "use cases:ROLE=HEADER or responses:ROLE=HEADER");
        }
        role_text = role_text.substr(colon + 1);
    }
    auto role = parse_role(role_text);
    if (!role) {
        std::string names;
        for (const RoleInfo& info : k_roles) {
            names += names.empty() ? "" : ", ";
            names += info.name;
        }
        throw Error(ErrorKind::usage, fmt::format("--col '{}': unknown role '{}'", text, role_text),
                    "roles are: " + names);
    }
    out.role = *role;
    if (out.header.empty()) {
        throw Error(ErrorKind::usage, fmt::format("--col '{}': empty header name", text),
                    "write --col ROLE=HEADER with the header exactly as in the file");
    }
    return out;
}

std::optional<std::size_t> find_header(const std::vector<std::string>& header, std::string_view name) {
    std::string want = fold_name(name);
    for (std::size_t i = 0; i < header.size(); ++i) {
        if (fold_name(header[i]) == want) {
            return i;
        }
    }
    return std::nullopt;
}

ColumnMap map_columns(const std::vector<std::string>& header, FileKind kind, Preset preset,
                      const std::vector<ColumnOverride>& overrides, const std::string& file_name) {
    std::vector<std::string> folded;
    folded.reserve(header.size());
    for (const std::string& h : header) {
        folded.push_back(fold_name(h));
    }
    ColumnMap map;
    for (const ColumnOverride& o : overrides) {
        if ((o.scope && *o.scope != kind) || !role_applies(o.role, kind)) {
            continue;
        }
        auto index = find_header(header, o.header);
        if (!index) {
            // An unscoped override may target the other file of a pair; only a scoped one must exist here.
            if (o.scope) {
                throw Error(ErrorKind::usage,
                            fmt::format("{}: --col {}={}: no such header; headers are: {}", file_name,
                                        role_name(o.role), o.header, list_headers(header)),
                            "check the spelling; header names match after trimming and ignoring case");
            }
            continue;
        }
        map.column[role_index(o.role)] = index;
        map.overridden[role_index(o.role)] = true;
    }
    Preset chosen = preset;
    if (preset == Preset::auto_detect) {
        // Ties go to the earlier, more specific export; generic only wins when no export names fit better.
        std::size_t best = 0;
        chosen = Preset::generic;
        for (Preset p : {Preset::salesforce, Preset::zendesk, Preset::freshdesk, Preset::generic}) {
            ColumnMap trial = map;
            // The join key decides between exports that share names (Zendesk and Freshdesk both have
            // "Group"). Roles matched count most, then the join key, then names matched letter for letter;
            // generic names are the fallback, so a specific export wins an otherwise even match.
            std::size_t exact = 0;
            std::size_t score = 4 * apply_preset(trial, folded, kind, p, &header, &exact);
            score += (trial.has(Role::case_id) ? 2 : 0) + exact;
            score = p == Preset::generic && score > 0 ? score - 1 : score;
            if (score > best) {
                best = score;
                chosen = p;
            }
        }
    }
    apply_preset(map, folded, kind, chosen);
    if (chosen != Preset::generic) {
        apply_preset(map, folded, kind, Preset::generic);
    }
    map.preset = chosen;
    return map;
}

void require_role(const ColumnMap& map, Role role, const std::vector<std::string>& header, FileKind kind,
                  const std::string& file_name) {
    if (map.has(role)) {
        return;
    }
    std::string looked;
    for (Preset p : {Preset::salesforce, Preset::zendesk, Preset::freshdesk, Preset::generic}) {
        for (const Alias& alias : aliases(p)) {
            if (alias.role == role && alias.kind == kind) {
                for (std::string_view n : alias.names) {
                    if (looked.find(std::string(n)) == std::string::npos) {
                        looked += looked.empty() ? "" : ", ";
                        looked += n;
                    }
                }
            }
        }
    }
    // Suggest the header closest to any known name of the role.
    std::string closest;
    std::size_t best = static_cast<std::size_t>(-1);
    for (const std::string& h : header) {
        std::string fh = fold_name(h);
        for (Preset p : {Preset::salesforce, Preset::zendesk, Preset::freshdesk, Preset::generic}) {
            for (const Alias& alias : aliases(p)) {
                if (alias.role != role || alias.kind != kind) {
                    continue;
                }
                for (std::string_view n : alias.names) {
                    std::size_t d = edit_distance(fh, fold_name(n));
                    if (fh.find(fold_name(role_name(role))) != std::string::npos) {
                        d = std::min<std::size_t>(d, 1);
                    }
                    if (d < best) {
                        best = d;
                        closest = h;
                    }
                }
            }
        }
    }
    std::string what = kind == FileKind::cases ? "cases" : "responses";
    std::string hint = closest.empty()
                           ? fmt::format("map it with --col {}:{}=\"HEADER\"", what, role_name(role))
                           : fmt::format("closest header is '{}'; map it with --col {}:{}=\"{}\"", closest,
                                         what, role_name(role), closest);
    throw Error(ErrorKind::usage,
                fmt::format("{}: no column for {} role '{}' (looked for: {}); headers are: {}", file_name,
                            what, role_name(role), looked, list_headers(header)),
                hint);
}

}  // namespace csat
