// FREEZE / UNFREEZE / IMPORT TABLE (SPEC §6) on a table's column family:
//   - freeze: auto-compaction of the column family off, its memtable flushed, running background jobs waited
//     for (PauseBackgroundWork), then its live files listed with a schema file that describes them. An LSM never
//     rewrites a file, so with no compaction of the family the listed files stay byte-identical and present;
//     writes go on into the memtable (flushes only add files).
//   - writers wait (admit_write) once the family's memtables reach the table's rt_mem_limit, on the table's
//     freeze lock ('f'), which the freeze holds exclusively until the counter is back at 0.
//   - the schema file (<db dir>/freeze/<table>.table.json) holds the table's catalog record and each file's
//     level, key range and sequence numbers: what CreateColumnFamilyWithImport needs, so IMPORT TABLE can
//     rebuild the table from a copy of the listed files alone.
#include <rocksdb/db.h>
#include <rocksdb/metadata.h>
#include <rocksdb/options.h>
#include <rocksdb/sst_file_reader.h>
#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/debug_sync.h"
#include "storage/catalog_codec.h"
#include "storage/database.h"
#include "storage/rocks_status.h"
#include "storage/storage_engine.h"
#include "storage/transaction.h"

namespace floe::storage {

namespace fs = std::filesystem;
namespace json = boost::json;

rocksdb::ColumnFamilyOptions table_cf_options(StorageEngine& engine);  // database.cc
struct Database::Frozen {
    uint32_t count = 0;  // 0 while the first FREEZE is still working
    uint64_t epoch = 0;
    std::shared_ptr<TableRuntime> table;
    std::vector<FrozenFile> files;
    std::string schema_path;
    locking::LockManager* manager = nullptr;
    locking::LockOwner owner;  // holds the table's freeze lock exclusively
};

namespace {

constexpr int kFreezeFileFormat = 1;
constexpr std::string_view kSchemaSuffix = ".table.json";

std::string to_hex(std::string_view bytes) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (unsigned char c : bytes) {
        out.push_back(digits[c >> 4]);
        out.push_back(digits[c & 15]);
    }
    return out;
}

bool from_hex(std::string_view hex, std::string& out) {
    if (hex.size() % 2) return false;
    out.clear();
    auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        return -1;
    };
    for (size_t i = 0; i < hex.size(); i += 2) {
        int hi = nibble(hex[i]), lo = nibble(hex[i + 1]);
        if (hi < 0 || lo < 0) return false;
        out.push_back(static_cast<char>(hi * 16 + lo));
    }
    return true;
}

Status set_auto_compaction(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* cf, bool on) {
    return from_rocks(db->SetOptions(cf, {{"disable_auto_compactions", on ? "false" : "true"}}),
                      "changing a table's compaction");
}

}  // namespace

