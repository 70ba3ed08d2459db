#include "sql/exec/row_source.h"

#include <algorithm>

namespace floe::sql {

TableScope::TableScope(const storage::TableSchema& t, const std::string& db, const std::string& alias) {
    for (const auto& c : t.columns) names.push_back(c.name);
    qualifiers.push_back(alias.empty() ? t.name : alias);
    if (alias.empty()) qualifiers.push_back(db + "." + t.name);
}

namespace {

// Does `row` pass WHERE? (NULL does not.)
Result<bool> passes(EvalContext& ctx, const storage::StoredRow& row, const TableScope& scope, const Expr* where) {
    if (!where) return true;
    RowScope rs = scope.row(row);
    ctx.row = &rs;
    ctx.clause = "where clause";
    auto v = evaluate(*where, ctx);
    ctx.row = nullptr;
    ctx.clause = "field list";
    if (!v.ok()) return std::move(v).error();
    return !v->is_null() && v->to_bool();
}

}  // namespace

Result<std::vector<storage::StoredRow>> matching_rows(EvalContext& ctx, storage::Transaction& txn,
                                                      storage::TableRuntime& table, const TableScope& scope,
                                                      const Expr* where) {
    std::vector<storage::StoredRow> out;
    std::optional<Error> failure;
    FLOE_CHECK(txn.scan(table, [&](storage::StoredRow& row) {
        auto keep = passes(ctx, row, scope, where);
        if (!keep.ok()) {
            failure = std::move(keep).error();
            return false;
        }
        if (*keep) out.push_back(std::move(row));
        return true;
    }));
    if (failure) return *failure;
    return out;
}

Result<std::vector<storage::StoredRow>> filter_rows(EvalContext& ctx, std::vector<storage::StoredRow> rows,
                                                    const TableScope& scope, const Expr* where) {
    std::vector<storage::StoredRow> out;
    for (auto& row : rows) {
        if (FLOE_TRY(passes(ctx, row, scope, where))) out.push_back(std::move(row));
    }
    return out;
}

void sort_by_keys(std::vector<size_t>& order, const std::vector<std::vector<Value>>& keys,
                  const std::vector<OrderItem>& items) {
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        for (size_t k = 0; k < items.size(); ++k) {
            const Value& x = keys[a][k];
            const Value& y = keys[b][k];
            int c;
            if (x.is_null() || y.is_null()) {
                c = x.is_null() == y.is_null() ? 0 : (x.is_null() ? -1 : 1);
            } else {
                c = compare_values(x, y);
            }
            if (c != 0) return items[k].desc ? c > 0 : c < 0;
        }
        return false;
    });
}

}  // namespace floe::sql
