#include "storage/transaction.h"

#include <rocksdb/db.h>
#include <rocksdb/utilities/write_batch_with_index.h>

#include <algorithm>
#include <map>

#include "common/blocking.h"
#include "storage/key_codec.h"
#include "storage/partitioner.h"
#include "storage/rocks_status.h"
#include "storage/row_codec.h"

namespace floe::storage {
namespace {

constexpr size_t kPrefixBytes = 4;  // partition u16 + index id u16

std::string prefix(uint16_t partition, uint32_t index_id) {
    std::string out;
    append_key_prefix(out, partition, static_cast<uint16_t>(index_id));
    return out;
}

bool any_null(const TableSchema& t, const IndexSchema& index, std::span<const Value> row) {
    return std::any_of(index.column_ids.begin(), index.column_ids.end(), [&](uint32_t id) {
        return row[static_cast<size_t>(t.column_index(id))].is_null();
    });
}

void append_index_columns(std::string& out, const TableSchema& t, const IndexSchema& index, std::span<const Value> row) {
    for (uint32_t id : index.column_ids) {
        int pos = t.column_index(id);
        append_column_key(out, t.columns[static_cast<size_t>(pos)], row[static_cast<size_t>(pos)]);
    }
}

// MySQL's text for a duplicate key: the key's values joined by '-'.
std::string entry_text(const TableSchema& t, const IndexSchema& index, std::span<const Value> row) {
    std::string out;
    for (size_t i = 0; i < index.column_ids.size(); ++i) {
        if (i) out += '-';
        row[static_cast<size_t>(t.column_index(index.column_ids[i]))].append_text(out);
    }
    return out;
}

// A row as readers get it: its columns, and for tables without a primary key the hidden row id (the last 8
// bytes of its primary key).
// Into `row`, reusing its buffers (see decode_row_into).
Status decode_stored_row_into(const TableSchema& t, std::string_view pk_key, std::string_view value,
                              const std::vector<bool>* columns, StoredRow& row) {
    FLOE_CHECK(decode_row_into(t, value, columns, row));
    if (t.hidden_pk) {
        uint64_t id = 0;
        for (size_t i = pk_key.size() - 8; i < pk_key.size(); ++i) id = (id << 8) | static_cast<uint8_t>(pk_key[i]);
        row.push_back(Value::from_uint(id));
    }
    return {};
}

Result<StoredRow> decode_stored_row(const TableSchema& t, std::string_view pk_key, std::string_view value,
                                    const std::vector<bool>* columns = nullptr) {
    StoredRow row;
    FLOE_CHECK(decode_stored_row_into(t, pk_key, value, columns, row));
    return row;
}

bool contains_all(const std::vector<uint32_t>& haystack, const std::vector<uint32_t>& needles) {
    return !needles.empty() && std::all_of(needles.begin(), needles.end(), [&](uint32_t id) {
        return std::find(haystack.begin(), haystack.end(), id) != haystack.end();
    });
}

}  // namespace

Transaction::Transaction(Database& db, LockContext* locks)
    : db_(db), locks_(locks) {
    take_snapshot();
}

rocksdb::WriteBatchWithIndex& Transaction::batch() {
    if (!batch_) {
        batch_ = std::make_unique<rocksdb::WriteBatchWithIndex>(rocksdb::BytewiseComparator(), 0, true);
        // Every savepoint taken so far marks the empty batch.
        for (size_t i = 0; i < savepoints_; ++i) batch_->SetSavePoint();
    }
    return *batch_;
}

Transaction::~Transaction() {
    if (snapshot_) db_.db_->ReleaseSnapshot(snapshot_);
}

void Transaction::take_snapshot() {
    if (snapshot_) db_.db_->ReleaseSnapshot(snapshot_);
    snapshot_ = db_.db_->GetSnapshot();
}

Status Transaction::readable(const TableRuntime& table) const {
    if (current_reads_ || table.data_since == 0 || snapshot_->GetSequenceNumber() >= table.data_since) return {};
    return make_error(ErrorCode::ER_TABLE_DEF_CHANGED);
}

rocksdb::ReadOptions Transaction::read_options(bool current) const {
    rocksdb::ReadOptions ro;
    ro.snapshot = current ? nullptr : snapshot_;
    return ro;
}

rocksdb::Iterator* Transaction::iterator(TableRuntime& table) const {
    rocksdb::Iterator* base = db_.db_->NewIterator(read_options(current_reads_), table.cf);
    // Nothing written yet: the plain iterator (cheaper, and safe to make from several threads at once).
    if (!has_writes()) return base;
    return batch_->NewIteratorWithBase(table.cf, base);
}

bool Transaction::has_writes() const { return batch_ && batch_->GetWriteBatch()->Count() != 0; }

// ---- locks ----

namespace {

void append_u64(std::string& out, uint64_t v) {
    for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>(v >> shift));
}

}  // namespace

