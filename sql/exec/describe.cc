// The result columns of a SELECT without running it (PREPARE_OK): table columns keep their definitions,
// expressions are typed from what they are made of. At EXECUTE the result set carries the columns of the rows
// actually produced (query.cc), so this only has to be what a driver expects before the first execution.
#include <algorithm>

#include "sql/exec/aggregate.h"
#include "sql/exec/column_types.h"
#include "sql/exec/query.h"
#include "sql/exec/query_internal.h"
#include "sql/session.h"

namespace floe::sql {
namespace {

enum class Family : uint8_t { kNull, kInt, kDecimal, kDouble, kText, kTemporal };

Family family_of(const ColumnDef& c) {
    switch (c.type) {
        case FieldType::kNull: return Family::kNull;
        case FieldType::kTiny:
        case FieldType::kShort:
        case FieldType::kLong:
        case FieldType::kInt24:
        case FieldType::kLongLong:
        case FieldType::kYear:
        case FieldType::kBit: return Family::kInt;
        case FieldType::kDecimal:
        case FieldType::kNewDecimal: return Family::kDecimal;
        case FieldType::kFloat:
        case FieldType::kDouble: return Family::kDouble;
        case FieldType::kDate:
        case FieldType::kTime:
        case FieldType::kDateTime:
        case FieldType::kTimestamp: return Family::kTemporal;
        default: return Family::kText;
    }
}

ColumnDef int_column(uint32_t length, bool is_unsigned = false) {
    ColumnDef c;
    c.type = FieldType::kLongLong;
    c.length = length;
    c.flags = column_flag::kBinary | column_flag::kNum | (is_unsigned ? column_flag::kUnsigned : 0);
    return c;
}

ColumnDef double_column() {
    ColumnDef c;
    c.type = FieldType::kDouble;
    c.length = 23;
    c.decimals = 31;
    c.flags = column_flag::kBinary | column_flag::kNum;
    return c;
}

ColumnDef decimal_column(uint32_t precision, uint8_t scale) {
    ColumnDef c;
    c.type = FieldType::kNewDecimal;
    c.length = precision + (scale ? 2 : 1);
    c.decimals = scale;
    c.flags = column_flag::kBinary | column_flag::kNum;
    return c;
}

ColumnDef string_column(uint16_t collation, uint32_t chars) {
    ColumnDef c;
    c.type = FieldType::kVarString;
    c.charset = collation;
    const Collation* coll = collation_by_id(collation);
    c.length = chars * (coll ? coll->max_bytes_per_char : 4);
    c.decimals = 31;
    if (collation == kBinaryCollationId) c.flags = column_flag::kBinary;
    return c;
}

ColumnDef temporal_column(FieldType type, uint8_t fsp = 0) {
    ColumnDef c;
    c.type = type;
    c.length = type == FieldType::kDate ? 10 : type == FieldType::kTime ? 10 : 19;
    if (fsp) c.length += 1 + fsp;
    c.decimals = fsp;
    c.flags = column_flag::kBinary;
    return c;
}

// Nothing in it depends on a row, a parameter or a subquery: its value now has the type it always has.
bool constant(const Expr& e) {
    switch (e.kind) {
        case ExprKind::kColumn:
        case ExprKind::kParam:
        case ExprKind::kSubquery:
        case ExprKind::kExists:
        case ExprKind::kInSubquery:
        case ExprKind::kAssign:
        case ExprKind::kStar:
        case ExprKind::kDefault:
        case ExprKind::kValuesFn: return false;
        case ExprKind::kFunction:
            if (is_aggregate_function(e.name) || e.name == "rand" || e.name == "sleep" || e.name == "last_insert_id" ||
                e.name == "get_lock" || e.name == "release_lock") {
                return false;
            }
            break;
        default: break;
    }
    return std::all_of(e.args.begin(), e.args.end(), [](const ExprPtr& a) { return constant(*a); });
}

class Describer {
public:
    Describer(Session& session, std::string_view source, uint16_t collation)
        : session_(session), source_(source), coll_(collation) {}

