// Expression evaluation with MySQL's semantics: three-valued logic, numeric / string coercion, integer
// overflow (1690), division by zero (NULL + warning 1365), case-insensitive comparison for text.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "common/value.h"
#include "sql/parse/ast.h"
#include "sql/result.h"

namespace floe::sql {

class Session;

// Column values visible to an expression (a row of SHOW output, later a table row).
struct RowScope {
    std::span<const std::string> names;
    std::span<const Value> values;
    std::span<const std::string> qualifiers = {};  // accepted t / db.t prefixes of column names
    const RowScope* outer = nullptr;  // the row of the enclosing query (correlated subqueries)
};

struct EvalContext;

// Runs the subqueries of an expression for the evaluator (the query engine implements it): the rows of
// `e.subquery` for the current row of `ctx` (cached when the subquery is not correlated).
class SubqueryRunner {
public:
    virtual ~SubqueryRunner() = default;
    virtual Result<const std::vector<Row>*> rows(const Expr& e, EvalContext& ctx) = 0;
};

struct EvalContext {
    Session& session;
    std::string_view source;                 // the statement text (for messages quoting an expression)
    const RowScope* row = nullptr;
    std::string_view clause = "field list";  // for 1054 messages
    const RowScope* values_row = nullptr;    // VALUES(col): the row INSERT tried to add
    SubqueryRunner* subqueries = nullptr;    // null: subqueries are not allowed here (1235)
};

Result<Value> evaluate(const Expr& e, EvalContext& ctx);

// Compares two non-NULL values with MySQL's rules; text compares case-insensitively unless either side is
// binary. Returns <0, 0, >0.
int compare_values(const Value& a, const Value& b);
// The same stored value: both NULL, or equal with strings byte for byte (a change of case is a change).
bool identical_values(const Value& a, const Value& b);
// LIKE matching: % and _, `escape` (default '\\'); case-insensitive unless `binary`.
bool like_match(std::string_view text, std::string_view pattern, char escape, bool binary);

// The column definition MySQL would send for an expression result of this value.
ColumnDef column_for_value(std::string name, const Value& v, uint16_t text_collation, bool not_null);
// The column definition for column `i` of `rows`: the type every value fits (integers with decimals make a
// DECIMAL, numbers with text make text, ...) and strings as long as the longest. Binary rows are encoded by it.
ColumnDef column_for_rows(std::string name, const std::vector<Row>& rows, size_t i, uint16_t text_collation,
                          bool not_null);

// Built-in functions (functions.cc). Arguments are evaluated already; 1305 for unknown names, 1582 for wrong
// argument counts.
Result<Value> call_function(const Expr& e, std::vector<Value>& args, EvalContext& ctx);

}  // namespace floe::sql