std::string lock_prefix(char kind, const Database& db, uint32_t table_id) {
    std::string r;
    r.reserve(13 + 32);
    r.push_back(kind);
    append_u64(r, db.uid());
    for (int shift = 24; shift >= 0; shift -= 8) r.push_back(static_cast<char>(table_id >> shift));
    return r;
}

Status lock_database(const LockContext& locks, const Database& db, locking::LockMode mode) {
    std::string resource(1, 'd');
    append_u64(resource, db.uid());
    return locks.manager->lock(*locks.owner, resource, mode, locks.deadline,
                               [&] { return "database metadata lock on `" + db.name() + "`"; }, locks.deadlock_detect);
}

Status lock_table(const LockContext& locks, const Database& db, const TableSchema& t, locking::LockMode mode) {
    return locks.manager->lock(
        *locks.owner, lock_prefix('t', db, t.id), mode, locks.deadline,
        [&] { return "table metadata lock on `" + db.name() + "`.`" + t.name + "`"; }, locks.deadlock_detect);
}

Status Transaction::lock_table(TableRuntime& table) {
    if (!locks_ || !locks_->manager) return {};
    const TableSchema& t = *table.schema;
    if (std::find(locked_tables_.begin(), locked_tables_.end(), t.id) != locked_tables_.end()) return {};
    FLOE_CHECK(storage::lock_table(*locks_, db_, t, locking::LockMode::kShared));
    // A DDL statement may have replaced the table while this one waited: it must look the table up again.
    if (db_.table(t.name).get() != &table) return make_error(ErrorCode::ER_TABLE_DEF_CHANGED);
    locked_tables_.push_back(t.id);
    return {};
}

Status Transaction::lock_key(TableRuntime& table, const std::string& key, const std::function<std::string()>& describe,
                             locking::LockMode mode) {
    if (!locks_ || !locks_->manager) return {};
    std::string resource = lock_prefix('r', db_, table.schema->id);
    resource.append(key);
    return locks_->manager->lock(*locks_->owner, resource, mode, locks_->deadline, describe, locks_->deadlock_detect);
}

namespace {

// A unique index value's lock key: the index and its values, without the partition (a colliding entry may
// live in any partition).
std::string unique_lock_key(const TableSchema& t, const IndexSchema& index, const StoredRow& row) {
    std::string key = prefix(0, index.id).substr(2);
    append_index_columns(key, t, index, row);
    return key;
}

}  // namespace

Status Transaction::lock_unique_keys(TableRuntime& table, const StoredRow& row, const StoredRow* unless_same_in) {
    if (!locks_ || !locks_->manager) return {};
    const TableSchema& t = *table.schema;
    for (size_t i = 1; i < t.indexes.size(); ++i) {
        const IndexSchema& index = t.indexes[i];
        if (index.kind != IndexKind::kUnique || any_null(t, index, row)) continue;
        std::string key = unique_lock_key(t, index, row);
        if (unless_same_in && !any_null(t, index, *unless_same_in) && unique_lock_key(t, index, *unless_same_in) == key) {
            continue;
        }
        FLOE_CHECK(lock_key(table, key, [&] {
            return "row lock on `" + db_.name() + "`.`" + t.name + "` key `" + index.name + "` (" +
                   entry_text(t, index, row) + ")";
        }));
    }
    return {};
}

Status Transaction::lock_primary_key(TableRuntime& table, const std::string& pk, std::span<const Value> row, uint64_t row_id,
                                     locking::LockMode mode) {
    const TableSchema& t = *table.schema;
    return lock_key(table, pk, [&] {
        std::string which = t.hidden_pk ? "row id " + std::to_string(row_id) : "PRIMARY (" + entry_text(t, t.primary(), row) + ")";
        return "row lock on `" + db_.name() + "`.`" + t.name + "` " + which;
    }, mode);
}

Result<std::string> Transaction::lock_row_key(TableRuntime& table, std::span<const Value> row, locking::LockMode mode) {
    FLOE_CHECK(lock_table(table));
    const TableSchema& t = *table.schema;
    uint64_t row_id = row_id_of(table, row);
    uint16_t p = partition_of_row(t, row, row_id);
    std::string pk = primary_key(t, p, row, row_id);
    FLOE_CHECK(lock_primary_key(table, pk, row, row_id, mode));
    return pk;
}

Result<std::optional<StoredRow>> Transaction::lock_row(TableRuntime& table, std::span<const Value> row, locking::LockMode mode) {
    std::string pk = FLOE_TRY(lock_row_key(table, row, mode));
    auto bytes = FLOE_TRY(read(table, pk, /*current=*/true));
    if (!bytes) return std::optional<StoredRow>();
    return std::optional<StoredRow>(FLOE_TRY(decode_stored_row(*table.schema, pk, *bytes)));
}

