// Transaction: what one SQL transaction reads and writes in one database. Writes collect in a WriteBatchWithIndex
// (reads see them); reads see committed data under them, either at the transaction's snapshot (consistent
// reads: refreshed per statement for READ COMMITTED, kept for REPEATABLE READ) or as committed now (current
// reads: what writes and uniqueness checks must see). commit() applies everything in one atomic RocksDB write
// (all partitions, all indexes). Dropping a Transaction without commit() undoes it.
//
// Locks (two-phase, held until the SQL transaction ends; see locking/lock_manager.h), when a LockContext is
// given: a writer takes a shared lock on each table it writes (DDL takes it exclusive) and an exclusive lock
// on every row it inserts, changes or deletes: the row's primary key, and each unique key value it adds or
// removes (so uniqueness checks are exact without serializing writers). UPDATE / DELETE find their rows with
// current reads and lock each through lock_row(), which returns the row as committed once the lock is held.
// Without a LockContext nothing is locked (DDL's private copies, tests).
// Thread-safety: one thread at a time, except that a transaction that has written nothing may run scan_index
// from several threads at once (parallel partition scans).
#pragma once

#include <algorithm>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "common/value.h"
#include "locking/lock_manager.h"
#include "storage/database.h"

namespace rocksdb {
class Iterator;
struct ReadOptions;
class Snapshot;
class ColumnFamilyHandle;
class WriteBatchWithIndex;
}

namespace floe::storage {

// One value per TableSchema::columns entry; tables with a hidden primary key carry their row id as one more
// (trailing) BIGINT UNSIGNED value in rows read from storage.
using StoredRow = std::vector<Value>;

enum class OnDuplicate : uint8_t { kError, kIgnore, kReplace };

struct InsertOutcome {
    bool inserted = false;
    bool duplicate = false;          // kIgnore: skipped; kError: the error is returned instead
    StoredRow existing;              // the row that collided (for ON DUPLICATE KEY UPDATE)
    std::string duplicate_message;   // MySQL's 1062 text for the collision (INSERT IGNORE's warning)
    uint64_t replaced = 0;           // kReplace: rows deleted first
};

// A range of an index's entries, on the encoded keys of its leading columns (key_codec.h), without the
// partition / index prefix. A key is above an inclusive `low` when it is >= low, above an exclusive one when
// it is greater than every key starting with low; below an inclusive `high` when it is <= high or starts with
// it, below an exclusive one when it is < high. No value: unbounded.
struct KeyRange {
    std::optional<std::string> low, high;
    bool low_inclusive = true, high_inclusive = true;
};

// How to read a table through one of its indexes.
struct IndexScan {
    const IndexSchema* index = nullptr;  // the primary key or a secondary index
    std::vector<KeyRange> ranges;        // ascending and disjoint; empty: the whole index
    std::vector<uint16_t> partitions;    // empty: every partition
    bool ordered = false;                // merge the partitions into index order
    bool reverse = false;                // descending index order (implies ordered)
    const std::vector<bool>* columns = nullptr;  // the columns to decode (others NULL); nullptr: all
};

// How a transaction locks: the SQL transaction's owner, and when the current statement's waits end.
struct LockContext {
    locking::LockManager* manager = nullptr;
    locking::LockOwner* owner = nullptr;
    Clock::time_point deadline = Clock::time_point::max();
    bool deadlock_detect = true;
};

// Metadata locks, held by `locks.owner` until it releases them: every transaction using a database holds the
// database's lock shared (DROP DATABASE takes it exclusive); writers hold a table's lock shared (DDL exclusive).
// Waits end as `locks` says (1205 / 1213 / 1317).
Status lock_database(const LockContext& locks, const Database& db, locking::LockMode mode);
Status lock_table(const LockContext& locks, const Database& db, const TableSchema& t, locking::LockMode mode);
// Lock resources (opaque to the lock manager) are a tag byte, the database instance, the table id, a key; the
// tag: 'd' a database, 't' a table, 'r' a row (or unique key value), 'f' a frozen table (freeze.h); and the
// operation locks of SPEC §5, named rather than tied to an instance: 'D' a database (by name), 'C' the cluster;
// and the backup locks of SPEC §7: 'B' a database being backed up (ALTER / DROP DATABASE and SNAPSHOT wait for
// it), 'b' a database under a locking backup (CREATE / DROP INDEX and OPTIMIZE wait too), 'G' the gate that
// statements committing partition by partition pass and a locking backup closes while it takes its snapshot.
inline char lock_resource_kind(std::string_view resource) { return resource.empty() ? '\0' : resource[0]; }
// The resource of a table-wide lock: `kind` ('t', 'r' + key, 'f'), the database instance, the table id.
std::string lock_prefix(char kind, const Database& db, uint32_t table_id);
inline constexpr std::string_view kClusterLockResource = "C";
inline std::string database_lock_resource(std::string_view db) { return "D" + std::string(db); }
inline std::string backup_lock_resource(std::string_view db) { return "B" + std::string(db); }
inline std::string locking_backup_lock_resource(std::string_view db) { return "b" + std::string(db); }
inline constexpr std::string_view kWriteGateResource = "G";

class Transaction {
public:
    ~Transaction();

