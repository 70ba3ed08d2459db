#include "backup/backup_path.h"

namespace floe::backup {

namespace fs = std::filesystem;

namespace {

bool inside(const fs::path& dir, const fs::path& root) {
    auto d = dir.begin();
    for (auto r = root.begin(); r != root.end(); ++r, ++d) {
        if (r->empty()) continue;  // a trailing separator
        if (d == dir.end() || *d != *r) return false;
    }
    return true;
}

}  // namespace

Result<fs::path> resolve_backup_path(const fs::path& root, std::string_view user_path) {
    std::string shown(user_path);
    auto refuse = [&](std::string_view why) { return make_error(ErrorCode::ER_FLOE_BACKUP_PATH, {shown, why}); };
    if (user_path.empty()) return refuse("it is empty; name a directory under backup_dir");
    fs::path p(user_path);
    for (const auto& part : p) {
        if (part == "..") return refuse("'..' is not allowed; name a directory under backup_dir");
    }
    std::error_code ec;
    fs::create_directories(root, ec);
    fs::path real_root = fs::canonical(root, ec);
    if (ec) return refuse("backup_dir '" + root.string() + "' cannot be used: " + ec.message());
    fs::path target = p.is_absolute() ? p.lexically_normal() : (real_root / p).lexically_normal();
    if (p.is_absolute() && !inside(target, real_root) && !inside(target, root.lexically_normal())) {
        return refuse("it is outside backup_dir '" + real_root.string() + "'; use a path relative to backup_dir");
    }
    // Symlinks: where the path really leads (the part that exists, followed; the rest as written).
    fs::path real = fs::weakly_canonical(target, ec);
    if (ec) return refuse(ec.message());
    if (!inside(real, real_root) || real == real_root) {
        return refuse(real == real_root ? "it is backup_dir itself; name a directory under it"
                                        : "it leads outside backup_dir '" + real_root.string() + "' (a symbolic link)");
    }
    return real;
}

}  // namespace floe::backup
