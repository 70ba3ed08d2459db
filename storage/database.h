// Database: one RocksDB instance — a "catalog" column family holding every table's schema, and one column
// family per table ("t<table id>") holding its rows and all its indexes (key layout: key_codec.h).
// A backup of the instance therefore carries its schema at the same commit point as its rows.
// Thread-safety: schema reads and DDL are internally locked (mu_); data access goes through Transaction.
#pragma once

#include <atomic>
#include <functional>
#include <optional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/value.h"
#include "storage/schema.h"

namespace rocksdb {
class DB;
class ColumnFamilyHandle;
}  // namespace rocksdb

namespace floe::storage {

class StorageEngine;
class Transaction;
struct LockContext;

// What a table keeps in memory besides its schema: counters that would be too slow to keep in the catalog.
struct TableRuntime {
    std::shared_ptr<const TableSchema> schema;
    rocksdb::ColumnFamilyHandle* cf = nullptr;
    std::mutex counters_mu;          // guards the two counters' lazy initialisation
    bool counters_loaded = false;
    std::atomic<uint64_t> next_auto_increment{1};
    std::atomic<uint64_t> next_row_id{1};
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
    // Replaces a table's schema (ALTER TABLE, RENAME); rows are not touched.
    Status replace_table(std::string_view old_name, TableSchema schema);
    // Empties a table: a fresh column family replaces the old one (TRUNCATE).
    Status truncate_table(std::string_view name);
    // Rebuilds a table under a new schema (ALTER TABLE that changes types or keys): every row is mapped by `map`
    // (nullopt drops it) and inserted into a fresh column family with all uniqueness checks (1062 aborts and
    // leaves the table as it was); then the catalog switches to it at once. The caller holds the table's lock
    // exclusively (no writer meanwhile); readers keep reading the old table until the switch.
    Status rebuild_table(std::string_view name, TableSchema new_schema,
                         const std::function<Result<std::optional<std::vector<Value>>>(const std::vector<Value>&)>& map);

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
    // The sequence number of the last committed write (SHOW DATABASE STATUS's commit position).
    uint64_t last_commit_sequence();
    // OPTIMIZE TABLE: compacts the table's column family (all its files rewritten, deleted rows purged).
    Status compact_table(const TableRuntime& table);
    // Closes the instance; used before its directory is removed.
    void close();

private:
    Database(StorageEngine& engine, DatabaseSchema schema);
    Status write_catalog(const TableSchema& schema);
    Result<rocksdb::ColumnFamilyHandle*> create_cf(uint32_t table_id);

    friend class Transaction;
    StorageEngine& engine_;
    DatabaseSchema schema_;
    const uint16_t partitions_;
    const std::string name_;
    const uint64_t uid_;
    std::unique_ptr<rocksdb::DB> db_;
    rocksdb::ColumnFamilyHandle* catalog_cf_ = nullptr;
    std::vector<rocksdb::ColumnFamilyHandle*> handles_;  // every open handle, destroyed at close
    mutable std::mutex mu_;  // guards tables_, views_, next_table_id_ and schema_'s collation (DDL)
    std::map<std::string, std::shared_ptr<TableRuntime>, std::less<>> tables_;
    std::map<std::string, ViewSchema, std::less<>> views_;
    uint32_t next_table_id_ = 1;
};

}  // namespace floe::storage
