#include "storage/storage_engine.h"

#include <rocksdb/cache.h>
#include <rocksdb/env.h>
#include <rocksdb/rate_limiter.h>
#include <rocksdb/write_buffer_manager.h>
#include <spdlog/spdlog.h>

#include <filesystem>

#include "storage/catalog_codec.h"
#include "storage/crc32c.h"
#include "storage/database.h"
#include "storage/system_store.h"

namespace floe::storage {

namespace {
constexpr std::string_view kDatabasePrefix = "db/";
}

StorageEngine::~StorageEngine() {
    level0_merger_.stop();
    timers_.stop();
    std::lock_guard lock(mu_);
    for (auto& [name, db] : databases_) {
        db->mark_dropped();
        db->close();
    }
    databases_.clear();
}

std::string StorageEngine::database_dir(std::string_view name) const {
    return (std::filesystem::path(datadir_) / "databases" / std::string(name)).string();
}

Result<std::unique_ptr<StorageEngine>> StorageEngine::open(const std::string& datadir, const StorageOptions& options) {
    std::unique_ptr<StorageEngine> engine(new StorageEngine());
    engine->datadir_ = datadir;
    engine->options_ = options;
    // HyperClockCache: lookups take no lock and keep no LRU list (LRUCache's shard mutex and list updates were
    // ~8 % of a range read's CPU: each of its 8 partition seeks looks a data block up). Its table is sized by
    // the average entry: data blocks are 4 KB (block_size).
    engine->block_cache_ = rocksdb::HyperClockCacheOptions(options.block_cache_bytes, 4096).MakeSharedCache();
    engine->write_buffers_ =
        std::make_shared<rocksdb::WriteBufferManager>(options.write_buffer_bytes, engine->block_cache_);
    // No limit by default; backups set their own rate (backup_max_bytes_per_sec, issue 7).
    engine->rate_limiter_.reset(rocksdb::NewGenericRateLimiter(int64_t{1} << 40));
    // Compactions run at the lowest CPU priority (nice 19): statements keep the cores, and compaction takes
    // what they leave. When it falls behind, RocksDB's own write slowdown (L0 file count) makes room for it.
    // Flushes (the high-priority pool) stay at normal priority: a memtable waiting for its flush stalls writes.
    (void)rocksdb::Env::Default()->LowerThreadPoolCPUPriority(rocksdb::Env::Priority::LOW, rocksdb::CpuPriority::kLow);
    std::error_code ec;
    std::filesystem::create_directories(std::filesystem::path(datadir) / "databases", ec);
    std::filesystem::create_directories(std::filesystem::path(datadir) / "system", ec);
    std::filesystem::remove_all(std::filesystem::path(datadir) / "tmp", ec);
    std::filesystem::create_directories(std::filesystem::path(datadir) / "tmp", ec);
    if (ec) {
        return make_error(ErrorCode::ER_INTERNAL_ERROR, {"cannot create '" + datadir + "': " + ec.message()});
    }
    engine->system_ = FLOE_TRY(SystemStore::open((std::filesystem::path(datadir) / "system").string()));

    auto schemas = FLOE_TRY(engine->system_->decode_all<DatabaseSchema>(
        kDatabasePrefix, [](std::string_view, std::string_view value) { return decode_database(value); }));
    for (const auto& schema : schemas) {
        auto db = Database::open(*engine, engine->database_dir(schema.name), schema, false);
        if (!db.ok()) return std::move(db).error();
        engine->databases_.emplace(schema.name, std::move(*db));
    }
    spdlog::info("storage: {} database(s) open; CRC32C: {}", engine->databases_.size(),
                 crc32c_hardware() ? "crc32 instruction" : "table");
    if (options.level0_merge_period.count() > 0) {
        engine->level0_merger_.start(
            [e = engine.get()] {
                std::lock_guard lock(e->mu_);
                std::vector<std::shared_ptr<Database>> dbs;
                for (const auto& [name, db] : e->databases_) dbs.push_back(db);
                return dbs;
            },
            options.level0_merge_period);
    }
    return engine;
}

std::shared_ptr<Database> StorageEngine::database(std::string_view name) const {
    std::lock_guard lock(mu_);
    auto it = databases_.find(name);
    return it == databases_.end() ? nullptr : it->second;
}

std::vector<DatabaseSchema> StorageEngine::databases() const {
    std::lock_guard lock(mu_);
    std::vector<DatabaseSchema> out;
    for (const auto& [name, db] : databases_) out.push_back(db->schema());
    return out;
}

Status StorageEngine::create_database(const DatabaseSchema& schema) {
    std::lock_guard lock(mu_);
    if (databases_.count(schema.name)) {
        return make_error(ErrorCode::ER_DB_CREATE_EXISTS, {schema.name});
    }
    std::string dir = database_dir(schema.name);
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);  // leftovers of a database whose creation did not finish
    auto db = Database::open(*this, dir, schema, true);
    if (!db.ok()) return std::move(db).error();
    // The system record makes the database exist; written (synced) after its instance is ready.
    FLOE_CHECK(system_->put(std::string(kDatabasePrefix) + schema.name, encode_database(schema)));
    databases_.emplace(schema.name, std::move(*db));
    catalog_changed();
    return {};
}

