// The one place where rocksdb::Status becomes a floe Error.
#pragma once

#include <string_view>

#include "common/result.h"

namespace rocksdb {
class Status;
}

namespace floe::storage {

// `what` names the operation for the message ("opening the system instance").
Status from_rocks(const rocksdb::Status& status, std::string_view what);

}  // namespace floe::storage
