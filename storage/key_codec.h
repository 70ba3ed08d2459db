// Memcomparable keys: the byte order of encoded values is the SQL order of the values, NULLs first, so
// RocksDB's bytewise ordering serves ORDER BY, ranges and uniqueness. Key layout in a table's column family:
//
//   primary / hidden-pk row:   [partition u16 BE][index id u16 BE][pk column keys...]
//   secondary index entry:     [partition u16 BE][index id u16 BE][index column keys...][pk column keys...]
//
// Column key, by type (nullable columns start with 0x00 = NULL, 0x01 = value; NOT NULL columns have no marker):
//   TINYINT..BIGINT  1/2/3/4/8 bytes big-endian, sign bit flipped for signed types; YEAR 2 bytes
//   FLOAT / DOUBLE   4 / 8 bytes: IEEE bits, all flipped when negative, else sign bit set (-0 == 0)
//   DECIMAL(p,s)     the unscaled value at scale s: 8 bytes (p <= 18) or 16 bytes, sign bit flipped
//   DATE             4 bytes (year*416 + month*32 + day); DATETIME / TIMESTAMP 8 bytes (MySQL packed form);
//   TIME             8 bytes of signed microseconds, sign bit flipped
//   ENUM             2 bytes: the value's 1-based position
//   strings, JSON    the collation's sort key (common/collation.h), each 0x00 byte written 0x00 0xFF, ended
//                    by 0x00 0x01 (so a prefix sorts first)
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/value.h"
#include "storage/schema.h"

namespace floe::storage {

constexpr uint16_t kPrimaryIndexId = 1;

void append_key_prefix(std::string& out, uint16_t partition, uint16_t index_id);
// `v` must already have the column's type (sql/ converts values before they reach storage).
void append_column_key(std::string& out, const ColumnSchema& col, const Value& v);
// Advances `in` past one encoded column key; false when the bytes are damaged.
bool skip_column_key(std::string_view& in, const ColumnSchema& col);
// The smallest key greater than every key starting with `prefix` (empty when there is none: all 0xFF).
std::string prefix_successor(std::string prefix);
// A hidden row id (tables without a primary key): 8 bytes big-endian.
void append_row_id(std::string& out, uint64_t row_id);

}  // namespace floe::storage
