// Logging goes through spdlog's default logger; this header is the one place that says how it is set up.
#pragma once

#include <spdlog/spdlog.h>

#include <string_view>

#include "common/result.h"

namespace floe {

// Sets the global level from its name (trace, debug, info, warn, error, critical, off).
Status set_log_level(std::string_view name);

}  // namespace floe
