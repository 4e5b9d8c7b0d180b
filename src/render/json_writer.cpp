#include "render/json_writer.hpp"

#include <cmath>

#include "render/cells.hpp"

namespace csat::render {

void JsonWriter::newline() {
    m_out += '\n';
    m_out.append(m_first.size() * 2, ' ');
}

void JsonWriter::before_value() {
    if (m_after_key) {
        m_after_key = false;
        return;
    }
    if (!m_first.empty()) {
        if (!m_first.back()) {
            m_out += ',';
        }
        m_first.back() = false;
        newline();
    }
}

JsonWriter& JsonWriter::begin_object() {
    before_value();
    m_out += '{';
    m_first.push_back(true);
    return *this;
}

JsonWriter& JsonWriter::end_object() {
    bool empty = m_first.back();
    m_first.pop_back();
    if (!empty) {
        newline();
    }
    m_out += '}';
    return *this;
}

JsonWriter& JsonWriter::begin_array() {
    before_value();
    m_out += '[';
    m_first.push_back(true);
    return *this;
}

JsonWriter& JsonWriter::end_array() {
    return end_object().m_out.back() = ']', *this;
}

JsonWriter& JsonWriter::key(std::string_view name) {
    before_value();
    append_json_string(m_out, name);
    m_out += ": ";
    m_after_key = true;
    return *this;
}

JsonWriter& JsonWriter::value(std::string_view text) {
    before_value();
    append_json_string(m_out, text);
    return *this;
}

JsonWriter& JsonWriter::value(double number) {
    before_value();
    if (std::isfinite(number)) {
        append_exact_value(m_out, number);
    } else {
        m_out += "null";
    }
    return *this;
}

JsonWriter& JsonWriter::value(std::optional<double> number) {
    if (!number) {
        return null();
    }
    return value(*number);
}

JsonWriter& JsonWriter::value(std::uint64_t number) {
    before_value();
    m_out += std::to_string(number);
    return *this;
}

JsonWriter& JsonWriter::value(bool flag) {
    before_value();
    m_out += flag ? "true" : "false";
    return *this;
}

JsonWriter& JsonWriter::null() {
    before_value();
    m_out += "null";
    return *this;
}

}  // namespace csat::render
