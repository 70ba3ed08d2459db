#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <future>
#include <thread>
#include <unistd.h>

#include <rocksdb/db.h>

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

namespace {

int count_rows(Database& db, TableRuntime& table) {
    auto reader = db.begin();
    int rows = 0;
    REQUIRE(reader->scan(table, [&](StoredRow&) {
        ++rows;
        return true;
    }).ok());
    return rows;
}

StoredRow user(int id, const char* email) { return {Value::from_int(id), Value::from_string(email)}; }

// A fresh engine with database "d" (`partitions` partitions) holding the users table.
struct UsersDb {
    explicit UsersDb(uint16_t partitions, bool wal_sync = false,
                     std::chrono::milliseconds merge_period = std::chrono::milliseconds(2000)) {
        StorageOptions options;
        options.wal_sync = wal_sync;
        options.level0_merge_period = merge_period;
        auto opened = StorageEngine::open(dir.path.string(), options);
        REQUIRE(opened.ok());
        engine = std::move(*opened);
        REQUIRE(engine->create_database(DatabaseSchema{"d", partitions, 45}).ok());
        db = engine->database("d");
        REQUIRE(db->create_table(users_table()).ok());
        table = db->table("users");
    }
    TempDir dir;
    std::unique_ptr<StorageEngine> engine;
    std::shared_ptr<Database> db;
    std::shared_ptr<TableRuntime> table;
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
    UsersDb fixture(8);
    auto& db = fixture.db;
    auto& table = fixture.table;
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


TEST_CASE("statement savepoints and user savepoints undo exactly their writes") {
    UsersDb fixture(4);
    auto& db = fixture.db;
    auto& table = fixture.table;
    auto txn = db->begin();
    txn->begin_statement(true);
    REQUIRE(txn->insert(*table, user(1, "a"), OnDuplicate::kError).ok());
    txn->end_statement();
    size_t sp = txn->set_savepoint();
    txn->begin_statement(true);
    REQUIRE(txn->insert(*table, user(2, "b"), OnDuplicate::kError).ok());
    REQUIRE(txn->insert(*table, user(3, "c"), OnDuplicate::kError).ok());
    txn->rollback_statement();  // the failed statement's two rows go, the first statement's row stays
    CHECK(txn->get(*table, {Value::from_int(1)})->has_value());
    CHECK_FALSE(txn->get(*table, {Value::from_int(2)})->has_value());
    txn->begin_statement(true);
    REQUIRE(txn->insert(*table, user(4, "d"), OnDuplicate::kError).ok());
    txn->end_statement();
    txn->rollback_to_savepoint(sp);  // kept: a second rollback to it works too
    CHECK_FALSE(txn->get(*table, {Value::from_int(4)})->has_value());
    REQUIRE(txn->insert(*table, user(5, "e"), OnDuplicate::kError).ok());
    txn->rollback_to_savepoint(sp);
    CHECK_FALSE(txn->get(*table, {Value::from_int(5)})->has_value());
    // the unique value of a rolled-back row is free again within the transaction
    REQUIRE(txn->insert(*table, user(6, "d"), OnDuplicate::kError).ok());
    REQUIRE(txn->commit().ok());
    CHECK(count_rows(*db, *table) == 2);
}

TEST_CASE("writers lock keys: a second transaction waits for a row, a unique value, then times out naming the holder") {
    UsersDb fixture(4);
    auto& db = fixture.db;
    auto& table = fixture.table;
    ManualClock clock;
    locking::LockManager locks(clock);
    locking::LockOwner a_owner{1, 10, nullptr, [] { return std::string("A's statement"); }, {}};
    locking::LockOwner b_owner{2, 20, nullptr, [] { return std::string("B's statement"); }, {}};
    LockContext a_ctx{&locks, &a_owner, clock.now() + std::chrono::seconds(5), true};
    // B's waits have already timed out: a request that must wait fails at once, without a thread.
    LockContext b_ctx{&locks, &b_owner, clock.now(), true};
    auto a = db->begin(&a_ctx);
    auto b = db->begin(&b_ctx);
    REQUIRE(a->insert(*table, user(1, "x@y"), OnDuplicate::kError).ok());
    auto same_pk = b->insert(*table, user(1, "other"), OnDuplicate::kError);
    REQUIRE_FALSE(same_pk.ok());
    CHECK(same_pk.error().number() == 1205);
    CHECK(same_pk.error().message.find("blocked by connection 10: A's statement") != std::string::npos);
    auto same_unique = b->insert(*table, user(2, "X@Y"), OnDuplicate::kError);  // the unique value, any case
    REQUIRE_FALSE(same_unique.ok());
    CHECK(same_unique.error().number() == 1205);
    REQUIRE(b->insert(*table, user(3, "free"), OnDuplicate::kError).ok());
    REQUIRE(a->commit().ok());
    locks.release_all(a_owner);
    // Once A ended, B sees its row as committed now: the same insert is a duplicate, not a wait.
    auto now_dup = b->insert(*table, user(1, "other"), OnDuplicate::kError);
    REQUIRE_FALSE(now_dup.ok());
    CHECK(now_dup.error().number() == 1062);
    auto locked = b->lock_row(*table, user(1, "x@y"));
    REQUIRE(locked.ok());
    REQUIRE(locked->has_value());
    CHECK((**locked)[1].string_value() == "x@y");
    REQUIRE(b->commit().ok());
    locks.release_all(b_owner);
    CHECK(locks.locked_resources() == 0);
    CHECK(count_rows(*db, *table) == 2);
}

TEST_CASE("lock_read_row reads a row again only when a commit or this transaction may have changed it") {
    UsersDb fixture(4);
    auto& db = fixture.db;
    auto& table = fixture.table;
    {
        auto setup = db->begin();
        for (int i = 1; i <= 3; ++i) REQUIRE(setup->insert(*table, user(i, ("u" + std::to_string(i)).c_str()), OnDuplicate::kError).ok());
        REQUIRE(setup->commit().ok());
    }
    locking::LockManager locks;
    locking::LockOwner owner{1, 10, nullptr, {}, {}};
    LockContext ctx{&locks, &owner, Clock::time_point::max(), true};
    auto reader = db->begin(&ctx);
    reader->begin_statement(true);
    reader->set_current_reads(true);  // a statement's current reads begin
    auto read = [&](int id) {
        auto got = reader->get(*table, {Value::from_int(id)});
        REQUIRE(got.ok());
        REQUIRE(got->has_value());
        return StoredRow{Value::from_int(id), (**got)[1]};
    };
    using Locked = Transaction::LockedRow;
    // Nothing committed since the read: no second read.
    auto r1 = reader->lock_read_row(*table, read(1));
    REQUIRE(r1.ok());
    CHECK(r1->state == Locked::kUnchanged);
    // Another transaction commits a change of row 2 (and deletes row 3) after the reads: read again.
    StoredRow seen2 = read(2), seen3 = read(3);
    {
        auto writer = db->begin();
        auto current = writer->lock_row(*table, user(2, "u2"));
        REQUIRE(current.ok());
        REQUIRE(writer->update(*table, **current, user(2, "changed")).ok());
        auto gone = writer->lock_row(*table, user(3, "u3"));
        REQUIRE(gone.ok());
        REQUIRE(writer->remove(*table, **gone).ok());
        REQUIRE(writer->commit().ok());
    }
    auto r2 = reader->lock_read_row(*table, seen2);
    REQUIRE(r2.ok());
    REQUIRE(r2->state == Locked::kCurrent);
    CHECK(r2->row[1].string_value() == "changed");
    auto r3 = reader->lock_read_row(*table, seen3);
    REQUIRE(r3.ok());
    CHECK(r3->state == Locked::kGone);
    // This transaction's own write to row 1 after reading it: read again (its write is what is current).
    StoredRow seen1 = read(1);
    REQUIRE(reader->update(*table, seen1, user(1, "mine")).ok());
    auto again = reader->lock_read_row(*table, seen1);
    REQUIRE(again.ok());
    REQUIRE(again->state == Locked::kCurrent);
    CHECK(again->row[1].string_value() == "mine");
    // Outside a statement's current reads nothing vouches for a row: always read again.
    reader->set_current_reads(false);
    auto plain = reader->lock_read_row(*table, user(1, "mine"));
    REQUIRE(plain.ok());
    CHECK(plain->state == Locked::kCurrent);
    reader->end_statement();
    REQUIRE(reader->commit().ok());
    locks.release_all(owner);
}

TEST_CASE("commit_by_partition writes every partition's changes") {
    UsersDb fixture(8);
    auto& db = fixture.db;
    auto& table = fixture.table;
    auto txn = db->begin();
    for (int i = 0; i < 100; ++i) {
        REQUIRE(txn->insert(*table, user(i, ("u" + std::to_string(i)).c_str()), OnDuplicate::kError).ok());
    }
    REQUIRE(txn->commit_by_partition().ok());
    CHECK(count_rows(*db, *table) == 100);
    auto reader = db->begin();
    auto counts = reader->count_per_partition(*table);
    REQUIRE(counts.ok());
    for (uint64_t c : *counts) CHECK(c > 0);
    auto unique = reader->insert(*table, user(1000, "u5"), OnDuplicate::kError);  // index entries went too
    REQUIRE_FALSE(unique.ok());
    CHECK(unique.error().number() == 1062);
}

TEST_CASE("group commit: unsynced commits are visible at once, and their waiters are told after one shared sync") {
    UsersDb fixture(4, /*wal_sync=*/true);
    auto& db = fixture.db;
    auto& syncer = fixture.engine->wal_syncer();
    auto commit_user = [&](int id) {
        auto txn = db->begin();
        REQUIRE(txn->insert(*fixture.table, user(id, ("u" + std::to_string(id)).c_str()), OnDuplicate::kError).ok());
        auto sequence = txn->commit_unsynced();
        REQUIRE(sequence.ok());
        CHECK(*sequence != 0);
        return *sequence;
    };
    // 100 commits written before anyone waits: the first waiter's sync covers every one of them.
    std::vector<uint64_t> sequences;
    for (int id = 1; id <= 100; ++id) sequences.push_back(commit_user(id));
    CHECK(count_rows(*db, *fixture.table) == 100);  // visible before any sync
    std::atomic<int> told{0}, told_ok{0}, told_here{0};
    const auto here = std::this_thread::get_id();
    uint64_t syncs_before = syncer.syncs();
    for (uint64_t sequence : sequences) {
        syncer.when_durable(db, sequence, [&](bool ok) {
            told_ok += ok;
            told_here += std::this_thread::get_id() == here;
            ++told;
        });
    }
    syncer.drain();
    CHECK(told == 100);
    CHECK(told_ok == 100);
    CHECK(told_here < 100);  // the first waiter at least heard on the syncer's thread
    // One sync for the first waiter; those that came during it share at most one more; the rest were covered.
    CHECK(syncer.syncs() - syncs_before >= 1);
    CHECK(syncer.syncs() - syncs_before <= 2);
    CHECK(syncer.waits() >= 100);
    // A sequence already synced is answered at once, on the caller's thread.
    bool at_once = false;
    syncer.when_durable(db, sequences.front(), [&](bool ok) { at_once = ok && std::this_thread::get_id() == here; });
    CHECK(at_once);
    // Concurrent committers each wait for their own commit: every one told, every row there.
    std::vector<std::thread> threads;
    std::atomic<int> waited_ok{0};
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 20; ++i) {
                auto txn = db->begin();
                int id = 1000 + t * 100 + i;
                if (!txn->insert(*fixture.table, user(id, ("v" + std::to_string(id)).c_str()), OnDuplicate::kError).ok()) return;
                auto sequence = txn->commit_unsynced();
                if (!sequence.ok()) return;
                std::promise<bool> heard;
                syncer.when_durable(db, *sequence, [&](bool ok) { heard.set_value(ok); });
                waited_ok += heard.get_future().get();
            }
        });
    }
    for (auto& th : threads) th.join();
    CHECK(waited_ok == 160);
    CHECK(count_rows(*db, *fixture.table) == 260);
}

