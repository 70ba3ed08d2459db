#include "sql/session_transaction.h"

#include <strings.h>

#include <spdlog/spdlog.h>

#include "sql/engine.h"
#include "sql/session.h"
#include "storage/database.h"
#include "storage/storage_engine.h"

namespace floe::sql {

SessionTransaction::SessionTransaction(Engine& engine, Session& session) : engine_(engine), session_(session) {
    owner_.connection_id = session.id();
    owner_.kill = &session.kill_flag();
    owner_.statement = [&session] { return session.transaction_statement(); };
    locks_.manager = &engine.locks();
    locks_.owner = &owner_;
}

SessionTransaction::~SessionTransaction() { rollback(); }

void SessionTransaction::start(bool lasting, Isolation isolation, bool read_only) {
    if (active_) rollback();
    owner_.txn_id = engine_.next_transaction_id();
    isolation_ = isolation;
    lasting_ = lasting;
    read_only_ = read_only;
    active_ = true;
}

void SessionTransaction::end() {
    parts_.clear();
    savepoints_.clear();
    engine_.locks().release_all(owner_);
    active_ = false;
    lasting_ = false;
    read_only_ = false;
    in_statement_ = false;
    current_reads_ = false;
    statement_locks_ = 0;
}

Status SessionTransaction::commit(bool by_partition) {
    Status result;
    for (auto& p : parts_) {
        if (!p.writing || !p.txn->has_writes()) continue;
        if (by_partition) {
            result = p.txn->commit_by_partition();
        } else if (session_.defers_syncs()) {
            auto sequence = p.txn->commit_unsynced();
            if (sequence.ok() && *sequence != 0) session_.note_unsynced_commit(p.db, *sequence);
            if (!sequence.ok()) result = sequence.error();
        } else {
            result = p.txn->commit();
        }
        if (!result.ok()) spdlog::error("connection {}: commit failed: {}", session_.id(), result.error().message);
        break;  // at most one part writes (see writer())
    }
    end();
    return result;
}

void SessionTransaction::rollback() {
    if (!active_ && parts_.empty() && owner_.held.empty()) return;
    for (auto& p : parts_) p.txn->rollback();
    end();
}

void SessionTransaction::begin_statement(Clock::time_point lock_deadline, bool deadlock_detect) {
    locks_.deadline = lock_deadline;
    locks_.deadlock_detect = deadlock_detect;
    for (auto& p : parts_) p.txn->begin_statement(isolation_ == Isolation::kReadCommitted);
    statement_locks_ = owner_.held.size();
    statement_parts_ = parts_.size();
    in_statement_ = true;
}

void SessionTransaction::end_statement() {
    if (!in_statement_) return;
    for (auto& p : parts_) {
        p.txn->end_statement();
        p.txn->set_current_reads(false);
    }
    in_statement_ = false;
    current_reads_ = false;
}

void SessionTransaction::fail_statement(const Error& error) {
    if (!in_statement_) return;
    if (error.scope() != ErrorScope::kStatement) {
        rollback();  // 1213: the whole transaction
        return;
    }
    for (auto& p : parts_) {
        p.txn->rollback_statement();
        p.txn->set_current_reads(false);
    }
    // The statement's locks go, among them the database locks of the databases it touched first: those
    // databases leave the transaction (their writes were the statement's, undone above).
    engine_.locks().release_after(owner_, statement_locks_);
    parts_.erase(parts_.begin() + static_cast<std::ptrdiff_t>(statement_parts_), parts_.end());
    in_statement_ = false;
    current_reads_ = false;
}

Result<SessionTransaction::Part*> SessionTransaction::part(const std::shared_ptr<storage::Database>& db) {
    for (auto& p : parts_) {
        if (p.db == db) return &p;
    }
    FLOE_CHECK(storage::lock_database(locks_, *db, locking::LockMode::kShared));
    // Dropped while this waited for it (or before): it is gone.
    if (db->dropped()) return make_error(ErrorCode::ER_BAD_DB_ERROR, {db->name()});
    Part p{db, db->begin(&locks_), false};
    // A database first touched mid-statement: the statement's savepoint starts here too.
    if (in_statement_) p.txn->begin_statement(false);
    p.txn->set_current_reads(current_reads_);
    parts_.push_back(std::move(p));
    return &parts_.back();
}

Result<storage::Transaction*> SessionTransaction::reader(const std::shared_ptr<storage::Database>& db) {
    return FLOE_TRY(part(db))->txn.get();
}

Result<storage::Transaction*> SessionTransaction::writer(const std::shared_ptr<storage::Database>& db) {
    if (read_only_) return make_error(ErrorCode::ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION);
    for (auto& p : parts_) {
        if (p.writing && p.db != db) {
            return make_error(ErrorCode::ER_NOT_SUPPORTED_YET,
                              {"writing to a second database (`" + db->name() + "`) in a transaction that wrote `" +
                               p.db->name() + "`; commit first"});
        }
    }
    Part* p = FLOE_TRY(part(db));
    p->writing = true;
    return p->txn.get();
}

void SessionTransaction::set_current_reads(bool on) {
    current_reads_ = on;
    for (auto& p : parts_) p.txn->set_current_reads(on);
}

Status SessionTransaction::lock_table_exclusive(storage::Database& db, const storage::TableSchema& table) {
    return storage::lock_table(locks_, db, table, locking::LockMode::kExclusive);
}

Status SessionTransaction::lock_database_exclusive(storage::Database& db) {
    return storage::lock_database(locks_, db, locking::LockMode::kExclusive);
}

size_t SessionTransaction::find_savepoint(std::string_view name) const {
    for (size_t i = 0; i < savepoints_.size(); ++i) {
        if (savepoints_[i].name.size() == name.size() &&
            strncasecmp(savepoints_[i].name.data(), name.data(), name.size()) == 0) {
            return i;
        }
    }
    return savepoints_.size();
}

void SessionTransaction::savepoint(std::string_view name) {
    size_t i = find_savepoint(name);
    if (i < savepoints_.size()) (void)release_savepoint(name);  // MySQL: a savepoint of the same name is replaced
    Savepoint sp{std::string(name), {}};
    for (auto& p : parts_) sp.depths.emplace_back(p.db.get(), p.txn->set_savepoint());
    savepoints_.push_back(std::move(sp));
}

Status SessionTransaction::rollback_to_savepoint(std::string_view name) {
    size_t i = find_savepoint(name);
    if (i == savepoints_.size()) return make_error(ErrorCode::ER_SP_DOES_NOT_EXIST, {"SAVEPOINT", name});
    const Savepoint& sp = savepoints_[i];
    for (auto& p : parts_) {
        auto it = std::find_if(sp.depths.begin(), sp.depths.end(), [&](const auto& d) { return d.first == p.db.get(); });
        if (it == sp.depths.end()) {
            p.txn->rollback();  // touched only after the savepoint
        } else {
            p.txn->rollback_to_savepoint(it->second);
        }
    }
    // Locks taken since stay held (as InnoDB does); later savepoints are gone.
    savepoints_.resize(i + 1);
    return {};
}

Status SessionTransaction::release_savepoint(std::string_view name) {
    size_t i = find_savepoint(name);
    if (i == savepoints_.size()) return make_error(ErrorCode::ER_SP_DOES_NOT_EXIST, {"SAVEPOINT", name});
    for (const auto& [db, depth] : savepoints_[i].depths) {
        for (auto& p : parts_) {
            if (p.db.get() == db) p.txn->release_savepoint(depth);
        }
    }
    savepoints_.resize(i);
    return {};
}

}  // namespace floe::sql
