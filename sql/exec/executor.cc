#include "sql/exec/executor.h"

#include <spdlog/spdlog.h>

#include "sql/engine.h"
#include "sql/exec/expr_eval.h"
#include "sql/session.h"

namespace floe::sql {
namespace {

StatementResult ok_result(uint64_t affected = 0) {
    StatementResult r;
    r.body = OkResult{affected, 0, {}};
    return r;
}

// SELECT without tables (SELECT 1+1, @@version, DATABASE(), ...). Tables arrive with the storage issue.
Result<StatementResult> execute_select(Session& session, SelectStmt& s, std::string_view source) {
    if (!s.from.empty()) return execute_table_select(session, s, source);
    EvalContext ctx{session, source};
    ResultSet rs;
    Row row;
    row.reserve(s.items.size());
    for (auto& item : s.items) {
        if (item.expr->kind == ExprKind::kStar) return make_error(ErrorCode::ER_NO_TABLES_USED);
        row.push_back(FLOE_TRY(evaluate(*item.expr, ctx)));
    }
    bool keep = true;
    if (s.where) {
        ctx.clause = "where clause";
        Value w = FLOE_TRY(evaluate(*s.where, ctx));
        keep = !w.is_null() && w.to_bool();
    }
    if (s.having) {
        ctx.clause = "having clause";
        Value h = FLOE_TRY(evaluate(*s.having, ctx));
        keep = keep && !h.is_null() && h.to_bool();
    }
    uint64_t offset = FLOE_TRY(evaluate_limit(session, s.offset, source, 0));
    uint64_t limit = FLOE_TRY(evaluate_limit(session, s.limit, source, UINT64_MAX));
    if (offset > 0 || limit == 0) keep = false;
    uint16_t text_coll = session.result_collation();
    for (size_t i = 0; i < s.items.size(); ++i) {
        const auto& item = s.items[i];
        std::string name = item.has_alias ? item.alias : item.text;
        bool not_null = item.expr->kind == ExprKind::kLiteral && !row[i].is_null();
        rs.columns.push_back(column_for_value(std::move(name), row[i], text_coll, not_null));
    }
    session.set_found_rows(keep ? 1 : 0);
    if (keep) rs.rows.push_back(std::move(row));
    StatementResult r;
    r.body = std::move(rs);
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
    // No storage yet (issue 3/5): a transaction is the session's flag, which OK packets report.
    switch (t.kind) {
        case TransactionStmt::Kind::kBegin: session.set_in_transaction(true); break;
        case TransactionStmt::Kind::kCommit:
        case TransactionStmt::Kind::kRollback: session.set_in_transaction(false); break;
    }
    return ok_result();
}

}  // namespace

Result<uint64_t> evaluate_limit(Session& session, const ExprPtr& e, std::string_view source, uint64_t if_absent) {
    if (!e) return if_absent;
    EvalContext ctx{session, source};
    Value v = FLOE_TRY(evaluate(*e, ctx));
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
            } else if constexpr (std::is_same_v<T, InsertStmt>) {
                return execute_insert(session, s, source);
            } else if constexpr (std::is_same_v<T, UpdateStmt>) {
                return execute_update(session, s, source);
            } else if constexpr (std::is_same_v<T, DeleteStmt>) {
                return execute_delete(session, s, source);
            } else {
                static_assert(sizeof(T) == 0, "statement kind without an executor");
            }
        },
        stmt);
}

}  // namespace floe::sql
