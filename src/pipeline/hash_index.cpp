#include "csat/hash_index.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <limits>
#include <vector>

namespace csat {

namespace {

// Arena blocks grow from 4 KiB (dictionaries of a few values stay small) to 8 MiB.
constexpr std::size_t k_first_block_bytes = std::size_t{4} << 10;
constexpr std::size_t k_block_bytes = std::size_t{8} << 20;

}  // namespace

void SlotArray::fill_zero() {
    if (m_size > 0) {
        std::memset(m_data, 0, m_size * sizeof(*m_data));
    }
}

std::string_view StringIndex::key_walk(std::uint32_t id) const {
    const char* at = mark_record(m_marks[id >> m_mark_shift]);
    for (std::uint32_t skip = id & ((1u << m_mark_shift) - 1);; --skip) {
        auto len = static_cast<unsigned char>(*at);
        if (len == k_block_end) {
            // The next key starts the next block. Rare (once per block), so the block is looked up here
            // rather than kept in every mark.
            const auto address = reinterpret_cast<std::uintptr_t>(at);
            std::size_t block = 0;
            while (address - reinterpret_cast<std::uintptr_t>(m_blocks[block].as<char>()) >=
                   m_blocks[block].bytes()) {
                ++block;  // not in this block (an address below the block wraps around to a large difference)
            }
            at = m_blocks[block + 1].as<char>();
            ++skip;  // the marker is not a key
            continue;
        }
        std::size_t size = len;
        std::size_t head = 1;
        if (len == k_long_key) {
            std::uint32_t n = 0;
            std::memcpy(&n, at + 1, sizeof n);
            size = n;
            head = 5;
        }
        if (skip == 0) {
            return {at + head, size};
        }
        at += head + size;
    }
}

void StringIndex::append_new_block_or_mark(std::string_view key) {
    const std::size_t head = key.size() < k_block_end ? 1 : 5;
    const std::size_t need = head + key.size();
    // One byte of every block stays free for the end marker.
    if (m_blocks.empty() || m_block_used + need >= m_blocks[m_block].bytes()) {
        std::size_t next = 0;
        std::size_t size = k_first_block_bytes;
        if (!m_blocks.empty()) {
            m_blocks[m_block].as<char>()[m_block_used] = static_cast<char>(k_block_end);
            next = m_block + 1;
            size = std::min(k_block_bytes, m_blocks[m_block].bytes() * 2);
        }
        // A key longer than a block gets a block of its own size. Blocks kept by clear() are used again.
        size = std::max(size, need + 1);
        if (next == m_blocks.size()) {
            m_blocks.emplace_back(size);
        } else if (m_blocks[next].bytes() < need + 1) {
            m_blocks[next] = ZeroedBuffer(size);
        }
        m_block = next;
        m_block_used = 0;
    }
    if ((m_size & ((1u << m_mark_shift) - 1)) == 0) {
        const auto record = reinterpret_cast<std::uintptr_t>(m_blocks[m_block].as<char>() + m_block_used);
        const std::uint64_t len = head == 1 ? key.size() : k_block_end;
        m_marks.push_back(static_cast<std::uint64_t>(record) | (len << k_mark_len_shift));
    }
    char* out = m_blocks[m_block].as<char>() + m_block_used;
    if (head == 1) {
        out[0] = static_cast<char>(key.size());
    } else {
        out[0] = static_cast<char>(k_long_key);
        auto n = static_cast<std::uint32_t>(key.size());
        std::memcpy(out + 1, &n, sizeof n);
    }
    if (!key.empty()) {  // an empty view may carry a null pointer, which memcpy must not see
        std::memcpy(out + head, key.data(), key.size());
    }
    m_block_used += need;
    ++m_size;
}

// The id of key, or k_none with `slot` at the empty slot where it would go.
std::uint32_t StringIndex::probe(std::string_view key, std::uint64_t hash, std::size_t& slot) const {
    const std::uint32_t tag = tag_of(hash);
    const std::size_t n = m_slots.size();
    std::size_t i = home(hash);
    while (m_slots[i] != 0) {
        const std::uint32_t s = m_slots[i];
        const std::uint32_t id = (s & m_id_mask) - 1;
        if ((s & ~m_id_mask) == tag && bytes_equal(this->key(id), key)) {
            slot = i;
            return id;
        }
        i = i + 1 == n ? 0 : i + 1;
    }
    slot = i;
    return k_none;
}

std::uint32_t StringIndex::first_candidate(std::uint64_t hash) const {
    const std::uint32_t tag = tag_of(hash);
    const std::size_t n = m_slots.size();
    for (std::size_t i = home(hash); m_slots[i] != 0; i = i + 1 == n ? 0 : i + 1) {
        if ((m_slots[i] & ~m_id_mask) == tag) {
            return (m_slots[i] & m_id_mask) - 1;
        }
    }
    return k_none;
}

inline void StringIndex::prefetch_key(std::uint32_t id) const {
    const char* at = mark_record(m_marks[id >> m_mark_shift]);
    __builtin_prefetch(at);
    if (m_mark_shift > 0) {
        __builtin_prefetch(at + 64);  // the key may be a few short keys further on
        __builtin_prefetch(at + 128);
    }
}

void StringIndex::find_many(const std::string_view* keys, const std::uint64_t* hashes, std::size_t n,
                            std::uint32_t* out) const {
    if (m_slots.empty()) {
        std::fill(out, out + n, k_none);
        return;
    }
    // Three stages a few keys apart: load the slot; read it and load the key's bytes; compare.
    constexpr std::size_t k_slot_ahead = 16;
    constexpr std::size_t k_key_ahead = 8;
    for (std::size_t i = 0; i < std::min(n, k_key_ahead); ++i) {
        out[i] = first_candidate(hashes[i]);
    }
    for (std::size_t i = 0; i < n; ++i) {
        if (i + k_slot_ahead < n) {
            prefetch(hashes[i + k_slot_ahead]);
        }
        if (i + k_key_ahead < n) {
            std::uint32_t c = first_candidate(hashes[i + k_key_ahead]);
            out[i + k_key_ahead] = c;
            if (c != k_none) {
                prefetch_key(c);
            }
        }
        if (out[i] != k_none && !bytes_equal(key(out[i]), keys[i])) {
            out[i] = find(keys[i], hashes[i]);  // a tag shared by another key: the full probe
        }
    }
}

std::uint32_t StringIndex::find(std::string_view key, std::uint64_t hash) const {
    if (m_slots.empty()) {
        return k_none;
    }
    std::size_t slot = 0;
    return probe(key, hash, slot);
}

void StringIndex::reserve(std::size_t keys, unsigned threads) {
    // Half full at `keys`, big or small. Growing lets a big table fill to 80% (see full()), but one sized
    // ahead, the case index, is worth the memory: with linear probing, a table 75% full probes 8.5 slots on
    // average to insert a new key and 2.5 to find one, half full 2.5 and 1.5, and each extra probe is a
    // branch that may mispredict and sometimes a cache line more. 5M cases, 2 threads: 1.31 -> 1.27 s of CPU
    // (15 alternating pairs), peak RSS 170 -> 185 MB.
    std::size_t want = keys * 2 + 1;
    if (want > m_slots.size()) {
        rebuild(want, threads);
    }
}

void StringIndex::clear() {
    m_block = 0;
    m_block_used = 0;
    m_marks.clear();
    m_size = 0;
    m_slots.fill_zero();
}

void StringIndex::rebuild(std::size_t slot_count, unsigned threads) {
    // The slot position comes from hash bits that the slot does not keep, so growing hashes every key again,
    // in id order through the arena. With reserve() this happens at most once or twice per load.
    m_slots.assign_zero(slot_count, threads);
    // Full at half the slots, or 80% of a big table's (see k_small_table).
    m_max_keys = static_cast<std::uint32_t>(
        std::min<std::size_t>(slot_count < k_small_table ? slot_count / 2 : slot_count * 4 / 5,
                              std::numeric_limits<std::uint32_t>::max()));
    // id + 1 is at most the number of keys, which stays under the number of slots.
    const auto id_bits = static_cast<unsigned>(std::bit_width(slot_count));
    m_id_mask = id_bits >= 32 ? ~std::uint32_t{0} : (std::uint32_t{1} << id_bits) - 1;
    for (std::uint32_t id = 0; id < m_size; ++id) {
        std::uint64_t hash = hash_bytes(key(id));
        std::size_t i = home(hash);
        while (m_slots[i] != 0) {
            i = i + 1 == slot_count ? 0 : i + 1;
        }
        m_slots[i] = tag_of(hash) | (id + 1);
    }
}

}  // namespace csat
