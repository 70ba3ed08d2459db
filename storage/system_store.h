// SystemStore: the system RocksDB instance (<datadir>/system/): users now; grants, the list of databases,
// backup history and topology later. A small ordered key-value map whose writes are synced to the WAL.
// Thread-safety: all methods may be called from any thread at once (RocksDB's own guarantees).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace rocksdb {
class DB;
}

namespace floe::storage {

class SystemStore {
public:
    // Creates the instance when the directory is new.
    static Result<std::unique_ptr<SystemStore>> open(const std::string& path);
    ~SystemStore();

    Result<std::optional<std::string>> get(std::string_view key) const;
    Status put(std::string_view key, std::string_view value);
    Status remove(std::string_view key);
    // Calls fn(key, value) for every key starting with prefix, in key order; fn returns false to stop.
    Status scan_prefix(std::string_view prefix,
                       const std::function<bool(std::string_view, std::string_view)>& fn) const;

    // Every record under `prefix`, decoded by decode(key, value) -> Result<T>; the first decoding error stops
    // the scan and is returned.
    template <typename T, typename Decode>
    Result<std::vector<T>> decode_all(std::string_view prefix, Decode decode) const {
        std::vector<T> out;
        std::optional<Error> failure;
        FLOE_CHECK(scan_prefix(prefix, [&](std::string_view key, std::string_view value) {
            Result<T> record = decode(key, value);
            if (!record.ok()) {
                failure = record.error();
                return false;
            }
            out.push_back(std::move(*record));
            return true;
        }));
        if (failure) return *failure;
        return out;
    }

private:
    explicit SystemStore(std::unique_ptr<rocksdb::DB> db);
    std::unique_ptr<rocksdb::DB> db_;
};

}  // namespace floe::storage
