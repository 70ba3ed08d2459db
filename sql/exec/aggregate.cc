#include "sql/exec/aggregate.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "common/collation.h"
#include "common/charset.h"
#include "sql/exec/expr_eval.h"
#include "sql/session.h"
#include "sql/variables.h"

namespace floe::sql {

bool is_aggregate_function(std::string_view n) {
    return n == "count" || n == "sum" || n == "avg" || n == "min" || n == "max" || n == "group_concat";
}

void append_group_key(std::string& out, const Value& v) {
    switch (v.kind()) {
        case ValueKind::kNull: out.push_back('\0'); return;
        case ValueKind::kInt:
        case ValueKind::kUInt: {  // the same text as a decimal's below, without making one
            char digits[24];
            auto end = v.kind() == ValueKind::kInt ? std::to_chars(digits, digits + sizeof digits, v.int_value()).ptr
                                                   : std::to_chars(digits, digits + sizeof digits, v.uint_value()).ptr;
            out.push_back('N');
            out.append(digits, end);
            break;
        }
        case ValueKind::kDecimal: {
            // Exact numbers: the shortest decimal text (1, 1.0 and 1.00 are one group).
            std::string text = v.to_decimal().to_string();
            if (text.find('.') != std::string::npos) {
                while (text.back() == '0') text.pop_back();
                if (text.back() == '.') text.pop_back();
            }
            if (text == "-0") text = "0";
            out.push_back('N');
            out += text;
            break;
        }
        case ValueKind::kDouble: {
            double d = v.double_value();
            if (d == std::trunc(d) && std::fabs(d) < 1e18) {
                out.push_back('N');
                out += std::to_string(static_cast<int64_t>(d));
            } else {
                out.push_back('D');
                out += v.to_text();
            }
            break;
        }
        case ValueKind::kString:
            out.push_back('S');
            append_sort_key(kDefaultCollationId, v.string_value(), out);
            break;
        case ValueKind::kBinary:
            out.push_back('B');
            out += v.string_value();
            break;
        default:
            out.push_back('T');
            out += v.to_text();
            break;
    }
    out.push_back('\x1f');
    out += std::to_string(out.size());  // keeps ("ab","c") apart from ("a","bc")
    out.push_back('\x1e');
}

namespace {

// Appends one row's values to GROUP_CONCAT's text, cutting it at group_concat_max_len (warning 1260).
void concat_values(const Expr& e, AggregateState& s, const std::vector<Value>& args, Session& session) {
    if (s.truncated) return;
    if (s.any) s.text += e.literal.is_null() ? std::string(",") : e.literal.to_text();
    s.any = true;
    for (size_t i = 0; i + e.order_desc.size() < args.size(); ++i) args[i].append_text(s.text);
    uint64_t max_len = 1024;
    if (const VarDef* def = find_variable("group_concat_max_len")) max_len = session.variable(*def).to_int();
    if (s.text.size() > max_len) {
        s.text.resize(static_cast<size_t>(max_len));
        s.truncated = true;
        session.add_warning(ErrorCode::ER_CUT_VALUE_GROUP_CONCAT,
                            make_error(ErrorCode::ER_CUT_VALUE_GROUP_CONCAT, {"1"}).message);
    }
}

}  // namespace

Status aggregate_add(const Expr& e, AggregateState& s, const std::vector<Value>& args, Session& session) {
    if (e.name == "count" && e.star) {
        ++s.count;
        return {};
    }
    size_t value_args = args.size() - e.order_desc.size();  // GROUP_CONCAT's sort keys come last
    for (size_t i = 0; i < value_args; ++i) {
        if (args[i].is_null()) return {};  // rows with a NULL argument are skipped
    }
    if (e.distinct) {
        std::string key;
        for (size_t i = 0; i < value_args; ++i) append_group_key(key, args[i]);
        if (!s.seen.insert(std::move(key)).second) return {};
    }
    const Value& v = args[0];
    if (e.name == "count") {
        ++s.count;
    } else if (e.name == "sum" || e.name == "avg") {
        ++s.count;
        if (s.exact && (v.is_integer() || v.kind() == ValueKind::kDecimal)) {
            auto sum = s.exact_sum.add(v.to_decimal());
            if (!sum.ok()) return std::move(sum).error();
            s.exact_sum = *sum;
        } else {
            if (s.exact) s.double_sum = s.exact_sum.to_double();
            s.exact = false;
            s.double_sum += v.to_double();
        }
    } else if (e.name == "min" || e.name == "max") {
        if (!s.any) {
            s.best = v;
        } else {
            int c = compare_values(v, s.best);
            if (e.name == "min" ? c < 0 : c > 0) s.best = v;
        }
    } else if (e.name == "group_concat") {
        if (!e.order_desc.empty()) {
            s.ordered.push_back(args);  // concatenated in order at the end
        } else {
            concat_values(e, s, args, session);
        }
    }
    s.any = true;
    return {};
}

Value aggregate_result(const Expr& e, AggregateState& s, Session& session) {
    if (e.name == "count") return Value::from_int(s.count);
    if (e.name == "sum") {
        if (s.count == 0) return Value::null();
        return s.exact ? Value::from_decimal(s.exact_sum) : Value::from_double(s.double_sum);
    }
    if (e.name == "avg") {
        if (s.count == 0) return Value::null();
        if (!s.exact) return Value::from_double(s.double_sum / static_cast<double>(s.count));
        auto q = s.exact_sum.div(Decimal::from_int(s.count));
        if (!q.ok()) return Value::from_double(s.exact_sum.to_double() / static_cast<double>(s.count));
        return Value::from_decimal(*q);
    }
    if (e.name == "min" || e.name == "max") return s.any ? s.best : Value::null();
    if (e.name == "group_concat") {
        if (!s.ordered.empty()) {
            size_t keys = e.order_desc.size(), first_key = s.ordered[0].size() - keys;
            std::stable_sort(s.ordered.begin(), s.ordered.end(), [&](const auto& a, const auto& b) {
                for (size_t k = 0; k < keys; ++k) {
                    const Value& x = a[first_key + k];
                    const Value& y = b[first_key + k];
                    int c = x.is_null() || y.is_null() ? (x.is_null() == y.is_null() ? 0 : (x.is_null() ? -1 : 1))
                                                       : compare_values(x, y);  // NULLs first
                    if (c != 0) return e.order_desc[k] ? c > 0 : c < 0;
                }
                return false;
            });
            s.any = false;
            for (const auto& row : s.ordered) concat_values(e, s, row, session);
            s.ordered.clear();
        }
        return s.any ? Value::from_string(s.text) : Value::null();
    }
    return Value::null();
}

bool aggregate_mergeable(const Expr& e) { return !e.distinct && e.name != "group_concat"; }

Status aggregate_merge(const Expr& e, AggregateState& into, AggregateState& from) {
    if (!from.any && from.count == 0) return {};
    into.count += from.count;
    if (e.name == "sum" || e.name == "avg") {
        if (into.exact && from.exact) {
            auto sum = into.exact_sum.add(from.exact_sum);
            if (!sum.ok()) return std::move(sum).error();
            into.exact_sum = *sum;
        } else {
            if (into.exact) into.double_sum = into.exact_sum.to_double();
            into.exact = false;
            into.double_sum += from.exact ? from.exact_sum.to_double() : from.double_sum;
        }
    } else if ((e.name == "min" || e.name == "max") && from.any) {
        int c = into.any ? compare_values(from.best, into.best) : 0;
        if (!into.any || (e.name == "min" ? c < 0 : c > 0)) into.best = std::move(from.best);
    }
    into.any |= from.any;
    return {};
}

}  // namespace floe::sql
