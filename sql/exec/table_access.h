// Finding the database and table a statement names: the session's database when none is given, 1046 without
// one, 1146 for a missing table (MySQL's messages).
#pragma once

#include <memory>
#include <string>

#include "common/result.h"
#include "sql/parse/ast.h"

namespace floe::storage {
class Database;
struct TableRuntime;
}  // namespace floe::storage

namespace floe::sql {

class Session;

struct ResolvedTable {
    std::string db_name;
    std::shared_ptr<storage::Database> db;
    std::shared_ptr<storage::TableRuntime> table;
};

// The database a statement targets: `name`, or the session's. 1046 / 1049.
Result<std::shared_ptr<storage::Database>> resolve_database(Session& session, const std::string& name,
                                                            std::string* resolved_name = nullptr);
// An existing table. 1046 / 1146.
Result<ResolvedTable> resolve_table(Session& session, const TableRef& ref);

}  // namespace floe::sql
