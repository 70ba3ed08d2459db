// FREEZE / UNFREEZE / FLUSH RAMCHUNK / IMPORT TABLE / SHOW LOCKS / SHOW TABLE t STATUS (SPEC §6; the storage
// side is storage/freeze.cc).
#include <spdlog/spdlog.h>

#include <filesystem>

#include "sql/engine.h"
#include "sql/exec/executor.h"
#include "sql/exec/expr_eval.h"
#include "sql/exec/result_builder.h"
#include "sql/exec/table_access.h"
#include "sql/session.h"
#include "storage/database.h"
#include "storage/storage_engine.h"
#include "storage/transaction.h"

namespace floe::sql {

namespace {

// The database and table a FREEZE / UNFREEZE names; nullptr when it names no table (a view, nothing).
std::shared_ptr<storage::Database> freezable(Session& session, const TableRef& ref) {
    std::string db_name = ref.db.empty() ? session.db() : ref.db;
    if (db_name.empty()) return nullptr;
    auto db = session.engine().storage().database(db_name);
    if (!db || !db->table(ref.name)) return nullptr;
    return db;
}

std::string display_name(const TableRef& ref) { return ref.db.empty() ? ref.name : ref.db + "." + ref.name; }

Result<StatementResult> freeze(Session& session, const FreezeStmt& s) {
    ResultSet rs = text_result(session, {"file", "normalized"});
    rs.columns[0] = text_column("file", 1024, session.result_collation());
    rs.columns[1] = text_column("normalized", 1024, session.result_collation());
    std::vector<std::string> unsuitable;
    auto timeout = std::chrono::seconds(session.variable(*find_variable("lock_wait_timeout")).to_int());
    for (const auto& ref : s.tables) {
        auto db = freezable(session, ref);
        if (!db) {
            unsuitable.push_back(display_name(ref));
            continue;
        }
        storage::Database::FreezeRequest request;
        request.locks = &session.engine().locks();
        request.deadline = std::chrono::steady_clock::now() + timeout;
        request.kill = &session.kill_flag();
        request.connection_id = session.id();
        request.statement = "FREEZE " + db->name() + "." + ref.name;
        auto outcome = db->freeze_table(ref.name, request);
        if (!outcome.ok()) {
            if (outcome.error().code == ErrorCode::ER_NO_SUCH_TABLE) {  // dropped meanwhile
                unsuitable.push_back(display_name(ref));
                continue;
            }
            return std::move(outcome).error();
        }
        for (const auto& f : outcome->files) {
            if (s.like && !like_match(f.relative, *s.like, '\\', false)) continue;
            rs.rows.push_back({Value::from_string(f.relative), Value::from_string(f.absolute)});
        }
        if (s.timeout_seconds) {
            // FREEZE ... TIMEOUT n: this freeze ends by itself (unless it has ended already).
            std::weak_ptr<storage::Database> weak = db;
            std::string table = ref.name;
            uint64_t epoch = outcome->epoch;
            session.engine().storage().timers().schedule(
                std::chrono::steady_clock::now() + std::chrono::seconds(*s.timeout_seconds), [weak, table, epoch] {
                    if (auto d = weak.lock()) {
                        spdlog::info("FREEZE TIMEOUT: unfreezing {}.{}", d->name(), table);
                        d->unfreeze_table(table, epoch);
                    }
                });
        }
    }
    if (!unsuitable.empty()) {
        std::string list;
        for (const auto& n : unsuitable) list += (list.empty() ? "" : ", ") + n;
        session.add_warning(ErrorCode::ER_UNKNOWN_ERROR, "Some tables are not suitable for freezing: " + list);
    }
    return wrap(std::move(rs));
}

Result<StatementResult> unfreeze(Session& session, const FreezeStmt& s) {
    uint64_t named = 0;
    for (const auto& ref : s.tables) {
        auto db = freezable(session, ref);
        if (db && db->unfreeze_table(ref.name)) ++named;
    }
    return ok_result(named);
}

}  // namespace

Result<StatementResult> execute_freeze(Session& session, FreezeStmt& s) {
    return s.unfreeze ? unfreeze(session, s) : freeze(session, s);
}

Result<StatementResult> execute_flush_table(Session& session, FlushTableStmt& s) {
    for (const auto& ref : s.tables) {
        auto target = FLOE_TRY(resolve_table(session, ref));
        FLOE_CHECK(target.db->flush_table(*target.table));  // a frozen table: OK, nothing saved
    }
    return ok_result();
}

Result<StatementResult> execute_import_table(Session& session, ImportTableStmt& s) {
    std::string db_name;
    auto db = FLOE_TRY(resolve_database(session, s.table.db, &db_name));
    // A relative directory is taken from the data directory.
    std::filesystem::path dir(s.dir);
    if (dir.is_relative()) dir = std::filesystem::path(session.engine().storage().datadir()) / dir;
    FLOE_CHECK(db->import_table(s.table.name, dir.lexically_normal().string()));
    return ok_result();
}

Result<StatementResult> execute_show_locks(Session& session) {
    ResultSet rs = text_result(session, {"Type", "Name", "Lock Type", "Additional Info"});
    auto& storage = session.engine().storage();
    for (const auto& d : storage.databases()) {
        auto db = storage.database(d.name);
        if (!db) continue;
        for (const auto& f : db->frozen_tables()) {
            rs.rows.push_back({Value::from_string("rt"), Value::from_string(d.name + "." + f.table),
                               Value::from_string("freeze"), Value::from_string("Count: " + std::to_string(f.count))});
        }
    }
    auto holder = [](const locking::LockHolding& h) {
        return "connection " + std::to_string(h.connection) + ": " + h.statement;
    };
    for (const auto& h : session.engine().locks().holdings(storage::database_lock_resource(""))) {
        rs.rows.push_back({Value::from_string("database"), Value::from_string(h.resource.substr(1)),
                           Value::from_string("exclusive"), Value::from_string(holder(h))});
    }
    // A running BACKUP holds its database's backup lock exclusively (ALTER / DROP DATABASE, SNAPSHOT wait).
    for (const auto& h : session.engine().locks().holdings(storage::backup_lock_resource(""))) {
        if (h.mode != locking::LockMode::kExclusive) continue;
        rs.rows.push_back({Value::from_string("database"), Value::from_string(h.resource.substr(1)),
                           Value::from_string("backup"), Value::from_string(holder(h))});
    }
    for (const auto& h : session.engine().locks().holdings(storage::kClusterLockResource)) {
        if (h.mode != locking::LockMode::kExclusive) continue;  // database operations hold it shared
        rs.rows.push_back({Value::from_string("cluster"), Value::from_string("cluster"), Value::from_string("exclusive"),
                           Value::from_string(holder(h))});
    }
    return wrap(std::move(rs));
}

Result<StatementResult> execute_show_table_status_of(Session& session, ShowStmt& s) {
    auto target = FLOE_TRY(resolve_table(session, s.table));
    auto& db = *target.db;
    const auto& table = *target.table;
    uint64_t limit = table.schema->rt_mem_limit ? table.schema->rt_mem_limit
                                                : session.engine().storage().default_rt_mem_limit();
    ResultSet rs = text_result(session, {"Variable_name", "Value"});
    auto add = [&](std::string name, std::string value) {
        if (s.like && !like_match(name, *s.like, '\\', false)) return;
        rs.rows.push_back({Value::from_string(std::move(name)), Value::from_string(std::move(value))});
    };
    add("table_type", "rt");
    add("locked", std::to_string(db.freeze_count(s.table.name)));
    add("ram_bytes", std::to_string(db.unflushed_bytes(table)));
    add("disk_bytes", std::to_string(db.table_disk_bytes(table)));
    add("disk_files", std::to_string(db.table_disk_files(table)));
    add("mem_limit", std::to_string(limit));
    return wrap(std::move(rs));
}

}  // namespace floe::sql
