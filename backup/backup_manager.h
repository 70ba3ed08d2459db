// BackupManager: BACKUP and RESTORE of one database (SPEC §7), their history and live status. Locks are the
// caller's (sql/ holds the backup's locks around backup(), see docs/locking.md); the manager runs the work:
// resolve the path under backup_dir, check what the directory holds, take the snapshot (a RocksDB checkpoint,
// or for SPLIT PARTITIONS a re-keyed copy read at one snapshot), copy it with BackupEngine, record the result.
// Thread-safety: any number of backups and restores may run at once (of different databases / directories).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "backup/backup_status.h"
#include "backup/history.h"
#include "backup/manifest.h"
#include "common/cancel.h"
#include "common/result.h"

namespace floe::storage {
class StorageEngine;
class Database;
}  // namespace floe::storage

namespace floe::backup {

struct BackupRequest {
    std::string database;
    BackupType type = BackupType::kFull;
    uint16_t split_factor = 2;
    std::string path;        // as the statement wrote it
    std::string backup_dir;  // the backup_dir variable
    std::optional<uint64_t> timeout_ms;
    std::vector<std::string> tags;
    BackupImplementation implementation = BackupImplementation::kLockfree;
    uint64_t max_bytes_per_sec = 0;
    const KillFlag* kill = nullptr;
    // Around the snapshot: a locking backup holds writers back from before_snapshot to snapshot_taken;
    // snapshot_taken is also where tests hold a backup (debug sync). Both run on the calling thread.
    std::function<Status()> before_snapshot = [] { return Status{}; };
    std::function<Status()> snapshot_taken = [] { return Status{}; };
};

struct RestoreRequest {
    std::string database;  // the database the backup holds
    std::string as;        // the new name; empty: the same
    std::string path;
    std::string backup_dir;
    std::optional<uint64_t> file;  // WITH FILE = incr_backup_id; none: the latest backup in the directory
};

class BackupManager {
public:
    // Reads the history (a backup the server did not finish becomes a Failure).
    static Result<std::unique_ptr<BackupManager>> open(storage::StorageEngine& storage, std::string server_version);

    // Returns the BACKUP_ID. Errors: 1049 unknown database, 7004 path refused, 7005 the backup failed (with
    // why), 1317 killed. Every attempt that got a BACKUP_ID leaves a history record.
    Result<uint64_t> backup(const BackupRequest& request);
    // Errors: 7004 path refused, 7006 nothing restorable (no complete backup, damaged, foreign, no such FILE),
    // 1007 the target database exists. Nothing is created unless everything verified.
    Status restore(const RestoreRequest& request);

    Result<std::vector<BackupRecord>> history() const { return history_->all(); }
    std::vector<BackupStatusRow> status() const { return board_.rows(); }

private:
    BackupManager(storage::StorageEngine& storage, std::string server_version)
        : storage_(storage), server_version_(std::move(server_version)) {}
    Result<uint64_t> run_backup(const BackupRequest& request, storage::Database& db, BackupRecord& record,
                                BackupProgress& progress);

    storage::StorageEngine& storage_;
    std::string server_version_;
    std::unique_ptr<BackupHistory> history_;
    BackupStatusBoard board_;
    std::mutex paths_mu_;
    std::set<std::string> busy_paths_;  // directories a backup is writing to now (one writer per directory)
    std::atomic<uint64_t> next_restore_{1};  // names restores' work directories
};

}  // namespace floe::backup
