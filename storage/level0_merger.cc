#include "storage/level0_merger.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "storage/database.h"

namespace floe::storage {

void Level0Merger::start(ListDatabases list, std::chrono::milliseconds period) {
    std::lock_guard lock(mu_);
    if (stopping_ || thread_.joinable()) return;
    list_ = std::move(list);
    period_ = period;
    thread_ = std::thread([this] { run(); });
}

void Level0Merger::stop() {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void Level0Merger::run() {
    std::unique_lock lock(mu_);
    while (!stopping_) {
        cv_.wait_for(lock, period_, [&] { return stopping_; });
        if (stopping_) break;
        lock.unlock();
        look();
        lock.lock();
    }
}

void Level0Merger::look() {
    std::map<std::pair<uint64_t, uint32_t>, Seen> seen;
    const auto now = std::chrono::steady_clock::now();
    const uint64_t busy_reads = std::max<uint64_t>(1, kBusyIndexReadsPerSecond * static_cast<uint64_t>(period_.count()) / 1000);
    for (const auto& db : list_()) {
        for (const auto& name : db->table_names()) {
            auto table = db->table(name);
            if (!table) continue;
            std::pair key{db->uid(), table->schema->id};
            Seen& now_seen = seen[key];
            now_seen.marks = db->write_marks(*table);
            now_seen.index_reads = table->index_reads.load(std::memory_order_relaxed);
            auto before = seen_.find(key);
            if (before == seen_.end()) continue;
            now_seen.busy_merge = before->second.busy_merge;
            const auto marks = now_seen.marks;
            bool idle = before->second.marks == marks && (marks.first > 0 || marks.second >= Database::kIdleFlushEntries);
            bool read_while_written = !idle && marks.first >= 2 &&
                                      now_seen.index_reads - before->second.index_reads >= busy_reads &&
                                      now - now_seen.busy_merge >= kBusyMergeInterval;
            if (!idle && !read_while_written) continue;
            {
                std::lock_guard lock(mu_);
                if (stopping_) return;
            }
            auto merged = db->merge_level0(*table);
            if (!merged.ok()) {
                spdlog::debug("level-0 merge of {}.{} not done: {}", db->name(), name, merged.error().message);
            } else if (*merged) {
                merges_.fetch_add(1, std::memory_order_relaxed);
                if (read_while_written) {
                    busy_merges_.fetch_add(1, std::memory_order_relaxed);
                    now_seen.busy_merge = now;
                }
                now_seen.marks = db->write_marks(*table);
                spdlog::debug("merged the level-0 files of {}.{} ({} of them{})", db->name(), name, marks.first,
                              read_while_written ? ", read while written" : "");
            }
        }
    }
    seen_ = std::move(seen);  // tables gone since the last look are forgotten
}

}  // namespace floe::storage
