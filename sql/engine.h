// Engine: the SQL server behind the protocol. Owns the system store, accounts, global variables and the list
// of open sessions; hands out sessions and connection ids. One per process (no globals: main owns it).
// Thread-safety: every method may be called from any thread.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "backup/backup_manager.h"
#include "common/cancel.h"
#include "common/debug_sync.h"
#include "common/result.h"
#include "common/work_pool.h"
#include "locking/lock_manager.h"
#include "sql/session.h"
#include "sql/user_directory.h"
#include "sql/variables.h"

namespace floe::storage {
class StorageEngine;
}

namespace floe::sql {

struct EngineConfig {
    std::string datadir;
    std::string root_password;  // used only when the data directory is new
    std::string default_auth_plugin = std::string(kNativePlugin);
    // Start-up values for global variables (from options), applied in order; read-only ones included.
    std::vector<std::pair<std::string, std::string>> variables;
};

// Server-wide counters for SHOW STATUS / COM_STATISTICS.
struct ServerCounters {
    std::atomic<uint64_t> connections{0};       // connection attempts
    std::atomic<uint64_t> aborted_connects{0};  // failed handshakes / logins
    std::atomic<uint64_t> aborted_clients{0};   // connections dropped without COM_QUIT
    std::atomic<uint64_t> questions{0};
    std::atomic<uint64_t> bytes_received{0};
    std::atomic<uint64_t> bytes_sent{0};
    std::atomic<uint64_t> max_used_connections{0};
    std::atomic<uint64_t> threads_running{0};
    std::atomic<uint64_t> parallel_scans{0};  // reads whose partitions ran on several threads
    std::atomic<int64_t> prepared_stmt_count{0};  // prepared statements open in all sessions
    std::atomic<uint64_t> com_stmt_prepare{0}, com_stmt_execute{0}, com_stmt_close{0};
    std::atomic<uint64_t> com_stmt_reprepare{0};  // kept plans recompiled after DDL or USE changed what they bound
};

class Engine {
public:
    static Result<std::unique_ptr<Engine>> open(const EngineConfig& config);
    ~Engine();

    GlobalVariables& variables() { return variables_; }
    UserDirectory& users() { return *users_; }
    storage::StorageEngine& storage() { return *storage_; }
    ServerCounters& counters() { return counters_; }
    // BACKUP / RESTORE, MV_BACKUP_HISTORY, MV_BACKUP_STATUS.
    backup::BackupManager& backups() { return *backups_; }
    // Threads that help a statement read a table's partitions in parallel (one fewer than the cores: the
    // statement's own thread works too).
    WorkPool& scan_pool() { return scan_pool_; }
    // Row and table locks of every transaction (deadlocks are found across databases).
    locking::LockManager& locks() { return locks_; }
    // Transaction ids grow with age: the larger, the younger (the deadlock victim).
    uint64_t next_transaction_id() { return next_transaction_id_.fetch_add(1); }
    // Debug sync (common/debug_sync.h): on when started with --debug-sync-timeout=N > 0 (N: default wait).
    bool debug_sync_enabled() const { return debug_sync_timeout_.count() > 0; }
    std::chrono::seconds debug_sync_timeout() const { return debug_sync_timeout_; }
    DebugSyncHub& debug_sync_hub() { return debug_sync_hub_; }
    std::chrono::steady_clock::time_point started_at() const { return started_at_; }
    int64_t uptime_seconds() const;

    uint32_t allocate_connection_id() { return next_connection_id_.fetch_add(1); }
    std::unique_ptr<Session> open_session(ConnectionInfo info);
    size_t session_count() const;

    // KILL [QUERY|CONNECTION] id from `killer`: 1094 when there is no such connection, 1095 when the killer
    // may not (only its own user's connections, unless it is root).
    Status kill(const Session& killer, uint64_t id, KillLevel level);
    // Every session, waiting ones with the state of their wait ("Waiting for row lock").
    std::vector<ProcessInfo> process_list() const;
    // Shutdown: every session's running statement stops (lock waits end at once with 1317) and its
    // connection ends, so nothing still runs when the engine goes.
    void kill_all();
    // Shutdown, once no connection can run any more: every session waiting for its commits' sync is told
    // (the server calls it while the loop the waiters resume on still exists).
    void finish_syncs();
    // Every statement waiting for a lock, and what blocks it (information_schema.MV_BLOCKED_QUERIES).
    struct BlockedQuery {
        uint32_t id = 0;
        std::string query;
        uint32_t blocking_id = 0;
        std::string blocking_type;  // "user transaction row lock", "ddl lock", ...
        std::string blocking_query;
    };
    std::vector<BlockedQuery> blocked_queries() const;

    // Databases that exist: those in storage, and information_schema.
    bool database_exists(std::string_view name) const;

    // Called by Session's constructor / destructor.
    void register_session(Session* s);
    void unregister_session(Session* s);

private:
    Engine() = default;

    GlobalVariables variables_;
    std::unique_ptr<storage::StorageEngine> storage_;
    std::unique_ptr<UserDirectory> users_;
    std::unique_ptr<backup::BackupManager> backups_;
    ServerCounters counters_;
    WorkPool scan_pool_{std::max(1u, std::thread::hardware_concurrency()) - 1};
    locking::LockManager locks_;
    std::atomic<uint64_t> next_transaction_id_{1};
    std::chrono::seconds debug_sync_timeout_{0};
    DebugSyncHub debug_sync_hub_;
    std::chrono::steady_clock::time_point started_at_ = std::chrono::steady_clock::now();
    std::atomic<uint32_t> next_connection_id_{1};

    // Guards sessions_; held while KILL and SHOW PROCESSLIST reach into a session. Lock order: sessions_mu_,
    // then a session's process_mu_. Nothing called under it may destroy a session (it would re-lock it).
    mutable std::mutex sessions_mu_;
    std::map<uint32_t, Session*> sessions_;
};

}  // namespace floe::sql
