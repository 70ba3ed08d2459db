// BACKUP ... WITH SPLIT PARTITIONS: the one logical backup path (ARCHITECTURE "Storage mapping"). Every row of
// the database, read at one snapshot, is written again into a staging instance with `factor` times the
// partitions (each row's partition recomputed from its shard key by the normal write path, indexes rebuilt);
// the staging instance is then backed up like any other.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "common/result.h"

namespace floe::storage {
class StorageEngine;
class Database;
}  // namespace floe::storage

namespace floe::backup {

// Writes the staging instance into `dir` (which must not exist) and closes it. `snapshot_taken` runs once the
// snapshot is fixed, before any row is copied; `should_stop` is looked at between batches of rows (1317).
Status write_split_copy(storage::StorageEngine& engine, storage::Database& source, uint16_t factor,
                        const std::string& dir, const std::function<Status()>& snapshot_taken,
                        const std::function<bool()>& should_stop);

}  // namespace floe::backup
