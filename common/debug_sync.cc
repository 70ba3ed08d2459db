#include "common/debug_sync.h"

#include <spdlog/spdlog.h>

#include <cctype>

namespace floe {

namespace detail {
constinit thread_local const DebugSyncContext* debug_sync_context = nullptr;

Status debug_sync_slow(std::string_view point) {
    const DebugSyncContext* ctx = debug_sync_context;
    DebugSyncAction action;
    if (!ctx->actions || !ctx->actions->take(point, action)) return {};
    return run_debug_sync_action(action, point, *ctx);
}
}  // namespace detail

void DebugSyncHub::signal(const std::string& name) {
    {
        std::lock_guard lock(mu_);
        signals_.insert(name);
    }
    cv_.notify_all();
}

DebugSyncHub::WaitEnd DebugSyncHub::wait_for(const std::string& name, std::chrono::milliseconds timeout,
                                             const KillFlag* kill) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    std::unique_lock lock(mu_);
    for (;;) {
        if (auto it = signals_.find(name); it != signals_.end()) {
            signals_.erase(it);
            return WaitEnd::kSignalled;
        }
        if (kill && kill->killed()) return WaitEnd::kKilled;
        auto now = std::chrono::steady_clock::now();
        if (now >= deadline) return WaitEnd::kTimedOut;
        // Kills are not notified here: look at the flag every few milliseconds.
        cv_.wait_for(lock, std::min<std::chrono::steady_clock::duration>(deadline - now, std::chrono::milliseconds(10)));
    }
}

void DebugSyncHub::clear() {
    std::lock_guard lock(mu_);
    signals_.clear();
}

std::vector<std::string> DebugSyncHub::signals() const {
    std::lock_guard lock(mu_);
    return {signals_.begin(), signals_.end()};
}

namespace {

// Words of an action text: identifiers, numbers and quoted names.
std::vector<std::string> words_of(std::string_view text) {
    std::vector<std::string> out;
    size_t i = 0;
    while (i < text.size()) {
        if (std::isspace(static_cast<unsigned char>(text[i]))) {
            ++i;
            continue;
        }
        if (text[i] == '\'' || text[i] == '"') {
            char q = text[i++];
            size_t end = text.find(q, i);
            if (end == std::string_view::npos) end = text.size();
            out.emplace_back(text.substr(i, end - i));
            i = end + 1;
            continue;
        }
        size_t start = i;
        while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
        out.emplace_back(text.substr(start, i - start));
    }
    return out;
}

bool word_is(const std::string& w, std::string_view keyword) {
    if (w.size() != keyword.size()) return false;
    for (size_t i = 0; i < w.size(); ++i) {
        if (std::toupper(static_cast<unsigned char>(w[i])) != keyword[i]) return false;
    }
    return true;
}

Error bad_text(std::string_view text) {
    return make_error(ErrorCode::ER_WRONG_ARGUMENTS, {"DEBUG_SYNC ('" + std::string(text) + "')"});
}

}  // namespace

Status DebugSyncActions::apply(std::string_view text, const DebugSyncContext& ctx) {
    auto words = words_of(text);
    if (words.empty()) return bad_text(text);
    if (words.size() == 1 && word_is(words[0], "RESET")) {
        points_.clear();
        ctx.hub->clear();
        return {};
    }
    const std::string& point = words[0];
    if (words.size() == 2 && word_is(words[1], "CLEAR")) {
        points_.erase(point);
        return {};
    }
    DebugSyncAction action;
    size_t i = 1;
    auto number = [&](uint64_t& out) -> bool {
        if (i >= words.size()) return false;
        try {
            size_t used = 0;
            out = std::stoull(words[i], &used);
            if (used != words[i].size()) return false;
        } catch (...) {
            return false;
        }
        ++i;
        return true;
    };
    while (i < words.size()) {
        const std::string& w = words[i++];
        if (word_is(w, "SIGNAL") && i < words.size()) {
            action.signal = words[i++];
        } else if (word_is(w, "WAIT_FOR") && i < words.size()) {
            action.wait_for = words[i++];
        } else if (word_is(w, "TIMEOUT") && !action.wait_for.empty()) {
            uint64_t n = 0;
            if (!number(n)) return bad_text(text);
            action.timeout = std::chrono::seconds(n);
        } else if (word_is(w, "EXECUTE")) {
            uint64_t n = 0;
            if (!number(n) || n == 0) return bad_text(text);
            action.execute = static_cast<uint32_t>(n);
        } else {
            return bad_text(text);
        }
    }
    if (action.signal.empty() && action.wait_for.empty()) return bad_text(text);
    if (word_is(point, "NOW")) return run_debug_sync_action(action, "now", ctx);
    points_[point] = std::move(action);
    return {};
}

bool DebugSyncActions::take(std::string_view point, DebugSyncAction& out) {
    auto it = points_.find(point);
    if (it == points_.end()) return false;
    out = it->second;
    if (--it->second.execute == 0) points_.erase(it);
    return true;
}

Status run_debug_sync_action(const DebugSyncAction& action, std::string_view point, const DebugSyncContext& ctx) {
    spdlog::debug("debug sync point {}: signal '{}' wait_for '{}'", point, action.signal, action.wait_for);
    if (!action.signal.empty()) ctx.hub->signal(action.signal);
    if (action.wait_for.empty()) return {};
    if (ctx.set_state) ctx.set_state("debug sync point: " + std::string(point));
    auto timeout = action.timeout.count() > 0 ? action.timeout : ctx.default_timeout;
    auto end = ctx.hub->wait_for(action.wait_for, timeout, ctx.kill);
    if (ctx.set_state) ctx.set_state("");
    switch (end) {
        case DebugSyncHub::WaitEnd::kSignalled: return {};
        case DebugSyncHub::WaitEnd::kKilled: return make_error(ErrorCode::ER_QUERY_INTERRUPTED);
        case DebugSyncHub::WaitEnd::kTimedOut:
            spdlog::warn("debug sync point {}: wait for '{}' timed out", point, action.wait_for);
            if (ctx.warn) ctx.warn("debug sync point wait timed out");
            return {};
    }
    return {};
}

DebugSyncScope::DebugSyncScope(const DebugSyncContext* ctx) : saved_(detail::debug_sync_context) {
    detail::debug_sync_context = ctx;
}

DebugSyncScope::~DebugSyncScope() { detail::debug_sync_context = saved_; }

}  // namespace floe