Result<FreezeOutcome> Database::freeze_table(std::string_view name, const FreezeRequest& request) {
    std::lock_guard op(freeze_op_mu_);
    auto table = this->table(name);
    if (!table) return make_error(ErrorCode::ER_NO_SUCH_TABLE, {name_, name});
    const uint32_t id = table->schema->id;
    Frozen* f = nullptr;
    {
        std::unique_lock lock(freeze_mu_);
        if (auto it = frozen_.find(id); it != frozen_.end()) {
            ++it->second->count;
            return FreezeOutcome{it->second->files, it->second->count, it->second->epoch};
        }
        auto fresh = std::make_shared<Frozen>();
        f = fresh.get();
        frozen_[id] = std::move(fresh);  // from now on OPTIMIZE of the table is refused
        // An OPTIMIZE already running rewrites the files: wait for it.
        while (compacting_.count(id)) {
            if (request.kill && request.kill->killed()) {
                frozen_.erase(id);
                return make_error(ErrorCode::ER_QUERY_INTERRUPTED);
            }
            if (std::chrono::steady_clock::now() >= request.deadline) {
                frozen_.erase(id);
                return make_error_with_detail(ErrorCode::ER_LOCK_WAIT_TIMEOUT, {}, "an OPTIMIZE TABLE of it is running");
            }
            freeze_cv_.wait_for(lock, std::chrono::milliseconds(10));
        }
    }
    auto abandon = [&](Error e) -> Error {
        if (f->table) {
            f->table->frozen.store(false);
            (void)set_auto_compaction(db_.get(), f->table->cf, true);
        }
        if (!f->owner.held.empty()) f->manager->release_all(f->owner);
        std::lock_guard lock(freeze_mu_);
        frozen_.erase(id);
        return e;
    };
    // The freeze lock: writers over the memory limit wait for it; their 1205 names this holder.
    f->manager = request.locks;
    f->owner.connection_id = request.connection_id;
    f->owner.kill = request.kill;
    f->owner.statement = [statement = request.statement] { return statement; };
    if (f->manager) {
        auto locked = f->manager->lock(f->owner, lock_prefix('f', *this, id), locking::LockMode::kExclusive,
                                       request.deadline, [&] { return "freeze lock on `" + name_ + "`.`" + std::string(name) + "`"; });
        f->owner.kill = nullptr;  // the freeze outlives the statement that took it
        if (!locked.ok()) return abandon(std::move(locked).error());
    }
    f->table = table;
    if (auto st = set_auto_compaction(db_.get(), table->cf, false); !st.ok()) return abandon(std::move(st).error());
    if (auto st = debug_sync("freeze_compaction_stopped"); !st.ok()) return abandon(std::move(st).error());
    rocksdb::FlushOptions flush;
    flush.wait = true;
    if (auto st = from_rocks(db_->Flush(flush, table->cf), "flushing a table"); !st.ok()) return abandon(std::move(st).error());
    // A compaction of the table that started before auto-compaction went off may still be running: wait for
    // every running background job of the instance (no new one of this table can start).
    db_->PauseBackgroundWork();
    db_->ContinueBackgroundWork();
    if (auto st = debug_sync("freeze_flushed"); !st.ok()) return abandon(std::move(st).error());

    std::vector<rocksdb::LiveFileMetaData> live;
    db_->GetLiveFilesMetaData(&live);
    const std::string cf = table->cf->GetName();
    const std::string rel_dir = "databases/" + name_ + "/";
    json::array files;
    for (const auto& m : live) {
        if (m.column_family_name != cf) continue;
        std::string file = m.name.starts_with("/") ? m.name.substr(1) : m.name;
        f->files.push_back(FrozenFile{rel_dir + file, dir_ + "/" + file});
        files.push_back(json::object{{"file", file},
                                     {"level", m.level},
                                     {"size", m.size},
                                     {"smallest_seqno", m.smallest_seqno},
                                     {"largest_seqno", m.largest_seqno},
                                     {"smallest_key", to_hex(m.smallestkey)},
                                     {"largest_key", to_hex(m.largestkey)}});
    }
    std::sort(f->files.begin(), f->files.end(), [](const auto& a, const auto& b) { return a.relative < b.relative; });
    // The schema file: written once per freeze, so it too stays byte-identical while frozen.
    json::object doc{{"format", kFreezeFileFormat},
                     {"what", "floe frozen table"},
                     {"database", name_},
                     {"table", std::string(name)},
                     {"partitions", partitions_},
                     {"comparator", rocksdb::BytewiseComparator()->Name()},
                     {"schema", to_hex(encode_table(*table->schema))},
                     {"files", std::move(files)}};
    std::error_code ec;
    fs::create_directories(dir_ + "/freeze", ec);
    std::string schema_file = "freeze/" + std::string(name) + std::string(kSchemaSuffix);
    f->schema_path = dir_ + "/" + schema_file;
    {
        std::ofstream out(f->schema_path, std::ios::trunc);
        out << json::serialize(doc) << "\n";
        out.flush();
        if (!out) {
            return abandon(make_error(ErrorCode::ER_INTERNAL_ERROR, {"cannot write the schema file " + f->schema_path}));
        }
    }
    f->files.push_back(FrozenFile{rel_dir + schema_file, f->schema_path});
    table->frozen.store(true);  // after the flush: the memory writers now see is what came after it
    std::lock_guard lock(freeze_mu_);
    f->count = 1;
    f->epoch = next_freeze_epoch_++;
    spdlog::info("FREEZE {}.{}: {} file(s) frozen", name_, name, f->files.size());
    return FreezeOutcome{f->files, f->count, f->epoch};
}

void Database::finish_unfreeze(uint32_t table_id, std::unique_lock<std::mutex>& freeze_lock) {
    auto it = frozen_.find(table_id);
    if (it == frozen_.end()) return;
    std::shared_ptr<Frozen> f = std::move(it->second);
    frozen_.erase(it);
    freeze_lock.unlock();
    if (f->table) {
        f->table->frozen.store(false);
        if (db_) {
            auto st = set_auto_compaction(db_.get(), f->table->cf, true);
            if (!st.ok()) spdlog::warn("UNFREEZE {}: {}", name_, st.error().message);
        }
    }
    if (f->manager && !f->owner.held.empty()) f->manager->release_all(f->owner);  // waiting writers go on
    std::error_code ec;
    if (!f->schema_path.empty()) fs::remove(f->schema_path, ec);
    freeze_lock.lock();
}

