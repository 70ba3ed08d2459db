#include "backup/history.h"

#include <cstdio>

#include "storage/record_codec.h"
#include "storage/system_store.h"

namespace floe::backup {

namespace {

constexpr uint8_t kHistoryFormat = 1;
constexpr std::string_view kHistoryPrefix = "backup/history/";

std::string key_of(uint64_t id) {
    char digits[24];
    std::snprintf(digits, sizeof digits, "%020llu", static_cast<unsigned long long>(id));
    return std::string(kHistoryPrefix) + digits;
}

}  // namespace

std::string encode_backup_record(const BackupRecord& r) {
    using storage::put_record_s;
    using storage::put_record_u;
    std::string out(1, static_cast<char>(kHistoryFormat));
    put_record_u(out, r.backup_id);
    put_record_s(out, r.database);
    put_record_u(out, static_cast<uint64_t>(r.start_us));
    put_record_u(out, static_cast<uint64_t>(r.end_us));
    put_record_u(out, r.num_partitions);
    put_record_s(out, r.path);
    put_record_s(out, r.checksum);
    put_record_s(out, r.status);
    put_record_u(out, r.size);
    put_record_u(out, (r.incr_backup_id ? 1u : 0u) | (r.lockfree_timestamp ? 2u : 0u));
    put_record_u(out, r.incr_backup_id.value_or(0));
    put_record_u(out, static_cast<uint8_t>(r.type));
    put_record_s(out, r.tags);
    put_record_s(out, r.server_version);
    put_record_s(out, r.implementation);
    put_record_u(out, r.lockfree_timestamp.value_or(0));
    put_record_u(out, r.error_code);
    put_record_s(out, r.error_message);
    return out;
}

Result<BackupRecord> decode_backup_record(std::string_view bytes) {
    auto damaged = [] { return make_error(ErrorCode::ER_INTERNAL_ERROR, {"damaged backup history record"}); };
    if (bytes.empty() || static_cast<uint8_t>(bytes[0]) != kHistoryFormat) return damaged();
    storage::RecordReader in(bytes.substr(1));
    BackupRecord r;
    r.backup_id = in.u();
    r.database = in.s();
    r.start_us = static_cast<int64_t>(in.u());
    r.end_us = static_cast<int64_t>(in.u());
    r.num_partitions = static_cast<uint32_t>(in.u());
    r.path = in.s();
    r.checksum = in.s();
    r.status = in.s();
    r.size = in.u();
    uint64_t flags = in.u();
    uint64_t incr = in.u();
    uint64_t type = in.u();
    r.tags = in.s();
    r.server_version = in.s();
    r.implementation = in.s();
    uint64_t timestamp = in.u();
    r.error_code = static_cast<uint32_t>(in.u());
    r.error_message = in.s();
    if (!in.ok() || !in.at_end() || type < 1 || type > 4) return damaged();
    if (flags & 1) r.incr_backup_id = incr;
    if (flags & 2) r.lockfree_timestamp = timestamp;
    r.type = static_cast<BackupType>(type);
    return r;
}

Result<std::unique_ptr<BackupHistory>> BackupHistory::open(storage::SystemStore& store) {
    std::unique_ptr<BackupHistory> history(new BackupHistory(store));
    for (auto& r : FLOE_TRY(history->all())) {
        history->next_id_ = std::max(history->next_id_, r.backup_id + 1);
        if (r.status != "Running") continue;
        r.status = "Failure";
        r.end_us = r.start_us;
        r.error_code = static_cast<uint32_t>(ErrorCode::ER_FLOE_BACKUP);
        r.error_message = "the server stopped before the backup finished";
        FLOE_CHECK(history->put(r));
    }
    return history;
}

Result<std::vector<BackupRecord>> BackupHistory::all() const {
    return store_.decode_all<BackupRecord>(
        kHistoryPrefix, [](std::string_view, std::string_view value) { return decode_backup_record(value); });
}

Status BackupHistory::put(const BackupRecord& record) {
    return store_.put(key_of(record.backup_id), encode_backup_record(record));
}

uint64_t BackupHistory::allocate_id() {
    std::lock_guard lock(mu_);
    return next_id_++;
}

}  // namespace floe::backup
