// Database: one RocksDB instance — a "catalog" column family holding every table's schema, and one column
// family per table ("t<table id>") holding its rows and all its indexes (key layout: key_codec.h).
// A backup of the instance therefore carries its schema at the same commit point as its rows.
// Thread-safety: schema reads and DDL are internally locked (mu_); data access goes through Transaction.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <optional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/result.h"
#include "locking/lock_manager.h"
#include "common/value.h"
#include "storage/row_stamps.h"
#include "storage/schema.h"

namespace rocksdb {
class DB;
class ColumnFamilyHandle;
}  // namespace rocksdb

namespace floe::storage {

class StorageEngine;
class Transaction;
struct LockContext;
struct KeyRange;

// What a table keeps in memory besides its schema: counters that would be too slow to keep in the catalog.
struct TableRuntime {
    std::shared_ptr<const TableSchema> schema;
    rocksdb::ColumnFamilyHandle* cf = nullptr;
    std::mutex counters_mu;          // guards the two counters' lazy initialisation
    bool counters_loaded = false;
    std::atomic<uint64_t> next_auto_increment{1};
    std::atomic<uint64_t> next_row_id{1};
    // FREEZE'd (writers look at their memory limit); set once the table's files are listed.
    std::atomic<bool> frozen{false};
    // The sequence number from which this runtime's data is all in place (0: since the database opened): a
    // table created, rebuilt or truncated, or an index built, after a snapshot was taken holds nothing that
    // snapshot can see, so reads at it fail with 1412 instead of finding nothing (Transaction::readable).
    uint64_t data_since = 0;
};

// FREEZE (SPEC §6): a listed file, relative to the data directory and absolute.
struct FrozenFile {
    std::string relative;
    std::string absolute;
};
struct FreezeOutcome {
    std::vector<FrozenFile> files;  // the table's data files as at its first freeze, then its schema file
    uint32_t count = 0;             // the freeze counter now
    uint64_t epoch = 0;             // which freeze (from 0 to a count of 0) this one belongs to
};
struct FreezeInfo {
    std::string table;
    uint32_t count = 0;
};

// A stored file that failed verification (CHECK BLOB CHECKSUM).
struct FileProblem {
    std::string table;   // the table owning it ("" for the catalog)
    std::string file;    // path relative to the database's directory
    std::string reason;
};

class Database {
public:
    static Result<std::shared_ptr<Database>> open(StorageEngine& engine, const std::string& dir,
                                                  const DatabaseSchema& schema, bool create);
    ~Database();

    // Fixed for the database's life: read without a lock on hot paths.
    uint16_t partitions() const { return partitions_; }
    const std::string& name() const { return name_; }
    // Unique among the databases this process opened (a recreated database is another): lock resources.
    uint64_t uid() const { return uid_; }
    DatabaseSchema schema() const {
        std::lock_guard lock(mu_);
        return schema_;
    }
    void set_collation(uint16_t collation_id) {
        std::lock_guard lock(mu_);
        schema_.collation_id = collation_id;
    }
    std::vector<std::string> table_names() const;
    // nullptr when absent (case-sensitive names).
    std::shared_ptr<TableRuntime> table(std::string_view name) const;

    // DDL. create_table assigns the table id and index/column ids already set by the caller; 1050 if it exists.
    Status create_table(TableSchema schema);
    // 1051 if absent. Drops the column family (all rows and indexes) at once.
    Status drop_table(std::string_view name);
    // Replaces a table's schema (ALTER TABLE, RENAME); rows are not touched. `new_data`: the schema names data
    // written just before (an index built in place), which older snapshots cannot see.
    Status replace_table(std::string_view old_name, TableSchema schema, bool new_data = false);
    // Empties a table: a fresh column family replaces the old one (TRUNCATE).
    Status truncate_table(std::string_view name);
    // Rebuilds a table under a new schema (ALTER TABLE that changes types or keys): every row is mapped by `map`
    // (nullopt drops it) and inserted into a fresh column family with all uniqueness checks (1062 aborts and
    // leaves the table as it was); then the catalog switches to it at once. The caller holds the table's lock
    // exclusively (no writer meanwhile); readers keep reading the old table until the switch.
    Status rebuild_table(std::string_view name, TableSchema new_schema,
                         const std::function<Result<std::optional<std::vector<Value>>>(const std::vector<Value>&)>& map);

