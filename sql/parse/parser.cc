// Parser, part 1: token access and statements (SELECT, SET, SHOW, USE, KILL, transactions, accounts).
// Expressions are in parser_expr.cc.
#include "sql/parse/parser.h"

#include "sql/parse/reserved_words.h"

namespace floe::sql {

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

Parser::Parser(std::string_view sql, ParserOptions options) : lexer_(sql, options.lexer), options_(options) {}

const Token& Parser::peek(size_t k) {
    while (ahead_.size() <= k) {
        if (lex_error_) {
            Token end;
            end.begin = end.end = static_cast<uint32_t>(lexer_.source().size());
            ahead_.push_back(end);
            continue;
        }
        auto t = lexer_.next();
        if (!t.ok()) {
            lex_error_ = std::move(t).error();
            continue;
        }
        ahead_.push_back(std::move(*t));
    }
    return ahead_[k];
}

Token Parser::take() {
    peek();
    Token t = std::move(ahead_.front());
    ahead_.pop_front();
    if (t.kind != TokenKind::kEnd) prev_end_ = t.end;
    return t;
}

bool Parser::accept_word(std::string_view word) {
    if (peek().is_word(word)) {
        take();
        return true;
    }
    return false;
}

bool Parser::accept_op(std::string_view op) {
    if (peek().is_op(op)) {
        take();
        return true;
    }
    return false;
}

Error Parser::fail() {
    if (lex_error_) return *lex_error_;
    const Token& t = peek();
    return syntax_error_at(lexer_.source(), t.begin, t.line);
}

Status Parser::expect_word(std::string_view word) {
    if (!accept_word(word)) return fail();
    return {};
}

Status Parser::expect_op(std::string_view op) {
    if (!accept_op(op)) return fail();
    return {};
}

Result<std::string> Parser::identifier() {
    const Token& t = peek();
    if (t.kind == TokenKind::kQuotedIdent || (t.kind == TokenKind::kIdent && !is_reserved(t.text))) {
        return take().text;
    }
    return fail();
}

Result<std::string> Parser::name_or_string() {
    const Token& t = peek();
    if (t.kind == TokenKind::kString) return take().text;
    return identifier();
}

ExprPtr Parser::make(ExprKind kind, uint32_t begin) {
    auto e = std::make_unique<Expr>();
    e->kind = kind;
    e->begin = begin;
    e->end = prev_end_;
    return e;
}

ExprPtr Parser::binary(Op op, ExprPtr left, ExprPtr right) {
    auto e = std::make_unique<Expr>();
    e->kind = ExprKind::kBinary;
    e->op = op;
    e->begin = left->begin;
    e->end = right->end;
    e->args.push_back(std::move(left));
    e->args.push_back(std::move(right));
    return e;
}

// ---------------------------------------------------------------------------------------------------------
// Statements

Result<std::optional<ParsedStatement>> Parser::next() {
    while (accept_op(";")) {
    }
    if (peek().kind == TokenKind::kEnd) {
        if (lex_error_) return *lex_error_;
        return std::optional<ParsedStatement>();
    }
    param_count_ = 0;
    params_.clear();
    uint32_t begin = peek().begin;
    auto stmt = statement();
    if (!stmt.ok()) return std::move(stmt).error();
    if (lex_error_) return *lex_error_;
    if (peek().kind != TokenKind::kEnd && !peek().is_op(";")) return fail();
    ParsedStatement parsed{std::move(*stmt), begin, prev_end_, param_count_, std::move(params_)};
    return std::optional<ParsedStatement>(std::move(parsed));
}

Result<bool> Parser::at_end() {
    while (accept_op(";")) {
    }
    if (lex_error_) return *lex_error_;
    return peek().kind == TokenKind::kEnd;
}

Result<Statement> Parser::statement() {
    const Token& t = peek();
    if (t.is_word("select") || (t.is_op("(") && (peek(1).is_word("select") || peek(1).is_op("(")))) {
        return Statement(FLOE_TRY(select()));
    }
    if ((t.is_word("explain") || t.is_word("describe") || t.is_word("desc")) &&
        (peek(1).is_word("select") || peek(1).is_op("(") || peek(1).is_word("format") || peek(1).is_word("extended"))) {
        take();
        if (accept_word("format")) {
            FLOE_CHECK(expect_op("="));
            if (!accept_word("traditional")) return fail();
        }
        accept_word("extended");
        return Statement(ExplainStmt{std::make_shared<SelectStmt>(FLOE_TRY(select()))});
    }
    if (t.is_word("set")) return Statement(FLOE_TRY(set()));
    if (t.is_word("show")) return Statement(FLOE_TRY(show()));
    if (t.is_word("use")) {
        take();
        UseStmt use;
        use.db = FLOE_TRY(identifier());
        return Statement(std::move(use));
    }
    if (t.is_word("kill")) return Statement(FLOE_TRY(kill()));
    if (t.is_word("begin") || t.is_word("start") || t.is_word("commit") || t.is_word("rollback") ||
        t.is_word("savepoint") || t.is_word("release")) {
        return transaction_statement();
    }
    if (t.is_word("create") && peek(1).is_word("user")) return account_statement(true);
    if (t.is_word("alter") && peek(1).is_word("user")) return account_statement(false);
    if (t.is_word("drop") && peek(1).is_word("user")) return Statement(FLOE_TRY(drop_user()));
    if (t.is_word("alter") && peek(1).is_word("table")) return Statement(FLOE_TRY(alter_table()));
    if (t.is_word("alter") && (peek(1).is_word("database") || peek(1).is_word("schema"))) {
        // Parsed as CREATE DATABASE's options: ALTER DATABASE db [DEFAULT] CHARACTER SET .. COLLATE ..
        take();
        take();
        CreateDatabaseStmt s;
        s.alter = true;
        s.name = FLOE_TRY(identifier());
        FLOE_CHECK(database_options(s));
        if (s.charset.empty() && s.collation.empty()) return fail();
        return Statement(std::move(s));
    }
    if (t.is_word("alter") && (peek(1).is_word("view") || peek(1).is_word("algorithm") ||
                               peek(1).is_word("definer") || peek(1).is_word("sql"))) {
        take();
        return Statement(FLOE_TRY(view_definition(true)));
    }
    if ((t.is_word("analyze") || t.is_word("optimize")) &&
        (peek(1).is_word("table") || peek(1).is_word("local") || peek(1).is_word("no_write_to_binlog"))) {
        TableMaintenanceStmt m;
        m.kind = take().is_word("analyze") ? TableMaintenanceStmt::Kind::kAnalyze : TableMaintenanceStmt::Kind::kOptimize;
        if (!accept_word("local")) accept_word("no_write_to_binlog");
        FLOE_CHECK(expect_word("table"));
        do {
            m.tables.push_back(FLOE_TRY(table_ref(false)));
        } while (accept_op(","));
        return Statement(std::move(m));
    }
    if (t.is_word("rename") && peek(1).is_word("table")) {
        take();
        take();
        RenameTableStmt r;
        do {
            TableRef from = FLOE_TRY(table_ref(false));
            FLOE_CHECK(expect_word("to"));
            r.renames.emplace_back(std::move(from), FLOE_TRY(table_ref(false)));
        } while (accept_op(","));
        return Statement(std::move(r));
    }
    if (t.is_word("create") && !peek(1).is_word("user")) return create_statement();
    if (t.is_word("drop") && !peek(1).is_word("user")) return drop_statement();
    if (t.is_word("truncate")) {
        take();
        accept_word("table");
        TruncateStmt s;
        s.table = FLOE_TRY(table_ref());
        return Statement(std::move(s));
    }
    if (t.is_word("insert")) return Statement(FLOE_TRY(insert(false)));
    if (t.is_word("replace")) return Statement(FLOE_TRY(insert(true)));
    if (t.is_word("update")) return Statement(FLOE_TRY(update()));
    if (t.is_word("load") && peek(1).is_word("data")) return Statement(FLOE_TRY(load_data()));
    if (t.is_word("delete")) return Statement(FLOE_TRY(delete_statement()));
    if (t.is_word("describe") || t.is_word("desc")) {
        take();
        ShowStmt s;
        s.kind = ShowKind::kColumns;
        s.table = FLOE_TRY(table_ref());
        if (peek().kind == TokenKind::kIdent || peek().kind == TokenKind::kString) {
            s.like = take().text;  // DESCRIBE t col
        }
        return Statement(std::move(s));
    }
    if (Statement op; FLOE_TRY(operation_statement(op))) return op;
    if ((t.is_word("lock") || t.is_word("unlock")) && (peek(1).is_word("tables") || peek(1).is_word("table"))) {
        // Accepted for dumps and scripts, and no more: each statement already reads one consistent snapshot,
        // and a consistent multi-table read is START TRANSACTION WITH CONSISTENT SNAPSHOT (docs/clients.md).
        bool lock = take().is_word("lock");
        take();
        if (!lock) return Statement(NoOpStmt{"UNLOCK TABLES"});
        do {
            FLOE_TRY(table_ref(false));
            if (!peek().is_word("read") && !peek().is_word("write") && !peek().is_word("low_priority")) {
                accept_word("as");
                FLOE_TRY(identifier());
            }
            if (accept_word("read")) {
                accept_word("local");
            } else {
                accept_word("low_priority");
                FLOE_CHECK(expect_word("write"));
            }
        } while (accept_op(","));
        return Statement(NoOpStmt{"LOCK TABLES"});
    }
    if (t.is_word("flush") && peek(1).is_word("privileges")) {
        take();
        take();
        return Statement(NoOpStmt{"FLUSH PRIVILEGES (grants apply at once)"});
    }
    if (t.is_word("do")) {
        take();
        DoStmt d;
        do {
            d.exprs.push_back(FLOE_TRY(expr()));
        } while (accept_op(","));
        return Statement(std::move(d));
    }
    return fail();
}

Result<TableRef> Parser::table_ref(bool allow_alias) {
    TableRef ref;
    ref.name = FLOE_TRY(identifier());
    if (accept_op(".")) {
        ref.db = std::move(ref.name);
        ref.name = FLOE_TRY(identifier());
    }
    if (!allow_alias) return ref;
    if (accept_word("as")) {
        ref.alias = FLOE_TRY(identifier());
    } else if (peek().kind == TokenKind::kQuotedIdent || (peek().kind == TokenKind::kIdent && !is_reserved(peek().text))) {
        ref.alias = take().text;
    }
    return ref;
}

Result<SelectStmt> Parser::select_body() {
    FLOE_CHECK(expect_word("select"));
    SelectStmt s;
    for (;;) {
        if (accept_word("distinct") || accept_word("distinctrow")) {
            s.distinct = true;
        } else if (accept_word("sql_calc_found_rows")) {
            s.calc_found_rows = true;
        } else if (accept_word("all") || accept_word("sql_no_cache") || accept_word("sql_cache") ||
                   accept_word("high_priority") || accept_word("straight_join") ||
                   accept_word("sql_small_result") || accept_word("sql_big_result") ||
                   accept_word("sql_buffer_result")) {
        } else {
            break;
        }
    }
    do {
        SelectItem item;
        uint32_t begin = peek().begin;
        if (peek().is_op("*")) {
            take();
            item.expr = make(ExprKind::kStar, begin);
        } else if (peek(1).is_op(".") && peek(2).is_op("*") &&
                   (peek().kind == TokenKind::kIdent || peek().kind == TokenKind::kQuotedIdent)) {
            auto star = make(ExprKind::kStar, begin);
            star->qualifier = take().text;
            take();
            take();
            star->end = prev_end_;
            item.expr = std::move(star);
        } else {
            item.expr = FLOE_TRY(expr());
        }
        item.text = std::string(lexer_.source().substr(item.expr->begin, item.expr->end - item.expr->begin));
        if (item.expr->kind == ExprKind::kLiteral && item.expr->literal.is_string()) {
            item.text = item.expr->literal.string_value();  // MySQL names a string column by its value
        }
        if (accept_word("as")) {
            item.alias = FLOE_TRY(name_or_string());
            item.has_alias = true;
        } else if (peek().kind == TokenKind::kString || peek().kind == TokenKind::kQuotedIdent ||
                   (peek().kind == TokenKind::kIdent && !is_reserved(peek().text))) {
            item.alias = take().text;
            item.has_alias = true;
        }
        s.items.push_back(std::move(item));
    } while (accept_op(","));

    if (accept_word("from")) {
        if (!accept_word("dual")) FLOE_CHECK(from_clause(s.from));
    }
    if (accept_word("where")) s.where = FLOE_TRY(expr());
    if (accept_word("group")) {
        FLOE_CHECK(expect_word("by"));
        do {
            s.group_by.push_back(FLOE_TRY(expr()));
            if (!accept_word("asc")) accept_word("desc");
        } while (accept_op(","));
    }
    if (accept_word("having")) s.having = FLOE_TRY(expr());
    return s;
}

Result<SelectStmt> Parser::select() {
    // The first term: a SELECT body, or a parenthesized query with its own ORDER BY / LIMIT.
    SelectStmt first;
    bool parenthesized = false;
    if (accept_op("(")) {
        first = FLOE_TRY(select());
        FLOE_CHECK(expect_op(")"));
        parenthesized = true;
    } else {
        first = FLOE_TRY(select_body());
    }
    SelectStmt s;
    if (peek().is_word("union")) {
        if (parenthesized) {
            s.union_head = std::make_shared<SelectStmt>(std::move(first));
        } else {
            s = std::move(first);
        }
        while (accept_word("union")) {
            UnionTerm term;
            term.all = accept_word("all");
            if (!term.all) accept_word("distinct");
            if (accept_op("(")) {
                term.select = std::make_shared<SelectStmt>(FLOE_TRY(select()));
                FLOE_CHECK(expect_op(")"));
            } else {
                term.select = std::make_shared<SelectStmt>(FLOE_TRY(select_body()));
            }
            s.unions.push_back(std::move(term));
        }
    } else if (parenthesized && (peek().is_word("order") || peek().is_word("limit"))) {
        // (SELECT ...) ORDER BY / LIMIT: a one-term union, so the outer clauses apply after the inner ones.
        s.union_head = std::make_shared<SelectStmt>(std::move(first));
        s.unions.clear();
    } else {
        s = std::move(first);
        if (parenthesized) return s;
    }
    if (accept_word("order")) FLOE_CHECK(order_by(s.order_by));
    if (peek().is_word("limit")) FLOE_CHECK(limit_clause(s.limit, s.offset));
    if (accept_word("for")) {
        if (accept_word("share")) {
            s.for_share = true;
        } else {
            FLOE_CHECK(expect_word("update"));
            s.for_update = true;
        }
    } else if (accept_word("lock")) {
        FLOE_CHECK(expect_word("in"));
        FLOE_CHECK(expect_word("share"));
        FLOE_CHECK(expect_word("mode"));
        s.for_share = true;
    }
    return s;
}

Status Parser::from_clause(std::vector<FromItem>& from) {
    do {
        from.push_back(FLOE_TRY(from_item()));
    } while (accept_op(","));
    return {};
}

Result<FromItem> Parser::table_factor() {
    FromItem item;
    if (peek().is_op("(")) {
        bool is_query = peek(1).is_word("select") || (peek(1).is_op("(") && peek(2).is_word("select"));
        if (is_query) {
            item.kind = FromItem::Kind::kDerived;
            item.derived = FLOE_TRY(subquery());
            accept_word("as");
            const Token& a = peek();
            if (a.kind == TokenKind::kQuotedIdent || (a.kind == TokenKind::kIdent && !is_reserved(a.text))) {
                item.table.alias = take().text;
            } else {
                return make_error(ErrorCode::ER_DERIVED_MUST_HAVE_ALIAS);
            }
            return item;
        }
        // ( t1 JOIN t2 ... ) or ( t1, t2 ): a nested join.
        take();
        std::vector<FromItem> inner;
        FLOE_CHECK(from_clause(inner));
        FLOE_CHECK(expect_op(")"));
        FromItem joined = std::move(inner[0]);
        for (size_t i = 1; i < inner.size(); ++i) {
            FromItem j;
            j.kind = FromItem::Kind::kJoin;
            j.left = std::make_unique<FromItem>(std::move(joined));
            j.right = std::make_unique<FromItem>(std::move(inner[i]));
            joined = std::move(j);
        }
        return joined;
    }
    item.table = FLOE_TRY(table_ref());
    // Index hints are accepted and ignored: USE / FORCE / IGNORE INDEX | KEY (names).
    while ((peek().is_word("use") || peek().is_word("force") || peek().is_word("ignore")) &&
           (peek(1).is_word("index") || peek(1).is_word("key"))) {
        take();
        take();
        if (accept_word("for")) {
            if (accept_word("join")) {
            } else if (accept_word("order") || accept_word("group")) {
                FLOE_CHECK(expect_word("by"));
            } else {
                return fail();
            }
        }
        FLOE_CHECK(expect_op("("));
        while (!peek().is_op(")")) {
            (void)FLOE_TRY(identifier());
            if (!accept_op(",")) break;
        }
        FLOE_CHECK(expect_op(")"));
    }
    return item;
}

Result<FromItem> Parser::from_item() {
    FromItem left = FLOE_TRY(table_factor());
    for (;;) {
        FromItem j;
        j.kind = FromItem::Kind::kJoin;
        bool needs_condition = false;  // LEFT / RIGHT JOIN require ON or USING
        if (accept_word("natural")) {
            j.natural = true;
            if (accept_word("left")) {
                j.join = JoinKind::kLeft;
            } else if (accept_word("right")) {
                j.join = JoinKind::kRight;
            } else {
                accept_word("inner");
            }
            accept_word("outer");
            FLOE_CHECK(expect_word("join"));
        } else if (accept_word("left") || (peek().is_word("right") && !peek(1).is_op("("))) {
            bool right = peek().is_word("right");
            if (right) take();
            j.join = right ? JoinKind::kRight : JoinKind::kLeft;
            accept_word("outer");
            FLOE_CHECK(expect_word("join"));
            needs_condition = true;
        } else if (accept_word("inner") || accept_word("cross")) {
            FLOE_CHECK(expect_word("join"));
        } else if (accept_word("join") || accept_word("straight_join")) {
        } else {
            break;
        }
        j.left = std::make_unique<FromItem>(std::move(left));
        j.right = std::make_unique<FromItem>(FLOE_TRY(table_factor()));
        if (!j.natural) {
            if (accept_word("on")) {
                j.on = FLOE_TRY(expr());
            } else if (accept_word("using")) {
                FLOE_CHECK(expect_op("("));
                do {
                    j.using_columns.push_back(FLOE_TRY(identifier()));
                } while (accept_op(","));
                FLOE_CHECK(expect_op(")"));
            } else if (needs_condition) {
                return fail();
            }
        }
        left = std::move(j);
    }
    return left;
}

Status Parser::limit_clause(ExprPtr& limit, ExprPtr& offset) {
    FLOE_CHECK(expect_word("limit"));
    auto limit_value = [&]() -> Result<ExprPtr> {
        const Token& t = peek();
        if (t.kind == TokenKind::kInteger || t.is_op("?") || t.is_op("@")) return primary();
        return fail();
    };
    auto first = FLOE_TRY(limit_value());
    if (accept_op(",")) {
        offset = std::move(first);
        limit = FLOE_TRY(limit_value());
    } else if (accept_word("offset")) {
        limit = std::move(first);
        offset = FLOE_TRY(limit_value());
    } else {
        limit = std::move(first);
    }
    return {};
}

Result<ExprPtr> Parser::set_value() {
    // DEFAULT, and bare words (ON, OFF, utf8mb4, SYSTEM) as strings, as MySQL does for SET.
    if (peek().kind == TokenKind::kIdent && (peek(1).kind == TokenKind::kEnd || peek(1).is_op(",") ||
                                             peek(1).is_op(";") || peek(1).is_word("collate"))) {
        if (peek().is_word("default")) {
            take();
            return ExprPtr();
        }
        uint32_t begin = peek().begin;
        Token t = take();
        auto e = make(ExprKind::kLiteral, begin);
        if (t.is_word("true") || t.is_word("false")) {
            e->literal = Value::from_int(t.is_word("true") ? 1 : 0);
        } else if (t.is_word("null")) {
            e->literal = Value::null();
        } else {
            e->literal = Value::from_string(t.text);
        }
        return e;
    }
    return expr();
}

Result<SetStmt> Parser::set() {
    FLOE_CHECK(expect_word("set"));
    SetStmt s;
    auto scope_word = [&]() {
        if (accept_word("global") || accept_word("persist") || accept_word("persist_only")) return VarScope::kGlobal;
        if (accept_word("session") || accept_word("local")) return VarScope::kSession;
        return VarScope::kDefault;
    };
    do {
        SetAssignment a;
        a.scope = scope_word();
        if (accept_word("transaction")) {
            do {
                SetAssignment t;
                t.scope = a.scope;
                if (accept_word("isolation")) {
                    FLOE_CHECK(expect_word("level"));
                    t.target = SetAssignment::Target::kIsolation;
                    if (accept_word("read")) {
                        if (accept_word("committed")) {
                            t.name = "READ-COMMITTED";
                        } else {
                            FLOE_CHECK(expect_word("uncommitted"));
                            t.name = "READ-UNCOMMITTED";
                        }
                    } else if (accept_word("repeatable")) {
                        FLOE_CHECK(expect_word("read"));
                        t.name = "REPEATABLE-READ";
                    } else {
                        FLOE_CHECK(expect_word("serializable"));
                        t.name = "SERIALIZABLE";
                    }
                } else {
                    FLOE_CHECK(expect_word("read"));
                    t.target = SetAssignment::Target::kReadOnly;
                    if (accept_word("only")) {
                        t.name = "ON";
                    } else {
                        FLOE_CHECK(expect_word("write"));
                        t.name = "OFF";
                    }
                }
                s.assignments.push_back(std::move(t));
            } while (accept_op(","));
            return s;
        }
        if (a.scope == VarScope::kDefault && accept_word("names")) {
            a.target = SetAssignment::Target::kNames;
            if (accept_word("default")) {
                a.is_default = true;
            } else {
                a.name = FLOE_TRY(name_or_string());
                if (accept_word("collate")) a.collation = FLOE_TRY(name_or_string());
            }
            s.assignments.push_back(std::move(a));
            continue;
        }
        if (a.scope == VarScope::kDefault &&
            (peek().is_word("charset") || (peek().is_word("character") && peek(1).is_word("set")))) {
            if (!accept_word("charset")) {
                take();
                take();
            }
            a.target = SetAssignment::Target::kCharacterSet;
            if (accept_word("default")) {
                a.is_default = true;
            } else {
                a.name = FLOE_TRY(name_or_string());
            }
            s.assignments.push_back(std::move(a));
            continue;
        }
        if (peek().is_op("@") && peek(1).is_op("@")) {
            take();
            take();
            if (peek().is_word("global") && peek(1).is_op(".")) {
                take();
                take();
                a.scope = VarScope::kGlobal;
            } else if ((peek().is_word("session") || peek().is_word("local")) && peek(1).is_op(".")) {
                take();
                take();
                a.scope = VarScope::kSession;
            }
            const Token& n = peek();
            if (n.kind != TokenKind::kIdent && n.kind != TokenKind::kQuotedIdent) return fail();
            a.name = lower(take().text);
        } else if (peek().is_op("@")) {
            take();
            a.target = SetAssignment::Target::kUser;
            const Token& n = peek();
            if (n.kind != TokenKind::kIdent && n.kind != TokenKind::kQuotedIdent && n.kind != TokenKind::kString) {
                return fail();
            }
            a.name = lower(take().text);
        } else {
            const Token& n = peek();
            if (n.kind != TokenKind::kIdent && n.kind != TokenKind::kQuotedIdent) return fail();
            a.name = lower(take().text);
            // SET session.var (rare) / SET var.component are not MySQL syntax; a dot here is an error.
        }
        if (!accept_op("=") && !accept_op(":=")) return fail();
        a.value = FLOE_TRY(set_value());
        a.is_default = a.value == nullptr;
        s.assignments.push_back(std::move(a));
    } while (accept_op(","));
    return s;
}

Status Parser::like_or_where(std::optional<std::string>& like, ExprPtr& where) {
    if (accept_word("like")) {
        if (peek().kind != TokenKind::kString) return fail();
        like = take().text;
    } else if (accept_word("where")) {
        where = FLOE_TRY(expr());
    }
    return {};
}

Result<ShowStmt> Parser::show() {
    FLOE_CHECK(expect_word("show"));
    ShowStmt s;
    if (accept_word("global")) {
        s.scope = VarScope::kGlobal;
    } else if (accept_word("session") || accept_word("local")) {
        s.scope = VarScope::kSession;
    }
    if (accept_word("full")) s.full = true;
    if (accept_word("variables")) {
        s.kind = ShowKind::kVariables;
    } else if (accept_word("status")) {
        s.kind = ShowKind::kStatus;
    } else if (s.scope == VarScope::kDefault && (peek().is_word("warnings") || peek().is_word("errors"))) {
        s.kind = take().is_word("warnings") ? ShowKind::kWarnings : ShowKind::kErrors;
        if (peek().is_word("limit")) FLOE_CHECK(limit_clause(s.limit, s.offset));
        return s;
    } else if (s.scope == VarScope::kDefault && peek().is_word("count")) {
        take();
        FLOE_CHECK(expect_op("("));
        FLOE_CHECK(expect_op("*"));
        FLOE_CHECK(expect_op(")"));
        if (accept_word("warnings")) {
            s.kind = ShowKind::kWarningCount;
        } else {
            FLOE_CHECK(expect_word("errors"));
            s.kind = ShowKind::kErrorCount;
        }
        return s;
    } else if (accept_word("collation")) {
        s.kind = ShowKind::kCollation;
    } else if (accept_word("charset") || (accept_word("character") && accept_word("set"))) {
        s.kind = ShowKind::kCharacterSet;
    } else if (accept_word("engines") || (accept_word("storage") && accept_word("engines"))) {
        s.kind = ShowKind::kEngines;
        return s;
    } else if (accept_word("databases") || accept_word("schemas")) {
        s.kind = ShowKind::kDatabases;
    } else if (accept_word("tables")) {
        s.kind = ShowKind::kTables;
        if (accept_word("from") || accept_word("in")) s.db = FLOE_TRY(identifier());
    } else if (peek().is_word("create") && (peek(1).is_word("table") || peek(1).is_word("view"))) {
        take();
        take();
        s.kind = ShowKind::kCreateTable;
        s.table = FLOE_TRY(table_ref());
        return s;
    } else if (peek().is_word("create") && (peek(1).is_word("database") || peek(1).is_word("schema"))) {
        take();
        take();
        s.kind = ShowKind::kCreateDatabase;
        if (accept_word("if")) {
            FLOE_CHECK(expect_word("not"));
            FLOE_CHECK(expect_word("exists"));
            s.if_not_exists = true;
        }
        s.db = FLOE_TRY(identifier());
        return s;
    } else if (accept_word("columns") || accept_word("fields")) {
        s.kind = ShowKind::kColumns;
        if (!accept_word("from")) FLOE_CHECK(expect_word("in"));
        s.table = FLOE_TRY(table_ref());
        if (accept_word("from") || accept_word("in")) s.table.db = FLOE_TRY(identifier());
    } else if (accept_word("index") || accept_word("indexes") || accept_word("keys")) {
        s.kind = ShowKind::kIndex;
        if (!accept_word("from")) FLOE_CHECK(expect_word("in"));
        s.table = FLOE_TRY(table_ref());
        if (accept_word("from") || accept_word("in")) s.table.db = FLOE_TRY(identifier());
    } else if (peek().is_word("database") && peek(1).is_word("status")) {
        take();
        take();
        s.kind = ShowKind::kDatabaseStatus;
        if (accept_word("from") || accept_word("in")) s.db = FLOE_TRY(identifier());
    } else if (peek().is_word("table") && peek(1).is_word("status")) {
        take();
        take();
        s.kind = ShowKind::kTableStatus;
        if (accept_word("from") || accept_word("in")) s.db = FLOE_TRY(identifier());
    } else if (peek().is_word("table") && !peek(1).is_word("status") && peek(1).kind != TokenKind::kEnd) {
        take();  // SHOW TABLE t STATUS [LIKE 'pattern']
        s.kind = ShowKind::kTableStatusOf;
        s.table = FLOE_TRY(table_ref(false));
        FLOE_CHECK(expect_word("status"));
    } else if (accept_word("leaves")) {
        s.kind = ShowKind::kLeaves;
        return s;
    } else if (accept_word("aggregators")) {
        s.kind = ShowKind::kAggregators;
        return s;
    } else if (accept_word("locks")) {
        s.kind = ShowKind::kLocks;
        return s;
    } else if (accept_word("partitions")) {
        s.kind = ShowKind::kPartitions;
        FLOE_CHECK(expect_word("on"));
        s.db = FLOE_TRY(identifier());
        return s;
    } else if (accept_word("processlist")) {
        s.kind = ShowKind::kProcessList;
        return s;
    } else if (accept_word("grants")) {
        s.kind = ShowKind::kGrants;
        if (accept_word("for")) {
            if (!accept_word("current_user")) {
                (void)FLOE_TRY(account_name());
            } else if (accept_op("(")) {
                FLOE_CHECK(expect_op(")"));
            }
        }
        return s;
    } else if (accept_word("plugins")) {
        s.kind = ShowKind::kPlugins;
        return s;
    } else if (accept_word("privileges")) {
        s.kind = ShowKind::kPrivileges;
        return s;
    } else {
        return fail();
    }
    FLOE_CHECK(like_or_where(s.like, s.where));
    return s;
}

Result<Statement> Parser::transaction_statement() {
    TransactionStmt t;
    if (accept_word("begin")) {
        accept_word("work");
        t.kind = TransactionStmt::Kind::kBegin;
    } else if (accept_word("start")) {
        FLOE_CHECK(expect_word("transaction"));
        t.kind = TransactionStmt::Kind::kBegin;
        if (!peek().is_op(";") && peek().kind != TokenKind::kEnd) {
            do {
                if (accept_word("with")) {
                    FLOE_CHECK(expect_word("consistent"));
                    FLOE_CHECK(expect_word("snapshot"));
                } else {
                    FLOE_CHECK(expect_word("read"));
                    if (accept_word("only")) {
                        t.read_only = true;
                    } else {
                        FLOE_CHECK(expect_word("write"));
                    }
                }
            } while (accept_op(","));
        }
    } else if (accept_word("savepoint")) {
        t.kind = TransactionStmt::Kind::kSavepoint;
        t.savepoint = FLOE_TRY(identifier());
    } else if (accept_word("release")) {
        FLOE_CHECK(expect_word("savepoint"));
        t.kind = TransactionStmt::Kind::kReleaseSavepoint;
        t.savepoint = FLOE_TRY(identifier());
    } else {
        t.kind = take().is_word("commit") ? TransactionStmt::Kind::kCommit : TransactionStmt::Kind::kRollback;
        accept_word("work");
        if (t.kind == TransactionStmt::Kind::kRollback && accept_word("to")) {
            accept_word("savepoint");
            t.kind = TransactionStmt::Kind::kRollbackToSavepoint;
            t.savepoint = FLOE_TRY(identifier());
            return Statement(t);
        }
        if (accept_word("and")) {
            accept_word("no");
            FLOE_CHECK(expect_word("chain"));
        }
        if (accept_word("no")) {
            FLOE_CHECK(expect_word("release"));
        } else {
            accept_word("release");
        }
    }
    return Statement(t);
}

Result<KillStmt> Parser::kill() {
    FLOE_CHECK(expect_word("kill"));
    KillStmt k;
    if (accept_word("query")) {
        k.query_only = true;
    } else {
        accept_word("connection");
    }
    k.id = FLOE_TRY(expr());
    return k;
}

Result<AccountName> Parser::account_name() {
    AccountName a;
    const Token& t = peek();
    if (t.kind != TokenKind::kString && t.kind != TokenKind::kQuotedIdent && t.kind != TokenKind::kIdent) {
        return fail();
    }
    a.user = take().text;
    if (accept_op("@")) {
        const Token& h = peek();
        if (h.kind != TokenKind::kString && h.kind != TokenKind::kQuotedIdent && h.kind != TokenKind::kIdent) {
            return fail();
        }
        a.host = take().text;
    }
    return a;
}

Result<std::vector<AccountSpec>> Parser::account_specs() {
    std::vector<AccountSpec> specs;
    do {
        AccountSpec spec;
        spec.name = FLOE_TRY(account_name());
        if (accept_word("identified")) {
            if (accept_word("with")) {
                spec.plugin = lower(FLOE_TRY(name_or_string()));
                if (accept_word("by")) {
                    if (peek().kind != TokenKind::kString) return fail();
                    spec.password = take().text;
                }
            } else {
                FLOE_CHECK(expect_word("by"));
                if (peek().kind != TokenKind::kString) return fail();
                spec.password = take().text;
            }
        }
        specs.push_back(std::move(spec));
    } while (accept_op(","));
    return specs;
}

Result<Statement> Parser::account_statement(bool create) {
    take();  // CREATE / ALTER
    take();  // USER
    if (create) {
        CreateUserStmt s;
        if (accept_word("if")) {
            FLOE_CHECK(expect_word("not"));
            FLOE_CHECK(expect_word("exists"));
            s.if_not_exists = true;
        }
        s.accounts = FLOE_TRY(account_specs());
        return Statement(std::move(s));
    }
    AlterUserStmt s;
    if (accept_word("if")) {
        FLOE_CHECK(expect_word("exists"));
        s.if_exists = true;
    }
    s.accounts = FLOE_TRY(account_specs());
    return Statement(std::move(s));
}

Result<DropUserStmt> Parser::drop_user() {
    take();
    take();
    DropUserStmt s;
    if (accept_word("if")) {
        FLOE_CHECK(expect_word("exists"));
        s.if_exists = true;
    }
    do {
        s.accounts.push_back(FLOE_TRY(account_name()));
    } while (accept_op(","));
    return s;
}

}  // namespace floe::sql
