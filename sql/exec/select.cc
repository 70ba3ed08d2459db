// SELECT from one table: scan, WHERE, select list (with * and t.*), ORDER BY (expressions, aliases,
// positions), LIMIT / OFFSET. Joins, aggregates and index access come with the query engine (issue 4).
#include "sql/exec/column_types.h"
#include "sql/exec/executor.h"
#include "sql/exec/row_source.h"
#include "sql/engine.h"
#include "sql/exec/view.h"
#include "sql/info_schema/info_schema.h"
#include "storage/storage_engine.h"
#include "sql/session.h"
#include "storage/database.h"

namespace floe::sql {

using storage::TableSchema;

namespace {

bool is_aggregate(const Expr& e) {
    if (e.kind == ExprKind::kFunction) {
        static const char* kAggregates[] = {"count", "sum", "avg", "min", "max", "group_concat"};
        for (const char* a : kAggregates) {
            if (e.name == a) return true;
        }
    }
    for (const auto& arg : e.args) {
        if (is_aggregate(*arg)) return true;
    }
    return false;
}

}  // namespace

Result<StatementResult> execute_table_select(Session& session, SelectStmt& s, std::string_view source) {
    if (s.from.size() > 1) return make_error(ErrorCode::ER_NOT_SUPPORTED_YET, {"joins (comma or JOIN)"});
    if (!s.group_by.empty() || s.having) return make_error(ErrorCode::ER_NOT_SUPPORTED_YET, {"GROUP BY / HAVING"});
    for (const auto& item : s.items) {
        if (is_aggregate(*item.expr)) return make_error(ErrorCode::ER_NOT_SUPPORTED_YET, {"aggregate functions"});
    }
    const TableRef& ref = s.from.front();
    // The table: a stored one, or an information_schema table built for this statement.
    std::shared_ptr<const TableSchema> schema;
    std::vector<storage::StoredRow> virtual_rows;
    ResolvedTable target;
    std::string ref_db = ref.db.empty() ? session.db() : ref.db;
    bool is_virtual = !ref_db.empty() && is_information_schema(ref_db);
    if (is_virtual) {
        auto vt = FLOE_TRY(info_schema_table(session, ref.name));
        schema = std::make_shared<const TableSchema>(std::move(vt.schema));
        virtual_rows = std::move(vt.rows);
        target.db_name = "information_schema";
    } else {
        auto resolved = resolve_table(session, ref);
        auto db = resolved.ok() || ref_db.empty() ? nullptr : session.engine().storage().database(ref_db);
        auto view = db ? db->view(ref.name) : std::nullopt;
        if (!resolved.ok() && view) {
            auto vt = FLOE_TRY(expand_view(session, ref_db, *view));
            schema = std::make_shared<const TableSchema>(std::move(vt.schema));
            virtual_rows = std::move(vt.rows);
            target.db_name = ref_db;
            is_virtual = true;
        } else {
            target = FLOE_TRY(std::move(resolved));
            schema = target.table->schema;
        }
    }
    const TableSchema& t = *schema;
    std::string alias = ref.alias.empty() ? t.name : ref.alias;
    TableScope scope(t, target.db_name, ref.alias);

    // The select list with * expanded: each output column is a table column or an expression.
    struct Output {
        const Expr* expr = nullptr;  // null: table column `column`
        int column = -1;
        std::string name;
    };
    std::vector<Output> outputs;
    for (const auto& item : s.items) {
        if (item.expr->kind == ExprKind::kStar) {
            if (!item.expr->qualifier.empty() &&
                std::none_of(scope.qualifiers.begin(), scope.qualifiers.end(),
                             [&](const std::string& q) { return compare_values(Value::from_string(q), Value::from_string(item.expr->qualifier)) == 0; })) {
                return make_error(ErrorCode::ER_BAD_TABLE_ERROR, {item.expr->qualifier});
            }
            for (size_t i = 0; i < t.columns.size(); ++i) outputs.push_back({nullptr, static_cast<int>(i), t.columns[i].name});
            continue;
        }
        Output o;
        o.expr = item.expr.get();
        o.name = item.has_alias ? item.alias : item.text;
        if (item.expr->kind == ExprKind::kColumn) {
            if (const auto* c = t.column(item.expr->name)) {
                bool qualifier_ok = item.expr->qualifier.empty();
                for (const auto& q : scope.qualifiers) {
                    qualifier_ok |= compare_values(Value::from_string(q), Value::from_string(item.expr->qualifier)) == 0;
                }
                if (qualifier_ok) {
                    o.column = t.column_index(c->id);
                    if (!item.has_alias) o.name = item.expr->name;
                }
            }
        }
        outputs.push_back(std::move(o));
    }

    EvalContext ctx{session, source};
    std::vector<storage::StoredRow> rows;
    if (is_virtual) {
        rows = FLOE_TRY(filter_rows(ctx, std::move(virtual_rows), scope, s.where.get()));
    } else {
        auto txn = target.db->begin(false);
        rows = FLOE_TRY(matching_rows(ctx, *txn, *target.table, scope, s.where.get()));
    }

    ResultSet rs;
    rs.rows.reserve(rows.size());
    std::vector<std::vector<Value>> keys;
    for (auto& row : rows) {
        RowScope rscope = scope.row(row);
        ctx.row = &rscope;
        ctx.clause = "field list";
        Row out;
        out.reserve(outputs.size());
        for (const auto& o : outputs) {
            out.push_back(o.column >= 0 && !o.expr ? row[static_cast<size_t>(o.column)] : FLOE_TRY(evaluate(*o.expr, ctx)));
        }
        if (!s.order_by.empty()) {
            // ORDER BY: a position, a select-list alias, or an expression over the row.
            ctx.clause = "order clause";
            std::vector<Value> k;
            for (const auto& item : s.order_by) {
                const Expr& e = *item.expr;
                if (e.kind == ExprKind::kLiteral && e.literal.is_integer()) {
                    int64_t pos = e.literal.to_int();
                    if (pos < 1 || static_cast<size_t>(pos) > outputs.size()) {
                        return make_error(ErrorCode::ER_BAD_FIELD_ERROR, {e.literal.to_text(), "order clause"});
                    }
                    k.push_back(out[static_cast<size_t>(pos - 1)]);
                    continue;
                }
                int alias_match = -1;
                if (e.kind == ExprKind::kColumn && e.qualifier.empty()) {
                    for (size_t i = 0; i < s.items.size() && i < outputs.size(); ++i) {
                        if (s.items[i].has_alias &&
                            compare_values(Value::from_string(s.items[i].alias), Value::from_string(e.name)) == 0) {
                            alias_match = static_cast<int>(i);
                        }
                    }
                }
                k.push_back(alias_match >= 0 ? out[static_cast<size_t>(alias_match)] : FLOE_TRY(evaluate(e, ctx)));
            }
            keys.push_back(std::move(k));
        }
        rs.rows.push_back(std::move(out));
    }
    ctx.row = nullptr;
    if (!s.order_by.empty()) {
        std::vector<size_t> order(rs.rows.size());
        for (size_t i = 0; i < order.size(); ++i) order[i] = i;
        sort_by_keys(order, keys, s.order_by);
        std::vector<Row> sorted;
        sorted.reserve(order.size());
        for (size_t i : order) sorted.push_back(std::move(rs.rows[i]));
        rs.rows = std::move(sorted);
    }
    session.set_found_rows(rs.rows.size());
    uint64_t offset = FLOE_TRY(evaluate_limit(session, s.offset, source, 0));
    uint64_t limit = FLOE_TRY(evaluate_limit(session, s.limit, source, UINT64_MAX));
    if (offset >= rs.rows.size()) {
        rs.rows.clear();
    } else {
        rs.rows.erase(rs.rows.begin(), rs.rows.begin() + static_cast<std::ptrdiff_t>(offset));
    }
    if (rs.rows.size() > limit) rs.rows.resize(static_cast<size_t>(limit));

    uint16_t coll = session.result_collation();
    for (size_t i = 0; i < outputs.size(); ++i) {
        const Output& o = outputs[i];
        if (o.column >= 0) {
            rs.columns.push_back(column_def_for(t, t.columns[static_cast<size_t>(o.column)], target.db_name, alias, o.name, coll));
        } else {
            Value sample = rs.rows.empty() ? Value::null() : rs.rows[0][i];
            rs.columns.push_back(column_for_value(o.name, sample, coll, false));
        }
    }
    StatementResult r;
    r.body = std::move(rs);
    return r;
}

}  // namespace floe::sql
