// Aggregate functions over a group's rows with MySQL's result types: COUNT(*) / COUNT(expr) / COUNT(DISTINCT
// ...) -> BIGINT; SUM of integers or DECIMAL -> exact DECIMAL, of anything else -> DOUBLE; AVG -> DECIMAL with
// 4 more digits (div_precision_increment) for exact inputs, DOUBLE otherwise; MIN / MAX keep the value;
// GROUP_CONCAT([DISTINCT] ... [ORDER BY ...] [SEPARATOR s]) cut at group_concat_max_len with warning 1260. Empty input: COUNT
// is 0, the others NULL.
#pragma once

#include <string>
#include <unordered_set>
#include <vector>

#include "common/result.h"
#include "common/value.h"
#include "sql/parse/ast.h"

namespace floe::sql {

class Session;

bool is_aggregate_function(std::string_view lower_name);

// A value's identity for GROUP BY / DISTINCT / hash joins: values MySQL compares as equal (1 and 1.0, 'a' and
// 'A ' under the default collation) get the same bytes.
void append_group_key(std::string& out, const Value& v);

struct AggregateState {
    int64_t count = 0;
    bool any = false;
    bool exact = true;  // SUM / AVG: every input was an integer or DECIMAL
    Decimal exact_sum;
    double double_sum = 0;
    Value best;         // MIN / MAX
    std::string text;   // GROUP_CONCAT
    bool truncated = false;
    std::vector<std::vector<Value>> ordered;  // GROUP_CONCAT ... ORDER BY: each row's values, then its keys
    std::unordered_set<std::string> seen;  // DISTINCT
};

// Adds one row's argument values (`args` evaluated by the caller; empty for COUNT(*)).
Status aggregate_add(const Expr& e, AggregateState& s, const std::vector<Value>& args, Session& session);
Value aggregate_result(const Expr& e, AggregateState& s, Session& session);
// Parallel scans: folds `from` (the same aggregate over rows read after `into`'s) into `into`. Not for
// DISTINCT aggregates or GROUP_CONCAT (aggregate_mergeable says which).
bool aggregate_mergeable(const Expr& e);
Status aggregate_merge(const Expr& e, AggregateState& into, AggregateState& from);

}  // namespace floe::sql