    // Inserts `row` (auto-increment already resolved by the caller), locking its keys first. Duplicate in the
    // primary key or a unique index (as committed now): 1062 "Duplicate entry 'v' for key 'name'" (kError), or
    // the colliding row reported, locked and current (kIgnore), or the colliding rows deleted first (kReplace).
    // (A generated AUTO_INCREMENT key is looked up too: a concurrent INSERT may have given the same value.)
    Result<InsertOutcome> insert(TableRuntime& table, StoredRow row, OnDuplicate on_duplicate);
    // Replaces `old_row` by `new_row` (their primary keys may differ); 1062 on a unique collision. `old_row`
    // must have come from lock_row() (or insert's kIgnore outcome) in this transaction.
    Status update(TableRuntime& table, const StoredRow& old_row, StoredRow new_row);
    // Deletes `row`, which must have come from lock_row() in this transaction.
    Status remove(TableRuntime& table, const StoredRow& row);
    // Every row of the table, all partitions, this statement's writes included. `fn` returns false to stop.
    // `columns`: as IndexScan::columns.
    Status scan(TableRuntime& table, const std::function<bool(StoredRow&)>& fn, const std::vector<bool>* columns = nullptr);
    // Each row's entry in `index` of schema `t` (the table's columns, with indexes the table may not have yet),
    // rows as of this transaction's snapshot: what building an index in place writes.
    Status index_entries(TableRuntime& table, const TableSchema& t, const IndexSchema& index,
                         const std::function<Status(std::string_view key, std::string_view value)>& fn);
    // The rows reached through `scan.index` within `scan.ranges`, this statement's writes included.
    Status scan_index(TableRuntime& table, const IndexScan& scan, const std::function<bool(StoredRow&)>& fn);
    // The row whose primary key (after the partition / index prefix) is `pk_suffix` in `partition`: one
    // point read, cheaper than an index scan for a single key.
    Result<std::optional<StoredRow>> get_by_key(TableRuntime& table, uint16_t partition, std::string_view pk_suffix,
                                                const std::vector<bool>* columns = nullptr);
    // The partition a row with these shard-key values lives in (other values of `row` are ignored).
    uint16_t partition_for(const TableSchema& t, const StoredRow& row) const { return partition_of_row(t, row, 0); }
    // The same from the shard key's encoded columns (key_codec.h), in shard-key order.
    uint16_t partition_for_key(std::string_view shard_key_bytes) const;
    // The row with these primary-key values, if any.
    Result<std::optional<StoredRow>> get(TableRuntime& table, const std::vector<Value>& pk_values);
    // Rows per partition (SHOW PARTITIONS / tests).
    Result<std::vector<uint64_t>> count_per_partition(TableRuntime& table);

    // Locks the row's primary key (exclusive unless asked; waiting as the LockContext allows) and returns the row
    // as it is now, committed or written by this transaction; nullopt when it no longer exists. Without locks:
    // a current read.
    Result<std::optional<StoredRow>> lock_row(TableRuntime& table, std::span<const Value> row,
                                              locking::LockMode mode = locking::LockMode::kExclusive);
    // As lock_row, for a whole row that a current read of this statement returned (set_current_reads): when no
    // commit can have changed the row since that read (RowStamps) and this transaction has not written it,
    // it is not read again (kUnchanged); otherwise `row` of the outcome is the row as it is now (kCurrent), or
    // it no longer exists (kGone). An UPDATE / DELETE by primary key reads its row once instead of twice.
    struct LockedRow {
        enum State : uint8_t { kGone, kUnchanged, kCurrent } state = kGone;
        StoredRow row;  // kCurrent
    };
    Result<LockedRow> lock_read_row(TableRuntime& table, std::span<const Value> row,
                                    locking::LockMode mode = locking::LockMode::kExclusive);
    // Takes the table's lock in shared mode (writers) for the rest of the transaction. 1412 when the table was
    // dropped, truncated or rebuilt since `table` was looked up.
    Status lock_table(TableRuntime& table);

