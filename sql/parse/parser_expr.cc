// Parser, part 2: expressions, lowest precedence first (MySQL's operator precedence table), and the special
// syntaxes of CAST / CONVERT / SUBSTRING / TRIM / POSITION / CASE. Statements are in parser.cc.
#include <cerrno>
#include <cstdlib>
#include <strings.h>

#include "sql/parse/parser.h"
#include "sql/parse/reserved_words.h"

namespace floe::sql {
namespace {

// Functions that MySQL lets you call without parentheses.
constexpr std::string_view kNiladic[] = {"current_user", "current_date", "current_time", "current_timestamp",
                                         "localtime",    "localtimestamp", "utc_date",   "utc_time",
                                         "utc_timestamp"};

}  // namespace

Result<ExprPtr> Parser::expr() { return or_expr(); }

Result<ExprPtr> Parser::or_expr() {
    auto left = FLOE_TRY(xor_expr());
    for (;;) {
        if (accept_word("or") || (!options_.pipes_as_concat && accept_op("||"))) {
            left = binary(Op::kOr, std::move(left), FLOE_TRY(xor_expr()));
        } else {
            return left;
        }
    }
}

Result<ExprPtr> Parser::xor_expr() {
    auto left = FLOE_TRY(and_expr());
    while (accept_word("xor")) left = binary(Op::kXor, std::move(left), FLOE_TRY(and_expr()));
    return left;
}

Result<ExprPtr> Parser::and_expr() {
    auto left = FLOE_TRY(not_expr());
    while (accept_word("and") || accept_op("&&")) left = binary(Op::kAnd, std::move(left), FLOE_TRY(not_expr()));
    return left;
}

Result<ExprPtr> Parser::not_expr() {
    if (peek().is_word("not")) {
        uint32_t begin = take().begin;
        auto operand = FLOE_TRY(not_expr());
        auto e = make(ExprKind::kUnary, begin);
        e->op = Op::kNot;
        e->end = operand->end;
        e->args.push_back(std::move(operand));
        return e;
    }
    return predicate();
}

Result<ExprPtr> Parser::predicate() {
    auto left = FLOE_TRY(bit_or());
    for (;;) {
        const Token& t = peek();
        Op op;
        if (t.kind == TokenKind::kOperator) {
            if (t.text == "=") op = Op::kEq;
            else if (t.text == "<=>") op = Op::kNullSafeEq;
            else if (t.text == "<>" || t.text == "!=") op = Op::kNe;
            else if (t.text == "<") op = Op::kLt;
            else if (t.text == "<=") op = Op::kLe;
            else if (t.text == ">") op = Op::kGt;
            else if (t.text == ">=") op = Op::kGe;
            else return left;
            take();
            left = binary(op, std::move(left), FLOE_TRY(bit_or()));
            continue;
        }
        if (t.is_word("is")) {
            take();
            bool negated = accept_word("not");
            auto e = make(ExprKind::kIsNull, left->begin);
            e->negated = negated;
            if (accept_word("null")) {
                e->kind = ExprKind::kIsNull;
            } else if (accept_word("true")) {
                e->kind = ExprKind::kIsBool;
                e->bool_target = 1;
            } else if (accept_word("false")) {
                e->kind = ExprKind::kIsBool;
                e->bool_target = 0;
            } else if (accept_word("unknown")) {
                e->kind = ExprKind::kIsBool;
                e->bool_target = -1;
            } else {
                return fail();
            }
            e->end = prev_end_;
            e->args.push_back(std::move(left));
            left = std::move(e);
            continue;
        }
        bool negated = false;
        if (t.is_word("not") &&
            (peek(1).is_word("in") || peek(1).is_word("like") || peek(1).is_word("between"))) {
            take();
            negated = true;
        }
        if (accept_word("in")) {
            if (peek().is_op("(") && (peek(1).is_word("select") || (peek(1).is_op("(") && peek(2).is_word("select")))) {
                auto e = make(ExprKind::kInSubquery, left->begin);
                e->negated = negated;
                e->args.push_back(std::move(left));
                e->subquery = FLOE_TRY(subquery());
                e->end = prev_end_;
                left = std::move(e);
                continue;
            }
            auto e = make(ExprKind::kIn, left->begin);
            e->negated = negated;
            e->args.push_back(std::move(left));
            FLOE_CHECK(expect_op("("));
            do {
                e->args.push_back(FLOE_TRY(expr()));
            } while (accept_op(","));
            FLOE_CHECK(expect_op(")"));
            e->end = prev_end_;
            left = std::move(e);
            continue;
        }
        if (accept_word("between")) {
            auto e = make(ExprKind::kBetween, left->begin);
            e->negated = negated;
            e->args.push_back(std::move(left));
            e->args.push_back(FLOE_TRY(bit_or()));
            FLOE_CHECK(expect_word("and"));
            e->args.push_back(FLOE_TRY(bit_or()));
            e->end = prev_end_;
            left = std::move(e);
            continue;
        }
        if (accept_word("like")) {
            auto e = make(ExprKind::kLike, left->begin);
            e->negated = negated;
            e->args.push_back(std::move(left));
            e->args.push_back(FLOE_TRY(bit_or()));
            if (accept_word("escape")) e->args.push_back(FLOE_TRY(primary()));
            e->end = prev_end_;
            left = std::move(e);
            continue;
        }
        if (negated) return fail();
        return left;
    }
}

Result<ExprPtr> Parser::bit_or() {
    auto left = FLOE_TRY(bit_and());
    for (;;) {
        if (accept_op("|")) {
            left = binary(Op::kBitOr, std::move(left), FLOE_TRY(bit_and()));
        } else if (options_.pipes_as_concat && accept_op("||")) {
            left = binary(Op::kConcat, std::move(left), FLOE_TRY(bit_and()));
        } else {
            return left;
        }
    }
}

Result<ExprPtr> Parser::bit_and() {
    auto left = FLOE_TRY(shift());
    while (accept_op("&")) left = binary(Op::kBitAnd, std::move(left), FLOE_TRY(shift()));
    return left;
}

Result<ExprPtr> Parser::shift() {
    auto left = FLOE_TRY(additive());
    for (;;) {
        if (accept_op("<<")) {
            left = binary(Op::kShl, std::move(left), FLOE_TRY(additive()));
        } else if (accept_op(">>")) {
            left = binary(Op::kShr, std::move(left), FLOE_TRY(additive()));
        } else {
            return left;
        }
    }
}

Result<ExprPtr> Parser::additive() {
    auto left = FLOE_TRY(multiplicative());
    for (;;) {
        bool plus = peek().is_op("+");
        if ((plus || peek().is_op("-")) && peek(1).is_word("interval")) {
            // x + INTERVAL n unit / x - INTERVAL n unit: DATE_ADD / DATE_SUB.
            take();
            take();
            auto e = make(ExprKind::kFunction, left->begin);
            e->name = plus ? "date_add" : "date_sub";
            e->args.push_back(std::move(left));
            e->args.push_back(FLOE_TRY(expr()));
            e->literal = Value::from_string(lower(FLOE_TRY(identifier())));
            e->end = prev_end_;
            left = std::move(e);
        } else if (accept_op("+")) {
            left = binary(Op::kAdd, std::move(left), FLOE_TRY(multiplicative()));
        } else if (accept_op("-")) {
            left = binary(Op::kSub, std::move(left), FLOE_TRY(multiplicative()));
        } else {
            return left;
        }
    }
}

Result<ExprPtr> Parser::multiplicative() {
    auto left = FLOE_TRY(bit_xor());
    for (;;) {
        Op op;
        if (accept_op("*")) op = Op::kMul;
        else if (accept_op("/")) op = Op::kDiv;
        else if (accept_op("%") || accept_word("mod")) op = Op::kMod;
        else if (accept_word("div")) op = Op::kIntDiv;
        else return left;
        left = binary(op, std::move(left), FLOE_TRY(bit_xor()));
    }
}

Result<ExprPtr> Parser::bit_xor() {
    auto left = FLOE_TRY(unary());
    while (accept_op("^")) left = binary(Op::kBitXor, std::move(left), FLOE_TRY(unary()));
    return left;
}

Result<ExprPtr> Parser::unary() {
    const Token& t = peek();
    Op op;
    if (t.is_op("-")) op = Op::kNeg;
    else if (t.is_op("~")) op = Op::kBitNot;
    else if (t.is_op("!")) op = Op::kNot;
    else if (t.is_word("binary") && !peek(1).is_op("(")) op = Op::kBinary;
    else if (t.is_op("+")) {
        take();
        return unary();
    } else {
        auto e = FLOE_TRY(primary());
        if (accept_word("collate")) (void)FLOE_TRY(name_or_string());  // only the default collations exist yet
        return e;
    }
    uint32_t begin = take().begin;
    auto operand = FLOE_TRY(unary());
    auto e = make(ExprKind::kUnary, begin);
    e->op = op;
    e->end = operand->end;
    e->args.push_back(std::move(operand));
    return e;
}

Result<ExprPtr> Parser::system_variable(uint32_t begin) {
    auto e = make(ExprKind::kSysVar, begin);
    if ((peek().is_word("global") || peek().is_word("session") || peek().is_word("local")) && peek(1).is_op(".")) {
        e->scope = peek().is_word("global") ? VarScope::kGlobal : VarScope::kSession;
        take();
        take();
    }
    const Token& n = peek();
    if (n.kind != TokenKind::kIdent && n.kind != TokenKind::kQuotedIdent) return fail();
    e->name = lower(take().text);
    e->end = prev_end_;
    return e;
}

Result<ExprPtr> Parser::primary() {
    const Token& t = peek();
    uint32_t begin = t.begin;
    switch (t.kind) {
        case TokenKind::kInteger: {
            Token tok = take();
            auto e = make(ExprKind::kLiteral, begin);
            errno = 0;
            char* end = nullptr;
            unsigned long long v = std::strtoull(tok.text.c_str(), &end, 10);
            if (errno == ERANGE) {
                e->literal = Value::from_decimal(FLOE_TRY(Decimal::parse(tok.text)));
            } else if (v > static_cast<unsigned long long>(INT64_MAX)) {
                e->literal = Value::from_uint(v);
            } else {
                e->literal = Value::from_int(static_cast<int64_t>(v));
            }
            return e;
        }
        case TokenKind::kDecimal: {
            Token tok = take();
            auto e = make(ExprKind::kLiteral, begin);
            e->literal = Value::from_decimal(FLOE_TRY(Decimal::parse(tok.text)));
            return e;
        }
        case TokenKind::kFloat: {
            Token tok = take();
            auto e = make(ExprKind::kLiteral, begin);
            e->literal = Value::from_double(std::strtod(tok.text.c_str(), nullptr));
            return e;
        }
        case TokenKind::kString: {
            std::string text = take().text;
            while (peek().kind == TokenKind::kString) text += take().text;  // 'a' 'b' -> 'ab'
            auto e = make(ExprKind::kLiteral, begin);
            e->literal = Value::from_string(std::move(text));
            return e;
        }
        case TokenKind::kHexString:
        case TokenKind::kBitString: {
            auto e = make(ExprKind::kLiteral, begin);
            e->literal = Value::from_binary(take().text);
            e->hex_literal = true;
            e->end = prev_end_;
            return e;
        }
        case TokenKind::kQuotedIdent:
        case TokenKind::kIdent: break;
        case TokenKind::kOperator: {
            if (t.is_op("(") && (peek(1).is_word("select") || (peek(1).is_op("(") && peek(2).is_word("select")))) {
                auto e = make(ExprKind::kSubquery, begin);
                e->subquery = FLOE_TRY(subquery());
                e->end = prev_end_;
                return e;
            }
            if (t.is_op("(")) {
                take();
                auto inner = FLOE_TRY(expr());
                if (peek().is_op(",")) {
                    return make_error(ErrorCode::ER_OPERAND_COLUMNS, {"1"});
                }
                FLOE_CHECK(expect_op(")"));
                inner->begin = begin;
                inner->end = prev_end_;
                return inner;
            }
            if (t.is_op("?") && options_.allow_params) {
                take();
                auto e = make(ExprKind::kParam, begin);
                e->param_index = param_count_++;
                params_.push_back(e.get());
                return e;
            }
            if (t.is_op("@")) {
                take();
                if (peek().is_op("@")) {
                    take();
                    return system_variable(begin);
                }
                const Token& n = peek();
                if (n.kind != TokenKind::kIdent && n.kind != TokenKind::kQuotedIdent && n.kind != TokenKind::kString) {
                    return fail();
                }
                std::string name = lower(take().text);
                if (accept_op(":=")) {
                    auto value = FLOE_TRY(expr());
                    auto e = make(ExprKind::kAssign, begin);
                    e->name = std::move(name);
                    e->args.push_back(std::move(value));
                    return e;
                }
                auto e = make(ExprKind::kUserVar, begin);
                e->name = std::move(name);
                return e;
            }
            return fail();
        }
        case TokenKind::kEnd: return fail();
    }

    // Words: literals, CASE, functions, columns.
    if (t.kind == TokenKind::kIdent) {
        if (t.is_word("null")) {
            take();
            return make(ExprKind::kLiteral, begin);
        }
        if (t.is_word("true") || t.is_word("false")) {
            bool v = take().is_word("true");
            auto e = make(ExprKind::kLiteral, begin);
            e->literal = Value::from_int(v ? 1 : 0);
            return e;
        }
        if (t.is_word("case")) {
            take();
            return case_expr(begin);
        }
        if (t.is_word("exists") && peek(1).is_op("(")) {
            take();
            auto e = make(ExprKind::kExists, begin);
            e->subquery = FLOE_TRY(subquery());
            e->end = prev_end_;
            return e;
        }
        // Charset introducers: _utf8mb4'x', _binary'x'
        if (t.text.size() > 1 && t.text[0] == '_' && peek(1).kind == TokenKind::kString) {
            bool binary_cs = t.is_word("_binary");
            take();
            std::string text = take().text;
            auto e = make(ExprKind::kLiteral, begin);
            e->literal = binary_cs ? Value::from_binary(std::move(text)) : Value::from_string(std::move(text));
            return e;
        }
        if ((t.is_word("date") || t.is_word("time") || t.is_word("timestamp")) &&
            peek(1).kind == TokenKind::kString) {
            std::string fn = lower(take().text);
            uint32_t arg_begin = peek().begin;
            auto arg = make(ExprKind::kLiteral, arg_begin);
            arg->literal = Value::from_string(take().text);
            arg->end = prev_end_;
            auto e = make(ExprKind::kCast, begin);
            e->cast_type = fn == "date" ? CastType::kDate : (fn == "time" ? CastType::kTime : CastType::kDateTime);
            e->args.push_back(std::move(arg));
            return e;
        }
        if (is_reserved(t.text) && !peek(1).is_op("(")) return fail();
    }
    std::string word = take().text;
    if (peek().is_op("(") && lower(word) == "values") {  // VALUES(col) in ON DUPLICATE KEY UPDATE
        take();
        auto e = make(ExprKind::kValuesFn, begin);
        e->name = FLOE_TRY(identifier());
        FLOE_CHECK(expect_op(")"));
        e->end = prev_end_;
        return e;
    }
    if (peek().is_op("(")) return function_call(lower(word), begin);
    std::string lw = lower(word);
    for (auto n : kNiladic) {
        if (lw == n) {
            auto e = make(ExprKind::kFunction, begin);
            e->name = lw;
            return e;
        }
    }
    auto e = make(ExprKind::kColumn, begin);
    e->name = std::move(word);
    if (accept_op(".")) {
        e->qualifier = std::move(e->name);
        const Token& n = peek();
        if (n.kind != TokenKind::kIdent && n.kind != TokenKind::kQuotedIdent) return fail();
        e->name = take().text;
        if (accept_op(".")) {  // db.table.column
            e->qualifier += "." + e->name;
            const Token& m = peek();
            if (m.kind != TokenKind::kIdent && m.kind != TokenKind::kQuotedIdent) return fail();
            e->name = take().text;
        }
    }
    e->end = prev_end_;
    return e;
}

Result<std::shared_ptr<SelectStmt>> Parser::subquery() {
    FLOE_CHECK(expect_op("("));
    auto s = std::make_shared<SelectStmt>(FLOE_TRY(select()));
    FLOE_CHECK(expect_op(")"));
    return s;
}

Result<ExprPtr> Parser::case_expr(uint32_t begin) {
    auto e = make(ExprKind::kCase, begin);
    if (!peek().is_word("when")) {
        e->has_case_operand = true;
        e->args.push_back(FLOE_TRY(expr()));
    }
    if (!peek().is_word("when")) return fail();
    while (accept_word("when")) {
        e->args.push_back(FLOE_TRY(expr()));
        FLOE_CHECK(expect_word("then"));
        e->args.push_back(FLOE_TRY(expr()));
    }
    if (accept_word("else")) {
        e->has_else = true;
        e->args.push_back(FLOE_TRY(expr()));
    }
    FLOE_CHECK(expect_word("end"));
    e->end = prev_end_;
    return e;
}

Status Parser::cast_type(Expr& e) {
    auto optional_length = [&](bool with_scale) -> Status {
        if (accept_op("(")) {
            if (peek().kind != TokenKind::kInteger) return fail();
            e.cast_length = std::stoi(take().text);
            if (with_scale && accept_op(",")) {
                if (peek().kind != TokenKind::kInteger) return fail();
                e.cast_scale = std::stoi(take().text);
            }
            FLOE_CHECK(expect_op(")"));
        }
        return {};
    };
    if (accept_word("signed")) {
        if (!accept_word("integer")) accept_word("int");
        e.cast_type = CastType::kSigned;
    } else if (accept_word("unsigned")) {
        if (!accept_word("integer")) accept_word("int");
        e.cast_type = CastType::kUnsigned;
    } else if (accept_word("int") || accept_word("integer")) {
        e.cast_type = CastType::kSigned;
    } else if (accept_word("char") || accept_word("nchar") || accept_word("varchar")) {
        e.cast_type = CastType::kChar;
        FLOE_CHECK(optional_length(false));
        if (accept_word("character") || accept_word("charset")) {
            accept_word("set");
            std::string cs = lower(FLOE_TRY(name_or_string()));
            if (cs == "binary") e.cast_type = CastType::kBinary;
        }
    } else if (accept_word("binary")) {
        e.cast_type = CastType::kBinary;
        FLOE_CHECK(optional_length(false));
    } else if (accept_word("decimal") || accept_word("dec") || accept_word("numeric")) {
        e.cast_type = CastType::kDecimal;
        FLOE_CHECK(optional_length(true));
    } else if (accept_word("double") || accept_word("float") || accept_word("real")) {
        accept_word("precision");
        e.cast_type = CastType::kDouble;
    } else if (accept_word("date")) {
        e.cast_type = CastType::kDate;
    } else if (accept_word("datetime")) {
        e.cast_type = CastType::kDateTime;
        FLOE_CHECK(optional_length(false));
    } else if (accept_word("time")) {
        e.cast_type = CastType::kTime;
        FLOE_CHECK(optional_length(false));
    } else if (accept_word("json")) {
        e.cast_type = CastType::kJson;
    } else {
        return fail();
    }
    return {};
}

Result<ExprPtr> Parser::function_call(std::string name, uint32_t begin) {
    FLOE_CHECK(expect_op("("));
    auto e = make(ExprKind::kFunction, begin);
    e->name = name;
    if (name == "cast") {
        e->kind = ExprKind::kCast;
        e->args.push_back(FLOE_TRY(expr()));
        FLOE_CHECK(expect_word("as"));
        FLOE_CHECK(cast_type(*e));
    } else if (name == "convert") {
        e->args.push_back(FLOE_TRY(expr()));
        if (accept_word("using")) {
            std::string cs = lower(FLOE_TRY(name_or_string()));
            e->kind = ExprKind::kCast;
            e->cast_type = cs == "binary" ? CastType::kBinary : CastType::kChar;
        } else {
            FLOE_CHECK(expect_op(","));
            e->kind = ExprKind::kCast;
            FLOE_CHECK(cast_type(*e));
        }
    } else if (name == "substring" || name == "substr") {
        e->name = "substring";
        e->args.push_back(FLOE_TRY(expr()));
        if (accept_word("from")) {
            e->args.push_back(FLOE_TRY(expr()));
            if (accept_word("for")) e->args.push_back(FLOE_TRY(expr()));
        } else {
            while (accept_op(",")) e->args.push_back(FLOE_TRY(expr()));
        }
    } else if (name == "trim") {
        // TRIM([BOTH|LEADING|TRAILING] [remstr] FROM str) -> trim(str, remstr, mode)
        std::string mode = "both";
        if (accept_word("both")) mode = "both";
        else if (accept_word("leading")) mode = "leading";
        else if (accept_word("trailing")) mode = "trailing";
        ExprPtr first;
        if (!peek().is_word("from")) first = FLOE_TRY(expr());
        ExprPtr str, remstr;
        if (accept_word("from")) {
            str = FLOE_TRY(expr());
            remstr = std::move(first);
        } else {
            str = std::move(first);
        }
        if (!str) return fail();
        e->name = "trim_" + mode;
        e->args.push_back(std::move(str));
        if (remstr) e->args.push_back(std::move(remstr));
    } else if (name == "position") {
        e->name = "locate";
        auto needle = FLOE_TRY(bit_or());
        FLOE_CHECK(expect_word("in"));
        e->args.push_back(std::move(needle));
        e->args.push_back(FLOE_TRY(expr()));
    } else if ((name == "date_add" || name == "date_sub" || name == "adddate" || name == "subdate") &&
               !peek().is_op(")")) {
        // DATE_ADD(x, INTERVAL n unit); ADDDATE(x, n) means n days.
        e->name = name == "date_add" || name == "adddate" ? "date_add" : "date_sub";
        e->args.push_back(FLOE_TRY(expr()));
        FLOE_CHECK(expect_op(","));
        if (accept_word("interval")) {
            e->args.push_back(FLOE_TRY(expr()));
            e->literal = Value::from_string(lower(FLOE_TRY(identifier())));
        } else {
            e->args.push_back(FLOE_TRY(expr()));
            e->literal = Value::from_string("day");
        }
    } else if (name == "count" && peek().is_op("*")) {
        take();
        e->star = true;
    } else if (!peek().is_op(")")) {
        if (accept_word("distinct")) e->distinct = true;
        do {
            e->args.push_back(FLOE_TRY(expr()));
        } while (accept_op(","));
        if (name == "group_concat") {
            if (peek().is_word("order")) {
                take();
                std::vector<OrderItem> keys;
                FLOE_CHECK(order_by(keys));
                for (auto& k : keys) {
                    e->args.push_back(std::move(k.expr));
                    e->order_desc.push_back(k.desc);
                }
            }
            e->literal = Value::from_string(",");  // the separator
            if (accept_word("separator")) e->literal = Value::from_string(FLOE_TRY(string_literal()));
        }
    }
    FLOE_CHECK(expect_op(")"));
    e->end = prev_end_;
    return e;
}

}  // namespace floe::sql
