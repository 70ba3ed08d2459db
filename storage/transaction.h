// Transaction: the rows a statement reads and writes in one database. Writes collect in a WriteBatchWithIndex
// (reads see them), reads use committed data under them (a reading transaction: one snapshot taken when it
// begins), and commit() applies everything in one atomic RocksDB write (all partitions, all indexes).
// Dropping a Transaction without commit() undoes it.
// Thread-safety: one thread at a time, except that a transaction that has written nothing may run scan_index
// from several threads at once (parallel partition scans).
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/value.h"
#include "storage/database.h"

namespace rocksdb {
class Iterator;
struct ReadOptions;
class Snapshot;
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
};

class Transaction {
public:
    ~Transaction();

    // Inserts `row` (auto-increment already resolved by the caller). Duplicate in the primary key or a unique
    // index: 1062 "Duplicate entry 'v' for key 'name'" (kError), or the colliding row reported (kIgnore), or
    // the colliding rows deleted first (kReplace).
    // `fresh_primary_key`: the caller guarantees no row has this primary key (a generated AUTO_INCREMENT value
    // when the key is that column alone), so the lookup for it is skipped.
    Result<InsertOutcome> insert(TableRuntime& table, StoredRow row, OnDuplicate on_duplicate,
                                 bool fresh_primary_key = false);
    // Replaces `old_row` by `new_row` (their primary keys may differ); 1062 on a unique collision.
    Status update(TableRuntime& table, const StoredRow& old_row, StoredRow new_row);
    Status remove(TableRuntime& table, const StoredRow& row);
    // Every row of the table, all partitions, this statement's writes included. `fn` returns false to stop.
    Status scan(TableRuntime& table, const std::function<bool(StoredRow&)>& fn);
    // The rows reached through `scan.index` within `scan.ranges`, this statement's writes included.
    Status scan_index(TableRuntime& table, const IndexScan& scan, const std::function<bool(StoredRow&)>& fn);
    // The row whose primary key (after the partition / index prefix) is `pk_suffix` in `partition`: one
    // point read, cheaper than an index scan for a single key.
    Result<std::optional<StoredRow>> get_by_key(TableRuntime& table, uint16_t partition, std::string_view pk_suffix);
    // The partition a row with these shard-key values lives in (other values of `row` are ignored).
    uint16_t partition_for(const TableSchema& t, const StoredRow& row) const { return partition_of_row(t, row, 0); }
    // The row with these primary-key values, if any.
    Result<std::optional<StoredRow>> get(TableRuntime& table, const std::vector<Value>& pk_values);
    // Rows per partition (SHOW PARTITIONS / tests).
    Result<std::vector<uint64_t>> count_per_partition(TableRuntime& table);

    Status commit();

private:
    friend class Database;
    Transaction(Database& db, bool writes);

    std::string primary_key(const TableSchema& t, uint16_t partition, const StoredRow& row, uint64_t row_id) const;
    uint16_t partition_of_row(const TableSchema& t, const StoredRow& row, uint64_t row_id) const;
    Result<std::optional<std::string>> read(TableRuntime& table, const std::string& key);
    // An iterator over the table's column family that sees this transaction's writes.
    rocksdb::Iterator* iterator(TableRuntime& table) const;
    rocksdb::ReadOptions read_options() const;
    Result<std::optional<StoredRow>> find_unique_conflict(TableRuntime& table, const IndexSchema& index,
                                                          const StoredRow& row, const std::string& own_pk);
    Status write_row(TableRuntime& table, const StoredRow& row, uint64_t row_id);
    Status erase_row(TableRuntime& table, const StoredRow& row);
    uint64_t row_id_of(TableRuntime& table, const StoredRow& row);

    Database& db_;
    std::unique_ptr<rocksdb::WriteBatchWithIndex> batch_;
    std::unique_lock<std::mutex> write_lock_;
    const rocksdb::Snapshot* snapshot_ = nullptr;  // reading transactions: what they see
    bool committed_ = false;
};

}  // namespace floe::storage