bool Database::unfreeze_table(std::string_view name, std::optional<uint64_t> epoch) {
    std::lock_guard op(freeze_op_mu_);
    auto table = this->table(name);
    if (!table) return false;
    std::unique_lock lock(freeze_mu_);
    auto it = frozen_.find(table->schema->id);
    if (it == frozen_.end() || it->second->count == 0) return true;  // clamped at 0
    if (epoch && it->second->epoch != *epoch) return true;          // that freeze ended already
    if (--it->second->count == 0) {
        finish_unfreeze(table->schema->id, lock);
        spdlog::info("UNFREEZE {}.{}: compaction resumes", name_, name);
    }
    return true;
}

void Database::end_freeze(std::string_view name) {
    std::lock_guard op(freeze_op_mu_);
    auto table = this->table(name);
    if (!table) return;
    std::unique_lock lock(freeze_mu_);
    finish_unfreeze(table->schema->id, lock);
}

uint32_t Database::freeze_count(std::string_view name) const {
    auto table = this->table(name);
    if (!table) return 0;
    std::lock_guard lock(freeze_mu_);
    auto it = frozen_.find(table->schema->id);
    return it == frozen_.end() ? 0 : it->second->count;
}

std::vector<FreezeInfo> Database::frozen_tables() const {
    std::vector<FreezeInfo> out;
    {
        std::lock_guard lock(freeze_mu_);
        for (const auto& [id, f] : frozen_) {
            if (f->count > 0 && f->table) out.push_back(FreezeInfo{f->table->schema->name, f->count});
        }
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.table < b.table; });
    return out;
}

uint64_t Database::unflushed_bytes(const TableRuntime& table) {
    uint64_t n = 0;
    db_->GetIntProperty(table.cf, "rocksdb.cur-size-all-mem-tables", &n);
    return n;
}

uint64_t Database::table_disk_files(const TableRuntime& table) {
    rocksdb::ColumnFamilyMetaData meta;
    db_->GetColumnFamilyMetaData(table.cf, &meta);
    return meta.file_count;
}

Status Database::admit_write(TableRuntime& table, const LockContext* locks) {
    while (table.frozen.load(std::memory_order_acquire)) {
        uint64_t limit = table.schema->rt_mem_limit ? table.schema->rt_mem_limit : engine_.default_rt_mem_limit();
        if (unflushed_bytes(table) < limit) return {};
        if (!locks || !locks->manager) return {};
        // Wait for UNFREEZE: the freeze holds this lock exclusively until its counter is back at 0.
        size_t keep = locks->owner->held.size();
        FLOE_CHECK(locks->manager->lock(
            *locks->owner, lock_prefix('f', *this, table.schema->id), locking::LockMode::kShared, locks->deadline,
            [&] { return "unfreeze of `" + name_ + "`.`" + table.schema->name + "` (rt_mem_limit reached)"; },
            locks->deadlock_detect));
        locks->manager->release_after(*locks->owner, keep);
    }
    return {};
}

Status Database::flush_table(const TableRuntime& table) {
    if (table.frozen.load()) return {};  // a frozen table's files must not change: OK, nothing saved
    rocksdb::FlushOptions flush;
    flush.wait = true;
    return from_rocks(db_->Flush(flush, table.cf), "flushing a table");
}

