// Memory for big tables and buffers. On the benchmark machine (a 2-core virtual machine) the first write to
// a 4 KiB page costs about 13 us: 3.4 ms per MiB, whether or not the host had taken the memory back, against
// 0.07 ms per MiB for a 2 MiB page the host still backs and about 2 when it does not (bench/RESULTS.md,
// seventh session). A 5M-case run touched 107 MB in 21,600 such faults, a fifth of its CPU time. So every
// block of 1 MiB or more is mapped on its own, aligned to and rounded up to 2 MiB, and asked for on huge
// pages; smaller ones come from malloc as before.
#pragma once

#include <cstddef>
#include <cstdint>
#include <new>
#include <type_traits>
#include <utility>

namespace csat {

inline constexpr std::size_t k_huge_page = std::size_t{2} << 20;
inline constexpr std::size_t k_big_block = std::size_t{1} << 20;  // from here on: its own mapping
// Under AddressSanitizer every block comes from malloc, so that its redzones guard the big ones too (a
// reader's buffer, a batch's rows).
#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool k_big_blocks_mapped = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool k_big_blocks_mapped = false;
#else
inline constexpr bool k_big_blocks_mapped = true;
#endif
#else
inline constexpr bool k_big_blocks_mapped = true;
#endif

// Zero-filled memory, from malloc below k_big_block and from its own huge-page mapping above.
void* allocate_zeroed(std::size_t bytes);
// Memory with no promise about its contents (a big block is zero all the same), aligned to `align`.
void* allocate_big(std::size_t bytes, std::size_t align);
// Frees what either of the two gave, with the size it was asked for.
void free_big(void* p, std::size_t bytes);
// Touches every page of [p, p + bytes) on `threads` threads at once (at most one per 2 MiB). The kernel
// zeroes a page when it is first written, and in a virtual machine a huge page whose memory the host has
// taken back costs 2-3 ms per MiB to fault in (measured on the benchmark machine): a case index of 50 MB
// faulted in by random inserts on the one thread that applies them stalled it for ~130 ms, with the other
// core idle.
void fault_in(void* p, std::size_t bytes, unsigned threads);

// Owns memory from allocate_zeroed.
class ZeroedBuffer {
  public:
    ZeroedBuffer() = default;
    explicit ZeroedBuffer(std::size_t bytes) : m_data(allocate_zeroed(bytes)), m_bytes(bytes) {}
    ~ZeroedBuffer() { free_big(m_data, m_bytes); }
    ZeroedBuffer(const ZeroedBuffer&) = delete;
    ZeroedBuffer& operator=(const ZeroedBuffer&) = delete;
    ZeroedBuffer(ZeroedBuffer&& o) noexcept : m_data(o.m_data), m_bytes(o.m_bytes) {
        o.m_data = nullptr;
        o.m_bytes = 0;
    }
    ZeroedBuffer& operator=(ZeroedBuffer&& o) noexcept {
        std::swap(m_data, o.m_data);
        std::swap(m_bytes, o.m_bytes);
        return *this;
    }
    template <class T>
    T* as() const {
        return static_cast<T*>(m_data);
    }
    std::size_t bytes() const { return m_bytes; }

  private:
    void* m_data = nullptr;
    std::size_t m_bytes = 0;
};

// A standard allocator over allocate_big, for the vectors that grow to a megabyte or more: the reader's
// buffer and a batch's rows.
template <class T>
struct BigAllocator {
    using value_type = T;
    BigAllocator() = default;
    template <class U>
    BigAllocator(const BigAllocator<U>& /*other*/) noexcept {}  // NOLINT: rebinding is implicit
    T* allocate(std::size_t n) {
        if (n > static_cast<std::size_t>(-1) / sizeof(T)) {
            throw std::bad_array_new_length();
        }
        return static_cast<T*>(allocate_big(n * sizeof(T), alignof(T)));
    }
    void deallocate(T* p, std::size_t n) noexcept { free_big(p, n * sizeof(T)); }
    template <class U>
    bool operator==(const BigAllocator<U>& /*other*/) const noexcept {
        return true;
    }
};

// BigAllocator for rows that are written whole after a vector adds them (a batch's case rows, by streaming
// stores): emplace_back() with no arguments leaves the new row's memory as it is, where the vector would
// write it once before. Only for types whose bytes are their value (trivially copyable, aggregates).
template <class T>
struct StreamedRowAllocator : BigAllocator<T> {
    template <class U>
    struct rebind {
        using other = StreamedRowAllocator<U>;
    };
    StreamedRowAllocator() = default;
    template <class U>
    StreamedRowAllocator(const StreamedRowAllocator<U>& /*other*/) noexcept {}  // NOLINT: implicit rebinding
    template <class U>
    void construct(U* /*p*/) noexcept {
        static_assert(std::is_trivially_copyable_v<U> && std::is_aggregate_v<U>);
    }
};

}  // namespace csat
