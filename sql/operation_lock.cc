#include "sql/operation_lock.h"

#include <algorithm>

#include "common/debug_sync.h"
#include "sql/engine.h"
#include "sql/session.h"
#include "storage/transaction.h"

namespace floe::sql {

namespace {

class NeedBuilder {
public:
    explicit NeedBuilder(std::string_view current_db) : current_db_(current_db) {}
    void database(std::string_view db) {
        need_.kind = OperationLockNeed::Kind::kDatabase;
        if (!db.empty()) need_.databases.emplace_back(db);
    }
    void table(const TableRef& t) { database(t.db.empty() ? current_db_ : std::string_view(t.db)); }
    void cluster() { need_.kind = OperationLockNeed::Kind::kCluster; }
    // The operation also waits for a backup of its database (any backup, or only a locking one).
    void after_backup(std::string_view db, bool locking_only) {
        database(db);
        if (!db.empty()) (locking_only ? need_.locking_backup_waits : need_.backup_waits).emplace_back(db);
    }
    void table_after_locking_backup(const TableRef& t) {
        after_backup(t.db.empty() ? current_db_ : std::string_view(t.db), true);
    }
    OperationLockNeed done() {
        for (auto* v : {&need_.databases, &need_.backup_waits, &need_.locking_backup_waits}) {
            std::sort(v->begin(), v->end());
            v->erase(std::unique(v->begin(), v->end()), v->end());
        }
        if (need_.kind == OperationLockNeed::Kind::kDatabase && need_.databases.empty()) {
            need_.kind = OperationLockNeed::Kind::kNone;  // no database named or selected: the statement fails
        }
        return std::move(need_);
    }

private:
    std::string_view current_db_;
    OperationLockNeed need_;
};

}  // namespace

OperationLockNeed operation_lock_need(const Statement& stmt, std::string_view current_db) {
    NeedBuilder b(current_db);
    std::visit(
        [&](const auto& s) {
            using T = std::decay_t<decltype(s)>;
            if constexpr (std::is_same_v<T, CreateDatabaseStmt>) {
                if (s.alter) {
                    b.after_backup(s.name, false);  // ALTER DATABASE waits for a backup of it
                } else {
                    b.database(s.name);
                }
            } else if constexpr (std::is_same_v<T, DropDatabaseStmt>) {
                b.after_backup(s.name, false);
            } else if constexpr (std::is_same_v<T, CreateTableStmt> || std::is_same_v<T, TruncateStmt>) {
                b.table(s.table);
            } else if constexpr (std::is_same_v<T, AlterTableStmt>) {
                b.table(s.table);  // ALTER TABLE covers CREATE / DROP INDEX, which wait for a locking backup
                using K = AlterAction::Kind;
                for (const auto& a : s.actions) {
                    if (a.kind == K::kAddIndex || a.kind == K::kDropIndex) b.table_after_locking_backup(s.table);
                }
            } else if constexpr (std::is_same_v<T, DropTableStmt>) {
                for (const auto& t : s.tables) b.table(t);
            } else if constexpr (std::is_same_v<T, CreateViewStmt>) {
                b.table(s.view);  // CREATE / ALTER VIEW
            } else if constexpr (std::is_same_v<T, DropViewStmt>) {
                for (const auto& t : s.views) b.table(t);
            } else if constexpr (std::is_same_v<T, RenameTableStmt>) {
                for (const auto& [from, to] : s.renames) {
                    b.table(from);
                    b.table(to);
                }
            } else if constexpr (std::is_same_v<T, SnapshotStmt>) {
                b.after_backup(s.db, false);
            } else if constexpr (std::is_same_v<T, RestoreStmt>) {
                b.database(s.as.empty() ? s.db : s.as);
            } else if constexpr (std::is_same_v<T, ImportTableStmt>) {
                b.table(s.table);
            } else if constexpr (std::is_same_v<T, ClusterStmt>) {
                using K = ClusterStmt::Kind;
                if (s.kind == K::kRebalancePartitions) {
                    b.database(s.db);
                } else if (s.kind != K::kExplainRebalancePartitions) {
                    b.cluster();
                }
            } else if constexpr (std::is_same_v<T, TableMaintenanceStmt>) {
                if (s.kind == TableMaintenanceStmt::Kind::kOptimize) {
                    for (const auto& t : s.tables) b.table_after_locking_backup(t);
                }
            }
        },
        stmt);
    return b.done();
}

OperationLock::OperationLock(Engine& engine, Session& session) : engine_(engine), session_(session) {
    owner_.txn_id = engine.next_transaction_id();
    owner_.connection_id = session.id();
    owner_.kill = &session.kill_flag();
    owner_.statement = [&session] { return session.transaction_statement(); };
    deadline_ = std::chrono::steady_clock::now() +
                std::chrono::seconds(session.variable(*find_variable("lock_wait_timeout")).to_int());
    deadlock_detect_ = engine.variables().get(*find_variable("deadlock_detect")).to_int() != 0;
}

OperationLock::~OperationLock() {
    if (!owner_.held.empty()) engine_.locks().release_all(owner_);
}

Status OperationLock::lock(std::string_view resource, locking::LockMode mode, std::string what) {
    return engine_.locks().lock(owner_, resource, mode, deadline_, [&what] { return what; }, deadlock_detect_);
}

Status OperationLock::acquire(const OperationLockNeed& need) {
    if (need.kind == OperationLockNeed::Kind::kNone) return {};
    using locking::LockMode;
    if (need.kind == OperationLockNeed::Kind::kCluster) {
        FLOE_CHECK(lock(storage::kClusterLockResource, LockMode::kExclusive, "the cluster lock"));
        return debug_sync("cluster_lock_held");
    }
    // Backups first (a backup holds its resources and the cluster resource, never a database lock), then the
    // databases, the cluster resource last: operations on one database then run in the order they arrived
    // even while a cluster operation holds everything up (they queue on the database, not all on the cluster
    // resource, where shared requests would be granted together and race for the database).
    for (const auto& db : need.backup_waits) {
        FLOE_CHECK(lock(storage::backup_lock_resource(db), LockMode::kShared, "the backup of " + db));
    }
    for (const auto& db : need.locking_backup_waits) {
        FLOE_CHECK(lock(storage::locking_backup_lock_resource(db), LockMode::kShared, "the locking backup of " + db));
    }
    for (const auto& db : need.databases) {
        FLOE_CHECK(lock(storage::database_lock_resource(db), LockMode::kExclusive, "the database lock of " + db));
    }
    FLOE_CHECK(lock(storage::kClusterLockResource, LockMode::kShared, "the cluster lock"));
    return debug_sync("database_lock_held");
}

Status OperationLock::acquire_backup(std::string_view db, bool locking) {
    using locking::LockMode;
    std::string name(db);
    FLOE_CHECK(lock(storage::backup_lock_resource(db), LockMode::kExclusive, "the backup of " + name));
    if (locking) {
        FLOE_CHECK(lock(storage::locking_backup_lock_resource(db), LockMode::kExclusive, "the locking backup of " + name));
    }
    return lock(storage::kClusterLockResource, LockMode::kShared, "the cluster lock");
}

Status OperationLock::close_write_gate() {
    FLOE_CHECK(lock(storage::kWriteGateResource, locking::LockMode::kExclusive, "the backup write gate"));
    return debug_sync("backup_gate_closed");
}

void OperationLock::open_write_gate() {
    // The gate is the last resource taken.
    if (!owner_.held.empty() && owner_.held.back() == storage::kWriteGateResource) {
        engine_.locks().release_after(owner_, owner_.held.size() - 1);
    }
}

Status OperationLock::pass_write_gate() {
    return lock(storage::kWriteGateResource, locking::LockMode::kShared, "the backup write gate");
}

}  // namespace floe::sql
