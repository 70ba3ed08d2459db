// What a statement hands back to the protocol layer: an OK (affected rows, last insert id, info text) or a
// result set (column definitions and rows of Values). Rows become packets only in server/.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "common/charset.h"
#include "common/value.h"

namespace floe::sql {

// MySQL column types as the protocol numbers them (enum_field_types).
enum class FieldType : uint8_t {
    kDecimal = 0, kTiny = 1, kShort = 2, kLong = 3, kFloat = 4, kDouble = 5, kNull = 6, kTimestamp = 7,
    kLongLong = 8, kInt24 = 9, kDate = 10, kTime = 11, kDateTime = 12, kYear = 13, kVarchar = 15, kBit = 16,
    kJson = 245, kNewDecimal = 246, kEnum = 247, kSet = 248, kTinyBlob = 249, kMediumBlob = 250,
    kLongBlob = 251, kBlob = 252, kVarString = 253, kString = 254,
};

// Column flags (the protocol's *_FLAG bits).
namespace column_flag {
constexpr uint16_t kNotNull = 1, kPriKey = 2, kUniqueKey = 4, kMultipleKey = 8, kBlob = 16, kUnsigned = 32,
                   kZerofill = 64, kBinary = 128, kEnum = 256, kAutoIncrement = 512, kTimestamp = 1024,
                   kSet = 2048, kNoDefaultValue = 4096, kNum = 32768;
}

struct ColumnDef {
    std::string schema, table, org_table, name, org_name;
    uint16_t charset = kBinaryCollationId;
    uint32_t length = 0;
    FieldType type = FieldType::kVarString;
    uint16_t flags = 0;
    uint8_t decimals = 0;
};

using Row = std::vector<Value>;

struct ResultSet {
    std::vector<ColumnDef> columns;
    std::vector<Row> rows;
};

struct OkResult {
    uint64_t affected_rows = 0;
    uint64_t last_insert_id = 0;
    std::string info;  // "Rows matched: 1  Changed: 0  Warnings: 0" ...
};

struct StatementResult {
    std::variant<OkResult, ResultSet> body;
    uint16_t warning_count = 0;
};

// A column definition for a text column of the given display length (characters).
ColumnDef text_column(std::string name, uint32_t chars, uint16_t collation_id, bool not_null = true);
// A column definition for a BIGINT column.
ColumnDef bigint_column(std::string name, bool is_unsigned, bool not_null = true);

}  // namespace floe::sql
