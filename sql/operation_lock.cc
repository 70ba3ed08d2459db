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
    OperationLockNeed done() {
        std::sort(need_.databases.begin(), need_.databases.end());
        need_.databases.erase(std::unique(need_.databases.begin(), need_.databases.end()), need_.databases.end());
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
            if constexpr (std::is_same_v<T, CreateDatabaseStmt> || std::is_same_v<T, DropDatabaseStmt>) {
                b.database(s.name);  // CREATE / ALTER / DROP DATABASE
            } else if constexpr (std::is_same_v<T, CreateTableStmt> || std::is_same_v<T, TruncateStmt> ||
                                 std::is_same_v<T, AlterTableStmt>) {
                b.table(s.table);  // ALTER TABLE covers CREATE / DROP INDEX
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
                b.database(s.db);
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
                    for (const auto& t : s.tables) b.table(t);
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
}

OperationLock::~OperationLock() {
    if (!owner_.held.empty()) engine_.locks().release_all(owner_);
}

Status OperationLock::acquire(const OperationLockNeed& need) {
    if (need.kind == OperationLockNeed::Kind::kNone) return {};
    auto timeout = std::chrono::seconds(session_.variable(*find_variable("lock_wait_timeout")).to_int());
    auto deadline = std::chrono::steady_clock::now() + timeout;
    bool detect = engine_.variables().get(*find_variable("deadlock_detect")).to_int() != 0;
    auto& locks = engine_.locks();
    if (need.kind == OperationLockNeed::Kind::kCluster) {
        FLOE_CHECK(locks.lock(owner_, storage::kClusterLockResource, locking::LockMode::kExclusive, deadline,
                              [] { return std::string("the cluster lock"); }, detect));
        return debug_sync("cluster_lock_held");
    }
    // Databases first, the cluster resource last: operations on one database then run in the order they
    // arrived even while a cluster operation holds everything up (they queue on the database, not all on the
    // cluster resource, where shared requests would be granted together and race for the database).
    for (const auto& db : need.databases) {
        FLOE_CHECK(locks.lock(owner_, storage::database_lock_resource(db), locking::LockMode::kExclusive, deadline,
                              [&db] { return "the database lock of " + db; }, detect));
    }
    FLOE_CHECK(locks.lock(owner_, storage::kClusterLockResource, locking::LockMode::kShared, deadline,
                          [] { return std::string("the cluster lock"); }, detect));
    return debug_sync("database_lock_held");
}

}  // namespace floe::sql
