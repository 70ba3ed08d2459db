// Row values: compact, versioned, and keyed by column id so ALTER TABLE ADD / DROP / RENAME COLUMN leave
// existing rows readable without rewriting them. Layout:
//
//   [format u8 = 1] then, for each stored column:  varint(column_id << 1 | is_null)  [value unless NULL]
//
// Value by type: integers zigzag varint (signed) or varint (unsigned, YEAR); FLOAT 4 / DOUBLE 8 bytes
// little-endian; DECIMAL zigzag varint of the unscaled value at the column's scale (up to 128 bits); strings,
// BLOBs and JSON varint length + bytes; ENUM varint position; DATE varint(year*416 + month*32 + day);
// DATETIME / TIMESTAMP varint of MySQL's packed form; TIME zigzag varint of microseconds.
// A column absent from a row (added after it was written) reads as its default; a stored column that was
// dropped since is skipped using its definition in TableSchema::dropped_columns.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "common/value.h"
#include "storage/schema.h"

namespace floe::storage {

constexpr uint8_t kRowFormat = 1;

// `row[i]` is the value of `table.columns[i]`, already of that column's type.
void encode_row(const TableSchema& table, std::span<const Value> row, std::string& out);
// Fails (1815) on a damaged or unknown-format row. `wanted` (by column position): only those columns are
// made, the others are left NULL (a query reading a few columns of wide rows); nullptr: all.
Result<std::vector<Value>> decode_row(const TableSchema& table, std::string_view bytes,
                                      const std::vector<bool>* wanted = nullptr);
// The same into `row` (resized to the table's columns), reusing the string buffers its values hold: a scan
// decodes every row into one buffer.
Status decode_row_into(const TableSchema& table, std::string_view bytes, const std::vector<bool>* wanted,
                       std::vector<Value>& row);

// Varints, shared with the catalog codec.
void put_varint(std::string& out, unsigned __int128 v);
bool get_varint_long(std::string_view& in, unsigned __int128& v);
// False when `in` ends before the varint does (or it runs past 19 bytes). One-byte values (column tags, most
// string lengths) take the inline path: a row decodes two varints per column.
inline bool get_varint(std::string_view& in, unsigned __int128& v) {
    if (!in.empty() && !(static_cast<uint8_t>(in[0]) & 0x80)) {
        v = static_cast<uint8_t>(in[0]);
        in.remove_prefix(1);
        return true;
    }
    return get_varint_long(in, v);
}
inline uint64_t zigzag(int64_t v) { return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63); }
inline int64_t unzigzag(uint64_t v) { return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1); }

// The value a column has when a row does not store it.
Value column_default(const ColumnSchema& col);

}  // namespace floe::storage
