#include "storage/level0_merger.h"

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
    std::map<std::pair<uint64_t, uint32_t>, std::pair<uint64_t, uint64_t>> seen;
    for (const auto& db : list_()) {
        for (const auto& name : db->table_names()) {
            auto table = db->table(name);
            if (!table) continue;
            std::pair key{db->uid(), table->schema->id};
            auto marks = db->write_marks(*table);
            seen[key] = marks;
            auto before = marks_.find(key);
            if (before == marks_.end() || before->second != marks) continue;
            if (marks.first == 0 && marks.second < Database::kIdleFlushEntries) continue;
            {
                std::lock_guard lock(mu_);
                if (stopping_) return;
            }
            auto merged = db->merge_level0(*table);
            if (!merged.ok()) {
                spdlog::debug("level-0 merge of {}.{} not done: {}", db->name(), name, merged.error().message);
            } else if (*merged) {
                merges_.fetch_add(1, std::memory_order_relaxed);
                seen[key] = db->write_marks(*table);
                spdlog::debug("merged the level-0 files of {}.{} ({} of them)", db->name(), name, marks.first);
            }
        }
    }
    marks_ = std::move(seen);  // tables gone since the last look are forgotten
}

}  // namespace floe::storage
