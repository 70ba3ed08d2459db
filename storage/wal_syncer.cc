#include "storage/wal_syncer.h"

#include <spdlog/spdlog.h>

#include "storage/database.h"

namespace floe::storage {

WalSyncer::~WalSyncer() {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
    }
    work_cv_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void WalSyncer::when_durable(const std::shared_ptr<Database>& db, uint64_t sequence, std::function<void(bool)> done) {
    waits_.fetch_add(1, std::memory_order_relaxed);
    {
        std::lock_guard lock(mu_);
        auto it = durable_.find(db->uid());
        if (it == durable_.end() || it->second < sequence) {
            pending_.push_back({db, sequence, std::move(done)});
            if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
            work_cv_.notify_one();
            return;
        }
    }
    done(true);  // an earlier sync covered it
}

void WalSyncer::drain() {
    std::unique_lock lock(mu_);
    idle_cv_.wait(lock, [&] { return pending_.empty() && !syncing_; });
}

void WalSyncer::run() {
    std::unique_lock lock(mu_);
    for (;;) {
        work_cv_.wait(lock, [&] { return stopping_ || !pending_.empty(); });
        if (pending_.empty()) return;  // stopping, nobody waits
        std::vector<Waiter> round;
        round.swap(pending_);
        syncing_ = true;
        lock.unlock();
        // One sync per database for the whole round: every waiter's write is in its log already (it asked
        // after its write returned), so syncing up to the latest sequence covers them all.
        std::map<uint64_t, Result<uint64_t>> synced;  // database uid -> the sequence now synced past
        for (const Waiter& w : round) {
            if (synced.count(w.db->uid())) continue;
            auto upto = w.db->sync_wal();
            syncs_.fetch_add(1, std::memory_order_relaxed);
            if (!upto.ok()) spdlog::error("database {}: syncing the write-ahead log: {}", w.db->name(), upto.error().message);
            synced.emplace(w.db->uid(), std::move(upto));
        }
        lock.lock();
        for (const auto& [uid, upto] : synced) {
            if (!upto.ok()) continue;
            uint64_t& durable = durable_[uid];
            durable = std::max(durable, *upto);
        }
        lock.unlock();
        for (Waiter& w : round) {
            w.done(synced.at(w.db->uid()).ok());
            w.db.reset();  // outside mu_: the last reference may close the database
        }
        round.clear();
        lock.lock();
        syncing_ = false;
        idle_cv_.notify_all();
    }
}

}  // namespace floe::storage
