// ALTER TABLE (and CREATE / DROP INDEX, RENAME TABLE). The new schema is computed first; then either only the
// catalog changes (renames, options, defaults, adding a column that reads as its default, dropping a column —
// the row format allows these without touching rows), or non-unique secondary indexes are added / dropped in
// place (their entries only: MySQL's ALGORITHM=INPLACE), or the table is rebuilt into a fresh column family with
// every row converted to the new types and every index filled (MySQL's ALGORITHM=COPY).
#include <algorithm>

#include "sql/engine.h"
#include "sql/exec/column_types.h"
#include "sql/exec/ddl_helpers.h"
#include "sql/exec/executor.h"
#include "sql/exec/expr_eval.h"
#include "sql/exec/table_access.h"
#include "sql/session.h"
#include "sql/session_transaction.h"
#include "storage/database.h"
#include "storage/key_codec.h"
#include "storage/row_codec.h"
#include "storage/storage_engine.h"

namespace floe::sql {

using storage::ColumnSchema;
using storage::IndexKind;
using storage::IndexSchema;
using storage::TableSchema;
using K = AlterAction::Kind;

namespace {

bool same_type(const ColumnSchema& a, const ColumnSchema& b) {
    return a.type == b.type && a.is_unsigned == b.is_unsigned && a.length == b.length && a.precision == b.precision &&
           a.scale == b.scale && a.collation_id == b.collation_id && a.nullable == b.nullable &&
           a.enum_values == b.enum_values;
}

Status place_column(TableSchema& t, ColumnSchema c, const AlterAction& a) {
    size_t pos = t.columns.size();
    if (a.first) pos = 0;
    if (!a.after.empty()) {
        const ColumnSchema* after = t.column(a.after);
        if (!after) return make_error(ErrorCode::ER_BAD_FIELD_ERROR, {a.after, t.name});
        pos = static_cast<size_t>(t.column_index(after->id)) + 1;
    }
    t.columns.insert(t.columns.begin() + static_cast<std::ptrdiff_t>(pos), std::move(c));
    return {};
}

// Adds a column's inline PRIMARY KEY / UNIQUE from its definition.
Status inline_keys(TableSchema& t, const ColumnDefAst& def, bool& rebuild) {
    if (def.primary_key) {
        if (!t.hidden_pk) return make_error(ErrorCode::ER_MULTIPLE_PRI_KEY);
        t.hidden_pk = false;
        t.indexes[0].column_ids = {t.column(def.name)->id};
        rebuild = true;
    }
    if (def.unique) {
        std::string name = index_name_for(t, def.name);
        t.indexes.push_back(IndexSchema{t.next_index_id++, name, IndexKind::kUnique, {t.column(def.name)->id}, ""});
        rebuild = true;
    }
    return {};
}

}  // namespace

Result<StatementResult> execute_alter_table(Session& session, AlterTableStmt& s, std::string_view source) {
    auto target = FLOE_TRY(resolve_table_for_ddl(session, s.table));
    const TableSchema& old = *target.table->schema;
    TableSchema t = old;
    bool rebuild = false;
    std::vector<uint32_t> added_indexes, dropped_indexes;  // secondary indexes changed in place (no rebuild)
    std::optional<TableRef> rename_to;
    for (auto& a : s.actions) {
        switch (a.kind) {
            case K::kNoOp: break;
            case K::kAddColumn: {
                if (t.column(a.column.name)) return make_error(ErrorCode::ER_DUP_FIELDNAME, {a.column.name});
                ColumnSchema c = FLOE_TRY(column_from_ast(session, a.column, t.collation_id, source));
                c.id = t.next_column_id++;
                // Old rows read a missing column as its default: fine when that is what MySQL would fill in.
                bool instant = c.nullable || c.default_kind == storage::DefaultKind::kLiteral;
                if (!instant || c.auto_increment || c.default_kind == storage::DefaultKind::kCurrentTimestamp) rebuild = true;
                FLOE_CHECK(place_column(t, std::move(c), a));
                FLOE_CHECK(inline_keys(t, a.column, rebuild));
                break;
            }
            case K::kDropColumn: {
                const ColumnSchema* c = t.column(a.name);
                if (!c) return make_error(ErrorCode::ER_CANT_DROP_FIELD_OR_KEY, {a.name});
                if (t.columns.size() == 1) return make_error(ErrorCode::ER_CANT_REMOVE_ALL_FIELDS);
                uint32_t id = c->id;
                // The column leaves every index; an index left empty goes (as in MySQL).
                for (auto& index : t.indexes) {
                    auto before = index.column_ids.size();
                    std::erase(index.column_ids, id);
                    if (index.column_ids.size() != before) rebuild = true;
                }
                if (t.indexes[0].column_ids.empty() && !t.hidden_pk) t.hidden_pk = true;
                std::erase_if(t.indexes, [](const IndexSchema& i) {
                    return i.kind != IndexKind::kPrimary && i.column_ids.empty();
                });
                std::erase(t.shard_key, id);
                t.dropped_columns.push_back(*c);
                t.columns.erase(t.columns.begin() + t.column_index(id));
                break;
            }
            case K::kModifyColumn:
            case K::kChangeColumn: {
                std::string old_name = a.kind == K::kModifyColumn ? a.column.name : a.name;
                const ColumnSchema* c = t.column(old_name);
                if (!c) return make_error(ErrorCode::ER_BAD_FIELD_ERROR, {old_name, t.name});
                if (a.kind == K::kChangeColumn && !iequals(a.column.name, old_name) && t.column(a.column.name)) {
                    return make_error(ErrorCode::ER_DUP_FIELDNAME, {a.column.name});
                }
                ColumnSchema changed = FLOE_TRY(column_from_ast(session, a.column, t.collation_id, source));
                changed.id = c->id;
                bool in_pk = !t.hidden_pk && std::find(t.indexes[0].column_ids.begin(), t.indexes[0].column_ids.end(),
                                                       c->id) != t.indexes[0].column_ids.end();
                if (in_pk) changed.nullable = false;
                if (!same_type(*c, changed)) rebuild = true;
                int pos = t.column_index(c->id);
                t.columns.erase(t.columns.begin() + pos);
                if (a.first || !a.after.empty()) {
                    FLOE_CHECK(place_column(t, std::move(changed), a));
                } else {
                    t.columns.insert(t.columns.begin() + pos, std::move(changed));
                }
                FLOE_CHECK(inline_keys(t, a.column, rebuild));
                break;
            }
            case K::kRenameColumn: {
                const ColumnSchema* c = t.column(a.name);
                if (!c) return make_error(ErrorCode::ER_BAD_FIELD_ERROR, {a.name, t.name});
                if (!iequals(a.name, a.new_name) && t.column(a.new_name)) {
                    return make_error(ErrorCode::ER_DUP_FIELDNAME, {a.new_name});
                }
                t.columns[static_cast<size_t>(t.column_index(c->id))].name = a.new_name;
                break;
            }
            case K::kSetDefault:
            case K::kDropDefault: {
                const ColumnSchema* c = t.column(a.name);
                if (!c) return make_error(ErrorCode::ER_BAD_FIELD_ERROR, {a.name, t.name});
                ColumnSchema& col = t.columns[static_cast<size_t>(t.column_index(c->id))];
                if (a.kind == K::kDropDefault) {
                    col.default_kind = storage::DefaultKind::kNone;
                    col.default_value = Value::null();
                } else {
                    EvalContext ectx{session, source};
                    Value v = FLOE_TRY(evaluate(*a.default_value, ectx));
                    ConvertContext cctx{session, true, 1};
                    auto converted = convert_for_column(col, v, cctx);
                    if (!converted.ok()) return make_error(ErrorCode::ER_INVALID_DEFAULT, {col.name});
                    col.default_kind = v.is_null() ? storage::DefaultKind::kNull : storage::DefaultKind::kLiteral;
                    col.default_value = std::move(*converted);
                }
                break;
            }
            case K::kAddIndex: {
                auto ids = FLOE_TRY(column_ids(t, a.index.columns));
                if (a.index.kind == IndexAstKind::kPrimary) {
                    if (!t.hidden_pk) return make_error(ErrorCode::ER_MULTIPLE_PRI_KEY);
                    t.hidden_pk = false;
                    t.indexes[0].column_ids = ids;
                    for (uint32_t id : ids) t.columns[static_cast<size_t>(t.column_index(id))].nullable = false;
                } else {
                    std::string name = a.index.name.empty() ? index_name_for(t, a.index.columns.front()) : a.index.name;
                    if (t.index(name) || iequals(name, "PRIMARY")) return make_error(ErrorCode::ER_DUP_KEYNAME, {name});
                    bool unique = a.index.kind == IndexAstKind::kUnique;
                    t.indexes.push_back(IndexSchema{t.next_index_id++, name, unique ? IndexKind::kUnique : IndexKind::kKey,
                                                    ids, ""});
                    // A non-unique index is built in place (its entries only); a unique one is checked row by
                    // row by the copy.
                    if (unique) {
                        rebuild = true;
                    } else {
                        added_indexes.push_back(t.indexes.back().id);
                    }
                    break;
                }
                rebuild = true;
                break;
            }
            case K::kDropIndex: {
                if (iequals(a.name, "PRIMARY")) {
                    if (t.hidden_pk) return make_error(ErrorCode::ER_CANT_DROP_FIELD_OR_KEY, {a.name});
                    t.hidden_pk = true;
                    t.indexes[0].column_ids.clear();
                    t.shard_key.clear();
                } else {
                    const IndexSchema* index = t.index(a.name);
                    if (!index) return make_error(ErrorCode::ER_CANT_DROP_FIELD_OR_KEY, {a.name});
                    std::string name = index->name;
                    uint32_t id = index->id;
                    std::erase_if(t.indexes, [&](const IndexSchema& i) { return i.name == name; });
                    // Added and dropped in one statement: never built.
                    if (std::erase(added_indexes, id) == 0) dropped_indexes.push_back(id);
                    break;
                }
                rebuild = true;
                break;
            }
            case K::kDropPrimaryKey:
                if (t.hidden_pk) return make_error(ErrorCode::ER_CANT_DROP_FIELD_OR_KEY, {"PRIMARY"});
                t.hidden_pk = true;
                t.indexes[0].column_ids.clear();
                t.shard_key.clear();
                rebuild = true;
                break;
            case K::kRenameTable: rename_to = a.rename_to; break;
            case K::kOptions:
                if (a.options.comment) t.comment = *a.options.comment;
                if (a.options.auto_increment) t.auto_increment_start = *a.options.auto_increment;
                if (a.options.rt_mem_limit) t.rt_mem_limit = *a.options.rt_mem_limit;
                if (a.options.charset || a.options.collation) {
                    t.collation_id = FLOE_TRY(collation_from(a.options.charset.value_or(""),
                                                             a.options.collation.value_or(""), t.collation_id));
                }
                break;
        }
    }
    FLOE_CHECK(check_table(t));
    if (rename_to) {
        if (!rename_to->db.empty() && rename_to->db != target.db_name) {
            return make_error(ErrorCode::ER_NOT_SUPPORTED_YET, {"moving a table to another database"});
        }
        FLOE_CHECK(check_name(rename_to->name, ErrorCode::ER_WRONG_TABLE_NAME));
        if (rename_to->name != old.name && target.db->table(rename_to->name)) {
            return make_error(ErrorCode::ER_TABLE_EXISTS_ERROR, {rename_to->name});
        }
        t.name = rename_to->name;
    }
    StatementResult result;
    result.body = OkResult{0, 0, "Records: 0  Duplicates: 0  Warnings: 0"};
    if (!rebuild) {
        if (added_indexes.empty() && dropped_indexes.empty()) {
            FLOE_CHECK(target.db->replace_table(old.name, std::move(t)));
        } else {
            FLOE_CHECK(target.db->change_indexes(old.name, std::move(t), added_indexes, dropped_indexes));
        }
        return result;
    }
    // Copy: each old row mapped to the new columns (by column id), converted to the new types. ALTER is strict
    // about conversions, as MySQL's is under STRICT_TRANS_TABLES.
    bool strict = session.sql_mode().strict;
    uint64_t rows = 0;
    auto map = [&](const std::vector<Value>& old_row) -> Result<std::optional<std::vector<Value>>> {
        ++rows;
        ConvertContext cctx{session, strict, rows};
        std::vector<Value> row(t.columns.size());
        for (size_t i = 0; i < t.columns.size(); ++i) {
            const ColumnSchema& col = t.columns[i];
            int old_pos = old.column_index(col.id);
            Value v = old_pos >= 0 ? old_row[static_cast<size_t>(old_pos)] : storage::column_default(col);
            if (old_pos < 0 && v.is_null() && !col.nullable) v = implicit_default(col);
            if (v.is_null() && !col.nullable) {
                if (strict) return make_error(ErrorCode::ER_INVALID_USE_OF_NULL);
                v = implicit_default(col);
            }
            row[i] = v.is_null() ? v : FLOE_TRY(convert_for_column(col, v, cctx));
        }
        return std::optional<std::vector<Value>>(std::move(row));
    };
    if (const ColumnSchema* ai = t.auto_increment_column()) {
        // A newly added AUTO_INCREMENT column numbers the existing rows.
        if (old.column_index(ai->id) < 0) {
            uint64_t next = 0;
            auto numbered = [&, map](const std::vector<Value>& old_row) -> Result<std::optional<std::vector<Value>>> {
                auto row = FLOE_TRY(map(old_row));
                (*row)[static_cast<size_t>(t.column_index(ai->id))] = Value::from_uint(++next);
                return row;
            };
            FLOE_CHECK(target.db->rebuild_table(old.name, t, numbered));  // a copy: `numbered` reads t
            result.body = OkResult{rows, 0, "Records: " + std::to_string(rows) + "  Duplicates: 0  Warnings: 0"};
            return result;
        }
    }
    FLOE_CHECK(target.db->rebuild_table(old.name, t, map));  // a copy: `map` reads t
    result.body = OkResult{rows, 0,
                           "Records: " + std::to_string(rows) + "  Duplicates: 0  Warnings: " +
                               std::to_string(session.warnings().size())};
    return result;
}

Result<StatementResult> execute_rename_table(Session& session, RenameTableStmt& s) {
    for (auto& [from, to] : s.renames) {
        AlterTableStmt alter;
        alter.table = from;
        AlterAction a;
        a.kind = K::kRenameTable;
        a.rename_to = to;
        alter.actions.push_back(std::move(a));
        (void)FLOE_TRY(execute_alter_table(session, alter, {}));
    }
    StatementResult r;
    r.body = OkResult{};
    return r;
}

}  // namespace floe::sql
