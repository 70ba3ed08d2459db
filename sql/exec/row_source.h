// A table's columns as names for name-based evaluation (INSERT's VALUES(), single-table UPDATE assignments),
// and the ORDER BY key comparison shared by the query engine's sorts.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "sql/exec/expr_eval.h"
#include "sql/exec/table_access.h"
#include "storage/transaction.h"

namespace floe::sql {

// Names and accepted qualifiers of a table's columns, for RowScope.
struct TableScope {
    std::vector<std::string> names;
    std::vector<std::string> qualifiers;
    TableScope(const storage::TableSchema& t, const std::string& db, const std::string& alias);
    RowScope row(const storage::StoredRow& r) const {
        return RowScope{names, std::span<const Value>(r.data(), names.size()), qualifiers};
    }
};

// ORDER BY on keys computed per row: <0, 0, >0 for `a` before / with / after `b` (NULLs first; `desc[i]`
// reverses key i).
int compare_sort_keys(const std::vector<Value>& a, const std::vector<Value>& b, const std::vector<bool>& desc);
// One key of them, ascending.
int compare_sort_values(const Value& x, const Value& y);

}  // namespace floe::sql
