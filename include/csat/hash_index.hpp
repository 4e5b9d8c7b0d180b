// StringIndex interns strings (case IDs, dimension values, packed group keys) into dense 32-bit ids, in
// insertion order. It is the case index of the join when the IDs are not numbered (see CaseIndex), so it is
// built for millions of keys: the keys live back to back in an arena of blocks (no per-key allocation, and
// growth never copies them), the position of only every 2^mark_shift-th key is remembered (the case index
// keeps one in 16: finding a key's bytes walks at most 15 short keys), and the open-addressing table holds 4
// bytes per slot.
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include "csat/memory.hpp"

namespace csat {

namespace hash_detail {

inline std::uint64_t load_u64(const char* p) {
    std::uint64_t v = 0;
    __builtin_memcpy(&v, p, 8);
    return v;
}
inline std::uint64_t load_u32(const char* p) {
    std::uint32_t v = 0;
    __builtin_memcpy(&v, p, 4);
    return v;
}
// 64x64 -> 128-bit multiply, folded: the core of fast multiplicative string hashes.
inline std::uint64_t fold_multiply(std::uint64_t a, std::uint64_t b) {
    __uint128_t r = static_cast<__uint128_t>(a) * b;
    return static_cast<std::uint64_t>(r) ^ static_cast<std::uint64_t>(r >> 64);
}
inline constexpr std::uint64_t k_p0 = 0xa0761d6478bd642fULL;
inline constexpr std::uint64_t k_p1 = 0xe7037ed1a0b428dbULL;

// The 0-16 bytes at p as two words of overlapping loads, never past p + n: with n, they say which bytes
// those are, so they identify the string.
struct ShortWords {
    std::uint64_t a = 0;
    std::uint64_t b = 0;
};
inline ShortWords short_words(const char* p, std::size_t n) {
    if (n >= 8) {
        return {load_u64(p), load_u64(p + n - 8)};
    }
    if (n >= 4) {
        return {load_u32(p) | (load_u32(p + n - 4) << 32), 0};
    }
    if (n > 0) {
        return {(std::uint64_t{static_cast<unsigned char>(p[0])} << 16) |
                    (std::uint64_t{static_cast<unsigned char>(p[n / 2])} << 8) |
                    static_cast<unsigned char>(p[n - 1]),
                0};
    }
    return {};
}

}  // namespace hash_detail

// Inline: every row hashes its ID and its class key. Sixteen bytes per step; the last 1-16 bytes are read as
// overlapping words, never past the end.
inline std::uint64_t hash_bytes(std::string_view s) {
    using namespace hash_detail;
    const char* p = s.data();
    std::size_t n = s.size();
    std::uint64_t h = k_p0 ^ n;
    while (n > 16) {
        h = fold_multiply(load_u64(p) ^ k_p1, load_u64(p + 8) ^ h);
        p += 16;
        n -= 16;
    }
    const ShortWords w = short_words(p, n);
    // A second round: the first leaves short keys' bits in the low half, and the table reads the high half.
    std::uint64_t r = fold_multiply(w.a ^ k_p1, w.b ^ h);
    return fold_multiply(r ^ k_p0, static_cast<std::uint64_t>(s.size()) ^ k_p1);
}

// a == b without a library call for short strings: overlapping word compares within [0, size).
inline bool bytes_equal(std::string_view a, std::string_view b) {
    const std::size_t n = a.size();
    if (n != b.size()) {
        return false;
    }
    if (n >= 8 && n <= 16) {
        using hash_detail::load_u64;
        return ((load_u64(a.data()) ^ load_u64(b.data())) |
                (load_u64(a.data() + n - 8) ^ load_u64(b.data() + n - 8))) == 0;
    }
    if (n > 16 && n <= 32) {
        using hash_detail::load_u64;
        const char* x = a.data();
        const char* y = b.data();
        return ((load_u64(x) ^ load_u64(y)) | (load_u64(x + 8) ^ load_u64(y + 8)) |
                (load_u64(x + n - 16) ^ load_u64(y + n - 16)) |
                (load_u64(x + n - 8) ^ load_u64(y + n - 8))) == 0;
    }
    if (n >= 4 && n < 8) {
        using hash_detail::load_u32;
        return ((load_u32(a.data()) ^ load_u32(b.data())) |
                (load_u32(a.data() + n - 4) ^ load_u32(b.data() + n - 4))) == 0;
    }
    return a == b;
}

// memcpy of a short string without a library call: overlapping fixed-size copies within [0, size).
inline void copy_bytes(char* out, std::string_view in) {
    const char* p = in.data();
    const std::size_t n = in.size();
    if (n >= 8 && n <= 16) {
        __builtin_memcpy(out, p, 8);
        __builtin_memcpy(out + n - 8, p + n - 8, 8);
    } else if (n >= 4 && n < 8) {
        __builtin_memcpy(out, p, 4);
        __builtin_memcpy(out + n - 4, p + n - 4, 4);
    } else if (n > 0) {
        __builtin_memcpy(out, p, n);  // never with an empty view's null pointer
    }
}

// A zero-filled array of table slots.
class SlotArray {
  public:
    // n zero slots (what was there is gone), faulted in at once on `threads` threads if more than one.
    void assign_zero(std::size_t n, unsigned threads = 1) {
        m_buffer = ZeroedBuffer();
        m_buffer = ZeroedBuffer(n * sizeof(std::uint32_t));
        m_data = m_buffer.as<std::uint32_t>();
        m_size = n;
        if (threads > 1 && m_buffer.bytes() >= (std::size_t{8} << 20)) {  // a small one is not worth a thread
            fault_in(m_data, m_buffer.bytes(), threads);
        }
    }
    void fill_zero();
    std::size_t size() const { return m_size; }
    bool empty() const { return m_size == 0; }
    std::uint32_t& operator[](std::size_t i) { return m_data[i]; }
    const std::uint32_t& operator[](std::size_t i) const { return m_data[i]; }

