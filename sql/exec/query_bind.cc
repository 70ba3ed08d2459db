// Binding and planning a query: FROM flattened into sources, names resolved to row slots (1054 / 1052 as
// MySQL words them), aggregates collected, WHERE / ON split into conjuncts placed at the earliest join step
// that may check them, an access path and a join method chosen per table.
#include <algorithm>

#include "common/collation.h"
#include "common/charset.h"
#include "sql/engine.h"
#include "sql/exec/column_types.h"
#include "sql/exec/query_internal.h"
#include "sql/exec/view.h"
#include "sql/info_schema/info_schema.h"
#include "sql/session.h"
#include "storage/database.h"
#include "storage/storage_engine.h"

namespace floe::sql {

using storage::TableSchema;

namespace {

bool same_name_ci(std::string_view a, std::string_view b) {
    return a.size() == b.size() && compare_text(kDefaultCollationId, a, b) == 0;
}

enum class Clause : uint8_t { kSelect, kWhere, kOn, kGroup, kHaving, kOrder };

const char* clause_name(Clause c) {
    switch (c) {
        case Clause::kSelect: return "field list";
        case Clause::kWhere: return "where clause";
        case Clause::kOn: return "on clause";
        case Clause::kGroup: return "group statement";
        case Clause::kHaving: return "having clause";
        case Clause::kOrder: return "order clause";
    }
    return "field list";
}

bool aggregates_allowed(Clause c) { return c == Clause::kSelect || c == Clause::kHaving || c == Clause::kOrder; }

void split_conjuncts(const Expr* e, std::vector<const Expr*>& out) {
    if (!e) return;
    if (e->kind == ExprKind::kBinary && e->op == Op::kAnd) {
        split_conjuncts(e->args[0].get(), out);
        split_conjuncts(e->args[1].get(), out);
        return;
    }
    out.push_back(e);
}

class Binder {
public:
    Binder(Block& b) : b_(b) {}

    Status bind();

private:
    Block& b_;
    int inside_aggregate_ = 0;
    Clause clause_ = Clause::kSelect;
    bool alias_fallback_ = false;  // HAVING / ORDER BY: names may be select-list aliases
    // Conjuncts of WHERE and inner-join ON with the join step whose result they need at least (RIGHT JOINs
    // before them).
    struct Pending {
        const Expr* e;
        size_t earliest;
    };
    std::vector<Pending> pending_;
    int next_derived_ = 0;

