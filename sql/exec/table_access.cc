#include "sql/exec/table_access.h"

#include "sql/engine.h"
#include "sql/session.h"
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

}  // namespace floe::sql
