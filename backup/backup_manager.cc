#include "backup/backup_manager.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <filesystem>
#include <mutex>

#include "backup/backup_path.h"
#include "backup/rocks_backup.h"
#include "backup/split_partitions.h"
#include "storage/database.h"
#include "storage/storage_engine.h"

namespace floe::backup {

namespace fs = std::filesystem;

namespace {

int64_t now_us() {
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// A backup directory's complete backups with their manifests (none when it does not exist).
struct DirectoryContents {
    std::vector<BackupEntry> backups;
    std::vector<Result<BackupManifest>> manifests;  // one per backup
    bool foreign_files = false;                      // entries BackupEngine did not make
};

Result<DirectoryContents> inspect(const fs::path& dir) {
    DirectoryContents out;
    std::error_code ec;
    if (!fs::exists(dir, ec)) return out;
    if (!fs::is_directory(dir, ec)) {
        return make_error(ErrorCode::ER_INTERNAL_ERROR, {"it is a file, not a directory"});
    }
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        auto name = entry.path().filename().string();
        if (name != "meta" && name != "private" && name != "shared" && name != "shared_checksum") out.foreign_files = true;
    }
    if (out.foreign_files) return out;
    out.backups = FLOE_TRY(list_backups(dir.string()));
    for (const auto& b : out.backups) out.manifests.push_back(decode_manifest(b.app_metadata));
    return out;
}

std::string join_tags(const std::vector<std::string>& tags) {
    std::string out;
    for (const auto& t : tags) out += (out.empty() ? "" : ",") + t;
    return out;
}

}  // namespace

Result<std::unique_ptr<BackupManager>> BackupManager::open(storage::StorageEngine& storage, std::string server_version) {
    std::unique_ptr<BackupManager> manager(new BackupManager(storage, std::move(server_version)));
    manager->history_ = FLOE_TRY(BackupHistory::open(storage.system()));
    return manager;
}

Result<uint64_t> BackupManager::backup(const BackupRequest& request) {
    auto fail_early = [&](std::string_view why) {
        return make_error(ErrorCode::ER_FLOE_BACKUP, {request.database, request.path, why});
    };
    fs::path dir = FLOE_TRY(resolve_backup_path(request.backup_dir, request.path));
    auto db = storage_.database(request.database);
    if (!db) return make_error(ErrorCode::ER_BAD_DB_ERROR, {request.database});
    // One backup writes to a directory at a time (BackupEngine's files are not for two writers).
    {
        std::lock_guard lock(paths_mu_);
        if (!busy_paths_.insert(dir.string()).second) {
            return fail_early("another backup is writing to that directory now");
        }
    }
    struct PathRelease {
        BackupManager* self;
        std::string path;
        ~PathRelease() {
            std::lock_guard lock(self->paths_mu_);
            self->busy_paths_.erase(path);
        }
    } path_release{this, dir.string()};
    auto contents = inspect(dir);
    if (!contents.ok()) return fail_early(contents.error().message);
    if (contents->foreign_files) return fail_early("the directory holds files that are not a floe backup; choose an empty directory");
    if (request.type == BackupType::kIncrDiff) {
        const auto& m = contents->manifests;
        if (m.empty() || !m.back().ok() || !is_incremental(m.back()->type)) {
            return fail_early("it holds no incremental backup set; start one with BACKUP ... WITH INIT");
        }
        if (m.back()->database.name != request.database) {
            return fail_early("its incremental set is of database '" + m.back()->database.name + "'");
        }
    } else if (!contents->backups.empty()) {
        return fail_early("the directory already holds a backup; choose an empty directory (or add to an incremental "
                          "set with WITH DIFFERENTIAL)");
    }

    BackupRecord record;
    record.backup_id = history_->allocate_id();
    record.database = request.database;
    record.start_us = now_us();
    record.num_partitions = db->partitions() * (request.type == BackupType::kSplitPartitions ? request.split_factor : 1);
    record.path = dir.string();
    record.status = "Running";
    record.type = request.type;
    if (is_incremental(request.type)) record.incr_backup_id = record.backup_id;
    record.tags = join_tags(request.tags);
    record.server_version = server_version_;
    record.implementation = std::string(implementation_name(request.implementation));
    FLOE_CHECK(history_->put(record));
    auto progress = board_.enter(record.backup_id, request.database, record.path);
    spdlog::info("backup {} of database {} to {} started ({}, {})", record.backup_id, request.database, record.path,
                 backup_type_name(request.type), record.implementation);

    auto result = run_backup(request, *db, record, *progress);
    record.end_us = now_us();
    if (result.ok()) {
        record.status = "Success";
        spdlog::info("backup {} of database {} finished: {} bytes stored, commit point {}", record.backup_id,
                     request.database, record.size, record.lockfree_timestamp.value_or(0));
    } else {
        record.status = "Failure";
        record.error_code = result.error().number();
        record.error_message = result.error().message;
        spdlog::warn("backup {} of database {} failed: {}", record.backup_id, request.database, record.error_message);
    }
    auto saved = history_->put(record);
    if (!result.ok()) return result;
    if (!saved.ok()) return std::move(saved).error();
    return record.backup_id;
}

Result<uint64_t> BackupManager::run_backup(const BackupRequest& request, storage::Database& db, BackupRecord& record,
                                          BackupProgress& progress) {
    auto deadline = request.timeout_ms ? std::optional(std::chrono::steady_clock::now() +
                                                       std::chrono::milliseconds(*request.timeout_ms))
                                       : std::nullopt;
    auto timed_out = [&] { return deadline && std::chrono::steady_clock::now() >= *deadline; };
    auto killed = [&] { return request.kill && request.kill->killed(); };
    auto failure = [&](std::string_view why) {
        if (killed()) return make_error(ErrorCode::ER_QUERY_INTERRUPTED);
        if (timed_out()) {
            return make_error(ErrorCode::ER_FLOE_BACKUP,
                              {request.database, request.path,
                               "it did not finish within TIMEOUT " + std::to_string(*request.timeout_ms) + " ms"});
        }
        return make_error(ErrorCode::ER_FLOE_BACKUP, {request.database, request.path, why});
    };
    // The snapshot: a checkpoint (hard links, a moment's work), or the split copy read at one snapshot.
    std::string work = storage_.scratch_dir("backup-" + std::to_string(record.backup_id));
    struct Cleanup {
        std::string dir;
        ~Cleanup() {
            std::error_code ec;
            fs::remove_all(dir, ec);
        }
    } cleanup{work};
    progress.set_step("Snapshot");
    FLOE_CHECK(request.before_snapshot());
    if (request.type == BackupType::kSplitPartitions) {
        auto copied = write_split_copy(storage_, db, request.split_factor, work, request.snapshot_taken,
                                       [&] { return killed() || timed_out(); });
        if (!copied.ok()) return failure(copied.error().message);
    } else {
        auto taken = take_checkpoint(db.rocks(), work);
        if (!taken.ok()) return failure(taken.error().message);
        FLOE_CHECK(request.snapshot_taken());
    }
    if (killed() || timed_out()) return failure("stopped");

    progress.bytes_total = directory_bytes(work);
    progress.set_step("Copying");
    BackupManifest manifest;
    manifest.backup_id = record.backup_id;
    manifest.type = request.type;
    manifest.database = db.schema();
    manifest.database.partitions = static_cast<uint16_t>(record.num_partitions);
    manifest.source_partitions = db.partitions();
    manifest.implementation = request.implementation;
    manifest.server_version = server_version_;
    manifest.tags = request.tags;

    CopyControl control;
    control.max_bytes_per_sec = request.max_bytes_per_sec;
    control.should_stop = [&] { return killed() || timed_out(); };
    auto last_log = std::chrono::steady_clock::now();
    control.on_progress = [&](uint64_t bytes) {
        progress.bytes_done = bytes;
        auto now = std::chrono::steady_clock::now();
        if (now - last_log >= std::chrono::seconds(2)) {
            last_log = now;
            auto row = status_row(progress);
            spdlog::info("backup {} of database {}: {}% ({} of {} bytes), about {} s left", row.backup_id, row.database,
                         row.progress, row.bytes_done, row.bytes_total, row.est_seconds_remaining);
        }
    };
    auto stored = store_backup(work, record.path, control, [&](uint64_t sequence) -> Result<std::string> {
        manifest.lockfree_timestamp = sequence;
        return encode_manifest(manifest);
    });
    if (!stored.ok()) return failure(stored.error().message);
    progress.bytes_done = progress.bytes_total.load();
    // SingleStore's LOCKFREE_TIMESTAMP is a lock-free backup's commit point (NULL for a locking one).
    if (request.implementation == BackupImplementation::kLockfree) record.lockfree_timestamp = stored->sequence;
    record.size = stored->added_bytes;
    record.checksum = stored->checksum;
    return record.backup_id;
}

Status BackupManager::restore(const RestoreRequest& request) {
    std::string target = request.as.empty() ? request.database : request.as;
    auto refuse = [&](std::string_view why) {
        return make_error(ErrorCode::ER_FLOE_RESTORE, {target, request.path, why});
    };
    fs::path dir = FLOE_TRY(resolve_backup_path(request.backup_dir, request.path));
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return refuse("there is no backup directory at " + dir.string());
    auto contents = inspect(dir);
    if (!contents.ok()) return refuse(contents.error().message);
    if (contents->foreign_files) return refuse("it is not a floe backup directory");
    if (contents->backups.empty()) {
        return refuse("it holds no complete backup (a backup cut short leaves none; restore from another directory)");
    }
    // Which backup: WITH FILE = id names one of an incremental set; otherwise the latest.
    std::optional<size_t> chosen;
    for (size_t i = 0; i < contents->backups.size(); ++i) {
        const auto& m = contents->manifests[i];
        if (!m.ok()) return refuse(m.error().message);
        if (!request.file || m->backup_id == *request.file) chosen = i;
    }
    if (!chosen) return refuse("it holds no backup with FILE = " + std::to_string(*request.file));
    const BackupManifest& manifest = *contents->manifests[*chosen];
    if (manifest.database.name != request.database) {
        return refuse("it holds a backup of database '" + manifest.database.name + "', not '" + request.database + "'");
    }
    if (storage_.database(target)) return make_error(ErrorCode::ER_DB_CREATE_EXISTS, {target});
    uint32_t engine_id = contents->backups[*chosen].engine_id;
    if (auto verified = verify_backup(dir.string(), engine_id); !verified.ok()) return refuse(verified.error().message);

    std::string work = storage_.scratch_dir("restore-" + std::to_string(next_restore_.fetch_add(1)));
    if (auto restored = restore_backup(dir.string(), engine_id, work); !restored.ok()) {
        fs::remove_all(work, ec);
        return refuse(restored.error().message);
    }
    storage::DatabaseSchema schema = manifest.database;
    schema.name = target;
    auto adopted = storage_.adopt_database(schema, work);
    if (!adopted.ok()) {
        if (adopted.error().code == ErrorCode::ER_DB_CREATE_EXISTS) return adopted;
        return refuse(adopted.error().message);
    }
    spdlog::info("database {} restored from {} (backup {}, commit point {})", target, dir.string(), manifest.backup_id,
                 manifest.lockfree_timestamp);
    return {};
}

}  // namespace floe::backup
