// Small builders for the result sets that SHOW-like statements return.
#pragma once

#include <initializer_list>
#include <string>

#include "sql/result.h"
#include "sql/session.h"

namespace floe::sql {

// Text columns named `names` (64 characters, the session's result collation, NOT NULL).
inline ResultSet text_result(Session& session, std::initializer_list<std::string> names) {
    ResultSet rs;
    for (const auto& n : names) rs.columns.push_back(text_column(n, 64, session.result_collation()));
    return rs;
}

inline StatementResult wrap(ResultSet rs) {
    StatementResult r;
    r.body = std::move(rs);
    return r;
}

inline StatementResult ok_result(uint64_t affected = 0) {
    StatementResult r;
    r.body = OkResult{affected, 0, {}};
    return r;
}

}  // namespace floe::sql