Result<Transaction::LockedRow> Transaction::lock_read_row(TableRuntime& table, std::span<const Value> row,
                                                          locking::LockMode mode) {
    std::string pk = FLOE_TRY(lock_row_key(table, row, mode));
    const TableSchema& t = *table.schema;
    LockedRow out;
    // The read that found `row` saw every commit up to current_since_; a commit changing the row since then
    // stamped its stripe later than that before it let go of the row lock now held (row_stamps.h).
    if (current_reads_ && current_since_ != 0) {
        uint32_t stripe = RowStamps::stripe(t.id, pk);
        if (db_.row_stamps_.stamp(stripe) <= current_since_ && !wrote_stripe(stripe)) {
            out.state = LockedRow::kUnchanged;
            return out;
        }
    }
    auto bytes = FLOE_TRY(read(table, pk, /*current=*/true));
    if (!bytes) return out;
    out.state = LockedRow::kCurrent;
    FLOE_CHECK(decode_stored_row_into(t, pk, *bytes, nullptr, out.row));
    return out;
}

void Transaction::set_current_reads(bool on) {
    current_reads_ = on;
    // Taken before any of the reads it vouches for.
    if (on) current_since_ = db_.db_->GetLatestSequenceNumber();
}

void Transaction::note_row_written(const TableRuntime& table, std::string_view pk) {
    written_stripes_.push_back(RowStamps::stripe(table.schema->id, pk));
}

bool Transaction::wrote_stripe(uint32_t stripe) const {
    // A long list is not searched: its rows are read again (a second read costs less than the search).
    constexpr size_t kSearched = 64;
    if (written_stripes_.size() > kSearched) return true;
    return std::find(written_stripes_.begin(), written_stripes_.end(), stripe) != written_stripes_.end();
}

void Transaction::stamp_written_rows(uint64_t sequence) {
    if (written_stripes_.empty()) return;
    db_.row_stamps_.stamp(written_stripes_, sequence ? sequence : db_.db_->GetLatestSequenceNumber());
    written_stripes_.clear();
}

// ---- statements and savepoints ----

void Transaction::begin_statement(bool fresh_snapshot) {
    if (fresh_snapshot) take_snapshot();
    if (batch_) batch_->SetSavePoint();
    ++savepoints_;
    statement_tables_ = locked_tables_.size();
}

void Transaction::end_statement() {
    if (savepoints_ == 0) return;
    if (batch_) (void)batch_->PopSavePoint();
    --savepoints_;
}

void Transaction::rollback_statement() {
    locked_tables_.resize(statement_tables_);  // the caller releases the locks the statement took
    if (savepoints_ == 0) return;
    if (batch_) (void)batch_->RollbackToSavePoint();
    --savepoints_;
}

size_t Transaction::set_savepoint() {
    if (batch_) batch_->SetSavePoint();
    return ++savepoints_;
}

void Transaction::rollback_to_savepoint(size_t depth) {
    if (depth == 0 || depth > savepoints_) return;
    while (savepoints_ >= depth) {
        if (batch_) (void)batch_->RollbackToSavePoint();
        --savepoints_;
    }
    set_savepoint();  // ROLLBACK TO keeps the savepoint
}

void Transaction::release_savepoint(size_t depth) {
    if (depth == 0) return;
    while (savepoints_ >= depth) {
        if (batch_) (void)batch_->PopSavePoint();
        --savepoints_;
    }
}

void Transaction::rollback() {
    batch_.reset();
    written_stripes_.clear();
    savepoints_ = 0;
}

uint64_t Transaction::row_id_of(TableRuntime& table, std::span<const Value> row) {
    return table.schema->hidden_pk ? row.back().uint_value() : 0;
}

uint16_t Transaction::partition_of_row(const TableSchema& t, std::span<const Value> row, uint64_t row_id) const {
    std::string bytes;
    auto shard = t.effective_shard_key();
    if (shard.empty()) {
        append_row_id(bytes, row_id);
    } else {
        for (uint32_t id : shard) {
            int pos = t.column_index(id);
            append_column_key(bytes, t.columns[static_cast<size_t>(pos)], row[static_cast<size_t>(pos)]);
        }
    }
    return partition_of(bytes, db_.partitions());
}

uint16_t Transaction::partition_for_key(std::string_view shard_key_bytes) const {
    return partition_of(shard_key_bytes, db_.partitions());
}

std::string Transaction::primary_key(const TableSchema& t, uint16_t partition, std::span<const Value> row,
                                     uint64_t row_id) const {
    std::string key = prefix(partition, kPrimaryIndexId);
    if (t.hidden_pk) {
        append_row_id(key, row_id);
    } else {
        append_index_columns(key, t, t.primary(), row);
    }
    return key;
}