std::string StorageEngine::scratch_dir(std::string_view name) const {
    return (std::filesystem::path(datadir_) / "tmp" / std::string(name)).string();
}

Status StorageEngine::adopt_database(const DatabaseSchema& schema, const std::string& prepared_dir) {
    std::lock_guard lock(mu_);
    std::error_code ec;
    if (databases_.count(schema.name)) {
        std::filesystem::remove_all(prepared_dir, ec);
        return make_error(ErrorCode::ER_DB_CREATE_EXISTS, {schema.name});
    }
    std::string dir = database_dir(schema.name);
    std::filesystem::remove_all(dir, ec);  // leftovers of a database whose creation did not finish
    std::filesystem::rename(prepared_dir, dir, ec);
    if (ec) {
        std::filesystem::remove_all(prepared_dir, ec);
        return make_error(ErrorCode::ER_INTERNAL_ERROR, {"cannot move the restored files into place: " + ec.message()});
    }
    auto db = Database::open(*this, dir, schema, false);
    if (!db.ok()) {
        std::filesystem::remove_all(dir, ec);
        return std::move(db).error();
    }
    // As CREATE DATABASE: the system record makes the database exist, written once its instance is open.
    FLOE_CHECK(system_->put(std::string(kDatabasePrefix) + schema.name, encode_database(schema)));
    databases_.emplace(schema.name, std::move(*db));
    catalog_changed();
    return {};
}

Status StorageEngine::alter_database(std::string_view name, uint16_t collation_id) {
    std::lock_guard lock(mu_);
    auto it = databases_.find(name);
    if (it == databases_.end()) return make_error(ErrorCode::ER_BAD_DB_ERROR, {name});
    DatabaseSchema schema = it->second->schema();
    schema.collation_id = collation_id;
    FLOE_CHECK(system_->put(std::string(kDatabasePrefix) + schema.name, encode_database(schema)));
    it->second->set_collation(collation_id);
    return {};
}

Status StorageEngine::drop_database(std::string_view name) {
    std::shared_ptr<Database> db;
    {
        std::lock_guard lock(mu_);
        auto it = databases_.find(name);
        if (it == databases_.end()) return make_error(ErrorCode::ER_DB_DROP_EXISTS, {name});
        FLOE_CHECK(system_->remove(std::string(kDatabasePrefix) + std::string(name)));
        db = it->second;
        db->mark_dropped();
        databases_.erase(it);
        catalog_changed();
    }
    db->close();
    std::error_code ec;
    std::filesystem::remove_all(database_dir(name), ec);
    if (ec) spdlog::warn("drop database {}: could not remove its files: {}", name, ec.message());
    return {};
}

void StorageEngine::unfreeze_all() {
    timers_.stop();
    std::vector<std::shared_ptr<Database>> dbs;
    {
        std::lock_guard lock(mu_);
        for (auto& [name, db] : databases_) dbs.push_back(db);
    }
    for (auto& db : dbs) {
        for (const auto& f : db->frozen_tables()) db->end_freeze(f.table);
    }
}

Result<std::vector<std::string>> StorageEngine::clear_orphan_directories() {
    std::lock_guard lock(mu_);  // no CREATE / DROP DATABASE meanwhile
    std::vector<std::string> removed;
    std::error_code ec;
    auto root = std::filesystem::path(datadir_) / "databases";
    for (const auto& entry : std::filesystem::directory_iterator(root, ec)) {
        std::string name = entry.path().filename().string();
        if (databases_.count(name)) continue;
        std::filesystem::remove_all(entry.path(), ec);
        if (ec) {
            return make_error(ErrorCode::ER_INTERNAL_ERROR,
                              {"cannot remove orphan directory '" + entry.path().string() + "': " + ec.message()});
        }
        spdlog::info("removed orphan database directory {}", entry.path().string());
        removed.push_back(std::move(name));
    }
    if (ec) return make_error(ErrorCode::ER_INTERNAL_ERROR, {"cannot list '" + root.string() + "': " + ec.message()});
    std::sort(removed.begin(), removed.end());
    return removed;
}

}  // namespace floe::storage
