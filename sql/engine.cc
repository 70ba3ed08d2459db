#include "sql/engine.h"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <strings.h>

#include "storage/storage_engine.h"
#include "storage/transaction.h"

namespace floe::sql {

Result<std::unique_ptr<Engine>> Engine::open(const EngineConfig& config) {
    std::unique_ptr<Engine> engine(new Engine());
    for (const auto& [name, text] : config.variables) {
        const VarDef* def = find_variable(name);
        if (!def) return make_error(ErrorCode::ER_UNKNOWN_SYSTEM_VARIABLE, {name});
        engine->variables_.set(*def, FLOE_TRY(parse_variable_text(*def, text)));
    }
    engine->debug_sync_timeout_ =
        std::chrono::seconds(engine->variables_.get(*find_variable("debug_sync_timeout")).to_int());
    if (engine->debug_sync_enabled()) spdlog::warn("debug sync points are on (--debug-sync-timeout): for tests only");
    storage::StorageOptions options;
    options.wal_sync = engine->variables_.get(*find_variable("wal_sync")).to_int() != 0;
    engine->storage_ = FLOE_TRY(storage::StorageEngine::open(config.datadir, options));
    engine->storage_->set_default_rt_mem_limit(
        static_cast<uint64_t>(engine->variables_.get(*find_variable("rt_mem_limit")).to_int()));
    engine->users_ = std::make_unique<UserDirectory>(engine->storage_->system());
    FLOE_CHECK(engine->users_->load(config.root_password, config.default_auth_plugin));
    engine->backups_ = FLOE_TRY(backup::BackupManager::open(
        *engine->storage_, engine->variables_.get(*find_variable("version")).to_text()));
    return engine;
}

Engine::~Engine() {
    // Freezes hold locks in locks_, which goes before storage_: end them first.
    if (storage_) storage_->unfreeze_all();
    backups_.reset();  // refers to storage_
}

int64_t Engine::uptime_seconds() const {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started_at_).count();
}

std::unique_ptr<Session> Engine::open_session(ConnectionInfo info) {
    return std::make_unique<Session>(*this, std::move(info));
}

void Engine::register_session(Session* s) {
    std::lock_guard lock(sessions_mu_);
    sessions_[s->id()] = s;
    uint64_t n = sessions_.size();
    uint64_t seen = counters_.max_used_connections.load();
    while (n > seen && !counters_.max_used_connections.compare_exchange_weak(seen, n)) {
    }
}

void Engine::unregister_session(Session* s) {
    std::lock_guard lock(sessions_mu_);
    sessions_.erase(s->id());
}

size_t Engine::session_count() const {
    std::lock_guard lock(sessions_mu_);
    return sessions_.size();
}

Status Engine::kill(const Session& killer, uint64_t id, KillLevel level) {
    std::lock_guard lock(sessions_mu_);
    auto it = sessions_.find(static_cast<uint32_t>(id));
    if (id > UINT32_MAX || it == sessions_.end()) return make_error(ErrorCode::ER_NO_SUCH_THREAD, {std::to_string(id)});
    Session* target = it->second;
    if (killer.info().user != "root" && target->info().user != killer.info().user) {
        return make_error(ErrorCode::ER_KILL_DENIED_ERROR, {std::to_string(id)});
    }
    target->kill_flag().kill(level);
    spdlog::info("connection {} killed {} of connection {}", killer.id(),
                 level == KillLevel::kQuery ? "the query" : "the connection", id);
    if (level == KillLevel::kConnection) target->close_connection();
    return {};
}

namespace {

// The PROCESSLIST state of a lock wait, by what it waits for (storage::lock_resource_kind).
std::string_view wait_state(const locking::LockWait& w) {
    switch (storage::lock_resource_kind(w.resource)) {
        case 'd': return "Waiting for schema metadata lock";
        case 't': return "Waiting for table metadata lock";
        case 'D': return "Waiting for database lock";
        case 'C': return "Waiting for cluster lock";
        case 'f': return "Waiting for table unfreeze";
        case 'B':
        case 'b':
        case 'G': return "Waiting for backup";
        default: return "Waiting for row lock";
    }
}

std::string_view blocking_type(const locking::LockWait& w) {
    switch (storage::lock_resource_kind(w.resource)) {
        case 'r': return "user transaction row lock";
        case 'D':
        case 'C': return "database cluster operation lock";
        case 'f': return "table freeze";
        case 'B':
        case 'b':
        case 'G': return "backup";
        default: return "ddl lock";
    }
}

}  // namespace

void Engine::finish_syncs() { storage_->wal_syncer().drain(); }

void Engine::kill_all() {
    std::lock_guard lock(sessions_mu_);
    for (const auto& [id, s] : sessions_) s->kill_flag().kill(KillLevel::kConnection);
}

std::vector<ProcessInfo> Engine::process_list() const {
    auto waits = locks_.waits();  // before sessions_mu_: it asks sessions for their statements
    std::lock_guard lock(sessions_mu_);
    std::vector<ProcessInfo> out;
    out.reserve(sessions_.size());
    for (const auto& [id, s] : sessions_) {
        out.push_back(s->process_info());
        for (const auto& w : waits) {
            if (w.waiting_connection == id && out.back().command == "Query") out.back().state = wait_state(w);
        }
    }
    return out;
}

std::vector<Engine::BlockedQuery> Engine::blocked_queries() const {
    auto waits = locks_.waits();
    std::lock_guard lock(sessions_mu_);
    std::vector<BlockedQuery> out;
    for (const auto& w : waits) {
        auto it = sessions_.find(w.waiting_connection);
        if (it == sessions_.end()) continue;
        out.push_back(BlockedQuery{w.waiting_connection, it->second->process_info().info, w.blocking_connection,
                                   std::string(blocking_type(w)), w.blocking_statement});
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    return out;
}

bool Engine::database_exists(std::string_view name) const {
    if (name.size() == 18 && strncasecmp(name.data(), "information_schema", 18) == 0) return true;
    return storage_->database(name) != nullptr;
}

}  // namespace floe::sql