Result<std::optional<std::string>> Transaction::read(TableRuntime& table, const std::string& key, bool current) {
    std::string value;
    // Nothing written yet (every read-only statement): straight to the database.
    auto s = has_writes() ? batch_->GetFromBatchAndDB(db_.db_.get(), read_options(current), table.cf, key, &value)
                          : db_.db_->Get(read_options(current), table.cf, key, &value);
    if (s.IsNotFound()) return std::optional<std::string>();
    FLOE_CHECK(from_rocks(s, "reading a row"));
    return std::optional<std::string>(std::move(value));
}

Result<std::optional<StoredRow>> Transaction::find_unique_conflict(TableRuntime& table, const IndexSchema& index,
                                                                   const StoredRow& row, const std::string& own_pk) {
    const TableSchema& t = *table.schema;
    if (any_null(t, index, row)) return std::optional<StoredRow>();  // NULLs never collide
    // Index entries live in their row's partition: when the key holds the whole shard key only that partition
    // can collide; otherwise every partition is asked.
    std::vector<uint16_t> partitions;
    if (contains_all(index.column_ids, t.effective_shard_key())) {
        partitions.push_back(partition_of_row(t, row, 0));
    } else {
        for (uint16_t p = 0; p < db_.partitions(); ++p) partitions.push_back(p);
    }
    for (uint16_t p : partitions) {
        std::string key = prefix(p, index.id);
        append_index_columns(key, t, index, row);
        auto found = FLOE_TRY(read(table, key, /*current=*/true));
        if (!found) continue;
        std::string pk = prefix(p, kPrimaryIndexId) + *found;
        if (pk == own_pk) continue;
        auto bytes = FLOE_TRY(read(table, pk, /*current=*/true));
        if (!bytes) continue;
        return std::optional<StoredRow>(FLOE_TRY(decode_stored_row(t, pk, *bytes)));
    }
    return std::optional<StoredRow>();
}

namespace {

// One secondary index entry of a row: a unique index (on non-NULL values) maps its columns to the primary key
// suffix; any other index entry is its columns followed by that suffix, with an empty value.
struct IndexEntry {
    std::string key;
    std::string_view value;
    bool operator==(const IndexEntry&) const = default;
};

IndexEntry index_entry(const TableSchema& t, const IndexSchema& index, uint16_t partition, const StoredRow& row,
                       std::string_view pk_suffix) {
    IndexEntry e{prefix(partition, index.id), {}};
    append_index_columns(e.key, t, index, row);
    if (index.kind == IndexKind::kUnique && !any_null(t, index, row)) {
        e.value = pk_suffix;
    } else {
        e.key.append(pk_suffix);
    }
    return e;
}

}  // namespace

Status Transaction::put_row_value(TableRuntime& table, const std::string& pk, const StoredRow& row) {
    const TableSchema& t = *table.schema;
    std::string value;
    encode_row(t, std::span<const Value>(row).first(t.columns.size()), value);
    note_written(table);
    note_row_written(table, pk);
    return from_rocks(batch().Put(table.cf, pk, value), "writing a row");
}

Status Transaction::delete_row_value(TableRuntime& table, const std::string& pk) {
    note_written(table);
    note_row_written(table, pk);
    return from_rocks(batch().Delete(table.cf, pk), "deleting a row");
}

Status Transaction::write_row(TableRuntime& table, const StoredRow& row, uint64_t row_id) {
    const TableSchema& t = *table.schema;
    uint16_t p = partition_of_row(t, row, row_id);
    std::string pk = primary_key(t, p, row, row_id);
    FLOE_CHECK(put_row_value(table, pk, row));
    std::string_view pk_suffix = std::string_view(pk).substr(kPrefixBytes);
    for (size_t i = 1; i < t.indexes.size(); ++i) {
        IndexEntry e = index_entry(t, t.indexes[i], p, row, pk_suffix);
        FLOE_CHECK(from_rocks(batch().Put(table.cf, e.key, e.value), "writing an index entry"));
    }
    return {};
}

Status Transaction::erase_row(TableRuntime& table, const StoredRow& row) {
    const TableSchema& t = *table.schema;
    uint64_t row_id = row_id_of(table, row);
    uint16_t p = partition_of_row(t, row, row_id);
    std::string pk = primary_key(t, p, row, row_id);
    FLOE_CHECK(delete_row_value(table, pk));
    std::string_view pk_suffix = std::string_view(pk).substr(kPrefixBytes);
    for (size_t i = 1; i < t.indexes.size(); ++i) {
        IndexEntry e = index_entry(t, t.indexes[i], p, row, pk_suffix);
        FLOE_CHECK(from_rocks(batch().Delete(table.cf, e.key), "deleting an index entry"));
    }
    return {};
}

