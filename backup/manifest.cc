#include "backup/manifest.h"

#include "storage/catalog_codec.h"
#include "storage/record_codec.h"

namespace floe::backup {

namespace {
constexpr uint8_t kManifestFormat = 1;
}

std::string_view backup_type_name(BackupType type) {
    switch (type) {
        case BackupType::kFull: return "FULL";
        case BackupType::kIncrInit: return "INCR_INIT";
        case BackupType::kIncrDiff: return "INCR_DIFF";
        case BackupType::kSplitPartitions: return "SPLIT_PARTITIONS";
    }
    return "";
}

bool is_incremental(BackupType type) { return type == BackupType::kIncrInit || type == BackupType::kIncrDiff; }

std::string_view implementation_name(BackupImplementation implementation) {
    return implementation == BackupImplementation::kLockfree ? "Lockfree" : "Locking";
}

std::string encode_manifest(const BackupManifest& m) {
    std::string out(1, static_cast<char>(kManifestFormat));
    storage::put_record_u(out, m.backup_id);
    storage::put_record_u(out, static_cast<uint8_t>(m.type));
    storage::put_record_s(out, storage::encode_database(m.database));
    storage::put_record_u(out, m.source_partitions);
    storage::put_record_u(out, m.lockfree_timestamp);
    storage::put_record_u(out, static_cast<uint8_t>(m.implementation));
    storage::put_record_s(out, m.server_version);
    storage::put_record_u(out, m.tags.size());
    for (const auto& t : m.tags) storage::put_record_s(out, t);
    return out;
}

Result<BackupManifest> decode_manifest(std::string_view bytes) {
    auto damaged = [] { return make_error(ErrorCode::ER_INTERNAL_ERROR, {"it carries no floe backup manifest"}); };
    if (bytes.empty() || static_cast<uint8_t>(bytes[0]) != kManifestFormat) return damaged();
    storage::RecordReader r(bytes.substr(1));
    BackupManifest m;
    m.backup_id = r.u();
    uint64_t type = r.u();
    std::string database = r.s();
    m.source_partitions = static_cast<uint16_t>(r.u());
    m.lockfree_timestamp = r.u();
    uint64_t implementation = r.u();
    m.server_version = r.s();
    uint64_t n = r.u();
    for (uint64_t i = 0; i < n && r.ok(); ++i) m.tags.push_back(r.s());
    if (!r.ok() || !r.at_end() || type < 1 || type > 4 || implementation < 1 || implementation > 2) return damaged();
    auto db = storage::decode_database(database);
    if (!db.ok()) return damaged();
    m.type = static_cast<BackupType>(type);
    m.implementation = static_cast<BackupImplementation>(implementation);
    m.database = std::move(*db);
    return m;
}

}  // namespace floe::backup
