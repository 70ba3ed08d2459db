#include "backup/split_partitions.h"

#include "storage/database.h"
#include "storage/storage_engine.h"
#include "storage/transaction.h"

namespace floe::backup {

Status write_split_copy(storage::StorageEngine& engine, storage::Database& source, uint16_t factor,
                        const std::string& dir, const std::function<Status()>& snapshot_taken,
                        const std::function<bool()>& should_stop) {
    storage::DatabaseSchema schema = source.schema();
    if (uint32_t{schema.partitions} * factor > 65535) {
        return make_error(ErrorCode::ER_INTERNAL_ERROR, {"the database has too many partitions to split"});
    }
    schema.partitions = static_cast<uint16_t>(schema.partitions * factor);
    auto staging = FLOE_TRY(storage::Database::open(engine, dir, schema, /*create=*/true));

    // One snapshot for every table: the split copy is as consistent as a lock-free backup.
    auto reader = source.begin(nullptr);
    reader->begin_statement(/*fresh_snapshot=*/true);
    FLOE_CHECK(snapshot_taken());
    for (const auto& name : source.view_names()) {
        if (auto view = source.view(name)) FLOE_CHECK(staging->create_view(*view, false));
    }
    constexpr size_t kBatchRows = 10000;
    for (const auto& name : source.table_names()) {
        auto table = source.table(name);
        if (!table) continue;  // dropped meanwhile
        storage::TableSchema copy = *table->schema;
        FLOE_CHECK(staging->create_table(copy));
        auto target = staging->table(name);
        auto writer = staging->begin(nullptr);
        size_t rows = 0;
        std::optional<Error> failure;
        FLOE_CHECK(reader->scan(*table, [&](storage::StoredRow& row) {
            if (copy.hidden_pk) row.pop_back();  // a new row id is given in the new layout
            auto inserted = writer->insert(*target, std::move(row), storage::OnDuplicate::kError);
            if (!inserted.ok()) {
                failure = inserted.error();
                return false;
            }
            if (++rows % kBatchRows == 0) {
                if (auto committed = writer->commit(); !committed.ok()) {
                    failure = committed.error();
                    return false;
                }
                if (should_stop && should_stop()) {
                    failure = make_error(ErrorCode::ER_QUERY_INTERRUPTED);
                    return false;
                }
                writer = staging->begin(nullptr);
            }
            return true;
        }));
        if (failure) return *failure;
        FLOE_CHECK(writer->commit());
    }
    staging->close();
    return {};
}

}  // namespace floe::backup