  private:
    ZeroedBuffer m_buffer;
    std::uint32_t* m_data = nullptr;
    std::size_t m_size = 0;
};

class StringIndex {
  public:
    static constexpr std::uint32_t k_none = 0xFFFFFFFFu;

    explicit StringIndex(unsigned mark_shift = 0) : m_mark_shift(mark_shift) {}

    // Returns the key's id and whether it was new. `hash` must be hash_bytes(key): callers that hash on
    // another thread, or ahead to prefetch, pass it in.
    std::pair<std::uint32_t, bool> insert(std::string_view key) { return insert(key, hash_bytes(key)); }
    [[gnu::always_inline]] std::pair<std::uint32_t, bool> insert(std::string_view key, std::uint64_t hash) {
        // Always inline: loading a big file inserts every row's ID and looks up every row's class, and most
        // inserts find an empty slot or their key at once (GCC left the digest's class lookup a call; forced
        // inline, the 100k job runs 247.7M -> 245.9M instructions).
        if (full()) {
            rebuild(std::max<std::size_t>(64, m_slots.size() * 2));
        }
        const std::uint32_t tag = tag_of(hash);
        const std::size_t n = m_slots.size();
        std::size_t i = home(hash);
        for (std::uint32_t s = m_slots[i]; s != 0; s = m_slots[i]) {
            if ((s & ~m_id_mask) == tag) {
                const std::uint32_t id = (s & m_id_mask) - 1;
                if (bytes_equal(this->key(id), key)) {
                    return {id, false};
                }
            }
            i = i + 1 == n ? 0 : i + 1;
        }
        const std::uint32_t id = m_size;
        append(key);
        m_slots[i] = tag | (id + 1);
        return {id, true};
    }
    std::uint32_t find(std::string_view key) const { return find(key, hash_bytes(key)); }  // k_none if absent
    std::uint32_t find(std::string_view key, std::uint64_t hash) const;
    // out[i] = find(keys[i], hashes[i]) for n keys, with the memory reads of several lookups in flight at
    // once: in a big index each lookup would otherwise wait for the table, then for the key's bytes.
    void find_many(const std::string_view* keys, const std::uint64_t* hashes, std::size_t n,
                   std::uint32_t* out) const;
    // Starts loading the table slot that `hash` probes first, for a lookup a few rows later. Always inline:
    // GCC takes a function that only prefetches for one without side effects, and deletes the calls to it
    // where it is not inlined.
    [[gnu::always_inline]] void prefetch(std::uint64_t hash) const {
        if (!m_slots.empty()) {
            __builtin_prefetch(&m_slots[home(hash)], 1);
        }
    }
    // Sizes the table for `keys` keys at once, so that loading a big file does not rehash on the way; with
    // more than one thread, they fault the table in first (see fault_in).
    void reserve(std::size_t keys, unsigned threads = 1);
    // Empty again; keeps the table and the arena's blocks for reuse.
    void clear();

