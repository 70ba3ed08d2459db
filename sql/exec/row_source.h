// Reading a table's rows for a statement: every row that passes WHERE, in ORDER BY order, within LIMIT.
// Shared by SELECT, UPDATE and DELETE. Full scans for now; index access arrives with the query engine (issue 4).
#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "sql/exec/expr_eval.h"
#include "sql/exec/table_access.h"
#include "storage/transaction.h"

namespace floe::sql {

// Names and accepted qualifiers of a table's columns, for RowScope.
struct TableScope {
    std::vector<std::string> names;
    std::vector<std::string> qualifiers;
    TableScope(const storage::TableSchema& t, const std::string& db, const std::string& alias);
    RowScope row(const storage::StoredRow& r) const {
        return RowScope{names, std::span<const Value>(r.data(), names.size()), qualifiers};
    }
};

// Rows of `table` matching `where` (nullptr = all), read through `txn`.
Result<std::vector<storage::StoredRow>> matching_rows(EvalContext& ctx, storage::Transaction& txn,
                                                      storage::TableRuntime& table, const TableScope& scope,
                                                      const Expr* where);

// The rows of `rows` matching `where` (tables built in memory, such as information_schema's).
Result<std::vector<storage::StoredRow>> filter_rows(EvalContext& ctx, std::vector<storage::StoredRow> rows,
                                                    const TableScope& scope, const Expr* where);

// Sorts rows by ORDER BY keys already computed per row (NULLs first; DESC reverses).
void sort_by_keys(std::vector<size_t>& order, const std::vector<std::vector<Value>>& keys,
                  const std::vector<OrderItem>& items);

}  // namespace floe::sql
