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

namespace {

// 64x64 -> 128-bit multiply, folded: the core of fast multiplicative string hashes.
std::uint64_t fold_multiply(std::uint64_t a, std::uint64_t b) {
    __uint128_t r = static_cast<__uint128_t>(a) * b;
    return static_cast<std::uint64_t>(r) ^ static_cast<std::uint64_t>(r >> 64);
}

constexpr std::uint64_t k_p0 = 0xa0761d6478bd642fULL;
constexpr std::uint64_t k_p1 = 0xe7037ed1a0b428dbULL;

}  // namespace

std::uint64_t hash_bytes(std::string_view s) {
    // Sixteen bytes per step: case IDs are short and whole rows are hashed once each.
    const char* p = s.data();
    std::size_t n = s.size();
    std::uint64_t h = k_p0 ^ n;
    while (n >= 16) {
        h = fold_multiply(load_u64(p) ^ k_p1, load_u64(p + 8) ^ h);
        p += 16;
        n -= 16;
    }
    std::uint64_t a = 0;
    std::uint64_t b = 0;
    if (n >= 8) {
        a = load_u64(p);
        b = load_u64(p + n - 8);
    } else if (n > 0) {
        char tail[8] = {};
        std::memcpy(tail, p, n);
        a = load_u64(tail);
    }
    return fold_multiply(a ^ k_p1 ^ n, b ^ h ^ k_p0);
}

namespace {

constexpr std::uint64_t k_id_mask = 0xFFFFFFFFULL;

}  // namespace

std::pair<std::uint32_t, bool> StringIndex::insert(std::string_view key) {
    if ((static_cast<std::uint64_t>(size()) + 1) * 10 >= m_slots.size() * 7) {
        grow();
    }
    auto h = static_cast<std::uint32_t>(hash_bytes(key));
    std::uint64_t i = h & m_mask;
    while (m_slots[i] != 0) {
        std::uint64_t slot = m_slots[i];
        auto id = static_cast<std::uint32_t>((slot & k_id_mask) - 1);
        if (static_cast<std::uint32_t>(slot >> 32) == h && this->key(id) == key) {
            return {id, false};
        }
        i = (i + 1) & m_mask;
    }
    std::uint32_t id = size();
    m_bytes.insert(m_bytes.end(), key.begin(), key.end());
    m_offsets.push_back(m_bytes.size());
    m_slots[i] = (static_cast<std::uint64_t>(h) << 32) | (static_cast<std::uint64_t>(id) + 1);
    return {id, true};
}

std::uint32_t StringIndex::find(std::string_view key) const {
    if (m_slots.empty()) {
        return k_none;
    }
    auto h = static_cast<std::uint32_t>(hash_bytes(key));
    std::uint64_t i = h & m_mask;
    while (m_slots[i] != 0) {
        std::uint64_t slot = m_slots[i];
        auto id = static_cast<std::uint32_t>((slot & k_id_mask) - 1);
        if (static_cast<std::uint32_t>(slot >> 32) == h && this->key(id) == key) {
            return id;
        }
        i = (i + 1) & m_mask;
    }
    return k_none;
}

void StringIndex::grow() {
    std::size_t capacity = m_slots.empty() ? 64 : m_slots.size() * 2;
    std::vector<std::uint64_t> old = std::move(m_slots);
    m_slots.assign(capacity, 0);
    m_mask = capacity - 1;
    for (std::uint64_t slot : old) {
        if (slot == 0) {
            continue;
        }
        std::uint64_t i = (slot >> 32) & m_mask;
        while (m_slots[i] != 0) {
            i = (i + 1) & m_mask;
        }
        m_slots[i] = slot;
    }
}

std::size_t StringIndex::memory_bytes() const {
    return m_bytes.capacity() + m_offsets.capacity() * sizeof(std::uint64_t) +
           m_slots.capacity() * sizeof(std::uint64_t);
}

std::pair<std::uint32_t, bool> U64Index::insert(std::uint64_t key) {
    if ((std::size_t{size()} + 1) * 2 >= m_slots.size()) {
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
