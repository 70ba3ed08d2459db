#include "locking/lock_manager.h"

#include <algorithm>
#include <optional>
#include <unordered_set>

#include <boost/container/small_vector.hpp>
#include <spdlog/spdlog.h>

#include "common/blocking.h"

namespace floe::locking {

struct LockManager::Entry {
    struct Holder {
        LockOwner* owner;
        LockMode mode;
    };
    // Most rows have one holder and nobody waiting: small_vector keeps that holder inline and an empty
    // queue allocates nothing (a deque would allocate its first block up front, for every locked row).
    boost::container::small_vector<Holder, 1> holders;
    std::vector<Waiter*> queue;  // arrival order
};

struct LockManager::Waiter {
    LockOwner* owner = nullptr;
    LockMode mode = LockMode::kExclusive;
    Entry* entry = nullptr;
    std::string resource;
    enum class State : uint8_t { kWaiting, kGranted, kDeadlock } state = State::kWaiting;
    std::condition_variable cv;
    std::string what;
    Clock::time_point since;
};

namespace {

bool conflicts(LockMode a, LockMode b) { return a == LockMode::kExclusive || b == LockMode::kExclusive; }

std::string statement_of(const LockOwner& o) { return o.statement ? o.statement() : std::string(); }

}  // namespace

const Clock& LockManager::default_clock() {
    static const SteadyClock clock;
    return clock;
}

LockManager::LockManager(const Clock& clock) : clock_(clock) {}

LockManager::~LockManager() = default;

namespace {

// May `owner` hold the entry in `mode` alongside its current holders (itself excepted)?
template <typename Holders>
bool compatible(const Holders& holders, const LockOwner* owner, LockMode mode) {
    for (const auto& h : holders) {
        if (h.owner != owner && conflicts(h.mode, mode)) return false;
    }
    return true;
}

}  // namespace

Status LockManager::lock(LockOwner& owner, std::string_view resource, LockMode mode, Clock::time_point deadline,
                         const std::function<std::string()>& describe, bool deadlock_detect) {
    std::unique_lock lk(mu_);
    auto& slot = entries_[std::string(resource)];
    if (!slot) slot = std::make_unique<Entry>();
    Entry& e = *slot;
    auto mine = std::find_if(e.holders.begin(), e.holders.end(), [&](const auto& h) { return h.owner == &owner; });
    if (mine != e.holders.end() && (mine->mode == LockMode::kExclusive || mode == LockMode::kShared)) return {};
    auto grant = [&]() {
        auto it = std::find_if(e.holders.begin(), e.holders.end(), [&](const auto& h) { return h.owner == &owner; });
        if (it != e.holders.end()) {
            it->mode = LockMode::kExclusive;  // an upgrade
        } else {
            e.holders.push_back(Entry::Holder{&owner, mode});
            owner.held.emplace_back(resource);
        }
    };
    if (e.queue.empty() && compatible(e.holders, &owner, mode)) {
        grant();
        return {};
    }

    Waiter w;
    w.owner = &owner;
    w.mode = mode;
    w.entry = &e;
    w.resource.assign(resource);
    w.since = clock_.now();
    w.what = describe ? describe() : std::string(resource);
    e.queue.push_back(&w);
    waiting_[&owner] = &w;
    auto give_up = [&]() {
        e.queue.erase(std::find(e.queue.begin(), e.queue.end(), &w));
        waiting_.erase(&owner);
        grant_waiters(e);  // those queued behind this request may go now
        if (e.holders.empty() && e.queue.empty()) entries_.erase(w.resource);
    };

    // This request may close several cycles at once (a resource held by one transaction and queued for by
    // another): each needs a victim. A victim is no edge of the graph any more (it is leaving).
    while (deadlock_detect) {
        auto cycle = find_cycle(&owner);
        if (cycle.empty()) break;
        LockOwner* victim = *std::max_element(cycle.begin(), cycle.end(), [](const LockOwner* a, const LockOwner* b) {
            return a->txn_id < b->txn_id;
        });
        std::string parties;
        for (const LockOwner* o : cycle) {
            parties += " connection " + std::to_string(o->connection_id) + " (" + statement_of(*o) + ")";
            parties += o == cycle.back() ? ";" : " waits for";
        }
        spdlog::warn("deadlock:{} connection {} (youngest) is rolled back", parties, victim->connection_id);
        if (victim == &owner) {
            give_up();
            return make_error(ErrorCode::ER_LOCK_DEADLOCK);
        }
        Waiter* other = waiting_.at(victim);
        other->state = Waiter::State::kDeadlock;
        other->cv.notify_all();
    }

    std::optional<BlockingRegion> blocking;  // from the first wait on: another thread may serve meanwhile
    for (;;) {
        if (w.state == Waiter::State::kGranted) return {};
        if (w.state == Waiter::State::kDeadlock) {
            give_up();
            return make_error(ErrorCode::ER_LOCK_DEADLOCK);
        }
        if (owner.kill && owner.kill->killed()) {
            give_up();
            return make_error(ErrorCode::ER_QUERY_INTERRUPTED);
        }
        if (clock_.now() >= deadline) {
            std::vector<LockOwner*> by;
            blockers(w, by);
            std::string detail;
            if (!by.empty()) {
                detail = "blocked by connection " + std::to_string(by[0]->connection_id) + ": " + statement_of(*by[0]);
            }
            give_up();
            return detail.empty() ? make_error(ErrorCode::ER_LOCK_WAIT_TIMEOUT)
                                  : make_error_with_detail(ErrorCode::ER_LOCK_WAIT_TIMEOUT, {}, detail);
        }
        // Wake at the deadline itself when it is nearer than the next look at the kill flag.
        auto left = deadline - clock_.now();
        if (!blocking) blocking.emplace();
        w.cv.wait_for(lk, left < kPollInterval ? std::chrono::duration_cast<std::chrono::nanoseconds>(left)
                                               : std::chrono::nanoseconds(kPollInterval));
    }
}

void LockManager::grant_waiters(Entry& e) {
    for (size_t i = 0; i < e.queue.size();) {
        Waiter* w = e.queue[i];
        // A deadlock victim that has not woken yet is leaving: it gets nothing, and those behind it go on.
        if (w->state == Waiter::State::kDeadlock) {
            ++i;
            continue;
        }
        if (!compatible(e.holders, w->owner, w->mode)) break;
        auto it = std::find_if(e.holders.begin(), e.holders.end(), [&](const auto& h) { return h.owner == w->owner; });
        if (it != e.holders.end()) {
            it->mode = LockMode::kExclusive;
        } else {
            e.holders.push_back(Entry::Holder{w->owner, w->mode});
            w->owner->held.push_back(w->resource);
        }
        w->state = Waiter::State::kGranted;
        waiting_.erase(w->owner);  // at once: a granted request is no edge of the waits-for graph
        e.queue.erase(e.queue.begin() + static_cast<std::ptrdiff_t>(i));
        w->cv.notify_all();
    }
}

void LockManager::release_locked(LockOwner& owner, const std::string& resource) {
    auto it = entries_.find(resource);
    if (it == entries_.end()) return;
    Entry& e = *it->second;
    e.holders.erase(std::remove_if(e.holders.begin(), e.holders.end(), [&](const auto& h) { return h.owner == &owner; }),
                    e.holders.end());
    grant_waiters(e);
    if (e.holders.empty() && e.queue.empty()) entries_.erase(it);
}

void LockManager::release_all(LockOwner& owner) {
    std::lock_guard lk(mu_);
    for (const auto& r : owner.held) release_locked(owner, r);
    owner.held.clear();
}

void LockManager::release_after(LockOwner& owner, size_t keep) {
    std::lock_guard lk(mu_);
    while (owner.held.size() > keep) {
        release_locked(owner, owner.held.back());
        owner.held.pop_back();
    }
}

void LockManager::blockers(const Waiter& w, std::vector<LockOwner*>& out) const {
    for (const auto& h : w.entry->holders) {
        if (h.owner != w.owner && conflicts(h.mode, w.mode)) out.push_back(h.owner);
    }
    for (const Waiter* q : w.entry->queue) {
        if (q == &w) break;
        if (q->owner != w.owner && conflicts(q->mode, w.mode)) out.push_back(q->owner);
    }
}

std::vector<LockOwner*> LockManager::find_cycle(LockOwner* start) const {
    // Depth-first over waits-for edges; the path from `start` is the cycle when an edge leads back to it.
    std::vector<LockOwner*> path{start};
    std::vector<std::vector<LockOwner*>> next(1);
    std::unordered_set<const LockOwner*> seen{start};
    blockers(*waiting_.at(start), next[0]);
    while (!path.empty()) {
        if (next.back().empty()) {
            path.pop_back();
            next.pop_back();
            continue;
        }
        LockOwner* o = next.back().back();
        next.back().pop_back();
        if (o == start) return path;
        if (!seen.insert(o).second) continue;
        auto it = waiting_.find(o);
        // Running, not waiting, or a deadlock victim about to leave: no edge out.
        if (it == waiting_.end() || it->second->state == Waiter::State::kDeadlock) continue;
        path.push_back(o);
        next.emplace_back();
        blockers(*it->second, next.back());
    }
    return {};
}

std::vector<LockWait> LockManager::waits() const {
    std::lock_guard lk(mu_);
    std::vector<LockWait> out;
    for (const auto& [owner, w] : waiting_) {
        std::vector<LockOwner*> by;
        blockers(*w, by);
        LockWait lw;
        lw.waiting_connection = owner->connection_id;
        if (!by.empty()) {
            lw.blocking_connection = by[0]->connection_id;
            lw.blocking_statement = statement_of(*by[0]);
        }
        lw.what = w->what;
        lw.resource = w->resource;
        lw.since = w->since;
        out.push_back(std::move(lw));
    }
    return out;
}

std::vector<LockHolding> LockManager::holdings(std::string_view prefix) const {
    std::lock_guard lk(mu_);
    std::vector<LockHolding> out;
    for (const auto& [resource, e] : entries_) {
        if (!resource.starts_with(prefix)) continue;
        for (const auto& h : e->holders) {
            out.push_back(LockHolding{resource, h.mode, h.owner->connection_id, statement_of(*h.owner)});
        }
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.resource < b.resource; });
    return out;
}

size_t LockManager::locked_resources() const {
    std::lock_guard lk(mu_);
    return entries_.size();
}

}  // namespace floe::locking
