// Where a BACKUP / RESTORE path points (SPEC §7): always inside backup_dir. A relative path is taken from
// backup_dir; an absolute one must already lie inside it. `..` components are refused outright, and the
// resolved directory is checked again after following symlinks, so a link inside backup_dir cannot lead out.
#pragma once

#include <filesystem>
#include <string_view>

#include "common/result.h"

namespace floe::backup {

// The absolute directory `user_path` names under `root` (which is created when missing). 7004 otherwise.
Result<std::filesystem::path> resolve_backup_path(const std::filesystem::path& root, std::string_view user_path);

}  // namespace floe::backup
