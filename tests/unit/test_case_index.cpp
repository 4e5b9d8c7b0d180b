// The case index: the rule a first ID sets for numbered IDs, and the index against a plain StringIndex on the
// same keys (ids, "new" flags, lookups) in number order, reversed, shuffled, with repeats, with an ID that
// breaks the rule at every point, and with numbers too sparse for the array.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "csat/case_index.hpp"
#include "csat/hash_index.hpp"

using namespace csat;

namespace {

bool parses(const NumberedIds& rule, std::string_view id, std::uint64_t expected) {
    std::uint64_t n = 0;
    return rule.parse(id, n) && n == expected;
}

bool rejects(const NumberedIds& rule, std::string_view id) {
    std::uint64_t n = 0;
    return !rule.parse(id, n);
}

std::string numbered(std::uint64_t n) {
    std::string d = std::to_string(n);
    return "C" + std::string(9 - std::min<std::size_t>(9, d.size()), '0') + d;
}

// Inserts every key into both indexes, then looks up every key and some absent ones, one by one and batched,
// and compares each answer with the plain index's.
void check_like_string_index(const std::vector<std::string>& keys, std::size_t expected,
                             bool numbered_at_end) {
    CaseIndex index;
    StringIndex plain(4);
    index.reserve(expected, 2);
    // As the loader does: each key located a few inserts ahead (so across the rule's start, the array's
    // moves and the move to hashing), every other one inserted without.
    constexpr std::size_t k_ahead = 3;
    std::vector<std::uint64_t> numbers(keys.size(), CaseIndex::k_no_number);
    for (std::size_t i = 0; i < keys.size(); ++i) {
        if (i + k_ahead < keys.size()) {
            numbers[i + k_ahead] = index.locate(keys[i + k_ahead], hash_bytes(keys[i + k_ahead]));
        }
        const std::string& k = keys[i];
        INFO("key " << k);
        auto got = i % 2 == 0 ? index.insert(k, hash_bytes(k), numbers[i]) : index.insert(k, hash_bytes(k));
        auto want = plain.insert(k);
        REQUIRE(got == want);
    }
    CHECK(index.size() == plain.size());
    CHECK(index.numbered() == numbered_at_end);
    std::vector<std::string> probes = keys;
    for (std::string extra : {"", "C", "C0", "C000000000", "C999999999", "C0000000001", "c000000005", "X12",
                              "C00000000x", "12", "C-000000005"}) {
        probes.push_back(extra);
    }
    std::vector<std::string_view> views(probes.begin(), probes.end());
    std::vector<std::uint64_t> hashes;
    for (std::string_view v : views) {
        hashes.push_back(hash_bytes(v));
    }
    std::vector<std::uint32_t> found(views.size());
    index.find_many(views.data(), hashes.data(), views.size(), found.data());
    for (std::size_t i = 0; i < views.size(); ++i) {
        INFO("probe '" << views[i] << "'");
        CHECK(found[i] == plain.find(views[i]));
        CHECK(index.find(views[i]) == plain.find(views[i]));
    }
}

}  // namespace

TEST_CASE("a first ID sets the rule: its prefix, and a fixed width when its number has a leading zero",
          "[case_index]") {
    NumberedIds rule;
    REQUIRE(rule.learn("C000000042"));
    CHECK(parses(rule, "C000000042", 42));
    CHECK(parses(rule, "C123456789", 123456789));
    CHECK(rejects(rule, "C00000042"));    // one digit short: another ID
    CHECK(rejects(rule, "C0000000042"));  // one digit more
    CHECK(rejects(rule, "c000000042"));   // the prefix is compared byte for byte
    CHECK(rejects(rule, "D000000042"));
    CHECK(rejects(rule, "C00000004x"));
    CHECK(rejects(rule, "C"));
    CHECK(rejects(rule, ""));
    CHECK(rule.format(42) == "C000000042");

    REQUIRE(rule.learn("4101"));  // Zendesk: no prefix, no leading zero
    CHECK(parses(rule, "7", 7));
    CHECK(parses(rule, "0", 0));
    CHECK(parses(rule, "123456789012345678", 123456789012345678ULL));  // 18 digits
    CHECK(rejects(rule, "0123"));                 // "123" is another ID: a leading zero breaks the rule
    CHECK(rejects(rule, "1234567890123456789"));  // 19 digits may not fit in 64 bits
    CHECK(rejects(rule, "-5"));
    CHECK(rule.format(0) == "0");

    REQUIRE(rule.learn("AB-12-0034"));  // only the last run of digits is the number
    CHECK(parses(rule, "AB-12-9999", 9999));
    CHECK(rejects(rule, "AB-13-0034"));
    CHECK(rejects(rule, "AB-120034"));
    CHECK(rule.format(35) == "AB-12-0035");

    CHECK_FALSE(rule.learn("5003000000D8cuIAAR"));    // a Salesforce record ID: no number at the end
    CHECK_FALSE(rule.learn("T1234567890123456789"));  // 19 digits
    CHECK_FALSE(rule.learn(""));
}

