// csat columns: shows how csat reads a file: its dialect, the preset it matched, and which header plays
// each role. The first thing to run on an unfamiliar export.
#include "commands/command.hpp"
#include "csat/csv_reader.hpp"
#include "csat/error.hpp"
#include "csat/mapping.hpp"
#include "csat/output.hpp"
#include "csat/text.hpp"
#include "render/json_writer.hpp"

namespace csat {

namespace {

struct ColumnsOptions {
    std::vector<std::string> files;
    std::string preset = "auto";
    std::vector<std::string> cols;
    std::string delimiter;
    std::string format = "table";
};

constexpr const char* k_columns_help = R"HELP(Examples:
  csat columns cases.csv
  csat columns zendesk-tickets.csv.gz --format json
  csat columns export.csv --col case_id="Ticket Number")HELP";

std::string delimiter_name(char d) {
    switch (d) {
        case '\t':
            return "tab";
        default:
            return std::string(1, d);
    }
}

int run_columns(const ColumnsOptions& opt) {
    Preset preset = parse_preset(opt.preset);
    std::vector<ColumnOverride> overrides;
    for (const std::string& c : opt.cols) {
        overrides.push_back(parse_column_override(c));
    }
    CsvOptions csv;
    if (!opt.delimiter.empty()) {
        csv.delimiter = opt.delimiter == "tab" ? '\t' : opt.delimiter[0];
    }
    if (opt.format != "table" && opt.format != "json") {
        throw Error(ErrorKind::usage, fmt::format("unknown format '{}'", opt.format), "use table or json");
    }
    render::JsonWriter w;
    std::string text;
    if (opt.format == "json") {
        w.begin_array();
    }
    for (const std::string& path : opt.files) {
        auto reader = CsvReader::open(path, csv);
        const auto& header = reader->header();
        ColumnMap cases = map_columns(header, FileKind::cases, preset, overrides, path);
        ColumnMap responses = map_columns(header, FileKind::responses, preset, overrides, path);
        std::vector<bool> used(header.size(), false);
        auto roles = [&](const ColumnMap& map, FileKind kind) {
            std::vector<std::pair<std::string, std::string>> out;
            for (std::size_t r = 0; r < k_role_count; ++r) {
                auto role = static_cast<Role>(r);
                if (role_applies(role, kind) && map.column[r]) {
                    out.emplace_back(std::string(role_name(role)), header[*map.column[r]]);
                    used[*map.column[r]] = true;
                }
            }
            return out;
        };
        auto case_roles = roles(cases, FileKind::cases);
        auto response_roles = roles(responses, FileKind::responses);
        if (opt.format == "json") {
            w.begin_object();
            w.key("path").value(path);
            w.key("delimiter").value(std::string(1, reader->delimiter()));
            w.key("preset").value(preset_name(cases.preset));
            w.key("headers").begin_array();
            for (const std::string& h : header) {
                w.value(h);
            }
            w.end_array();
            for (auto [name, list] :
                 {std::pair{"cases", &case_roles}, std::pair{"responses", &response_roles}}) {
                w.key(name).begin_object();
                for (const auto& [role, h] : *list) {
                    w.key(role).value(h);
                }
                w.end_object();
            }
            w.end_object();
            continue;
        }
        text += fmt::format("{}\n  delimiter: {}   preset: {}   columns: {}\n", escape_control(path),
                            delimiter_name(reader->delimiter()), preset_name(cases.preset), header.size());
        auto section = [&](const char* title, const std::vector<std::pair<std::string, std::string>>& list) {
            text += fmt::format("  as {}:\n", title);
            if (list.empty()) {
                text += "    (no role found)\n";
            }
            for (const auto& [role, h] : list) {
                text += fmt::format("    {:<13} <- {}\n", role, escape_control(h));
            }
        };
        section("cases", case_roles);
        section("responses", response_roles);
        std::string unused;
        for (std::size_t i = 0; i < header.size(); ++i) {
            if (!used[i]) {
                unused += unused.empty() ? "" : ", ";
                unused += escape_control(header[i]);
            }
        }
        text += fmt::format("  other columns (usable in --by and --where): {}\n",
                            unused.empty() ? std::string("none") : unused);
    }
    if (opt.format == "json") {
        w.end_array();
        text = w.str();
    }
    write_stdout(text);
    return 0;
}

}  // namespace

void setup_columns(CLI::App& app, CommandRun& run) {
    auto opt = std::make_shared<ColumnsOptions>();
    CLI::App* sub =
        app.add_subcommand("columns", "show the detected dialect and column mapping of export files");
    sub->add_option("files", opt->files, "CSV files (.csv, .csv.gz, -)")->required();
    sub->add_option("--preset", opt->preset, "auto, salesforce, zendesk, freshdesk, generic");
    sub->add_option("--col", opt->cols, "map a role to a header: ROLE=HEADER (repeatable)");
    sub->add_option("--delimiter", opt->delimiter, ", ; | tab (default: sniffed)");
    sub->add_option("--format", opt->format, "table (default) or json");
    sub->footer(k_columns_help);
    sub->callback([opt, &run] { run = [opt] { return run_columns(*opt); }; });
}

}  // namespace csat