    // Adds and drops secondary indexes without touching rows (MySQL's ALGORITHM=INPLACE): every row's entry in
    // each index of `added` (non-unique ones: nothing can collide) is written first, then the catalog switches to
    // `new_schema` at once, then the entries of `dropped` are deleted by range. The caller holds the table's lock
    // exclusively; readers keep the old schema until the switch.
    Status change_indexes(std::string_view name, TableSchema new_schema, const std::vector<uint32_t>& added,
                          const std::vector<uint32_t>& dropped);

    // Views share the tables' namespace. create_view: 1050 when a table or (without replace) a view has the name.
    Status create_view(const ViewSchema& view, bool replace);
    Status drop_view(std::string_view name);  // 1051 when absent
    std::optional<ViewSchema> view(std::string_view name) const;
    std::vector<std::string> view_names() const;

    // A transaction's work in this database. `locks`: how it locks rows (outlives the transaction); nullptr:
    // no locks (private work such as a table being built).
    std::unique_ptr<Transaction> begin(LockContext* locks = nullptr);

    rocksdb::DB* rocks() { return db_.get(); }
    bool wal_sync() const;
    // Fills a table's auto-increment and row-id counters from its rows (once).
    Status load_counters(TableRuntime& table);
    // Bytes of a table's files on disk and its approximate row count (SHOW TABLE STATUS).
    uint64_t table_disk_bytes(const TableRuntime& table);
    // RocksDB's estimate of the table's entries (rows plus index entries); cheap, for planning.
    uint64_t estimate_entries(const TableRuntime& table);
    // An estimate of the entries of one index (over every partition) that fall in `ranges`, for planning: the
    // share of partition 0's entries of that index the ranges span by size (RocksDB's approximate sizes of files
    // and memtables), times the index's share of `table_entries` (estimate_entries, which the caller has).
    // Ranges within one data block estimate at about 0.
    uint64_t estimate_range_entries(const TableRuntime& table, uint64_t table_entries, uint16_t index_id,
                                    const std::vector<KeyRange>& ranges);
    // The sequence number of the last committed write (SHOW DATABASE STATUS's commit position).
    uint64_t last_commit_sequence();
    // Syncs the write-ahead log (commits written unsynced become durable); returns the sequence it is synced
    // past. A closed database has nothing left to sync.
    Result<uint64_t> sync_wal();
    // OPTIMIZE TABLE: compacts the table's column family (all its files rewritten, deleted rows purged).
    Status compact_table(const TableRuntime& table);
    // Level-0 files and the memtable each span every key of the table, so every seek (each partition of each
    // range read) looks into each of them, past the old versions they hold (a big memtable's skiplist search
    // alone was ~10 % of a range-read load). Flushes the memtable when it holds kIdleFlushEntries or more, then
    // merges the level-0 files into the first level below that holds files (or, when that level is over ten
    // times their size, into one level-0 file), in the calling thread (not RocksDB's background threads, which
    // run at the lowest CPU priority and starve under a read load). Returns whether it merged; false also for
    // a frozen table or one OPTIMIZE is compacting.
    Result<bool> merge_level0(const TableRuntime& table);
    static constexpr uint64_t kIdleFlushEntries = 4096;
    // What says whether a table is being written: its level-0 file count and the active memtable's entries.
    std::pair<uint64_t, uint64_t> write_marks(const TableRuntime& table);
    // Reads every live data file whole and checks each block's checksum; `checked` counts the files read.
    std::vector<FileProblem> verify_files(uint64_t& checked);
    // ---- FREEZE / UNFREEZE (freeze.cc) ----
    // The first freeze of a table stops its compactions, flushes its memory and waits for running background
    // work; every freeze increments its counter. Writers that must wait (memory limit reached) wait for the
    // freeze lock that the freeze holds in `request.locks` under a holder named by `connection_id` and
    // `statement` (their 1205 names it). 1146 when the table does not exist; 1205 at `deadline` / 1317 on
    // `kill` while an OPTIMIZE of the table runs.
    struct FreezeRequest {
        locking::LockManager* locks = nullptr;
        Clock::time_point deadline = Clock::time_point::max();
        const KillFlag* kill = nullptr;
        uint32_t connection_id = 0;
        std::string statement;
    };
    Result<FreezeOutcome> freeze_table(std::string_view name, const FreezeRequest& request);
    // One count off (never below 0; `epoch`: only if the table is still in that freeze). At 0, compaction
    // resumes and waiting writers go on at once. False when no such table exists.
    bool unfreeze_table(std::string_view name, std::optional<uint64_t> epoch = std::nullopt);
    // DROP / TRUNCATE: the table's freeze ends at once, whatever its count.
    void end_freeze(std::string_view name);
    uint32_t freeze_count(std::string_view name) const;
    std::vector<FreezeInfo> frozen_tables() const;
    // Before a write to `table`: when it is frozen and its unflushed memory has reached its rt_mem_limit, waits
    // for UNFREEZE as `locks` allows (1205 naming the freezer, 1317). No wait without locks (private work).
    Status admit_write(TableRuntime& table, const LockContext* locks);
    // Bytes of the table's writes still in memory (memtables).
    uint64_t unflushed_bytes(const TableRuntime& table);
    uint64_t table_disk_files(const TableRuntime& table);
    // FLUSH TABLE / FLUSH RAMCHUNK: writes the table's memory to disk; nothing while it is frozen.
    Status flush_table(const TableRuntime& table);
    // SNAPSHOT DATABASE: every table's memory written to files (not a frozen table's, as FLUSH TABLE), after
    // which RocksDB deletes the write-ahead log no table needs any more.
    Status snapshot();
    // IMPORT TABLE: makes table `name` from a directory holding a copy of a frozen table's files (its schema
    // file says which and how). Every file's checksums are verified before anything is created.
    Status import_table(std::string_view name, const std::string& dir);
    // The instance's directory (absolute).
    const std::string& dir() const { return dir_; }

