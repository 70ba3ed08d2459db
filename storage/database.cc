#include "storage/database.h"

#include <algorithm>
#include <filesystem>

#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/options.h>
#include <rocksdb/sst_file_reader.h>
#include <rocksdb/table.h>
#include <rocksdb/utilities/write_batch_with_index.h>
#include <spdlog/spdlog.h>

#include "storage/catalog_codec.h"
#include "storage/key_codec.h"
#include "storage/rocks_status.h"
#include "storage/row_codec.h"
#include "storage/storage_engine.h"
#include "storage/transaction.h"

namespace floe::storage {
namespace {

constexpr std::string_view kCatalogCf = "catalog";
constexpr std::string_view kTablePrefix = "table/";
constexpr std::string_view kNextTableId = "meta/next_table_id";
constexpr std::string_view kViewPrefix = "view/";

std::string cf_name(uint32_t table_id) { return "t" + std::to_string(table_id); }

// The same table (column family, counters, freeze flag) under a new schema. DDL swaps in a successor rather than
// changing a runtime that readers may be using; writers that waited for the table notice (1412 inside, retried).
std::shared_ptr<TableRuntime> successor(TableRuntime& old, TableSchema schema) {
    auto next = std::make_shared<TableRuntime>();
    next->cf = old.cf;
    next->data_since = old.data_since;
    next->schema = std::make_shared<const TableSchema>(std::move(schema));
    std::lock_guard lock(old.counters_mu);
    next->counters_loaded = old.counters_loaded;
    next->next_auto_increment = old.next_auto_increment.load();
    next->next_row_id = old.next_row_id.load();
    next->frozen = old.frozen.load();
    return next;
}

}  // namespace

// Shared with freeze.cc (IMPORT TABLE creates a table's family too).
rocksdb::ColumnFamilyOptions table_cf_options(StorageEngine& engine) {
    rocksdb::ColumnFamilyOptions cf;
    rocksdb::BlockBasedTableOptions table;
    table.block_cache = engine.block_cache();
    table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
    table.cache_index_and_filter_blocks = true;
    // Point reads (primary keys, unique indexes): L0 files' index and filter stay pinned (no cache lookup per
    // read) and data blocks carry a hash index (a key is found without a binary search).
    table.pin_l0_filter_and_index_blocks_in_cache = true;
    table.metadata_cache_options.unpartitioned_pinning = rocksdb::PinningTier::kAll;
    table.data_block_index_type = rocksdb::BlockBasedTableOptions::kDataBlockBinaryAndHash;
    // A full key every 4 entries (RocksDB's default: 16). Rows are wide next to their keys, so a 4 KB block holds
    // ~20 of them: with 16 the hash index above leads to one of two restart points and a read still steps through
    // ~7 entries. sysbench's tables: files 1.4 % larger; callgrind instructions per point select -3.5 %, per
    // 100-row range -1.8 %.
    table.block_restart_interval = 4;
    cf.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
    cf.write_buffer_size = 16 << 20;
    // No memtable bloom filter: it would be allocated in the memtable (ratio x write buffer) and count against
    // a frozen table's rt_mem_limit (SPEC §6) before any row is written.
    // Memtable memory is counted in arena blocks (default: an eighth of the write buffer); small blocks make a
    // frozen table's rt_mem_limit (SPEC §6) a limit on its data rather than on 2 MB steps.
    cf.arena_block_size = 128 << 10;
    return cf;
}

namespace {
std::atomic<uint64_t> next_database_uid{1};
}

Database::Database(StorageEngine& engine, DatabaseSchema schema)
    : engine_(engine),
      schema_(std::move(schema)),
      partitions_(schema_.partitions),
      name_(schema_.name),
      uid_(next_database_uid.fetch_add(1)) {}

Database::~Database() { close(); }

void Database::close() {
    std::lock_guard maintenance(maintenance_mu_);
    std::lock_guard lock(close_mu_);
    if (!db_) return;
    for (const auto& f : frozen_tables()) end_freeze(f.table);
    for (auto* h : handles_) db_->DestroyColumnFamilyHandle(h);
    handles_.clear();
    auto s = db_->Close();
    if (!s.ok()) spdlog::warn("closing database {}: {}", schema_.name, s.ToString());
    db_.reset();
}

bool Database::wal_sync() const { return engine_.options().wal_sync; }

Result<std::shared_ptr<Database>> Database::open(StorageEngine& engine, const std::string& dir,
                                                 const DatabaseSchema& schema, bool create) {
    std::shared_ptr<Database> db(new Database(engine, schema));
    rocksdb::DBOptions options;
    options.create_if_missing = create;
    options.create_missing_column_families = create;
    options.write_buffer_manager = engine.write_buffer_manager();
    options.rate_limiter = engine.rate_limiter();
    options.max_open_files = 256;
    options.keep_log_file_num = 2;
    options.max_background_jobs = 2;
    // The catalog family is written rarely, so its unflushed memory would keep every later log file alive (a
    // 1 GB load left 1 GB of log behind); past this size RocksDB flushes the families holding the oldest log.
    options.max_total_wal_size = 256ull << 20;
    // A commit's fdatasync into a recycled (already sized) log file changes no inode, so it needs no journal
    // commit of the file system; flushes and compactions write back every megabyte instead of in one burst at
    // each file's end, which commits' fsyncs would wait behind.
    options.recycle_log_file_num = 4;
    options.bytes_per_sync = 1 << 20;

    std::vector<std::string> names;
    if (!create) {
        FLOE_CHECK(from_rocks(rocksdb::DB::ListColumnFamilies(options, dir, &names),
                              "listing the tables of database " + schema.name));
    } else {
        names = {rocksdb::kDefaultColumnFamilyName, std::string(kCatalogCf)};
    }
    std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
    for (const auto& n : names) {
        descriptors.emplace_back(n, n == rocksdb::kDefaultColumnFamilyName || n == kCatalogCf
                                        ? rocksdb::ColumnFamilyOptions()
                                        : table_cf_options(engine));
    }
    rocksdb::DB* raw = nullptr;
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    FLOE_CHECK(from_rocks(rocksdb::DB::Open(options, dir, descriptors, &handles, &raw),
                          "opening database " + schema.name));
    db->db_.reset(raw);
    db->dir_ = std::filesystem::absolute(dir).lexically_normal().string();
    std::error_code freeze_ec;
    std::filesystem::remove_all(db->dir_ + "/freeze", freeze_ec);  // a restart unfreezes every table
    db->handles_ = handles;
    std::map<std::string, rocksdb::ColumnFamilyHandle*> by_name;
    for (auto* h : handles) by_name[h->GetName()] = h;
    db->catalog_cf_ = by_name.at(std::string(kCatalogCf));

    // Tables: the catalog says which exist; a column family the catalog does not name is the leftover of a
    // CREATE / DROP / TRUNCATE cut short and is dropped.
    std::unique_ptr<rocksdb::Iterator> it(raw->NewIterator(rocksdb::ReadOptions(), db->catalog_cf_));
    for (it->Seek(std::string(kTablePrefix)); it->Valid() && it->key().starts_with(std::string(kTablePrefix));
         it->Next()) {
        auto table = decode_table(std::string_view(it->value().data(), it->value().size()));
        if (!table.ok()) return std::move(table).error();
        auto cf = by_name.find(cf_name(table->id));
        if (cf == by_name.end()) {
            return make_error(ErrorCode::ER_INTERNAL_ERROR,
                              {"table " + schema.name + "." + table->name + " has no data column family"});
        }
        auto runtime = std::make_shared<TableRuntime>();
        runtime->cf = cf->second;
        by_name.erase(cf);
        db->next_table_id_ = std::max(db->next_table_id_, table->id + 1);
        std::string name = table->name;
        runtime->schema = std::make_shared<const TableSchema>(std::move(*table));
        db->tables_.emplace(name, std::move(runtime));
    }
    FLOE_CHECK(from_rocks(it->status(), "reading the catalog of " + schema.name));
    for (it->Seek(std::string(kViewPrefix)); it->Valid() && it->key().starts_with(std::string(kViewPrefix)); it->Next()) {
        auto view = decode_view(std::string_view(it->value().data(), it->value().size()));
        if (!view.ok()) return std::move(view).error();
        std::string name = view->name;
        db->views_.emplace(std::move(name), std::move(*view));
    }
    std::string next_id;
    if (raw->Get(rocksdb::ReadOptions(), db->catalog_cf_, std::string(kNextTableId), &next_id).ok()) {
        db->next_table_id_ = std::max<uint32_t>(db->next_table_id_, static_cast<uint32_t>(std::stoul(next_id)));
    }
    for (auto& [name, handle] : by_name) {
        if (name == rocksdb::kDefaultColumnFamilyName || name == kCatalogCf) continue;
        spdlog::warn("database {}: dropping column family {} that no table owns", schema.name, name);
        (void)raw->DropColumnFamily(handle);
    }
    return db;
}

std::vector<std::string> Database::table_names() const {
    std::lock_guard lock(mu_);
    std::vector<std::string> out;
    for (const auto& [name, t] : tables_) out.push_back(name);
    return out;
}

std::shared_ptr<TableRuntime> Database::table(std::string_view name) const {
    std::lock_guard lock(mu_);
    auto it = tables_.find(name);
    return it == tables_.end() ? nullptr : it->second;
}

Status Database::write_catalog(const TableSchema& t) {
    rocksdb::WriteBatch batch;
    batch.Put(catalog_cf_, std::string(kTablePrefix) + t.name, encode_table(t));
    batch.Put(catalog_cf_, std::string(kNextTableId), std::to_string(next_table_id_));
    rocksdb::WriteOptions wo;
    wo.sync = true;  // DDL is rare; make it durable at once
    return from_rocks(db_->Write(wo, &batch), "writing the catalog");
}

Result<rocksdb::ColumnFamilyHandle*> Database::create_cf(uint32_t table_id) {
    rocksdb::ColumnFamilyHandle* handle = nullptr;
    FLOE_CHECK(from_rocks(db_->CreateColumnFamily(table_cf_options(engine_), cf_name(table_id), &handle),
                          "creating a table's column family"));
    handles_.push_back(handle);
    return handle;
}

Status Database::create_view(const ViewSchema& view, bool replace) {
    std::lock_guard lock(mu_);
    if (tables_.count(view.name) || (!replace && views_.count(view.name))) {
        return make_error(ErrorCode::ER_TABLE_EXISTS_ERROR, {view.name});
    }
    rocksdb::WriteOptions wo;
    wo.sync = true;
    FLOE_CHECK(from_rocks(db_->Put(wo, catalog_cf_, std::string(kViewPrefix) + view.name, encode_view(view)),
                          "writing the catalog"));
    views_[view.name] = view;
    engine_.catalog_changed();
    return {};
}

Status Database::drop_view(std::string_view name) {
    std::lock_guard lock(mu_);
    auto it = views_.find(name);
    if (it == views_.end()) return make_error(ErrorCode::ER_BAD_TABLE_ERROR, {schema_.name + "." + std::string(name)});
    rocksdb::WriteOptions wo;
    wo.sync = true;
    FLOE_CHECK(from_rocks(db_->Delete(wo, catalog_cf_, std::string(kViewPrefix) + std::string(name)),
                          "writing the catalog"));
    views_.erase(it);
    engine_.catalog_changed();
    return {};
}

std::optional<ViewSchema> Database::view(std::string_view name) const {
    std::lock_guard lock(mu_);
    auto it = views_.find(name);
    if (it == views_.end()) return std::nullopt;
    return it->second;
}

std::vector<std::string> Database::view_names() const {
    std::lock_guard lock(mu_);
    std::vector<std::string> out;
    for (const auto& [name, v] : views_) out.push_back(name);
    return out;
}

Status Database::create_table(TableSchema schema) {
    std::lock_guard lock(mu_);
    if (tables_.count(schema.name) || views_.count(schema.name)) {
        return make_error(ErrorCode::ER_TABLE_EXISTS_ERROR, {schema.name});
    }
    schema.id = next_table_id_++;
    // Column family first, catalog record second: a crash in between leaves an unowned column family, which
    // the next open drops.
    auto cf = FLOE_TRY(create_cf(schema.id));
    FLOE_CHECK(write_catalog(schema));
    auto runtime = std::make_shared<TableRuntime>();
    runtime->cf = cf;
    runtime->data_since = db_->GetLatestSequenceNumber();
    std::string name = schema.name;
    runtime->schema = std::make_shared<const TableSchema>(std::move(schema));
    tables_.emplace(name, std::move(runtime));
    engine_.catalog_changed();
    return {};
}

Status Database::drop_table(std::string_view name) {
    end_freeze(name);  // DROP ends a freeze (SPEC §6)
    std::lock_guard lock(mu_);
    auto it = tables_.find(name);
    if (it == tables_.end()) return make_error(ErrorCode::ER_BAD_TABLE_ERROR, {schema_.name + "." + std::string(name)});
    // Catalog record first: once it is gone the table is gone, whatever happens to the column family.
    rocksdb::WriteOptions wo;
    wo.sync = true;
    FLOE_CHECK(from_rocks(db_->Delete(wo, catalog_cf_, std::string(kTablePrefix) + std::string(name)),
                          "writing the catalog"));
    auto* cf = it->second->cf;
    tables_.erase(it);
    engine_.catalog_changed();
    FLOE_CHECK(from_rocks(db_->DropColumnFamily(cf), "dropping a table's column family"));
    return {};
}

Status Database::replace_table(std::string_view old_name, TableSchema schema, bool new_data) {
    std::lock_guard lock(mu_);
    auto it = tables_.find(old_name);
    if (it == tables_.end()) return make_error(ErrorCode::ER_NO_SUCH_TABLE, {schema_.name, old_name});
    if (schema.name != old_name && tables_.count(schema.name)) {
        return make_error(ErrorCode::ER_TABLE_EXISTS_ERROR, {schema.name});
    }
    rocksdb::WriteBatch batch;
    if (schema.name != old_name) batch.Delete(catalog_cf_, std::string(kTablePrefix) + std::string(old_name));
    batch.Put(catalog_cf_, std::string(kTablePrefix) + schema.name, encode_table(schema));
    rocksdb::WriteOptions wo;
    wo.sync = true;
    FLOE_CHECK(from_rocks(db_->Write(wo, &batch), "writing the catalog"));
    auto runtime = successor(*it->second, std::move(schema));
    if (new_data) runtime->data_since = db_->GetLatestSequenceNumber();
    tables_.erase(it);
    tables_.emplace(runtime->schema->name, std::move(runtime));
    engine_.catalog_changed();
    return {};
}

Status Database::change_indexes(std::string_view name, TableSchema new_schema, const std::vector<uint32_t>& added,
                                const std::vector<uint32_t>& dropped) {
    auto table = this->table(name);
    if (!table) return make_error(ErrorCode::ER_NO_SUCH_TABLE, {schema_.name, name});
    // The entries would change the table's files; a frozen table's must stay.
    if (freeze_count(name) > 0) return make_error(ErrorCode::ER_FLOE_TABLE_FROZEN, {"alter", name_ + "." + std::string(name)});
    auto index_range = [&](uint16_t partition, uint32_t index_id) {
        std::string low;
        append_key_prefix(low, partition, static_cast<uint16_t>(index_id));
        return std::pair{low, prefix_successor(low)};
    };
    auto erase_entries = [&](uint32_t index_id) {
        rocksdb::WriteBatch batch;
        for (uint16_t p = 0; p < partitions_; ++p) {
            auto [low, high] = index_range(p, index_id);
            batch.DeleteRange(table->cf, low, high);
        }
        return from_rocks(db_->Write(rocksdb::WriteOptions(), &batch), "deleting index entries");
    };
    if (!added.empty()) {
        // A build that failed or crashed may have left entries under an id the catalog never took: gone first.
        for (uint32_t id : added) FLOE_CHECK(erase_entries(id));
        // Written unsynced in bounded batches: nothing reads them before the catalog's synced write below.
        Transaction reader(*this, nullptr);
        rocksdb::WriteBatch batch;
        auto flush = [&]() -> Status {
            FLOE_CHECK(from_rocks(db_->Write(rocksdb::WriteOptions(), &batch), "writing index entries"));
            batch.Clear();
            return {};
        };
        Status built;
        for (const auto& index : new_schema.indexes) {
            if (std::find(added.begin(), added.end(), index.id) == added.end()) continue;
            built = reader.index_entries(*table, new_schema, index, [&](std::string_view key, std::string_view value) -> Status {
                FLOE_CHECK(from_rocks(batch.Put(table->cf, key, value), "writing index entries"));
                return batch.Count() >= 10000 ? flush() : Status{};
            });
            if (!built.ok()) break;
        }
        if (built.ok()) built = flush();
        if (!built.ok()) {
            for (uint32_t id : added) (void)erase_entries(id);
            return built;
        }
    }
    FLOE_CHECK(replace_table(name, std::move(new_schema), /*new_data=*/!added.empty()));
    for (uint32_t id : dropped) {
        auto erased = erase_entries(id);
        // The catalog no longer names the index and its id is never reused: leftovers are only dead space.
        if (!erased.ok()) spdlog::warn("alter: deleting the entries of a dropped index of {}: {}", name, erased.error().message);
    }
    return {};
}

Status Database::truncate_table(std::string_view name) {
    end_freeze(name);  // TRUNCATE ends a freeze (SPEC §6)
    std::lock_guard lock(mu_);
    auto it = tables_.find(name);
    if (it == tables_.end()) return make_error(ErrorCode::ER_NO_SUCH_TABLE, {schema_.name, name});
    TableSchema schema = *it->second->schema;
    uint32_t old_id = schema.id;
    schema.id = next_table_id_++;
    auto cf = FLOE_TRY(create_cf(schema.id));
    FLOE_CHECK(write_catalog(schema));  // the new, empty column family now owns the table
    auto* old_cf = it->second->cf;
    auto runtime = std::make_shared<TableRuntime>();
    runtime->cf = cf;
    runtime->data_since = db_->GetLatestSequenceNumber();
    runtime->schema = std::make_shared<const TableSchema>(std::move(schema));
    it->second = std::move(runtime);
    engine_.catalog_changed();
    auto s = db_->DropColumnFamily(old_cf);
    if (!s.ok()) spdlog::warn("truncate: dropping old column family t{}: {}", old_id, s.ToString());
    return {};
}

Status Database::rebuild_table(
    std::string_view name, TableSchema new_schema,
    const std::function<Result<std::optional<std::vector<Value>>>(const std::vector<Value>&)>& map) {
    auto old_table = table(name);
    if (!old_table) return make_error(ErrorCode::ER_NO_SUCH_TABLE, {schema_.name, name});
    // A rebuild replaces the table's files; a frozen table's must stay.
    if (freeze_count(name) > 0) return make_error(ErrorCode::ER_FLOE_TABLE_FROZEN, {"alter", name_ + "." + std::string(name)});
    {
        std::lock_guard lock(mu_);
        new_schema.id = next_table_id_++;
    }
    auto fresh = std::make_shared<TableRuntime>();
    {
        std::lock_guard lock(mu_);
        fresh->cf = FLOE_TRY(create_cf(new_schema.id));
    }
    fresh->schema = std::make_shared<const TableSchema>(new_schema);
    auto abandon = [&] { (void)db_->DropColumnFamily(fresh->cf); };

    // Copy in batches (bounded memory); nothing is visible until the catalog names the new column family.
    Transaction reader(*this, nullptr);
    std::unique_ptr<Transaction> writer(new Transaction(*this, nullptr));
    std::optional<Error> failure;
    size_t in_batch = 0;
    auto scanned = reader.scan(*old_table, [&](StoredRow& row) {
        std::vector<Value> columns(row.begin(), row.begin() + static_cast<std::ptrdiff_t>(old_table->schema->columns.size()));
        auto mapped = map(columns);
        if (!mapped.ok()) {
            failure = std::move(mapped).error();
            return false;
        }
        if (!*mapped) return true;
        auto inserted = writer->insert(*fresh, std::move(**mapped), OnDuplicate::kError);
        if (!inserted.ok()) {
            failure = std::move(inserted).error();
            return false;
        }
        if (++in_batch == 10000) {
            auto committed = writer->commit();
            if (!committed.ok()) {
                failure = std::move(committed).error();
                return false;
            }
            writer.reset(new Transaction(*this, nullptr));
            in_batch = 0;
        }
        return true;
    });
    if (!scanned.ok()) failure = std::move(scanned).error();
    if (!failure) {
        auto committed = writer->commit();
        if (!committed.ok()) failure = std::move(committed).error();
    }
    if (failure) {
        abandon();
        return *failure;
    }
    std::lock_guard lock(mu_);
    rocksdb::WriteBatch batch;
    if (new_schema.name != name) batch.Delete(catalog_cf_, std::string(kTablePrefix) + std::string(name));
    batch.Put(catalog_cf_, std::string(kTablePrefix) + new_schema.name, encode_table(new_schema));
    batch.Put(catalog_cf_, std::string(kNextTableId), std::to_string(next_table_id_));
    rocksdb::WriteOptions wo;
    wo.sync = true;
    auto written = from_rocks(db_->Write(wo, &batch), "writing the catalog");
    if (!written.ok()) {
        abandon();
        return written;
    }
    auto* old_cf = old_table->cf;
    fresh->data_since = db_->GetLatestSequenceNumber();
    tables_.erase(std::string(name));
    tables_[new_schema.name] = fresh;
    engine_.catalog_changed();
    auto s = db_->DropColumnFamily(old_cf);
    if (!s.ok()) spdlog::warn("alter: dropping the old column family of {}: {}", name, s.ToString());
    return {};
}

std::unique_ptr<Transaction> Database::begin(LockContext* locks) {
    return std::unique_ptr<Transaction>(new Transaction(*this, locks));
}

uint64_t Database::last_commit_sequence() { return db_->GetLatestSequenceNumber(); }

Result<uint64_t> Database::sync_wal() {
    std::lock_guard lock(close_mu_);
    if (!db_) return uint64_t{0};
    // Read before the sync: every write up to here is in the log file already (a sequence is published
    // after its batch is written to the log).
    uint64_t upto = db_->GetLatestSequenceNumber();
    FLOE_CHECK(from_rocks(db_->SyncWAL(), "syncing the write-ahead log"));
    return upto;
}

bool Database::begin_compaction(uint32_t table_id, bool only_one) {
    std::lock_guard lock(freeze_mu_);
    if (frozen_.count(table_id) || (only_one && compacting_.count(table_id))) return false;
    ++compacting_[table_id];  // a FREEZE arriving now waits for this compaction
    return true;
}

void Database::end_compaction(uint32_t table_id) {
    {
        std::lock_guard lock(freeze_mu_);
        if (--compacting_[table_id] == 0) compacting_.erase(table_id);
    }
    freeze_cv_.notify_all();
}

Status Database::compact_table(const TableRuntime& table) {
    const uint32_t id = table.schema->id;
    if (!begin_compaction(id, /*only_one=*/false)) {
        return make_error(ErrorCode::ER_FLOE_TABLE_FROZEN, {"optimize", name_ + "." + table.schema->name});
    }
    rocksdb::CompactRangeOptions options;
    options.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
    auto st = from_rocks(db_->Flush(rocksdb::FlushOptions(), table.cf), "flushing a table");
    if (st.ok()) st = from_rocks(db_->CompactRange(options, table.cf, nullptr, nullptr), "compacting a table");
    end_compaction(id);
    return st;
}

Result<bool> Database::merge_level0(const TableRuntime& table) {
    std::lock_guard maintenance(maintenance_mu_);
    if (!db_) return false;
    uint64_t memtable_entries = 0;
    db_->GetIntProperty(table.cf, "rocksdb.num-entries-active-mem-table", &memtable_entries);
    rocksdb::ColumnFamilyMetaData meta;
    db_->GetColumnFamilyMetaData(table.cf, &meta);
    const bool flush = memtable_entries >= kIdleFlushEntries;
    if (meta.levels.empty() || (meta.levels[0].files.empty() && !flush)) return false;
    const uint32_t id = table.schema->id;
    if (!begin_compaction(id, /*only_one=*/true)) return false;
    auto merge = [&]() -> Result<bool> {
        if (flush) {
            FLOE_CHECK(from_rocks(db_->Flush(rocksdb::FlushOptions(), table.cf), "flushing a table"));
            db_->GetColumnFamilyMetaData(table.cf, &meta);
        }
        const auto& level0 = meta.levels[0].files;
        std::vector<std::string> inputs;
        uint64_t level0_bytes = 0;
        for (const auto& f : level0) {
            inputs.push_back(f.name);
            level0_bytes += f.size;
        }
        // Into the first level below that has files (all of them: a clean cut whatever they overlap) when
        // level 0 holds at least a tenth of its size; else, not to rewrite a big level for a few rows, into one
        // level-0 file (when there are several).
        int output = static_cast<int>(meta.levels.size()) - 1;
        for (size_t level = 1; level < meta.levels.size(); ++level) {
            if (meta.levels[level].files.empty()) continue;
            output = static_cast<int>(level);
            if (level0_bytes * 10 < meta.levels[level].size) {
                output = 0;
                break;
            }
            for (const auto& f : meta.levels[level].files) inputs.push_back(f.name);
            break;
        }
        if (level0.empty() || (output == 0 && level0.size() < 2)) return false;
        rocksdb::CompactionOptions options;
        options.compression = rocksdb::kDisableCompressionOption;  // the column family's own
        options.output_file_size_limit = 64ull << 20;
        FLOE_CHECK(from_rocks(db_->CompactFiles(options, table.cf, inputs, output), "merging a table's level-0 files"));
        return true;
    };
    auto merged = merge();
    end_compaction(id);
    return merged;
}

std::pair<uint64_t, uint64_t> Database::write_marks(const TableRuntime& table) {
    std::lock_guard maintenance(maintenance_mu_);
    uint64_t files = 0, entries = 0;
    if (!db_) return {files, entries};
    std::string level0;  // a string property (the per-level ones have no integer form)
    if (db_->GetProperty(table.cf, "rocksdb.num-files-at-level0", &level0)) files = std::strtoull(level0.c_str(), nullptr, 10);
    db_->GetIntProperty(table.cf, "rocksdb.num-entries-active-mem-table", &entries);
    return {files, entries};
}

std::vector<FileProblem> Database::verify_files(uint64_t& checked) {
    std::vector<rocksdb::LiveFileMetaData> files;
    db_->GetLiveFilesMetaData(&files);
    std::map<std::string, std::string> table_of_cf;
    {
        std::lock_guard lock(mu_);
        for (const auto& [name, t] : tables_) table_of_cf[cf_name(t->schema->id)] = name;
    }
    std::vector<FileProblem> problems;
    for (const auto& f : files) {
        std::string path = f.db_path + f.name;
        rocksdb::Options options;
        rocksdb::SstFileReader reader(options);
        auto s = reader.Open(path);
        if (s.ok()) s = reader.VerifyChecksum();
        ++checked;
        if (s.ok()) continue;
        std::string file = f.name.starts_with("/") ? f.name.substr(1) : f.name;
        std::error_code ec;
        std::string reason = std::filesystem::exists(path, ec) ? "File has incorrect checksum: " + s.ToString()
                                                                : std::string("Missing file");
        auto t = table_of_cf.find(f.column_family_name);
        problems.push_back(FileProblem{t == table_of_cf.end() ? "" : t->second, std::move(file), std::move(reason)});
    }
    return problems;
}

Status Database::snapshot() {
    std::vector<rocksdb::ColumnFamilyHandle*> families{catalog_cf_};
    {
        std::lock_guard lock(mu_);
        for (const auto& [name, t] : tables_) {
            if (!t->frozen.load()) families.push_back(t->cf);  // a frozen table saves nothing (as FLUSH TABLE)
        }
    }
    rocksdb::FlushOptions flush;
    flush.wait = true;
    FLOE_CHECK(from_rocks(db_->Flush(flush, families), "writing the database's memory to disk"));
    return from_rocks(db_->FlushWAL(/*sync=*/true), "syncing the database's log");
}

uint64_t Database::table_disk_bytes(const TableRuntime& table) {
    rocksdb::ColumnFamilyMetaData meta;
    db_->GetColumnFamilyMetaData(table.cf, &meta);
    return meta.size;
}

uint64_t Database::estimate_entries(const TableRuntime& table) {
    uint64_t n = 0;
    db_->GetIntProperty(table.cf, "rocksdb.estimate-num-keys", &n);
    return n;
}

uint64_t Database::estimate_range_entries(const TableRuntime& table, uint64_t table_entries, uint16_t index_id,
                                          const std::vector<KeyRange>& ranges) {
    // Hash partitioning spreads every index evenly over the partitions, so partition 0 stands for all of them.
    std::string base;
    append_key_prefix(base, 0, index_id);
    std::vector<std::string> bounds;
    bounds.reserve(2 * ranges.size() + 2);
    for (const KeyRange& r : ranges) {
        std::string start = r.low ? base + *r.low : base;
        std::string limit = prefix_successor(r.high ? base + *r.high : base);
        if (start >= limit) continue;  // empty (BETWEEN 10 AND 5): RocksDB's estimate wants start < limit
        bounds.push_back(std::move(start));
        bounds.push_back(std::move(limit));
    }
    bounds.push_back(base);  // the whole index
    bounds.push_back(prefix_successor(base));
    std::vector<rocksdb::Range> spans;
    for (size_t i = 0; i < bounds.size(); i += 2) spans.emplace_back(bounds[i], bounds[i + 1]);
    std::vector<uint64_t> sizes(spans.size(), 0);
    rocksdb::SizeApproximationOptions options;
    options.include_memtables = true;  // precise offsets within files (no error margin): a range is often one block
    uint64_t entries = table_entries / std::max<size_t>(1, table.schema->indexes.size());
    if (!db_->GetApproximateSizes(options, table.cf, spans.data(), static_cast<int>(spans.size()), sizes.data()).ok()) {
        return entries;
    }
    uint64_t whole = sizes.back();
    if (whole == 0) return entries;  // nothing measurable: assume everything
    uint64_t in_ranges = 0;
    for (size_t i = 0; i + 1 < sizes.size(); ++i) in_ranges += sizes[i];
    return static_cast<uint64_t>(static_cast<double>(entries) *
                                 std::min(1.0, static_cast<double>(in_ranges) / static_cast<double>(whole)));
}

Status Database::load_counters(TableRuntime& table) {
    std::lock_guard lock(table.counters_mu);
    if (table.counters_loaded) return {};
    const TableSchema& t = *table.schema;
    uint64_t max_auto = 0, max_row_id = 0;
    const ColumnSchema* auto_col = t.auto_increment_column();
    auto take = [&](const StoredRow& row) {
        if (auto_col) {
            const Value& v = row[static_cast<size_t>(t.column_index(auto_col->id))];
            if (!v.is_null()) {
                uint64_t u = v.kind() == ValueKind::kUInt ? v.uint_value() : static_cast<uint64_t>(std::max<int64_t>(v.to_int(), 0));
                max_auto = std::max(max_auto, u);
            }
        }
        if (t.hidden_pk) max_row_id = std::max(max_row_id, row.back().uint_value());
    };
    // Keys sort as their values (key_codec.h), so the last entry of an index that leads with the counter's
    // column holds its largest value: one reverse read per counter instead of a pass over every row (the first
    // inserts into 8 tables of a million rows after a restart took 7.5 s that way).
    const IndexSchema* auto_index = nullptr;
    if (auto_col) {
        for (const IndexSchema& index : t.indexes) {
            if (!index.column_ids.empty() && index.column_ids.front() == auto_col->id) {
                auto_index = &index;
                break;
            }
        }
    }
    auto txn = begin();
    auto last_of = [&](const IndexSchema& index) {
        IndexScan scan;
        scan.index = &index;
        scan.reverse = true;
        return txn->scan_index(table, scan, [&](StoredRow& row) {
            take(row);
            return false;
        });
    };
    if (auto_col && !auto_index) {
        FLOE_CHECK(txn->scan(table, [&](StoredRow& row) {  // no index leads with it: every row
            take(row);
            return true;
        }));
    } else {
        if (auto_index) FLOE_CHECK(last_of(*auto_index));
        if (t.hidden_pk) FLOE_CHECK(last_of(t.primary()));
    }
    table.next_auto_increment = std::max(max_auto + 1, t.auto_increment_start);
    table.next_row_id = max_row_id + 1;
    table.counters_loaded = true;
    return {};
}

}  // namespace floe::storage