TEST_CASE("without wal_sync an unsynced commit has nothing to wait for") {
    UsersDb fixture(2);
    auto txn = fixture.db->begin();
    REQUIRE(txn->insert(*fixture.table, user(1, "a"), OnDuplicate::kError).ok());
    auto sequence = txn->commit_unsynced();
    REQUIRE(sequence.ok());
    CHECK(*sequence == 0);
    CHECK(count_rows(*fixture.db, *fixture.table) == 1);
}

TEST_CASE("an update writes only what changes: the row, and index entries whose key or value changed") {
    UsersDb fixture(8);
    auto& db = fixture.db;
    auto& table = fixture.table;
    {
        auto txn = db->begin();
        REQUIRE(txn->insert(*table, user(1, "a@x"), OnDuplicate::kError).ok());
        REQUIRE(txn->commit().ok());
    }
    // What one committed update added to the table's memtable: entries, and of them deletes.
    auto memtable = [&] {
        uint64_t entries = 0, deletes = 0;
        REQUIRE(db->rocks()->GetIntProperty(table->cf, "rocksdb.num-entries-active-mem-table", &entries));
        REQUIRE(db->rocks()->GetIntProperty(table->cf, "rocksdb.num-deletes-active-mem-table", &deletes));
        return std::pair{entries, deletes};
    };
    auto update = [&](int id, StoredRow after) {
        auto [entries0, deletes0] = memtable();
        auto txn = db->begin();
        auto before = txn->get(*table, {Value::from_int(id)});
        REQUIRE(before.ok());
        REQUIRE(before->has_value());
        REQUIRE(txn->update(*table, **before, std::move(after)).ok());
        REQUIRE(txn->commit().ok());
        auto [entries1, deletes1] = memtable();
        return std::pair{entries1 - entries0, deletes1 - deletes0};
    };
    // Same key, same unique value: the row only (it was a Delete and a Put of both the row and the index entry).
    CHECK(update(1, user(1, "a@x")) == std::pair<uint64_t, uint64_t>{1, 0});
    // The unique value changes: the row, the old entry deleted, the new one written.
    CHECK(update(1, user(1, "b@x")) == std::pair<uint64_t, uint64_t>{3, 1});
    // The key changes within its partition, the unique value stays: the old row deleted, the new one written,
    // the entry rewritten to point at the new key (same index key, new value).
    auto partition = [&](int id) { return db->begin()->partition_for(*table->schema, user(id, "b@x")); };
    int near = 2;
    while (partition(near) != partition(1)) ++near;
    auto moved_key = update(1, user(near, "b@x"));
    CHECK(moved_key.first == 3);
    CHECK(moved_key.second == 1);
    // Into another partition: secondary entries are local to their row's partition, so the entry moves too.
    int far = near + 1;
    while (partition(far) == partition(near)) ++far;
    auto moved_partition = update(near, user(far, "b@x"));
    CHECK(moved_partition.first == 4);
    CHECK(moved_partition.second == 2);

    auto reader = db->begin();
    CHECK_FALSE(reader->get(*table, {Value::from_int(1)})->has_value());
    CHECK_FALSE(reader->get(*table, {Value::from_int(near)})->has_value());
    auto moved = reader->get(*table, {Value::from_int(far)});
    REQUIRE(moved->has_value());
    CHECK((**moved)[1].string_value() == "b@x");
    auto taken = reader->insert(*table, user(8, "B@X"), OnDuplicate::kError);  // the entry finds the moved row
    REQUIRE_FALSE(taken.ok());
    CHECK(taken.error().number() == 1062);
    CHECK(taken.error().message.find("uk_email") != std::string::npos);
    CHECK(reader->insert(*table, user(9, "a@x"), OnDuplicate::kError).ok());  // the old value is free
    CHECK(count_rows(*db, *table) == 1);
}