Result<InsertOutcome> Transaction::insert(TableRuntime& table, StoredRow row, OnDuplicate on_duplicate) {
    FLOE_CHECK(lock_table(table));
    FLOE_CHECK(db_.admit_write(table, locks_));
    const TableSchema& t = *table.schema;
    InsertOutcome outcome;
    uint64_t row_id = 0;
    if (t.hidden_pk) {
        FLOE_CHECK(db_.load_counters(table));
        row_id = table.next_row_id.fetch_add(1);
    }
    uint16_t p = partition_of_row(t, row, row_id);
    std::string pk = primary_key(t, p, row, row_id);
    // The keys this row will own, locked before they are looked up: a concurrent writer of the same key waits
    // until this transaction ends, so what the lookups see stays true. (A hidden row id is this row's alone.)
    if (!t.hidden_pk) FLOE_CHECK(lock_primary_key(table, pk, row, row_id));
    FLOE_CHECK(lock_unique_keys(table, row, nullptr));
    // Collisions: the primary key, then each unique index.
    for (;;) {
        std::optional<StoredRow> existing;
        const IndexSchema* collided = nullptr;
        if (!t.hidden_pk) {
            auto bytes = FLOE_TRY(read(table, pk, /*current=*/true));
            if (bytes) {
                existing = FLOE_TRY(decode_row(t, *bytes));
                collided = &t.primary();
            }
        }
        for (size_t i = 1; !existing && i < t.indexes.size(); ++i) {
            if (t.indexes[i].kind != IndexKind::kUnique) continue;
            existing = FLOE_TRY(find_unique_conflict(table, t.indexes[i], row, pk));
            if (existing) collided = &t.indexes[i];
        }
        if (!existing) break;
        if (on_duplicate == OnDuplicate::kError) {
            return make_error(ErrorCode::ER_DUP_ENTRY, {entry_text(t, *collided, row), collided->name});
        }
        // The colliding row is about to be changed or deleted: lock it, and use it as it is once locked (its
        // holder may have changed or deleted it meanwhile: then look again).
        auto current = FLOE_TRY(lock_row(table, *existing));
        if (!current) continue;
        if (on_duplicate == OnDuplicate::kIgnore) {
            outcome.duplicate = true;
            outcome.duplicate_message =
                make_error(ErrorCode::ER_DUP_ENTRY, {entry_text(t, *collided, row), collided->name}).message;
            outcome.existing = std::move(*current);
            return outcome;
        }
        // REPLACE: delete every row in the way, then look again.
        FLOE_CHECK(remove(table, *current));
        ++outcome.replaced;
    }
    if (t.hidden_pk) row.push_back(Value::from_uint(row_id));
    FLOE_CHECK(write_row(table, row, row_id));
    outcome.inserted = true;
    return outcome;
}

Status Transaction::update(TableRuntime& table, const StoredRow& old_row, StoredRow new_row) {
    FLOE_CHECK(db_.admit_write(table, locks_));
    const TableSchema& t = *table.schema;
    uint64_t row_id = row_id_of(table, old_row);
    uint16_t old_p = partition_of_row(t, old_row, row_id);
    std::string old_pk = primary_key(t, old_p, old_row, row_id);
    uint16_t new_p = partition_of_row(t, new_row, row_id);
    std::string new_pk = primary_key(t, new_p, new_row, row_id);
    if (!t.hidden_pk && new_pk != old_pk) {
        FLOE_CHECK(lock_primary_key(table, new_pk, new_row, row_id));
        auto bytes = FLOE_TRY(read(table, new_pk, /*current=*/true));
        if (bytes) return make_error(ErrorCode::ER_DUP_ENTRY, {entry_text(t, t.primary(), new_row), "PRIMARY"});
    }
    // Unique values that change: the new ones are claimed, the old ones held until the end (an INSERT of an
    // old value must wait to see whether this transaction commits).
    FLOE_CHECK(lock_unique_keys(table, new_row, &old_row));
    FLOE_CHECK(lock_unique_keys(table, old_row, &new_row));
    for (size_t i = 1; i < t.indexes.size(); ++i) {
        if (t.indexes[i].kind != IndexKind::kUnique) continue;
        auto existing = FLOE_TRY(find_unique_conflict(table, t.indexes[i], new_row, old_pk));
        if (existing) {
            return make_error(ErrorCode::ER_DUP_ENTRY, {entry_text(t, t.indexes[i], new_row), t.indexes[i].name});
        }
    }
    if (t.hidden_pk && new_row.size() == t.columns.size()) new_row.push_back(Value::from_uint(row_id));
    // Only what changes is written (each entry costs a WAL record and a memtable insert): the row under its key
    // (a Put replaces the old version; the old key is deleted only when the key changes), and the index entries
    // whose key or value differ.
    if (new_pk != old_pk) FLOE_CHECK(delete_row_value(table, old_pk));
    FLOE_CHECK(put_row_value(table, new_pk, new_row));
    std::string_view old_suffix = std::string_view(old_pk).substr(kPrefixBytes);
    std::string_view new_suffix = std::string_view(new_pk).substr(kPrefixBytes);
    for (size_t i = 1; i < t.indexes.size(); ++i) {
        IndexEntry before = index_entry(t, t.indexes[i], old_p, old_row, old_suffix);
        IndexEntry after = index_entry(t, t.indexes[i], new_p, new_row, new_suffix);
        if (before == after) continue;
        if (before.key != after.key) {
            FLOE_CHECK(from_rocks(batch().Delete(table.cf, before.key), "deleting an index entry"));
        }
        FLOE_CHECK(from_rocks(batch().Put(table.cf, after.key, after.value), "writing an index entry"));
    }
    return {};
}