    // Statements: a savepoint the statement's failure rolls back to. `fresh_snapshot`: consistent reads see
    // what is committed when the statement begins (READ COMMITTED).
    void begin_statement(bool fresh_snapshot);
    void end_statement();
    void rollback_statement();
    // SAVEPOINT: returns the savepoint's depth; rollback_to_savepoint keeps it, release drops it and later ones.
    size_t set_savepoint();
    void rollback_to_savepoint(size_t depth);
    void release_savepoint(size_t depth);
    // While set, scans read what is committed now instead of the snapshot (UPDATE / DELETE finding rows).
    void set_current_reads(bool on);
    bool current_reads() const { return current_reads_; }
    bool has_writes() const;

    Status commit();
    // As commit(), without waiting for the log's sync: returns the sequence a WalSyncer must see synced before
    // anyone is told the commit happened (0: nothing to wait for, as when wal_sync is off).
    Result<uint64_t> commit_unsynced();
    // Commits each partition's changes in its own write (disable_update_delete_distributed_transactions).
    Status commit_by_partition();
    void rollback();

private:
    friend class Database;
    Transaction(Database& db, LockContext* locks);

    std::string primary_key(const TableSchema& t, uint16_t partition, std::span<const Value> row, uint64_t row_id) const;
    uint16_t partition_of_row(const TableSchema& t, std::span<const Value> row, uint64_t row_id) const;
    // A row's bytes: this transaction's write, else the committed value (at the snapshot unless `current`).
    Result<std::optional<std::string>> read(TableRuntime& table, const std::string& key, bool current);
    // An iterator over the table's column family that sees this transaction's writes.
    rocksdb::Iterator* iterator(TableRuntime& table) const;
    rocksdb::ReadOptions read_options(bool current) const;
    // X-locks `key` of `table` (a primary key or unique index entry); `describe` names it in waits.
    Status lock_key(TableRuntime& table, const std::string& key, const std::function<std::string()>& describe,
                    locking::LockMode mode = locking::LockMode::kExclusive);
    // The lock of the row whose primary key is `pk` (`row` and `row_id` name it in waits).
    Status lock_primary_key(TableRuntime& table, const std::string& pk, std::span<const Value> row, uint64_t row_id,
                            locking::LockMode mode = locking::LockMode::kExclusive);
    // Takes the table's shared lock and the row's lock; returns the row's primary key.
    Result<std::string> lock_row_key(TableRuntime& table, std::span<const Value> row, locking::LockMode mode);
    // Notes a write of the row whose primary key is `pk` (stamped at commit: RowStamps).
    void note_row_written(const TableRuntime& table, std::string_view pk);
    bool wrote_stripe(uint32_t stripe) const;
    // After the commit's write(s), before its locks are released; `sequence`: the latest sequence, when the
    // caller has it (0: looked up).
    void stamp_written_rows(uint64_t sequence = 0);
    Status lock_unique_keys(TableRuntime& table, const StoredRow& row, const StoredRow* unless_same_in);
    void take_snapshot();
    // 1412 when the table's data came after this transaction's snapshot (TableRuntime::data_since) and reads
    // are at the snapshot: they would find nothing, or an index missing rows.
    Status readable(const TableRuntime& table) const;
    void note_written(TableRuntime& table) {
        if (std::find(written_cfs_.begin(), written_cfs_.end(), table.cf) == written_cfs_.end()) written_cfs_.push_back(table.cf);
    }
    Result<std::optional<StoredRow>> find_unique_conflict(TableRuntime& table, const IndexSchema& index,
                                                          const StoredRow& row, const std::string& own_pk);
    // Every write of a row under its primary key goes through these two (RowStamps must see each one).
    Status put_row_value(TableRuntime& table, const std::string& pk, const StoredRow& row);
    Status delete_row_value(TableRuntime& table, const std::string& pk);
    Status write_row(TableRuntime& table, const StoredRow& row, uint64_t row_id);
    Status erase_row(TableRuntime& table, const StoredRow& row);
    uint64_t row_id_of(TableRuntime& table, std::span<const Value> row);

    Database& db_;
    LockContext* locks_;  // nullptr: no locking
    std::unique_ptr<rocksdb::WriteBatchWithIndex> batch_;  // made at the first write (read-only work needs none)
    rocksdb::WriteBatchWithIndex& batch();
    const rocksdb::Snapshot* snapshot_ = nullptr;  // what consistent reads see
    std::vector<uint32_t> locked_tables_;          // table ids this transaction holds shared
    size_t statement_tables_ = 0;                  // how many of them the current statement found locked
    std::vector<rocksdb::ColumnFamilyHandle*> written_cfs_;
    size_t savepoints_ = 0;                        // depth of the batch's savepoint stack
    bool current_reads_ = false;
    uint64_t current_since_ = 0;                   // current reads see every commit up to this sequence
    std::vector<uint32_t> written_stripes_;        // RowStamps stripes of the rows this transaction wrote
    bool committed_ = false;
};

}  // namespace floe::storage
