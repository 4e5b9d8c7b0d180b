// Column mapping: which header of an export plays which role (case ID, agent, CSAT score, ...). Knows the
// header names of the common exports (Salesforce report labels and API names, Zendesk, Freshdesk,
// snake_case), detects the best preset from a header, and applies --preset and --col overrides.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace csat {

enum class Role {
    // cases
    case_id,
    agent,
    queue,
    case_type,
    channel,
    account,
    status,
    is_closed,
    created_at,
    closed_at,
    survey_sent,
    // responses (case_id is shared: the join key)
    response_id,
    submitted_at,
    csat,
    nps,
    ces,
    comment,
};
inline constexpr std::size_t k_role_count = 17;

enum class FileKind { cases, responses };

std::string_view role_name(Role role);
std::optional<Role> parse_role(std::string_view name);  // "case_id", "type" (alias of case_type), ...
bool role_applies(Role role, FileKind kind);
// The roles a user can group by without naming a header.
bool is_dimension_role(Role role);

enum class Preset { auto_detect, salesforce, zendesk, freshdesk, generic };
std::string_view preset_name(Preset preset);
Preset parse_preset(std::string_view name);  // throws Error(usage)

// One --col override: "ROLE=HEADER", optionally scoped "cases:ROLE=HEADER" / "responses:ROLE=HEADER".
struct ColumnOverride {
    std::optional<FileKind> scope;
    Role role;
    std::string header;
};
ColumnOverride parse_column_override(std::string_view text);  // throws Error(usage)

// The result of mapping one header: for each role, the column index (if mapped) and where it came from.
struct ColumnMap {
    std::array<std::optional<std::size_t>, k_role_count> column{};
    std::array<bool, k_role_count> overridden{};
    Preset preset = Preset::generic;  // the preset whose names matched

    std::optional<std::size_t> get(Role role) const { return column[static_cast<std::size_t>(role)]; }
    bool has(Role role) const { return get(role).has_value(); }
};

// Maps a header for a file of the given kind. With Preset::auto_detect the preset that matches the most roles
// wins (ties go to the more specific export), and roles it does not name fall back to the generic names.
// An override naming a header that is not there throws Error(usage) listing the headers.
ColumnMap map_columns(const std::vector<std::string>& header, FileKind kind, Preset preset,
                      const std::vector<ColumnOverride>& overrides, const std::string& file_name);

// Throws Error(usage) for a role the job needs but the header lacks: lists the headers, the closest match
// and the --col that would fix it.
void require_role(const ColumnMap& map, Role role, const std::vector<std::string>& header, FileKind kind,
                  const std::string& file_name);

// Index of the header that matches name after trimming and case folding (also "Date/Time Closed" ~
// "date_time_closed").
std::optional<std::size_t> find_header(const std::vector<std::string>& header, std::string_view name);

}  // namespace csat
