#include "sql/exec/row_source.h"

#include <algorithm>

namespace floe::sql {

TableScope::TableScope(const storage::TableSchema& t, const std::string& db, const std::string& alias) {
    for (const auto& c : t.columns) names.push_back(c.name);
    qualifiers.push_back(alias.empty() ? t.name : alias);
    if (alias.empty()) qualifiers.push_back(db + "." + t.name);
}

int compare_sort_values(const Value& x, const Value& y) {
    return x.is_null() || y.is_null() ? (x.is_null() == y.is_null() ? 0 : (x.is_null() ? -1 : 1)) : compare_values(x, y);
}

int compare_sort_keys(const std::vector<Value>& a, const std::vector<Value>& b, const std::vector<bool>& desc) {
    for (size_t k = 0; k < desc.size(); ++k) {
        int c = compare_sort_values(a[k], b[k]);
        if (c != 0) return desc[k] ? -c : c;
    }
    return 0;
}

}  // namespace floe::sql
