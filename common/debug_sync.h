// Debug sync points, in the style of MySQL's DEBUG_SYNC: code marks named places with debug_sync("name"); a
// session arms a place with `SET debug_sync = 'name SIGNAL s WAIT_FOR t'` so that when *its* statement reaches
// it, it raises signal s and then waits until another session raises t. Tests hold an operation at an exact
// place this way instead of sleeping.
//
// The facility exists only when the server was started with --debug-sync-timeout=N (N > 0, the default
// wait in seconds); otherwise no statement ever installs a context and a point costs one thread-local read.
//
// Action text (one per SET):
//   'point [SIGNAL s] [WAIT_FOR t [TIMEOUT n]] [EXECUTE n]'   arm a point (EXECUTE: how many hits, default 1)
//   'point CLEAR'                                              disarm it
//   'now [SIGNAL s] [WAIT_FOR t [TIMEOUT n]]'                  act at once, in the SET itself
//   'RESET'                                                    disarm all of the session's points, clear signals
// WAIT_FOR consumes the signal it waited for. A wait ends early with 1317 when the session is killed (the
// point then reports it through the context) and at its timeout with a warning.
// Thread-safety: DebugSyncHub is shared and locked; DebugSyncActions belongs to one session.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/cancel.h"
#include "common/result.h"

namespace floe {

// The signals every session sees.
class DebugSyncHub {
public:
    void signal(const std::string& name);
    enum class WaitEnd : uint8_t { kSignalled, kTimedOut, kKilled };
    // Waits until `name` is raised (and consumes it), `kill` is set, or `timeout` passes.
    WaitEnd wait_for(const std::string& name, std::chrono::milliseconds timeout, const KillFlag* kill);
    void clear();
    std::vector<std::string> signals() const;

private:
    mutable std::mutex mu_;
    std::condition_variable cv_;
    std::set<std::string> signals_;
};

// One armed point.
struct DebugSyncAction {
    std::string signal;    // raised on arrival ("" none)
    std::string wait_for;  // then waited for ("" none)
    std::chrono::milliseconds timeout{0};  // 0: the server's default
    uint32_t execute = 1;  // hits left
};

// What a statement's thread needs at a point.
struct DebugSyncContext {
    DebugSyncHub* hub = nullptr;
    class DebugSyncActions* actions = nullptr;
    const KillFlag* kill = nullptr;
    std::chrono::milliseconds default_timeout{300000};
    std::function<void(std::string_view)> set_state;  // PROCESSLIST state while waiting ("" = done)
    std::function<void(std::string)> warn;             // a wait timed out
};

class DebugSyncActions {
public:
    // Applies one action text (see above); a `now` action runs here with `ctx`. 1210 on bad text, 1317 when
    // killed while waiting.
    Status apply(std::string_view text, const DebugSyncContext& ctx);
    // The action armed at `point`, consuming one hit; false when none.
    bool take(std::string_view point, DebugSyncAction& out);
    bool empty() const { return points_.empty(); }

private:
    std::map<std::string, DebugSyncAction, std::less<>> points_;
};

// Runs `action` in `ctx` (raise, then wait). 1317 when killed while waiting.
Status run_debug_sync_action(const DebugSyncAction& action, std::string_view point, const DebugSyncContext& ctx);

// Installs `ctx` as the calling thread's context for its lifetime (nullptr: none).
class DebugSyncScope {
public:
    explicit DebugSyncScope(const DebugSyncContext* ctx);
    ~DebugSyncScope();
    DebugSyncScope(const DebugSyncScope&) = delete;
    DebugSyncScope& operator=(const DebugSyncScope&) = delete;

private:
    const DebugSyncContext* saved_;
};

namespace detail {
// constinit: no dynamic initialisation, so no TLS wrapper call on the fast path.
extern constinit thread_local const DebugSyncContext* debug_sync_context;
Status debug_sync_slow(std::string_view point);
}  // namespace detail

// A sync point. Returns 1317 when the session was killed while held here (callers that can fail pass it on;
// the others ignore it, the kill is seen at the next check).
inline Status debug_sync(std::string_view point) {
    if (detail::debug_sync_context == nullptr) [[likely]] return {};
    return detail::debug_sync_slow(point);
}

}  // namespace floe