Status Transaction::remove(TableRuntime& table, const StoredRow& row) {
    FLOE_CHECK(db_.admit_write(table, locks_));
    FLOE_CHECK(lock_unique_keys(table, row, nullptr));
    return erase_row(table, row);
}

Status Transaction::scan(TableRuntime& table, const std::function<bool(StoredRow&)>& fn, const std::vector<bool>* columns) {
    FLOE_CHECK(readable(table));
    const TableSchema& t = *table.schema;
    std::unique_ptr<rocksdb::Iterator> it(iterator(table));
    StoredRow row;  // every row is decoded into this one (fn may move its values out)
    for (uint16_t p = 0; p < db_.partitions(); ++p) {
        std::string start = prefix(p, kPrimaryIndexId);
        for (it->Seek(start); it->Valid() && it->key().starts_with(start); it->Next()) {
            FLOE_CHECK(decode_stored_row_into(t, std::string_view(it->key().data(), it->key().size()),
                                              std::string_view(it->value().data(), it->value().size()), columns, row));
            if (!fn(row)) return {};
        }
        FLOE_CHECK(from_rocks(it->status(), "scanning a table"));
    }
    return {};
}

Status Transaction::index_entries(TableRuntime& table, const TableSchema& t, const IndexSchema& index,
                                  const std::function<Status(std::string_view, std::string_view)>& fn) {
    std::unique_ptr<rocksdb::Iterator> it(iterator(table));
    std::vector<bool> columns(t.columns.size(), false);
    for (uint32_t id : index.column_ids) columns[static_cast<size_t>(t.column_index(id))] = true;
    for (uint16_t p = 0; p < db_.partitions(); ++p) {
        std::string start = prefix(p, kPrimaryIndexId);
        for (it->Seek(start); it->Valid() && it->key().starts_with(start); it->Next()) {
            std::string_view pk(it->key().data(), it->key().size());
            auto row = FLOE_TRY(decode_stored_row(t, pk, std::string_view(it->value().data(), it->value().size()),
                                                  &columns));
            IndexEntry e = index_entry(t, index, p, row, pk.substr(kPrefixBytes));
            FLOE_CHECK(fn(e.key, e.value));
        }
        FLOE_CHECK(from_rocks(it->status(), "scanning a table"));
    }
    return {};
}

namespace {

bool above_low(std::string_view key, const KeyRange& r) {
    if (!r.low) return true;
    if (r.low_inclusive) return key >= *r.low;
    return key > *r.low && !key.starts_with(*r.low);
}

bool below_high(std::string_view key, const KeyRange& r) {
    if (!r.high) return true;
    if (r.high_inclusive) return key <= *r.high || key.starts_with(*r.high);
    return key < *r.high;
}

}  // namespace

