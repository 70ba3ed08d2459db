// SessionTransaction: a session's SQL transaction. It spans statements (BEGIN ... COMMIT, or autocommit=0),
// or one statement (autocommit). It holds one storage::Transaction per database it touches (each with its own
// snapshot), the LockOwner its row locks belong to, and its savepoints.
//   - Each statement is bracketed: a failure undoes the statement's writes and releases the locks it took
//     (1205, 1062, ...), or the whole transaction when the error's scope says so (1213).
//   - READ COMMITTED: consistent reads see what was committed when the statement began; REPEATABLE READ:
//     when the transaction first read the database. Writes read what is committed now (current reads).
//   - One database may be written per transaction: RocksDB commits one instance atomically, so a second one
//     is refused (1235) rather than committed half (ARCHITECTURE "Storage mapping").
// Thread-safety: the owning session's thread only (the lock manager reaches the LockOwner under its own lock).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "locking/lock_manager.h"
#include "storage/transaction.h"

namespace floe::storage {
class Database;
}

namespace floe::sql {

class Engine;
class Session;

enum class Isolation : uint8_t { kReadCommitted, kRepeatableRead };
// The isolation a transaction_isolation value runs as: SERIALIZABLE as REPEATABLE READ, READ UNCOMMITTED as
// READ COMMITTED (docs/locking.md).
inline Isolation isolation_of(std::string_view level) {
    return level == "REPEATABLE-READ" || level == "SERIALIZABLE" ? Isolation::kRepeatableRead : Isolation::kReadCommitted;
}

class SessionTransaction {
public:
    SessionTransaction(Engine& engine, Session& session);
    ~SessionTransaction();  // rolls back
    SessionTransaction(const SessionTransaction&) = delete;
    SessionTransaction& operator=(const SessionTransaction&) = delete;

    bool active() const { return active_; }
    // Opened by BEGIN / START TRANSACTION, or by a statement under autocommit=0: lasts until COMMIT / ROLLBACK.
    bool lasting() const { return lasting_; }
    uint64_t id() const { return owner_.txn_id; }
    Isolation isolation() const { return isolation_; }

    void start(bool lasting, Isolation isolation, bool read_only);
    // Applies the writes and ends the transaction (its locks released). `by_partition`: each partition's
    // changes in their own write (disable_update_delete_distributed_transactions). On failure nothing is kept.
    Status commit(bool by_partition = false);
    void rollback();

    // The statement bracket.
    void begin_statement(Clock::time_point lock_deadline, bool deadlock_detect);
    void end_statement();
    void fail_statement(const Error& error);

    // The transaction's work in `db`: for reading, or for writing (1792 in a READ ONLY transaction, 1235 when
    // another database has been written).
    // Taking a database first takes its lock shared (1205 / 1317 while a DROP DATABASE holds it).
    Result<storage::Transaction*> reader(const std::shared_ptr<storage::Database>& db);
    Result<storage::Transaction*> writer(const std::shared_ptr<storage::Database>& db);
    // Until the statement ends, scans read what is committed now (UPDATE / DELETE / SELECT ... FOR UPDATE).
    void set_current_reads(bool on);
    // DDL: the table's lock in exclusive mode (waits for every transaction that wrote it) until the end.
    Status lock_table_exclusive(storage::Database& db, const storage::TableSchema& table);
    // DROP DATABASE: the database's lock exclusively (every transaction that used it has ended).
    Status lock_database_exclusive(storage::Database& db);

    void savepoint(std::string_view name);
    Status rollback_to_savepoint(std::string_view name);  // 1305 when unknown
    Status release_savepoint(std::string_view name);      // 1305 when unknown

private:
    struct Part {
        std::shared_ptr<storage::Database> db;
        std::unique_ptr<storage::Transaction> txn;
        bool writing = false;
    };
    struct Savepoint {
        std::string name;
        std::vector<std::pair<const storage::Database*, size_t>> depths;  // the parts that existed then
    };
    Result<Part*> part(const std::shared_ptr<storage::Database>& db);
    void end();
    size_t find_savepoint(std::string_view name) const;

    Engine& engine_;
    Session& session_;
    locking::LockOwner owner_;
    storage::LockContext locks_;
    std::vector<Part> parts_;
    std::vector<Savepoint> savepoints_;
    Isolation isolation_ = Isolation::kReadCommitted;
    bool active_ = false;
    bool lasting_ = false;
    bool read_only_ = false;
    bool in_statement_ = false;
    bool current_reads_ = false;
    size_t statement_locks_ = 0;  // locks held when the statement began
    size_t statement_parts_ = 0;  // databases touched when the statement began
};

}  // namespace floe::sql
