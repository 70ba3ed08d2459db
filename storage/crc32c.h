#pragma once

// RocksDB's CRC32C, computed with the CPU's crc32 instruction.
//
// Debian builds librocksdb portable (no SSE4.2), so its CRC32C is the table-driven one: `crc32c::Slow_CRC32` was
// 54 % of a backup's CPU (BackupEngine checksums every file it copies) and shows in every flush, compaction and
// log write. floe links RocksDB statically and defines RocksDB's three crc32c functions itself (crc32c.cc), so
// the linker never takes the library's copy; the values are the same CRC32C (Castagnoli) either way, so files
// written by either one read with the other.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace rocksdb::crc32c {
// RocksDB's own declarations (util/crc32c.h, not installed): the CRC32C of data appended to a finished CRC
// (Extend(0, ...) is the CRC of data), the CRC of A+B from those of A and B, and a description for RocksDB's log.
uint32_t Extend(uint32_t init_crc, const char* data, size_t n);
uint32_t Crc32cCombine(uint32_t crc1, uint32_t crc2, size_t crc2len);
std::string IsFastCrc32Supported();
}  // namespace rocksdb::crc32c

namespace floe::storage {
// The CRC32C of `data`, for floe's own checksums (a backup's, over its meta file): the same function RocksDB's
// files are checked with.
inline uint32_t crc32c(std::string_view data) { return rocksdb::crc32c::Extend(0, data.data(), data.size()); }
// Whether the crc32 instruction is used (the storage engine logs it at start; the call also makes the linker
// take crc32c.cc, which nothing else in floe references by name).
bool crc32c_hardware();
// The table-driven computation (CPUs without SSE4.2, and tests comparing the two).
uint32_t crc32c_extend_software(uint32_t init_crc, const char* data, size_t n);
}  // namespace floe::storage