TEST_CASE("a table whose writes stopped gets its memtable flushed and level-0 files merged; one being written is left alone") {
    UsersDb fixture(4, /*wal_sync=*/false, std::chrono::milliseconds(50));
    auto& db = fixture.db;
    auto level0 = [&] { return db->write_marks(*fixture.table).first; };
    auto memtable = [&] { return db->write_marks(*fixture.table).second; };
    int next_id = 1;
    auto write = [&](int rows) {
        auto txn = db->begin();
        for (int i = 0; i < rows; ++i, ++next_id) {
            REQUIRE(txn->insert(*fixture.table, user(next_id, ("u" + std::to_string(next_id)).c_str()),
                                OnDuplicate::kError).ok());
        }
        REQUIRE(txn->commit().ok());
    };
    auto write_and_flush = [&](int rows) {
        write(rows);
        REQUIRE(db->rocks()->Flush(rocksdb::FlushOptions(), fixture.table->cf).ok());
    };
    const auto& merger = fixture.engine->level0_merger();
    auto wait_for_merges = [&](uint64_t n) {
        for (int i = 0; i < 200 && merger.merges() < n; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
        return merger.merges();
    };
    auto settle = [] { std::this_thread::sleep_for(std::chrono::milliseconds(300)); };
    // A level-0 file with nothing below: merged into the last level.
    write_and_flush(100);
    CHECK(wait_for_merges(1) == 1);
    CHECK(level0() == 0);
    // Written while the merger looks (a commit between any two looks): left alone.
    std::atomic<bool> writing{true};
    std::thread writer([&] {
        auto id = 1000000;
        while (writing) {
            auto txn = db->begin();
            REQUIRE(txn->insert(*fixture.table, user(id, ("w" + std::to_string(id)).c_str()), OnDuplicate::kError).ok());
            REQUIRE(txn->commit().ok());
            ++id;
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    });
    write_and_flush(100);
    settle();
    CHECK(merger.merges() == 1);
    CHECK(level0() == 1);
    writing = false;
    writer.join();
    // Once the writes stop: merged into the level below, every row still there.
    CHECK(wait_for_merges(2) == 2);
    CHECK(level0() == 0);
    auto reader = db->begin();
    for (int id : {1, 150, 200}) {
        auto row = reader->get(*fixture.table, {Value::from_int(id)});
        REQUIRE(row.ok());
        CHECK(row->has_value());
    }
    // A big memtable alone is flushed and merged; a small one is left in memory.
    write(5000);
    CHECK(wait_for_merges(3) == 3);
    CHECK(level0() == 0);
    CHECK(memtable() == 0);
    write(10);
    settle();
    CHECK(merger.merges() == 3);
    CHECK(memtable() > 0);
    // A frozen table is never merged (its files must stay as listed).
    write_and_flush(3000);
    Database::FreezeRequest request;
    REQUIRE(db->freeze_table("users", request).ok());
    settle();
    CHECK(merger.merges() == 3);
    CHECK(level0() == 1);
    db->end_freeze("users");
    CHECK(wait_for_merges(4) == 4);
    CHECK(level0() == 0);
    // A few rows over a big level: merged among themselves into one level-0 file, the big level not rewritten.
    write_and_flush(3);
    settle();
    CHECK(merger.merges() == 4);  // one small file: nothing to do
    write_and_flush(3);
    CHECK(wait_for_merges(5) == 5);
    CHECK(level0() == 1);
    CHECK(count_rows(*db, *fixture.table) >= 8216);
}
