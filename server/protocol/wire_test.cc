#include <catch2/catch.hpp>

#include "server/protocol/wire.h"

using namespace floe::server;

TEST_CASE("length-encoded integers at every boundary") {
    struct Case {
        uint64_t value;
        size_t size;
    };
    for (auto c : {Case{0, 1}, Case{250, 1}, Case{251, 3}, Case{0xFFFF, 3}, Case{0x10000, 4}, Case{0xFFFFFF, 4},
                   Case{0x1000000, 9}, Case{UINT64_MAX, 9}}) {
        std::string out;
        put_lenenc_int(out, c.value);
        INFO(c.value);
        CHECK(out.size() == c.size);
        WireReader r(out);
        CHECK(r.lenenc_int() == c.value);
        CHECK(r.ok());
        CHECK(r.at_end());
    }
}

TEST_CASE("length-encoded strings at every boundary") {
    for (size_t n : {size_t{0}, size_t{250}, size_t{251}, size_t{0xFFFF}, size_t{0x10000}, size_t{0xFFFFFF},
                     size_t{0x1000000}}) {
        std::string s(n, 'x');
        std::string out;
        put_lenenc_str(out, s);
        WireReader r(out);
        CHECK(r.lenenc_str().size() == n);
        CHECK(r.ok());
    }
}

TEST_CASE("a reader never runs past the payload") {
    std::string out;
    put_lenenc_int(out, 1000);  // announces 1000 bytes that are not there
    WireReader r(out);
    CHECK(r.lenenc_str().empty());
    CHECK_FALSE(r.ok());
    WireReader empty("");
    CHECK(empty.u32() == 0);
    CHECK_FALSE(empty.ok());
    const std::string two_strings("ab\0cd", 5);  // outlives the reader, which only views it
    WireReader nul(two_strings);
    CHECK(nul.nul_str() == "ab");
    CHECK(nul.nul_str() == "cd");
}
