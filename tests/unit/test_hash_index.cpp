// The string index behind the case index and every dictionary: keys of every length (the word-at-a-time
// compare and copy paths, the 1-byte and 5-byte length heads, keys longer than an arena block), growth,
// reserve, clear and reuse, batched lookups, and the small-string helpers on their own.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "csat/hash_index.hpp"

using namespace csat;

namespace {

std::string key_of(std::size_t i, std::size_t length) {
    std::string k(length, 'k');
    for (std::size_t b = 0; b < length && b < 8; ++b) {
        k[length - 1 - b] = static_cast<char>('a' + (i >> (4 * b)) % 16);
    }
    return k;
}

}  // namespace

TEST_CASE("bytes_equal and copy_bytes agree with the standard ones at every length up to 40", "[index]") {
    for (std::size_t n = 0; n <= 40; ++n) {
        std::string a(n, 'x');
        for (std::size_t i = 0; i < n; ++i) {
            a[i] = static_cast<char>('a' + i % 26);
        }
        std::string copy(n + 1, '#');
        copy_bytes(copy.data(), a);
        INFO("length " << n);
        CHECK(copy.substr(0, n) == a);
        CHECK(copy[n] == '#');  // nothing written past the end
        CHECK(bytes_equal(a, a));
        for (std::size_t i = 0; i < n; ++i) {
            std::string b = a;
            b[i] = '!';
            CHECK_FALSE(bytes_equal(a, b));
        }
        CHECK_FALSE(bytes_equal(a, a + "z"));
    }
}

TEST_CASE("keys of every length go in once, come back whole and are found again", "[index]") {
    for (unsigned shift : {0u, 4u}) {
        StringIndex index(shift);
        std::vector<std::string> keys;
        for (std::size_t length :
             {std::size_t{0}, std::size_t{1}, std::size_t{3}, std::size_t{7}, std::size_t{8}, std::size_t{15},
              std::size_t{16}, std::size_t{17}, std::size_t{31}, std::size_t{253}, std::size_t{254},
              std::size_t{300}, std::size_t{9u << 20}}) {  // longer than an arena block
            for (std::size_t i = 0; i < (length > 1000 ? 2u : 300u); ++i) {
                keys.push_back(key_of(i, length));
            }
        }
        std::vector<std::uint32_t> ids;
        for (const std::string& k : keys) {
            auto [id, inserted] = index.insert(k);
            // Only the first key of length 0 is new: key_of gives the same empty key every time.
            ids.push_back(id);
            if (!inserted) {
                CHECK(index.key(id) == k);
            }
        }
        for (std::size_t i = 0; i < keys.size(); ++i) {
            INFO("shift " << shift << ", key " << i << " of length " << keys[i].size());
            REQUIRE(index.key(ids[i]) == keys[i]);
            CHECK(index.find(keys[i]) == ids[i]);
            CHECK_FALSE(index.insert(keys[i]).second);
        }
        CHECK(index.find("not there") == StringIndex::k_none);
        std::vector<std::string_view> views(keys.begin(), keys.end());
        views.emplace_back("not there either");
        std::vector<std::uint64_t> hashes;
        for (std::string_view v : views) {
            hashes.push_back(hash_bytes(v));
        }
        std::vector<std::uint32_t> found(views.size());
        index.find_many(views.data(), hashes.data(), views.size(), found.data());
        for (std::size_t i = 0; i < keys.size(); ++i) {
            CHECK(found[i] == ids[i]);
        }
        CHECK(found.back() == StringIndex::k_none);
    }
}

TEST_CASE("a reserved index and a cleared one behave like a new one", "[index]") {
    StringIndex index(4);
    index.reserve(100000);
    for (std::uint32_t i = 0; i < 100000; ++i) {
        REQUIRE(index.insert("C" + std::to_string(i)) == std::make_pair(i, true));
    }
    CHECK(index.key(99999) == "C99999");
    CHECK(index.find("C12345") == 12345);
    index.clear();
    CHECK(index.size() == 0);
    CHECK(index.find("C12345") == StringIndex::k_none);
    CHECK(index.insert("C12345") == std::make_pair(std::uint32_t{0}, true));
    CHECK(index.insert("x") == std::make_pair(std::uint32_t{1}, true));
    CHECK(index.key(0) == "C12345");
    CHECK(index.key(1) == "x");
}

TEST_CASE("an index reserved on two threads holds and finds its keys", "[index]") {
    StringIndex index(4);
    index.reserve(3000000, 2);  // 6M slots, 24 MB: big enough to be faulted in on both
    std::size_t fresh = 0;
    for (std::uint32_t i = 0; i < 1500000; ++i) {
        if (index.insert("C" + std::to_string(i)).second) {
            ++fresh;
        }
    }
    CHECK(fresh == 1500000);
    CHECK(index.size() == 1500000);
    CHECK(index.find("C1499999") == 1499999);
    CHECK(index.find("C1500000") == StringIndex::k_none);
    // A slot of a table this size keeps a 9-bit tag beside the 23-bit id, so about one probe in 512 of a slot
    // holding another key matches the tag: only the key's bytes tell them apart. 1.5M absent keys in a table
    // a quarter full probe about 0.6M such slots.
    std::vector<std::string> absent;
    for (std::uint32_t i = 0; i < 1500000; ++i) {
        absent.push_back("D" + std::to_string(i));
    }
    std::vector<std::string_view> views(absent.begin(), absent.end());
    std::vector<std::uint64_t> hashes;
    for (std::string_view v : views) {
        hashes.push_back(hash_bytes(v));
    }
    std::vector<std::uint32_t> found(views.size());
    index.find_many(views.data(), hashes.data(), views.size(), found.data());
    CHECK(std::count(found.begin(), found.end(), StringIndex::k_none) == 1500000);
    std::size_t missing = 0;
    for (std::uint32_t i = 0; i < 1500000; i += 7) {
        if (index.find("C" + std::to_string(i)) != i) {
            ++missing;
        }
    }
    CHECK(missing == 0);
}
