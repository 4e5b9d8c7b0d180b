#include "csat/case_index.hpp"

#include <algorithm>
#include <cassert>
#include <cstring>
#include <vector>

namespace csat {

namespace {

constexpr std::uint64_t k_outside = ~std::uint64_t{0};

// The array may span at most this many numbers per ID it holds (or is expected to hold), plus a fixed
// allowance: 16 bytes per case at worst, against the hashed index's 8 bytes of table and the key's bytes.
// A sparser numbering (an export of one queue of many, say) is hashed.
constexpr std::uint64_t k_numbers_per_id = 4;
constexpr std::uint64_t k_spare_numbers = std::uint64_t{1} << 16;

// On huge pages when big (csat/memory.hpp), which also serves the responses' random lookups. Faulted in by
// writes: an insert reads its slot before it writes it, and a first read maps the kernel's shared zero page,
// so the write after it faulted again and, with two threads, flushed the other core's TLB (5% of the samples
// of the 5M job, in do_wp_page and the flush's IPIs).
ZeroedBuffer allocate_slots(std::uint64_t count, unsigned threads) {
    ZeroedBuffer slots(count * sizeof(std::uint32_t));
    fault_in(slots.as<void>(), slots.bytes(), threads);
    return slots;
}

}  // namespace

bool NumberedIds::learn(std::string_view id) {
    std::size_t start = id.size();
    while (start > 0 && id[start - 1] >= '0' && id[start - 1] <= '9') {
        --start;
    }
    const std::size_t digits = id.size() - start;
    if (digits == 0 || digits > k_max_digits) {
        return false;
    }
    m_prefix = std::string(id.substr(0, start));
    m_width = digits > 1 && id[start] == '0' ? digits : 0;
    return true;
}

std::string NumberedIds::format(std::uint64_t number) const {
    std::string digits = std::to_string(number);
    if (digits.size() < m_width) {
        digits.insert(0, m_width - digits.size(), '0');
    }
    return m_prefix + digits;
}

std::pair<std::uint32_t, bool> CaseIndex::insert_slow(std::string_view key, std::uint64_t hash) {
    if (m_mode == Mode::empty) {
        std::uint64_t number = 0;
        if (m_rule.learn(key) && m_rule.parse(key, number)) {
            m_mode = Mode::numbered;
            m_low = number;
            m_span = std::max<std::uint64_t>(m_expected + m_expected / 16, 1024);
            m_slots = allocate_slots(m_span, m_threads);
            return insert_number(number);
        }
        m_mode = Mode::hashed;
        if (m_expected > 0) {
            m_hashed.reserve(m_expected, m_threads);
        }
    }
    if (m_mode == Mode::numbered) {
        std::uint64_t number = 0;
        // A number located before the rule was set, or outside the array.
        if (m_rule.parse(key, number) && (number - m_low < m_span || cover(number))) {
            return insert_number(number);
        }
        to_hashed();
    }
    auto result = m_hashed.insert(key, hash);
    m_size = m_hashed.size();
    return result;
}

bool CaseIndex::cover(std::uint64_t number) {
    const std::uint64_t high = m_low + m_span;
    const std::uint64_t new_low = std::min(m_low, number);
    const std::uint64_t needed = std::max(high, number + 1) - new_low;
    const std::uint64_t limit =
        k_numbers_per_id * std::max<std::uint64_t>(m_size + 1, m_expected) + k_spare_numbers;
    if (needed > limit) {
        return false;
    }
    // Doubling, so that IDs in number order copy the array a few times at most; downwards for an export
    // sorted newest first.
    const std::uint64_t span = std::max(needed, std::min(2 * m_span, limit));
    const std::uint64_t low = number < m_low ? (std::max(high, span) - span) : m_low;
    ZeroedBuffer slots = allocate_slots(span, m_threads);
    std::memcpy(slots.as<std::uint32_t>() + (m_low - low), m_slots.as<std::uint32_t>(),
                m_span * sizeof(std::uint32_t));
    m_slots = std::move(slots);
    m_low = low;
    m_span = span;
    return true;
}

void CaseIndex::to_hashed() {
    std::vector<std::uint64_t> numbers(m_size);
    const std::uint32_t* slots = m_slots.as<std::uint32_t>();
    for (std::uint64_t i = 0; i < m_span; ++i) {
        if (slots[i] != 0) {
            numbers[slots[i] - 1] = m_low + i;
        }
    }
    m_slots = ZeroedBuffer();
    m_span = 0;
    m_hashed.reserve(std::max<std::size_t>(m_expected, m_size), m_threads);
    for (std::uint64_t number : numbers) {
        [[maybe_unused]] auto [id, inserted] = m_hashed.insert(m_rule.format(number));
        assert(inserted && id + 1 == m_hashed.size());
    }
    m_mode = Mode::hashed;
}

std::uint32_t CaseIndex::find(std::string_view key) const {
    if (m_mode == Mode::hashed) {
        return m_hashed.find(key);
    }
    std::uint64_t number = 0;
    if (m_mode == Mode::numbered && m_rule.parse(key, number) && number - m_low < m_span) {
        return m_slots.as<std::uint32_t>()[number - m_low] - 1;  // an empty slot's 0 wraps to k_none
    }
    return k_none;
}

void CaseIndex::find_many(const std::string_view* keys, const std::uint64_t* hashes, std::size_t n,
                          std::uint32_t* out) const {
    if (m_mode != Mode::numbered) {
        if (m_mode == Mode::hashed) {
            m_hashed.find_many(keys, hashes, n, out);
        } else {
            std::fill(out, out + n, k_none);
        }
        return;
    }
    // Responses come in any order: the slots of a few lookups ahead load while one is read.
    constexpr std::size_t k_ahead = 16;
    std::vector<std::uint64_t> at(n);
    for (std::size_t i = 0; i < n; ++i) {
        std::uint64_t number = 0;
        at[i] = m_rule.parse(keys[i], number) && number - m_low < m_span ? number - m_low : k_outside;
    }
    const std::uint32_t* slots = m_slots.as<std::uint32_t>();
    for (std::size_t i = 0; i < n; ++i) {
        if (i + k_ahead < n && at[i + k_ahead] != k_outside) {
            __builtin_prefetch(slots + at[i + k_ahead]);
        }
        out[i] = at[i] == k_outside ? k_none : slots[at[i]] - 1;
    }
}

void CaseIndex::reserve(std::size_t keys, unsigned threads) {
    m_expected = keys;
    m_threads = threads;
    if (m_mode == Mode::hashed) {
        m_hashed.reserve(keys, threads);
    }
}

}  // namespace csat
