#include "storage/crc32c.h"

#include <array>
#include <cstring>

#if defined(__x86_64__)
#include <nmmintrin.h>
#endif

namespace floe::storage {

namespace {

constexpr uint32_t kPolynomial = 0x82F63B78;  // Castagnoli, reflected

constexpr std::array<uint32_t, 256> make_table() {
    std::array<uint32_t, 256> table{};
    for (uint32_t i = 0; i < 256; ++i) {
        uint32_t c = i;
        for (int k = 0; k < 8; ++k) c = (c & 1) ? (c >> 1) ^ kPolynomial : c >> 1;
        table[i] = c;
    }
    return table;
}
constexpr std::array<uint32_t, 256> kTable = make_table();

#if defined(__x86_64__)
__attribute__((target("sse4.2"))) uint32_t extend_hardware(uint32_t init_crc, const char* data, size_t n) {
    uint64_t c = ~init_crc;
    const auto* p = reinterpret_cast<const unsigned char*>(data);
    for (; n > 0 && (reinterpret_cast<uintptr_t>(p) & 7) != 0; --n) c = _mm_crc32_u8(static_cast<uint32_t>(c), *p++);
    for (; n >= 8; n -= 8, p += 8) {
        uint64_t word;
        std::memcpy(&word, p, 8);
        c = _mm_crc32_u64(c, word);
    }
    for (; n > 0; --n) c = _mm_crc32_u8(static_cast<uint32_t>(c), *p++);
    return ~static_cast<uint32_t>(c);
}

bool detect_hardware() { return __builtin_cpu_supports("sse4.2"); }
#else
uint32_t extend_hardware(uint32_t init_crc, const char* data, size_t n) {
    return crc32c_extend_software(init_crc, data, n);
}
bool detect_hardware() { return false; }
#endif

// Read before its initialisation (a static initialiser elsewhere computing a CRC) it is false: the table-driven
// path, which gives the same values.
const bool kHardware = detect_hardware();

// Crc32cCombine as zlib's crc32_combine (1.2.12), with the Castagnoli polynomial: crc1 times x^(8 * len2)
// modulo the polynomial, by squaring. A log record's CRC is combined from two (RocksDB's log writer, every
// commit), so this is per-commit work: ~log2(len2) multiplications of 32 steps each.
constexpr uint32_t multiply_mod_p(uint32_t a, uint32_t b) {  // a * b modulo p, bit-reflected
    uint32_t m = uint32_t{1} << 31;
    uint32_t product = 0;
    for (;;) {
        if (a & m) {
            product ^= b;
            if ((a & (m - 1)) == 0) break;
        }
        m >>= 1;
        b = (b & 1) ? (b >> 1) ^ kPolynomial : b >> 1;
    }
    return product;
}

constexpr std::array<uint32_t, 32> make_powers() {  // x^(2^k) modulo p
    std::array<uint32_t, 32> powers{};
    uint32_t p = uint32_t{1} << 30;  // x^1
    powers[0] = p;
    for (size_t k = 1; k < 32; ++k) powers[k] = p = multiply_mod_p(p, p);
    return powers;
}
constexpr std::array<uint32_t, 32> kPowers = make_powers();

uint32_t x_to_8n_mod_p(size_t n) {  // x^(8 n) modulo p
    uint32_t p = uint32_t{1} << 31;  // x^0
    for (unsigned k = 3; n != 0; n >>= 1, ++k) {
        if (n & 1) p = multiply_mod_p(kPowers[k & 31], p);
    }
    return p;
}

}  // namespace

uint32_t crc32c_extend_software(uint32_t init_crc, const char* data, size_t n) {
    uint32_t c = ~init_crc;
    const auto* p = reinterpret_cast<const unsigned char*>(data);
    for (size_t i = 0; i < n; ++i) c = kTable[(c ^ p[i]) & 0xff] ^ (c >> 8);
    return ~c;
}

bool crc32c_hardware() { return kHardware; }

}  // namespace floe::storage

namespace rocksdb::crc32c {

uint32_t Extend(uint32_t init_crc, const char* data, size_t n) {
    return floe::storage::crc32c_hardware() ? floe::storage::extend_hardware(init_crc, data, n)
                                            : floe::storage::crc32c_extend_software(init_crc, data, n);
}

uint32_t Crc32cCombine(uint32_t crc1, uint32_t crc2, size_t crc2len) {
    return floe::storage::multiply_mod_p(floe::storage::x_to_8n_mod_p(crc2len), crc1) ^ crc2;
}

std::string IsFastCrc32Supported() {
    return floe::storage::crc32c_hardware() ? "Supported on x86 (floe: SSE4.2 crc32)" : "Not supported (floe: table)";
}

}  // namespace rocksdb::crc32c
