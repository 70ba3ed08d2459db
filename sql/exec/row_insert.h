// RowInserter: adds the rows of one INSERT / REPLACE / LOAD DATA to one table through the session's transaction.
// Columns a row does not give get their defaults, AUTO_INCREMENT values are generated (and the counter kept
// above every value stored), and a duplicate key is handled as the statement asked (error, skip, replace).
#pragma once

#include <memory>
#include <vector>

#include "common/result.h"
#include "sql/exec/column_types.h"
#include "sql/exec/table_access.h"
#include "storage/database.h"
#include "storage/transaction.h"

namespace floe::sql {

class Session;

// The value a column gets when a statement does not give one (or says DEFAULT): 1364 in strict mode for a
// NOT NULL column without DEFAULT, else its implicit default with a warning.
Result<Value> column_default(const storage::ColumnSchema& col, ConvertContext& ctx);
// NOW() as of the statement's start (TIMESTAMP columns, CURRENT_TIMESTAMP defaults).
Value statement_now(Session& session);

class RowInserter {
public:
    // Inserts through `txn` (the session transaction's work in the target's database).
    RowInserter(Session& session, const ResolvedTable& target, storage::Transaction& txn,
                storage::OnDuplicate on_duplicate);

    // Inserts `row` (one value per column, converted for it); `given[i]` false: column i takes its default.
    // `row` is moved into storage unless `keep_row` (then it holds the completed row afterwards).
    Result<storage::InsertOutcome> insert(storage::StoredRow& row, const std::vector<bool>& given,
                                          ConvertContext& ctx, bool keep_row = false);
    // Keeps the AUTO_INCREMENT counter above `row`'s value (ON DUPLICATE KEY UPDATE may change it).
    void note_auto_increment(const storage::StoredRow& row);

    storage::Transaction& transaction() { return txn_; }
    // The first AUTO_INCREMENT value generated (0: none): LAST_INSERT_ID().
    uint64_t first_generated() const { return first_generated_; }

private:
    Session& session_;
    const ResolvedTable& target_;
    std::shared_ptr<const storage::TableSchema> schema_;  // as of the statement's start
    storage::OnDuplicate on_duplicate_;
    const storage::ColumnSchema* auto_col_;
    size_t auto_pos_ = 0;
    uint64_t increment_ = 1;
    bool zero_is_value_ = false;
    bool counters_loaded_ = false;
    uint64_t first_generated_ = 0;
    storage::Transaction& txn_;
};

}  // namespace floe::sql