    std::string_view key(std::uint32_t id) const {
        // Inline for a key with a mark of its own (every key in a dictionary): the mark holds where it is and
        // how long, so finding it takes one load.
        if ((id & ((1u << m_mark_shift) - 1)) == 0) {
            const std::uint64_t mark = m_marks[id >> m_mark_shift];
            const auto len = static_cast<std::size_t>(mark >> k_mark_len_shift);
            if (len < k_block_end) {
                return {mark_record(mark) + 1, len};
            }
        }
        return key_walk(id);
    }
    std::uint32_t size() const { return m_size; }

  private:
    std::size_t home(std::uint64_t hash) const {
        // The high half picks the slot (scaled to any table size); the low half's top bits are the tag.
        return static_cast<std::size_t>(((hash >> 32) * m_slots.size()) >> 32);
    }
    std::uint32_t tag_of(std::uint64_t hash) const { return static_cast<std::uint32_t>(hash) & ~m_id_mask; }
    void rebuild(std::size_t slot_count, unsigned threads = 1);
    // A table that fits in cache (a dictionary, looked up on every row) stays at most half full, for short
    // probes; a big one (the case index) at most 80% full, for memory.
    static constexpr std::size_t k_small_table = std::size_t{1} << 16;  // slots
    bool full() const { return m_size >= m_max_keys; }
    void append(std::string_view key) {
        // The common case inline: a short key that fits the current block and needs no mark.
        char* block = m_blocks.empty() ? nullptr : m_blocks[m_block].as<char>();
        if (block != nullptr && key.size() < 254 &&
            m_block_used + key.size() + 1 < m_blocks[m_block].bytes() &&
            (m_size & ((1u << m_mark_shift) - 1)) != 0) {
            char* out = block + m_block_used;
            out[0] = static_cast<char>(key.size());
            copy_bytes(out + 1, key);
            m_block_used += key.size() + 1;
            ++m_size;
            return;
        }
        append_new_block_or_mark(key);
    }
    void append_new_block_or_mark(std::string_view key);
    std::string_view key_walk(std::uint32_t id) const;
    std::uint32_t probe(std::string_view key, std::uint64_t hash, std::size_t& slot) const;
    std::uint32_t first_candidate(std::uint64_t hash) const;  // the first slot with the tag, or k_none
    [[gnu::always_inline]] inline void prefetch_key(std::uint32_t id) const;  // see prefetch()

    // Arena: each key is a length byte (0-253; 255 = a 4-byte length follows) and its bytes; 254 ends a
    // block early (the next key starts the next block).
    static constexpr unsigned char k_block_end = 254;
    static constexpr unsigned char k_long_key = 255;
    // A mark: the address of a key's length byte in the low 48 bits (all a user-space address uses on
    // x86-64, the only target: the reader needs SSE2), the key's length above them, or k_block_end for a
    // long key (its length is in the arena). 8 bytes, where a pointer and a length would take 16: the case
    // index keeps a mark per 16 keys.
    static constexpr unsigned k_mark_len_shift = 48;
    static_assert(sizeof(void*) == 8);
    static const char* mark_record(std::uint64_t mark) {
        // NOLINTNEXTLINE(performance-no-int-to-ptr): the address was a pointer into the arena, masked back
        return reinterpret_cast<const char*>(mark & ((std::uint64_t{1} << k_mark_len_shift) - 1));
    }
    std::vector<ZeroedBuffer> m_blocks;
    std::size_t m_block = 0;  // the block being filled; any after it are kept from before a clear()
    std::size_t m_block_used = 0;
    unsigned m_mark_shift;
    std::vector<std::uint64_t> m_marks;  // of every 2^m_mark_shift-th key: see mark_record()
    // 4 bytes: id + 1 in the low bits that the table's size needs (m_id_mask), the hash's tag above them;
    // 0 = empty. Linear probing, at most 80% full (half full when sized ahead). The case index of 5M keys
    // keeps an 8-bit tag, so about one probe in 256 of a slot holding another key compares that key's bytes;
    // half the memory of 8-byte slots also means half the cache misses and half the pages to fault in.
    SlotArray m_slots;
    std::uint32_t m_id_mask = 0;
    std::uint32_t m_size = 0;
    std::uint32_t m_max_keys = 0;  // the table grows before it holds more (set by rebuild)
};

}  // namespace csat
