// SQL column types between the three places they matter: CREATE TABLE text -> storage::ColumnSchema,
// values -> a column's type (MySQL's conversion rules, strict or not), and ColumnSchema -> protocol column
// definitions and the type text of SHOW CREATE TABLE / SHOW COLUMNS.
#pragma once

#include <string>

#include "common/result.h"
#include "common/value.h"
#include "sql/parse/ast.h"
#include "sql/result.h"
#include "storage/schema.h"

namespace floe::sql {

class Session;

// A column definition from CREATE / ALTER TABLE (without id). 1074 for over-long types, 1067 for a default
// the type cannot hold, 1063 for AUTO_INCREMENT on a non-numeric column.
Result<storage::ColumnSchema> column_from_ast(Session& session, const ColumnDefAst& ast, uint16_t table_collation,
                                              std::string_view source);

struct ConvertContext {
    Session& session;
    bool strict;        // STRICT_TRANS_TABLES / STRICT_ALL_TABLES: bad values are errors, not warnings
    uint64_t row = 1;   // 1-based, for messages
};

// `v` as a value of `col`'s type. NULL into NOT NULL is 1048 (the caller applies defaults first).
Result<Value> convert_for_column(const storage::ColumnSchema& col, const Value& v, ConvertContext& ctx);
// The implicit default of a NOT NULL column without DEFAULT (0, '', zero date) used outside strict mode.
Value implicit_default(const storage::ColumnSchema& col);
// Parses 'YYYY-MM-DD[ HH:MM:SS[.ffffff]]' / 'HH:MM:SS'; nullopt when the text is not such a value.
std::optional<DateTime> parse_temporal(std::string_view text, storage::ColumnType type);

// A result column as a table column (views, CREATE TABLE ... AS SELECT): its protocol type mapped back.
storage::ColumnSchema column_from_result(const ColumnDef& d, const std::string& name, uint32_t id);
// "int(11)", "varchar(100)", "bigint(20) unsigned", "decimal(10,2)", "enum('a','b')", "datetime(3)".
std::string column_type_text(const storage::ColumnSchema& col);
// The protocol definition of a table column as a result column.
ColumnDef column_def_for(const storage::TableSchema& table, const storage::ColumnSchema& col, std::string_view db,
                         std::string_view table_alias, std::string_view name, uint16_t result_collation);

}  // namespace floe::sql
