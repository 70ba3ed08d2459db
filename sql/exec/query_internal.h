// The query engine's inner structures (query.h is the interface): a Query is a SELECT or a UNION of them; a
// Block is one SELECT: its FROM tables laid out side by side in one row of slots, its expressions bound to
// those slots, an access path per table and the conditions checked at each join step.
//
// Row slots of a block:  [table columns ...][select-list values ...][aggregate values ...]
// Expressions read everything through their slot (Expr::slot); select-list slots let ORDER BY / HAVING use
// aliases, aggregate slots let them use aggregates.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "locking/lock_manager.h"
#include "sql/exec/aggregate.h"
#include "sql/exec/expr_eval.h"
#include "sql/exec/table_access.h"
#include "sql/plan/access_path.h"
#include "sql/result.h"
#include "storage/schema.h"
#include "storage/transaction.h"

namespace floe::sql {

class Session;
struct Block;

// A compiled query expression.
struct Query {
    std::unique_ptr<Block> block;                // a single SELECT
    std::vector<std::unique_ptr<Query>> terms;   // or a UNION of these
    std::vector<bool> term_all;                  // term i joined with UNION ALL (i >= 1)
    SelectStmt* stmt = nullptr;                  // the union's ORDER BY / LIMIT

    bool correlated() const;
};

// One table of a block's FROM, after joins are flattened (left-deep).
struct Source {
    std::string db, alias;  // alias: the table's name when none is given
    std::shared_ptr<const storage::TableSchema> schema;
    bool stored = false;
    ResolvedTable table;                    // stored tables
    std::vector<storage::StoredRow> rows;   // the rows of views, derived and information_schema tables
    std::unique_ptr<Query> derived;         // FROM (SELECT ...) alias
    int derived_id = 0;                     // EXPLAIN's <derivedN>
    int32_t offset = 0;                     // first slot
    size_t width = 0;                       // columns
    JoinKind join = JoinKind::kInner;       // how it joins the tables before it
    std::vector<bool> hidden;               // USING / NATURAL columns shown once (* and unqualified names)
    std::vector<const Expr*> on;            // outer joins: the match conditions not pushed into `local`
    std::vector<const Expr*> local;         // conditions on this table alone, checked as rows are read
    std::vector<const Expr*> filters;       // conditions checked once this table is joined
    AccessPath access;
    // The columns the query reads (by column position): the others are not decoded. Empty: all. Not used by
    // locking reads (UPDATE / DELETE, FOR UPDATE), which see whole rows.
    std::vector<bool> wanted;
    // Hash join: `hash_build[i]` (this table) equals `hash_probe[i]` (earlier tables).
    std::vector<const Expr*> hash_build, hash_probe;

    // Run state.
    bool materialized = false;
    std::vector<storage::StoredRow> cache;  // rows read once (inner side of joins)
    std::unordered_multimap<std::string, size_t> hash;
    std::vector<bool> matched;              // RIGHT JOIN: rows that found a partner
};

struct OutputColumn {
    const Expr* expr = nullptr;
    std::string name;
    int source = -1;  // a plain column of a table: for its column definition
    int column = -1;
    bool not_null_literal = false;
};

struct Block : SubqueryRunner {
    Block(Session& s, SelectStmt& st, std::string_view src, Block* up) : session(s), stmt(st), source(src), parent(up) {}

    Session& session;
    SelectStmt& stmt;
    std::string_view source;
    Block* parent;
    bool union_term = false;   // ORDER BY / LIMIT of stmt belong to the union
    bool raw_rows = false;     // results are the tables' rows (slots 0..width), not the select list
    // Locking read (UPDATE / DELETE finding rows, SELECT ... FOR UPDATE / FOR SHARE): each stored row that
    // passes its table's own conditions is locked in this mode, then used as committed now (BlockRun::lock_current).
    std::optional<locking::LockMode> lock_rows;
    bool correlated = false;
    std::vector<int32_t> parent_slots;  // slots of `parent` this block (or a block inside it) reads

    std::vector<Source> sources;
    int32_t width = 0;  // table slots
    std::vector<OutputColumn> outputs;
    int32_t out_base = 0;
    std::vector<const Expr*> aggregates;
    int32_t agg_base = 0;
    std::vector<const Expr*> group_by;
    std::vector<const Expr*> order;  // stmt.order_by, bound (aliases and positions resolved)
    std::vector<bool> order_desc;
    const Expr* having = nullptr;
    std::vector<const Expr*> no_table_filters;  // WHERE of a SELECT without FROM
    bool aggregate_query = false;
    bool index_order = false;  // the first table's access yields ORDER BY order
    // How result rows are made, worked out by the block's first run (BlockRun::plan_result_values) and kept
    // with the compiled block: where each ORDER BY key is read, which select-list values move out of the row,
    // and per source the conjuncts its keys do not enforce.
    bool result_plan_ready = false;
    bool result_plan_raw_rows = false;  // the raw_rows it was worked out for (raw rows lay result rows out wider)
    std::vector<int> sort_at;
    std::vector<bool> move_output;
    std::vector<std::vector<const Expr*>> local_unkeyed;
    std::vector<ExprPtr> owned;  // expressions the binder made (USING conditions, * columns)
    std::unordered_map<const Expr*, std::unique_ptr<Query>> subqueries;
    std::unordered_map<const Expr*, std::vector<Row>> subquery_rows;
    std::unordered_map<const Expr*, bool> subquery_done;

    Result<const std::vector<Row>*> rows(const Expr& e, EvalContext& ctx) override;
};

// Binds and plans `stmt` (query_bind.cc). `parent`: the block a subquery sits in.
Result<std::unique_ptr<Query>> compile_query(Session& session, SelectStmt& stmt, std::string_view source,
                                             Block* parent);
// Runs a compiled query (query.cc); `outer`: the enclosing query's current row, for correlated subqueries.
Result<ResultSet> run_query(Query& q, const RowScope* outer);
size_t query_width(const Query& q);
std::vector<int32_t> query_parent_slots(const Query& q);

}  // namespace floe::sql
