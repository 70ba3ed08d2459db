#include "backup/backup_status.h"

#include <algorithm>

namespace floe::backup {

std::shared_ptr<BackupProgress> BackupStatusBoard::enter(uint64_t backup_id, std::string database, std::string target) {
    auto* p = new BackupProgress;
    p->backup_id = backup_id;
    p->database = std::move(database);
    p->target = std::move(target);
    {
        std::lock_guard lock(mu_);
        running_.push_back(p);
    }
    return std::shared_ptr<BackupProgress>(p, [this](BackupProgress* q) {
        leave(q);
        delete q;
    });
}

void BackupStatusBoard::leave(const BackupProgress* p) {
    std::lock_guard lock(mu_);
    running_.remove(const_cast<BackupProgress*>(p));
}

BackupStatusRow status_row(BackupProgress& p) {
    BackupStatusRow row;
    row.backup_id = p.backup_id;
    row.database = p.database;
    row.target = p.target;
    row.bytes_total = p.bytes_total.load();
    row.bytes_done = std::min(p.bytes_done.load(), row.bytes_total);
    {
        std::lock_guard lock(p.step_mu);
        row.status = p.step;
    }
    if (row.bytes_total > 0) row.progress = static_cast<uint32_t>(row.bytes_done * 100 / row.bytes_total);
    auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - p.started).count();
    if (row.bytes_done > 0 && row.bytes_total > row.bytes_done) {
        double rate = static_cast<double>(row.bytes_done) / std::max(elapsed, 1e-3);
        row.est_seconds_remaining = static_cast<uint64_t>(static_cast<double>(row.bytes_total - row.bytes_done) / rate + 0.5);
    }
    return row;
}

std::vector<BackupStatusRow> BackupStatusBoard::rows() const {
    std::lock_guard lock(mu_);
    std::vector<BackupStatusRow> out;
    for (auto* p : running_) out.push_back(status_row(*p));
    return out;
}

bool BackupStatusBoard::running(std::string_view database) const {
    std::lock_guard lock(mu_);
    return std::any_of(running_.begin(), running_.end(), [&](const BackupProgress* p) { return p->database == database; });
}

}  // namespace floe::backup
