// Parser: tokens -> AST, one statement at a time, so a script's statements run one after the other and an error
// in statement N leaves 1..N-1 done (as MySQL does). Errors are MySQL's 1064 with the text near the problem.
#pragma once

#include <deque>
#include <optional>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "sql/parse/ast.h"
#include "sql/parse/lexer.h"

namespace floe::sql {

struct ParserOptions {
    LexerOptions lexer;
    bool pipes_as_concat = false;  // sql_mode PIPES_AS_CONCAT
    bool allow_params = false;     // ? markers (COM_STMT_PREPARE); in a plain query they are a syntax error
};

struct ParsedStatement {
    Statement stmt;
    uint32_t begin = 0, end = 0;  // the statement's text in the source
    uint32_t param_count = 0;     // number of ? markers
    // The ? markers in order; they live in `stmt` (its nodes never move), EXECUTE binds values into them.
    std::vector<Expr*> params;
};

class Parser {
public:
    Parser(std::string_view sql, ParserOptions options);

    // The next statement; nullopt when only blanks, comments and semicolons remain.
    Result<std::optional<ParsedStatement>> next();
    // After next(): true when no further statement follows.
    Result<bool> at_end();
    // 1064 pointing at the next unread token.
    Error error_at_next_token() { return fail(); }
    // True when the text held a comment (a comment-only query answers OK, not 1065).
    bool saw_comment() const { return lexer_.saw_comment(); }

private:
    // Token access with lookahead; a lexical error is kept and reported by the next fail().
    const Token& peek(size_t k = 0);
    Token take();
    bool accept_word(std::string_view word);
    bool accept_op(std::string_view op);
    Error fail();  // 1064 at the current token
    Status expect_word(std::string_view word);
    Status expect_op(std::string_view op);
    Result<std::string> identifier();  // bare (non-reserved) or quoted identifier
    Result<std::string> name_or_string();

    Result<Statement> statement();
    // A query expression: SELECT ... [UNION [ALL] SELECT ...] [ORDER BY] [LIMIT] [FOR UPDATE], terms may be
    // parenthesized.
    Result<SelectStmt> select();
    // SELECT ... up to (not including) ORDER BY / LIMIT.
    Result<SelectStmt> select_body();
    Status from_clause(std::vector<FromItem>& from);
    Result<FromItem> from_item();    // a table factor followed by any JOINs
    Result<FromItem> table_factor();  // table, (subquery) alias, or (join)
    Result<std::shared_ptr<SelectStmt>> subquery();  // ( query )
    Result<SetStmt> set();
    Result<ShowStmt> show();
    Result<Statement> transaction_statement();
    Result<KillStmt> kill();
    Result<Statement> account_statement(bool create);
    Result<DropUserStmt> drop_user();
    Result<AccountName> account_name();
    Result<std::vector<AccountSpec>> account_specs();
    Status like_or_where(std::optional<std::string>& like, ExprPtr& where);
    // parser_ddl.cc
    Result<Statement> create_statement();
    Result<Statement> drop_statement();
    Result<CreateTableStmt> create_table(bool columnstore);
    // [DEFAULT] CHARACTER SET / CHARSET cs, [DEFAULT] COLLATE c, and (CREATE only) PARTITIONS n.
    Status database_options(CreateDatabaseStmt& s);
    Status column_definition(ColumnDefAst& col);
    Status data_type(TypeAst& type);
    Result<std::vector<std::string>> index_columns();
    Status table_options(TableOptionsAst& options);
    Result<std::string> string_literal();
    Result<AlterTableStmt> alter_table();
    // After CREATE / ALTER: [OR REPLACE] [ALGORITHM=..] [DEFINER=..] [SQL SECURITY ..] VIEW v [(cols)] AS select
    Result<CreateViewStmt> view_definition(bool alter);
    Status alter_action(AlterAction& a);
    Status column_position(AlterAction& a);
    // parser_ops.cc: cluster commands, FREEZE / UNFREEZE, FLUSH TABLE, IMPORT TABLE. False (nothing read)
    // when the next tokens start none of them.
    Result<bool> operation_statement(Statement& out);
    Result<std::string> host_port(uint16_t& port);  // 'host'[:port]
    // parser_dml.cc
    Result<InsertStmt> insert(bool replace);
    Result<UpdateStmt> update();
    Result<DeleteStmt> delete_statement();
    Result<LoadDataStmt> load_data();
    Result<std::vector<Assignment>> assignments();
    Result<ExprPtr> value_or_default();
    Status order_by(std::vector<OrderItem>& out);
    Status row_limit(ExprPtr& limit);
    Status limit_clause(ExprPtr& limit, ExprPtr& offset);
    Result<TableRef> table_ref(bool allow_alias = true);

    Result<ExprPtr> expr();
    Result<ExprPtr> or_expr();
    Result<ExprPtr> xor_expr();
    Result<ExprPtr> and_expr();
    Result<ExprPtr> not_expr();
    Result<ExprPtr> predicate();
    Result<ExprPtr> bit_or();
    Result<ExprPtr> bit_and();
    Result<ExprPtr> shift();
    Result<ExprPtr> additive();
    Result<ExprPtr> multiplicative();
    Result<ExprPtr> bit_xor();
    Result<ExprPtr> unary();
    Result<ExprPtr> primary();
    Result<ExprPtr> function_call(std::string name, uint32_t begin);
    Result<ExprPtr> case_expr(uint32_t begin);
    Status cast_type(Expr& e);
    Result<ExprPtr> system_variable(uint32_t begin);
    Result<ExprPtr> set_value();

    ExprPtr make(ExprKind kind, uint32_t begin);
    ExprPtr binary(Op op, ExprPtr left, ExprPtr right);

    Lexer lexer_;
    ParserOptions options_;
    std::deque<Token> ahead_;
    std::optional<Error> lex_error_;
    uint32_t prev_end_ = 0;
    uint32_t param_count_ = 0;
    std::vector<Expr*> params_;
};

// Lower-case copy (ASCII), for keywords and function names.
std::string lower(std::string_view s);

}  // namespace floe::sql
