// Level0Merger: keeps tables that stopped being written cheap to read. Each level-0 file spans every key of its
// table, so a range read seeks into every one of them once per partition; after a burst of writes a table can
// be left with several, which RocksDB merges only at its trigger (four) and, running at the lowest CPU priority,
// not at all while a read load keeps the cores busy; the memtable, too, holds every version written. This
// thread looks at every table each period: one whose writes have stopped (same level-0 file count and active
// memtable entries as at the last look) with level-0 files or a big memtable gets its memtable flushed and its
// level-0 files merged, once, at normal priority (Database::merge_level0).
// A table being written is never touched: its merges stay RocksDB's, in the background.
// Thread-safety: all members from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace floe::storage {

class Database;

class Level0Merger {
public:
    using ListDatabases = std::function<std::vector<std::shared_ptr<Database>>()>;
    Level0Merger() = default;
    ~Level0Merger() { stop(); }
    Level0Merger(const Level0Merger&) = delete;
    Level0Merger& operator=(const Level0Merger&) = delete;

    void start(ListDatabases list, std::chrono::milliseconds period);
    // Waits for a merge under way; later start() calls do nothing.
    void stop();
    // Merges done since start (SHOW GLOBAL STATUS Level0_merges).
    uint64_t merges() const { return merges_.load(std::memory_order_relaxed); }

private:
    void run();
    void look();

    ListDatabases list_;
    std::chrono::milliseconds period_{0};
    std::mutex mu_;
    std::condition_variable cv_;
    bool stopping_ = false;
    // By (database uid, table id): the write marks at the last look.
    std::map<std::pair<uint64_t, uint32_t>, std::pair<uint64_t, uint64_t>> marks_;
    std::atomic<uint64_t> merges_{0};
    std::thread thread_;
};

}  // namespace floe::storage