    ColumnDef query_column(const Query& q, size_t i) {
        if (!q.block) return query_column(*q.terms[0], i);
        const Block& b = *q.block;
        const OutputColumn& o = b.outputs[i];
        ColumnDef c;
        if (o.source >= 0) {
            const Source& s = b.sources[static_cast<size_t>(o.source)];
            c = column_def_for(*s.schema, s.schema->columns[static_cast<size_t>(o.column)], s.db, s.alias, o.name, coll_);
        } else {
            c = expr(*o.expr, b);
            c.name = o.name;
            if (o.not_null_literal) c.flags |= column_flag::kNotNull;
        }
        return c;
    }

private:
    ColumnDef expr(const Expr& e, const Block& b) {
        if (e.kind == ExprKind::kParam) return column_for_value("", Value::null(), coll_, false);  // typed when bound
        if (constant(e)) {
            EvalContext ctx{session_, source_};
            auto v = evaluate(e, ctx);
            if (v.ok()) return column_for_value("", *v, coll_, !v->is_null());
            return string_column(coll_, 255);
        }
        switch (e.kind) {
            case ExprKind::kColumn: return column(e, b);
            case ExprKind::kFunction: return function(e, b);
            case ExprKind::kBinary: return binary(e, b);
            case ExprKind::kUnary:
                if (e.op == Op::kNeg) return expr(*e.args[0], b);
                if (e.op == Op::kBitNot) return int_column(21, true);
                if (e.op == Op::kBinary) return string_column(kBinaryCollationId, 255);
                return int_column(1);
            case ExprKind::kCase: {
                // args: [operand] WHEN THEN ... [ELSE]; the type of the first result that is not NULL.
                size_t first = e.has_case_operand ? 1 : 0;
                size_t pairs_end = e.args.size() - (e.has_else ? 1 : 0);
                std::vector<const Expr*> results;
                for (size_t i = first + 1; i < pairs_end; i += 2) results.push_back(e.args[i].get());
                if (e.has_else) results.push_back(e.args.back().get());
                return first_typed(results, b);
            }
            case ExprKind::kIn:
            case ExprKind::kBetween:
            case ExprKind::kLike:
            case ExprKind::kIsBool:
            case ExprKind::kExists:
            case ExprKind::kInSubquery: return int_column(1);
            case ExprKind::kIsNull: {
                ColumnDef c = int_column(1);
                c.flags |= column_flag::kNotNull;
                return c;
            }
            case ExprKind::kCast: return cast(e);
            case ExprKind::kAssign: return expr(*e.args[0], b);
            case ExprKind::kSubquery: {
                auto it = b.subqueries.find(&e);
                if (it != b.subqueries.end() && query_width(*it->second) > 0) {
                    ColumnDef c = query_column(*it->second, 0);
                    c.flags &= static_cast<uint16_t>(~(column_flag::kNotNull | column_flag::kPriKey |
                                                       column_flag::kUniqueKey | column_flag::kMultipleKey));
                    c.schema.clear();
                    c.table.clear();
                    c.org_table.clear();
                    c.org_name.clear();
                    return c;
                }
                return string_column(coll_, 255);
            }
            default: return string_column(coll_, 255);
        }
    }

    ColumnDef first_typed(const std::vector<const Expr*>& candidates, const Block& b) {
        ColumnDef out = column_for_value("", Value::null(), coll_, false);
        for (const Expr* c : candidates) {
            ColumnDef d = expr(*c, b);
            if (d.type != FieldType::kNull) {
                d.flags &= static_cast<uint16_t>(~column_flag::kNotNull);
                return d;
            }
        }
        return out;
    }

