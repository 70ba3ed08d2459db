// WalSyncer: group commit without a waiting thread per commit. A commit whose answer can wait writes its
// batch with the write-ahead log written but not synced (Transaction::commit_unsynced) and hands its sequence
// here; one thread syncs each database's log for every commit that arrived while the previous sync ran, then
// tells their waiters. The threads that run statements never wait for the disk (they serve other connections
// meanwhile), and each sync covers as many commits as arrived during the one before.
// A commit is visible to other transactions once written, before its sync (as InnoDB releases a commit's
// locks before its log flush); its own client hears of it only after the sync.
// Thread-safety: all members from any thread; waiters are told on the syncer's thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "common/result.h"

namespace floe::storage {

class Database;

class WalSyncer {
public:
    WalSyncer() = default;
    ~WalSyncer();  // tells every waiter (after syncing for them), then ends the thread
    WalSyncer(const WalSyncer&) = delete;
    WalSyncer& operator=(const WalSyncer&) = delete;

    // Calls `done(true)` once `db`'s log is on disk up to `sequence` (at once, on this thread, when it
    // already is), or `done(false)` when the sync failed: the commit may then be lost in a crash.
    void when_durable(const std::shared_ptr<Database>& db, uint64_t sequence, std::function<void(bool)> done);
    // A commit that is alone — no sync running, nobody waiting, and the last sync covered one commit only — syncs
    // `db`'s log on the calling thread and returns whether that worked (false: the commit may be lost in a
    // crash). It so skips the hand-off to the syncer's thread and back: two thread wake-ups, most of a lone
    // commit's cost besides the fsync. While it syncs, other commits gather for the syncer's next round, and a
    // round of more than one sends the commits after it to the syncer again, so under concurrency groups form
    // as before (an I/O thread held in fsync would be one fewer serving connections). nullopt: use when_durable.
    std::optional<bool> sync_if_alone(const std::shared_ptr<Database>& db, uint64_t sequence);
    // Returns once every waiter registered so far has been told (the server calls it before its I/O loop
    // goes away, since waiters post to it).
    void drain();
    // Since start: log syncs done, and commits that waited for one (their ratio is the groups' mean size).
    uint64_t syncs() const { return syncs_.load(std::memory_order_relaxed); }
    uint64_t waits() const { return waits_.load(std::memory_order_relaxed); }
    uint64_t inline_syncs() const { return inline_syncs_.load(std::memory_order_relaxed); }  // of syncs()

private:
    struct Waiter {
        std::shared_ptr<Database> db;
        uint64_t sequence;
        std::function<void(bool)> done;
    };
    void run();
    // Under mu_: whether `db_uid`'s log is synced past `sequence`; record a sync's result.
    bool covered(uint64_t db_uid, uint64_t sequence) const;
    void note_durable(uint64_t db_uid, const Result<uint64_t>& upto);
    // Syncs a database's log (without mu_), counts it, logs a failure.
    Result<uint64_t> sync_log(Database& db);

    std::mutex mu_;
    std::condition_variable work_cv_;  // waiters arrived, or stopping
    std::condition_variable idle_cv_;  // a round of syncs ended
    std::vector<Waiter> pending_;
    std::map<uint64_t, uint64_t> durable_;  // by database uid: the sequence its log is synced past
    bool syncing_ = false;                         // a round is running (its waiters are out of pending_)
    bool inline_syncing_ = false;                  // a sync_if_alone runs
    size_t last_round_ = 0;                        // commits the last sync covered (its waiters)
    bool stopping_ = false;
    std::atomic<uint64_t> syncs_{0};
    std::atomic<uint64_t> waits_{0};
    std::atomic<uint64_t> inline_syncs_{0};
    std::thread thread_;  // started by the first waiter
};

}  // namespace floe::storage
