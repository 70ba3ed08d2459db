// Executor: runs one parsed statement for a session. One function per statement kind, each in the file named
// after it (set_var.cc, show.cc, account.cc); executor.cc dispatches with std::visit.
#pragma once

#include <string_view>

#include "common/result.h"
#include "sql/parse/ast.h"
#include "sql/result.h"

namespace floe::sql {

class Session;

Result<StatementResult> execute_statement(Session& session, Statement& stmt, std::string_view source);

Result<StatementResult> execute_set(Session& session, SetStmt& stmt, std::string_view source);
Result<StatementResult> execute_show(Session& session, ShowStmt& stmt, std::string_view source);
Result<StatementResult> execute_create_user(Session& session, CreateUserStmt& stmt);
Result<StatementResult> execute_alter_user(Session& session, AlterUserStmt& stmt);
Result<StatementResult> execute_drop_user(Session& session, DropUserStmt& stmt);

Result<StatementResult> execute_show_table_forms(Session& session, ShowStmt& stmt, std::string_view source);
Result<StatementResult> execute_create_database(Session& session, CreateDatabaseStmt& stmt);
Result<StatementResult> execute_drop_database(Session& session, DropDatabaseStmt& stmt);
Result<StatementResult> execute_create_table(Session& session, CreateTableStmt& stmt, std::string_view source);
Result<StatementResult> execute_drop_table(Session& session, DropTableStmt& stmt);
Result<StatementResult> execute_truncate(Session& session, TruncateStmt& stmt);
Result<StatementResult> execute_alter_table(Session& session, AlterTableStmt& stmt, std::string_view source);
Result<StatementResult> execute_create_view(Session& session, CreateViewStmt& stmt);
Result<StatementResult> execute_drop_view(Session& session, DropViewStmt& stmt);
Result<StatementResult> execute_table_maintenance(Session& session, TableMaintenanceStmt& stmt);
Result<StatementResult> execute_rename_table(Session& session, RenameTableStmt& stmt);
Result<StatementResult> execute_insert(Session& session, InsertStmt& stmt, std::string_view source);
Result<StatementResult> execute_update(Session& session, UpdateStmt& stmt, std::string_view source);
Result<StatementResult> execute_delete(Session& session, DeleteStmt& stmt, std::string_view source);
// LOAD DATA LOCAL INFILE runs in two steps: prepare_load_data checks what it can before the client is asked for
// the file (1146, 1054, 3948 ...), execute_load_data loads the file's bytes (Session::local_infile_data()).
Status prepare_load_data(Session& session, const LoadDataStmt& stmt);
Result<StatementResult> execute_load_data(Session& session, LoadDataStmt& stmt, std::string_view source);

// SPEC §5 / §6 (cluster.cc, freeze.cc).
Result<StatementResult> execute_cluster(Session& session, ClusterStmt& stmt);
Result<StatementResult> execute_show_topology(Session& session, const ShowStmt& stmt);
Result<StatementResult> execute_freeze(Session& session, FreezeStmt& stmt);
Result<StatementResult> execute_flush_table(Session& session, FlushTableStmt& stmt);
Result<StatementResult> execute_import_table(Session& session, ImportTableStmt& stmt);
Result<StatementResult> execute_show_locks(Session& session);
Result<StatementResult> execute_show_table_status_of(Session& session, ShowStmt& stmt);
Result<StatementResult> execute_snapshot(Session& session, SnapshotStmt& stmt);
// SPEC §7 (backup.cc).
Result<StatementResult> execute_backup(Session& session, BackupStmt& stmt);
Result<StatementResult> execute_restore(Session& session, RestoreStmt& stmt);

// Evaluates a LIMIT / OFFSET expression (a literal, ? or @var) to a row count.
Result<uint64_t> evaluate_limit(Session& session, const ExprPtr& e, std::string_view source, uint64_t if_absent);

}  // namespace floe::sql
