// Operation locks (SPEC §5, seeds/002): the database lock and the cluster lock that DDL and cluster operations
// hold for their whole run. One holder per database at a time; locks on different databases are independent;
// the cluster lock excludes every database lock. Both are resources of the engine's LockManager, so waits
// queue in arrival order, end at lock_wait_timeout (1205 naming the holder) or KILL QUERY (1317), and appear
// in PROCESSLIST / MV_BLOCKED_QUERIES like every other wait. A database operation takes each database's
// resource exclusively (in name order), then the cluster resource shared; a cluster operation takes the
// cluster resource exclusively. Only database operations hold the cluster resource while waiting for nothing
// else, so no cycle can form. DML takes neither.
//
// Backups (SPEC §7, seeds/000 and 001) hold their database's backup resource exclusively for their whole run,
// not its database lock, so DDL on its tables goes on; ALTER / DROP DATABASE and SNAPSHOT take the backup
// resource shared first and so wait for it. A locking backup also holds a second resource that CREATE / DROP
// INDEX and OPTIMIZE wait for, and closes the write gate while it takes its snapshot (statements that commit
// partition by partition pass the gate). Waits on all three show as `Waiting for backup`.
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
    std::vector<std::string> backup_waits;          // kDatabase: wait for any backup of these (sorted, unique)
    std::vector<std::string> locking_backup_waits;  // kDatabase: wait for a locking backup of these
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

    // BACKUP of `db`: its backup resource (and with `locking` the locking one) exclusively, the cluster
    // resource shared.
    Status acquire_backup(std::string_view db, bool locking);
    // A locking backup's snapshot: close_write_gate waits for running statements that commit partition by
    // partition and holds back new ones until open_write_gate.
    Status close_write_gate();
    void open_write_gate();
    // A statement that commits partition by partition passes the gate (holding it open until it ends).
    Status pass_write_gate();

private:
    Status lock(std::string_view resource, locking::LockMode mode, std::string what);

    Engine& engine_;
    Session& session_;
    locking::LockOwner owner_;
    Clock::time_point deadline_;
    bool deadlock_detect_ = true;
};

}  // namespace floe::sql
