// Helpers CREATE TABLE and ALTER TABLE share: names, collations, MySQL's index naming, column lookup.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "sql/parse/ast.h"
#include "sql/result.h"
#include "storage/schema.h"

namespace floe::storage {
class Database;
}

namespace floe::sql {

bool iequals(std::string_view a, std::string_view b);
// 1102 / 1103 style check of a database or table name.
Status check_name(std::string_view name, ErrorCode code);
Result<uint16_t> collation_from(const std::string& charset, const std::string& collation, uint16_t fallback);
// The name MySQL gives an unnamed index: its first column's, with _2, _3 ... when taken.
std::string index_name_for(const storage::TableSchema& t, const std::string& first_column);
// Column ids for names; 1072 for a name that is not a column.
Result<std::vector<uint32_t>> column_ids(const storage::TableSchema& t, const std::vector<std::string>& names);
// The table-level rules: one AUTO_INCREMENT column starting a key (1075), shard key inside the primary key.
Status check_table(const storage::TableSchema& t);

class Session;

// DROP TABLE / DROP VIEW of a list, as MySQL 8's atomic DDL: every name is checked first; a missing one is
// 1051 and nothing is dropped, unless IF EXISTS, where it becomes a note. `exists` / `drop` act on one object.
Result<StatementResult> drop_objects(
    Session& session, const std::vector<TableRef>& refs, bool if_exists,
    const std::function<bool(storage::Database&, const std::string&)>& exists,
    const std::function<Status(storage::Database&, const std::string&)>& drop);

}  // namespace floe::sql
