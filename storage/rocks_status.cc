#include "storage/rocks_status.h"

#include <rocksdb/status.h>

#include <string>

namespace floe::storage {

Status from_rocks(const rocksdb::Status& status, std::string_view what) {
    if (status.ok()) return {};
    std::string msg = "storage error while ";
    msg += what;
    msg += ": ";
    msg += status.ToString();
    return make_error(ErrorCode::ER_INTERNAL_ERROR, {msg});
}

}  // namespace floe::storage
