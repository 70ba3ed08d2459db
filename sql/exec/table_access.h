// Finding the database and table a statement names: the session's database when none is given, 1046 without
// one, 1146 for a missing table (MySQL's messages).
#pragma once

#include <memory>
#include <string>

#include "common/result.h"
#include "sql/parse/ast.h"

namespace floe::storage {
class Database;
class Transaction;
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

// The transaction's work in the database of a table a statement writes, the table's shared lock taken
// (1412 when DDL replaced the table meanwhile; 1792 / 1235 from SessionTransaction::writer).
Result<storage::Transaction*> write_transaction(Session& session, const ResolvedTable& table);
// A table a statement writes, with the transaction's work in its database; the table's shared lock is held
// (so no DDL changes it until the transaction ends) and the table is as of after any DDL it waited for.
struct WriteTarget : ResolvedTable {
    storage::Transaction* txn = nullptr;
};
Result<WriteTarget> resolve_table_for_write(Session& session, const TableRef& ref);
// A table a DDL statement changes, its lock held exclusively (every transaction that wrote it has ended).
Result<ResolvedTable> resolve_table_for_ddl(Session& session, const TableRef& ref);

}  // namespace floe::sql
