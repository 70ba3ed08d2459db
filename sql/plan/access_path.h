// Access paths: which index of a stored table a query reads, and with which keys. From the conditions that
// apply to one table (WHERE / ON conjuncts, already bound to row slots) this picks the index with the longest
// leftmost prefix of equalities (`=`, `<=>`, `IN (...)`, `IS NULL`) and at most one range (`<`, `<=`, `>`,
// `>=`, `BETWEEN`) on the next column; the value side may read earlier tables of a join (ref / eq_ref).
// Conditions stay in the query's filters: an access path only narrows what is read, so a key that cannot be
// built exactly at run time falls back to reading more, never to a wrong answer.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/value.h"
#include "sql/parse/ast.h"
#include "storage/schema.h"

namespace floe::sql {

struct AccessPath {
    // MySQL's EXPLAIN access types, best last.
    enum class Type : uint8_t { kAll, kIndex, kRange, kRef, kEqRef, kConst };
    Type type = Type::kAll;
    const storage::IndexSchema* index = nullptr;
    // Per leading index column: the values it must equal (several for IN); nullptr stands for NULL
    // (IS NULL / <=> NULL). `null_safe`: a NULL value matches NULL entries (<=>, IS NULL) instead of nothing.
    struct EqPart {
        std::vector<const Expr*> values;
        bool null_safe = false;
    };
    std::vector<EqPart> eq;
    // A range on the column after the equalities.
    const Expr* low = nullptr;
    bool low_inclusive = true;
    const Expr* high = nullptr;
    bool high_inclusive = true;
    bool has_range = false;
    bool dependent = false;  // the values read earlier tables: keys are built per joined row
    bool ordered = false;    // rows come in index order (ORDER BY served by the index)
    bool reverse = false;
    std::vector<std::string> possible_keys;
    std::vector<const Expr*> used;  // the conjuncts the keys come from (EXPLAIN: no "Using where" for them)
};

// What the planner needs to know about a table of the query.
struct AccessTable {
    const storage::TableSchema* schema = nullptr;
    int32_t slot_begin = 0;  // the table's first column in the joined row
    // For value expressions: may they read the row slot `slot` (columns of earlier tables)?
    std::vector<bool> readable_slots;
};

const char* access_type_name(AccessPath::Type t);

// The best access path for `table` given the conjuncts that restrict it.
AccessPath choose_access(const AccessTable& table, const std::vector<const Expr*>& conjuncts);

// ORDER BY served by `index` after `eq_parts` equality columns: every item a column of the table, one
// direction. Returns false when it is not.
bool order_follows_index(const AccessTable& table, const storage::IndexSchema& index, size_t eq_parts,
                         const std::vector<const Expr*>& order, const std::vector<bool>& desc, bool* reverse);

// Can a value of this column be compared through its index key with MySQL's comparison result?
bool sargable_column(const storage::ColumnSchema& col);

// MySQL's key_len for EXPLAIN: bytes of the first `parts` columns of `index`.
uint32_t key_length(const storage::TableSchema& t, const storage::IndexSchema& index, size_t parts);

}  // namespace floe::sql
