#include <catch2/catch.hpp>

#include <filesystem>
#include <unistd.h>

#include "storage/database.h"
#include "storage/storage_engine.h"
#include "storage/transaction.h"

using namespace floe;
using namespace floe::storage;

namespace {

TableSchema users_table() {
    TableSchema t;
    t.name = "users";
    ColumnSchema id;
    id.id = 1;
    id.name = "id";
    id.type = ColumnType::kBigInt;
    id.nullable = false;
    ColumnSchema email;
    email.id = 2;
    email.name = "email";
    email.type = ColumnType::kVarchar;
    email.length = 50;
    email.collation_id = 45;
    t.columns = {id, email};
    t.next_column_id = 3;
    t.indexes = {IndexSchema{1, "PRIMARY", IndexKind::kPrimary, {1}, ""},
                 IndexSchema{2, "uk_email", IndexKind::kUnique, {2}, ""}};
    t.next_index_id = 3;
    return t;
}

struct TempDir {
    std::filesystem::path path =
        std::filesystem::temp_directory_path() / ("floe_storage_" + std::to_string(::getpid()));
    TempDir() { std::filesystem::remove_all(path); }
    ~TempDir() { std::filesystem::remove_all(path); }
};

}  // namespace

TEST_CASE("databases, tables and rows survive reopening; rows spread over partitions") {
    TempDir dir;
    StorageOptions options;
    options.wal_sync = false;
    {
        auto engine = StorageEngine::open(dir.path.string(), options);
        REQUIRE(engine.ok());
        REQUIRE((*engine)->create_database(DatabaseSchema{"shop", 4, 45}).ok());
        CHECK((*engine)->create_database(DatabaseSchema{"shop", 4, 45}).error().number() == 1007);
        auto db = (*engine)->database("shop");
        REQUIRE(db->create_table(users_table()).ok());
        CHECK(db->create_table(users_table()).error().number() == 1050);
        auto table = db->table("users");
        auto txn = db->begin();
        for (int i = 1; i <= 200; ++i) {
            auto r = txn->insert(*table, {Value::from_int(i), Value::from_string("user" + std::to_string(i))},
                                 OnDuplicate::kError);
            REQUIRE(r.ok());
        }
        REQUIRE(txn->commit().ok());
    }
    auto engine = StorageEngine::open(dir.path.string(), options);
    REQUIRE(engine.ok());
    auto db = (*engine)->database("shop");
    REQUIRE(db);
    auto table = db->table("users");
    REQUIRE(table);
    auto txn = db->begin();
    auto counts = txn->count_per_partition(*table);
    REQUIRE(counts.ok());
    uint64_t total = 0;
    for (uint64_t c : *counts) {
        CHECK(c > 20);  // 200 rows over 4 partitions
        total += c;
    }
    CHECK(total == 200);
    for (int i = 1; i <= 200; ++i) {
        auto row = txn->get(*table, {Value::from_int(i)});
        REQUIRE(row.ok());
        REQUIRE(row->has_value());
        CHECK((**row)[1].string_value() == "user" + std::to_string(i));
    }
}

TEST_CASE("duplicates: primary and unique keys (case-insensitive), IGNORE, REPLACE, atomic statements") {
    TempDir dir;
    StorageOptions options;
    options.wal_sync = false;
    auto engine = StorageEngine::open(dir.path.string(), options);
    REQUIRE(engine.ok());
    REQUIRE((*engine)->create_database(DatabaseSchema{"d", 8, 45}).ok());
    auto db = (*engine)->database("d");
    REQUIRE(db->create_table(users_table()).ok());
    auto table = db->table("users");
    {
        auto txn = db->begin();
        REQUIRE(txn->insert(*table, {Value::from_int(1), Value::from_string("a@x")}, OnDuplicate::kError).ok());
        REQUIRE(txn->commit().ok());
    }
    auto txn = db->begin();
    auto dup_pk = txn->insert(*table, {Value::from_int(1), Value::from_string("b@x")}, OnDuplicate::kError);
    REQUIRE_FALSE(dup_pk.ok());
    CHECK(dup_pk.error().message == "Duplicate entry '1' for key 'PRIMARY'");
    auto dup_uk = txn->insert(*table, {Value::from_int(2), Value::from_string("A@X")}, OnDuplicate::kError);
    REQUIRE_FALSE(dup_uk.ok());
    CHECK(dup_uk.error().message == "Duplicate entry 'A@X' for key 'uk_email'");
    auto ignored = txn->insert(*table, {Value::from_int(2), Value::from_string("a@x")}, OnDuplicate::kIgnore);
    REQUIRE(ignored.ok());
    CHECK(ignored->duplicate);
    auto replaced = txn->insert(*table, {Value::from_int(3), Value::from_string("a@x")}, OnDuplicate::kReplace);
    REQUIRE(replaced.ok());
    CHECK(replaced->replaced == 1);
    REQUIRE(txn->insert(*table, {Value::from_int(4), Value::null()}, OnDuplicate::kError).ok());
    REQUIRE(txn->insert(*table, {Value::from_int(5), Value::null()}, OnDuplicate::kError).ok());  // NULLs differ
    txn.reset();  // never committed: nothing happened
    auto reader = db->begin();
    int rows = 0;
    REQUIRE(reader->scan(*table, [&](StoredRow& row) {
        CHECK(row[0].int_value() == 1);
        ++rows;
        return true;
    }).ok());
    CHECK(rows == 1);
}