    ColumnDef column(const Expr& e, const Block& b) {
        if (e.depth != 0 || e.slot < 0) return string_column(coll_, 255);
        if (e.slot < b.width) {
            for (const Source& s : b.sources) {
                if (e.slot >= s.offset && e.slot < s.offset + static_cast<int32_t>(s.width)) {
                    const auto& col = s.schema->columns[static_cast<size_t>(e.slot - s.offset)];
                    return column_def_for(*s.schema, col, s.db, s.alias, col.name, coll_);
                }
            }
        } else if (e.slot >= b.out_base && e.slot < b.out_base + static_cast<int32_t>(b.outputs.size())) {
            const OutputColumn& o = b.outputs[static_cast<size_t>(e.slot - b.out_base)];
            if (o.expr != &e) return expr(*o.expr, b);
        } else if (e.slot >= b.agg_base && e.slot < b.agg_base + static_cast<int32_t>(b.aggregates.size())) {
            const Expr* agg = b.aggregates[static_cast<size_t>(e.slot - b.agg_base)];
            if (agg != &e) return expr(*agg, b);
        }
        return string_column(coll_, 255);
    }

    ColumnDef function(const Expr& e, const Block& b) {
        const std::string& n = e.name;
        if (n == "count") {
            ColumnDef c = int_column(21);
            c.flags |= column_flag::kNotNull;
            return c;
        }
        if (n == "sum" || n == "avg") {
            ColumnDef arg = expr(*e.args[0], b);
            Family f = family_of(arg);
            if (f == Family::kDouble || f == Family::kText || f == Family::kTemporal) return double_column();
            uint8_t scale = static_cast<uint8_t>(std::min<int>(arg.decimals + (n == "avg" ? 4 : 0), 30));
            return decimal_column(n == "avg" ? 14 + scale : 32, scale);
        }
        if (n == "min" || n == "max" || n == "any_value") {
            ColumnDef c = expr(*e.args[0], b);
            c.flags &= static_cast<uint16_t>(~(column_flag::kNotNull | column_flag::kPriKey | column_flag::kUniqueKey |
                                               column_flag::kMultipleKey | column_flag::kAutoIncrement));
            return c;
        }
        static const char* const kInts[] = {"length", "char_length", "character_length", "octet_length", "locate",
                                            "instr", "position", "ascii", "ord", "sign", "crc32", "datediff",
                                            "year", "month", "day", "dayofmonth", "hour", "minute", "second",
                                            "dayofweek", "dayofyear", "weekday", "week", "quarter",
                                            "unix_timestamp", "to_days", "found_rows", "row_count",
                                            "connection_id", "bit_length", "strcmp", "field", "find_in_set",
                                            "is_free_lock", "isnull", "floor", "ceil", "ceiling"};
        for (const char* name : kInts) {
            if (n == name) {
                if ((n == "floor" || n == "ceil" || n == "ceiling") && !e.args.empty() &&
                    family_of(expr(*e.args[0], b)) == Family::kDouble) {
                    return double_column();
                }
                return int_column(21, n == "connection_id" || n == "crc32");
            }
        }
        if (n == "last_insert_id") {
            ColumnDef c = int_column(21, true);
            c.flags |= column_flag::kNotNull;
            return c;
        }
        if (n == "now" || n == "sysdate" || n == "current_timestamp" || n == "localtime" ||
            n == "localtimestamp" || n == "utc_timestamp" || n == "from_unixtime" || n == "date_add" ||
            n == "date_sub" || n == "adddate" || n == "subdate" || n == "timestamp" || n == "str_to_date") {
            return temporal_column(FieldType::kDateTime);
        }
        if (n == "curdate" || n == "current_date" || n == "utc_date" || n == "date" || n == "last_day" ||
            n == "from_days" || n == "makedate") {
            return temporal_column(FieldType::kDate);
        }
        if (n == "curtime" || n == "current_time" || n == "utc_time" || n == "time" || n == "sec_to_time" ||
            n == "timediff" || n == "maketime") {
            return temporal_column(FieldType::kTime);
        }
        if (n == "if") {
            if (e.args.size() == 3) return first_typed({e.args[1].get(), e.args[2].get()}, b);
        }
        if (n == "ifnull" || n == "coalesce" || n == "nullif" || n == "greatest" || n == "least") {
            std::vector<const Expr*> args;
            for (const auto& a : e.args) args.push_back(a.get());
            if (n == "nullif" && !args.empty()) args.resize(1);
            return first_typed(args, b);
        }
        if (n == "abs" || n == "round" || n == "truncate" || n == "mod") {
            if (!e.args.empty()) {
                ColumnDef c = expr(*e.args[0], b);
                c.flags &= static_cast<uint16_t>(~(column_flag::kPriKey | column_flag::kUniqueKey |
                                                   column_flag::kMultipleKey | column_flag::kAutoIncrement));
                c.schema.clear();
                c.table.clear();
                c.org_table.clear();
                c.org_name.clear();
                if (family_of(c) != Family::kText && family_of(c) != Family::kTemporal) return c;
            }
            return double_column();
        }
        static const char* const kDoubles[] = {"sqrt", "pow", "power", "exp", "ln", "log", "log2", "log10", "pi",
                                               "sin", "cos", "tan", "asin", "acos", "atan", "atan2", "rand",
                                               "radians", "degrees"};
        for (const char* name : kDoubles) {
            if (n == name) return double_column();
        }
        if (n == "group_concat") return string_column(coll_, 1024);
        return string_column(coll_, 255);
    }