Status Transaction::scan_index(TableRuntime& table, const IndexScan& scan,
                               const std::function<bool(StoredRow&)>& fn) {
    FLOE_CHECK(readable(table));
    const TableSchema& t = *table.schema;
    const IndexSchema& index = *scan.index;
    const bool primary = index.id == kPrimaryIndexId;
    const bool reverse = scan.reverse;
    const bool ordered = scan.ordered || scan.reverse;
    std::vector<uint16_t> partitions = scan.partitions;
    if (partitions.empty()) {
        for (uint16_t p = 0; p < db_.partitions(); ++p) partitions.push_back(p);
    }
    std::vector<KeyRange> ranges = scan.ranges;
    if (ranges.empty()) ranges.emplace_back();
    if (reverse) std::reverse(ranges.begin(), ranges.end());
    std::vector<const ColumnSchema*> index_columns;
    for (uint32_t id : index.column_ids) index_columns.push_back(t.column_by_id(id));

    struct Cursor {
        std::unique_ptr<rocksdb::Iterator> it;
        std::string prefix;  // partition + index id
        uint16_t partition = 0;
        bool valid = false;
        std::string_view suffix() const {
            auto k = it->key();
            return std::string_view(k.data() + prefix.size(), k.size() - prefix.size());
        }
    };
    // Merging into index order needs a cursor per partition; otherwise one iterator visits the partitions in turn
    // (each iterator costs an allocation and a pinned memtable / file set).
    std::vector<Cursor> cursors(ordered ? partitions.size() : 1);
    for (size_t i = 0; i < cursors.size(); ++i) {
        cursors[i].it.reset(iterator(table));
        cursors[i].prefix = prefix(partitions[i], index.id);
        cursors[i].partition = partitions[i];
    }
    // Is the cursor on an entry of range `r`? Moves past entries before the range's start.
    auto settle = [&](Cursor& c, const KeyRange& r) {
        for (;;) {
            if (!c.it->Valid() || !c.it->key().starts_with(c.prefix)) return c.valid = false;
            std::string_view k = c.suffix();
            if (!reverse && !above_low(k, r)) {
                c.it->Next();
                continue;
            }
            if (reverse && !below_high(k, r)) {
                c.it->Prev();
                continue;
            }
            return c.valid = reverse ? above_low(k, r) : below_high(k, r);
        }
    };
    // The row an index entry stands for, decoded into `row` (false: a row this statement removed). fn may move
    // values out of `row`; what it leaves (moved-from strings) keeps its buffers for the next row.
    StoredRow row;
    auto row_of = [&](Cursor& c) -> Result<bool> {
        std::string_view value(c.it->value().data(), c.it->value().size());
        if (primary) {  // decoded in place: no copy of the key
            FLOE_CHECK(decode_stored_row_into(t, std::string_view(c.it->key().data(), c.it->key().size()), value,
                                              scan.columns, row));
            return true;
        }
        std::string pk_key;
        std::string row_bytes;
        {
            std::string_view pk_suffix;
            if (index.kind == IndexKind::kUnique && !value.empty()) {
                pk_suffix = value;
            } else {
                std::string_view rest = c.suffix();
                for (const ColumnSchema* col : index_columns) {
                    if (!skip_column_key(rest, *col)) return make_error(ErrorCode::ER_INTERNAL_ERROR, {"a damaged index entry"});
                }
                pk_suffix = rest;
            }
            pk_key = prefix(c.partition, kPrimaryIndexId);
            pk_key.append(pk_suffix);
            auto bytes = FLOE_TRY(read(table, pk_key, current_reads_));
            if (!bytes) return false;  // an index entry of a row this statement removed
            row_bytes = std::move(*bytes);
        }
        FLOE_CHECK(decode_stored_row_into(t, pk_key, row_bytes, scan.columns, row));
        return true;
    };
    auto advance = [&](Cursor& c) {
        if (reverse) {
            c.it->Prev();
        } else {
            c.it->Next();
        }
    };
    auto seek = [&](Cursor& c, const KeyRange& r) {
        if (!reverse) {
            c.it->Seek(r.low ? c.prefix + *r.low : c.prefix);
        } else {
            std::string end = r.high ? (r.high_inclusive ? prefix_successor(c.prefix + *r.high) : c.prefix + *r.high)
                                     : prefix_successor(c.prefix);
            if (end.empty()) {
                c.it->SeekToLast();
            } else {
                c.it->SeekForPrev(end);
            }
        }
        settle(c, r);
    };
    for (const KeyRange& r : ranges) {
        if (!ordered) {
            Cursor& c = cursors[0];
            for (uint16_t p : partitions) {
                c.prefix = prefix(p, index.id);
                c.partition = p;
                seek(c, r);
                while (c.valid) {
                    if (FLOE_TRY(row_of(c)) && !fn(row)) return {};
                    advance(c);
                    settle(c, r);
                }
            }
            FLOE_CHECK(from_rocks(c.it->status(), "reading an index"));
            continue;
        }
        for (Cursor& c : cursors) seek(c, r);
        for (;;) {
            // The next cursor: the smallest (largest) key across partitions.
            Cursor* next = nullptr;
            for (Cursor& c : cursors) {
                if (!c.valid) continue;
                if (!next) {
                    next = &c;
                    continue;
                }
                int cmp = c.suffix().compare(next->suffix());
                if (reverse ? cmp > 0 : cmp < 0) next = &c;
            }
            if (!next) break;
            if (FLOE_TRY(row_of(*next)) && !fn(row)) return {};
            advance(*next);
            settle(*next, r);
        }
        for (Cursor& c : cursors) FLOE_CHECK(from_rocks(c.it->status(), "reading an index"));
    }
    return {};
}

Result<std::optional<StoredRow>> Transaction::get_by_key(TableRuntime& table, uint16_t partition,
                                                         std::string_view pk_suffix, const std::vector<bool>* columns) {
    FLOE_CHECK(readable(table));
    std::string key = prefix(partition, kPrimaryIndexId);
    key.append(pk_suffix);
    auto bytes = FLOE_TRY(read(table, key, current_reads_));
    if (!bytes) return std::optional<StoredRow>();
    return std::optional<StoredRow>(FLOE_TRY(decode_stored_row(*table.schema, key, *bytes, columns)));
}

