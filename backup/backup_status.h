// Running backups and how far each has got (information_schema.MV_BACKUP_STATUS, the progress lines in the
// server log). A backup registers itself for its run; its copy threads add bytes as they go.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace floe::backup {

struct BackupProgress {
    uint64_t backup_id = 0;
    std::string database;
    std::string target;
    std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
    std::atomic<uint64_t> bytes_done{0};
    std::atomic<uint64_t> bytes_total{0};
    std::mutex step_mu;
    std::string step = "Starting";  // guarded by step_mu
    void set_step(std::string s) {
        std::lock_guard lock(step_mu);
        step = std::move(s);
    }
};

// One row of MV_BACKUP_STATUS.
struct BackupStatusRow {
    uint64_t backup_id = 0;
    std::string database;
    std::string target;
    uint32_t progress = 0;  // percent
    uint64_t bytes_done = 0;
    uint64_t bytes_total = 0;
    std::string status;
    uint64_t est_seconds_remaining = 0;
};

class BackupStatusBoard {
public:
    // Registers a running backup; it leaves the board when the returned handle goes.
    std::shared_ptr<BackupProgress> enter(uint64_t backup_id, std::string database, std::string target);
    std::vector<BackupStatusRow> rows() const;
    // Whether a backup of `database` is running now.
    bool running(std::string_view database) const;

private:
    void leave(const BackupProgress* p);
    mutable std::mutex mu_;
    std::list<BackupProgress*> running_;
};

BackupStatusRow status_row(BackupProgress& p);

}  // namespace floe::backup
