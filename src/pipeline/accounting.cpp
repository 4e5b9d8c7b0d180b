#include "csat/accounting.hpp"

#include <algorithm>

namespace csat {

std::string row_fate_name(RowFate fate) {
    switch (fate) {
        case RowFate::malformed:
            return "malformed";
        case RowFate::missing_case_id:
            return "missing_case_id";
        case RowFate::duplicate_case:
            return "duplicate_case";
        case RowFate::filtered_where:
            return "filtered_where";
        case RowFate::filtered_date:
            return "filtered_date";
        case RowFate::case_filtered:
            return "case_filtered";
        case RowFate::no_answer:
            return "no_answer";
        case RowFate::before_created:
            return "before_created";
        case RowFate::orphan:
            return "orphan";
        case RowFate::duplicate_response:
            return "duplicate_response";
        case RowFate::conflicting_case:
            return "conflicting_case";
    }
    return "unknown";
}

std::string row_fate_description(RowFate fate) {
    switch (fate) {
        case RowFate::malformed:
            return "malformed";
        case RowFate::missing_case_id:
            return "no case ID";
        case RowFate::duplicate_case:
            return "duplicate case (identical)";
        case RowFate::filtered_where:
            return "excluded by --where";
        case RowFate::filtered_date:
            return "outside --since/--until";
        case RowFate::case_filtered:
            return "case excluded by a filter";
        case RowFate::no_answer:
            return "no score";
        case RowFate::before_created:
            return "dated before case creation";
        case RowFate::orphan:
            return "orphan (no such case)";
        case RowFate::duplicate_response:
            return "duplicate response";
        case RowFate::conflicting_case:
            return "case ID repeated with different values";
    }
    return "unknown";
}

void FileAccount::exclude(RowFate fate, std::uint64_t line) {
    LineSample& s = excluded[fate];
    ++s.count;
    if (s.first_lines.size() < k_sample_lines) {
        s.first_lines.push_back(line);
    }
}

std::uint64_t FileAccount::excluded_total() const {
    std::uint64_t total = 0;
    for (const auto& [fate, sample] : excluded) {
        total += sample.count;
    }
    return total;
}

namespace {

void add_to(std::vector<InvalidValues>& list, const std::string& file, const std::string& metric,
            const std::string& column, std::uint64_t line, std::string_view value, std::string_view reason) {
    auto& invalid = list;
    auto it = std::find_if(invalid.begin(), invalid.end(), [&](const InvalidValues& v) {
        return v.file == file && v.metric == metric && v.column == column;
    });
    if (it == invalid.end()) {
        invalid.push_back(InvalidValues{file, metric, column, {}, std::string(value), std::string(reason)});
        it = invalid.end() - 1;
    }
    ++it->sample.count;
    if (it->sample.first_lines.size() < k_sample_lines) {
        it->sample.first_lines.push_back(line);
    }
}

}  // namespace

void Accounting::add_invalid(const std::string& file, const std::string& metric, const std::string& column,
                             std::uint64_t line, std::string_view value, std::string_view reason) {
    add_to(invalid, file, metric, column, line, value, reason);
}

void Accounting::add_finding(const std::string& file, const std::string& kind, const std::string& column,
                             std::uint64_t line, std::string_view value, std::string_view reason) {
    add_to(findings, file, kind, column, line, value, reason);
}

std::uint64_t Accounting::total_read() const {
    std::uint64_t total = 0;
    for (const FileAccount& f : files) {
        total += f.rows_read;
    }
    return total;
}

std::uint64_t Accounting::total_excluded(RowFate fate) const {
    std::uint64_t total = 0;
    for (const FileAccount& f : files) {
        auto it = f.excluded.find(fate);
        if (it != f.excluded.end()) {
            total += it->second.count;
        }
    }
    return total;
}

}  // namespace csat
