#include "common/log.h"

#include <spdlog/sinks/stdout_color_sinks.h>

namespace floe {

Status set_log_level(std::string_view name) {
    auto level = spdlog::level::from_str(std::string(name));
    if (level == spdlog::level::off && name != "off") {
        return make_error(ErrorCode::ER_WRONG_ARGUMENTS, {"--log-level (use trace, debug, info, warn, error)"});
    }
    spdlog::set_level(level);
    spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%-5l%$ [%t] %v");
    return {};
}

}  // namespace floe
