// StorageEngine: every RocksDB instance of a data directory — the system instance (accounts, the database
// list) and one instance per database (<datadir>/databases/<name>/) — sharing one Env, block cache,
// WriteBufferManager and rate limiter, so memory stays bounded however many databases exist.
// Thread-safety: all methods may be called from any thread. Lock order: StorageEngine::mu_ before any
// Database lock.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/timer_thread.h"
#include "storage/schema.h"
#include "storage/level0_merger.h"
#include "storage/wal_syncer.h"

namespace rocksdb {
class Cache;
class WriteBufferManager;
class RateLimiter;
}  // namespace rocksdb

namespace floe::storage {

class Database;
class SystemStore;

struct StorageOptions {
    size_t block_cache_bytes = 256ull << 20;
    size_t write_buffer_bytes = 256ull << 20;  // all memtables of all instances together
    bool wal_sync = true;  // fsync the WAL at each commit (survives power loss, not only kill -9)
    // How often Level0Merger looks for tables whose writes stopped (storage/level0_merger.h); 0: never.
    std::chrono::milliseconds level0_merge_period{2000};
};

class StorageEngine {
public:
    static Result<std::unique_ptr<StorageEngine>> open(const std::string& datadir, const StorageOptions& options);
    ~StorageEngine();

    SystemStore& system() { return *system_; }
    const StorageOptions& options() const { return options_; }

    // nullptr when there is no such database. Names are case-sensitive (lower_case_table_names = 0).
    std::shared_ptr<Database> database(std::string_view name) const;
    std::vector<DatabaseSchema> databases() const;
    // 1007 when it exists.
    Status create_database(const DatabaseSchema& schema);
    // ALTER DATABASE: a new default collation (1049 when it does not exist). Partitions cannot change here.
    Status alter_database(std::string_view name, uint16_t collation_id);
    // RESTORE: makes database `schema.name` from the instance prepared in `prepared_dir` (a restored backup),
    // which moves into the data directory. 1007 when the name is taken; the instance must open (its catalog
    // read) before the database exists, else nothing is created and `prepared_dir` is removed.
    Status adopt_database(const DatabaseSchema& schema, const std::string& prepared_dir);
    // 1008 when it does not exist. Removes the instance's files.
    Status drop_database(std::string_view name);

    // CLEAR ORPHAN DATABASES: removes the directories under <datadir>/databases that no database owns
    // (leftovers of a CREATE / DROP cut short, or copied in by hand); returns their names.
    Result<std::vector<std::string>> clear_orphan_directories();
    const std::string& datadir() const { return datadir_; }
    // <datadir>/tmp: work directories of backups and restores (emptied at start: what is there belongs to an
    // operation the server did not finish). `name` is made unique by the caller.
    std::string scratch_dir(std::string_view name) const;
    // rt_mem_limit: a frozen table's memory limit when its own option is 0 (SET GLOBAL rt_mem_limit).
    uint64_t default_rt_mem_limit() const { return default_rt_mem_limit_.load(std::memory_order_relaxed); }
    void set_default_rt_mem_limit(uint64_t bytes) { default_rt_mem_limit_.store(bytes); }
    // Counts catalog changes (tables, views, databases created, dropped, altered, renamed, truncated): what a
    // compiled statement was bound against is unchanged while this is. Bumped after each change is visible.
    uint64_t catalog_generation() const { return catalog_generation_.load(std::memory_order_acquire); }
    void catalog_changed() { catalog_generation_.fetch_add(1, std::memory_order_acq_rel); }
    // Ends every freeze (shutdown: before the lock manager the freezes hold locks in goes away).
    void unfreeze_all();
    // Background timers (FREEZE ... TIMEOUT).
    TimerThread& timers() { return timers_; }
    // Group commit for commits whose answer waits for their log's sync (storage/wal_syncer.h).
    WalSyncer& wal_syncer() { return wal_syncer_; }
    // Merges of idle tables' level-0 files (storage/level0_merger.h).
    const Level0Merger& level0_merger() const { return level0_merger_; }

    // RocksDB pieces shared by every instance (used by Database).
    std::shared_ptr<rocksdb::Cache> block_cache() const { return block_cache_; }
    std::shared_ptr<rocksdb::WriteBufferManager> write_buffer_manager() const { return write_buffers_; }
    std::shared_ptr<rocksdb::RateLimiter> rate_limiter() const { return rate_limiter_; }

private:
    StorageEngine() = default;
    std::string database_dir(std::string_view name) const;

    std::string datadir_;
    StorageOptions options_;
    std::shared_ptr<rocksdb::Cache> block_cache_;
    std::shared_ptr<rocksdb::WriteBufferManager> write_buffers_;
    std::shared_ptr<rocksdb::RateLimiter> rate_limiter_;
    std::unique_ptr<SystemStore> system_;
    std::atomic<uint64_t> default_rt_mem_limit_{128ull << 20};
    std::atomic<uint64_t> catalog_generation_{0};
    mutable std::mutex mu_;  // guards databases_
    std::map<std::string, std::shared_ptr<Database>, std::less<>> databases_;
    TimerThread timers_;  // stopped before the databases its callbacks reach
    Level0Merger level0_merger_;  // stopped before the databases it merges in close
    WalSyncer wal_syncer_;  // last: its waiters are told before anything else goes
};

}  // namespace floe::storage
