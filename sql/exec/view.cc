#include "sql/exec/view.h"

#include "common/charset.h"
#include "sql/engine.h"
#include "sql/exec/column_types.h"
#include "sql/exec/ddl_helpers.h"
#include "sql/exec/executor.h"
#include "sql/exec/table_access.h"
#include "sql/parse/parser.h"
#include "sql/session.h"
#include "storage/database.h"
#include "storage/storage_engine.h"

namespace floe::sql {

using storage::ColumnSchema;
using storage::ColumnType;

namespace {

thread_local int view_depth = 0;  // guards against views that (through others) read themselves

}  // namespace

std::string create_view_text(const storage::ViewSchema& v) {
    std::string out = "CREATE ALGORITHM=UNDEFINED DEFINER=" + v.definer + " SQL SECURITY " + v.security + " VIEW `" +
                      v.name + "`";
    if (!v.column_names.empty()) {
        out += " (";
        for (size_t i = 0; i < v.column_names.size(); ++i) out += (i ? "," : "") + ("`" + v.column_names[i] + "`");
        out += ")";
    }
    out += " AS " + v.definition;
    if (v.check_option != "NONE") out += " WITH " + v.check_option + " CHECK OPTION";
    return out;
}

namespace {

void qualify_from(FromItem& item, const std::string& db) {
    if (item.kind == FromItem::Kind::kTable && item.table.db.empty()) item.table.db = db;
    if (item.derived) qualify_tables(*item.derived, db);
    if (item.left) qualify_from(*item.left, db);
    if (item.right) qualify_from(*item.right, db);
}

void qualify_expr(Expr& e, const std::string& db) {
    if (e.subquery) qualify_tables(*e.subquery, db);
    for (auto& a : e.args) qualify_expr(*a, db);
}

}  // namespace

void qualify_tables(SelectStmt& s, const std::string& db) {
    for (auto& item : s.from) qualify_from(item, db);
    for (auto& item : s.items) qualify_expr(*item.expr, db);
    if (s.where) qualify_expr(*s.where, db);
    if (s.having) qualify_expr(*s.having, db);
    if (s.union_head) qualify_tables(*s.union_head, db);
    for (auto& u : s.unions) qualify_tables(*u.select, db);
}

Result<VirtualTable> expand_view(Session& session, const std::string& db_name, const storage::ViewSchema& view,
                                 bool creating) {
    if (view_depth >= 16) return make_error(ErrorCode::ER_VIEW_RECURSIVE, {db_name, view.name});
    Parser parser(view.definition, {});
    auto parsed = FLOE_TRY(parser.next());
    if (!parsed) return make_error(ErrorCode::ER_VIEW_INVALID, {db_name, view.name});
    auto* select = std::get_if<SelectStmt>(&parsed->stmt);
    if (!select) return make_error(ErrorCode::ER_VIEW_INVALID, {db_name, view.name});
    qualify_tables(*select, db_name);  // names in a view are the view's database's
    ++view_depth;
    auto result = execute_statement(session, parsed->stmt, view.definition);
    --view_depth;
    if (!result.ok()) {
        if (!creating && (result.error().code == ErrorCode::ER_NO_SUCH_TABLE ||
                          result.error().code == ErrorCode::ER_BAD_FIELD_ERROR)) {
            return make_error(ErrorCode::ER_VIEW_INVALID, {db_name, view.name});
        }
        return std::move(result).error();
    }
    auto& rs = std::get<ResultSet>(result->body);
    VirtualTable vt;
    vt.schema.name = view.name;
    vt.schema.hidden_pk = true;
    vt.schema.indexes.push_back(storage::IndexSchema{1, "PRIMARY", storage::IndexKind::kPrimary, {}, ""});
    if (!view.column_names.empty() && view.column_names.size() != rs.columns.size()) {
        return make_error(ErrorCode::ER_VIEW_WRONG_LIST);
    }
    for (size_t i = 0; i < rs.columns.size(); ++i) {
        std::string name = view.column_names.empty() ? rs.columns[i].name : view.column_names[i];
        vt.schema.columns.push_back(column_from_result(rs.columns[i], name, vt.schema.next_column_id++));
    }
    for (auto& row : rs.rows) vt.rows.push_back(std::move(row));
    return vt;
}

Result<StatementResult> execute_create_view(Session& session, CreateViewStmt& s) {
    std::string db_name;
    auto db = FLOE_TRY(resolve_database(session, s.view.db, &db_name));
    auto existing = db->view(s.view.name);
    if (s.alter && !existing) return make_error(ErrorCode::ER_NO_SUCH_TABLE, {db_name, s.view.name});
    if (!s.alter && !s.or_replace && (existing || db->table(s.view.name))) {
        return make_error(ErrorCode::ER_TABLE_EXISTS_ERROR, {s.view.name});
    }
    storage::ViewSchema v;
    v.name = s.view.name;
    v.definition = s.definition;
    v.column_names = s.columns;
    v.definer = s.definer.empty() ? "`" + session.info().user + "`@`" + session.info().account_host + "`" : s.definer;
    v.security = s.security;
    v.check_option = s.check_option;
    // The definition must read: its tables exist and its columns resolve (as MySQL checks at CREATE VIEW).
    (void)FLOE_TRY(expand_view(session, db_name, v, /*creating=*/true));
    FLOE_CHECK(db->create_view(v, true));
    StatementResult r;
    r.body = OkResult{};
    return r;
}

Result<StatementResult> execute_drop_view(Session& session, DropViewStmt& s) {
    return drop_objects(
        session, s.views, s.if_exists,
        [](storage::Database& db, const std::string& name) { return db.view(name).has_value(); },
        [](storage::Database& db, const std::string& name) { return db.drop_view(name); });
}

}  // namespace floe::sql
