#include "sql/exec/expr_eval.h"

#include "common/collation.h"

#include <cmath>
#include <limits>

#include "sql/session.h"
#include "sql/variables.h"

namespace floe::sql {
namespace {

char fold(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// Text without a column collation compares as the server default (utf8mb4_general_ci).
// TODO(issue 4): column and connection collations flow into comparisons with the binder.
int compare_text_ci(std::string_view a, std::string_view b) { return compare_text(kDefaultCollationId, a, b); }

bool is_exact(const Value& v) { return v.is_integer() || v.kind() == ValueKind::kDecimal; }

Error out_of_range(std::string_view type, const Expr& e, EvalContext& ctx) {
    std::string text(ctx.source.substr(e.begin, e.end - e.begin));
    return make_error(ErrorCode::ER_DATA_OUT_OF_RANGE, {type, "(" + text + ")"});
}

void warn_truncated(EvalContext& ctx, const Value& v, std::string_view type) {
    ctx.session.add_warning(ErrorCode::ER_TRUNCATED_WRONG_VALUE,
                            make_error(ErrorCode::ER_TRUNCATED_WRONG_VALUE, {type, v.to_text()}).message);
}

double to_double_warn(const Value& v, EvalContext& ctx) {
    bool truncated = false;
    double d = v.to_double(&truncated);
    if (truncated) warn_truncated(ctx, v, "DOUBLE");
    return d;
}

Result<Value> arithmetic(const Expr& e, Op op, const Value& a, const Value& b, EvalContext& ctx) {
    if (a.is_null() || b.is_null()) return Value::null();
    // Strings and doubles make the operation DOUBLE.
    if (!is_exact(a) || !is_exact(b)) {
        double x = to_double_warn(a, ctx), y = to_double_warn(b, ctx);
        double r = op == Op::kAdd ? x + y : (op == Op::kSub ? x - y : x * y);
        if (std::isinf(r) || std::isnan(r)) return out_of_range("DOUBLE", e, ctx);
        return Value::from_double(r);
    }
    if (a.kind() == ValueKind::kDecimal || b.kind() == ValueKind::kDecimal) {
        Decimal x = a.to_decimal(), y = b.to_decimal();
        auto r = op == Op::kAdd ? x.add(y) : (op == Op::kSub ? x.sub(y) : x.mul(y));
        if (!r.ok()) return out_of_range("DECIMAL", e, ctx);
        return Value::from_decimal(*r);
    }
    bool is_unsigned = a.kind() == ValueKind::kUInt || b.kind() == ValueKind::kUInt;
    if (is_unsigned) {
        // MySQL: unsigned if either operand is unsigned; a negative result is out of range.
        __int128 x = a.kind() == ValueKind::kUInt ? static_cast<__int128>(a.uint_value()) : a.int_value();
        __int128 y = b.kind() == ValueKind::kUInt ? static_cast<__int128>(b.uint_value()) : b.int_value();
        __int128 r = op == Op::kAdd ? x + y : (op == Op::kSub ? x - y : x * y);
        if (r < 0 || r > static_cast<__int128>(UINT64_MAX)) return out_of_range("BIGINT UNSIGNED", e, ctx);
        return Value::from_uint(static_cast<uint64_t>(r));
    }
    int64_t x = a.int_value(), y = b.int_value(), r = 0;
    bool overflow = op == Op::kAdd   ? __builtin_add_overflow(x, y, &r)
                    : op == Op::kSub ? __builtin_sub_overflow(x, y, &r)
                                     : __builtin_mul_overflow(x, y, &r);
    if (overflow) return out_of_range("BIGINT", e, ctx);
    return Value::from_int(r);
}

Result<Value> division(const Expr& e, Op op, const Value& a, const Value& b, EvalContext& ctx) {
    if (a.is_null() || b.is_null()) return Value::null();
    bool zero = is_exact(b) ? b.to_decimal().is_zero() : to_double_warn(b, ctx) == 0.0;
    if (zero) {
        ctx.session.add_warning(ErrorCode::ER_DIVISION_BY_ZERO, "Division by 0");
        return Value::null();
    }
    if (op == Op::kDiv) {
        if (is_exact(a) && is_exact(b)) {
            auto r = a.to_decimal().div(b.to_decimal());
            if (!r.ok()) return out_of_range("DECIMAL", e, ctx);
            return Value::from_decimal(*r);
        }
        return Value::from_double(to_double_warn(a, ctx) / to_double_warn(b, ctx));
    }
    if (op == Op::kIntDiv) {
        if (a.is_integer() && b.is_integer() && a.kind() == ValueKind::kInt && b.kind() == ValueKind::kInt) {
            if (a.int_value() == INT64_MIN && b.int_value() == -1) return out_of_range("BIGINT", e, ctx);
            return Value::from_int(a.int_value() / b.int_value());
        }
        if (is_exact(a) && is_exact(b)) {
            auto q = a.to_decimal().div(b.to_decimal());
            if (!q.ok()) return out_of_range("DECIMAL", e, ctx);
            Decimal t = q->rescaled(q->scale());
            // truncate toward zero
            __int128 v = t.unscaled();
            for (int i = 0; i < t.scale(); ++i) v /= 10;
            if (v > INT64_MAX || v < INT64_MIN) return out_of_range("BIGINT", e, ctx);
            return Value::from_int(static_cast<int64_t>(v));
        }
        double q = std::trunc(to_double_warn(a, ctx) / to_double_warn(b, ctx));
        if (q >= 9.2233720368547758e18 || q < -9.2233720368547758e18) return out_of_range("BIGINT", e, ctx);
        return Value::from_int(static_cast<int64_t>(q));
    }
    // MOD: sign follows the dividend.
    if (a.kind() == ValueKind::kInt && b.kind() == ValueKind::kInt) {
        if (b.int_value() == -1) return Value::from_int(0);
        return Value::from_int(a.int_value() % b.int_value());
    }
    if (a.is_integer() && b.is_integer()) {
        uint64_t x = a.kind() == ValueKind::kUInt ? a.uint_value() : static_cast<uint64_t>(std::llabs(a.int_value()));
        uint64_t y = b.kind() == ValueKind::kUInt ? b.uint_value() : static_cast<uint64_t>(std::llabs(b.int_value()));
        uint64_t r = x % y;
        if (a.kind() == ValueKind::kInt && a.int_value() < 0) return Value::from_int(-static_cast<int64_t>(r));
        return Value::from_uint(r);
    }
    if (is_exact(a) && is_exact(b)) {
        Decimal x = a.to_decimal(), y = b.to_decimal();
        int scale = std::max(x.scale(), y.scale());
        __int128 xv = x.rescaled(scale).unscaled(), yv = y.rescaled(scale).unscaled();
        return Value::from_decimal(Decimal(xv % yv, static_cast<uint8_t>(scale)));
    }
    return Value::from_double(std::fmod(to_double_warn(a, ctx), to_double_warn(b, ctx)));
}

// Three-valued truth: -1 unknown (NULL), 0 false, 1 true.
int truth(const Value& v) {
    if (v.is_null()) return -1;
    return v.to_bool() ? 1 : 0;
}

Value from_truth(int t) { return t < 0 ? Value::null() : Value::from_int(t); }

bool is_number(const Value& v) { return is_exact(v) || v.kind() == ValueKind::kDouble; }

// X'41' + 0 = 65: a hex or bit literal used as a number is its bytes read big-endian.
Value hex_as_number(const Value& v) {
    uint64_t n = 0;
    for (unsigned char c : v.string_value()) n = (n << 8) | c;
    return Value::from_uint(n);
}

// A string compared with a number is read as a DOUBLE; text that is not all number earns MySQL's warning.
void warn_if_not_numeric(const Value& s, EvalContext& ctx) {
    bool truncated = false;
    (void)s.to_double(&truncated);
    if (truncated) warn_truncated(ctx, s, "DOUBLE");
}

Result<Value> compare_op(Op op, const Value& a, const Value& b, EvalContext& ctx) {
    if (a.is_string() && is_number(b)) warn_if_not_numeric(a, ctx);
    if (b.is_string() && is_number(a)) warn_if_not_numeric(b, ctx);
    if (op == Op::kNullSafeEq) {
        if (a.is_null() || b.is_null()) return Value::from_int(a.is_null() && b.is_null());
        return Value::from_int(compare_values(a, b) == 0);
    }
    if (a.is_null() || b.is_null()) return Value::null();
    int c = compare_values(a, b);
    switch (op) {
        case Op::kEq: return Value::from_int(c == 0);
        case Op::kNe: return Value::from_int(c != 0);
        case Op::kLt: return Value::from_int(c < 0);
        case Op::kLe: return Value::from_int(c <= 0);
        case Op::kGt: return Value::from_int(c > 0);
        case Op::kGe: return Value::from_int(c >= 0);
        default: return Value::null();
    }
}

uint64_t to_bits(const Value& v) {
    if (v.kind() == ValueKind::kUInt) return v.uint_value();
    if (v.kind() == ValueKind::kDouble) {
        double d = std::round(v.double_value());
        if (d < 0) return static_cast<uint64_t>(static_cast<int64_t>(d));
        return d >= 1.8446744073709552e19 ? UINT64_MAX : static_cast<uint64_t>(d);
    }
    return static_cast<uint64_t>(v.to_int());
}

Result<Value> cast_value(const Expr& e, const Value& v, EvalContext& ctx) {
    if (v.is_null()) return Value::null();
    switch (e.cast_type) {
        case CastType::kSigned: {
            if (v.kind() == ValueKind::kUInt) return Value::from_int(static_cast<int64_t>(v.uint_value()));
            bool truncated = false;
            int64_t i = v.to_int(&truncated);
            if (truncated) warn_truncated(ctx, v, "INTEGER");
            return Value::from_int(i);
        }
        case CastType::kUnsigned: {
            if (v.kind() == ValueKind::kUInt) return v;
            bool truncated = false;
            int64_t i = v.to_int(&truncated);
            if (truncated) warn_truncated(ctx, v, "INTEGER");
            return Value::from_uint(static_cast<uint64_t>(i));
        }
        case CastType::kChar:
        case CastType::kJson: {
            std::string s = v.to_text();
            if (e.cast_length >= 0 && s.size() > static_cast<size_t>(e.cast_length)) s.resize(e.cast_length);
            return Value::from_string(std::move(s));
        }
        case CastType::kBinary: {
            std::string s = v.to_text();
            if (e.cast_length >= 0) s.resize(static_cast<size_t>(e.cast_length), '\0');
            return Value::from_binary(std::move(s));
        }
        case CastType::kDecimal: {
            bool truncated = false;
            Decimal d = v.to_decimal(&truncated);
            if (truncated) warn_truncated(ctx, v, "DECIMAL");
            int scale = e.cast_scale >= 0 ? e.cast_scale : 0;
            return Value::from_decimal(d.rescaled(scale));
        }
        case CastType::kDouble: return Value::from_double(to_double_warn(v, ctx));
        case CastType::kDate:
        case CastType::kDateTime:
        case CastType::kTime: {
            if (v.is_temporal()) {
                DateTime t = v.datetime_value();
                ValueKind kind = e.cast_type == CastType::kDate       ? ValueKind::kDate
                                 : e.cast_type == CastType::kDateTime ? ValueKind::kDateTime
                                                                      : ValueKind::kTime;
                if (kind == ValueKind::kDate) t.hour = t.minute = t.second = 0, t.micros = 0;
                return Value::from_datetime(kind, t);
            }
            // Text forms: 'YYYY-MM-DD[ HH:MM:SS[.ffffff]]' and 'HH:MM:SS'.
            std::string s = v.to_text();
            DateTime t;
            unsigned y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0;
            int n = 0;
            if (e.cast_type == CastType::kTime) {
                if (std::sscanf(s.c_str(), "%u:%u:%u%n", &h, &mi, &se, &n) >= 2 && mi < 60 && se < 60) {
                    t.hour = static_cast<uint8_t>(h % 24);
                    t.day = static_cast<uint8_t>(h / 24);
                    t.minute = static_cast<uint8_t>(mi);
                    t.second = static_cast<uint8_t>(se);
                    return Value::from_datetime(ValueKind::kTime, t);
                }
            } else {
                int got = std::sscanf(s.c_str(), "%u-%u-%u %u:%u:%u", &y, &mo, &d, &h, &mi, &se);
                if (got >= 3 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h < 24 && mi < 60 && se < 60) {
                    t.year = static_cast<int16_t>(y);
                    t.month = static_cast<uint8_t>(mo);
                    t.day = static_cast<uint8_t>(d);
                    if (e.cast_type == CastType::kDateTime) {
                        t.hour = static_cast<uint8_t>(h);
                        t.minute = static_cast<uint8_t>(mi);
                        t.second = static_cast<uint8_t>(se);
                    }
                    return Value::from_datetime(
                        e.cast_type == CastType::kDate ? ValueKind::kDate : ValueKind::kDateTime, t);
                }
            }
            ctx.session.add_warning(
                ErrorCode::ER_TRUNCATED_WRONG_VALUE,
                make_error(ErrorCode::ER_TRUNCATED_WRONG_VALUE,
                           {e.cast_type == CastType::kDate ? "date" : (e.cast_type == CastType::kTime ? "time" : "datetime"), s})
                    .message);
            return Value::null();
        }
    }
    return v;
}

Result<Value> read_system_variable(const Expr& e, EvalContext& ctx) {
    const VarDef* def = find_variable(e.name);
    if (!def) return make_error(ErrorCode::ER_UNKNOWN_SYSTEM_VARIABLE, {e.name});
    if (e.scope == VarScope::kGlobal && def->scopes == VarScopes::kSessionOnly) {
        return make_error(ErrorCode::ER_INCORRECT_GLOBAL_LOCAL_VAR, {def->name, "SESSION"});
    }
    if (def->name == "warning_count" || def->name == "error_count") {
        uint64_t n = 0;
        for (const auto& w : ctx.session.warnings()) {
            if (def->name == "warning_count" || w.level == "Error") ++n;
        }
        return Value::from_uint(n);
    }
    if (e.scope == VarScope::kGlobal) return read_variable(*def, ctx.session.global_variable(*def));
    if (e.scope == VarScope::kSession && def->scopes == VarScopes::kGlobalOnly) {
        return make_error(ErrorCode::ER_INCORRECT_GLOBAL_LOCAL_VAR, {def->name, "GLOBAL"});
    }
    if (def->scopes == VarScopes::kGlobalOnly) return read_variable(*def, ctx.session.global_variable(*def));
    return read_variable(*def, ctx.session.variable(*def));
}

}  // namespace

int compare_values(const Value& a, const Value& b) {
    if (a.is_string() && b.is_string()) {
        if (a.kind() == ValueKind::kBinary || b.kind() == ValueKind::kBinary) {
            int c = a.string_value().compare(b.string_value());
            return c < 0 ? -1 : (c > 0 ? 1 : 0);
        }
        return compare_text_ci(a.string_value(), b.string_value());
    }
    if (a.is_temporal() || b.is_temporal()) {
        if (a.is_temporal() && b.is_temporal() && a.kind() == b.kind()) {
            int64_t x = a.to_int(), y = b.to_int();
            if (x != y) return x < y ? -1 : 1;
            uint32_t ux = a.datetime_value().micros, uy = b.datetime_value().micros;
            return ux < uy ? -1 : (ux > uy ? 1 : 0);
        }
        if (a.is_string() || b.is_string()) return compare_text_ci(a.to_text(), b.to_text());
    }
    if (a.is_integer() && b.is_integer()) {
        if (a.kind() == b.kind()) {
            if (a.kind() == ValueKind::kInt) return a.int_value() < b.int_value() ? -1 : (a.int_value() > b.int_value());
            return a.uint_value() < b.uint_value() ? -1 : (a.uint_value() > b.uint_value());
        }
        __int128 x = a.kind() == ValueKind::kUInt ? static_cast<__int128>(a.uint_value()) : a.int_value();
        __int128 y = b.kind() == ValueKind::kUInt ? static_cast<__int128>(b.uint_value()) : b.int_value();
        return x < y ? -1 : (x > y);
    }
    if (is_exact(a) && is_exact(b)) return a.to_decimal().compare(b.to_decimal());
    double x = a.to_double(), y = b.to_double();
    return x < y ? -1 : (x > y ? 1 : 0);
}

bool like_match(std::string_view text, std::string_view pattern, char escape, bool binary) {
    // Iterative matcher with backtracking on the last %.
    size_t t = 0, p = 0, star_p = std::string_view::npos, star_t = 0;
    auto eq = [&](char x, char y) { return binary ? x == y : fold(x) == fold(y); };
    // Advance over one UTF-8 character for '_'.
    auto char_len = [](unsigned char c) { return c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : 4; };
    while (t < text.size()) {
        if (p < pattern.size() && pattern[p] == '%') {
            star_p = ++p;
            star_t = t;
            continue;
        }
        if (p < pattern.size() && pattern[p] == '_') {
            t += binary ? 1 : char_len(static_cast<unsigned char>(text[t]));
            ++p;
            continue;
        }
        if (p < pattern.size()) {
            char pc = pattern[p];
            size_t step = 1;
            if (pc == escape && p + 1 < pattern.size()) {
                pc = pattern[p + 1];
                step = 2;
            }
            if (eq(pc, text[t])) {
                ++t;
                p += step;
                continue;
            }
        }
        if (star_p == std::string_view::npos) return false;
        p = star_p;
        t = ++star_t;
    }
    while (p < pattern.size() && pattern[p] == '%') ++p;
    return p == pattern.size();
}

ColumnDef column_for_value(std::string name, const Value& v, uint16_t text_collation, bool not_null) {
    ColumnDef c;
    c.name = std::move(name);
    c.flags = not_null ? column_flag::kNotNull : 0;
    switch (v.kind()) {
        case ValueKind::kNull:
            c.type = FieldType::kNull;
            c.flags = column_flag::kBinary;
            break;
        case ValueKind::kInt:
        case ValueKind::kUInt:
            c.type = FieldType::kLongLong;
            c.length = 21;
            c.flags |= column_flag::kBinary | column_flag::kNum;
            if (v.kind() == ValueKind::kUInt) c.flags |= column_flag::kUnsigned;
            break;
        case ValueKind::kDouble:
            c.type = FieldType::kDouble;
            c.length = 23;
            c.decimals = 31;
            c.flags |= column_flag::kBinary | column_flag::kNum;
            break;
        case ValueKind::kDecimal:
            c.type = FieldType::kNewDecimal;
            c.decimals = v.decimal_value().scale();
            c.length = static_cast<uint32_t>(v.decimal_value().to_string().size()) + 1;
            c.flags |= column_flag::kBinary | column_flag::kNum;
            break;
        case ValueKind::kString: {
            c.type = FieldType::kVarString;
            c.charset = text_collation;
            const Collation* coll = collation_by_id(text_collation);
            c.length = static_cast<uint32_t>(std::max<size_t>(v.string_value().size(), 1)) *
                       (coll ? coll->max_bytes_per_char : 4);
            c.decimals = 31;
            if (text_collation == kBinaryCollationId) c.flags |= column_flag::kBinary;
            break;
        }
        case ValueKind::kBinary:
            c.type = FieldType::kVarString;
            c.length = static_cast<uint32_t>(v.string_value().size());
            c.flags |= column_flag::kBinary;
            c.decimals = 31;
            break;
        case ValueKind::kDate:
            c.type = FieldType::kDate;
            c.length = 10;
            c.flags |= column_flag::kBinary;
            break;
        case ValueKind::kDateTime:
            c.type = FieldType::kDateTime;
            c.length = 19;
            c.flags |= column_flag::kBinary;
            break;
        case ValueKind::kTime:
            c.type = FieldType::kTime;
            c.length = 10;
            c.flags |= column_flag::kBinary;
            break;
    }
    return c;
}

ColumnDef column_for_rows(std::string name, const std::vector<Row>& rows, size_t i, uint16_t text_collation,
                          bool not_null) {
    const Value* first = nullptr;
    bool same = true, ints = true, unsigned_ints = true, decimals = true, numbers = true, temporal = true;
    bool binary = false;
    uint8_t scale = 0;
    size_t string_length = 0;
    for (const Row& r : rows) {
        const Value& v = r[i];
        if (v.is_null()) continue;
        if (!first) first = &v;
        ValueKind k = v.kind();
        same = same && k == first->kind();
        ints = ints && v.is_integer();
        unsigned_ints = unsigned_ints && k == ValueKind::kUInt;
        decimals = decimals && (v.is_integer() || k == ValueKind::kDecimal);
        numbers = numbers && (v.is_integer() || k == ValueKind::kDecimal || k == ValueKind::kDouble);
        temporal = temporal && (k == ValueKind::kDate || k == ValueKind::kDateTime);
        binary = binary || k == ValueKind::kBinary;
        if (k == ValueKind::kDecimal) scale = std::max(scale, v.decimal_value().scale());
        if (v.is_string()) string_length = std::max(string_length, v.string_value().size());
    }
    if (!first) return column_for_value(std::move(name), Value::null(), text_collation, not_null);
    // One kind of value: typed as that kind (strings as long as the longest); mixed kinds: their common type.
    if (same && !first->is_string()) return column_for_value(std::move(name), *first, text_collation, not_null);
    if (same || (!ints && !decimals && !numbers && !temporal)) {
        if (!same) {
            // Mixed kinds shown as text: as long as the longest text form (only this case needs them).
            std::string text;
            for (const Row& r : rows) {
                if (r[i].is_null() || r[i].is_string()) continue;
                text.clear();
                r[i].append_text(text);
                string_length = std::max(string_length, text.size());
            }
        }
        std::string sample(string_length, ' ');
        return column_for_value(std::move(name), binary ? Value::from_binary(std::move(sample)) : Value::from_string(std::move(sample)),
                                text_collation, not_null);
    }
    if (ints) return column_for_value(std::move(name), unsigned_ints ? Value::from_uint(0) : Value::from_int(0), text_collation, not_null);
    if (numbers && !decimals) return column_for_value(std::move(name), Value::from_double(0), text_collation, not_null);
    if (temporal) {
        return column_for_value(std::move(name), Value::from_datetime(ValueKind::kDateTime, DateTime{}), text_collation, not_null);
    }
    // Integers with decimals: a DECIMAL wide enough for the largest integer part and the largest scale.
    ColumnDef c = column_for_value(std::move(name), Value::from_decimal(Decimal(0, scale)), text_collation, not_null);
    c.length = 66;  // MySQL's widest DECIMAL (65 digits) and its point
    return c;
}

namespace {

// [NOT] IN (SELECT ...), [NOT] EXISTS (SELECT ...), (SELECT ...): MySQL's rules for empty results and NULLs.
Result<Value> evaluate_subquery(const Expr& e, EvalContext& ctx) {
    if (!ctx.subqueries) return make_error(ErrorCode::ER_NOT_SUPPORTED_YET, {"subqueries in this statement"});
    if (e.kind == ExprKind::kInSubquery) {
        Value v = FLOE_TRY(evaluate(*e.args[0], ctx));
        const std::vector<Row>* rows = FLOE_TRY(ctx.subqueries->rows(e, ctx));
        if (rows->empty()) return Value::from_int(e.negated);
        if (v.is_null()) return Value::null();
        bool saw_null = false;
        for (const Row& r : *rows) {
            if (r[0].is_null()) {
                saw_null = true;
            } else if (compare_values(v, r[0]) == 0) {
                return Value::from_int(!e.negated);
            }
        }
        if (saw_null) return Value::null();
        return Value::from_int(e.negated);
    }
    const std::vector<Row>* rows = FLOE_TRY(ctx.subqueries->rows(e, ctx));
    if (e.kind == ExprKind::kExists) return Value::from_int(rows->empty() == e.negated);
    if (rows->size() > 1) return make_error(ErrorCode::ER_SUBQUERY_NO_1_ROW);
    return rows->empty() ? Value::null() : (*rows)[0][0];
}

}  // namespace

Result<Value> evaluate(const Expr& e, EvalContext& ctx) {
    if (e.slot >= 0) {
        // Bound by the query engine: the value sits in the row (or an enclosing query's row).
        const RowScope* r = ctx.row;
        for (uint8_t d = 0; d < e.depth && r; ++d) r = r->outer;
        if (r && static_cast<size_t>(e.slot) < r->values.size()) return r->values[static_cast<size_t>(e.slot)];
        return make_error(ErrorCode::ER_INTERNAL_ERROR, {"an expression was evaluated outside its query"});
    }
    switch (e.kind) {
        case ExprKind::kSubquery:
        case ExprKind::kExists:
        case ExprKind::kInSubquery: return evaluate_subquery(e, ctx);
        case ExprKind::kLiteral: return e.literal;
        case ExprKind::kParam: return e.literal;  // the value the latest EXECUTE bound
        case ExprKind::kColumn: {
            bool qualifier_ok = e.qualifier.empty();
            if (ctx.row) {
                for (const auto& q : ctx.row->qualifiers) qualifier_ok |= compare_text_ci(q, e.qualifier) == 0;
            }
            if (ctx.row && qualifier_ok) {
                for (size_t i = 0; i < ctx.row->names.size(); ++i) {
                    const std::string& n = ctx.row->names[i];
                    if (n.size() == e.name.size() && compare_text_ci(n, e.name) == 0) return ctx.row->values[i];
                }
            }
            std::string full = e.qualifier.empty() ? e.name : e.qualifier + "." + e.name;
            return make_error(ErrorCode::ER_BAD_FIELD_ERROR, {full, ctx.clause});
        }
        case ExprKind::kUserVar: return ctx.session.user_variable(e.name);
        case ExprKind::kSysVar: return read_system_variable(e, ctx);
        case ExprKind::kAssign: {
            Value v = FLOE_TRY(evaluate(*e.args[0], ctx));
            ctx.session.set_user_variable(e.name, v);
            return v;
        }
        case ExprKind::kUnary: {
            Value v = FLOE_TRY(evaluate(*e.args[0], ctx));
            switch (e.op) {
                case Op::kNot: return from_truth(truth(v) < 0 ? -1 : 1 - truth(v));
                case Op::kNeg:
                    if (v.is_null()) return v;
                    if (v.kind() == ValueKind::kInt) {
                        if (v.int_value() == INT64_MIN) return out_of_range("BIGINT", e, ctx);
                        return Value::from_int(-v.int_value());
                    }
                    if (v.kind() == ValueKind::kUInt) {
                        if (v.uint_value() > static_cast<uint64_t>(INT64_MAX) + 1) {
                            return Value::from_decimal(Decimal::from_uint(v.uint_value()).negated());
                        }
                        return Value::from_int(static_cast<int64_t>(0 - v.uint_value()));
                    }
                    if (v.kind() == ValueKind::kDecimal) return Value::from_decimal(v.decimal_value().negated());
                    return Value::from_double(-to_double_warn(v, ctx));
                case Op::kBitNot:
                    if (v.is_null()) return v;
                    return Value::from_uint(~to_bits(v));
                case Op::kBinary:
                    if (v.is_null()) return v;
                    return Value::from_binary(v.to_text());
                default: break;
            }
            return make_error(ErrorCode::ER_INTERNAL_ERROR, {"unknown unary operator"});
        }
        case ExprKind::kBinary: {
            // AND / OR short-circuit as MySQL does (and keep @v := side effects in order).
            if (e.op == Op::kAnd || e.op == Op::kOr) {
                Value a = FLOE_TRY(evaluate(*e.args[0], ctx));
                int ta = truth(a);
                if (e.op == Op::kAnd && ta == 0) return Value::from_int(0);
                if (e.op == Op::kOr && ta == 1) return Value::from_int(1);
                Value b = FLOE_TRY(evaluate(*e.args[1], ctx));
                int tb = truth(b);
                if (e.op == Op::kAnd) {
                    if (tb == 0) return Value::from_int(0);
                    return from_truth(ta < 0 || tb < 0 ? -1 : 1);
                }
                if (tb == 1) return Value::from_int(1);
                return from_truth(ta < 0 || tb < 0 ? -1 : 0);
            }
            Value a = FLOE_TRY(evaluate(*e.args[0], ctx));
            Value b = FLOE_TRY(evaluate(*e.args[1], ctx));
            bool comparison = e.op == Op::kEq || e.op == Op::kNullSafeEq || e.op == Op::kNe || e.op == Op::kLt ||
                              e.op == Op::kLe || e.op == Op::kGt || e.op == Op::kGe;
            if (e.args[0]->hex_literal && !a.is_null() && (!comparison || is_number(b))) a = hex_as_number(a);
            if (e.args[1]->hex_literal && !b.is_null() && (!comparison || is_number(a))) b = hex_as_number(b);
            switch (e.op) {
                case Op::kAdd:
                case Op::kSub:
                case Op::kMul: return arithmetic(e, e.op, a, b, ctx);
                case Op::kDiv:
                case Op::kIntDiv:
                case Op::kMod: return division(e, e.op, a, b, ctx);
                case Op::kXor: {
                    int ta = truth(a), tb = truth(b);
                    return from_truth(ta < 0 || tb < 0 ? -1 : (ta != tb));
                }
                case Op::kConcat: {
                    if (a.is_null() || b.is_null()) return Value::null();
                    return Value::from_string(a.to_text() + b.to_text());
                }
                case Op::kBitAnd:
                case Op::kBitOr:
                case Op::kBitXor:
                case Op::kShl:
                case Op::kShr: {
                    if (a.is_null() || b.is_null()) return Value::null();
                    uint64_t x = to_bits(a), y = to_bits(b);
                    switch (e.op) {
                        case Op::kBitAnd: return Value::from_uint(x & y);
                        case Op::kBitOr: return Value::from_uint(x | y);
                        case Op::kBitXor: return Value::from_uint(x ^ y);
                        case Op::kShl: return Value::from_uint(y >= 64 ? 0 : x << y);
                        default: return Value::from_uint(y >= 64 ? 0 : x >> y);
                    }
                }
                default: return compare_op(e.op, a, b, ctx);
            }
        }
        case ExprKind::kIsNull: {
            Value v = FLOE_TRY(evaluate(*e.args[0], ctx));
            return Value::from_int(v.is_null() != e.negated);
        }
        case ExprKind::kIsBool: {
            Value v = FLOE_TRY(evaluate(*e.args[0], ctx));
            bool r = truth(v) == e.bool_target;
            return Value::from_int(r != e.negated);
        }
        case ExprKind::kIn: {
            Value v = FLOE_TRY(evaluate(*e.args[0], ctx));
            if (v.is_null()) return Value::null();
            bool saw_null = false;
            for (size_t i = 1; i < e.args.size(); ++i) {
                Value item = FLOE_TRY(evaluate(*e.args[i], ctx));
                if (item.is_null()) {
                    saw_null = true;
                } else if (compare_values(v, item) == 0) {
                    return Value::from_int(!e.negated);
                }
            }
            if (saw_null) return Value::null();
            return Value::from_int(e.negated);
        }
        case ExprKind::kBetween: {
            Value v = FLOE_TRY(evaluate(*e.args[0], ctx));
            Value lo = FLOE_TRY(evaluate(*e.args[1], ctx));
            Value hi = FLOE_TRY(evaluate(*e.args[2], ctx));
            int t1 = lo.is_null() || v.is_null() ? -1 : (compare_values(v, lo) >= 0);
            int t2 = hi.is_null() || v.is_null() ? -1 : (compare_values(v, hi) <= 0);
            int t = (t1 == 0 || t2 == 0) ? 0 : ((t1 < 0 || t2 < 0) ? -1 : 1);
            if (e.negated && t >= 0) t = 1 - t;
            return from_truth(t);
        }
        case ExprKind::kLike: {
            Value v = FLOE_TRY(evaluate(*e.args[0], ctx));
            Value p = FLOE_TRY(evaluate(*e.args[1], ctx));
            char escape = '\\';
            if (e.args.size() > 2) {
                Value esc = FLOE_TRY(evaluate(*e.args[2], ctx));
                std::string s = esc.to_text();
                if (s.size() > 1) return make_error(ErrorCode::ER_WRONG_ARGUMENTS, {"ESCAPE"});
                escape = s.empty() ? '\\' : s[0];
            }
            if (v.is_null() || p.is_null()) return Value::null();
            bool binary = v.kind() == ValueKind::kBinary || p.kind() == ValueKind::kBinary;
            bool m = like_match(v.to_text(), p.to_text(), escape, binary);
            return Value::from_int(m != e.negated);
        }
        case ExprKind::kCase: {
            size_t i = 0;
            Value operand;
            if (e.has_case_operand) operand = FLOE_TRY(evaluate(*e.args[i++], ctx));
            size_t pairs_end = e.args.size() - (e.has_else ? 1 : 0);
            for (; i + 1 < pairs_end; i += 2) {
                Value when = FLOE_TRY(evaluate(*e.args[i], ctx));
                bool hit = e.has_case_operand ? (!operand.is_null() && !when.is_null() && compare_values(operand, when) == 0)
                                              : truth(when) == 1;
                if (hit) return evaluate(*e.args[i + 1], ctx);
            }
            if (e.has_else) return evaluate(*e.args.back(), ctx);
            return Value::null();
        }
        case ExprKind::kCast: {
            Value v = FLOE_TRY(evaluate(*e.args[0], ctx));
            return cast_value(e, v, ctx);
        }
        case ExprKind::kFunction: {
            // Lazily evaluated: only the branch taken runs (side effects of @v := stay right).
            if (e.name == "if") {
                if (e.args.size() != 3) return make_error(ErrorCode::ER_WRONG_PARAMCOUNT_TO_NATIVE_FCT, {"IF"});
                Value c = FLOE_TRY(evaluate(*e.args[0], ctx));
                return evaluate(*e.args[truth(c) == 1 ? 1 : 2], ctx);
            }
            if (e.name == "ifnull" || e.name == "coalesce") {
                if ((e.name == "ifnull" && e.args.size() != 2) || e.args.empty()) {
                    return make_error(ErrorCode::ER_WRONG_PARAMCOUNT_TO_NATIVE_FCT, {e.name == "ifnull" ? "ifnull" : "coalesce"});
                }
                for (const auto& arg : e.args) {
                    Value v = FLOE_TRY(evaluate(*arg, ctx));
                    if (!v.is_null()) return v;
                }
                return Value::null();
            }
            std::vector<Value> args;
            args.reserve(e.args.size());
            for (const auto& arg : e.args) args.push_back(FLOE_TRY(evaluate(*arg, ctx)));
            return call_function(e, args, ctx);
        }
        case ExprKind::kStar: return make_error(ErrorCode::ER_NO_TABLES_USED);
        case ExprKind::kValuesFn: {
            if (ctx.values_row) {
                for (size_t i = 0; i < ctx.values_row->names.size(); ++i) {
                    if (compare_text_ci(ctx.values_row->names[i], e.name) == 0) return ctx.values_row->values[i];
                }
                return make_error(ErrorCode::ER_BAD_FIELD_ERROR, {e.name, "field list"});
            }
            return Value::null();  // VALUES(col) outside ON DUPLICATE KEY UPDATE is NULL, as in MySQL
        }
        case ExprKind::kDefault: return make_error(ErrorCode::ER_WRONG_ARGUMENTS, {"DEFAULT"});
    }
    return make_error(ErrorCode::ER_INTERNAL_ERROR, {"unknown expression"});
}

bool identical_values(const Value& a, const Value& b) {
    if (a.is_null() || b.is_null()) return a.is_null() == b.is_null();
    if (a.is_string() && b.is_string()) return a.string_value() == b.string_value();
    return compare_values(a, b) == 0;
}

}  // namespace floe::sql