TEST_CASE("a number of 8 digits or more is read a word at a time, and any other byte breaks the rule",
          "[case_index]") {
    NumberedIds rule;
    REQUIRE(rule.learn("7"));  // no prefix, no leading zero
    for (std::uint64_t n : {10000000ULL, 12345678ULL, 98765432ULL, 99999999ULL, 123456789ULL, 908070605ULL,
                            1000000000000ULL, 999999999999999999ULL}) {
        CHECK(parses(rule, std::to_string(n), n));
    }
    // Bytes next to '0' and '9', and bytes whose high bit is set (a wide character's, in latin1 or UTF-8).
    for (char bad : {'/', ':', ' ', 'a', '\x80', '\xb9', '\xba', '\xc0', '\xff', '\0'}) {
        for (std::size_t at = 0; at < 10; ++at) {
            std::string id = "1234567890";
            id[at] = bad;
            INFO("byte " << static_cast<int>(static_cast<unsigned char>(bad)) << " at " << at);
            CHECK(rejects(rule, id));
        }
    }
}

TEST_CASE("numbered IDs in any order get the ids and lookups of a plain index", "[case_index]") {
    std::vector<std::string> keys;
    for (std::uint64_t n = 1; n <= 5000; ++n) {
        keys.push_back(numbered(n));
    }
    SECTION("in number order, sized ahead") {
        check_like_string_index(keys, keys.size(), true);
    }
    SECTION("in number order, not sized (a pipe): the array grows") {
        check_like_string_index(keys, 0, true);
    }
    SECTION("newest first: the array grows downwards") {
        std::reverse(keys.begin(), keys.end());
        check_like_string_index(keys, 0, true);
    }
    SECTION("shuffled, with every tenth ID repeated later") {
        std::mt19937 random(7);
        std::shuffle(keys.begin(), keys.end(), random);
        for (std::size_t i = 0; i < 5000; i += 10) {
            keys.push_back(keys[i]);
        }
        std::shuffle(keys.begin() + 2500, keys.end(), random);
        check_like_string_index(keys, keys.size(), true);
    }
}

TEST_CASE("an ID that breaks the rule moves every ID to the hashed index, keeping their ids",
          "[case_index]") {
    for (std::size_t at :
         {std::size_t{0}, std::size_t{1}, std::size_t{2}, std::size_t{777}, std::size_t{1999}}) {
        for (std::string odd : {"C00000001", "C0000000001", "5003000000D8cuIAAR", "", "C-7", "D000000003"}) {
            std::vector<std::string> keys;
            for (std::uint64_t n = 1; n <= 2000; ++n) {
                keys.push_back(numbered(n * 3 % 2001));
            }
            keys.insert(keys.begin() + static_cast<std::ptrdiff_t>(at), odd);
            keys.push_back(numbered(3));  // a repeat after the move
            keys.push_back(numbered(4242));
            INFO("'" << odd << "' at " << at);
            check_like_string_index(keys, keys.size(), false);
        }
    }
    SECTION("Zendesk numbers, then one with a leading zero") {
        std::vector<std::string> keys = {"4101", "4102", "4103", "04102", "4104", "4102"};
        check_like_string_index(keys, 0, false);
    }
}

TEST_CASE("numbers too sparse for the array are hashed; dense gaps stay in the array", "[case_index]") {
    SECTION("a jump past four numbers per ID and the fixed allowance") {
        std::vector<std::string> keys = {"100", "101", "102", "900000000", "103", "101"};
        check_like_string_index(keys, keys.size(), false);
    }
    SECTION("every third number, over 3000 IDs") {
        std::vector<std::string> keys;
        for (std::uint64_t n = 0; n < 3000; ++n) {
            keys.push_back(std::to_string(50000 + 3 * n));
        }
        check_like_string_index(keys, 0, true);
    }
    SECTION("the expected count allows a wide start before many IDs are in") {
        std::vector<std::string> keys = {numbered(1), numbered(3000000), numbered(2)};
        check_like_string_index(keys, 1000000, true);
    }
}
