// The schema storage keeps for each database and table: column types with their attributes, indexes, shard key,
// options. Plain data; encoded by catalog_codec, used by key_codec / row_codec and by sql/ to bind statements.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/value.h"

namespace floe::storage {

// SQL column types (SPEC §2). The numbers are part of the catalog format: never renumber.
enum class ColumnType : uint8_t {
    kTinyInt = 1, kSmallInt = 2, kMediumInt = 3, kInt = 4, kBigInt = 5,
    kFloat = 6, kDouble = 7, kDecimal = 8,
    kChar = 9, kVarchar = 10, kTinyText = 11, kText = 12, kMediumText = 13, kLongText = 14,
    kBinary = 15, kVarbinary = 16, kTinyBlob = 17, kBlob = 18, kMediumBlob = 19, kLongBlob = 20,
    kDate = 21, kDateTime = 22, kTimestamp = 23, kTime = 24, kYear = 25,
    kJson = 26, kEnum = 27,
};

bool is_integer_type(ColumnType t);
bool is_string_type(ColumnType t);   // text and binary strings, JSON, ENUM excluded
bool is_binary_type(ColumnType t);   // BINARY, VARBINARY, BLOBs
bool is_temporal_type(ColumnType t);

enum class DefaultKind : uint8_t { kNone = 0, kNull = 1, kLiteral = 2, kCurrentTimestamp = 3 };

struct ColumnSchema {
    uint32_t id = 0;  // stable across ALTERs; rows refer to columns by id
    std::string name;
    ColumnType type = ColumnType::kInt;
    bool is_unsigned = false;
    bool nullable = true;
    bool auto_increment = false;
    bool zerofill = false;
    uint32_t length = 0;      // CHAR/VARCHAR/BINARY/VARBINARY length; display width for integers (0 = default)
    uint8_t precision = 0;    // DECIMAL
    uint8_t scale = 0;        // DECIMAL scale; fractional seconds for temporal types
    uint16_t collation_id = 0;  // text columns; 0 for others
    DefaultKind default_kind = DefaultKind::kNone;
    Value default_value;      // kLiteral, already converted to the column type
    bool on_update_current_timestamp = false;
    std::vector<std::string> enum_values;
    std::string comment;
};

enum class IndexKind : uint8_t { kPrimary = 1, kUnique = 2, kKey = 3 };

struct IndexSchema {
    uint32_t id = 0;  // key prefix inside the table's column family; 1 is always the primary key
    std::string name;
    IndexKind kind = IndexKind::kKey;
    std::vector<uint32_t> column_ids;
    std::string comment;
};

struct TableSchema {
    uint32_t id = 0;  // names the table's column family ("t<id>")
    std::string name;
    std::vector<ColumnSchema> columns;
    std::vector<IndexSchema> indexes;  // indexes[0] is the primary key
    // Columns removed by ALTER TABLE DROP COLUMN: rows written before still hold their values, which readers
    // skip by these definitions (no table rewrite on DROP COLUMN).
    std::vector<ColumnSchema> dropped_columns;
    bool hidden_pk = false;            // no PRIMARY KEY declared: rows are keyed by a hidden row id
    std::vector<uint32_t> shard_key;   // column ids; empty = the primary key (or the hidden row id)
    uint16_t collation_id = 45;
    std::string comment;
    bool columnstore_requested = false;  // CREATE COLUMNSTORE TABLE: stored as rowstore, reported truthfully
    uint64_t rt_mem_limit = 0;           // 0 = the global default
    uint32_t next_column_id = 1;
    uint32_t next_index_id = 2;
    uint64_t auto_increment_start = 1;   // AUTO_INCREMENT= table option

    const ColumnSchema* column(std::string_view name) const;  // case-insensitive
    const ColumnSchema* column_by_id(uint32_t id) const;
    int column_index(uint32_t id) const;  // position in columns, -1 when absent
    const IndexSchema& primary() const { return indexes.front(); }
    const IndexSchema* index(std::string_view name) const;
    const ColumnSchema* auto_increment_column() const;
    std::vector<uint32_t> effective_shard_key() const;
};

// A view: the SELECT it stands for, as written, and how it was created (for SHOW CREATE VIEW).
struct ViewSchema {
    std::string name;
    std::string definition;  // the SELECT text
    std::vector<std::string> column_names;  // CREATE VIEW v (a, b) AS ...; empty: the SELECT's names
    std::string definer = "`root`@`%`";
    std::string security = "DEFINER";
    std::string check_option = "NONE";
};

struct DatabaseSchema {
    std::string name;
    uint16_t partitions = 8;
    uint16_t collation_id = 45;
};

}  // namespace floe::storage
