// CaseIndex interns case IDs into dense 32-bit ids, in insertion order, like StringIndex, which it falls
// back to. Most ticket systems number their cases: Zendesk and Freshdesk tickets are integers, Salesforce
// case numbers zero-padded ones, and exports are mostly sorted by number or by date. While every ID is one
// prefix and a number written one way (see NumberedIds), the index is an array of ids by number: an insert
// in number order writes the next 4 bytes, where a hashed insert misses the cache at random and copies the
// key. The 5M benchmark per agent, 2 threads: about 15% less CPU time, and peak memory 185 -> 105 MB.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "csat/hash_index.hpp"

namespace csat {

// The rule one ID sets for the rest: its prefix (the bytes before its last run of digits, so never ending
// in a digit), and how the number is written: always with the same count of digits (when the first ID's
// number has a leading zero), or with no leading zero. Within one rule, an ID and its number determine each
// other, so the array needs no key bytes to tell IDs apart.
class NumberedIds {
  public:
    static constexpr std::size_t k_max_digits = 18;  // so that every number fits in 64 bits

    // The rule of `id`, or false if it does not end in 1-18 digits.
    bool learn(std::string_view id);
    // The number of an ID that follows the rule, or false.
    [[gnu::always_inline]] bool parse(std::string_view id, std::uint64_t& number) const {
        const std::size_t p = m_prefix.size();
        const std::size_t digits = id.size() - p;
        if (id.size() <= p || digits > k_max_digits || (m_width != 0 && digits != m_width) ||
            (m_width == 0 && digits > 1 && id[p] == '0')) {
            return false;
        }
        for (std::size_t i = 0; i < p; ++i) {  // a prefix is a few bytes, if any: no call to memcmp
            if (id[i] != m_prefix[i]) {
                return false;
            }
        }
        std::uint64_t v = 0;
        std::size_t i = p;
        if (digits >= 8 && !eight_digits(id.data() + i, v)) {
            return false;
        }
        i += digits >= 8 ? 8 : 0;
        for (; i < id.size(); ++i) {
            const auto d = static_cast<unsigned>(static_cast<unsigned char>(id[i]) - '0');
            if (d > 9) {
                return false;
            }
            v = v * 10 + d;
        }
        number = v;
        return true;
    }
    std::string format(std::uint64_t number) const;  // the ID of a number, by the rule

  private:
    // The value of 8 ASCII digits at p, a word at a time (three multiplies, where a digit at a time is a
    // chain of eight), or false if any byte is not a digit.
    [[gnu::always_inline]] static bool eight_digits(const char* p, std::uint64_t& value) {
        std::uint64_t w = hash_detail::load_u64(p);
        // A byte below '0' borrows into its high bit; one above '9' carries into it with 0x46 added.
        if ((((w + 0x4646464646464646ULL) | (w - 0x3030303030303030ULL)) & 0x8080808080808080ULL) != 0) {
            return false;
        }
        w -= 0x3030303030303030ULL;                         // bytes 0-9, the first digit lowest
        w = (w * 10 + (w >> 8)) & 0x00FF00FF00FF00FFULL;    // pairs: 2 digits in each 16 bits
        w = (w * 100 + (w >> 16)) & 0x0000FFFF0000FFFFULL;  // 4 digits in each 32 bits
        value = (w * 10000 + (w >> 32)) & 0xFFFFFFFFULL;
        return true;
    }

    std::string m_prefix;
    std::size_t m_width = 0;  // 0: no leading zero
};

class CaseIndex {
  public:
    static constexpr std::uint32_t k_none = StringIndex::k_none;

    CaseIndex() = default;
    CaseIndex(const CaseIndex&) = delete;
    CaseIndex& operator=(const CaseIndex&) = delete;
    CaseIndex(CaseIndex&&) noexcept = default;
    CaseIndex& operator=(CaseIndex&&) noexcept = default;

    static constexpr std::uint64_t k_no_number = ~std::uint64_t{0};

    // The key's number under the rule (k_no_number if it has none, or the index is not numbered), for an
    // insert a few rows later, whose slot (or the hashed table's) this starts loading: in an export not
    // sorted by ID, inserts land anywhere. The number outlives a move of the array, or to hashing.
    [[gnu::always_inline]] std::uint64_t locate(std::string_view key, std::uint64_t hash) const {
        std::uint64_t number = 0;
        if (m_mode == Mode::numbered) {
            if (m_rule.parse(key, number)) {
                if (number - m_low < m_span) {
                    __builtin_prefetch(m_slots.as<std::uint32_t>() + (number - m_low), 1);
                }
                return number;
            }
        } else if (m_mode == Mode::hashed) {
            m_hashed.prefetch(hash);
        }
        return k_no_number;
    }
    // Returns the ID's id and whether it was new; `hash` is hash_bytes(key), `number` locate(key, hash).
    [[gnu::always_inline]] std::pair<std::uint32_t, bool> insert(std::string_view key, std::uint64_t hash,
                                                                 std::uint64_t number) {
        if (m_mode == Mode::numbered && number - m_low < m_span) {
            return insert_number(number);
        }
        return insert_slow(key, hash);
    }
    std::pair<std::uint32_t, bool> insert(std::string_view key, std::uint64_t hash) {
        std::uint64_t number = k_no_number;
        if (m_mode == Mode::numbered && !m_rule.parse(key, number)) {
            number = k_no_number;
        }
        return insert(key, hash, number);
    }
    // k_none for an ID not in the index.
    std::uint32_t find(std::string_view key) const;
    // out[i] = find(keys[i]), with the memory reads of several lookups in flight at once.
    void find_many(const std::string_view* keys, const std::uint64_t* hashes, std::size_t n,
                   std::uint32_t* out) const;
    // Expects about `keys` IDs: the array's first size, or the hashed table's (faulted in on `threads`).
    void reserve(std::size_t keys, unsigned threads = 1);
    std::uint32_t size() const { return m_size; }
    bool numbered() const { return m_mode == Mode::numbered; }

  private:
    enum class Mode : std::uint8_t { empty, numbered, hashed };

    // A number of the rule, inside the array.
    [[gnu::always_inline]] std::pair<std::uint32_t, bool> insert_number(std::uint64_t number) {
        std::uint32_t& slot = m_slots.as<std::uint32_t>()[number - m_low];
        if (slot != 0) {
            return {slot - 1, false};
        }
        slot = ++m_size;
        return {m_size - 1, true};
    }
    std::pair<std::uint32_t, bool> insert_slow(std::string_view key, std::uint64_t hash);
    bool cover(std::uint64_t number);  // widens the array to the number, or false if it would be too sparse
    void to_hashed();

    Mode m_mode = Mode::empty;
    NumberedIds m_rule;
    ZeroedBuffer m_slots;     // of the numbers [m_low, m_low + m_span): id + 1, or 0
    std::uint64_t m_low = 0;  // a number below it wraps around to a large offset, outside the span
    std::uint64_t m_span = 0;
    std::uint32_t m_size = 0;
    std::size_t m_expected = 0;
    unsigned m_threads = 1;
    StringIndex m_hashed{4};  // the IDs, once one breaks the rule or the numbers are too sparse
};

}  // namespace csat
