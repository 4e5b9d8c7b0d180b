#include "csat/hash_index.hpp"

#include <cstring>

namespace csat {

namespace {

std::uint64_t load_u64(const char* p) {
    std::uint64_t v = 0;
    std::memcpy(&v, p, sizeof v);
    return v;
}

std::uint64_t mix(std::uint64_t x) {
    x ^= x >> 32;
    x *= 0xd6e8feb86659fd93ULL;
    x ^= x >> 32;
    x *= 0xd6e8feb86659fd93ULL;
    x ^= x >> 32;
    return x;
}

}  // namespace

std::uint64_t hash_u64(std::uint64_t x) { return mix(x + 0x9e3779b97f4a7c15ULL); }

std::uint64_t hash_bytes(std::string_view s) {
    // Eight bytes at a time: case IDs are short, and this runs once per input row.
    std::uint64_t h = 0x243f6a8885a308d3ULL ^ (s.size() * 0x9e3779b97f4a7c15ULL);
    const char* p = s.data();
    std::size_t n = s.size();
    while (n >= 8) {
        h = mix(h ^ load_u64(p)) * 0x9e3779b97f4a7c15ULL;
        p += 8;
        n -= 8;
    }
    if (n > 0) {
        std::uint64_t tail = 0;
        std::memcpy(&tail, p, n);
        h = mix(h ^ tail ^ (static_cast<std::uint64_t>(n) << 56));
    }
    return mix(h);
}

std::pair<std::uint32_t, bool> StringIndex::insert(std::string_view key) {
    if ((size() + 1) * 10 >= m_slots.size() * 7) {
        grow();
    }
    std::uint64_t h = hash_bytes(key);
    auto tag = static_cast<std::uint32_t>(h >> 32);
    std::uint64_t i = h & m_mask;
    while (m_slots[i] != 0) {
        std::uint32_t id = m_slots[i] - 1;
        if (m_tags[i] == tag && this->key(id) == key) {
            return {id, false};
        }
        i = (i + 1) & m_mask;
    }
    std::uint32_t id = size();
    m_bytes.insert(m_bytes.end(), key.begin(), key.end());
    m_offsets.push_back(m_bytes.size());
    m_slots[i] = id + 1;
    m_tags[i] = tag;
    return {id, true};
}

std::uint32_t StringIndex::find(std::string_view key) const {
    if (m_slots.empty()) {
        return k_none;
    }
    std::uint64_t h = hash_bytes(key);
    auto tag = static_cast<std::uint32_t>(h >> 32);
    std::uint64_t i = h & m_mask;
    while (m_slots[i] != 0) {
        std::uint32_t id = m_slots[i] - 1;
        if (m_tags[i] == tag && this->key(id) == key) {
            return id;
        }
        i = (i + 1) & m_mask;
    }
    return k_none;
}

void StringIndex::grow() {
    std::size_t capacity = m_slots.empty() ? 64 : m_slots.size() * 2;
    m_slots.assign(capacity, 0);
    m_tags.assign(capacity, 0);
    m_mask = capacity - 1;
    for (std::uint32_t id = 0; id < size(); ++id) {
        std::uint64_t h = hash_bytes(key(id));
        std::uint64_t i = h & m_mask;
        while (m_slots[i] != 0) {
            i = (i + 1) & m_mask;
        }
        m_slots[i] = id + 1;
        m_tags[i] = static_cast<std::uint32_t>(h >> 32);
    }
}

std::size_t StringIndex::memory_bytes() const {
    return m_bytes.capacity() + m_offsets.capacity() * sizeof(std::uint64_t) +
           (m_slots.capacity() + m_tags.capacity()) * sizeof(std::uint32_t);
}

std::pair<std::uint32_t, bool> U64Index::insert(std::uint64_t key) {
    if ((size() + 1) * 2 >= m_slots.size()) {
        grow();
    }
    std::uint64_t i = hash_u64(key) & m_mask;
    while (m_slots[i] != 0) {
        std::uint32_t id = m_slots[i] - 1;
        if (m_keys[id] == key) {
            return {id, false};
        }
        i = (i + 1) & m_mask;
    }
    std::uint32_t id = size();
    m_keys.push_back(key);
    m_slots[i] = id + 1;
    return {id, true};
}

std::uint32_t U64Index::find(std::uint64_t key) const {
    if (m_slots.empty()) {
        return k_none;
    }
    std::uint64_t i = hash_u64(key) & m_mask;
    while (m_slots[i] != 0) {
        std::uint32_t id = m_slots[i] - 1;
        if (m_keys[id] == key) {
            return id;
        }
        i = (i + 1) & m_mask;
    }
    return k_none;
}

void U64Index::grow() {
    std::size_t capacity = m_slots.empty() ? 64 : m_slots.size() * 2;
    m_slots.assign(capacity, 0);
    m_mask = capacity - 1;
    for (std::uint32_t id = 0; id < size(); ++id) {
        std::uint64_t i = hash_u64(m_keys[id]) & m_mask;
        while (m_slots[i] != 0) {
            i = (i + 1) & m_mask;
        }
        m_slots[i] = id + 1;
    }
}

}  // namespace csat
