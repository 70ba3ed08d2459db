// Level0Merger: keeps tables that stopped being written cheap to read. Each level-0 file spans every key of its
// table, so a range read seeks into every one of them once per partition; after a burst of writes a table can
// be left with several, which RocksDB merges only at its trigger (four) and, running at the lowest CPU priority,
// not at all while a read load keeps the cores busy; the memtable, too, holds every version written. This
// thread looks at every table each period: one whose writes have stopped (same level-0 file count and active
// memtable entries as at the last look) with level-0 files or a big memtable gets its memtable flushed and its
// level-0 files merged, once, at normal priority (Database::merge_level0).
// A table still being written is merged only when range reads keep seeking into its level-0 files
// (kBusyIndexReadsPerSecond, two level-0 files or more), at most once every kBusyMergeInterval: after a
// burst of writes, a mixed load's reads would otherwise pay for those files as long as its writes go on.
// Otherwise a written table's merges stay RocksDB's, in the background (writers keep the cores).
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
    // Of those, merges of tables still being written (SHOW GLOBAL STATUS Level0_merges_while_written).
    uint64_t busy_merges() const { return busy_merges_.load(std::memory_order_relaxed); }

private:
    void run();
    void look();

    ListDatabases list_;
    std::chrono::milliseconds period_{0};
    std::mutex mu_;
    std::condition_variable cv_;
    bool stopping_ = false;
    static constexpr uint64_t kBusyIndexReadsPerSecond = 500;
    static constexpr std::chrono::seconds kBusyMergeInterval{30};
    struct Seen {
        std::pair<uint64_t, uint64_t> marks;  // Database::write_marks
        uint64_t index_reads = 0;             // TableRuntime::index_reads
        std::chrono::steady_clock::time_point busy_merge{};  // the last merge of a table still written
    };
    // By (database uid, table id): what the last look saw.
    std::map<std::pair<uint64_t, uint32_t>, Seen> seen_;
    std::atomic<uint64_t> merges_{0};
    std::atomic<uint64_t> busy_merges_{0};
    std::thread thread_;
};

}  // namespace floe::storage
