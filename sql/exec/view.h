// Views: CREATE / ALTER / DROP VIEW, and reading a view — its SELECT runs (in the view's database) and its
// result becomes a table the outer statement reads like any other.
#pragma once

#include <memory>
#include <string>

#include "common/result.h"
#include "sql/info_schema/info_schema.h"
#include "sql/parse/ast.h"
#include "storage/schema.h"

namespace floe::storage {
class Database;
}

namespace floe::sql {

class Session;

// The rows and column types of `view` in `db_name` (nested views allowed, 16 levels deep at most). A missing
// table or column is 1356 for a stored view, and the underlying 1146 / 1054 when `creating` it (as MySQL).
Result<VirtualTable> expand_view(Session& session, const std::string& db_name, const storage::ViewSchema& view,
                                 bool creating = false);
// Gives every table `s` names without a database (subqueries and unions included) the database `db`.
void qualify_tables(SelectStmt& s, const std::string& db);
// SHOW CREATE VIEW's text.
std::string create_view_text(const storage::ViewSchema& view);

}  // namespace floe::sql
