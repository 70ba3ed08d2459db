// Parser, part 3: CREATE / DROP of databases and tables, TRUNCATE, column definitions and data types.
#include <cstdlib>

#include "sql/parse/parser.h"
#include "sql/parse/reserved_words.h"

namespace floe::sql {

Result<std::string> Parser::string_literal() {
    if (peek().kind != TokenKind::kString) return fail();
    return take().text;
}

Result<Statement> Parser::create_statement() {
    FLOE_CHECK(expect_word("create"));
    if (accept_word("database") || accept_word("schema")) {
        CreateDatabaseStmt s;
        if (accept_word("if")) {
            FLOE_CHECK(expect_word("not"));
            FLOE_CHECK(expect_word("exists"));
            s.if_not_exists = true;
        }
        s.name = FLOE_TRY(identifier());
        FLOE_CHECK(database_options(s));
        return Statement(std::move(s));
    }
    if (peek().is_word("view") || peek().is_word("or") || peek().is_word("algorithm") ||
        peek().is_word("definer") || (peek().is_word("sql") && peek(1).is_word("security"))) {
        return Statement(FLOE_TRY(view_definition(false)));
    }
    if (peek().is_word("unique") || peek().is_word("index") || peek().is_word("key")) {
        // CREATE [UNIQUE] INDEX name ON t (cols)
        AlterAction a;
        a.kind = AlterAction::Kind::kAddIndex;
        a.index.kind = accept_word("unique") ? IndexAstKind::kUnique : IndexAstKind::kKey;
        if (!accept_word("index")) FLOE_CHECK(expect_word("key"));
        a.index.name = FLOE_TRY(identifier());
        if (accept_word("using")) take();
        FLOE_CHECK(expect_word("on"));
        AlterTableStmt s;
        s.table = FLOE_TRY(table_ref(false));
        a.index.columns = FLOE_TRY(index_columns());
        if (accept_word("using")) take();
        s.actions.push_back(std::move(a));
        return Statement(std::move(s));
    }
    bool columnstore = false;
    if (accept_word("columnstore")) {
        columnstore = true;
    } else {
        accept_word("rowstore");
    }
    if (peek().is_word("table")) return Statement(FLOE_TRY(create_table(columnstore)));
    return fail();
}

Result<Statement> Parser::drop_statement() {
    FLOE_CHECK(expect_word("drop"));
    if (accept_word("database") || accept_word("schema")) {
        DropDatabaseStmt s;
        if (accept_word("if")) {
            FLOE_CHECK(expect_word("exists"));
            s.if_exists = true;
        }
        s.name = FLOE_TRY(identifier());
        return Statement(std::move(s));
    }
    if (accept_word("view")) {
        DropViewStmt s;
        if (accept_word("if")) {
            FLOE_CHECK(expect_word("exists"));
            s.if_exists = true;
        }
        do {
            s.views.push_back(FLOE_TRY(table_ref(false)));
        } while (accept_op(","));
        if (!accept_word("restrict")) accept_word("cascade");
        return Statement(std::move(s));
    }
    if (accept_word("index") || accept_word("key")) {  // DROP INDEX name ON t
        AlterAction a;
        a.kind = AlterAction::Kind::kDropIndex;
        a.name = FLOE_TRY(identifier());
        FLOE_CHECK(expect_word("on"));
        AlterTableStmt alter;
        alter.table = FLOE_TRY(table_ref(false));
        alter.actions.push_back(std::move(a));
        return Statement(std::move(alter));
    }
    accept_word("temporary");
    FLOE_CHECK(expect_word("table"));
    DropTableStmt s;
    if (accept_word("if")) {
        FLOE_CHECK(expect_word("exists"));
        s.if_exists = true;
    }
    do {
        s.tables.push_back(FLOE_TRY(table_ref(false)));
    } while (accept_op(","));
    if (!accept_word("restrict")) accept_word("cascade");
    return Statement(std::move(s));
}

Result<CreateTableStmt> Parser::create_table(bool columnstore) {
    FLOE_CHECK(expect_word("table"));
    CreateTableStmt s;
    s.columnstore = columnstore;
    if (accept_word("if")) {
        FLOE_CHECK(expect_word("not"));
        FLOE_CHECK(expect_word("exists"));
        s.if_not_exists = true;
    }
    s.table = FLOE_TRY(table_ref(false));
    if (accept_word("like")) {
        s.like = FLOE_TRY(table_ref());
        return s;
    }
    auto as_select = [&]() -> Status {
        if (peek().is_word("as") || peek().is_word("select")) {
            accept_word("as");
            uint32_t begin = peek().begin;
            s.as_select = std::make_unique<SelectStmt>(FLOE_TRY(select()));
            s.as_select_text = std::string(lexer_.source().substr(begin, prev_end_ - begin));
        }
        return {};
    };
    if (!peek().is_op("(")) {
        FLOE_CHECK(as_select());
        if (!s.as_select) return fail();
        return s;
    }
    FLOE_CHECK(expect_op("("));
    if (accept_word("like")) {
        s.like = FLOE_TRY(table_ref());
        FLOE_CHECK(expect_op(")"));
        return s;
    }
    do {
        const Token& t = peek();
        IndexDefAst index;
        bool is_index = true;
        if (accept_word("constraint")) {
            if (!peek().is_word("primary") && !peek().is_word("unique")) index.name = FLOE_TRY(identifier());
        }
        if (peek().is_word("primary") && peek(1).is_word("key")) {
            take();
            take();
            index.kind = IndexAstKind::kPrimary;
        } else if (peek().is_word("unique")) {
            take();
            if (!accept_word("key")) accept_word("index");
            index.kind = IndexAstKind::kUnique;
        } else if (peek().is_word("shard") && peek(1).is_word("key")) {
            take();
            take();
            index.kind = IndexAstKind::kShard;
        } else if ((t.is_word("key") || t.is_word("index")) && !peek(1).is_word("int")) {
            take();
            index.kind = IndexAstKind::kKey;
        } else if (t.is_word("foreign") || t.is_word("fulltext") || t.is_word("spatial") || t.is_word("check")) {
            return make_error(ErrorCode::ER_NOT_SUPPORTED_YET, {lower(t.text) + " keys"});
        } else {
            is_index = false;
        }
        if (is_index) {
            if (!peek().is_op("(") && !peek().is_word("using")) index.name = FLOE_TRY(identifier());
            if (accept_word("using")) take();
            index.columns = FLOE_TRY(index_columns());
            if (accept_word("using")) take();
            if (accept_word("comment")) (void)FLOE_TRY(string_literal());
            s.indexes.push_back(std::move(index));
            continue;
        }
        ColumnDefAst col;
        col.name = FLOE_TRY(identifier());
        FLOE_CHECK(column_definition(col));
        s.columns.push_back(std::move(col));
    } while (accept_op(","));
    FLOE_CHECK(expect_op(")"));
    FLOE_CHECK(table_options(s.options));
    FLOE_CHECK(as_select());
    return s;
}

Result<std::vector<std::string>> Parser::index_columns() {
    FLOE_CHECK(expect_op("("));
    std::vector<std::string> cols;
    if (accept_op(")")) return cols;  // SHARD KEY () : no shard key (keyless sharding)
    do {
        cols.push_back(FLOE_TRY(identifier()));
        if (accept_op("(")) {  // prefix length: the whole value is indexed
            if (peek().kind != TokenKind::kInteger) return fail();
            take();
            FLOE_CHECK(expect_op(")"));
        }
        if (!accept_word("asc")) accept_word("desc");
    } while (accept_op(","));
    FLOE_CHECK(expect_op(")"));
    return cols;
}

Status Parser::database_options(CreateDatabaseStmt& s) {
    for (;;) {
        if (peek().is_word("partitions")) {
            if (s.alter) {
                return make_error(ErrorCode::ER_NOT_SUPPORTED_YET,
                                  {"changing a database's partitions (back it up WITH SPLIT PARTITIONS and restore it)"});
            }
            take();
            accept_op("=");
            if (peek().kind != TokenKind::kInteger) return fail();
            s.partitions = std::atoi(take().text.c_str());
        } else if (peek().is_word("default") &&
                   (peek(1).is_word("character") || peek(1).is_word("charset") || peek(1).is_word("collate"))) {
            take();
        } else if (accept_word("charset") || (peek().is_word("character") && accept_word("character") &&
                                              accept_word("set"))) {
            accept_op("=");
            s.charset = lower(FLOE_TRY(name_or_string()));
        } else if (accept_word("collate")) {
            accept_op("=");
            s.collation = lower(FLOE_TRY(name_or_string()));
        } else {
            return {};
        }
    }
}

Status Parser::table_options(TableOptionsAst& o) {
    for (;;) {
        accept_op(",");
        if (accept_word("engine")) {
            accept_op("=");
            o.engine = FLOE_TRY(name_or_string());
        } else if (peek().is_word("default") &&
                   (peek(1).is_word("charset") || peek(1).is_word("character") || peek(1).is_word("collate"))) {
            take();
        } else if (accept_word("charset") || (peek().is_word("character") && accept_word("character") &&
                                              accept_word("set"))) {
            accept_op("=");
            o.charset = lower(FLOE_TRY(name_or_string()));
        } else if (accept_word("collate")) {
            accept_op("=");
            o.collation = lower(FLOE_TRY(name_or_string()));
        } else if (accept_word("comment")) {
            accept_op("=");
            o.comment = FLOE_TRY(string_literal());
        } else if (accept_word("auto_increment")) {
            accept_op("=");
            if (peek().kind != TokenKind::kInteger) return fail();
            o.auto_increment = std::strtoull(take().text.c_str(), nullptr, 10);
        } else if (accept_word("rt_mem_limit")) {
            // rt_mem_limit = 1048576 | '1M' (Manticore's form: K / M / G suffixes)
            accept_op("=");
            if (peek().kind != TokenKind::kInteger && peek().kind != TokenKind::kString) return fail();
            std::string text = take().text;
            char* end = nullptr;
            uint64_t n = std::strtoull(text.c_str(), &end, 10);
            if (end == text.c_str()) return fail();
            std::string suffix(end);
            if (suffix == "k" || suffix == "K") {
                n <<= 10;
            } else if (suffix == "m" || suffix == "M") {
                n <<= 20;
            } else if (suffix == "g" || suffix == "G") {
                n <<= 30;
            } else if (!suffix.empty()) {
                return fail();
            }
            o.rt_mem_limit = n;
        } else if (accept_word("row_format") || accept_word("key_block_size") || accept_word("stats_persistent") ||
                   accept_word("pack_keys") || accept_word("checksum") || accept_word("delay_key_write")) {
            accept_op("=");
            take();
        } else {
            return {};
        }
    }
}

Status Parser::data_type(TypeAst& type) {
    const Token& t = peek();
    if (t.kind != TokenKind::kIdent) return fail();
    type.name = lower(take().text);
    if (type.name == "integer") type.name = "int";
    if (type.name == "dec" || type.name == "numeric" || type.name == "fixed") type.name = "decimal";
    if (type.name == "real") type.name = "double";
    if (type.name == "boolean") type.name = "bool";
    if (type.name == "double") accept_word("precision");
    if (type.name == "character") {
        type.name = accept_word("varying") ? "varchar" : "char";
    }
    if (type.name == "long" && (accept_word("varchar") || accept_word("varbinary"))) type.name = "mediumtext";
    if (type.name == "enum" || type.name == "set") {
        FLOE_CHECK(expect_op("("));
        do {
            type.enum_values.push_back(FLOE_TRY(string_literal()));
        } while (accept_op(","));
        FLOE_CHECK(expect_op(")"));
    } else if (type.name == "varchar" || type.name == "varbinary") {
        FLOE_CHECK(expect_op("("));  // their length is required
        if (peek().kind != TokenKind::kInteger) return fail();
        type.length = std::atoi(take().text.c_str());
        FLOE_CHECK(expect_op(")"));
    } else if (accept_op("(")) {
        if (peek().kind != TokenKind::kInteger) return fail();
        type.length = std::atoi(take().text.c_str());
        if (accept_op(",")) {
            if (peek().kind != TokenKind::kInteger) return fail();
            type.scale = std::atoi(take().text.c_str());
        }
        FLOE_CHECK(expect_op(")"));
    }
    for (;;) {
        if (accept_word("unsigned")) {
            type.is_unsigned = true;
        } else if (accept_word("signed")) {
        } else if (accept_word("zerofill")) {
            type.zerofill = true;
            type.is_unsigned = true;
        } else if (accept_word("binary")) {
            type.collation = "binary_of_charset";
        } else if (accept_word("charset") || (peek().is_word("character") && peek(1).is_word("set"))) {
            if (peek().is_word("set")) take();
            if (peek().is_word("character")) {
                take();
                take();
            }
            type.charset = lower(FLOE_TRY(name_or_string()));
        } else if (accept_word("collate")) {
            type.collation = lower(FLOE_TRY(name_or_string()));
        } else {
            return {};
        }
    }
}

Status Parser::column_definition(ColumnDefAst& col) {
    FLOE_CHECK(data_type(col.type));
    for (;;) {
        if (accept_word("not")) {
            FLOE_CHECK(expect_word("null"));
            col.not_null = true;
            col.null_given = true;
        } else if (accept_word("null")) {
            col.null_given = true;
        } else if (accept_word("default")) {
            if (accept_word("null")) {
                col.default_null = true;
            } else if (peek().is_word("current_timestamp") || peek().is_word("now") || peek().is_word("localtimestamp") ||
                       peek().is_word("localtime")) {
                take();
                if (accept_op("(")) {
                    if (peek().kind == TokenKind::kInteger) take();
                    FLOE_CHECK(expect_op(")"));
                }
                col.default_current_timestamp = true;
            } else {
                col.default_value = FLOE_TRY(unary());
            }
        } else if (accept_word("on")) {
            FLOE_CHECK(expect_word("update"));
            if (!accept_word("current_timestamp") && !accept_word("now") && !accept_word("localtimestamp")) return fail();
            if (accept_op("(")) {
                if (peek().kind == TokenKind::kInteger) take();
                FLOE_CHECK(expect_op(")"));
            }
            col.on_update_current_timestamp = true;
        } else if (accept_word("auto_increment")) {
            col.auto_increment = true;
        } else if (peek().is_word("primary") || (peek().is_word("key") && !peek(1).is_op("("))) {
            accept_word("primary");
            FLOE_CHECK(expect_word("key"));
            col.primary_key = true;
        } else if (accept_word("unique")) {
            accept_word("key");
            col.unique = true;
        } else if (accept_word("comment")) {
            col.comment = FLOE_TRY(string_literal());
        } else if (accept_word("collate")) {
            col.type.collation = lower(FLOE_TRY(name_or_string()));
        } else if (accept_word("charset") || (peek().is_word("character") && peek(1).is_word("set"))) {
            if (peek().is_word("character")) {
                take();
                take();
            }
            col.type.charset = lower(FLOE_TRY(name_or_string()));
        } else if (accept_word("column_format") || accept_word("storage")) {
            take();
        } else {
            return {};
        }
    }
}


Status Parser::column_position(AlterAction& a) {
    if (accept_word("first")) {
        a.first = true;
    } else if (accept_word("after")) {
        a.after = FLOE_TRY(identifier());
    }
    return {};
}

Status Parser::alter_action(AlterAction& a) {
    using K = AlterAction::Kind;
    if (accept_word("add")) {
        const Token& t = peek();
        bool index = (t.is_word("index") || t.is_word("key") || t.is_word("unique") || t.is_word("constraint") ||
                      (t.is_word("primary") && peek(1).is_word("key")) || t.is_word("fulltext"));
        if (index) {
            a.kind = K::kAddIndex;
            if (accept_word("constraint") && !peek().is_word("primary") && !peek().is_word("unique")) {
                a.index.name = FLOE_TRY(identifier());
            }
            if (accept_word("primary")) {
                FLOE_CHECK(expect_word("key"));
                a.index.kind = IndexAstKind::kPrimary;
            } else if (accept_word("unique")) {
                if (!accept_word("key")) accept_word("index");
                a.index.kind = IndexAstKind::kUnique;
            } else if (accept_word("fulltext")) {
                return make_error(ErrorCode::ER_NOT_SUPPORTED_YET, {"fulltext keys"});
            } else {
                take();
                a.index.kind = IndexAstKind::kKey;
            }
            if (!peek().is_op("(") && !peek().is_word("using")) a.index.name = FLOE_TRY(identifier());
            if (accept_word("using")) take();
            a.index.columns = FLOE_TRY(index_columns());
            if (accept_word("using")) take();
            return {};
        }
        accept_word("column");
        a.kind = K::kAddColumn;
        a.column.name = FLOE_TRY(identifier());
        FLOE_CHECK(column_definition(a.column));
        return column_position(a);
    }
    if (accept_word("drop")) {
        if (accept_word("primary")) {
            FLOE_CHECK(expect_word("key"));
            a.kind = K::kDropPrimaryKey;
        } else if (accept_word("index") || accept_word("key")) {
            a.kind = K::kDropIndex;
            a.name = FLOE_TRY(identifier());
        } else {
            accept_word("column");
            a.kind = K::kDropColumn;
            a.name = FLOE_TRY(identifier());
        }
        return {};
    }
    if (accept_word("modify")) {
        accept_word("column");
        a.kind = K::kModifyColumn;
        a.column.name = FLOE_TRY(identifier());
        FLOE_CHECK(column_definition(a.column));
        return column_position(a);
    }
    if (accept_word("change")) {
        accept_word("column");
        a.kind = K::kChangeColumn;
        a.name = FLOE_TRY(identifier());
        a.column.name = FLOE_TRY(identifier());
        FLOE_CHECK(column_definition(a.column));
        return column_position(a);
    }
    if (accept_word("rename")) {
        if (accept_word("column")) {
            a.kind = K::kRenameColumn;
            a.name = FLOE_TRY(identifier());
            FLOE_CHECK(expect_word("to"));
            a.new_name = FLOE_TRY(identifier());
            return {};
        }
        if (accept_word("index") || accept_word("key")) {
            return make_error(ErrorCode::ER_NOT_SUPPORTED_YET, {"RENAME INDEX"});
        }
        if (!accept_word("to")) accept_word("as");
        a.kind = K::kRenameTable;
        a.rename_to = FLOE_TRY(table_ref(false));
        return {};
    }
    if (accept_word("alter")) {
        accept_word("column");
        a.name = FLOE_TRY(identifier());
        if (accept_word("set")) {
            FLOE_CHECK(expect_word("default"));
            a.kind = K::kSetDefault;
            a.default_value = FLOE_TRY(unary());
        } else {
            FLOE_CHECK(expect_word("drop"));
            FLOE_CHECK(expect_word("default"));
            a.kind = K::kDropDefault;
        }
        return {};
    }
    if (accept_word("disable") || accept_word("enable")) {  // mysqldump's /*!40000 ALTER TABLE t DISABLE KEYS */
        FLOE_CHECK(expect_word("keys"));
        a.kind = K::kNoOp;
        return {};
    }
    a.kind = K::kOptions;
    uint32_t start = peek().begin;
    FLOE_CHECK(table_options(a.options));
    if (peek().begin == start) return fail();  // nothing we know
    return {};
}

Result<AlterTableStmt> Parser::alter_table() {
    take();  // ALTER
    take();  // TABLE
    AlterTableStmt s;
    s.table = FLOE_TRY(table_ref(false));
    do {
        AlterAction a;
        FLOE_CHECK(alter_action(a));
        s.actions.push_back(std::move(a));
    } while (accept_op(","));
    return s;
}

Result<CreateViewStmt> Parser::view_definition(bool alter) {
    CreateViewStmt v;
    v.alter = alter;
    if (accept_word("or")) {
        FLOE_CHECK(expect_word("replace"));
        v.or_replace = true;
    }
    for (;;) {
        if (accept_word("algorithm")) {
            FLOE_CHECK(expect_op("="));
            take();  // UNDEFINED | MERGE | TEMPTABLE: views are always expanded when read
        } else if (accept_word("definer")) {
            FLOE_CHECK(expect_op("="));
            if (accept_word("current_user")) {
                if (accept_op("(")) FLOE_CHECK(expect_op(")"));
            } else {
                AccountName a = FLOE_TRY(account_name());
                v.definer = "`" + a.user + "`@`" + a.host + "`";
            }
        } else if (accept_word("sql")) {
            FLOE_CHECK(expect_word("security"));
            if (accept_word("invoker")) {
                v.security = "INVOKER";
            } else {
                FLOE_CHECK(expect_word("definer"));
            }
        } else {
            break;
        }
    }
    FLOE_CHECK(expect_word("view"));
    v.view = FLOE_TRY(table_ref(false));
    if (accept_op("(")) {
        do {
            v.columns.push_back(FLOE_TRY(identifier()));
        } while (accept_op(","));
        FLOE_CHECK(expect_op(")"));
    }
    FLOE_CHECK(expect_word("as"));
    uint32_t begin = peek().begin;
    (void)FLOE_TRY(select());  // parsed now so a broken definition is refused at CREATE time
    v.definition = std::string(lexer_.source().substr(begin, prev_end_ - begin));
    if (accept_word("with")) {
        if (accept_word("cascaded")) {
            v.check_option = "CASCADED";
        } else if (accept_word("local")) {
            v.check_option = "LOCAL";
        } else {
            v.check_option = "CASCADED";
        }
        FLOE_CHECK(expect_word("check"));
        FLOE_CHECK(expect_word("option"));
    }
    return v;
}

}  // namespace floe::sql
