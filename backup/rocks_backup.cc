#include "backup/rocks_backup.h"

#include <rocksdb/db.h>
#include <rocksdb/env.h>
#include <rocksdb/file_system.h>
#include <rocksdb/options.h>
#include <rocksdb/utilities/backup_engine.h>
#include <rocksdb/utilities/checkpoint.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <thread>

#include "storage/crc32c.h"

namespace floe::backup {

namespace fs = std::filesystem;

namespace {

Error failed(std::string why) { return make_error(ErrorCode::ER_INTERNAL_ERROR, {why}); }

// An instance opened for BackupEngine to read: every column family, default options (the backup copies files;
// it never reads rows).
struct OpenedSource {
    std::unique_ptr<rocksdb::DB> db;
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    ~OpenedSource() {
        if (!db) return;
        for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
        (void)db->Close();
    }
};

Status open_source(const std::string& dir, OpenedSource& out) {
    rocksdb::DBOptions options;
    std::vector<std::string> names;
    auto s = rocksdb::DB::ListColumnFamilies(options, dir, &names);
    if (!s.ok()) return failed("cannot read the snapshot: " + s.ToString());
    std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
    for (const auto& n : names) descriptors.emplace_back(n, rocksdb::ColumnFamilyOptions());
    rocksdb::DB* raw = nullptr;
    s = rocksdb::DB::Open(options, dir, descriptors, &out.handles, &raw);
    if (!s.ok()) return failed("cannot open the snapshot: " + s.ToString());
    out.db.reset(raw);
    return {};
}

// The copy's table files are written with O_DIRECT: through the page cache, copying a database costs the
// kernel as much CPU again as the copy itself (page allocation, dirty accounting, write-back threads, reclaim)
// and leaves gigabytes of dirty pages that commits' fsyncs then wait behind. RocksDB's writer aligns the
// writes (a megabyte at a time, so each copy thread has at most that much queued ahead of a commit's log
// write). Only table files: BackupEngine writes its small meta files unaligned.
class DirectTableWrites : public rocksdb::FileSystemWrapper {
public:
    DirectTableWrites() : FileSystemWrapper(rocksdb::FileSystem::Default()) {}
    const char* Name() const override { return "FloeDirectTableWrites"; }
    rocksdb::IOStatus NewWritableFile(const std::string& name, const rocksdb::FileOptions& options,
                                      std::unique_ptr<rocksdb::FSWritableFile>* result,
                                      rocksdb::IODebugContext* dbg) override {
        // Table files are copied to "<name>.sst.tmp" and renamed once complete.
        std::string_view n = name;
        if (!n.ends_with(".sst") && !n.ends_with(".sst.tmp")) return target()->NewWritableFile(name, options, result, dbg);
        rocksdb::FileOptions direct = options;
        direct.use_direct_writes = true;
        auto s = target()->NewWritableFile(name, direct, result, dbg);
        // A file system without O_DIRECT (tmpfs, some network mounts): through the page cache. (Any other
        // failure recurs there and is reported as it is.)
        if (!s.ok()) return target()->NewWritableFile(name, options, result, dbg);
        return s;
    }
};

rocksdb::Env* direct_table_writes_env() {
    static const std::unique_ptr<rocksdb::Env> env = rocksdb::NewCompositeEnv(std::make_shared<DirectTableWrites>());
    return env.get();
}

rocksdb::BackupEngineOptions engine_options(const std::string& dir) {
    rocksdb::BackupEngineOptions options(dir);
    options.share_table_files = true;  // an incremental set shares unchanged files
    options.share_files_with_checksum = true;
    options.sync = true;
    options.max_background_operations = 2;
    return options;
}

std::string hex32(uint32_t v) {
    char buf[12];
    std::snprintf(buf, sizeof buf, "%08x", v);
    return buf;
}

}  // namespace

uint64_t directory_bytes(const std::string& dir) {
    uint64_t total = 0;
    std::error_code ec;
    for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        std::error_code size_ec;
        if (it->is_regular_file(size_ec)) {
            auto n = it->file_size(size_ec);
            if (!size_ec) total += n;
        }
    }
    return total;
}

Status take_checkpoint(rocksdb::DB* live, const std::string& dir) {
    rocksdb::Checkpoint* raw = nullptr;
    auto s = rocksdb::Checkpoint::Create(live, &raw);
    std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
    // log_size_for_flush 0: memory is flushed first, so the snapshot is made of files an incremental set shares.
    if (s.ok()) s = checkpoint->CreateCheckpoint(dir, 0);
    if (!s.ok()) return failed("cannot take the snapshot: " + s.ToString());
    return {};
}

