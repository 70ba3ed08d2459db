// Operation locks (SPEC §5, seeds/002): the database lock and the cluster lock that DDL and cluster operations
// hold for their whole run. One holder per database at a time; locks on different databases are independent;
// the cluster lock excludes every database lock. Both are resources of the engine's LockManager, so waits
// queue in arrival order, end at lock_wait_timeout (1205 naming the holder) or KILL QUERY (1317), and appear
// in PROCESSLIST / MV_BLOCKED_QUERIES like every other wait. A database operation takes each database's
// resource exclusively (in name order), then the cluster resource shared; a cluster operation takes the
// cluster resource exclusively. Only database operations hold the cluster resource while waiting for nothing
// else, so no cycle can form. DML takes neither.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "locking/lock_manager.h"
#include "sql/parse/ast.h"

namespace floe::sql {

class Engine;
class Session;

struct OperationLockNeed {
    enum class Kind : uint8_t { kNone, kDatabase, kCluster };
    Kind kind = Kind::kNone;
    std::vector<std::string> databases;  // kDatabase: sorted, unique
};

// Which lock a statement takes (the table of docs/locking.md). `current_db` names unqualified tables' database.
OperationLockNeed operation_lock_need(const Statement& stmt, std::string_view current_db);

// The locks one statement holds; released when it goes (after the statement's commit).
class OperationLock {
public:
    OperationLock(Engine& engine, Session& session);
    ~OperationLock();
    OperationLock(const OperationLock&) = delete;
    OperationLock& operator=(const OperationLock&) = delete;

    // Waits for `need` as the session's lock_wait_timeout allows. Then passes the debug sync point
    // "database_lock_held" or "cluster_lock_held" (tests hold an operation there).
    Status acquire(const OperationLockNeed& need);

private:
    Engine& engine_;
    Session& session_;
    locking::LockOwner owner_;
};

}  // namespace floe::sql
