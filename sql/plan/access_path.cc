#include "sql/plan/access_path.h"

#include <algorithm>

#include "common/collation.h"

namespace floe::sql {

using storage::ColumnSchema;
using storage::ColumnType;
using storage::IndexKind;
using storage::IndexSchema;
using storage::TableSchema;

namespace {

// The table column an expression is (a bound column of this table at query depth 0), or -1.
int table_column(const AccessTable& t, const Expr& e) {
    if (e.kind != ExprKind::kColumn || e.depth != 0 || e.slot < t.slot_begin) return -1;
    int c = e.slot - t.slot_begin;
    return c < static_cast<int>(t.schema->columns.size()) ? c : -1;
}

// May `e` be evaluated before this table is read: constants, enclosing queries' columns and readable slots,
// no subqueries, no user-variable assignments.
bool is_value_side(const AccessTable& t, const Expr& e) {
    switch (e.kind) {
        case ExprKind::kColumn:
            if (e.slot < 0) return false;
            if (e.depth > 0) return true;
            return static_cast<size_t>(e.slot) < t.readable_slots.size() && t.readable_slots[static_cast<size_t>(e.slot)];
        case ExprKind::kSubquery:
        case ExprKind::kExists:
        case ExprKind::kInSubquery:
        case ExprKind::kAssign:
        case ExprKind::kStar:
        case ExprKind::kDefault:
        case ExprKind::kValuesFn: return false;
        case ExprKind::kFunction:
            if (e.name == "rand" || e.name == "uuid" || e.slot >= 0) return false;  // slot: an aggregate
            break;
        default: break;
    }
    for (const auto& a : e.args) {
        if (!is_value_side(t, *a)) return false;
    }
    return true;
}

bool reads_rows(const Expr& e) {
    if (e.kind == ExprKind::kColumn && e.depth == 0) return true;
    for (const auto& a : e.args) {
        if (reads_rows(*a)) return true;
    }
    return false;
}

struct ColumnFacts {
    AccessPath::EqPart eq;
    bool has_eq = false;
    const Expr* eq_src = nullptr;
    const Expr* low_src = nullptr;
    const Expr* high_src = nullptr;
    const Expr* low = nullptr;
    bool low_inclusive = true;
    const Expr* high = nullptr;
    bool high_inclusive = true;
};

Op mirrored(Op op) {
    switch (op) {
        case Op::kLt: return Op::kGt;
        case Op::kLe: return Op::kGe;
        case Op::kGt: return Op::kLt;
        case Op::kGe: return Op::kLe;
        default: return op;
    }
}

// Records what conjunct `c` says about a column of the table.
void learn(const AccessTable& t, const Expr& c, std::vector<ColumnFacts>& facts) {
    auto usable = [&](int col) { return col >= 0 && sargable_column(t.schema->columns[static_cast<size_t>(col)]); };
    if (c.kind == ExprKind::kBinary) {
        Op op = c.op;
        if (op != Op::kEq && op != Op::kNullSafeEq && op != Op::kLt && op != Op::kLe && op != Op::kGt && op != Op::kGe) {
            return;
        }
        const Expr* lhs = c.args[0].get();
        const Expr* rhs = c.args[1].get();
        int col = table_column(t, *lhs);
        if (!usable(col) || !is_value_side(t, *rhs)) {
            col = table_column(t, *rhs);
            std::swap(lhs, rhs);
            op = mirrored(op);
            if (!usable(col) || !is_value_side(t, *rhs)) return;
        }
        ColumnFacts& f = facts[static_cast<size_t>(col)];
        switch (op) {
            case Op::kEq:
            case Op::kNullSafeEq:
                if (!f.has_eq || f.eq.values.size() > 1) {  // prefer a single value over an IN list
                    f.eq.values = {rhs};
                    f.eq.null_safe = op == Op::kNullSafeEq;
                    f.has_eq = true;
                    f.eq_src = &c;
                }
                return;
            case Op::kGt:
            case Op::kGe:
                f.low = rhs;
                f.low_inclusive = op == Op::kGe;
                f.low_src = &c;
                return;
            case Op::kLt:
            case Op::kLe:
                f.high = rhs;
                f.high_inclusive = op == Op::kLe;
                f.high_src = &c;
                return;
            default: return;
        }
    }
    if (c.kind == ExprKind::kIn && !c.negated) {
        int col = table_column(t, *c.args[0]);
        if (!usable(col)) return;
        std::vector<const Expr*> values;
        for (size_t i = 1; i < c.args.size(); ++i) {
            if (!is_value_side(t, *c.args[i])) return;
            values.push_back(c.args[i].get());
        }
        ColumnFacts& f = facts[static_cast<size_t>(col)];
        if (!f.has_eq) {
            f.eq.values = std::move(values);
            f.has_eq = true;
            f.eq_src = &c;
        }
        return;
    }
    if (c.kind == ExprKind::kBetween && !c.negated) {
        int col = table_column(t, *c.args[0]);
        if (!usable(col) || !is_value_side(t, *c.args[1]) || !is_value_side(t, *c.args[2])) return;
        ColumnFacts& f = facts[static_cast<size_t>(col)];
        f.low = c.args[1].get();
        f.low_inclusive = true;
        f.high = c.args[2].get();
        f.high_inclusive = true;
        f.low_src = f.high_src = &c;
        return;
    }
    if (c.kind == ExprKind::kIsNull && !c.negated) {
        int col = table_column(t, *c.args[0]);
        if (!usable(col) || !t.schema->columns[static_cast<size_t>(col)].nullable) return;
        ColumnFacts& f = facts[static_cast<size_t>(col)];
        if (!f.has_eq) {
            f.eq.values = {nullptr};
            f.eq.null_safe = true;
            f.has_eq = true;
            f.eq_src = &c;
        }
    }
}

bool ci_or_binary(const ColumnSchema& c) {
    if (!storage::is_string_type(c.type)) return true;
    if (storage::is_binary_type(c.type)) return true;
    return collation_kind(c.collation_id) == CollationKind::kCaseInsensitive;
}

}  // namespace

const char* access_type_name(AccessPath::Type t) {
    switch (t) {
        case AccessPath::Type::kAll: return "ALL";
        case AccessPath::Type::kIndex: return "index";
        case AccessPath::Type::kRange: return "range";
        case AccessPath::Type::kRef: return "ref";
        case AccessPath::Type::kEqRef: return "eq_ref";
        case AccessPath::Type::kConst: return "const";
    }
    return "ALL";
}

bool sargable_column(const ColumnSchema& col) {
    switch (col.type) {
        case ColumnType::kFloat:
        case ColumnType::kDouble:
        case ColumnType::kEnum:
        case ColumnType::kJson:
        case ColumnType::kYear: return false;
        default: return true;
    }
}

AccessPath choose_access(const AccessTable& t, const std::vector<const Expr*>& conjuncts) {
    AccessPath best;
    std::vector<ColumnFacts> facts(t.schema->columns.size());
    for (const Expr* c : conjuncts) learn(t, *c, facts);
    int best_score = 0;
    for (const IndexSchema& index : t.schema->indexes) {
        if (index.column_ids.empty()) continue;  // a hidden primary key
        AccessPath p;
        p.index = &index;
        size_t parts = 0;
        bool dependent = false;
        bool multi = false;
        for (uint32_t id : index.column_ids) {
            const ColumnFacts& f = facts[static_cast<size_t>(t.schema->column_index(id))];
            if (!f.has_eq) break;
            p.eq.push_back(f.eq);
            p.used.push_back(f.eq_src);
            multi |= f.eq.values.size() > 1;
            for (const Expr* v : f.eq.values) dependent |= v && reads_rows(*v);
            ++parts;
        }
        if (parts < index.column_ids.size()) {
            const ColumnFacts& f = facts[static_cast<size_t>(t.schema->column_index(index.column_ids[parts]))];
            if (f.low || f.high) {
                p.has_range = true;
                p.low = f.low;
                p.low_inclusive = f.low_inclusive;
                p.high = f.high;
                p.high_inclusive = f.high_inclusive;
                if (f.low_src) p.used.push_back(f.low_src);
                if (f.high_src && f.high_src != f.low_src) p.used.push_back(f.high_src);
                dependent |= (f.low && reads_rows(*f.low)) || (f.high && reads_rows(*f.high));
            }
        }
        if (parts == 0 && !p.has_range) continue;
        best.possible_keys.push_back(index.name);
        bool unique = index.kind != IndexKind::kKey && parts == index.column_ids.size();
        p.dependent = dependent;
        if (unique && !multi) {
            p.type = dependent ? AccessPath::Type::kEqRef : AccessPath::Type::kConst;
        } else if (multi || p.has_range) {
            p.type = AccessPath::Type::kRange;
        } else {
            p.type = AccessPath::Type::kRef;
        }
        int score = unique && !multi ? 1000 : static_cast<int>(parts) * 10 + (p.has_range ? 5 : 0) - (multi ? 1 : 0);
        if (score > best_score) {
            best_score = score;
            auto keys = std::move(best.possible_keys);
            best = std::move(p);
            best.possible_keys = std::move(keys);
        }
    }
    return best;
}

bool order_follows_index(const AccessTable& t, const IndexSchema& index, size_t eq_parts,
                         const std::vector<const Expr*>& order, const std::vector<bool>& order_desc, bool* reverse) {
    if (order.empty() || index.column_ids.empty()) return false;
    bool desc = order_desc[0];
    std::vector<int> wanted;
    for (size_t i = 0; i < order.size(); ++i) {
        int col = table_column(t, *order[i]);
        if (col < 0 || order_desc[i] != desc) return false;
        if (!ci_or_binary(t.schema->columns[static_cast<size_t>(col)])) return false;
        wanted.push_back(col);
    }
    auto matches_from = [&](size_t start) {
        if (start + wanted.size() > index.column_ids.size()) return false;
        for (size_t i = 0; i < wanted.size(); ++i) {
            if (t.schema->column_index(index.column_ids[start + i]) != wanted[i]) return false;
        }
        return true;
    };
    if (!matches_from(0) && !(eq_parts > 0 && matches_from(eq_parts))) return false;
    *reverse = desc;
    return true;
}

uint32_t key_length(const TableSchema& t, const IndexSchema& index, size_t parts) {
    uint32_t total = 0;
    for (size_t i = 0; i < parts && i < index.column_ids.size(); ++i) {
        const ColumnSchema* c = t.column_by_id(index.column_ids[i]);
        if (!c) continue;
        uint32_t n = 0;
        switch (c->type) {
            case ColumnType::kTinyInt: n = 1; break;
            case ColumnType::kSmallInt: n = 2; break;
            case ColumnType::kMediumInt: n = 3; break;
            case ColumnType::kInt: n = 4; break;
            case ColumnType::kBigInt: n = 8; break;
            case ColumnType::kFloat: n = 4; break;
            case ColumnType::kDouble: n = 8; break;
            case ColumnType::kYear: n = 1; break;
            case ColumnType::kDate: n = 3; break;
            case ColumnType::kDateTime: n = 5 + (c->scale + 1) / 2; break;
            case ColumnType::kTimestamp: n = 4 + (c->scale + 1) / 2; break;
            case ColumnType::kTime: n = 3 + (c->scale + 1) / 2; break;
            case ColumnType::kEnum: n = c->enum_values.size() > 255 ? 2 : 1; break;
            case ColumnType::kDecimal: {
                static const uint32_t kLeftover[] = {0, 1, 1, 2, 2, 3, 3, 4, 4};
                uint32_t int_digits = c->precision - c->scale, frac = c->scale;
                n = int_digits / 9 * 4 + kLeftover[int_digits % 9] + frac / 9 * 4 + kLeftover[frac % 9];
                break;
            }
            case ColumnType::kChar: n = c->length * 4; break;
            case ColumnType::kBinary: n = c->length; break;
            case ColumnType::kVarbinary: n = c->length + 2; break;
            default: n = c->length * 4 + 2; break;
        }
        total += n + (c->nullable ? 1 : 0);
    }
    return total;
}

}  // namespace floe::sql