Status Database::import_table(std::string_view name, const std::string& dir) {
    auto fail = [&](std::string why) {
        return make_error(ErrorCode::ER_FLOE_IMPORT_TABLE, {name_ + "." + std::string(name), dir, why});
    };
    std::error_code ec;
    std::vector<fs::path> schema_files;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        if (entry.path().filename().string().ends_with(kSchemaSuffix)) schema_files.push_back(entry.path());
    }
    if (ec) return fail("cannot read the directory (" + ec.message() + ")");
    if (schema_files.size() != 1) {
        return fail("expected exactly one *" + std::string(kSchemaSuffix) + " schema file (from FREEZE), found " +
                    std::to_string(schema_files.size()));
    }
    std::ifstream in(schema_files[0]);
    std::stringstream text;
    text << in.rdbuf();
    json::error_code jec;
    json::value doc = json::parse(text.str(), jec);
    if (jec || !doc.is_object()) return fail("the schema file is not valid JSON");
    TableSchema schema;
    rocksdb::ExportImportFilesMetaData meta;
    try {
        const auto& o = doc.as_object();
        if (o.at("format").to_number<int>() != kFreezeFileFormat) return fail("unknown schema file format");
        if (o.at("partitions").to_number<uint16_t>() != partitions_) {
            return fail("the table was frozen in a database of " + std::to_string(o.at("partitions").to_number<int>()) +
                        " partitions; this one has " + std::to_string(partitions_) + " (import it into a database "
                        "with as many partitions)");
        }
        meta.db_comparator_name = json::value_to<std::string>(o.at("comparator"));
        std::string bytes;
        if (!from_hex(json::value_to<std::string>(o.at("schema")), bytes)) return fail("damaged schema record");
        auto decoded = decode_table(bytes);
        if (!decoded.ok()) return fail("damaged schema record");
        schema = std::move(*decoded);
        for (const auto& v : o.at("files").as_array()) {
            const auto& fo = v.as_object();
            rocksdb::LiveFileMetaData m;
            std::string file = json::value_to<std::string>(fo.at("file"));
            if (file.find('/') != std::string::npos) return fail("bad file name '" + file + "' in the schema file");
            m.name = "/" + file;
            m.relative_filename = file;
            m.db_path = dir;
            m.directory = dir;
            m.level = fo.at("level").to_number<int>();
            m.size = fo.at("size").to_number<uint64_t>();
            m.smallest_seqno = fo.at("smallest_seqno").to_number<uint64_t>();
            m.largest_seqno = fo.at("largest_seqno").to_number<uint64_t>();
            if (!from_hex(json::value_to<std::string>(fo.at("smallest_key")), m.smallestkey) ||
                !from_hex(json::value_to<std::string>(fo.at("largest_key")), m.largestkey)) {
                return fail("damaged key range in the schema file");
            }
            meta.files.push_back(std::move(m));
        }
    } catch (const std::exception& e) {
        return fail(std::string("the schema file lacks a field (") + e.what() + ")");
    }
    // Every file present and whole before anything is created.
    for (const auto& m : meta.files) {
        std::string path = dir + m.name;
        if (!fs::exists(path, ec)) return fail("file " + m.relative_filename + " is missing");
        rocksdb::Options options;
        rocksdb::SstFileReader reader(options);
        auto s = reader.Open(path);
        if (s.ok()) s = reader.VerifyChecksum();
        if (!s.ok()) return fail("file " + m.relative_filename + " is damaged: " + s.ToString());
    }
    schema.name = std::string(name);
    {
        std::lock_guard lock(mu_);
        if (tables_.count(schema.name) || views_.count(schema.name)) {
            return make_error(ErrorCode::ER_TABLE_EXISTS_ERROR, {schema.name});
        }
        schema.id = next_table_id_++;
    }
    // The copy runs without the catalog lock (it may take a while); a CREATE of the same name meanwhile wins.
    rocksdb::ImportColumnFamilyOptions import;
    import.move_files = false;  // the copy stays as it is
    rocksdb::ColumnFamilyHandle* handle = nullptr;
    auto created = db_->CreateColumnFamilyWithImport(table_cf_options(engine_), "t" + std::to_string(schema.id), import,
                                                     meta, &handle);
    if (!created.ok()) return fail(created.ToString());
    std::lock_guard lock(mu_);
    handles_.push_back(handle);
    Status registered = tables_.count(schema.name) || views_.count(schema.name)
                            ? Status(make_error(ErrorCode::ER_TABLE_EXISTS_ERROR, {schema.name}))
                            : write_catalog(schema);
    if (!registered.ok()) {
        (void)db_->DropColumnFamily(handle);
        return registered;
    }
    auto runtime = std::make_shared<TableRuntime>();
    runtime->cf = handle;
    runtime->data_since = db_->GetLatestSequenceNumber();
    std::string table_name = schema.name;
    runtime->schema = std::make_shared<const TableSchema>(std::move(schema));
    tables_.emplace(table_name, std::move(runtime));
    engine_.catalog_changed();
    spdlog::info("IMPORT TABLE {}.{} from {}: {} file(s)", name_, name, dir, meta.files.size());
    return {};
}

}  // namespace floe::storage
