// Parser, part 4: INSERT / REPLACE, UPDATE, DELETE, LOAD DATA.
#include <cstdlib>

#include "sql/parse/parser.h"
#include "sql/parse/reserved_words.h"

namespace floe::sql {

Result<ExprPtr> Parser::value_or_default() {
    if (peek().is_word("default") && !peek(1).is_op("(")) {
        uint32_t begin = take().begin;
        return make(ExprKind::kDefault, begin);
    }
    return expr();
}

Result<std::vector<Assignment>> Parser::assignments() {
    std::vector<Assignment> out;
    do {
        Assignment a;
        a.column = FLOE_TRY(identifier());
        if (accept_op(".")) {
            a.qualifier = std::move(a.column);
            a.column = FLOE_TRY(identifier());
        }
        if (!accept_op("=") && !accept_op(":=")) return fail();
        a.value = FLOE_TRY(value_or_default());
        out.push_back(std::move(a));
    } while (accept_op(","));
    return out;
}

Status Parser::order_by(std::vector<OrderItem>& out) {
    FLOE_CHECK(expect_word("by"));
    do {
        OrderItem o;
        o.expr = FLOE_TRY(expr());
        if (accept_word("desc")) {
            o.desc = true;
        } else {
            accept_word("asc");
        }
        out.push_back(std::move(o));
    } while (accept_op(","));
    return {};
}

Status Parser::row_limit(ExprPtr& limit) {
    if (!peek().is_word("limit")) return {};
    ExprPtr offset;
    FLOE_CHECK(limit_clause(limit, offset));
    if (offset) return fail();  // UPDATE / DELETE take LIMIT n only
    return {};
}

Result<InsertStmt> Parser::insert(bool replace) {
    take();  // INSERT / REPLACE
    InsertStmt s;
    s.replace = replace;
    for (;;) {
        if (accept_word("ignore")) {
            s.ignore = true;
        } else if (accept_word("low_priority") || accept_word("delayed") || accept_word("high_priority")) {
        } else {
            break;
        }
    }
    accept_word("into");
    s.table = FLOE_TRY(table_ref(/*allow_alias=*/false));
    if (accept_word("set")) {
        for (auto& a : FLOE_TRY(assignments())) {
            s.columns.push_back(std::move(a.column));
            if (s.rows.empty()) s.rows.emplace_back();
            s.rows[0].push_back(std::move(a.value));
        }
    } else {
        if (peek().is_op("(") && !peek(1).is_word("select")) {
            take();
            if (!peek().is_op(")")) {
                do {
                    std::string col = FLOE_TRY(identifier());
                    if (accept_op(".")) col = FLOE_TRY(identifier());
                    s.columns.push_back(std::move(col));
                } while (accept_op(","));
            }
            FLOE_CHECK(expect_op(")"));
        }
        if (peek().is_word("select") || peek().is_op("(")) {
            s.select = std::make_shared<SelectStmt>(FLOE_TRY(select()));
        } else if (!accept_word("values") && !accept_word("value")) {
            return fail();
        }
        while (!s.select) {
            FLOE_CHECK(expect_op("("));
            std::vector<ExprPtr> row;
            if (!peek().is_op(")")) {
                do {
                    row.push_back(FLOE_TRY(value_or_default()));
                } while (accept_op(","));
            }
            FLOE_CHECK(expect_op(")"));
            s.rows.push_back(std::move(row));
            if (!accept_op(",")) break;
        }
    }
    if (accept_word("on")) {
        FLOE_CHECK(expect_word("duplicate"));
        FLOE_CHECK(expect_word("key"));
        FLOE_CHECK(expect_word("update"));
        s.on_duplicate = FLOE_TRY(assignments());
    }
    return s;
}

Result<UpdateStmt> Parser::update() {
    FLOE_CHECK(expect_word("update"));
    UpdateStmt s;
    accept_word("low_priority");
    if (accept_word("ignore")) s.ignore = true;
    std::vector<FromItem> from;
    FLOE_CHECK(from_clause(from));
    if (from.size() == 1 && from[0].kind == FromItem::Kind::kTable) {
        s.table = std::move(from[0].table);
    } else {
        s.joined = std::move(from);
    }
    FLOE_CHECK(expect_word("set"));
    s.assignments = FLOE_TRY(assignments());
    if (accept_word("where")) s.where = FLOE_TRY(expr());
    if (accept_word("order")) FLOE_CHECK(order_by(s.order_by));
    FLOE_CHECK(row_limit(s.limit));
    return s;
}

Result<DeleteStmt> Parser::delete_statement() {
    FLOE_CHECK(expect_word("delete"));
    DeleteStmt s;
    accept_word("low_priority");
    accept_word("quick");
    accept_word("ignore");
    auto target_list = [&]() -> Status {
        do {
            TableRef t = FLOE_TRY(table_ref(false));
            if (accept_op(".")) FLOE_CHECK(expect_op("*"));  // t.*
            s.targets.push_back(std::move(t));
        } while (accept_op(","));
        return {};
    };
    if (accept_word("from")) {
        if (peek(1).is_op(",") || peek(1).is_word("using") || (peek(1).is_op(".") && peek(2).is_op("*")) ||
            (peek(1).is_op(".") && peek(3).is_op(",")) || (peek(1).is_op(".") && peek(3).is_word("using"))) {
            FLOE_CHECK(target_list());  // DELETE FROM t1[, t2] USING <join>
            FLOE_CHECK(expect_word("using"));
            FLOE_CHECK(from_clause(s.joined));
        } else {
            s.table = FLOE_TRY(table_ref());
        }
    } else {
        FLOE_CHECK(target_list());  // DELETE t1[, t2] FROM <join>
        FLOE_CHECK(expect_word("from"));
        FLOE_CHECK(from_clause(s.joined));
    }
    if (accept_word("where")) s.where = FLOE_TRY(expr());
    if (accept_word("order")) FLOE_CHECK(order_by(s.order_by));
    FLOE_CHECK(row_limit(s.limit));
    return s;
}

Result<LoadDataStmt> Parser::load_data() {
    take();  // LOAD
    take();  // DATA
    LoadDataStmt s;
    accept_word("low_priority") || accept_word("concurrent");
    s.local = accept_word("local");
    FLOE_CHECK(expect_word("infile"));
    s.file = FLOE_TRY(string_literal());
    if (accept_word("replace")) {
        s.replace = true;
    } else if (accept_word("ignore")) {
        s.ignore = true;
    }
    FLOE_CHECK(expect_word("into"));
    FLOE_CHECK(expect_word("table"));
    s.table = FLOE_TRY(table_ref(/*allow_alias=*/false));
    // The file's character set: its bytes are stored as sent (floe keeps utf8mb4 everywhere).
    if (accept_word("character")) {
        FLOE_CHECK(expect_word("set"));
        (void)FLOE_TRY(name_or_string());
    } else if (accept_word("charset")) {
        (void)FLOE_TRY(name_or_string());
    }
    if (accept_word("fields") || accept_word("columns")) {
        bool any = false;
        for (;;) {
            if (accept_word("terminated")) {
                FLOE_CHECK(expect_word("by"));
                s.fields_terminated = FLOE_TRY(string_literal());
            } else if (accept_word("optionally") || peek().is_word("enclosed")) {
                FLOE_CHECK(expect_word("enclosed"));
                FLOE_CHECK(expect_word("by"));
                s.enclosed = FLOE_TRY(string_literal());
            } else if (accept_word("escaped")) {
                FLOE_CHECK(expect_word("by"));
                s.escaped = FLOE_TRY(string_literal());
            } else {
                break;
            }
            any = true;
        }
        if (!any) return fail();
    }
    if (accept_word("lines")) {
        bool any = false;
        for (;;) {
            if (accept_word("starting")) {
                FLOE_CHECK(expect_word("by"));
                s.lines_starting = FLOE_TRY(string_literal());
            } else if (accept_word("terminated")) {
                FLOE_CHECK(expect_word("by"));
                s.lines_terminated = FLOE_TRY(string_literal());
            } else {
                break;
            }
            any = true;
        }
        if (!any) return fail();
    }
    if (accept_word("ignore")) {
        if (peek().kind != TokenKind::kInteger) return fail();
        s.ignore_lines = std::strtoull(take().text.c_str(), nullptr, 10);
        if (!accept_word("lines")) FLOE_CHECK(expect_word("rows"));
    }
    if (accept_op("(")) {
        if (!peek().is_op(")")) {
            do {
                LoadDataStmt::Target target;
                if (accept_op("@")) {
                    const Token& n = peek();
                    if (n.kind != TokenKind::kIdent && n.kind != TokenKind::kQuotedIdent && n.kind != TokenKind::kString) {
                        return fail();
                    }
                    target.name = lower(take().text);
                    target.user_var = true;
                } else {
                    target.name = FLOE_TRY(identifier());
                    if (accept_op(".")) target.name = FLOE_TRY(identifier());
                }
                s.targets.push_back(std::move(target));
            } while (accept_op(","));
        }
        FLOE_CHECK(expect_op(")"));
    }
    if (accept_word("set")) s.set = FLOE_TRY(assignments());
    return s;
}

}  // namespace floe::sql
