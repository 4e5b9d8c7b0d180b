// JSON: the stable report schema (docs/formats.md#json): inputs and their mappings, the options in effect,
// the accounting, the groups and the total. n/a is null; there is never NaN.
#include "csat/error.hpp"
#include "csat/render.hpp"
#include "render/display_columns.hpp"
#include "render/json_writer.hpp"

namespace csat {

namespace render {

void write_accounting(JsonWriter& w, const Accounting& accounting) {
    w.begin_object();
    w.key("files").begin_array();
    for (const FileAccount& f : accounting.files) {
        w.begin_object();
        w.key("path").value(f.path);
        w.key("role").value(f.role);
        w.key("rows_read").value(f.rows_read);
        w.key("used").value(f.used);
        w.key("blank_lines").value(f.blank_lines);
        w.key("footer_lines").value(f.footer_lines);
        w.key("repeated_headers").value(f.repeated_headers);
        w.key("orphans_kept").value(f.orphans_kept);
        w.key("excluded").begin_object();
        for (const auto& [fate, sample] : f.excluded) {
            w.key(row_fate_name(fate)).begin_object();
            w.key("count").value(sample.count);
            w.key("first_lines").begin_array();
            for (std::uint64_t line : sample.first_lines) {
                w.value(line);
            }
            w.end_array();
            w.end_object();
        }
        w.end_object();
        w.end_object();
    }
    w.end_array();
    w.key("invalid_values").begin_array();
    for (const InvalidValues& v : accounting.invalid) {
        w.begin_object();
        w.key("file").value(v.file);
        w.key("metric").value(v.metric);
        w.key("column").value(v.column);
        w.key("count").value(v.sample.count);
        w.key("first_lines").begin_array();
        for (std::uint64_t line : v.sample.first_lines) {
            w.value(line);
        }
        w.end_array();
        w.key("first_value").value(v.first_value);
        w.key("first_reason").value(v.first_reason);
        w.end_object();
    }
    w.end_array();
    w.end_object();
}

void write_inputs(JsonWriter& w, const JobResult& job) {
    w.begin_array();
    for (const FileMapping& m : job.mappings) {
        w.begin_object();
        w.key("path").value(m.path);
        w.key("role").value(m.kind);
        w.key("preset").value(preset_name(m.preset));
        w.key("delimiter").value(std::string(1, m.delimiter));
        w.key("columns").begin_object();
        for (const auto& [role, header] : m.roles) {
            w.key(role).value(header);
        }
        w.end_object();
        w.end_object();
    }
    w.end_array();
}

}  // namespace render

std::string render_json(const ReportView& view, const RenderOptions& options) {
    render::JsonWriter w;
    w.begin_object();
    w.key("csat_version").value(options.version);
    w.key("schema").value(std::uint64_t{1});
    w.key("command").value(view.command);
    if (view.job) {
        w.key("inputs");
        render::write_inputs(w, *view.job);
    }
    w.key("options").begin_object();
    for (const auto& [name, value] : view.settings) {
        w.key(name).value(value);
    }
    w.end_object();
    if (view.job) {
        w.key("rate_base").value(view.job->rate_base);
    }
    w.key("confidence").value(view.confidence);
    w.key("min_n").value(view.min_n);
    w.key("keys").begin_array();
    for (const std::string& k : view.key_names) {
        w.value(k);
    }
    w.end_array();
    w.key("metrics").begin_array();
    for (const MetricDef* m : view.columns) {
        w.value(m->name);
    }
    w.end_array();
    auto row = [&](const ViewRow& r) {
        w.begin_object();
        if (!r.is_total) {
            w.key("key").begin_object();
            for (std::size_t k = 0; k < view.key_names.size(); ++k) {
                w.key(view.key_names[k]).value(r.key[k]);
            }
            w.end_object();
        }
        w.key("n").value(r.n);
        w.key("low_n").value(r.low_n);
        w.key("low_rate").value(r.low_rate);
        w.key("metrics").begin_object();
        for (std::size_t i = 0; i < view.columns.size(); ++i) {
            w.key(view.columns[i]->name).value(r.values[i]);
        }
        w.end_object();
        w.end_object();
    };
    w.key("groups").begin_array();
    for (const ViewRow& r : view.rows) {
        row(r);
    }
    w.end_array();
    w.key("hidden_low_n").value(static_cast<std::uint64_t>(view.hidden_low_n));
    w.key("total");
    row(view.total);
    w.key("notes").begin_array();
    if (view.job) {
        for (const std::string& n : view.job->notes) {
            w.value(n);
        }
    }
    w.end_array();
    if (view.job) {
        w.key("accounting");
        render::write_accounting(w, view.job->accounting);
    }
    w.end_object();
    return w.str();
}

Format parse_format(std::string_view name) {
    for (Format f : {Format::table, Format::csv, Format::json, Format::markdown}) {
        if (name == format_name(f)) {
            return f;
        }
    }
    if (name == "md") {
        return Format::markdown;
    }
    throw Error(ErrorKind::usage, fmt::format("unknown format '{}'", name),
                "use table, csv, json or markdown");
}

std::string_view format_name(Format format) {
    switch (format) {
        case Format::table:
            return "table";
        case Format::csv:
            return "csv";
        case Format::json:
            return "json";
        case Format::markdown:
            return "markdown";
    }
    return "table";
}

std::string render_report(Format format, const ReportView& view, const RenderOptions& options) {
    switch (format) {
        case Format::table:
            return render_table(view, options);
        case Format::csv:
            return render_csv(view, options);
        case Format::json:
            return render_json(view, options);
        case Format::markdown:
            return render_markdown(view, options);
    }
    return render_table(view, options);
}

}  // namespace csat
