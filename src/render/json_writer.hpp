// Private to the renderers: a small streaming JSON writer with stable two-space indentation. Numbers that
// are not finite are written as null, so the output is always valid JSON.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "csat/job.hpp"

namespace csat::render {

class JsonWriter {
  public:
    JsonWriter& begin_object();
    JsonWriter& end_object();
    JsonWriter& begin_array();
    JsonWriter& end_array();
    JsonWriter& key(std::string_view name);
    JsonWriter& value(std::string_view text);
    JsonWriter& value(const char* text) { return value(std::string_view(text)); }
    JsonWriter& value(double number);
    JsonWriter& value(std::optional<double> number);
    JsonWriter& value(std::uint64_t number);
    JsonWriter& value(bool flag);
    JsonWriter& null();
    std::string str() const { return m_out + "\n"; }

  private:
    void before_value();
    void newline();

    std::string m_out;
    std::vector<bool> m_first;  // per open container: nothing written yet
    bool m_after_key = false;
};

// Sections shared by every command's JSON output.
void write_accounting(JsonWriter& w, const Accounting& accounting);
void write_inputs(JsonWriter& w, const JobResult& job);

}  // namespace csat::render
