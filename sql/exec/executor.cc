#include "sql/exec/executor.h"

#include <spdlog/spdlog.h>

#include "sql/engine.h"
#include "sql/exec/expr_eval.h"
#include "sql/exec/query.h"
#include "sql/exec/result_builder.h"
#include "sql/session.h"
#include "sql/session_transaction.h"

namespace floe::sql {
namespace {

Result<StatementResult> execute_select(Session& session, SelectStmt& s, std::string_view source) {
    StatementResult r;
    r.body = FLOE_TRY(run_select(session, s, source));
    return r;
}

Result<StatementResult> execute_kill(Session& session, KillStmt& k, std::string_view source) {
    EvalContext ctx{session, source};
    Value id = FLOE_TRY(evaluate(*k.id, ctx));
    if (id.is_null() || !(id.is_integer() || id.kind() == ValueKind::kDecimal)) {
        return make_error(ErrorCode::ER_WRONG_ARGUMENTS, {"KILL"});
    }
    FLOE_CHECK(session.engine().kill(session, static_cast<uint64_t>(id.to_int()),
                                     k.query_only ? KillLevel::kQuery : KillLevel::kConnection));
    return ok_result();
}

Result<StatementResult> execute_transaction(Session& session, TransactionStmt& t) {
    SessionTransaction& txn = session.transaction();
    switch (t.kind) {
        case TransactionStmt::Kind::kBegin:
            if (txn.active()) FLOE_CHECK(txn.commit());  // BEGIN commits the open transaction first
            session.start_transaction(t.read_only);
            break;
        case TransactionStmt::Kind::kCommit:
            if (txn.active()) FLOE_CHECK(txn.commit());
            break;
        case TransactionStmt::Kind::kRollback: txn.rollback(); break;
        case TransactionStmt::Kind::kSavepoint:
            // Under autocommit=0 SAVEPOINT opens the transaction; under autocommit it lives no longer than itself.
            if (!txn.active() && !session.autocommit()) session.start_transaction(false);
            if (txn.active()) txn.savepoint(t.savepoint);
            break;
        case TransactionStmt::Kind::kRollbackToSavepoint:
            if (!txn.active()) return make_error(ErrorCode::ER_SP_DOES_NOT_EXIST, {"SAVEPOINT", t.savepoint});
            FLOE_CHECK(txn.rollback_to_savepoint(t.savepoint));
            break;
        case TransactionStmt::Kind::kReleaseSavepoint:
            if (!txn.active()) return make_error(ErrorCode::ER_SP_DOES_NOT_EXIST, {"SAVEPOINT", t.savepoint});
            FLOE_CHECK(txn.release_savepoint(t.savepoint));
            break;
    }
    return ok_result();
}

}  // namespace

Result<uint64_t> evaluate_limit(Session& session, const ExprPtr& e, std::string_view source, uint64_t if_absent) {
    if (!e) return if_absent;
    EvalContext ctx{session, source};
    Value v = FLOE_TRY(evaluate(*e, ctx));
    if (e->kind == ExprKind::kParam && !v.is_null() && !v.is_integer()) {
        // Drivers bind row counts as DOUBLE (mysql2: every number) or text: a whole number is one (MySQL refuses).
        bool truncated = false;
        double d = v.to_double(&truncated);
        if (!truncated && d >= 0 && d < 1.8e19 && d == static_cast<double>(static_cast<uint64_t>(d))) {
            v = Value::from_uint(static_cast<uint64_t>(d));
        }
    }
    if (v.is_null() || !v.is_integer()) return make_error(ErrorCode::ER_WRONG_ARGUMENTS, {"LIMIT"});
    if (v.kind() == ValueKind::kInt && v.int_value() < 0) return make_error(ErrorCode::ER_WRONG_ARGUMENTS, {"LIMIT"});
    return v.kind() == ValueKind::kUInt ? v.uint_value() : static_cast<uint64_t>(v.int_value());
}

Result<StatementResult> execute_statement(Session& session, Statement& stmt, std::string_view source) {
    return std::visit(
        [&](auto& s) -> Result<StatementResult> {
            using T = std::decay_t<decltype(s)>;
            if constexpr (std::is_same_v<T, SelectStmt>) {
                return execute_select(session, s, source);
            } else if constexpr (std::is_same_v<T, SetStmt>) {
                return execute_set(session, s, source);
            } else if constexpr (std::is_same_v<T, ShowStmt>) {
                return execute_show(session, s, source);
            } else if constexpr (std::is_same_v<T, UseStmt>) {
                FLOE_CHECK(session.use_database(s.db));
                return ok_result();
            } else if constexpr (std::is_same_v<T, KillStmt>) {
                return execute_kill(session, s, source);
            } else if constexpr (std::is_same_v<T, TransactionStmt>) {
                return execute_transaction(session, s);
            } else if constexpr (std::is_same_v<T, CreateUserStmt>) {
                return execute_create_user(session, s);
            } else if constexpr (std::is_same_v<T, AlterUserStmt>) {
                return execute_alter_user(session, s);
            } else if constexpr (std::is_same_v<T, DropUserStmt>) {
                return execute_drop_user(session, s);
            } else if constexpr (std::is_same_v<T, NoOpStmt>) {
                spdlog::debug("connection {}: {}", session.id(), s.what);
                return ok_result();
            } else if constexpr (std::is_same_v<T, DoStmt>) {
                EvalContext ctx{session, source};
                for (auto& e : s.exprs) (void)FLOE_TRY(evaluate(*e, ctx));
                return ok_result();
            } else if constexpr (std::is_same_v<T, CreateDatabaseStmt>) {
                return execute_create_database(session, s);
            } else if constexpr (std::is_same_v<T, DropDatabaseStmt>) {
                return execute_drop_database(session, s);
            } else if constexpr (std::is_same_v<T, CreateTableStmt>) {
                return execute_create_table(session, s, source);
            } else if constexpr (std::is_same_v<T, DropTableStmt>) {
                return execute_drop_table(session, s);
            } else if constexpr (std::is_same_v<T, TruncateStmt>) {
                return execute_truncate(session, s);
            } else if constexpr (std::is_same_v<T, AlterTableStmt>) {
                return execute_alter_table(session, s, source);
            } else if constexpr (std::is_same_v<T, CreateViewStmt>) {
                return execute_create_view(session, s);
            } else if constexpr (std::is_same_v<T, DropViewStmt>) {
                return execute_drop_view(session, s);
            } else if constexpr (std::is_same_v<T, TableMaintenanceStmt>) {
                return execute_table_maintenance(session, s);
            } else if constexpr (std::is_same_v<T, RenameTableStmt>) {
                return execute_rename_table(session, s);
            } else if constexpr (std::is_same_v<T, LoadDataStmt>) {
                return execute_load_data(session, s, source);
            } else if constexpr (std::is_same_v<T, InsertStmt>) {
                return execute_insert(session, s, source);
            } else if constexpr (std::is_same_v<T, UpdateStmt>) {
                return execute_update(session, s, source);
            } else if constexpr (std::is_same_v<T, DeleteStmt>) {
                return execute_delete(session, s, source);
            } else if constexpr (std::is_same_v<T, ClusterStmt>) {
                return execute_cluster(session, s);
            } else if constexpr (std::is_same_v<T, FreezeStmt>) {
                return execute_freeze(session, s);
            } else if constexpr (std::is_same_v<T, FlushTableStmt>) {
                return execute_flush_table(session, s);
            } else if constexpr (std::is_same_v<T, ImportTableStmt>) {
                return execute_import_table(session, s);
            } else if constexpr (std::is_same_v<T, SnapshotStmt>) {
                return execute_snapshot(session, s);
            } else if constexpr (std::is_same_v<T, BackupStmt>) {
                return execute_backup(session, s);
            } else if constexpr (std::is_same_v<T, RestoreStmt>) {
                return execute_restore(session, s);
            } else if constexpr (std::is_same_v<T, ExplainStmt>) {
                StatementResult r;
                r.body = FLOE_TRY(explain_select(session, *s.select, source));
                return r;
            } else {
                static_assert(sizeof(T) == 0, "statement kind without an executor");
            }
        },
        stmt);
}

}  // namespace floe::sql