Result<std::optional<StoredRow>> Transaction::get(TableRuntime& table, const std::vector<Value>& pk_values) {
    FLOE_CHECK(readable(table));
    const TableSchema& t = *table.schema;
    StoredRow probe(t.columns.size());
    const auto& pk_cols = t.primary().column_ids;
    for (size_t i = 0; i < pk_cols.size() && i < pk_values.size(); ++i) {
        probe[static_cast<size_t>(t.column_index(pk_cols[i]))] = pk_values[i];
    }
    uint16_t p = partition_of_row(t, probe, 0);
    auto bytes = FLOE_TRY(read(table, primary_key(t, p, probe, 0), current_reads_));
    if (!bytes) return std::optional<StoredRow>();
    return std::optional<StoredRow>(FLOE_TRY(decode_row(t, *bytes)));
}

Result<std::vector<uint64_t>> Transaction::count_per_partition(TableRuntime& table) {
    std::vector<uint64_t> counts(db_.partitions(), 0);
    std::unique_ptr<rocksdb::Iterator> it(db_.db_->NewIterator(read_options(false), table.cf));
    for (uint16_t p = 0; p < db_.partitions(); ++p) {
        std::string start = prefix(p, kPrimaryIndexId);
        for (it->Seek(start); it->Valid() && it->key().starts_with(start); it->Next()) ++counts[p];
        FLOE_CHECK(from_rocks(it->status(), "counting rows"));
    }
    return counts;
}

Status Transaction::commit() {
    if (committed_) return {};
    committed_ = true;
    if (!has_writes()) return {};
    rocksdb::WriteOptions wo;
    wo.sync = db_.wal_sync();
    BlockingRegion fsync;  // the WAL's fsync (and joining a commit group) waits for the disk
    auto written = from_rocks(db_.db_->Write(wo, batch_->GetWriteBatch()), "committing");
    stamp_written_rows();
    return written;
}

Result<uint64_t> Transaction::commit_unsynced() {
    if (committed_) return uint64_t{0};
    committed_ = true;
    if (!has_writes()) return uint64_t{0};
    // Not a blocking region: without the sync a write is a memtable insert and a write() to the log.
    auto written = from_rocks(db_.db_->Write(rocksdb::WriteOptions(), batch_->GetWriteBatch()), "committing");
    const uint64_t sequence = db_.db_->GetLatestSequenceNumber();  // at or past this commit's
    stamp_written_rows(sequence);
    FLOE_CHECK(written);
    return db_.wal_sync() ? sequence : uint64_t{0};
}

namespace {

// Splits a batch by the partition each key starts with (every table key does; see key_codec.h).
class PartitionSplitter : public rocksdb::WriteBatch::Handler {
public:
    explicit PartitionSplitter(const std::vector<rocksdb::ColumnFamilyHandle*>& cfs) : cfs_(cfs) {}
    rocksdb::Status PutCF(uint32_t cf, const rocksdb::Slice& key, const rocksdb::Slice& value) override {
        auto* h = handle(cf);
        if (!h) return rocksdb::Status::Corruption("a write to an unknown column family");
        return part(key).Put(h, key, value);
    }
    rocksdb::Status DeleteCF(uint32_t cf, const rocksdb::Slice& key) override {
        auto* h = handle(cf);
        if (!h) return rocksdb::Status::Corruption("a delete in an unknown column family");
        return part(key).Delete(h, key);
    }
    std::map<uint16_t, rocksdb::WriteBatch> parts;

private:
    rocksdb::ColumnFamilyHandle* handle(uint32_t id) const {
        for (auto* h : cfs_) {
            if (h->GetID() == id) return h;
        }
        return nullptr;
    }
    rocksdb::WriteBatch& part(const rocksdb::Slice& key) {
        uint16_t p = key.size() >= 2 ? static_cast<uint16_t>((static_cast<uint8_t>(key[0]) << 8) | static_cast<uint8_t>(key[1])) : 0;
        return parts[p];
    }
    const std::vector<rocksdb::ColumnFamilyHandle*>& cfs_;
};

}  // namespace

Status Transaction::commit_by_partition() {
    if (committed_) return {};
    if (!has_writes()) {
        committed_ = true;
        return {};
    }
    PartitionSplitter split(written_cfs_);
    FLOE_CHECK(from_rocks(batch_->GetWriteBatch()->Iterate(&split), "splitting a commit by partition"));
    committed_ = true;
    rocksdb::WriteOptions wo;
    wo.sync = db_.wal_sync();
    BlockingRegion fsync;
    for (auto& [partition, batch] : split.parts) {
        auto written = from_rocks(db_.db_->Write(wo, &batch), "committing a partition");
        if (!written.ok()) {
            stamp_written_rows();  // earlier partitions' writes are in
            return written;
        }
    }
    stamp_written_rows();
    return {};
}

}  // namespace floe::storage
