// Built-in SQL functions: one table from name to arity and implementation. Control-flow functions that must
// not evaluate every argument (IF, IFNULL, COALESCE, CASE) live in expr_eval.cc.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <string>
#include <thread>

#include "common/utf8.h"
#include "sql/engine.h"
#include "sql/exec/expr_eval.h"
#include "sql/exec/functions.h"
#include "sql/session.h"
#include "sql/variables.h"

namespace floe::sql {
namespace {

using Args = FunctionArgs;

bool any_null(const Args& a) {
    return std::any_of(a.begin(), a.end(), [](const Value& v) { return v.is_null(); });
}

Value text_result(const Args& a, std::string s) {
    bool binary = std::any_of(a.begin(), a.end(), [](const Value& v) { return v.kind() == ValueKind::kBinary; });
    return binary ? Value::from_binary(std::move(s)) : Value::from_string(std::move(s));
}

std::string case_map(std::string_view s, bool up) {
    std::string out(s);
    for (char& c : out) {
        if (up && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        if (!up && c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

// The session's clock: NOW() is fixed for a statement, in the session time zone.
DateTime local_time(EvalContext& ctx, std::chrono::system_clock::time_point tp, bool utc) {
    std::time_t t = std::chrono::system_clock::to_time_t(tp);
    std::tm tm{};
    std::string tz = utc ? "+00:00" : ctx.session.variable(*find_variable("time_zone")).to_text();
    if (tz == "SYSTEM") {
        localtime_r(&t, &tm);
    } else {
        int sign = tz[0] == '-' ? -1 : 1;
        int offset = sign * (std::atoi(tz.substr(1, 2).c_str()) * 3600 + std::atoi(tz.substr(4, 2).c_str()) * 60);
        std::time_t shifted = t + offset;
        gmtime_r(&shifted, &tm);
    }
    DateTime d;
    d.year = static_cast<int16_t>(tm.tm_year + 1900);
    d.month = static_cast<uint8_t>(tm.tm_mon + 1);
    d.day = static_cast<uint8_t>(tm.tm_mday);
    d.hour = static_cast<uint8_t>(tm.tm_hour);
    d.minute = static_cast<uint8_t>(tm.tm_min);
    d.second = static_cast<uint8_t>(tm.tm_sec);
    return d;
}

Result<Value> fn_database(const Args&, EvalContext& ctx, const Expr&) {
    const std::string& db = ctx.session.db();
    return db.empty() ? Value::null() : Value::from_string(db);
}
Result<Value> fn_user(const Args&, EvalContext& ctx, const Expr&) {
    return Value::from_string(ctx.session.info().user + "@" + ctx.session.info().client_host);
}
Result<Value> fn_current_user(const Args&, EvalContext& ctx, const Expr&) {
    return Value::from_string(ctx.session.info().user + "@" + ctx.session.info().account_host);
}
Result<Value> fn_connection_id(const Args&, EvalContext& ctx, const Expr&) {
    return Value::from_uint(ctx.session.id());
}
Result<Value> fn_version(const Args&, EvalContext& ctx, const Expr&) {
    return ctx.session.global_variable(*find_variable("version"));
}
Result<Value> fn_last_insert_id(const Args& a, EvalContext& ctx, const Expr&) {
    if (!a.empty()) return a[0].is_null() ? Value::from_uint(0) : Value::from_uint(static_cast<uint64_t>(a[0].to_int()));
    return Value::from_uint(ctx.session.last_insert_id());
}
Result<Value> fn_row_count(const Args&, EvalContext& ctx, const Expr&) { return Value::from_int(ctx.session.row_count()); }
Result<Value> fn_found_rows(const Args&, EvalContext& ctx, const Expr&) {
    return Value::from_uint(ctx.session.found_rows());
}
Result<Value> fn_now(const Args&, EvalContext& ctx, const Expr&) {
    return Value::from_datetime(ValueKind::kDateTime, local_time(ctx, ctx.session.statement_start(), false));
}
Result<Value> fn_sysdate(const Args&, EvalContext& ctx, const Expr&) {
    return Value::from_datetime(ValueKind::kDateTime, local_time(ctx, std::chrono::system_clock::now(), false));
}
Result<Value> fn_utc_timestamp(const Args&, EvalContext& ctx, const Expr&) {
    return Value::from_datetime(ValueKind::kDateTime, local_time(ctx, ctx.session.statement_start(), true));
}
Result<Value> fn_curdate(const Args&, EvalContext& ctx, const Expr&) {
    DateTime d = local_time(ctx, ctx.session.statement_start(), false);
    d.hour = d.minute = d.second = 0;
    return Value::from_datetime(ValueKind::kDate, d);
}
Result<Value> fn_utc_date(const Args&, EvalContext& ctx, const Expr&) {
    DateTime d = local_time(ctx, ctx.session.statement_start(), true);
    d.hour = d.minute = d.second = 0;
    return Value::from_datetime(ValueKind::kDate, d);
}
Result<Value> fn_curtime(const Args&, EvalContext& ctx, const Expr&) {
    DateTime d = local_time(ctx, ctx.session.statement_start(), false);
    d.year = 0;
    d.month = d.day = 0;
    return Value::from_datetime(ValueKind::kTime, d);
}
Result<Value> fn_unix_timestamp(const Args& a, EvalContext& ctx, const Expr&) {
    if (a.empty()) {
        auto secs = std::chrono::duration_cast<std::chrono::seconds>(ctx.session.statement_start().time_since_epoch());
        return Value::from_int(secs.count());
    }
    if (a[0].is_null()) return Value::null();
    if (!a[0].is_temporal()) return make_error(ErrorCode::ER_WRONG_ARGUMENTS, {"unix_timestamp"});
    // Interprets the value in UTC; session time zones other than UTC/offsets come with the date-function issue.
    const DateTime& d = a[0].datetime_value();
    std::tm tm{};
    tm.tm_year = d.year - 1900;
    tm.tm_mon = d.month - 1;
    tm.tm_mday = d.day;
    tm.tm_hour = d.hour;
    tm.tm_min = d.minute;
    tm.tm_sec = d.second;
    return Value::from_int(static_cast<int64_t>(timegm(&tm)));
}
Result<Value> fn_sleep(const Args& a, EvalContext& ctx, const Expr&) {
    if (a[0].is_null()) return Value::from_int(0);
    double seconds = a[0].to_double();
    auto deadline = std::chrono::steady_clock::now() + std::chrono::microseconds(static_cast<int64_t>(seconds * 1e6));
    while (std::chrono::steady_clock::now() < deadline) {
        if (ctx.session.kill_flag().killed()) return make_error(ErrorCode::ER_QUERY_INTERRUPTED);
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return Value::from_int(0);
}
Result<Value> fn_concat(const Args& a, EvalContext&, const Expr&) {
    if (any_null(a)) return Value::null();
    std::string out;
    for (const auto& v : a) v.append_text(out);
    return text_result(a, std::move(out));
}
Result<Value> fn_concat_ws(const Args& a, EvalContext&, const Expr&) {
    if (a[0].is_null()) return Value::null();
    std::string sep = a[0].to_text(), out;
    bool first = true;
    for (size_t i = 1; i < a.size(); ++i) {
        if (a[i].is_null()) continue;
        if (!first) out += sep;
        first = false;
        a[i].append_text(out);
    }
    return text_result(a, std::move(out));
}
Result<Value> fn_nullif(const Args& a, EvalContext&, const Expr&) {
    if (!a[0].is_null() && !a[1].is_null() && compare_values(a[0], a[1]) == 0) return Value::null();
    return a[0];
}
Result<Value> fn_length(const Args& a, EvalContext&, const Expr&) {
    if (a[0].is_null()) return Value::null();
    return Value::from_int(static_cast<int64_t>(a[0].to_text().size()));
}
Result<Value> fn_char_length(const Args& a, EvalContext&, const Expr&) {
    if (a[0].is_null()) return Value::null();
    if (a[0].kind() == ValueKind::kBinary) return Value::from_int(static_cast<int64_t>(a[0].string_value().size()));
    return Value::from_int(static_cast<int64_t>(utf8_char_count(a[0].to_text())));
}
Result<Value> fn_lower(const Args& a, EvalContext&, const Expr&) {
    if (a[0].is_null()) return Value::null();
    return text_result(a, case_map(a[0].to_text(), false));
}
Result<Value> fn_upper(const Args& a, EvalContext&, const Expr&) {
    if (a[0].is_null()) return Value::null();
    return text_result(a, case_map(a[0].to_text(), true));
}
Result<Value> fn_substring(const Args& a, EvalContext&, const Expr&) {
    if (any_null(a)) return Value::null();
    std::string s = a[0].to_text();
    bool binary = a[0].kind() == ValueKind::kBinary;
    int64_t len_chars = binary ? static_cast<int64_t>(s.size()) : static_cast<int64_t>(utf8_char_count(s));
    int64_t pos = a[1].to_int();
    if (pos == 0 || pos > len_chars || -pos > len_chars) return text_result(a, "");
    int64_t start = pos > 0 ? pos - 1 : len_chars + pos;
    int64_t count = a.size() > 2 ? a[2].to_int() : len_chars - start;
    if (count <= 0) return text_result(a, "");
    size_t b0 = binary ? static_cast<size_t>(start) : utf8_byte_offset(s, static_cast<size_t>(start));
    size_t b1 = binary ? std::min(s.size(), static_cast<size_t>(start + count))
                       : utf8_byte_offset(s, static_cast<size_t>(std::min(start + count, len_chars)));
    return text_result(a, s.substr(b0, b1 - b0));
}
Result<Value> fn_left(const Args& a, EvalContext&, const Expr&) {
    if (any_null(a)) return Value::null();
    std::string s = a[0].to_text();
    int64_t n = a[1].to_int();
    return text_result(a, n <= 0 ? "" : s.substr(0, utf8_byte_offset(s, static_cast<size_t>(n))));
}
Result<Value> fn_right(const Args& a, EvalContext&, const Expr&) {
    if (any_null(a)) return Value::null();
    std::string s = a[0].to_text();
    int64_t n = a[1].to_int();
    int64_t total = static_cast<int64_t>(utf8_char_count(s));
    if (n <= 0) return text_result(a, "");
    if (n >= total) return text_result(a, s);
    return text_result(a, s.substr(utf8_byte_offset(s, static_cast<size_t>(total - n))));
}
Result<Value> fn_locate(const Args& a, EvalContext&, const Expr&) {
    // LOCATE(substr, str[, pos])
    if (any_null(a)) return Value::null();
    std::string needle = case_map(a[0].to_text(), false), hay = case_map(a[1].to_text(), false);
    int64_t pos = a.size() > 2 ? a[2].to_int() : 1;
    if (pos < 1) return Value::from_int(0);
    size_t from = utf8_byte_offset(hay, static_cast<size_t>(pos - 1));
    size_t at = hay.find(needle, from);
    if (at == std::string::npos) return Value::from_int(0);
    return Value::from_int(static_cast<int64_t>(utf8_char_count(std::string_view(hay).substr(0, at))) + 1);
}
Result<Value> fn_instr(const Args& a, EvalContext& ctx, const Expr& e) {
    Args swapped{a[1], a[0]};
    return fn_locate(swapped, ctx, e);
}
Result<Value> fn_replace(const Args& a, EvalContext&, const Expr&) {
    if (any_null(a)) return Value::null();
    std::string s = a[0].to_text(), from = a[1].to_text(), to = a[2].to_text();
    if (from.empty()) return text_result(a, s);
    std::string out;
    size_t i = 0;
    for (size_t at; (at = s.find(from, i)) != std::string::npos; i = at + from.size()) {
        out.append(s, i, at - i);
        out += to;
    }
    out.append(s, i);
    return text_result(a, std::move(out));
}
Result<Value> trim_impl(const Args& a, bool leading, bool trailing) {
    if (any_null(a)) return Value::null();
    std::string s = a[0].to_text();
    std::string rem = a.size() > 1 ? a[1].to_text() : " ";
    if (rem.empty()) return text_result(a, s);
    size_t b = 0, e = s.size();
    if (leading) {
        while (e - b >= rem.size() && s.compare(b, rem.size(), rem) == 0) b += rem.size();
    }
    if (trailing) {
        while (e - b >= rem.size() && s.compare(e - rem.size(), rem.size(), rem) == 0) e -= rem.size();
    }
    return text_result(a, s.substr(b, e - b));
}
Result<Value> fn_trim_both(const Args& a, EvalContext&, const Expr&) { return trim_impl(a, true, true); }
Result<Value> fn_trim_leading(const Args& a, EvalContext&, const Expr&) { return trim_impl(a, true, false); }
Result<Value> fn_trim_trailing(const Args& a, EvalContext&, const Expr&) { return trim_impl(a, false, true); }
Result<Value> fn_repeat(const Args& a, EvalContext&, const Expr&) {
    if (any_null(a)) return Value::null();
    std::string s = a[0].to_text(), out;
    int64_t n = a[1].to_int();
    if (n <= 0) return text_result(a, "");
    if (static_cast<uint64_t>(n) * s.size() > 64ULL * 1024 * 1024) return Value::null();  // max_allowed_packet rule
    for (int64_t i = 0; i < n; ++i) out += s;
    return text_result(a, std::move(out));
}
Result<Value> fn_char(const Args& a, EvalContext&, const Expr&) {
    std::string out;
    for (const auto& v : a) {
        if (v.is_null()) continue;
        uint64_t n = static_cast<uint64_t>(v.to_int());
        std::string bytes;
        do {
            bytes.insert(bytes.begin(), static_cast<char>(n & 0xFF));
            n >>= 8;
        } while (n != 0);
        out += bytes;
    }
    return Value::from_binary(std::move(out));
}
Result<Value> fn_hex(const Args& a, EvalContext&, const Expr&) {
    if (a[0].is_null()) return Value::null();
    static const char* kDigits = "0123456789ABCDEF";
    std::string out;
    if (a[0].is_integer() || a[0].kind() == ValueKind::kDouble || a[0].kind() == ValueKind::kDecimal) {
        uint64_t n = a[0].kind() == ValueKind::kUInt ? a[0].uint_value() : static_cast<uint64_t>(a[0].to_int());
        do {
            out.insert(out.begin(), kDigits[n & 0xF]);
            n >>= 4;
        } while (n != 0);
        return Value::from_string(out);
    }
    for (unsigned char c : a[0].to_text()) {
        out.push_back(kDigits[c >> 4]);
        out.push_back(kDigits[c & 0xF]);
    }
    return Value::from_string(out);
}
Result<Value> fn_abs(const Args& a, EvalContext&, const Expr&) {
    const Value& v = a[0];
    if (v.is_null()) return v;
    if (v.kind() == ValueKind::kInt) {
        if (v.int_value() == INT64_MIN) return make_error(ErrorCode::ER_DATA_OUT_OF_RANGE, {"BIGINT", "abs"});
        return Value::from_int(std::llabs(v.int_value()));
    }
    if (v.kind() == ValueKind::kUInt) return v;
    if (v.kind() == ValueKind::kDecimal) {
        return Value::from_decimal(v.decimal_value().negative() ? v.decimal_value().negated() : v.decimal_value());
    }
    return Value::from_double(std::fabs(v.to_double()));
}
Result<Value> fn_round(const Args& a, EvalContext&, const Expr&) {
    if (any_null(a)) return Value::null();
    int64_t digits = a.size() > 1 ? a[1].to_int() : 0;
    const Value& v = a[0];
    if (v.is_integer()) {
        if (digits >= 0) return v;
        double p = std::pow(10.0, static_cast<double>(-digits));
        return Value::from_int(static_cast<int64_t>(std::round(v.to_double() / p) * p));
    }
    if (v.kind() == ValueKind::kDecimal) {
        int scale = static_cast<int>(std::clamp<int64_t>(digits, 0, Decimal::kMaxScale));
        return Value::from_decimal(v.decimal_value().rescaled(scale));
    }
    double p = std::pow(10.0, static_cast<double>(digits));
    return Value::from_double(std::round(v.to_double() * p) / p);
}
Result<Value> fn_floor(const Args& a, EvalContext&, const Expr&) {
    if (a[0].is_null()) return Value::null();
    if (a[0].is_integer()) return a[0];
    return Value::from_int(static_cast<int64_t>(std::floor(a[0].to_double())));
}
Result<Value> fn_ceil(const Args& a, EvalContext&, const Expr&) {
    if (a[0].is_null()) return Value::null();
    if (a[0].is_integer()) return a[0];
    return Value::from_int(static_cast<int64_t>(std::ceil(a[0].to_double())));
}
Result<Value> fn_mod(const Args& a, EvalContext& ctx, const Expr& e) {
    Expr m;
    m.kind = ExprKind::kBinary;
    m.op = Op::kMod;
    m.begin = e.begin;
    m.end = e.end;
    for (const auto& v : a) {
        auto lit = std::make_unique<Expr>();
        lit->literal = v;
        m.args.push_back(std::move(lit));
    }
    return evaluate(m, ctx);
}
Result<Value> least_greatest(const Args& a, bool greatest) {
    if (any_null(a)) return Value::null();
    size_t best = 0;
    for (size_t i = 1; i < a.size(); ++i) {
        int c = compare_values(a[i], a[best]);
        if (greatest ? c > 0 : c < 0) best = i;
    }
    return a[best];
}
Result<Value> fn_least(const Args& a, EvalContext&, const Expr&) { return least_greatest(a, false); }
Result<Value> fn_greatest(const Args& a, EvalContext&, const Expr&) { return least_greatest(a, true); }

constexpr uint8_t kAny = kAnyArgs;

// Sorted by name.
constexpr FunctionDef kFunctions[] = {
    {"abs", 1, 1, fn_abs},
    {"ceil", 1, 1, fn_ceil},
    {"ceiling", 1, 1, fn_ceil},
    {"char", 1, kAny, fn_char},
    {"char_length", 1, 1, fn_char_length},
    {"character_length", 1, 1, fn_char_length},
    {"concat", 1, kAny, fn_concat},
    {"concat_ws", 2, kAny, fn_concat_ws},
    {"connection_id", 0, 0, fn_connection_id},
    {"curdate", 0, 0, fn_curdate},
    {"current_date", 0, 0, fn_curdate},
    {"current_time", 0, 1, fn_curtime},
    {"current_timestamp", 0, 1, fn_now},
    {"current_user", 0, 0, fn_current_user},
    {"curtime", 0, 1, fn_curtime},
    {"database", 0, 0, fn_database},
    {"floor", 1, 1, fn_floor},
    {"found_rows", 0, 0, fn_found_rows},
    {"greatest", 2, kAny, fn_greatest},
    {"hex", 1, 1, fn_hex},
    {"instr", 2, 2, fn_instr},
    {"last_insert_id", 0, 1, fn_last_insert_id},
    {"lcase", 1, 1, fn_lower},
    {"least", 2, kAny, fn_least},
    {"left", 2, 2, fn_left},
    {"length", 1, 1, fn_length},
    {"localtime", 0, 1, fn_now},
    {"localtimestamp", 0, 1, fn_now},
    {"locate", 2, 3, fn_locate},
    {"lower", 1, 1, fn_lower},
    {"ltrim", 1, 1, fn_trim_leading},
    {"mod", 2, 2, fn_mod},
    {"now", 0, 1, fn_now},
    {"nullif", 2, 2, fn_nullif},
    {"octet_length", 1, 1, fn_length},
    {"repeat", 2, 2, fn_repeat},
    {"replace", 3, 3, fn_replace},
    {"right", 2, 2, fn_right},
    {"round", 1, 2, fn_round},
    {"row_count", 0, 0, fn_row_count},
    {"rtrim", 1, 1, fn_trim_trailing},
    {"schema", 0, 0, fn_database},
    {"session_user", 0, 0, fn_user},
    {"sleep", 1, 1, fn_sleep},
    {"substring", 2, 3, fn_substring},
    {"sysdate", 0, 1, fn_sysdate},
    {"system_user", 0, 0, fn_user},
    {"trim_both", 1, 2, fn_trim_both},
    {"trim_leading", 1, 2, fn_trim_leading},
    {"trim_trailing", 1, 2, fn_trim_trailing},
    {"ucase", 1, 1, fn_upper},
    {"unix_timestamp", 0, 1, fn_unix_timestamp},
    {"upper", 1, 1, fn_upper},
    {"user", 0, 0, fn_user},
    {"utc_date", 0, 0, fn_utc_date},
    {"utc_timestamp", 0, 1, fn_utc_timestamp},
    {"version", 0, 0, fn_version},
};

}  // namespace

Result<Value> call_function(const Expr& e, std::vector<Value>& args, EvalContext& ctx) {
    auto find = [&](std::span<const FunctionDef> table) -> const FunctionDef* {
        auto it = std::lower_bound(table.begin(), table.end(), e.name,
                                   [](const FunctionDef& f, const std::string& n) { return f.name < n; });
        return it == table.end() || it->name != e.name ? nullptr : &*it;
    };
    const FunctionDef* it = find(kFunctions);
    if (!it) it = find(date_functions());
    if (!it) {
        std::string db = ctx.session.db().empty() ? "" : ctx.session.db() + ".";
        return make_error(ErrorCode::ER_SP_DOES_NOT_EXIST, {"FUNCTION", db + e.name});
    }
    if (args.size() < it->min_args || (it->max_args != kAny && args.size() > it->max_args)) {
        return make_error(ErrorCode::ER_WRONG_PARAMCOUNT_TO_NATIVE_FCT, {e.name});
    }
    return it->impl(args, ctx, e);
}

}  // namespace floe::sql
