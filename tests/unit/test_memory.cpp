// The memory module: big blocks on their own 2 MiB-aligned mappings, small ones from malloc, zero where
// promised, aligned as asked, and a vector on BigAllocator keeping its values as it grows across the line
// between the two.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "csat/memory.hpp"

using namespace csat;

namespace {

bool all_zero(const char* p, std::size_t n) {
    return std::all_of(p, p + n, [](char c) { return c == 0; });
}

struct alignas(64) Wide {
    std::uint64_t words[8];
};

}  // namespace

TEST_CASE("zeroed buffers are zero on both sides of the big-block line", "[memory]") {
    for (std::size_t bytes : {std::size_t{1}, std::size_t{4096}, k_big_block - 1, k_big_block,
                              k_huge_page + 1, std::size_t{5} << 21}) {
        ZeroedBuffer buffer(bytes);
        REQUIRE(buffer.bytes() == bytes);
        CHECK(all_zero(buffer.as<char>(), bytes));
        const auto address = reinterpret_cast<std::uintptr_t>(buffer.as<char>());
        // A big block starts on a huge-page boundary, so the kernel can back it with huge pages.
        CHECK((bytes < k_big_block || !k_big_blocks_mapped || address % k_huge_page == 0));
        buffer.as<char>()[bytes - 1] = 1;  // the whole size is writable
    }
    ZeroedBuffer none(0);
    CHECK(none.as<char>() == nullptr);
}

TEST_CASE("big allocations are aligned as their type asks", "[memory]") {
    for (std::size_t n :
         {std::size_t{1}, std::size_t{3}, std::size_t{1000}, k_big_block / sizeof(Wide) + 1}) {
        BigAllocator<Wide> alloc;
        Wide* p = alloc.allocate(n);
        CHECK(reinterpret_cast<std::uintptr_t>(p) % alignof(Wide) == 0);
        p[n - 1].words[7] = 42;
        alloc.deallocate(p, n);
    }
}

TEST_CASE("a vector on BigAllocator keeps its values as it grows onto huge pages and back", "[memory]") {
    std::vector<std::uint32_t, BigAllocator<std::uint32_t>> v;
    const std::size_t n = 3 * k_big_block / sizeof(std::uint32_t);  // crosses the line twice by doubling
    for (std::size_t i = 0; i < n; ++i) {
        v.push_back(static_cast<std::uint32_t>(i * 2654435761u));
    }
    bool same = true;
    for (std::size_t i = 0; i < n; ++i) {
        same = same && v[i] == static_cast<std::uint32_t>(i * 2654435761u);
    }
    CHECK(same);
    v.resize(10);
    v.shrink_to_fit();  // back under the line: from malloc again
    CHECK(v.size() == 10);
    CHECK(v[9] == static_cast<std::uint32_t>(9 * 2654435761u));
}

TEST_CASE("memory faulted in on several threads stays zero, whatever the split", "[memory]") {
    // Three pages and a bit (one 2 MiB unit: one thread does it all, whatever was asked), and five 2 MiB
    // units and a bit shared out over 1, 2, 3 and 8 threads (the last unit partial; 8 more than units).
    for (std::size_t bytes : {std::size_t{3 * 4096 + 100}, (std::size_t{5} << 21) + 100}) {
        for (unsigned threads : {0u, 1u, 2u, 3u, 8u}) {
            ZeroedBuffer buffer(bytes);
            fault_in(buffer.as<char>(), bytes, threads);
            CHECK(all_zero(buffer.as<char>(), bytes));
        }
    }
}

TEST_CASE("rows added without being written keep what is written into them, also as the vector grows",
          "[memory]") {
    struct Row {
        std::uint64_t a = 1;  // the default that emplace_back() does not write
        std::uint32_t b = 2;
    };
    std::vector<Row, StreamedRowAllocator<Row>> rows;
    const std::size_t n = 2 * k_big_block / sizeof(Row);  // grows from malloc onto huge pages
    for (std::size_t i = 0; i < n; ++i) {
        Row* slot = &rows.emplace_back();
        *slot = Row{i, static_cast<std::uint32_t>(i * 3)};
    }
    bool same = true;
    for (std::size_t i = 0; i < n; ++i) {
        same = same && rows[i].a == i && rows[i].b == static_cast<std::uint32_t>(i * 3);
    }
    CHECK(same);
    CHECK(rows.size() == n);
}
