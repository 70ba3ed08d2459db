// CREATE / DROP DATABASE, CREATE / DROP TABLE, TRUNCATE.
#include <algorithm>
#include <set>
#include <strings.h>

#include "common/charset.h"
#include "common/utf8.h"
#include "sql/engine.h"
#include "sql/exec/column_types.h"
#include "sql/exec/ddl_helpers.h"
#include "sql/exec/executor.h"
#include "sql/exec/result_builder.h"
#include "storage/row_codec.h"
#include "storage/transaction.h"
#include "sql/exec/table_access.h"
#include "sql/session.h"
#include "sql/session_transaction.h"
#include "storage/database.h"
#include "storage/key_codec.h"
#include "storage/storage_engine.h"

namespace floe::sql {

using storage::ColumnSchema;
using storage::IndexKind;
using storage::IndexSchema;
using storage::TableSchema;

namespace {

constexpr int kMaxPartitions = 1024;


Result<TableSchema> build_table(Session& session, const CreateTableStmt& s, uint16_t db_collation,
                                std::string_view source) {
    TableSchema t;
    t.name = s.table.name;
    t.columnstore_requested = s.columnstore;
    const auto& o = s.options;
    t.collation_id = FLOE_TRY(collation_from(o.charset.value_or(""), o.collation.value_or(""), db_collation));
    t.comment = o.comment.value_or("");
    t.auto_increment_start = o.auto_increment.value_or(1);
    t.rt_mem_limit = o.rt_mem_limit.value_or(0);
    if (s.columns.empty()) return make_error(ErrorCode::ER_NOT_SUPPORTED_YET, {"a table without columns"});
    for (const auto& col : s.columns) {
        if (t.column(col.name)) return make_error(ErrorCode::ER_DUP_FIELDNAME, {col.name});
        ColumnSchema c = FLOE_TRY(column_from_ast(session, col, t.collation_id, source));
        c.id = t.next_column_id++;
        t.columns.push_back(std::move(c));
    }
    // The primary key: inline or declared, at most one.
    std::vector<std::string> pk;
    for (const auto& col : s.columns) {
        if (col.primary_key) {
            if (!pk.empty()) return make_error(ErrorCode::ER_MULTIPLE_PRI_KEY);
            pk = {col.name};
        }
    }
    std::vector<std::string> shard;
    bool shard_given = false;
    for (const auto& index : s.indexes) {
        if (index.kind == IndexAstKind::kPrimary) {
            if (!pk.empty()) return make_error(ErrorCode::ER_MULTIPLE_PRI_KEY);
            pk = index.columns;
        } else if (index.kind == IndexAstKind::kShard) {
            shard = index.columns;
            shard_given = true;
        }
    }
    if (pk.empty()) {
        t.hidden_pk = true;
        t.indexes.push_back(IndexSchema{storage::kPrimaryIndexId, "PRIMARY", IndexKind::kPrimary, {}, ""});
    } else {
        auto ids = FLOE_TRY(column_ids(t, pk));
        for (uint32_t id : ids) t.columns[static_cast<size_t>(t.column_index(id))].nullable = false;
        t.indexes.push_back(IndexSchema{storage::kPrimaryIndexId, "PRIMARY", IndexKind::kPrimary, ids, ""});
    }
    auto add_index = [&](IndexKind kind, std::string name, const std::vector<std::string>& cols) -> Status {
        auto ids = FLOE_TRY(column_ids(t, cols));
        if (name.empty()) name = index_name_for(t, cols.front());
        if (t.index(name) || iequals(name, "PRIMARY")) return make_error(ErrorCode::ER_DUP_KEYNAME, {name});
        t.indexes.push_back(IndexSchema{t.next_index_id++, std::move(name), kind, std::move(ids), ""});
        return {};
    };
    for (const auto& col : s.columns) {
        if (col.unique) FLOE_CHECK(add_index(IndexKind::kUnique, "", {col.name}));
    }
    for (const auto& index : s.indexes) {
        if (index.kind == IndexAstKind::kUnique) FLOE_CHECK(add_index(IndexKind::kUnique, index.name, index.columns));
        if (index.kind == IndexAstKind::kKey) FLOE_CHECK(add_index(IndexKind::kKey, index.name, index.columns));
    }
    for (const auto& col : s.columns) {
        if (col.type.name == "serial" && !t.column(col.name)->nullable) {
            FLOE_CHECK(add_index(IndexKind::kUnique, "", {col.name}));
        }
    }
    if (shard_given && !shard.empty()) t.shard_key = FLOE_TRY(column_ids(t, shard));
    FLOE_CHECK(check_table(t));
    return t;
}

}  // namespace

Result<StatementResult> execute_create_database(Session& session, CreateDatabaseStmt& s) {
    if (s.alter) {
        auto db = session.engine().storage().database(s.name);
        if (!db) return make_error(ErrorCode::ER_BAD_DB_ERROR, {s.name});
        uint16_t collation = FLOE_TRY(collation_from(s.charset, s.collation, db->schema().collation_id));
        FLOE_CHECK(session.engine().storage().alter_database(s.name, collation));
        return ok_result(1);
    }
    FLOE_CHECK(check_name(s.name, ErrorCode::ER_WRONG_DB_NAME));
    if (iequals(s.name, "information_schema")) return make_error(ErrorCode::ER_DB_CREATE_EXISTS, {s.name});
    auto& storage = session.engine().storage();
    if (storage.database(s.name)) {
        if (s.if_not_exists) {
            session.add_warning(ErrorCode::ER_DB_CREATE_EXISTS,
                                make_error(ErrorCode::ER_DB_CREATE_EXISTS, {s.name}).message, "Note");
            return ok_result();
        }
        return make_error(ErrorCode::ER_DB_CREATE_EXISTS, {s.name});
    }
    storage::DatabaseSchema schema;
    schema.name = s.name;
    if (s.partitions == 0 || s.partitions > kMaxPartitions) {
        return make_error(ErrorCode::ER_WRONG_ARGUMENTS, {"PARTITIONS (use 1 to 1024)"});
    }
    schema.partitions = static_cast<uint16_t>(s.partitions < 0 ? 8 : s.partitions);
    schema.collation_id = FLOE_TRY(collation_from(s.charset, s.collation, kDefaultCollationId));
    FLOE_CHECK(storage.create_database(schema));
    return ok_result(1);
}

Result<StatementResult> execute_drop_database(Session& session, DropDatabaseStmt& s) {
    auto& storage = session.engine().storage();
    auto db = storage.database(s.name);
    if (!db) {
        if (s.if_exists) {
            session.add_warning(ErrorCode::ER_DB_DROP_EXISTS,
                                make_error(ErrorCode::ER_DB_DROP_EXISTS, {s.name}).message, "Note");
            return ok_result();
        }
        return make_error(ErrorCode::ER_DB_DROP_EXISTS, {s.name});
    }
    // Every transaction that used the database ends first.
    FLOE_CHECK(session.transaction().lock_database_exclusive(*db));
    uint64_t tables = db->table_names().size();
    db.reset();
    FLOE_CHECK(storage.drop_database(s.name));
    return ok_result(tables);
}

Result<StatementResult> execute_create_table(Session& session, CreateTableStmt& s, std::string_view source) {
    FLOE_CHECK(check_name(s.table.name, ErrorCode::ER_WRONG_TABLE_NAME));
    std::string db_name;
    auto db = FLOE_TRY(resolve_database(session, s.table.db, &db_name));
    if (db->table(s.table.name)) {
        if (s.if_not_exists) {
            session.add_warning(ErrorCode::ER_TABLE_EXISTS_ERROR,
                                make_error(ErrorCode::ER_TABLE_EXISTS_ERROR, {s.table.name}).message, "Note");
            return ok_result();
        }
        return make_error(ErrorCode::ER_TABLE_EXISTS_ERROR, {s.table.name});
    }
    TableSchema t;
    ResultSet selected;
    if (s.as_select) {
        // CREATE TABLE ... AS SELECT: the SELECT's columns (after any declared ones) become the table's.
        Statement select_stmt{std::move(*s.as_select)};
        auto result = FLOE_TRY(execute_statement(session, select_stmt, s.as_select_text));
        selected = std::move(std::get<ResultSet>(result.body));
        if (!s.columns.empty()) {
            t = FLOE_TRY(build_table(session, s, db->schema().collation_id, source));
        } else {
            t.name = s.table.name;
            t.hidden_pk = true;
            t.collation_id = db->schema().collation_id;
            t.indexes.push_back(IndexSchema{storage::kPrimaryIndexId, "PRIMARY", IndexKind::kPrimary, {}, ""});
        }
        for (size_t k = 0; k < selected.columns.size(); ++k) {
            const auto& c = selected.columns[k];
            if (t.column(c.name)) continue;  // a declared column takes the selected value
            ColumnSchema col = column_from_result(c, c.name, t.next_column_id++);
            if (col.collation_id) col.collation_id = t.collation_id;
            // Expression types come from values: widen to what every selected row needs.
            for (const auto& row : selected.rows) {
                const Value& v = row[k];
                if (v.is_null()) continue;
                if (col.type == storage::ColumnType::kVarchar) {
                    col.length = std::max<uint32_t>(col.length, static_cast<uint32_t>(utf8_char_count(v.to_text())));
                } else if (col.type == storage::ColumnType::kVarbinary) {
                    col.length = std::max<uint32_t>(col.length, static_cast<uint32_t>(v.to_text().size()));
                } else if (col.type == storage::ColumnType::kDecimal && v.kind() == ValueKind::kDecimal) {
                    std::string digits = v.decimal_value().rescaled(col.scale).to_string();
                    std::erase_if(digits, [](char ch) { return ch == '-' || ch == '.'; });
                    col.precision = static_cast<uint8_t>(std::min<size_t>(38, std::max<size_t>(col.precision, digits.size())));
                }
            }
            t.columns.push_back(std::move(col));
        }
    } else if (s.like) {
        auto source_table = FLOE_TRY(resolve_table(session, *s.like));
        t = *source_table.table->schema;
        t.name = s.table.name;
    } else {
        t = FLOE_TRY(build_table(session, s, db->schema().collation_id, source));
    }
    std::string name = t.name;
    FLOE_CHECK(db->create_table(std::move(t)));
    if (!s.as_select_text.empty()) {
        auto table = db->table(name);
        const TableSchema& schema = *table->schema;
        auto txn = db->begin();  // the new table is this statement's alone until it ends
        ConvertContext cctx{session, session.sql_mode().strict, 0};
        for (auto& row : selected.rows) {
            ++cctx.row;
            storage::StoredRow stored(schema.columns.size());
            for (size_t i = 0; i < schema.columns.size(); ++i) {
                const ColumnSchema& col = schema.columns[i];
                stored[i] = storage::column_default(col);
                for (size_t k = 0; k < selected.columns.size(); ++k) {
                    if (iequals(selected.columns[k].name, col.name)) stored[i] = row[k];
                }
                if (!stored[i].is_null()) {
                    auto converted = convert_for_column(col, stored[i], cctx);
                    if (!converted.ok()) {
                        (void)db->drop_table(name);  // CREATE ... SELECT is all or nothing
                        return std::move(converted).error();
                    }
                    stored[i] = std::move(*converted);
                }
            }
            auto inserted = txn->insert(*table, std::move(stored), storage::OnDuplicate::kError);
            if (!inserted.ok()) {
                txn.reset();
                (void)db->drop_table(name);
                return std::move(inserted).error();
            }
        }
        FLOE_CHECK(txn->commit());
        StatementResult r;
        r.body = OkResult{selected.rows.size(), 0,
                          "Records: " + std::to_string(selected.rows.size()) + "  Duplicates: 0  Warnings: " +
                              std::to_string(session.warnings().size())};
        return r;
    }
    return ok_result();
}

Result<StatementResult> execute_drop_table(Session& session, DropTableStmt& s) {
    return drop_objects(
        session, s.tables, s.if_exists,
        [](storage::Database& db, const std::string& name) { return db.table(name) != nullptr; },
        [&](storage::Database& db, const std::string& name) -> Status {
            // A freeze ends first (SPEC §6: DROP is allowed on a frozen table), so writers waiting for UNFREEZE
            // go on and end; then every transaction that wrote the table ends (its writes must not land in a
            // dropped table).
            db.end_freeze(name);
            if (auto table = db.table(name)) FLOE_CHECK(session.transaction().lock_table_exclusive(db, *table->schema));
            return db.drop_table(name);
        });
}

Result<StatementResult> execute_truncate(Session& session, TruncateStmt& s) {
    // As DROP: the freeze ends before TRUNCATE waits for the table's writers (some may wait for UNFREEZE).
    if (auto frozen = resolve_table(session, s.table); frozen.ok()) frozen->db->end_freeze(s.table.name);
    auto target = FLOE_TRY(resolve_table_for_ddl(session, s.table));
    FLOE_CHECK(target.db->truncate_table(s.table.name));
    return ok_result();
}

}  // namespace floe::sql
