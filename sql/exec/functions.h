// The built-in function tables (functions.cc, functions_date.cc): name -> arity and implementation, each table
// sorted by name. call_function (expr_eval.h) looks names up in all of them.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "common/value.h"
#include "sql/exec/expr_eval.h"

namespace floe::sql {

using FunctionArgs = std::vector<Value>;
using FunctionImpl = Result<Value> (*)(const FunctionArgs&, EvalContext&, const Expr&);

struct FunctionDef {
    std::string_view name;
    uint8_t min_args;
    uint8_t max_args;  // kAnyArgs = any
    FunctionImpl impl;
};

constexpr uint8_t kAnyArgs = 255;

// Date and time functions: YEAR ... SECOND, DATE, DATEDIFF, TO_DAYS, LAST_DAY, DAYOFWEEK, DATE_FORMAT,
// DATE_ADD / DATE_SUB (`x + INTERVAL n unit` parses into them; the unit rides in Expr::literal).
std::span<const FunctionDef> date_functions();

}  // namespace floe::sql
