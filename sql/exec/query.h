// The query engine: SELECT with joins, aggregates, GROUP BY / HAVING, DISTINCT, ORDER BY / LIMIT, UNION,
// derived tables, views and subqueries, reading tables through their indexes where the WHERE / ON conditions
// allow (sql/plan/access_path.h). A query is bound (names -> row slots), planned (an access path per table, a
// join method per step) and run as a left-deep pipeline of nested loops, index lookups and hash joins.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "sql/parse/ast.h"
#include "sql/exec/table_access.h"
#include "sql/result.h"
#include "storage/transaction.h"

namespace floe::sql {

class Session;
struct Query;

// The compiled queries of one prepared statement, kept between its executions: COM_STMT_EXECUTE binds and plans
// once. A plan is reused while the catalog (StorageEngine::catalog_generation) and the session's database are
// as they were when it was compiled. Queries reading views, derived or information_schema tables are compiled
// at each run (they hold rows read while compiling).
class PlanCache {
public:
    PlanCache();
    ~PlanCache();
    PlanCache(const PlanCache&) = delete;
    PlanCache& operator=(const PlanCache&) = delete;

    // Plans of `stmt` (a SELECT of the prepared statement itself, not one a view runs) are kept.
    void keep(const SelectStmt& stmt);
    // Single-table UPDATE / DELETE of `target`: the SELECT finding its rows is built once and its plan kept.
    void keep_row_search(const TableRef& target);
    // That SELECT (its FROM set, the rest lent by each execution), nullptr when `target` is not kept here.
    SelectStmt* row_search(const TableRef& target);
    // `stmt` compiled: the kept plan when still valid, else a fresh one (kept when reusable); nullptr when
    // `stmt` is not one whose plans are kept.
    Result<Query*> query(Session& session, SelectStmt& stmt, std::string_view source);

private:
    struct Entry;
    std::vector<std::unique_ptr<Entry>> entries_;
};

// The rows of a SELECT (a query expression: UNION, subqueries, derived tables included).
Result<ResultSet> run_select(Session& session, SelectStmt& stmt, std::string_view source);
// The rows of one table matching `where`, in `order_by` order, at most `limit`, read through the table's
// indexes like a SELECT's (UPDATE / DELETE). Rows of tables without a primary key carry their hidden row id.
// A locking read: every row returned is locked and as committed now. The expressions are lent and handed back.
Result<std::vector<storage::StoredRow>> find_table_rows(Session& session, std::string_view source, const TableRef& table,
                                                        ExprPtr& where, std::vector<OrderItem>& order_by, ExprPtr& limit);
// Multi-table UPDATE / DELETE: the rows of a join matching `where`, each holding every table's columns (and
// hidden row ids) from its table's `offset`, then the values of `values` evaluated on that row from
// `value_base` on. A locking read (each stored table's rows). The expressions are lent and handed back.
struct JoinedTable {
    std::string alias, db;
    ResolvedTable table;  // empty for views and derived tables
    int32_t offset = 0;
    size_t width = 0;
};
struct JoinedRows {
    std::vector<JoinedTable> tables;
    std::vector<Row> rows;
    size_t value_base = 0;
};
Result<JoinedRows> find_joined_rows(Session& session, std::string_view source, std::vector<FromItem>& from,
                                    ExprPtr& where, std::vector<ExprPtr>& values);
// The result columns of a SELECT without running it (COM_STMT_PREPARE; describe.cc): checks its tables and
// columns like a run would (1146, 1054, ...).
Result<std::vector<ColumnDef>> describe_select(Session& session, SelectStmt& stmt, std::string_view source);
// EXPLAIN SELECT: one row per table read, in MySQL's column layout, with the access type chosen.
Result<ResultSet> explain_select(Session& session, SelectStmt& stmt, std::string_view source);

}  // namespace floe::sql
