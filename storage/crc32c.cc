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

// GF(2) matrices for Crc32cCombine (zlib's crc32_combine, with the Castagnoli polynomial).
uint32_t matrix_times(const uint32_t* matrix, uint32_t vector) {
    uint32_t sum = 0;
    for (; vector != 0; vector >>= 1, ++matrix) {
        if (vector & 1) sum ^= *matrix;
    }
    return sum;
}

void matrix_square(uint32_t* square, const uint32_t* matrix) {
    for (int n = 0; n < 32; ++n) square[n] = matrix_times(matrix, matrix[n]);
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
    using floe::storage::matrix_square;
    using floe::storage::matrix_times;
    if (crc2len == 0) return crc1;
    uint32_t even[32];  // operator for two zero bits
    uint32_t odd[32];   // operator for one zero bit, then four, sixteen, ...
    odd[0] = floe::storage::kPolynomial;
    for (uint32_t n = 1, row = 1; n < 32; ++n, row <<= 1) odd[n] = row;
    matrix_square(even, odd);
    matrix_square(odd, even);
    // Apply len2 zero bytes to crc1 (the first square puts the operator for one zero byte in even).
    do {
        matrix_square(even, odd);
        if (crc2len & 1) crc1 = matrix_times(even, crc1);
        crc2len >>= 1;
        if (crc2len == 0) break;
        matrix_square(odd, even);
        if (crc2len & 1) crc1 = matrix_times(odd, crc1);
        crc2len >>= 1;
    } while (crc2len != 0);
    return crc1 ^ crc2;
}

std::string IsFastCrc32Supported() {
    return floe::storage::crc32c_hardware() ? "Supported on x86 (floe: SSE4.2 crc32)" : "Not supported (floe: table)";
}

}  // namespace rocksdb::crc32c
