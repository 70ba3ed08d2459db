// What floe records inside each backup (BackupEngine's app metadata, written with the backup's meta file,
// which BackupEngine writes last and renames into place: a backup without it does not exist). It makes a
// backup directory self-describing: which database, its partitions and collation, the commit point, how it
// was taken.
//
// Layout (integers varints, strings varint length + bytes, as storage/record_codec.h):
//   [format u8 = 1] backup_id type database(encode_database bytes) source_partitions lockfree_timestamp
//   implementation(1 lockfree, 2 locking) server_version n_tags tag*
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "storage/schema.h"

namespace floe::backup {

// MV_BACKUP_HISTORY.TYPE. The numbers are part of the manifest and history formats: never renumber.
enum class BackupType : uint8_t { kFull = 1, kIncrInit = 2, kIncrDiff = 3, kSplitPartitions = 4 };
std::string_view backup_type_name(BackupType type);
bool is_incremental(BackupType type);

enum class BackupImplementation : uint8_t { kLockfree = 1, kLocking = 2 };
std::string_view implementation_name(BackupImplementation implementation);

struct BackupManifest {
    uint64_t backup_id = 0;  // the server's BACKUP_ID (also the INCR_BACKUP_ID of an incremental backup)
    BackupType type = BackupType::kFull;
    storage::DatabaseSchema database;  // as it restores (a split backup: twice the source's partitions)
    uint16_t source_partitions = 0;
    uint64_t lockfree_timestamp = 0;   // the commit point: the last sequence number the backup holds
    BackupImplementation implementation = BackupImplementation::kLockfree;
    std::string server_version;
    std::vector<std::string> tags;
};

std::string encode_manifest(const BackupManifest& manifest);
// 7006-free: a plain "why" for the caller's message (foreign or damaged metadata).
Result<BackupManifest> decode_manifest(std::string_view bytes);

}  // namespace floe::backup
