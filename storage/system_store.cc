#include "storage/system_store.h"

#include <rocksdb/db.h>
#include <rocksdb/options.h>

#include "storage/rocks_status.h"

namespace floe::storage {

SystemStore::SystemStore(std::unique_ptr<rocksdb::DB> db) : db_(std::move(db)) {}
SystemStore::~SystemStore() = default;

Result<std::unique_ptr<SystemStore>> SystemStore::open(const std::string& path) {
    rocksdb::Options options;
    options.create_if_missing = true;
    options.max_open_files = 64;
    options.keep_log_file_num = 2;
    rocksdb::DB* raw = nullptr;
    FLOE_CHECK(from_rocks(rocksdb::DB::Open(options, path, &raw), "opening the system instance"));
    return std::unique_ptr<SystemStore>(new SystemStore(std::unique_ptr<rocksdb::DB>(raw)));
}

Result<std::optional<std::string>> SystemStore::get(std::string_view key) const {
    std::string value;
    auto s = db_->Get(rocksdb::ReadOptions(), rocksdb::Slice(key.data(), key.size()), &value);
    if (s.IsNotFound()) return std::optional<std::string>();
    FLOE_CHECK(from_rocks(s, "reading the system instance"));
    return std::optional<std::string>(std::move(value));
}

Status SystemStore::put(std::string_view key, std::string_view value) {
    rocksdb::WriteOptions wo;
    wo.sync = true;  // catalog changes are rare and must survive a crash
    return from_rocks(db_->Put(wo, rocksdb::Slice(key.data(), key.size()), rocksdb::Slice(value.data(), value.size())),
                      "writing the system instance");
}

Status SystemStore::remove(std::string_view key) {
    rocksdb::WriteOptions wo;
    wo.sync = true;
    return from_rocks(db_->Delete(wo, rocksdb::Slice(key.data(), key.size())), "writing the system instance");
}

Status SystemStore::scan_prefix(std::string_view prefix,
                                const std::function<bool(std::string_view, std::string_view)>& fn) const {
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
    for (it->Seek(rocksdb::Slice(prefix.data(), prefix.size())); it->Valid(); it->Next()) {
        auto k = it->key();
        if (!k.starts_with(rocksdb::Slice(prefix.data(), prefix.size()))) break;
        if (!fn(std::string_view(k.data(), k.size()), std::string_view(it->value().data(), it->value().size()))) {
            break;
        }
    }
    return from_rocks(it->status(), "scanning the system instance");
}

}  // namespace floe::storage