    Status add_from(FromItem& item, JoinKind kind, bool nested);
    Status add_table(FromItem& item, JoinKind kind);
    Status add_using(FromItem& join, size_t right_begin);
    Status bind_expr(Expr& e);
    Status bind_column(Expr& e);
    // Finds a table column by name in this block: slot, or -1 (1052 when several tables have it).
    Result<int32_t> find_column(const Block& blk, const Expr& e) const;
    Result<int32_t> find_alias(const Expr& e) const;
    Status bind_subquery(Expr& e);
    uint64_t source_mask(const Expr& e) const;
    void mask_of(const Expr& e, uint64_t& mask) const;
    size_t source_of_slot(int32_t slot) const;
    Status place_conditions();
    Status plan_access();
    void mark_wanted_columns();
};

void mark_slots(const Expr* e, std::vector<bool>& used);

size_t Binder::source_of_slot(int32_t slot) const {
    for (size_t i = b_.sources.size(); i-- > 0;) {
        if (slot >= b_.sources[i].offset) return i;
    }
    return 0;
}

Status Binder::add_table(FromItem& item, JoinKind kind) {
    Source s;
    s.join = kind;
    if (item.kind == FromItem::Kind::kDerived) {
        s.alias = item.table.alias;
        s.derived = FLOE_TRY(compile_query(b_.session, *item.derived, b_.source, nullptr));
        auto rs = FLOE_TRY(run_query(*s.derived, nullptr));
        auto schema = std::make_shared<TableSchema>();
        schema->name = s.alias;
        schema->hidden_pk = true;
        for (size_t i = 0; i < rs.columns.size(); ++i) {
            for (size_t j = 0; j < i; ++j) {
                if (same_name_ci(rs.columns[j].name, rs.columns[i].name)) {
                    return make_error(ErrorCode::ER_DUP_FIELDNAME, {rs.columns[i].name});
                }
            }
            schema->columns.push_back(column_from_result(rs.columns[i], rs.columns[i].name, schema->next_column_id++));
        }
        s.schema = std::move(schema);
        s.rows = std::move(rs.rows);
        s.derived_id = ++next_derived_;
    } else {
        const TableRef& ref = item.table;
        std::string db_name = ref.db.empty() ? b_.session.db() : ref.db;
        s.alias = ref.alias.empty() ? ref.name : ref.alias;
        if (!db_name.empty() && is_information_schema(db_name)) {
            auto vt = FLOE_TRY(info_schema_table(b_.session, ref.name));
            s.schema = std::make_shared<const TableSchema>(std::move(vt.schema));
            s.rows = std::move(vt.rows);
            s.db = "information_schema";
        } else {
            auto resolved = resolve_table(b_.session, ref);
            if (resolved.ok()) {
                s.stored = true;
                s.table = std::move(*resolved);
                s.db = s.table.db_name;
                s.schema = s.table.table->schema;
            } else {
                auto db = db_name.empty() ? nullptr : b_.session.engine().storage().database(db_name);
                auto view = db ? db->view(ref.name) : std::nullopt;
                if (!view) return std::move(resolved).error();
                auto vt = FLOE_TRY(expand_view(b_.session, db_name, *view));
                s.schema = std::make_shared<const TableSchema>(std::move(vt.schema));
                s.rows = std::move(vt.rows);
                s.db = db_name;
            }
        }
    }
    for (const Source& other : b_.sources) {
        if (same_name_ci(other.alias, s.alias) && (item.kind == FromItem::Kind::kDerived || other.db == s.db)) {
            return make_error(ErrorCode::ER_NONUNIQ_TABLE, {s.alias});
        }
    }
    // A stored table without a primary key carries its hidden row id in one more (nameless) slot.
    s.width = s.schema->columns.size() + (s.stored && s.schema->hidden_pk ? 1 : 0);
    s.offset = b_.width;
    s.hidden.assign(s.width, false);
    b_.width += static_cast<int32_t>(s.width);
    b_.sources.push_back(std::move(s));
    return {};
}

Status Binder::add_from(FromItem& item, JoinKind kind, bool nested) {
    if (item.kind != FromItem::Kind::kJoin) return add_table(item, kind);
    if (nested && kind != JoinKind::kInner) {
        return make_error(ErrorCode::ER_NOT_SUPPORTED_YET, {"an outer join with a parenthesized join on its right"});
    }
    FLOE_CHECK(add_from(*item.left, kind, nested));
    size_t right_begin = b_.sources.size();
    FLOE_CHECK(add_from(*item.right, item.join, true));
    if (item.natural || !item.using_columns.empty()) FLOE_CHECK(add_using(item, right_begin));
    if (item.on) {
        clause_ = Clause::kOn;
        FLOE_CHECK(bind_expr(*item.on));
        std::vector<const Expr*> conjuncts;
        split_conjuncts(item.on.get(), conjuncts);
        Source& right = b_.sources[right_begin];
        if (item.join == JoinKind::kInner) {
            size_t earliest = 0;
            for (size_t i = 0; i < b_.sources.size(); ++i) {
                if (b_.sources[i].join == JoinKind::kRight) earliest = i;
            }
            for (const Expr* c : conjuncts) pending_.push_back({c, earliest});
        } else {
            for (const Expr* c : conjuncts) right.on.push_back(c);
        }
    }
    return {};
}

Status Binder::add_using(FromItem& join, size_t right_begin) {
    Source& right = b_.sources[right_begin];
    std::vector<std::string> names = join.using_columns;
    if (join.natural) {
        for (const auto& c : right.schema->columns) {
            for (size_t i = 0; i < right_begin; ++i) {
                const Source& s = b_.sources[i];
                if (s.schema->column(c.name) && !s.hidden[static_cast<size_t>(s.schema->column_index(s.schema->column(c.name)->id))]) {
                    names.push_back(c.name);
                    break;
                }
            }
        }
    }
    for (const std::string& name : names) {
        int32_t left_slot = -1;
        for (size_t i = 0; i < right_begin; ++i) {
            const Source& s = b_.sources[i];
            const auto* col = s.schema->column(name);
            if (!col) continue;
            int idx = s.schema->column_index(col->id);
            if (s.hidden[static_cast<size_t>(idx)]) continue;
            if (left_slot >= 0) return make_error(ErrorCode::ER_NON_UNIQ_ERROR, {name, "from clause"});
            left_slot = s.offset + idx;
        }
        const auto* rcol = right.schema->column(name);
        if (left_slot < 0 || !rcol) return make_error(ErrorCode::ER_BAD_FIELD_ERROR, {name, "from clause"});
        int ridx = right.schema->column_index(rcol->id);
        auto cond = std::make_unique<Expr>();
        cond->kind = ExprKind::kBinary;
        cond->op = Op::kEq;
        for (int32_t slot : {left_slot, right.offset + ridx}) {
            auto col = std::make_unique<Expr>();
            col->kind = ExprKind::kColumn;
            col->name = name;
            col->slot = slot;
            cond->args.push_back(std::move(col));
        }
        if (join.join == JoinKind::kRight) {
            size_t ls = source_of_slot(left_slot);
            b_.sources[ls].hidden[static_cast<size_t>(left_slot - b_.sources[ls].offset)] = true;
        } else {
            right.hidden[static_cast<size_t>(ridx)] = true;
        }
        const Expr* c = cond.get();
        b_.owned.push_back(std::move(cond));
        if (join.join == JoinKind::kInner) {
            pending_.push_back({c, 0});
        } else {
            right.on.push_back(c);
        }
    }
    return {};
}

Result<int32_t> Binder::find_column(const Block& blk, const Expr& e) const {
    int32_t found = -1;
    std::string_view table_q = e.qualifier, db_q;
    if (auto dot = table_q.find('.'); dot != std::string_view::npos) {
        db_q = table_q.substr(0, dot);
        table_q = table_q.substr(dot + 1);
    }
    for (const Source& s : blk.sources) {
        if (!e.qualifier.empty()) {
            if (!same_name_ci(s.alias, table_q)) continue;
            if (!db_q.empty() && !same_name_ci(s.db, db_q)) continue;
        }
        const auto* col = s.schema->column(e.name);
        if (!col) continue;
        int idx = s.schema->column_index(col->id);
        if (e.qualifier.empty() && s.hidden[static_cast<size_t>(idx)]) continue;
        if (found >= 0) {
            std::string full = e.qualifier.empty() ? e.name : e.qualifier + "." + e.name;
            return make_error(ErrorCode::ER_NON_UNIQ_ERROR, {full, clause_name(clause_)});
        }
        found = s.offset + idx;
    }
    return found;
}

Result<int32_t> Binder::find_alias(const Expr& e) const {
    if (!e.qualifier.empty()) return -1;
    for (size_t i = 0; i < b_.outputs.size() && i < b_.stmt.items.size(); ++i) {
        const SelectItem& item = b_.stmt.items[i];
        if (item.has_alias && same_name_ci(item.alias, e.name)) return b_.out_base + static_cast<int32_t>(i);
    }
    return -1;
}

Status Binder::bind_column(Expr& e) {
    if (alias_fallback_ && clause_ == Clause::kOrder) {
        // ORDER BY prefers a select-list alias over a column (MySQL).
        int32_t a = FLOE_TRY(find_alias(e));
        if (a >= 0) {
            e.slot = a;
            e.depth = 0;
            return {};
        }
    }
    int32_t slot = FLOE_TRY(find_column(b_, e));
    if (slot >= 0) {
        e.slot = slot;
        e.depth = 0;
        return {};
    }
    if (alias_fallback_) {
        int32_t a = FLOE_TRY(find_alias(e));
        if (a >= 0) {
            e.slot = a;
            e.depth = 0;
            return {};
        }
    }
    // A column of an enclosing query: the subqueries on the way become correlated.
    uint8_t depth = 1;
    Block* child = &b_;
    for (Block* up = b_.parent; up; up = up->parent, ++depth) {
        Binder outer(*up);
        outer.clause_ = clause_;
        int32_t s = FLOE_TRY(outer.find_column(*up, e));
        if (s >= 0) {
            e.slot = s;
            e.depth = depth;
            for (Block* c = &b_; c != up; c = c->parent) c->correlated = true;
            child->parent_slots.push_back(s);
            return {};
        }
        child = up;
    }
    std::string full = e.qualifier.empty() ? e.name : e.qualifier + "." + e.name;
    return make_error(ErrorCode::ER_BAD_FIELD_ERROR, {full, clause_name(clause_)});
}

Status Binder::bind_subquery(Expr& e) {
    auto q = FLOE_TRY(compile_query(b_.session, *e.subquery, b_.source, &b_));
    size_t columns = query_width(*q);
    if (e.kind != ExprKind::kExists && columns != 1) {
        return make_error(ErrorCode::ER_OPERAND_COLUMNS, {"1"});
    }
    b_.subqueries[&e] = std::move(q);
    return {};
}

Status Binder::bind_expr(Expr& e) {
    switch (e.kind) {
        case ExprKind::kColumn: return bind_column(e);
        case ExprKind::kSubquery:
        case ExprKind::kExists: return bind_subquery(e);
        case ExprKind::kInSubquery:
            FLOE_CHECK(bind_expr(*e.args[0]));
            return bind_subquery(e);
        case ExprKind::kFunction:
            if (is_aggregate_function(e.name)) {
                if (!aggregates_allowed(clause_) || inside_aggregate_) {
                    return make_error(ErrorCode::ER_INVALID_GROUP_FUNC_USE);
                }
                if (e.name != "count" && e.name != "group_concat" && e.args.size() != 1) {
                    return make_error(ErrorCode::ER_WRONG_PARAMCOUNT_TO_NATIVE_FCT, {e.name});
                }
                if (e.name == "count" && !e.star && e.args.empty()) {
                    return make_error(ErrorCode::ER_WRONG_PARAMCOUNT_TO_NATIVE_FCT, {e.name});
                }
                ++inside_aggregate_;
                bool fallback = alias_fallback_;
                alias_fallback_ = false;  // aggregate arguments are table columns
                for (auto& a : e.args) {
                    auto st = bind_expr(*a);
                    if (!st.ok()) return st;
                }
                alias_fallback_ = fallback;
                --inside_aggregate_;
                e.slot = b_.agg_base + static_cast<int32_t>(b_.aggregates.size());
                e.depth = 0;
                b_.aggregates.push_back(&e);
                return {};
            }
            break;
        default: break;
    }
    for (auto& a : e.args) FLOE_CHECK(bind_expr(*a));
    return {};
}

void Binder::mask_of(const Expr& e, uint64_t& mask) const {
    if (e.kind == ExprKind::kColumn && e.depth == 0 && e.slot >= 0 && e.slot < b_.width) {
        mask |= uint64_t{1} << std::min<size_t>(source_of_slot(e.slot), 63);
    }
    if (e.kind == ExprKind::kFunction && e.slot >= 0) mask = ~uint64_t{0};  // an aggregate (never in WHERE)
    auto it = b_.subqueries.find(&e);
    if (it != b_.subqueries.end()) {
        for (int32_t s : query_parent_slots(*it->second)) {
            if (s < b_.width) mask |= uint64_t{1} << std::min<size_t>(source_of_slot(s), 63);
        }
    }
    for (const auto& a : e.args) mask_of(*a, mask);
}

uint64_t Binder::source_mask(const Expr& e) const {
    uint64_t m = 0;
    mask_of(e, m);
    return m;
}

Status Binder::place_conditions() {
    const size_t n = b_.sources.size();
    if (n > 64) return make_error(ErrorCode::ER_NOT_SUPPORTED_YET, {"more than 64 tables in one SELECT"});
    for (const Pending& p : pending_) {
        uint64_t mask = source_mask(*p.e);
        size_t highest = 0;
        for (size_t i = 0; i < n; ++i) {
            if (mask & (uint64_t{1} << i)) highest = i;
        }
        if (mask == ~uint64_t{0}) highest = n - 1;
        size_t step = std::max(highest, p.earliest);
        Source& s = b_.sources[step];
        bool only_this = (mask & ~(uint64_t{1} << step)) == 0;
        if (only_this && s.join != JoinKind::kLeft) {
            s.local.push_back(p.e);
        } else {
            s.filters.push_back(p.e);
        }
    }
    // Outer-join match conditions on the joined table alone filter its rows before matching (LEFT JOIN only:
    // a RIGHT JOIN keeps every row of its table).
    for (size_t k = 0; k < n; ++k) {
        Source& s = b_.sources[k];
        if (s.join != JoinKind::kLeft) continue;
        std::vector<const Expr*> keep;
        for (const Expr* c : s.on) {
            uint64_t mask = source_mask(*c);
            if ((mask & ~(uint64_t{1} << k)) == 0) {
                s.local.push_back(c);
            } else {
                keep.push_back(c);
            }
        }
        s.on = std::move(keep);
    }
    return {};
}

// Do two expressions compare the same way as their keys (append_group_key)? Plain columns of like types.
bool hashable_pair(const Block& b, const Expr& x, const Expr& y) {
    auto column_of = [&](const Expr& e) -> const storage::ColumnSchema* {
        if (e.kind != ExprKind::kColumn || e.depth != 0 || e.slot < 0 || e.slot >= b.width) return nullptr;
        for (size_t i = b.sources.size(); i-- > 0;) {
            const Source& s = b.sources[i];
            if (e.slot >= s.offset) return &s.schema->columns[static_cast<size_t>(e.slot - s.offset)];
        }
        return nullptr;
    };
    const auto* a = column_of(x);
    const auto* c = column_of(y);
    if (!a || !c) return false;
    auto cls = [](const storage::ColumnSchema& col) {
        using storage::ColumnType;
        if (storage::is_integer_type(col.type) || col.type == ColumnType::kDecimal) return 1;
        if (storage::is_binary_type(col.type)) return 2;
        if (storage::is_string_type(col.type)) {
            return collation_kind(col.collation_id) == CollationKind::kCaseInsensitive ? 3 : 0;
        }
        if (col.type == ColumnType::kDate) return 4;
        if (col.type == ColumnType::kDateTime || col.type == ColumnType::kTimestamp) return 5;
        return 0;
    };
    return cls(*a) != 0 && cls(*a) == cls(*c);
}

Status Binder::plan_access() {
    const size_t n = b_.sources.size();
    bool single = n == 1 && !b_.aggregate_query && !b_.stmt.distinct;
    for (size_t k = 0; k < n; ++k) {
        Source& s = b_.sources[k];
        // Conditions that may choose an index: this table's own, and (inner joins / LEFT JOIN matches) those
        // comparing it with earlier tables.
        std::vector<const Expr*> usable = s.local;
        if (s.join != JoinKind::kRight) {
            if (s.join == JoinKind::kInner) usable.insert(usable.end(), s.filters.begin(), s.filters.end());
            if (s.join == JoinKind::kLeft) usable.insert(usable.end(), s.on.begin(), s.on.end());
        }
        AccessTable t;
        t.schema = s.schema.get();
        t.slot_begin = s.offset;
        t.readable_slots.assign(static_cast<size_t>(b_.width), false);
        if (s.join != JoinKind::kRight) {
            for (int32_t i = 0; i < s.offset; ++i) t.readable_slots[static_cast<size_t>(i)] = true;
        }
        if (s.stored) {
            s.access = choose_access(t, usable);
            if (!s.access.index) s.access.type = AccessPath::Type::kAll;
            // ORDER BY along an index: rows arrive sorted and LIMIT can stop the scan early.
            if (single && !b_.union_term && !b_.stmt.order_by.empty()) {
                bool reverse = false;
                if (s.access.index) {
                    bool multi = std::any_of(s.access.eq.begin(), s.access.eq.end(),
                                             [](const auto& p) { return p.values.size() > 1; });
                    if (order_follows_index(t, *s.access.index, multi ? 0 : s.access.eq.size(), b_.order, b_.order_desc, &reverse)) {
                        s.access.ordered = true;
                        s.access.reverse = reverse;
                        b_.index_order = true;
                    }
                } else if (b_.stmt.limit) {
                    for (const auto& index : s.schema->indexes) {
                        if (order_follows_index(t, index, 0, b_.order, b_.order_desc, &reverse)) {
                            s.access.type = AccessPath::Type::kIndex;
                            s.access.index = &index;
                            s.access.ordered = true;
                            s.access.reverse = reverse;
                            b_.index_order = true;
                            break;
                        }
                    }
                }
            }
        }
        // A join without an index lookup: hash the table on its equalities with earlier tables.
        bool index_lookup = s.access.index && s.access.dependent;
        if (k > 0 && !index_lookup && s.join != JoinKind::kRight) {
            const auto& conds = s.join == JoinKind::kLeft ? s.on : s.filters;
            for (const Expr* c : conds) {
                if (c->kind != ExprKind::kBinary || c->op != Op::kEq) continue;
                const Expr* x = c->args[0].get();
                const Expr* y = c->args[1].get();
                uint64_t mx = source_mask(*x), my = source_mask(*y);
                uint64_t self = uint64_t{1} << k, before = self - 1;
                if (mx == self && my && (my & ~before) == 0 && hashable_pair(b_, *x, *y)) {
                    s.hash_build.push_back(x);
                    s.hash_probe.push_back(y);
                } else if (my == self && mx && (mx & ~before) == 0 && hashable_pair(b_, *y, *x)) {
                    s.hash_build.push_back(y);
                    s.hash_probe.push_back(x);
                }
            }
        }
    }
    return {};
}

Status Binder::bind() {
    SelectStmt& st = b_.stmt;
    for (auto& item : st.from) {
        FLOE_CHECK(add_from(item, JoinKind::kInner, false));
    }
    // The select list, * expanded.
    for (auto& item : st.items) {
        Expr& e = *item.expr;
        if (e.kind != ExprKind::kStar) {
            OutputColumn o;
            o.expr = &e;
            o.name = item.has_alias ? item.alias : item.text;
            o.not_null_literal = e.kind == ExprKind::kLiteral && !e.literal.is_null();
            b_.outputs.push_back(std::move(o));
            continue;
        }
        if (b_.sources.empty()) return make_error(ErrorCode::ER_NO_TABLES_USED);
        bool any = false;
        for (size_t si = 0; si < b_.sources.size(); ++si) {
            const Source& s = b_.sources[si];
            if (!e.qualifier.empty() && !same_name_ci(s.alias, e.qualifier)) continue;
            any = true;
            for (size_t c = 0; c < s.schema->columns.size(); ++c) {
                if (e.qualifier.empty() && s.hidden[c]) continue;
                auto col = std::make_unique<Expr>();
                col->kind = ExprKind::kColumn;
                col->name = s.schema->columns[c].name;
                col->slot = s.offset + static_cast<int32_t>(c);
                OutputColumn o;
                o.expr = col.get();
                o.name = col->name;
                o.source = static_cast<int>(si);
                o.column = static_cast<int>(c);
                b_.owned.push_back(std::move(col));
                b_.outputs.push_back(std::move(o));
            }
        }
        if (!any) return make_error(ErrorCode::ER_BAD_TABLE_ERROR, {e.qualifier});
    }
    b_.out_base = b_.width;
    b_.agg_base = b_.out_base + static_cast<int32_t>(b_.outputs.size());
    // USING columns hidden on one side come back through the other in SELECT *: fine as bound above.
    clause_ = Clause::kSelect;
    for (size_t i = 0; i < b_.outputs.size(); ++i) {
        OutputColumn& o = b_.outputs[i];
        if (o.source >= 0) continue;
        FLOE_CHECK(bind_expr(*const_cast<Expr*>(o.expr)));
        if (o.expr->kind == ExprKind::kColumn && o.expr->depth == 0 && o.expr->slot < b_.width) {
            o.source = static_cast<int>(source_of_slot(o.expr->slot));
            o.column = o.expr->slot - b_.sources[static_cast<size_t>(o.source)].offset;
            if (!b_.stmt.items[i].has_alias) o.name = o.expr->name;  // as written, like MySQL
        }
    }
    if (st.where) {
        clause_ = Clause::kWhere;
        FLOE_CHECK(bind_expr(*st.where));
        std::vector<const Expr*> conjuncts;
        split_conjuncts(st.where.get(), conjuncts);
        size_t earliest = 0;
        for (size_t i = 0; i < b_.sources.size(); ++i) {
            if (b_.sources[i].join == JoinKind::kRight) earliest = i;
        }
        for (const Expr* c : conjuncts) {
            if (b_.sources.empty()) {
                b_.no_table_filters.push_back(c);
            } else {
                pending_.push_back({c, earliest});
            }
        }
    }
    // GROUP BY: a position or an alias names a select-list expression; otherwise an expression over columns.
    clause_ = Clause::kGroup;
    for (auto& g : st.group_by) {
        Expr& e = *g;
        if (e.kind == ExprKind::kLiteral && e.literal.is_integer()) {
            int64_t pos = e.literal.to_int();
            if (pos < 1 || static_cast<size_t>(pos) > b_.outputs.size()) {
                return make_error(ErrorCode::ER_BAD_FIELD_ERROR, {e.literal.to_text(), "group statement"});
            }
            const Expr* target = b_.outputs[static_cast<size_t>(pos - 1)].expr;
            if (target->kind == ExprKind::kFunction && is_aggregate_function(target->name)) {
                return make_error(ErrorCode::ER_WRONG_GROUP_FIELD, {b_.outputs[static_cast<size_t>(pos - 1)].name});
            }
            b_.group_by.push_back(target);
            continue;
        }
        if (e.kind == ExprKind::kColumn) {
            int32_t slot = FLOE_TRY(find_column(b_, e));
            if (slot < 0) {
                int32_t a = FLOE_TRY(find_alias(e));
                if (a >= 0) {
                    const OutputColumn& o = b_.outputs[static_cast<size_t>(a - b_.out_base)];
                    if (o.expr->kind == ExprKind::kFunction && is_aggregate_function(o.expr->name)) {
                        return make_error(ErrorCode::ER_WRONG_GROUP_FIELD, {o.name});
                    }
                    b_.group_by.push_back(o.expr);
                    continue;
                }
            }
        }
        FLOE_CHECK(bind_expr(e));
        b_.group_by.push_back(&e);
    }
    if (st.having) {
        clause_ = Clause::kHaving;
        alias_fallback_ = true;
        FLOE_CHECK(bind_expr(*st.having));
        alias_fallback_ = false;
        b_.having = st.having.get();
    }
    if (!b_.union_term) {
        clause_ = Clause::kOrder;
        for (auto& item : st.order_by) {
            Expr& e = *item.expr;
            const Expr* bound = &e;
            if (e.kind == ExprKind::kLiteral && e.literal.is_integer()) {
                int64_t pos = e.literal.to_int();
                if (pos < 1 || static_cast<size_t>(pos) > b_.outputs.size()) {
                    return make_error(ErrorCode::ER_BAD_FIELD_ERROR, {e.literal.to_text(), "order clause"});
                }
                e.slot = b_.out_base + static_cast<int32_t>(pos - 1);
                // ORDER BY 1 on a plain column may still follow an index.
                const Expr* target = b_.outputs[static_cast<size_t>(pos - 1)].expr;
                if (target->kind == ExprKind::kColumn && target->depth == 0 && target->slot < b_.width) bound = target;
            } else {
                alias_fallback_ = true;
                FLOE_CHECK(bind_expr(e));
                alias_fallback_ = false;
                if (e.kind == ExprKind::kColumn && e.slot >= b_.out_base && e.slot < b_.agg_base) {
                    const Expr* target = b_.outputs[static_cast<size_t>(e.slot - b_.out_base)].expr;
                    if (target->kind == ExprKind::kColumn && target->depth == 0 && target->slot < b_.width) bound = target;
                }
            }
            b_.order.push_back(bound);
            b_.order_desc.push_back(item.desc);
        }
    }
    b_.aggregate_query = !b_.group_by.empty() || !b_.aggregates.empty();
    FLOE_CHECK(place_conditions());
    FLOE_CHECK(plan_access());
    mark_wanted_columns();
    return {};
}

void mark_slots(const Expr* e, std::vector<bool>& used) {
    if (!e) return;
    if (e->kind == ExprKind::kColumn && e->depth == 0 && e->slot >= 0 && static_cast<size_t>(e->slot) < used.size()) {
        used[static_cast<size_t>(e->slot)] = true;
    }
    for (const auto& a : e->args) mark_slots(a.get(), used);
}

void Binder::mark_wanted_columns() {
    std::vector<bool> used(static_cast<size_t>(b_.width), false);
    for (const auto& o : b_.outputs) mark_slots(o.expr, used);
    for (const Source& s : b_.sources) {
        for (const auto* list : {&s.on, &s.local, &s.filters, &s.hash_build, &s.hash_probe}) {
            for (const Expr* e : *list) mark_slots(e, used);
        }
    }
    for (const Expr* e : b_.group_by) mark_slots(e, used);
    for (const Expr* e : b_.order) mark_slots(e, used);
    for (const Expr* e : b_.aggregates) mark_slots(e, used);
    for (const Expr* e : b_.no_table_filters) mark_slots(e, used);
    mark_slots(b_.having, used);
    // Columns of this block that its subqueries read (correlated references).
    for (const auto& [expr, sub] : b_.subqueries) {
        for (int32_t slot : query_parent_slots(*sub)) {
            if (slot >= 0 && slot < b_.width) used[static_cast<size_t>(slot)] = true;
        }
    }
    for (Source& s : b_.sources) {
        if (!s.stored) continue;
        s.wanted.assign(s.schema->columns.size(), false);
        bool all = true;
        for (size_t c = 0; c < s.wanted.size(); ++c) {
            s.wanted[c] = used[static_cast<size_t>(s.offset) + c];
            all = all && s.wanted[c];
        }
        if (all) s.wanted.clear();
    }
}

}  // namespace

Result<std::unique_ptr<Query>> compile_query(Session& session, SelectStmt& stmt, std::string_view source, Block* parent) {
    auto q = std::make_unique<Query>();
    if (stmt.unions.empty() && !stmt.union_head) {
        q->block = std::make_unique<Block>(session, stmt, source, parent);
        Binder binder(*q->block);
        FLOE_CHECK(binder.bind());
        return q;
    }
    q->stmt = &stmt;
    if (stmt.union_head) {
        q->terms.push_back(FLOE_TRY(compile_query(session, *stmt.union_head, source, parent)));
    } else {
        auto head = std::make_unique<Query>();
        head->block = std::make_unique<Block>(session, stmt, source, parent);
        head->block->union_term = true;
        Binder binder(*head->block);
        FLOE_CHECK(binder.bind());
        q->terms.push_back(std::move(head));
    }
    q->term_all.push_back(true);
    for (auto& term : stmt.unions) {
        q->terms.push_back(FLOE_TRY(compile_query(session, *term.select, source, parent)));
        q->term_all.push_back(term.all);
    }
    size_t width = query_width(*q->terms[0]);
    for (const auto& t : q->terms) {
        if (query_width(*t) != width) return make_error(ErrorCode::ER_WRONG_NUMBER_OF_COLUMNS_IN_SELECT);
    }
    return q;
}

size_t query_width(const Query& q) { return q.block ? q.block->outputs.size() : query_width(*q.terms[0]); }

std::vector<int32_t> query_parent_slots(const Query& q) {
    if (q.block) return q.block->parent_slots;
    std::vector<int32_t> out;
    for (const auto& t : q.terms) {
        auto s = query_parent_slots(*t);
        out.insert(out.end(), s.begin(), s.end());
    }
    return out;
}

bool Query::correlated() const {
    if (block) return block->correlated;
    return std::any_of(terms.begin(), terms.end(), [](const auto& t) { return t->correlated(); });
}

}  // namespace floe::sql
