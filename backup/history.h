// Backup history (information_schema.MV_BACKUP_HISTORY): one record per BACKUP attempt, failures included,
// kept in the system instance so it survives restarts. A record is written when the backup starts (status
// Running) and rewritten when it ends; a Running record found at start-up belongs to a backup the server did
// not live to finish, and becomes a Failure.
//
// Key "backup/history/<backup id, 20 digits>"; value (integers varints, strings varint length + bytes):
//   [format u8 = 1] backup_id database start_us end_us num_partitions path checksum status size
//   flags(bit0 has incr_backup_id, bit1 has lockfree_timestamp) incr_backup_id type tags server_version
//   implementation lockfree_timestamp error_code error_message
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "backup/manifest.h"
#include "common/result.h"

namespace floe::storage {
class SystemStore;
}

namespace floe::backup {

struct BackupRecord {
    uint64_t backup_id = 0;
    std::string database;
    int64_t start_us = 0;  // microseconds since the epoch (UTC)
    int64_t end_us = 0;    // 0 while running
    uint32_t num_partitions = 0;
    std::string path;      // the resolved directory
    std::string checksum;  // CRC32C over the backup's files' checksums, 8 hex digits
    std::string status;    // Running, Success, Failure
    uint64_t size = 0;     // bytes this backup added to its directory
    std::optional<uint64_t> incr_backup_id;
    BackupType type = BackupType::kFull;
    std::string tags;      // as given, comma separated
    std::string server_version;
    std::string implementation;  // Lockfree / Locking
    std::optional<uint64_t> lockfree_timestamp;
    uint32_t error_code = 0;
    std::string error_message;
};

std::string encode_backup_record(const BackupRecord& record);
Result<BackupRecord> decode_backup_record(std::string_view bytes);

class BackupHistory {
public:
    // Reads the history; Running records (a backup the server did not finish) become Failures.
    static Result<std::unique_ptr<BackupHistory>> open(storage::SystemStore& store);
    // Every record, oldest first.
    Result<std::vector<BackupRecord>> all() const;
    Status put(const BackupRecord& record);
    // The next BACKUP_ID: one more than any recorded.
    uint64_t allocate_id();

private:
    explicit BackupHistory(storage::SystemStore& store) : store_(store) {}
    storage::SystemStore& store_;
    std::mutex mu_;
    uint64_t next_id_ = 1;
};

}  // namespace floe::backup
