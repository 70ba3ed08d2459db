#include <catch2/catch.hpp>

#include <filesystem>
#include <unistd.h>

#include "backup/backup_path.h"
#include "backup/history.h"
#include "backup/manifest.h"

using namespace floe;
using namespace floe::backup;
namespace fs = std::filesystem;

namespace {

struct TempRoot {
    fs::path dir = fs::temp_directory_path() / ("floe-backup-test-" + std::to_string(::getpid()));
    TempRoot() { fs::create_directories(dir / "root"); }
    ~TempRoot() { fs::remove_all(dir); }
};

}  // namespace

TEST_CASE("backup paths stay inside backup_dir") {
    TempRoot t;
    fs::path root = t.dir / "root";
    auto ok = resolve_backup_path(root, "nightly/db1");
    REQUIRE(ok.ok());
    CHECK(*ok == fs::canonical(root) / "nightly" / "db1");
    auto absolute_inside = resolve_backup_path(root, (root / "x").string());
    REQUIRE(absolute_inside.ok());
    CHECK(*absolute_inside == fs::canonical(root) / "x");

    for (const char* bad : {"", "../escape", "a/../../b", "a/..", "/etc/floe"}) {
        auto r = resolve_backup_path(root, bad);
        INFO(bad);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == ErrorCode::ER_FLOE_BACKUP_PATH);
    }
    CHECK_FALSE(resolve_backup_path(root, ".").ok());  // backup_dir itself
    // A symbolic link inside backup_dir that leads out of it.
    fs::create_directories(t.dir / "outside");
    fs::create_directory_symlink(t.dir / "outside", root / "link");
    auto through_link = resolve_backup_path(root, "link/db");
    REQUIRE_FALSE(through_link.ok());
    CHECK(through_link.error().message.find("symbolic link") != std::string::npos);
}

TEST_CASE("backup manifest round trip and golden bytes") {
    BackupManifest m;
    m.backup_id = 7;
    m.type = BackupType::kIncrDiff;
    m.database = storage::DatabaseSchema{"db", 4, 45};
    m.source_partitions = 4;
    m.lockfree_timestamp = 300;
    m.implementation = BackupImplementation::kLockfree;
    m.server_version = "v";
    m.tags = {"a"};
    std::string bytes = encode_manifest(m);
    // format 1, id 7, type 3, database record (6 bytes: format 1, "db", 4, 45), source 4, timestamp 300
    // (varint 0xac 0x02), lockfree 1, "v", 1 tag "a"
    std::string golden = std::string("\x01\x07\x03\x06\x01\x02", 6) + "db" + std::string("\x04\x2d\x04\xac\x02\x01\x01", 7) +
                         "v" + std::string("\x01\x01", 2) + "a";
    CHECK(bytes == golden);
    auto back = decode_manifest(bytes);
    REQUIRE(back.ok());
    CHECK(back->backup_id == 7);
    CHECK(back->type == BackupType::kIncrDiff);
    CHECK(back->database.name == "db");
    CHECK(back->database.partitions == 4);
    CHECK(back->lockfree_timestamp == 300);
    CHECK(back->tags == std::vector<std::string>{"a"});
    CHECK_FALSE(decode_manifest(bytes.substr(0, bytes.size() - 1)).ok());
    CHECK_FALSE(decode_manifest("\x02" + bytes.substr(1)).ok());
    CHECK_FALSE(decode_manifest("").ok());
}

TEST_CASE("backup history record round trip and golden bytes") {
    BackupRecord r;
    r.backup_id = 2;
    r.database = "d";
    r.start_us = 1;
    r.end_us = 2;
    r.num_partitions = 8;
    r.path = "/p";
    r.checksum = "c";
    r.status = "Success";
    r.size = 3;
    r.incr_backup_id = 2;
    r.type = BackupType::kIncrInit;
    r.tags = "t";
    r.server_version = "v";
    r.implementation = "Lockfree";
    r.lockfree_timestamp = 9;
    std::string bytes = encode_backup_record(r);
    std::string golden = std::string("\x01\x02\x01", 3) + "d" + std::string("\x01\x02\x08\x02", 4) + "/p" +
                         std::string("\x01", 1) + "c" + std::string("\x07", 1) + "Success" +
                         std::string("\x03\x03\x02\x02\x01", 5) + "t" + std::string("\x01", 1) + "v" +
                         std::string("\x08", 1) + "Lockfree" + std::string("\x09\x00\x00", 3);
    CHECK(bytes == golden);
    auto back = decode_backup_record(bytes);
    REQUIRE(back.ok());
    CHECK(back->incr_backup_id == std::optional<uint64_t>(2));
    CHECK(back->lockfree_timestamp == std::optional<uint64_t>(9));
    CHECK(back->status == "Success");
    CHECK(back->type == BackupType::kIncrInit);
    r.incr_backup_id.reset();
    r.lockfree_timestamp.reset();
    auto plain = decode_backup_record(encode_backup_record(r));
    REQUIRE(plain.ok());
    CHECK_FALSE(plain->incr_backup_id);
    CHECK_FALSE(plain->lockfree_timestamp);
    CHECK_FALSE(decode_backup_record(bytes.substr(0, bytes.size() - 2)).ok());
}
