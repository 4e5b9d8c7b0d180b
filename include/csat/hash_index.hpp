// StringIndex interns strings (case IDs, dimension values, packed group keys) into dense 32-bit ids, in
// insertion order. It is the case index of the join, so it is built for millions of keys: the keys live
// back to back in an arena of blocks (no per-key allocation, and growth never copies them), the position of
// only every 2^mark_shift-th key is remembered (the case index keeps one in 16: finding a key's bytes walks
// at most 15 short keys), and the open-addressing table holds 8 bytes per slot.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

namespace csat {

std::uint64_t hash_bytes(std::string_view s);

// A zero-filled array of table slots. Big ones are mapped on 2 MiB pages where the system allows it: a
// case index of millions of keys is probed at random, and with 4 KiB pages nearly every probe would also
// miss the TLB.
class SlotArray {
public:
    SlotArray() = default;
    ~SlotArray() { release(); }
    SlotArray(const SlotArray&) = delete;
    SlotArray& operator=(const SlotArray&) = delete;
    SlotArray(SlotArray&& o) noexcept { swap(o); }
    SlotArray& operator=(SlotArray&& o) noexcept {
        swap(o);
        return *this;
    }

    void assign_zero(std::size_t n);  // n zero slots (what was there is gone)
    void fill_zero();
    std::size_t size() const { return m_size; }
    bool empty() const { return m_size == 0; }
    std::uint64_t& operator[](std::size_t i) { return m_data[i]; }
    const std::uint64_t& operator[](std::size_t i) const { return m_data[i]; }

private:
    void release();
    void swap(SlotArray& o) noexcept {
        std::swap(m_data, o.m_data);
        std::swap(m_size, o.m_size);
        std::swap(m_mapped, o.m_mapped);
    }

    std::uint64_t* m_data = nullptr;
    std::size_t m_size = 0;
    std::size_t m_mapped = 0;  // bytes mapped, or 0 when from the heap
};

class StringIndex {
public:
    static constexpr std::uint32_t k_none = 0xFFFFFFFFu;

    explicit StringIndex(unsigned mark_shift = 0) : m_mark_shift(mark_shift) {}

    // Returns the key's id and whether it was new. `hash` must be hash_bytes(key): callers that hash on
    // another thread, or ahead to prefetch, pass it in.
    std::pair<std::uint32_t, bool> insert(std::string_view key) { return insert(key, hash_bytes(key)); }
    std::pair<std::uint32_t, bool> insert(std::string_view key, std::uint64_t hash);
    std::uint32_t find(std::string_view key) const { return find(key, hash_bytes(key)); }  // k_none if absent
    std::uint32_t find(std::string_view key, std::uint64_t hash) const;
    // out[i] = find(keys[i], hashes[i]) for n keys, with the memory reads of several lookups in flight at
    // once: in a big index each lookup would otherwise wait for the table, then for the key's bytes.
    void find_many(const std::string_view* keys, const std::uint64_t* hashes, std::size_t n, std::uint32_t* out) const;
    // Starts loading the table slot that `hash` probes first, for a lookup a few rows later.
    void prefetch(std::uint64_t hash) const {
        if (!m_slots.empty()) {
            __builtin_prefetch(&m_slots[home(hash)]);
        }
    }
    // Sizes the table for `keys` keys at once, so that loading a big file does not rehash on the way.
    void reserve(std::size_t keys);
    // Empty again; keeps the table and the first block of the arena for reuse.
    void clear();

    std::string_view key(std::uint32_t id) const;
    std::uint32_t size() const { return m_size; }

private:
    std::size_t home(std::uint64_t hash) const {
        // The high half picks the slot (scaled to any table size), the low half is the tag kept in the slot.
        return static_cast<std::size_t>(((hash >> 32) * m_slots.size()) >> 32);
    }
    void rebuild(std::size_t slot_count);
    void append(std::string_view key);
    std::uint32_t probe(std::string_view key, std::uint64_t hash, std::size_t& slot) const;
    std::uint32_t first_candidate(std::uint64_t hash) const;  // the first slot with the tag, or k_none
    void prefetch_key(std::uint32_t id) const;

    // Arena: each key is a length byte (0-253; 255 = a 4-byte length follows) and its bytes; 254 ends a
    // block early (the next key starts the next block).
    std::vector<std::unique_ptr<char[]>> m_blocks;
    std::size_t m_block_used = 0;
    std::size_t m_block_size = 0;  // of the last block
    std::size_t m_first_block_size = 0;
    unsigned m_mark_shift;
    std::vector<std::uint64_t> m_marks;  // (block << 32) | offset of every 2^m_mark_shift-th key
    // (tag << 32) | (id + 1); 0 = empty. Linear probing, at most 80% full.
    SlotArray m_slots;
    std::uint32_t m_size = 0;
};

}  // namespace csat
