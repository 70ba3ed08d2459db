// The RocksDB side of BACKUP / RESTORE: a checkpoint of the live instance (the snapshot point), then
// rocksdb::BackupEngine copying that checkpoint into the backup directory (checksummed files, incremental sets
// sharing unchanged files, rate limit, stop), and BackupEngineReadOnly verifying and restoring.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/result.h"

namespace rocksdb {
class DB;
}

namespace floe::backup {

// A checkpoint of `live` in `dir` (which must not exist): SST files hard-linked, the rest copied; RocksDB makes
// it an openable, consistent image of the instance at one point, taken without stopping writers.
Status take_checkpoint(rocksdb::DB* live, const std::string& dir);

// How a copy is controlled while it runs (polled by a watcher thread every few milliseconds).
struct CopyControl {
    uint64_t max_bytes_per_sec = 0;            // 0: no limit
    std::function<bool()> should_stop;         // KILL QUERY, TIMEOUT: the copy stops, the backup does not exist
    std::function<void(uint64_t)> on_progress;  // bytes written to the backup directory so far
};

struct StoredBackup {
    uint32_t engine_id = 0;       // BackupEngine's number within the directory
    uint64_t sequence = 0;        // the last sequence number (commit point) the backup holds
    uint64_t added_bytes = 0;     // what the directory grew by
    std::string checksum;         // CRC32C over the files' own checksums (8 hex digits)
};

// Backs up the instance in `source_dir` (a checkpoint or a staging instance nobody writes to) into the
// BackupEngine directory `target_dir`. `before_copy(sequence)` runs after the source is opened and before any
// byte is copied, and returns the backup's app metadata (an error cancels the backup). A backup that fails or is
// stopped leaves no backup behind (BackupEngine writes a backup's meta file last; its partial files are
// removed). Errors: a plain reason for the caller's message.
Result<StoredBackup> store_backup(const std::string& source_dir, const std::string& target_dir,
                                  const CopyControl& control,
                                  const std::function<Result<std::string>(uint64_t)>& before_copy);

// One complete backup in a directory.
struct BackupEntry {
    uint32_t engine_id = 0;
    int64_t timestamp = 0;
    uint64_t size = 0;
    std::string app_metadata;
};
// The complete backups in `dir`, oldest first (an empty list when it holds none).
Result<std::vector<BackupEntry>> list_backups(const std::string& dir);
// Re-reads every file of backup `engine_id` and checks its size and CRC32C against the backup's record.
Status verify_backup(const std::string& dir, uint32_t engine_id);
// Writes backup `engine_id` out as an instance in `target_dir` (checksums verified again as it copies).
Status restore_backup(const std::string& dir, uint32_t engine_id, const std::string& target_dir);

// Total bytes of the regular files under `dir` (0 when it does not exist).
uint64_t directory_bytes(const std::string& dir);

}  // namespace floe::backup