Result<StoredBackup> store_backup(const std::string& source_dir, const std::string& target_dir,
                                  const CopyControl& control,
                                  const std::function<Result<std::string>(uint64_t)>& before_copy) {
    OpenedSource source;
    FLOE_CHECK(open_source(source_dir, source));
    StoredBackup out;
    out.sequence = source.db->GetLatestSequenceNumber();

    std::error_code ec;
    fs::create_directories(target_dir, ec);
    if (ec) return failed("cannot create the directory: " + ec.message());
    auto options = engine_options(target_dir);
    options.backup_env = direct_table_writes_env();
    options.backup_rate_limit = control.max_bytes_per_sec;
    rocksdb::BackupEngine* raw = nullptr;
    auto s = rocksdb::BackupEngine::Open(rocksdb::Env::Default(), options, &raw);
    if (!s.ok()) return failed("cannot use the directory: " + s.ToString());
    std::unique_ptr<rocksdb::BackupEngine> engine(raw);
    uint64_t bytes_before = directory_bytes(target_dir);
    std::string app_metadata = FLOE_TRY(before_copy(out.sequence));

    // The watcher stops the copy on KILL / TIMEOUT and reports progress; BackupEngine checks its stop flag
    // between the buffers it copies.
    std::jthread watcher([&](std::stop_token stop) {
        auto next_progress = std::chrono::steady_clock::now();
        while (!stop.stop_requested()) {
            if (control.should_stop && control.should_stop()) engine->StopBackup();
            if (control.on_progress && std::chrono::steady_clock::now() >= next_progress) {
                uint64_t now = directory_bytes(target_dir);
                control.on_progress(now > bytes_before ? now - bytes_before : 0);
                next_progress = std::chrono::steady_clock::now() + std::chrono::milliseconds(200);
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
    });
    rocksdb::CreateBackupOptions create;
    create.flush_before_backup = false;  // the source is a snapshot: nothing in memory that is not in its log
    // The copy threads run at the lowest CPU priority (nice 19): on a busy machine the writers keep the cores
    // and the backup takes the idle time (backups must never stall a writer).
    create.decrease_background_thread_cpu_priority = true;
    create.background_thread_cpu_priority = rocksdb::CpuPriority::kLow;
    rocksdb::BackupID id = 0;
    s = engine->CreateNewBackupWithMetadata(create, source.db.get(), app_metadata, &id);
    watcher.request_stop();
    watcher.join();
    if (!s.ok()) {
        (void)engine->GarbageCollect();  // the stopped backup's partial files
        bool stopped = s.IsIncomplete();
        return failed(stopped ? "stopped" : s.ToString());
    }
    out.engine_id = id;
    // The backup's checksum: CRC32C of its meta file, which lists every file with its own CRC32C.
    std::string meta;
    if (auto read = rocksdb::ReadFileToString(rocksdb::Env::Default(), target_dir + "/meta/" + std::to_string(id), &meta);
        !read.ok()) {
        return failed("cannot read the new backup: " + read.ToString());
    }
    out.checksum = hex32(storage::crc32c(meta));
    uint64_t bytes_after = directory_bytes(target_dir);
    out.added_bytes = bytes_after > bytes_before ? bytes_after - bytes_before : 0;
    return out;
}

Result<std::vector<BackupEntry>> list_backups(const std::string& dir) {
    rocksdb::BackupEngineReadOnly* raw = nullptr;
    auto s = rocksdb::BackupEngineReadOnly::Open(rocksdb::Env::Default(), engine_options(dir), &raw);
    if (!s.ok()) return failed("it cannot be read as a backup directory: " + s.ToString());
    std::unique_ptr<rocksdb::BackupEngineReadOnly> engine(raw);
    std::vector<rocksdb::BackupInfo> infos;
    engine->GetBackupInfo(&infos);
    std::vector<BackupEntry> out;
    for (const auto& i : infos) out.push_back(BackupEntry{i.backup_id, i.timestamp, i.size, i.app_metadata});
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.engine_id < b.engine_id; });
    return out;
}

Status verify_backup(const std::string& dir, uint32_t engine_id) {
    rocksdb::BackupEngineReadOnly* raw = nullptr;
    auto s = rocksdb::BackupEngineReadOnly::Open(rocksdb::Env::Default(), engine_options(dir), &raw);
    if (!s.ok()) return failed("it cannot be read as a backup directory: " + s.ToString());
    std::unique_ptr<rocksdb::BackupEngineReadOnly> engine(raw);
    s = engine->VerifyBackup(engine_id, /*verify_with_checksum=*/true);
    if (!s.ok()) return failed("the backup is damaged: " + s.ToString());
    return {};
}

Status restore_backup(const std::string& dir, uint32_t engine_id, const std::string& target_dir) {
    rocksdb::BackupEngineReadOnly* raw = nullptr;
    auto options = engine_options(dir);
    auto s = rocksdb::BackupEngineReadOnly::Open(rocksdb::Env::Default(), options, &raw);
    if (!s.ok()) return failed("it cannot be read as a backup directory: " + s.ToString());
    std::unique_ptr<rocksdb::BackupEngineReadOnly> engine(raw);
    s = engine->RestoreDBFromBackup(rocksdb::RestoreOptions(), engine_id, target_dir, target_dir);
    if (!s.ok()) return failed("copying the backup out failed: " + s.ToString());
    return {};
}

}  // namespace floe::backup
