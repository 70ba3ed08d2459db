// BACKUP / RESTORE DATABASE (SPEC §7): the statement side. Locks and the write gate are taken here (see
// sql/operation_lock.h); backup/BackupManager does the work and keeps the history.
#include "common/debug_sync.h"
#include "sql/engine.h"
#include "sql/exec/executor.h"
#include "sql/exec/result_builder.h"
#include "sql/operation_lock.h"
#include "sql/session.h"

namespace floe::sql {

namespace {

bool global_flag(Engine& engine, std::string_view name) {
    return engine.variables().get(*find_variable(name)).to_int() != 0;
}

backup::BackupType backup_type(BackupStmt::Mode mode) {
    switch (mode) {
        case BackupStmt::Mode::kInit: return backup::BackupType::kIncrInit;
        case BackupStmt::Mode::kDifferential: return backup::BackupType::kIncrDiff;
        case BackupStmt::Mode::kSplitPartitions: return backup::BackupType::kSplitPartitions;
        case BackupStmt::Mode::kFull: break;
    }
    return backup::BackupType::kFull;
}

}  // namespace

Result<StatementResult> execute_backup(Session& session, BackupStmt& s) {
    Engine& engine = session.engine();
    // Lock-free unless turned off, unless UPDATE / DELETE may commit partition by partition (a snapshot could see
    // half of one), and never for SPLIT PARTITIONS (seeds/001).
    bool locking = !global_flag(engine, "lockfree_backup") ||
                   global_flag(engine, "disable_update_delete_distributed_transactions") ||
                   s.mode == BackupStmt::Mode::kSplitPartitions;
    OperationLock locks(engine, session);
    FLOE_CHECK(locks.acquire_backup(s.db, locking));

    backup::BackupRequest request;
    request.database = s.db;
    request.type = backup_type(s.mode);
    request.split_factor = s.split_factor;
    request.path = s.path;
    request.backup_dir = engine.variables().get(*find_variable("backup_dir")).to_text();
    request.timeout_ms = s.timeout_ms;
    request.tags = s.tags;
    request.implementation = locking ? backup::BackupImplementation::kLocking : backup::BackupImplementation::kLockfree;
    request.max_bytes_per_sec =
        static_cast<uint64_t>(engine.variables().get(*find_variable("backup_max_bytes_per_sec")).to_int());
    request.kill = &session.kill_flag();
    if (locking) request.before_snapshot = [&] { return locks.close_write_gate(); };
    request.snapshot_taken = [&, locking] {
        if (locking) locks.open_write_gate();
        return debug_sync("backup_snapshot_taken");  // tests hold a backup here, its snapshot taken
    };
    uint64_t id = FLOE_TRY(engine.backups().backup(request));

    ResultSet rs;
    rs.columns.push_back(bigint_column("BACKUP_ID", true));
    rs.rows.push_back({Value::from_uint(id)});
    return wrap(std::move(rs));
}

Result<StatementResult> execute_restore(Session& session, RestoreStmt& s) {
    Engine& engine = session.engine();
    backup::RestoreRequest request;
    request.database = s.db;
    request.as = s.as;
    request.path = s.path;
    request.backup_dir = engine.variables().get(*find_variable("backup_dir")).to_text();
    request.file = s.file;
    FLOE_CHECK(engine.backups().restore(request));
    return ok_result();
}

}  // namespace floe::sql
