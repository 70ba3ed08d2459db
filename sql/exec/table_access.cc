#include "sql/exec/table_access.h"

#include "sql/engine.h"
#include "sql/session.h"
#include "sql/session_transaction.h"
#include "storage/database.h"
#include "storage/storage_engine.h"

namespace floe::sql {

Result<std::shared_ptr<storage::Database>> resolve_database(Session& session, const std::string& name,
                                                            std::string* resolved_name) {
    std::string db_name = name.empty() ? session.db() : name;
    if (db_name.empty()) return make_error(ErrorCode::ER_NO_DB_ERROR);
    auto db = session.engine().storage().database(db_name);
    if (!db) return make_error(ErrorCode::ER_BAD_DB_ERROR, {db_name});
    if (resolved_name) *resolved_name = db_name;
    return db;
}

Result<ResolvedTable> resolve_table(Session& session, const TableRef& ref) {
    ResolvedTable r;
    r.db_name = ref.db.empty() ? session.db() : ref.db;
    if (r.db_name.empty()) return make_error(ErrorCode::ER_NO_DB_ERROR);
    r.db = session.engine().storage().database(r.db_name);
    if (r.db) r.table = r.db->table(ref.name);
    if (!r.table) return make_error(ErrorCode::ER_NO_SUCH_TABLE, {r.db_name, ref.name});
    return r;
}

Result<storage::Transaction*> write_transaction(Session& session, const ResolvedTable& table) {
    storage::Transaction* txn = FLOE_TRY(session.transaction().writer(table.db));
    FLOE_CHECK(txn->lock_table(*table.table));
    return txn;
}

Result<WriteTarget> resolve_table_for_write(Session& session, const TableRef& ref) {
    for (;;) {
        WriteTarget w;
        static_cast<ResolvedTable&>(w) = FLOE_TRY(resolve_table(session, ref));
        auto txn = write_transaction(session, w);
        if (txn.ok()) {
            w.txn = *txn;
            return w;
        }
        if (txn.error().code != ErrorCode::ER_TABLE_DEF_CHANGED) return std::move(txn).error();
        // A DDL statement replaced the table while this one waited for it: look it up again.
    }
}

Result<ResolvedTable> resolve_table_for_ddl(Session& session, const TableRef& ref) {
    for (;;) {
        auto r = FLOE_TRY(resolve_table(session, ref));
        FLOE_CHECK(session.transaction().lock_table_exclusive(*r.db, *r.table->schema));
        if (r.db->table(ref.name) == r.table) return r;
    }
}

}  // namespace floe::sql
