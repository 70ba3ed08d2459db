#include <catch2/catch.hpp>

#include <random>
#include <string>

#include "storage/crc32c.h"

using floe::storage::crc32c_extend_software;

namespace {
uint32_t value(const std::string& s) { return rocksdb::crc32c::Extend(0, s.data(), s.size()); }
}  // namespace

TEST_CASE("crc32c: the standard CRC32C values (RFC 3720's test vectors)") {
    CHECK(value("123456789") == 0xE3069283u);
    CHECK(value(std::string(32, '\0')) == 0x8A9136AAu);
    CHECK(value(std::string(32, '\xff')) == 0x62A8AB43u);
    std::string up, down;
    for (int i = 0; i < 32; ++i) {
        up.push_back(static_cast<char>(i));
        down.push_back(static_cast<char>(31 - i));
    }
    CHECK(value(up) == 0x46DD794Eu);
    CHECK(value(down) == 0x113FDB5Cu);
    CHECK(value("") == 0u);
    CHECK(floe::storage::crc32c("123456789") == 0xE3069283u);
}

TEST_CASE("crc32c: Extend continues a CRC, at every alignment and length, as the table computes it") {
    std::mt19937 rng(7);
    std::string data(4096 + 64, '\0');
    for (auto& c : data) c = static_cast<char>(rng());
    for (size_t offset = 0; offset < 9; ++offset) {
        for (size_t n : {0, 1, 7, 8, 9, 15, 16, 63, 64, 65, 1000, 4096}) {
            const char* p = data.data() + offset;
            uint32_t whole = rocksdb::crc32c::Extend(0, p, n);
            REQUIRE(whole == crc32c_extend_software(0, p, n));
            for (size_t cut : {size_t{0}, n / 3, n / 2, n}) {
                uint32_t first = rocksdb::crc32c::Extend(0, p, cut);
                REQUIRE(rocksdb::crc32c::Extend(first, p + cut, n - cut) == whole);
                uint32_t second = rocksdb::crc32c::Extend(0, p + cut, n - cut);
                REQUIRE(rocksdb::crc32c::Crc32cCombine(first, second, n - cut) == whole);
            }
        }
    }
}

TEST_CASE("crc32c: Crc32cCombine over long second parts (a log record's and a file's lengths)") {
    std::mt19937 rng(11);
    std::string data(3 << 20, '\0');
    for (auto& c : data) c = static_cast<char>(rng());
    for (size_t first : {size_t{0}, size_t{1}, size_t{100}, size_t{65536}}) {
        for (size_t second : {size_t{1}, size_t{255}, size_t{4097}, size_t{1} << 20, (size_t{2} << 20) + 12345}) {
            uint32_t a = rocksdb::crc32c::Extend(0, data.data(), first);
            uint32_t b = rocksdb::crc32c::Extend(0, data.data() + first, second);
            REQUIRE(rocksdb::crc32c::Crc32cCombine(a, b, second) ==
                    crc32c_extend_software(0, data.data(), first + second));
        }
    }
}

TEST_CASE("crc32c: the crc32 instruction is used on x86-64 (crc32c_linked checks floed holds these functions)") {
    // On any x86-64 CPU of the last fifteen years the crc32 instruction is there.
#if defined(__x86_64__)
    CHECK(floe::storage::crc32c_hardware());
#endif
    CHECK(rocksdb::crc32c::IsFastCrc32Supported().find("floe") != std::string::npos);
}
