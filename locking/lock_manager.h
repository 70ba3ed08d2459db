// LockManager: row locks with two-phase locking. A lock names an opaque resource (the caller's bytes: database,
// table and primary key of a row); a transaction (LockOwner) takes locks as it goes and releases them all at
// its end. Requests on one resource are granted in arrival order. A request that must wait:
//   - returns 1213 at once when waiting would close a waits-for cycle and the requester is the youngest
//     transaction in it; when another transaction in the cycle is younger, that one is woken with 1213;
//   - returns 1317 when the owner's KillFlag is set (looked at every few milliseconds);
//   - returns 1205 at the owner's deadline, naming the blocking connection and its statement.
// Waits block the calling thread (statements run on threads that may block; see server/exec_pool.h).
// Thread-safety: all members may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/cancel.h"
#include "common/clock.h"
#include "common/result.h"

namespace floe::locking {

enum class LockMode : uint8_t { kShared, kExclusive };

// One transaction as the lock manager sees it. Owned by the caller; must outlive its locks (release_all).
struct LockOwner {
    uint64_t txn_id = 0;         // larger = younger (the deadlock victim)
    uint32_t connection_id = 0;  // for messages and the wait registry
    const KillFlag* kill = nullptr;
    std::function<std::string()> statement;  // what it is running now (messages, MV_BLOCKED_QUERIES)

    // Managed by LockManager.
    std::vector<std::string> held;  // resources this owner holds, in the order taken
};

// One waiting request, for SHOW PROCESSLIST / MV_BLOCKED_QUERIES.
struct LockWait {
    uint32_t waiting_connection = 0;
    uint32_t blocking_connection = 0;
    std::string blocking_statement;
    std::string what;      // the resource, as the requester described it
    std::string resource;  // the resource's bytes (their meaning is the caller's)
    Clock::time_point since;
};

// One granted lock, for SHOW LOCKS.
struct LockHolding {
    std::string resource;
    LockMode mode = LockMode::kShared;
    uint32_t connection = 0;
    std::string statement;
};

class LockManager {
public:
    explicit LockManager(const Clock& clock = default_clock());
    ~LockManager();
    LockManager(const LockManager&) = delete;
    LockManager& operator=(const LockManager&) = delete;

    // Takes `resource` in `mode` for `owner`, waiting until `deadline` if it must. Re-requesting a held lock
    // succeeds at once (a shared lock is upgraded when no one else holds it). `describe` names the resource
    // for the wait registry and log; it is called only if the request waits. `deadlock_detect` false: cycles
    // are left to the timeout.
    Status lock(LockOwner& owner, std::string_view resource, LockMode mode, Clock::time_point deadline,
                const std::function<std::string()>& describe = {}, bool deadlock_detect = true);
    // Releases every lock of `owner` (COMMIT / ROLLBACK), granting waiters in order.
    void release_all(LockOwner& owner);
    // Releases the locks `owner` took after its first `keep` (a failed statement's own locks).
    void release_after(LockOwner& owner, size_t keep);

    std::vector<LockWait> waits() const;
    // Every granted lock on a resource starting with `prefix` (a scan of all locks: for introspection only).
    std::vector<LockHolding> holdings(std::string_view prefix) const;
    size_t locked_resources() const;

    // How often a waiter looks at its kill flag and the clock.
    static constexpr std::chrono::milliseconds kPollInterval{10};

private:
    struct Waiter;
    struct Entry;
    static const Clock& default_clock();
    void release_locked(LockOwner& owner, const std::string& resource);
    void grant_waiters(Entry& e);
    // The transactions `w` waits for on its entry (conflicting holders and earlier conflicting waiters).
    void blockers(const Waiter& w, std::vector<LockOwner*>& out) const;
    // A waits-for cycle through `start` (owners, start first), or empty.
    std::vector<LockOwner*> find_cycle(LockOwner* start) const;

    const Clock& clock_;
    mutable std::mutex mu_;
    std::unordered_map<std::string, std::unique_ptr<Entry>> entries_;
    std::unordered_map<const LockOwner*, Waiter*> waiting_;  // owner -> its pending request
};

}  // namespace floe::locking
