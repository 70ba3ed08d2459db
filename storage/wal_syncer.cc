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

bool WalSyncer::covered(uint64_t db_uid, uint64_t sequence) const {
    auto it = durable_.find(db_uid);
    return it != durable_.end() && it->second >= sequence;
}

Result<uint64_t> WalSyncer::sync_log(Database& db) {
    auto upto = db.sync_wal();
    syncs_.fetch_add(1, std::memory_order_relaxed);
    if (!upto.ok()) spdlog::error("database {}: syncing the write-ahead log: {}", db.name(), upto.error().message);
    return upto;
}

void WalSyncer::note_durable(uint64_t db_uid, const Result<uint64_t>& upto) {
    if (!upto.ok()) return;
    uint64_t& durable = durable_[db_uid];
    durable = std::max(durable, *upto);
}

void WalSyncer::when_durable(const std::shared_ptr<Database>& db, uint64_t sequence, std::function<void(bool)> done) {
    waits_.fetch_add(1, std::memory_order_relaxed);
    {
        std::lock_guard lock(mu_);
        if (!covered(db->uid(), sequence)) {
            pending_.push_back({db, sequence, std::move(done)});
            if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
            work_cv_.notify_one();
            return;
        }
    }
    done(true);  // an earlier sync covered it
}

std::optional<bool> WalSyncer::sync_if_alone(const std::shared_ptr<Database>& db, uint64_t sequence) {
    {
        std::lock_guard lock(mu_);
        if (syncing_ || inline_syncing_ || !pending_.empty() || last_round_ > 1 || stopping_) return std::nullopt;
        waits_.fetch_add(1, std::memory_order_relaxed);
        if (covered(db->uid(), sequence)) return true;  // an earlier sync covered it
        inline_syncing_ = true;
    }
    auto upto = sync_log(*db);
    inline_syncs_.fetch_add(1, std::memory_order_relaxed);
    {
        std::lock_guard lock(mu_);
        inline_syncing_ = false;
        last_round_ = 1;
        note_durable(db->uid(), upto);
    }
    work_cv_.notify_one();  // commits that arrived meanwhile
    idle_cv_.notify_all();
    return upto.ok();
}

void WalSyncer::drain() {
    std::unique_lock lock(mu_);
    idle_cv_.wait(lock, [&] { return pending_.empty() && !syncing_ && !inline_syncing_; });
}

void WalSyncer::run() {
    std::unique_lock lock(mu_);
    for (;;) {
        // Commits that arrive while a lone commit syncs on its own thread gather for the round after it.
        work_cv_.wait(lock, [&] { return (stopping_ || !pending_.empty()) && !inline_syncing_; });
        if (pending_.empty()) return;  // stopping, nobody waits
        std::vector<Waiter> round;
        round.swap(pending_);
        syncing_ = true;
        last_round_ = round.size();
        lock.unlock();
        // One sync per database for the whole round: every waiter's write is in its log already (it asked
        // after its write returned), so syncing up to the latest sequence covers them all.
        std::map<uint64_t, Result<uint64_t>> synced;  // database uid -> the sequence now synced past
        for (const Waiter& w : round) {
            if (!synced.count(w.db->uid())) synced.emplace(w.db->uid(), sync_log(*w.db));
        }
        lock.lock();
        for (const auto& [uid, upto] : synced) note_durable(uid, upto);
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