    // Closes the instance; used before its directory is removed.
    void close();
    // Dropped: no longer the engine's database of its name (a database of that name made later is another
    // instance). Set by StorageEngine under its lock; read without one (a statement's first touch checks it).
    bool dropped() const { return dropped_.load(std::memory_order_acquire); }
    void mark_dropped() { dropped_.store(true, std::memory_order_release); }

private:
    Database(StorageEngine& engine, DatabaseSchema schema);
    Status write_catalog(const TableSchema& schema);
    Result<rocksdb::ColumnFamilyHandle*> create_cf(uint32_t table_id);
    struct Frozen;
    // OPTIMIZE and level-0 merges: registered so that a FREEZE waits for them. begin_compaction is false when the
    // table is frozen or (only_one) already being compacted; each true is ended by end_compaction.
    bool begin_compaction(uint32_t table_id, bool only_one);
    void end_compaction(uint32_t table_id);
    void finish_unfreeze(uint32_t table_id, std::unique_lock<std::mutex>& freeze_lock);

    friend class Transaction;
    StorageEngine& engine_;
    DatabaseSchema schema_;
    const uint16_t partitions_;
    const std::string name_;
    const uint64_t uid_;
    std::atomic<bool> dropped_{false};
    std::unique_ptr<rocksdb::DB> db_;
    std::mutex close_mu_;  // close() waits for a sync_wal() running on the WalSyncer's thread
    std::mutex maintenance_mu_;  // close() waits for a merge_level0() (taken before close_mu_)
    rocksdb::ColumnFamilyHandle* catalog_cf_ = nullptr;
    std::vector<rocksdb::ColumnFamilyHandle*> handles_;  // every open handle, destroyed at close
    mutable std::mutex mu_;  // guards tables_, views_, next_table_id_ and schema_'s collation (DDL)
    std::map<std::string, std::shared_ptr<TableRuntime>, std::less<>> tables_;
    std::map<std::string, ViewSchema, std::less<>> views_;
    uint32_t next_table_id_ = 1;
    std::string dir_;

    // FREEZE state. freeze_op_mu_ serialises FREEZE / UNFREEZE steps (flushes, option changes); freeze_mu_
    // guards the maps and is never held across I/O. Lock order: freeze_op_mu_, freeze_mu_, mu_.
    std::mutex freeze_op_mu_;
    mutable std::mutex freeze_mu_;
    std::condition_variable freeze_cv_;       // an OPTIMIZE of a table ended
    std::map<uint32_t, std::shared_ptr<Frozen>> frozen_;  // by table id (shared_ptr: Frozen is defined in freeze.cc)
    std::map<uint32_t, int> compacting_;      // running OPTIMIZEs and level-0 merges by table id
    uint64_t next_freeze_epoch_ = 1;

    RowStamps row_stamps_;  // which rows commits changed, and when (Transaction::lock_read_row)
};

}  // namespace floe::storage
