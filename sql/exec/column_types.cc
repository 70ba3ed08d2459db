#include "sql/exec/column_types.h"

#include <charconv>
#include <cmath>
#include <cstdio>

#include "common/charset.h"
#include "common/collation.h"
#include "common/utf8.h"
#include "sql/exec/expr_eval.h"
#include "sql/parse/lexer.h"
#include "sql/session.h"

namespace floe::sql {

using storage::ColumnSchema;
using storage::ColumnType;

namespace {

struct TypeInfo {
    std::string_view name;
    ColumnType type;
};

constexpr TypeInfo kTypes[] = {
    {"tinyint", ColumnType::kTinyInt},     {"bool", ColumnType::kTinyInt},       {"smallint", ColumnType::kSmallInt},
    {"mediumint", ColumnType::kMediumInt}, {"int", ColumnType::kInt},            {"bigint", ColumnType::kBigInt},
    {"float", ColumnType::kFloat},         {"double", ColumnType::kDouble},      {"decimal", ColumnType::kDecimal},
    {"char", ColumnType::kChar},           {"varchar", ColumnType::kVarchar},    {"tinytext", ColumnType::kTinyText},
    {"text", ColumnType::kText},           {"mediumtext", ColumnType::kMediumText},
    {"longtext", ColumnType::kLongText},   {"binary", ColumnType::kBinary},      {"varbinary", ColumnType::kVarbinary},
    {"tinyblob", ColumnType::kTinyBlob},   {"blob", ColumnType::kBlob},          {"mediumblob", ColumnType::kMediumBlob},
    {"longblob", ColumnType::kLongBlob},   {"date", ColumnType::kDate},          {"datetime", ColumnType::kDateTime},
    {"timestamp", ColumnType::kTimestamp}, {"time", ColumnType::kTime},          {"year", ColumnType::kYear},
    {"json", ColumnType::kJson},           {"enum", ColumnType::kEnum},          {"serial", ColumnType::kBigInt},
};

std::string_view type_name(const ColumnSchema& c) {
    if (c.type == ColumnType::kTinyInt && c.length == 1 && !c.is_unsigned) return "tinyint";
    for (const auto& t : kTypes) {
        if (t.type == c.type && t.name != "bool" && t.name != "serial") return t.name;
    }
    return "?";
}

// Signed and unsigned ranges of the integer types.
void int_range(const ColumnSchema& c, __int128& lo, __int128& hi) {
    int bits = c.type == ColumnType::kTinyInt ? 8 : c.type == ColumnType::kSmallInt ? 16 :
               c.type == ColumnType::kMediumInt ? 24 : c.type == ColumnType::kInt ? 32 : 64;
    if (c.is_unsigned) {
        lo = 0;
        hi = (static_cast<__int128>(1) << bits) - 1;
    } else {
        lo = -(static_cast<__int128>(1) << (bits - 1));
        hi = (static_cast<__int128>(1) << (bits - 1)) - 1;
    }
}

uint64_t max_string_bytes(ColumnType t) {
    switch (t) {
        case ColumnType::kTinyText:
        case ColumnType::kTinyBlob: return 255;
        case ColumnType::kText:
        case ColumnType::kBlob: return 65535;
        case ColumnType::kMediumText:
        case ColumnType::kMediumBlob: return 16777215;
        default: return 4294967295ULL;
    }
}

Error bad_value(ErrorCode code, std::string message) { return Error{code, std::move(message)}; }

// A bad value is an error in strict mode and a warning (value replaced) otherwise.
Status complain(ConvertContext& ctx, ErrorCode code, std::string message) {
    if (ctx.strict) return bad_value(code, std::move(message));
    ctx.session.add_warning(code, std::move(message));
    return {};
}

std::string at_row(const ColumnSchema& col, const ConvertContext& ctx) {
    return "column '" + col.name + "' at row " + std::to_string(ctx.row);
}

}  // namespace

std::optional<DateTime> parse_temporal(std::string_view text, ColumnType type) {
    std::string s(text);
    while (!s.empty() && s.back() == ' ') s.pop_back();
    DateTime t;
    unsigned y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0;
    int consumed = 0;
    if (type == ColumnType::kTime) {
        bool neg = !s.empty() && s[0] == '-';
        if (std::sscanf(s.c_str() + (neg ? 1 : 0), "%u:%u:%u%n", &h, &mi, &se, &consumed) < 3 || mi > 59 || se > 59) {
            return std::nullopt;
        }
        t.negative = neg;
        t.day = static_cast<uint8_t>(h / 24);
        t.hour = static_cast<uint8_t>(h % 24);
        t.minute = static_cast<uint8_t>(mi);
        t.second = static_cast<uint8_t>(se);
        consumed += neg ? 1 : 0;
    } else {
        bool digits_only = !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
        if (digits_only && (s.size() == 6 || s.size() == 8 || s.size() == 12 || s.size() == 14)) {
            // MySQL's numeric forms: YYYYMMDD[HHMMSS] and YYMMDD[HHMMSS] (70-99 -> 19xx).
            size_t ylen = s.size() == 8 || s.size() == 14 ? 4 : 2;
            auto part = [&](size_t at, size_t len) { return static_cast<unsigned>(std::stoul(s.substr(at, len))); };
            y = part(0, ylen);
            if (ylen == 2) y += y < 70 ? 2000 : 1900;
            mo = part(ylen, 2);
            d = part(ylen + 2, 2);
            if (s.size() > ylen + 4) {
                h = part(ylen + 4, 2);
                mi = part(ylen + 6, 2);
                se = part(ylen + 8, 2);
            }
            consumed = static_cast<int>(s.size());
        } else if (std::sscanf(s.c_str(), "%4u-%2u-%2u%n", &y, &mo, &d, &consumed) < 3) {
            return std::nullopt;
        } else if (static_cast<size_t>(consumed) < s.size() && (s[consumed] == ' ' || s[consumed] == 'T')) {
            int more = 0;
            if (std::sscanf(s.c_str() + consumed + 1, "%2u:%2u:%2u%n", &h, &mi, &se, &more) == 3) consumed += 1 + more;
        }
        bool zero = y == 0 && mo == 0 && d == 0;
        if (!zero && (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 59)) return std::nullopt;
        static const int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        if (!zero && (static_cast<int>(d) > kDays[mo - 1] || (mo == 2 && d == 29 && !leap))) return std::nullopt;
        t.year = static_cast<int16_t>(y);
        t.month = static_cast<uint8_t>(mo);
        t.day = static_cast<uint8_t>(d);
        t.hour = static_cast<uint8_t>(h);
        t.minute = static_cast<uint8_t>(mi);
        t.second = static_cast<uint8_t>(se);
    }
    if (static_cast<size_t>(consumed) < s.size() && s[consumed] == '.') {
        std::string frac;
        size_t i = consumed + 1;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') frac.push_back(s[i++]);
        while (frac.size() < 6) frac.push_back('0');
        t.micros = static_cast<uint32_t>(std::stoul(frac.substr(0, 6)));
        consumed = static_cast<int>(i);
    }
    if (static_cast<size_t>(consumed) != s.size()) return std::nullopt;
    return t;
}

Value implicit_default(const ColumnSchema& col) {
    if (storage::is_integer_type(col.type)) return col.is_unsigned ? Value::from_uint(0) : Value::from_int(0);
    switch (col.type) {
        case ColumnType::kFloat:
        case ColumnType::kDouble: return Value::from_double(0);
        case ColumnType::kDecimal: return Value::from_decimal(Decimal(0, col.scale));
        case ColumnType::kDate: return Value::from_datetime(ValueKind::kDate, DateTime{});
        case ColumnType::kDateTime:
        case ColumnType::kTimestamp: return Value::from_datetime(ValueKind::kDateTime, DateTime{});
        case ColumnType::kTime: return Value::from_datetime(ValueKind::kTime, DateTime{});
        case ColumnType::kEnum: return Value::from_string(col.enum_values.empty() ? "" : col.enum_values[0]);
        default: return storage::is_binary_type(col.type) ? Value::from_binary("") : Value::from_string("");
    }
}

Result<Value> convert_for_column(const ColumnSchema& col, const Value& v, ConvertContext& ctx) {
    if (v.is_null()) {
        if (!col.nullable) return make_error(ErrorCode::ER_BAD_NULL_ERROR, {col.name});
        return v;
    }
    switch (col.type) {
        case ColumnType::kTinyInt:
        case ColumnType::kSmallInt:
        case ColumnType::kMediumInt:
        case ColumnType::kInt:
        case ColumnType::kBigInt: {
            __int128 n;
            if (v.kind() == ValueKind::kInt) {
                n = v.int_value();
            } else if (v.kind() == ValueKind::kUInt) {
                n = v.uint_value();
            } else if (v.is_string() || v.kind() == ValueKind::kDouble || v.kind() == ValueKind::kDecimal ||
                       v.is_temporal()) {
                bool truncated = false;
                if (v.is_string()) {
                    // MySQL: no number at all is 1366, a number followed by more than blanks 1265.
                    Decimal d = v.to_decimal(&truncated);
                    const std::string& text = v.string_value();
                    if (numeric_prefix(text, true) == 0) {
                        FLOE_CHECK(complain(ctx, ErrorCode::ER_TRUNCATED_WRONG_VALUE_FOR_FIELD,
                                            "Incorrect integer value: '" + text + "' for " + at_row(col, ctx)));
                    } else if (truncated) {
                        FLOE_CHECK(complain(ctx, ErrorCode::WARN_DATA_TRUNCATED, "Data truncated for " + at_row(col, ctx)));
                    } else if (d.rescaled(0).compare(d) != 0) {
                        ctx.session.add_warning(ErrorCode::WARN_DATA_TRUNCATED, "Data truncated for " + at_row(col, ctx),
                                                "Note");  // '2.5' -> 3
                    }
                    __int128 u = d.rescaled(0).unscaled();
                    n = u;
                } else if (v.kind() == ValueKind::kDouble) {
                    double d = std::round(v.double_value());
                    n = d >= 1.8e19 ? static_cast<__int128>(UINT64_MAX) + 1
                                    : (d <= -9.3e18 ? static_cast<__int128>(INT64_MIN) - 1 : static_cast<__int128>(d));
                } else if (v.kind() == ValueKind::kDecimal) {
                    n = v.decimal_value().rescaled(0).unscaled();
                } else {
                    n = v.to_int();
                }
            } else {
                n = v.to_int();
            }
            __int128 lo, hi;
            int_range(col, lo, hi);
            if (n < lo || n > hi) {
                FLOE_CHECK(complain(ctx, ErrorCode::ER_WARN_DATA_OUT_OF_RANGE,
                                    "Out of range value for " + at_row(col, ctx)));
                n = n < lo ? lo : hi;
            }
            if (col.is_unsigned) return Value::from_uint(static_cast<uint64_t>(n));
            return Value::from_int(static_cast<int64_t>(n));
        }
        case ColumnType::kYear: {
            int64_t y = v.to_int();
            if (v.is_string() && v.string_value().size() <= 2 && y < 100) y += y < 70 ? 2000 : 1900;
            else if (!v.is_string() && y > 0 && y < 100) y += y < 70 ? 2000 : 1900;
            if (y != 0 && (y < 1901 || y > 2155)) {
                FLOE_CHECK(complain(ctx, ErrorCode::ER_WARN_DATA_OUT_OF_RANGE, "Out of range value for " + at_row(col, ctx)));
                y = 0;
            }
            return Value::from_int(y);
        }
        case ColumnType::kFloat:
        case ColumnType::kDouble: {
            bool truncated = false;
            double d = v.to_double(&truncated);
            if (truncated) {
                FLOE_CHECK(complain(ctx, ErrorCode::ER_TRUNCATED_WRONG_VALUE_FOR_FIELD,
                                    "Incorrect double value: '" + v.to_text() + "' for " + at_row(col, ctx)));
            }
            if (col.type == ColumnType::kFloat) {
                // Keep a FLOAT as the float it is, printed as MySQL prints floats (shortest form).
                char buf[32];
                auto r = std::to_chars(buf, buf + sizeof buf, static_cast<float>(d));
                d = std::strtod(std::string(buf, r.ptr).c_str(), nullptr);
            }
            return Value::from_double(d);
        }
        case ColumnType::kDecimal: {
            bool truncated = false;
            Decimal d = v.to_decimal(&truncated);
            if (truncated && v.is_string()) {
                FLOE_CHECK(complain(ctx, ErrorCode::ER_TRUNCATED_WRONG_VALUE_FOR_FIELD,
                                    "Incorrect decimal value: '" + v.to_text() + "' for " + at_row(col, ctx)));
            }
            Decimal scaled = d.rescaled(col.scale);
            if (scaled.compare(d) != 0) {
                ctx.session.add_warning(ErrorCode::WARN_DATA_TRUNCATED,
                                        "Data truncated for " + at_row(col, ctx), "Note");
            }
            // At most precision - scale integer digits.
            __int128 limit = 1;
            for (int i = 0; i < col.precision; ++i) limit *= 10;
            if (scaled.unscaled() >= limit || scaled.unscaled() <= -limit) {
                FLOE_CHECK(complain(ctx, ErrorCode::ER_WARN_DATA_OUT_OF_RANGE, "Out of range value for " + at_row(col, ctx)));
                if (col.is_unsigned && scaled.negative()) return Value::from_decimal(Decimal(0, col.scale));
                scaled = Decimal(scaled.negative() ? -(limit - 1) : limit - 1, col.scale);
            }
            if (col.is_unsigned && scaled.negative()) {
                FLOE_CHECK(complain(ctx, ErrorCode::ER_WARN_DATA_OUT_OF_RANGE, "Out of range value for " + at_row(col, ctx)));
                scaled = Decimal(0, col.scale);
            }
            return Value::from_decimal(scaled);
        }
        case ColumnType::kDate:
        case ColumnType::kDateTime:
        case ColumnType::kTimestamp:
        case ColumnType::kTime: {
            ValueKind kind = col.type == ColumnType::kDate ? ValueKind::kDate
                             : col.type == ColumnType::kTime ? ValueKind::kTime : ValueKind::kDateTime;
            std::optional<DateTime> t;
            if (v.is_temporal()) {
                t = v.datetime_value();
                if (kind == ValueKind::kDate) t->hour = t->minute = t->second = 0, t->micros = 0;
            } else {
                t = parse_temporal(v.to_text(), col.type);
            }
            const char* what = col.type == ColumnType::kDate ? "date" : col.type == ColumnType::kTime ? "time" : "datetime";
            if (!t) {
                FLOE_CHECK(complain(ctx, ErrorCode::ER_TRUNCATED_WRONG_VALUE,
                                    std::string("Incorrect ") + what + " value: '" + v.to_text() + "' for " +
                                        at_row(col, ctx)));
                return implicit_default(col);
            }
            if (col.scale < 6) {
                uint32_t unit = 1;
                for (int i = col.scale; i < 6; ++i) unit *= 10;
                t->micros = (t->micros + unit / 2) / unit * unit;  // rounded to the column's fractional digits
                if (t->micros >= 1000000) t->micros = 1000000 - unit;
            }
            return Value::from_datetime(kind, *t);
        }
        case ColumnType::kEnum: {
            std::string text = v.to_text();
            if (v.is_integer() && v.to_int() >= 1 && static_cast<size_t>(v.to_int()) <= col.enum_values.size()) {
                return Value::from_string(col.enum_values[static_cast<size_t>(v.to_int()) - 1]);
            }
            for (const auto& e : col.enum_values) {
                if (compare_text(col.collation_id, e, text) == 0) return Value::from_string(e);
            }
            FLOE_CHECK(complain(ctx, ErrorCode::WARN_DATA_TRUNCATED, "Data truncated for " + at_row(col, ctx)));
            return Value::from_string("");
        }
        default: {
            bool binary = storage::is_binary_type(col.type);
            std::string s = v.to_text();
            if (col.type == ColumnType::kChar || col.type == ColumnType::kVarchar || col.type == ColumnType::kBinary ||
                col.type == ColumnType::kVarbinary) {
                size_t n = binary ? s.size() : utf8_char_count(s);
                if (n > col.length) {
                    // Strict: 1406 "Data too long"; otherwise MySQL warns 1265 "Data truncated".
                    FLOE_CHECK(complain(ctx, ctx.strict ? ErrorCode::ER_DATA_TOO_LONG : ErrorCode::WARN_DATA_TRUNCATED,
                                        (ctx.strict ? "Data too long for " : "Data truncated for ") + at_row(col, ctx)));
                    s.resize(binary ? col.length : utf8_byte_offset(s, col.length));
                }
                if (col.type == ColumnType::kChar) {
                    while (!s.empty() && s.back() == ' ') s.pop_back();  // CHAR drops trailing spaces
                }
                if (col.type == ColumnType::kBinary) s.resize(col.length, '\0');
            } else if (s.size() > max_string_bytes(col.type)) {
                FLOE_CHECK(complain(ctx, ctx.strict ? ErrorCode::ER_DATA_TOO_LONG : ErrorCode::WARN_DATA_TRUNCATED,
                                    (ctx.strict ? "Data too long for " : "Data truncated for ") + at_row(col, ctx)));
                s.resize(max_string_bytes(col.type));
            }
            return binary ? Value::from_binary(std::move(s)) : Value::from_string(std::move(s));
        }
    }
}

Result<ColumnSchema> column_from_ast(Session& session, const ColumnDefAst& ast, uint16_t table_collation,
                                     std::string_view source) {
    ColumnSchema c;
    c.name = ast.name;
    const TypeAst& t = ast.type;
    bool found = false;
    for (const auto& info : kTypes) {
        if (info.name == t.name) {
            c.type = info.type;
            found = true;
        }
    }
    if (!found) return make_error(ErrorCode::ER_NOT_SUPPORTED_YET, {"column type " + t.name});
    c.is_unsigned = t.is_unsigned;
    c.zerofill = t.zerofill;
    c.enum_values = t.enum_values;
    c.comment = ast.comment;
    if (t.name == "bool") c.length = 1;
    if (t.name == "serial") {  // SERIAL = BIGINT UNSIGNED NOT NULL AUTO_INCREMENT UNIQUE
        c.is_unsigned = true;
        c.auto_increment = true;
    }
    switch (c.type) {
        case ColumnType::kChar:
        case ColumnType::kBinary: c.length = t.length < 0 ? 1 : static_cast<uint32_t>(t.length); break;
        case ColumnType::kVarchar:
        case ColumnType::kVarbinary:
            if (t.length < 0) return syntax_error_at(source, 0, 1);
            c.length = static_cast<uint32_t>(t.length);
            if (c.length > 65535) {
                return make_error(ErrorCode::ER_TOO_BIG_FIELDLENGTH, {c.name, c.type == ColumnType::kVarchar ? "16383" : "65535"});
            }
            break;
        case ColumnType::kDecimal:
            c.precision = static_cast<uint8_t>(t.length < 0 ? 10 : t.length);
            c.scale = static_cast<uint8_t>(t.scale < 0 ? 0 : t.scale);
            if (t.length > 38 || c.scale > c.precision || c.scale > 30) {
                return make_error(ErrorCode::ER_TOO_BIG_FIELDLENGTH, {c.name, "38"});
            }
            break;
        case ColumnType::kDateTime:
        case ColumnType::kTimestamp:
        case ColumnType::kTime:
            c.scale = static_cast<uint8_t>(t.length < 0 ? 0 : std::min(t.length, 6));
            break;
        default:
            if (storage::is_integer_type(c.type) && t.length > 0) c.length = static_cast<uint32_t>(t.length);
    }
    bool text = c.type == ColumnType::kChar || c.type == ColumnType::kVarchar || c.type == ColumnType::kTinyText ||
                c.type == ColumnType::kText || c.type == ColumnType::kMediumText || c.type == ColumnType::kLongText ||
                c.type == ColumnType::kEnum;
    if (text) {
        c.collation_id = table_collation;
        if (!t.charset.empty()) {
            const Collation* coll = default_collation_of_charset(t.charset);
            if (!coll) return make_error(ErrorCode::ER_UNKNOWN_CHARACTER_SET, {t.charset});
            c.collation_id = coll->id;
        }
        if (!t.collation.empty() && t.collation != "binary_of_charset") {
            const Collation* coll = collation_by_name(t.collation);
            if (!coll) return make_error(ErrorCode::ER_UNKNOWN_COLLATION, {t.collation});
            c.collation_id = coll->id;
        }
    }
    c.nullable = !ast.not_null && !ast.primary_key && t.name != "serial";
    c.auto_increment = c.auto_increment || ast.auto_increment;
    if (c.auto_increment && !storage::is_integer_type(c.type) && c.type != ColumnType::kFloat &&
        c.type != ColumnType::kDouble) {
        return make_error(ErrorCode::ER_WRONG_FIELD_SPEC, {c.name});
    }
    c.on_update_current_timestamp = ast.on_update_current_timestamp;
    if (ast.default_current_timestamp) {
        if (c.type != ColumnType::kDateTime && c.type != ColumnType::kTimestamp) {
            return make_error(ErrorCode::ER_INVALID_DEFAULT, {c.name});
        }
        c.default_kind = storage::DefaultKind::kCurrentTimestamp;
    } else if (ast.default_null) {
        if (!c.nullable) return make_error(ErrorCode::ER_INVALID_DEFAULT, {c.name});
        c.default_kind = storage::DefaultKind::kNull;
    } else if (ast.default_value) {
        EvalContext ectx{session, source};
        Value v = FLOE_TRY(evaluate(*ast.default_value, ectx));
        ConvertContext cctx{session, true, 1};
        auto converted = convert_for_column(c, v, cctx);
        if (!converted.ok() || (v.is_null() && !c.nullable)) return make_error(ErrorCode::ER_INVALID_DEFAULT, {c.name});
        c.default_kind = v.is_null() ? storage::DefaultKind::kNull : storage::DefaultKind::kLiteral;
        c.default_value = std::move(*converted);
    }
    return c;
}

std::string column_type_text(const ColumnSchema& c) {
    std::string out(type_name(c));
    auto default_width = [&]() -> uint32_t {
        bool u = c.is_unsigned;
        switch (c.type) {
            case ColumnType::kTinyInt: return u ? 3 : 4;
            case ColumnType::kSmallInt: return u ? 5 : 6;
            case ColumnType::kMediumInt: return u ? 8 : 9;
            case ColumnType::kInt: return u ? 10 : 11;
            case ColumnType::kBigInt: return 20;
            default: return 0;
        }
    };
    if (storage::is_integer_type(c.type) && c.type != ColumnType::kYear) {
        out += "(" + std::to_string(c.length ? c.length : default_width()) + ")";
    } else if (c.type == ColumnType::kChar || c.type == ColumnType::kVarchar || c.type == ColumnType::kBinary ||
               c.type == ColumnType::kVarbinary) {
        out += "(" + std::to_string(c.length) + ")";
    } else if (c.type == ColumnType::kDecimal) {
        out += "(" + std::to_string(c.precision) + "," + std::to_string(c.scale) + ")";
    } else if ((c.type == ColumnType::kDateTime || c.type == ColumnType::kTimestamp || c.type == ColumnType::kTime) &&
               c.scale > 0) {
        out += "(" + std::to_string(c.scale) + ")";
    } else if (c.type == ColumnType::kEnum) {
        out += "(";
        for (size_t i = 0; i < c.enum_values.size(); ++i) {
            if (i) out += ",";
            out += "'";
            for (char ch : c.enum_values[i]) out += ch == '\'' ? std::string("''") : std::string(1, ch);
            out += "'";
        }
        out += ")";
    }
    if (c.is_unsigned && (storage::is_integer_type(c.type) || c.type == ColumnType::kDecimal ||
                          c.type == ColumnType::kFloat || c.type == ColumnType::kDouble) &&
        c.type != ColumnType::kYear) {
        out += " unsigned";
    }
    if (c.zerofill) out += " zerofill";
    return out;
}

ColumnDef column_def_for(const storage::TableSchema& table, const ColumnSchema& c, std::string_view db,
                         std::string_view table_alias, std::string_view name, uint16_t result_collation) {
    using storage::IndexKind;
    ColumnDef d;
    d.schema = std::string(db);
    d.table = std::string(table_alias);
    d.org_table = table.name;
    d.name = std::string(name);
    d.org_name = c.name;
    d.charset = kBinaryCollationId;
    uint16_t flags = 0;
    if (!c.nullable) flags |= column_flag::kNotNull;
    if (c.is_unsigned) flags |= column_flag::kUnsigned;
    if (c.zerofill) flags |= column_flag::kZerofill;
    if (c.auto_increment) flags |= column_flag::kAutoIncrement;
    for (const auto& index : table.indexes) {
        if (index.kind == IndexKind::kPrimary && !table.hidden_pk) {
            for (uint32_t id : index.column_ids) flags |= id == c.id ? column_flag::kPriKey : 0;
        } else if (!index.column_ids.empty() && index.column_ids[0] == c.id) {
            flags |= index.kind == IndexKind::kUnique ? column_flag::kUniqueKey : column_flag::kMultipleKey;
        }
    }
    if (!c.nullable && c.default_kind == storage::DefaultKind::kNone && !c.auto_increment) {
        flags |= column_flag::kNoDefaultValue;
    }
    uint32_t mbmax = 1;
    if (const Collation* coll = collation_by_id(result_collation == kBinaryCollationId ? c.collation_id : result_collation)) {
        mbmax = coll->max_bytes_per_char;
    }
    auto text_charset = [&] { return result_collation == kBinaryCollationId ? kBinaryCollationId : result_collation; };
    switch (c.type) {
        case ColumnType::kTinyInt: d.type = FieldType::kTiny; d.length = c.length ? c.length : (c.is_unsigned ? 3 : 4); break;
        case ColumnType::kSmallInt: d.type = FieldType::kShort; d.length = c.is_unsigned ? 5 : 6; break;
        case ColumnType::kMediumInt: d.type = FieldType::kInt24; d.length = c.is_unsigned ? 8 : 9; break;
        case ColumnType::kInt: d.type = FieldType::kLong; d.length = c.is_unsigned ? 10 : 11; break;
        case ColumnType::kBigInt: d.type = FieldType::kLongLong; d.length = 20; break;
        case ColumnType::kYear:
            d.type = FieldType::kYear;
            d.length = 4;
            flags |= column_flag::kUnsigned | column_flag::kZerofill;
            break;
        case ColumnType::kFloat: d.type = FieldType::kFloat; d.length = 12; d.decimals = 31; break;
        case ColumnType::kDouble: d.type = FieldType::kDouble; d.length = 22; d.decimals = 31; break;
        case ColumnType::kDecimal:
            d.type = FieldType::kNewDecimal;
            d.length = c.precision + (c.scale ? 1u : 0u) + (c.is_unsigned ? 0u : 1u);
            d.decimals = c.scale;
            break;
        case ColumnType::kDate: d.type = FieldType::kDate; d.length = 10; flags |= column_flag::kBinary; break;
        case ColumnType::kDateTime:
        case ColumnType::kTimestamp:
            d.type = c.type == ColumnType::kDateTime ? FieldType::kDateTime : FieldType::kTimestamp;
            d.length = 19 + (c.scale ? c.scale + 1u : 0u);
            d.decimals = c.scale;
            flags |= column_flag::kBinary | (c.type == ColumnType::kTimestamp ? column_flag::kTimestamp : 0);
            break;
        case ColumnType::kTime:
            d.type = FieldType::kTime;
            d.length = 10 + (c.scale ? c.scale + 1u : 0u);
            d.decimals = c.scale;
            flags |= column_flag::kBinary;
            break;
        case ColumnType::kChar: d.type = FieldType::kString; d.charset = text_charset(); d.length = c.length * mbmax; break;
        case ColumnType::kVarchar:
            d.type = FieldType::kVarString;
            d.charset = text_charset();
            d.length = c.length * mbmax;
            break;
        case ColumnType::kEnum: {
            size_t longest = 0;
            for (const auto& e : c.enum_values) longest = std::max(longest, utf8_char_count(e));
            d.type = FieldType::kString;
            d.charset = text_charset();
            d.length = static_cast<uint32_t>(longest) * mbmax;
            flags |= column_flag::kEnum;
            break;
        }
        case ColumnType::kTinyText:
        case ColumnType::kText:
        case ColumnType::kMediumText:
        case ColumnType::kLongText:
            d.type = FieldType::kBlob;
            d.charset = text_charset();
            d.length = static_cast<uint32_t>(std::min<uint64_t>(max_string_bytes(c.type) * mbmax, UINT32_MAX));
            flags |= column_flag::kBlob;
            break;
        case ColumnType::kBinary: d.type = FieldType::kString; d.length = c.length; flags |= column_flag::kBinary; break;
        case ColumnType::kVarbinary: d.type = FieldType::kVarString; d.length = c.length; flags |= column_flag::kBinary; break;
        case ColumnType::kJson:
            d.type = FieldType::kJson;
            d.length = UINT32_MAX;
            flags |= column_flag::kBlob | column_flag::kBinary;
            break;
        default:  // blobs
            d.type = FieldType::kBlob;
            d.length = static_cast<uint32_t>(max_string_bytes(c.type));
            flags |= column_flag::kBlob | column_flag::kBinary;
    }
    if (storage::is_integer_type(c.type) || c.type == ColumnType::kFloat || c.type == ColumnType::kDouble ||
        c.type == ColumnType::kDecimal) {
        flags |= column_flag::kNum;
    }
    d.flags = flags;
    return d;
}

ColumnSchema column_from_result(const ColumnDef& d, const std::string& name, uint32_t id) {
    ColumnSchema c;
    c.id = id;
    c.name = name;
    c.is_unsigned = d.flags & column_flag::kUnsigned;
    c.nullable = !(d.flags & column_flag::kNotNull);
    bool binary = d.charset == kBinaryCollationId;
    uint32_t mbmax = 1;
    if (const Collation* coll = collation_by_id(d.charset)) mbmax = coll->max_bytes_per_char;
    switch (d.type) {
        case FieldType::kTiny: c.type = ColumnType::kTinyInt; break;
        case FieldType::kShort: c.type = ColumnType::kSmallInt; break;
        case FieldType::kInt24: c.type = ColumnType::kMediumInt; break;
        case FieldType::kLong: c.type = ColumnType::kInt; break;
        case FieldType::kLongLong: c.type = ColumnType::kBigInt; break;
        case FieldType::kFloat: c.type = ColumnType::kFloat; break;
        case FieldType::kDouble: c.type = ColumnType::kDouble; break;
        case FieldType::kNewDecimal:
        case FieldType::kDecimal:
            c.type = ColumnType::kDecimal;
            c.scale = d.decimals;
            // length = precision + point (if scale) + sign (if signed): see column_def_for
            c.precision = static_cast<uint8_t>(std::clamp<int64_t>(
                static_cast<int64_t>(d.length) - (d.decimals ? 1 : 0) - (c.is_unsigned ? 0 : 1), d.decimals, 38));
            break;
        case FieldType::kDate: c.type = ColumnType::kDate; break;
        case FieldType::kDateTime: c.type = ColumnType::kDateTime; c.scale = d.decimals > 6 ? 0 : d.decimals; break;
        case FieldType::kTimestamp: c.type = ColumnType::kTimestamp; c.scale = d.decimals > 6 ? 0 : d.decimals; break;
        case FieldType::kTime: c.type = ColumnType::kTime; c.scale = d.decimals > 6 ? 0 : d.decimals; break;
        case FieldType::kYear: c.type = ColumnType::kYear; break;
        case FieldType::kJson: c.type = ColumnType::kJson; break;
        case FieldType::kBlob:
        case FieldType::kTinyBlob:
        case FieldType::kMediumBlob:
        case FieldType::kLongBlob:
            c.type = binary ? ColumnType::kLongBlob : ColumnType::kLongText;
            break;
        default:
            c.type = binary ? ColumnType::kVarbinary : ColumnType::kVarchar;
            c.length = std::max<uint32_t>(1, d.length / (binary ? 1 : mbmax));
    }
    // Text columns take the collation of the table they end up in (the caller's); the result charset is only
    // how the value travelled to the client.
    if (!binary && (c.type == ColumnType::kVarchar || c.type == ColumnType::kLongText)) c.collation_id = kDefaultCollationId;
    return c;
}


}  // namespace floe::sql
