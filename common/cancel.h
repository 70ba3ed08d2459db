// KillFlag: how KILL QUERY / KILL CONNECTION reach a running statement. Long work and every wait poll it.
// Thread-safety: all members are atomics; any thread may set, any thread may read.
#pragma once

#include <atomic>
#include <cstdint>

namespace floe {

enum class KillLevel : uint8_t { kNone = 0, kQuery = 1, kConnection = 2 };

class KillFlag {
public:
    void kill(KillLevel level) {
        auto cur = level_.load();
        while (static_cast<uint8_t>(cur) < static_cast<uint8_t>(level) &&
               !level_.compare_exchange_weak(cur, level)) {
        }
    }
    KillLevel level() const { return level_.load(std::memory_order_relaxed); }
    bool killed() const { return level() != KillLevel::kNone; }
    // A new statement starts: a pending KILL QUERY has done its work; KILL CONNECTION stays.
    void reset_query() {
        auto expected = KillLevel::kQuery;
        level_.compare_exchange_strong(expected, KillLevel::kNone);
    }

private:
    std::atomic<KillLevel> level_{KillLevel::kNone};
};

}  // namespace floe
