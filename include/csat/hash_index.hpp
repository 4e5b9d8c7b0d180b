// Compact hash indexes for the hot paths: StringIndex interns strings (case IDs, dimension values) into dense
// 32-bit ids with its keys in one arena (no per-key heap allocation); U64Index maps packed group keys to dense
// group numbers. Both use open addressing with linear probing.
#pragma once

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace csat {

std::uint64_t hash_bytes(std::string_view s);
std::uint64_t hash_u64(std::uint64_t x);

class StringIndex {
public:
    static constexpr std::uint32_t k_none = 0xFFFFFFFFu;

    // Returns the key's id and whether it was new. Ids are dense, in insertion order.
    std::pair<std::uint32_t, bool> insert(std::string_view key);
    std::uint32_t find(std::string_view key) const;  // k_none if absent
    std::string_view key(std::uint32_t id) const {
        return {m_bytes.data() + m_offsets[id], m_offsets[id + 1] - m_offsets[id]};
    }
    std::uint32_t size() const { return static_cast<std::uint32_t>(m_offsets.size() - 1); }
    std::size_t memory_bytes() const;

private:
    void grow();

    std::vector<char> m_bytes;
    std::vector<std::uint64_t> m_offsets{0};
    // Each slot packs the key's 32-bit hash (high half) and its id + 1 (low half; 0 = empty): probing compares
    // hashes without touching the keys, and growing re-places slots without hashing any key again.
    std::vector<std::uint64_t> m_slots;
    std::uint64_t m_mask = 0;
};

class U64Index {
public:
    static constexpr std::uint32_t k_none = 0xFFFFFFFFu;

    std::pair<std::uint32_t, bool> insert(std::uint64_t key);
    std::uint32_t find(std::uint64_t key) const;
    std::uint64_t key(std::uint32_t id) const { return m_keys[id]; }
    std::uint32_t size() const { return static_cast<std::uint32_t>(m_keys.size()); }

private:
    void grow();

    std::vector<std::uint64_t> m_keys;
    std::vector<std::uint32_t> m_slots;  // id + 1; 0 = empty
    std::uint64_t m_mask = 0;
};

}  // namespace csat