    ColumnDef binary(const Expr& e, const Block& b) {
        switch (e.op) {
            case Op::kAdd:
            case Op::kSub:
            case Op::kMul:
            case Op::kMod:
            case Op::kDiv: {
                Family l = family_of(expr(*e.args[0], b));
                Family r = family_of(expr(*e.args[1], b));
                if (l == Family::kNull || r == Family::kNull) return column_for_value("", Value::null(), coll_, false);
                if (l == Family::kDouble || r == Family::kDouble || l == Family::kText || r == Family::kText) {
                    return double_column();
                }
                if (e.op == Op::kDiv) return decimal_column(14, 4);
                if (l == Family::kDecimal || r == Family::kDecimal) return decimal_column(33, 4);
                return int_column(21);
            }
            case Op::kIntDiv: return int_column(21);
            case Op::kBitAnd:
            case Op::kBitOr:
            case Op::kBitXor:
            case Op::kShl:
            case Op::kShr: return int_column(21, true);
            case Op::kConcat: return string_column(coll_, 255);
            default: return int_column(1);  // comparisons and logic
        }
    }

    ColumnDef cast(const Expr& e) {
        switch (e.cast_type) {
            case CastType::kSigned: return int_column(21);
            case CastType::kUnsigned: return int_column(21, true);
            case CastType::kDecimal:
                return decimal_column(static_cast<uint32_t>(e.cast_length < 0 ? 10 : e.cast_length),
                                      static_cast<uint8_t>(e.cast_scale < 0 ? 0 : e.cast_scale));
            case CastType::kDouble: return double_column();
            case CastType::kDate: return temporal_column(FieldType::kDate);
            case CastType::kDateTime: return temporal_column(FieldType::kDateTime);
            case CastType::kTime: return temporal_column(FieldType::kTime);
            case CastType::kBinary:
                return string_column(kBinaryCollationId, e.cast_length < 0 ? 255 : static_cast<uint32_t>(e.cast_length));
            default: return string_column(coll_, e.cast_length < 0 ? 255 : static_cast<uint32_t>(e.cast_length));
        }
    }

    Session& session_;
    std::string_view source_;
    uint16_t coll_;
};

}  // namespace

Result<std::vector<ColumnDef>> describe_select(Session& session, SelectStmt& stmt, std::string_view source) {
    auto q = FLOE_TRY(compile_query(session, stmt, source, nullptr));
    Describer d(session, source, session.result_collation());
    std::vector<ColumnDef> out;
    size_t n = query_width(*q);
    out.reserve(n);
    for (size_t i = 0; i < n; ++i) out.push_back(d.query_column(*q, i));
    return out;
}

}  // namespace floe::sql
