#include <catch2/catch.hpp>

#include <random>

#include "common/collation.h"

using namespace floe;

TEST_CASE("general_ci compares case- and accent-insensitively with trailing spaces ignored") {
    CHECK(compare_text(45, "abc", "ABC") == 0);
    CHECK(compare_text(45, "abc", "abc   ") == 0);
    CHECK(compare_text(45, "café", "CAFE") == 0);
    CHECK(compare_text(45, "a", "b") < 0);
    CHECK(compare_text(45, "B", "a") > 0);
    CHECK(compare_text(45, "😀", "🎉") == 0);  // all supplementary characters weigh the same
    CHECK(compare_text(46, "abc", "ABC") > 0);   // utf8mb4_bin
    CHECK(compare_text(46, "abc", "abc ") == 0);
    CHECK(compare_text(63, "abc", "abc ") < 0);  // binary: no padding
    // Equal leading bytes are skipped; a difference inside a character still compares whole characters.
    CHECK(compare_text(45, "x\xC3\xA9", "x\xC3\xA8") == 0);  // é, è: both E
    CHECK(compare_text(45, "x\xC3\xA9" "a", "x\xC3\xA8" "b") < 0);
    CHECK(compare_text(45, "x\xC3\xA9", "x\xC3\xA9z") < 0);
    CHECK(compare_text(45, "12345-abc", "12345-ABD") < 0);
}

TEST_CASE("sort keys order exactly as compare_text, for every collation kind") {
    std::mt19937 rng(42);
    const std::string alphabet[] = {"a", "A", "b", "B", " ", "é", "E", "z", "ß", "s", "😀", "\xCE\xB1", "\x01"};
    auto random_text = [&] {
        std::string s;
        int n = static_cast<int>(rng() % 6);
        for (int i = 0; i < n; ++i) s += alphabet[rng() % std::size(alphabet)];
        return s;
    };
    for (uint16_t coll : {uint16_t{45}, uint16_t{46}, uint16_t{63}, uint16_t{8}}) {
        for (int i = 0; i < 5000; ++i) {
            std::string stem = i % 2 ? random_text() : "";  // shared leading bytes half the time
            std::string a = stem + random_text(), b = stem + random_text();
            std::string ka, kb;
            append_sort_key(coll, a, ka);
            append_sort_key(coll, b, kb);
            int by_keys = ka < kb ? -1 : (ka > kb ? 1 : 0);
            INFO(coll << " '" << a << "' vs '" << b << "'");
            CHECK(by_keys == compare_text(coll, a, b));
        }
    }
}
