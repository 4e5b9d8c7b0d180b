#include "csat/memory.hpp"

#include <sys/mman.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <system_error>
#include <thread>
#include <vector>

namespace csat {

namespace {

std::size_t mapped_length(std::size_t bytes) {
    return (bytes + k_huge_page - 1) / k_huge_page * k_huge_page;
}

// A mapping of its own, on a huge-page boundary, asked for on huge pages: one huge page more is mapped than
// needed and the ends trimmed.
void* map_huge(std::size_t bytes) {
    const std::size_t length = mapped_length(bytes);
    void* p =
        ::mmap(nullptr, length + k_huge_page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        throw std::bad_alloc();
    }
    char* start = static_cast<char*>(p);
    const std::size_t misalign = reinterpret_cast<std::uintptr_t>(p) % k_huge_page;
    const std::size_t head = misalign == 0 ? 0 : k_huge_page - misalign;
    char* aligned = start + head;
    if (head > 0) {
        ::munmap(start, head);
    }
    if (k_huge_page - head > 0) {
        ::munmap(aligned + length, k_huge_page - head);
    }
    ::madvise(aligned, length, MADV_HUGEPAGE);  // a hint; fine if refused
    return aligned;
}

}  // namespace

void* allocate_zeroed(std::size_t bytes) {
    if (bytes == 0) {
        return nullptr;
    }
    if (k_big_blocks_mapped && bytes >= k_big_block) {
        return map_huge(bytes);
    }
    void* p = std::calloc(1, bytes);
    if (p == nullptr) {
        throw std::bad_alloc();
    }
    return p;
}

void* allocate_big(std::size_t bytes, std::size_t align) {
    if (k_big_blocks_mapped && bytes >= k_big_block) {
        return map_huge(bytes);
    }
    align = std::max(align, alignof(std::max_align_t));
    // aligned_alloc wants a multiple of the alignment; 0 bytes still gets a pointer of its own.
    void* p = std::aligned_alloc(align, std::max(align, (bytes + align - 1) / align * align));
    if (p == nullptr) {
        throw std::bad_alloc();
    }
    return p;
}

void free_big(void* p, std::size_t bytes) {
    if (p == nullptr) {
        return;
    }
    if (k_big_blocks_mapped && bytes >= k_big_block) {
        ::munmap(p, mapped_length(bytes));
        return;
    }
    std::free(p);
}

void fault_in(void* p, std::size_t bytes, unsigned threads) {
    constexpr std::size_t k_page = 4096;
    char* const begin = static_cast<char*>(p);
    const std::size_t units = (bytes + k_huge_page - 1) / k_huge_page;
    threads = static_cast<unsigned>(std::clamp<std::size_t>(units, 1, std::max(threads, 1u)));
    // Each thread claims the next huge page until none is left. Some pages cost 20 times as much as others
    // (freed a moment ago, or taken back by the host), so a fixed share per thread left one of them still
    // zeroing its part while the other waited and a core idled (a perf timeline: 64 ms of it in one run).
    std::atomic<std::size_t> next_unit{0};
    auto touch = [&] {
        for (std::size_t unit = next_unit.fetch_add(1, std::memory_order_relaxed); unit < units;
             unit = next_unit.fetch_add(1, std::memory_order_relaxed)) {
            const std::size_t from = unit * k_huge_page;
            for (std::size_t at = from; at < std::min(bytes, from + k_huge_page); at += k_page) {
                // The memory is zero already: this only faults it in.
                static_cast<volatile char*>(begin)[at] = 0;
            }
        }
    };
    std::vector<std::thread> helpers;
    for (unsigned t = 1; t < threads; ++t) {
        try {
            helpers.emplace_back(touch);
        } catch (const std::system_error&) {
            break;  // no thread to spare: the others claim its pages
        }
    }
    touch();
    for (std::thread& h : helpers) {
        h.join();
    }
}

}  // namespace csat
