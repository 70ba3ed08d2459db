// SHOW TABLES / CREATE TABLE / CREATE DATABASE / COLUMNS (DESCRIBE) / INDEX / PARTITIONS ON: the SHOW forms
// about databases and tables. SHOW CREATE TABLE prints DDL this server's parser accepts (mysqldump reloads it).
#include <algorithm>

#include "common/charset.h"
#include "sql/engine.h"
#include "sql/exec/column_types.h"
#include "sql/exec/executor.h"
#include "sql/exec/expr_eval.h"
#include "sql/exec/result_builder.h"
#include "sql/exec/table_access.h"
#include "sql/exec/view.h"
#include "sql/info_schema/info_schema.h"
#include "sql/session.h"
#include "storage/database.h"
#include "storage/storage_engine.h"
#include "storage/transaction.h"

namespace floe::sql {

using storage::ColumnSchema;
using storage::ColumnType;
using storage::IndexKind;
using storage::TableSchema;

namespace {

std::string quote_ident(std::string_view name) {
    std::string out = "`";
    for (char c : name) out += c == '`' ? std::string("``") : std::string(1, c);
    return out + "`";
}

std::string quote_string(std::string_view s) {
    std::string out = "'";
    for (char c : s) {
        switch (c) {
            case '\'': out += "''"; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\0': out += "\\0"; break;
            default: out += c;
        }
    }
    return out + "'";
}

Status filter_rows(Session& session, ResultSet& rs, const ShowStmt& s, std::string_view source) {
    if (s.like) {
        std::erase_if(rs.rows, [&](const Row& r) { return !like_match(r[0].to_text(), *s.like, '\\', false); });
    } else if (s.where) {
        std::vector<std::string> names;
        for (const auto& c : rs.columns) names.push_back(c.name);
        std::vector<Row> kept;
        EvalContext ctx{session, source};
        ctx.clause = "where clause";
        for (auto& r : rs.rows) {
            RowScope scope{names, r};
            ctx.row = &scope;
            Value v = FLOE_TRY(evaluate(*s.where, ctx));
            if (!v.is_null() && v.to_bool()) kept.push_back(std::move(r));
        }
        rs.rows = std::move(kept);
    }
    return {};
}

std::string default_text(const ColumnSchema& c) {
    switch (c.default_kind) {
        case storage::DefaultKind::kLiteral: return c.default_value.to_text();
        case storage::DefaultKind::kCurrentTimestamp: return "CURRENT_TIMESTAMP";
        default: return {};
    }
}

std::string create_table_text(const TableSchema& t) {
    std::string out = "CREATE TABLE " + quote_ident(t.name) + " (\n";
    bool first = true;
    for (const auto& c : t.columns) {
        out += first ? "  " : ",\n  ";
        first = false;
        out += quote_ident(c.name) + " " + column_type_text(c);
        bool text = c.collation_id != 0;
        if (text && c.collation_id != t.collation_id) {
            const Collation* coll = collation_by_id(c.collation_id);
            if (coll) out += " CHARACTER SET " + std::string(coll->charset) + " COLLATE " + std::string(coll->name);
        }
        if (!c.nullable) out += " NOT NULL";
        if (c.nullable && c.type == ColumnType::kTimestamp) out += " NULL";  // MySQL prints it for TIMESTAMP
        if (c.auto_increment) out += " AUTO_INCREMENT";
        switch (c.default_kind) {
            case storage::DefaultKind::kLiteral: {
                out += " DEFAULT " + quote_string(c.default_value.to_text());  // MySQL quotes numbers too
                break;
            }
            case storage::DefaultKind::kCurrentTimestamp: out += " DEFAULT CURRENT_TIMESTAMP"; break;
            case storage::DefaultKind::kNull: out += " DEFAULT NULL"; break;
            case storage::DefaultKind::kNone:
                if (c.nullable && c.type != ColumnType::kText && c.type != ColumnType::kBlob &&
                    c.type != ColumnType::kJson && c.type != ColumnType::kTinyText && c.type != ColumnType::kMediumText &&
                    c.type != ColumnType::kLongText && c.type != ColumnType::kTinyBlob &&
                    c.type != ColumnType::kMediumBlob && c.type != ColumnType::kLongBlob) {
                    out += " DEFAULT NULL";
                }
                break;
        }
        if (c.on_update_current_timestamp) out += " ON UPDATE CURRENT_TIMESTAMP";
        if (!c.comment.empty()) out += " COMMENT " + quote_string(c.comment);
    }
    auto cols = [&](const std::vector<uint32_t>& ids) {
        std::string s = "(";
        for (size_t i = 0; i < ids.size(); ++i) {
            if (i) s += ",";
            s += quote_ident(t.column_by_id(ids[i])->name);
        }
        return s + ")";
    };
    for (const auto& index : t.indexes) {
        if (index.kind == IndexKind::kPrimary) {
            if (!t.hidden_pk) out += ",\n  PRIMARY KEY " + cols(index.column_ids);
            continue;
        }
        out += std::string(",\n  ") + (index.kind == IndexKind::kUnique ? "UNIQUE KEY " : "KEY ") +
               quote_ident(index.name) + " " + cols(index.column_ids);
    }
    if (!t.shard_key.empty()) out += ",\n  SHARD KEY " + cols(t.shard_key);
    out += "\n) ENGINE=RocksDB";
    const Collation* coll = collation_by_id(t.collation_id);
    if (coll) out += " DEFAULT CHARSET=" + std::string(coll->charset) + " COLLATE=" + std::string(coll->name);
    if (!t.comment.empty()) out += " COMMENT=" + quote_string(t.comment);
    // A COLUMNSTORE request is kept and shown: the table is stored as a rowstore (issue 3 note).
    if (t.columnstore_requested) out += " /* COLUMNSTORE requested; stored as ROWSTORE */";
    return out;
}

Result<StatementResult> show_tables(Session& session, const ShowStmt& s, std::string_view source) {
    std::string db_name = s.db.empty() ? session.db() : s.db;
    std::vector<std::string> names, views;
    std::string type = "BASE TABLE";
    if (!db_name.empty() && is_information_schema(db_name)) {
        names = info_schema_table_names();
        type = "SYSTEM VIEW";
        db_name = "information_schema";
    } else {
        auto db = FLOE_TRY(resolve_database(session, s.db, &db_name));
        names = db->table_names();
        views = db->view_names();
    }
    ResultSet rs = s.full ? text_result(session, {"Tables_in_" + db_name, "Table_type"})
                          : text_result(session, {"Tables_in_" + db_name});
    for (const auto& name : names) {
        Row row{Value::from_string(name)};
        if (s.full) row.push_back(Value::from_string(type));
        rs.rows.push_back(std::move(row));
    }
    for (const auto& name : views) {
        Row row{Value::from_string(name)};
        if (s.full) row.push_back(Value::from_string("VIEW"));
        rs.rows.push_back(std::move(row));
    }
    std::sort(rs.rows.begin(), rs.rows.end(),
              [](const Row& a, const Row& b) { return a[0].string_value() < b[0].string_value(); });
    FLOE_CHECK(filter_rows(session, rs, s, source));
    return wrap(std::move(rs));
}

// The view `ref` names, if it names one.
std::optional<storage::ViewSchema> find_view(Session& session, const TableRef& ref, std::string& db_name) {
    db_name = ref.db.empty() ? session.db() : ref.db;
    if (db_name.empty()) return std::nullopt;
    auto db = session.engine().storage().database(db_name);
    return db ? db->view(ref.name) : std::nullopt;
}

Result<StatementResult> show_create_table(Session& session, const ShowStmt& s) {
    std::string db_name;
    if (auto view = find_view(session, s.table, db_name)) {
        ResultSet rs = text_result(session, {"View", "Create View", "character_set_client", "collation_connection"});
        rs.rows.push_back({Value::from_string(view->name), Value::from_string(create_view_text(*view)),
                           Value::from_string("utf8mb4"), Value::from_string("utf8mb4_general_ci")});
        return wrap(std::move(rs));
    }
    auto target = FLOE_TRY(resolve_table(session, s.table));
    ResultSet rs = text_result(session, {"Table", "Create Table"});
    rs.rows.push_back({Value::from_string(target.table->schema->name),
                       Value::from_string(create_table_text(*target.table->schema))});
    return wrap(std::move(rs));
}

Result<StatementResult> show_create_database(Session& session, const ShowStmt& s) {
    auto db = session.engine().storage().database(s.db);
    if (!db) return make_error(ErrorCode::ER_BAD_DB_ERROR, {s.db});
    const Collation* coll = collation_by_id(db->schema().collation_id);
    std::string text = "CREATE DATABASE " + std::string(s.if_not_exists ? "/*!32312 IF NOT EXISTS*/ " : "") +
                       quote_ident(s.db) + " PARTITIONS " + std::to_string(db->partitions());
    if (coll) {
        text += " /*!40100 DEFAULT CHARACTER SET " + std::string(coll->charset) + " COLLATE " + std::string(coll->name) + " */";
    }
    ResultSet rs = text_result(session, {"Database", "Create Database"});
    rs.rows.push_back({Value::from_string(s.db), Value::from_string(text)});
    return wrap(std::move(rs));
}

std::string key_text(const TableSchema& t, const ColumnSchema& c) {
    for (const auto& index : t.indexes) {
        if (index.kind == IndexKind::kPrimary && !t.hidden_pk &&
            std::find(index.column_ids.begin(), index.column_ids.end(), c.id) != index.column_ids.end()) {
            return "PRI";
        }
    }
    for (const auto& index : t.indexes) {
        if (index.kind == IndexKind::kUnique && index.column_ids.size() == 1 && index.column_ids[0] == c.id) {
            return "UNI";
        }
    }
    for (const auto& index : t.indexes) {
        if (index.kind != IndexKind::kPrimary && !index.column_ids.empty() && index.column_ids[0] == c.id) return "MUL";
    }
    return "";
}

Result<StatementResult> show_columns(Session& session, const ShowStmt& s, std::string_view source) {
    std::string view_db;
    std::shared_ptr<const TableSchema> schema;
    if (auto view = find_view(session, s.table, view_db)) {
        schema = std::make_shared<const TableSchema>(FLOE_TRY(expand_view(session, view_db, *view)).schema);
    } else {
        schema = FLOE_TRY(resolve_table(session, s.table)).table->schema;
    }
    const TableSchema& t = *schema;
    ResultSet rs = s.full ? text_result(session, {"Field", "Type", "Collation", "Null", "Key", "Default", "Extra",
                                                  "Privileges", "Comment"})
                          : text_result(session, {"Field", "Type", "Null", "Key", "Default", "Extra"});
    for (const auto& c : t.columns) {
        std::string extra = c.auto_increment ? "auto_increment" : "";
        if (c.default_kind == storage::DefaultKind::kCurrentTimestamp) extra = "DEFAULT_GENERATED";
        if (c.on_update_current_timestamp) extra += std::string(extra.empty() ? "" : " ") + "on update CURRENT_TIMESTAMP";
        std::string def = default_text(c);
        Value def_value = def.empty() && c.default_kind != storage::DefaultKind::kLiteral ? Value::null()
                                                                                          : Value::from_string(def);
        Row row{Value::from_string(c.name), Value::from_string(column_type_text(c))};
        if (s.full) {
            const Collation* coll = c.collation_id ? collation_by_id(c.collation_id) : nullptr;
            row.push_back(coll ? Value::from_string(std::string(coll->name)) : Value::null());
        }
        row.push_back(Value::from_string(c.nullable ? "YES" : "NO"));
        row.push_back(Value::from_string(key_text(t, c)));
        row.push_back(def_value);
        row.push_back(Value::from_string(extra));
        if (s.full) {
            row.push_back(Value::from_string("select,insert,update,references"));
            row.push_back(Value::from_string(c.comment));
        }
        rs.rows.push_back(std::move(row));
    }
    // The Default column may be NULL.
    rs.columns[s.full ? 5 : 4].flags &= static_cast<uint16_t>(~column_flag::kNotNull);
    FLOE_CHECK(filter_rows(session, rs, s, source));
    return wrap(std::move(rs));
}

Result<StatementResult> show_index(Session& session, const ShowStmt& s, std::string_view source) {
    auto target = FLOE_TRY(resolve_table(session, s.table));
    const TableSchema& t = *target.table->schema;
    ResultSet rs = text_result(session, {"Table", "Non_unique", "Key_name", "Seq_in_index", "Column_name",
                                         "Collation", "Cardinality", "Sub_part", "Packed", "Null", "Index_type",
                                         "Comment", "Index_comment", "Visible", "Expression"});
    rs.columns[1] = bigint_column("Non_unique", false);
    rs.columns[3] = bigint_column("Seq_in_index", true);
    rs.columns[6] = bigint_column("Cardinality", false, false);
    for (const auto& index : t.indexes) {
        if (index.kind == IndexKind::kPrimary && t.hidden_pk) continue;
        for (size_t i = 0; i < index.column_ids.size(); ++i) {
            const ColumnSchema* c = t.column_by_id(index.column_ids[i]);
            rs.rows.push_back({Value::from_string(t.name), Value::from_int(index.kind == IndexKind::kKey ? 1 : 0),
                               Value::from_string(index.name), Value::from_uint(i + 1), Value::from_string(c->name),
                               Value::from_string("A"), Value::null(), Value::null(), Value::null(),
                               Value::from_string(c->nullable ? "YES" : ""), Value::from_string("BTREE"),
                               Value::from_string(""), Value::from_string(index.comment), Value::from_string("YES"),
                               Value::null()});
        }
    }
    for (size_t i : {6u, 7u, 8u, 14u}) rs.columns[i].flags &= static_cast<uint16_t>(~column_flag::kNotNull);
    if (s.where) {
        // SHOW INDEX ... WHERE Key_name = 'k' filters on any column, not the first.
        FLOE_CHECK(filter_rows(session, rs, s, source));
    }
    return wrap(std::move(rs));
}

Result<StatementResult> show_partitions(Session& session, const ShowStmt& s) {
    auto db = session.engine().storage().database(s.db);
    if (!db) return make_error(ErrorCode::ER_BAD_DB_ERROR, {s.db});
    ResultSet rs = text_result(session, {"Ordinal", "Host", "Port", "Role", "Locked"});
    rs.columns[0] = bigint_column("Ordinal", true);
    rs.columns[2] = bigint_column("Port", true);
    auto port = static_cast<uint64_t>(session.global_variable(*find_variable("port")).to_int());
    std::string host = session.global_variable(*find_variable("bind_address")).to_text();
    for (uint16_t p = 0; p < db->partitions(); ++p) {
        rs.rows.push_back({Value::from_uint(p), Value::from_string(host), Value::from_uint(port),
                           Value::from_string("Master"), Value::from_int(0)});
    }
    rs.columns[4] = bigint_column("Locked", false);
    return wrap(std::move(rs));
}

Result<StatementResult> show_table_status(Session& session, const ShowStmt& s, std::string_view source) {
    std::string db_name;
    auto db = FLOE_TRY(resolve_database(session, s.db, &db_name));
    ResultSet rs = text_result(session, {"Name", "Engine", "Version", "Row_format", "Rows", "Avg_row_length",
                                         "Data_length", "Max_data_length", "Index_length", "Data_free",
                                         "Auto_increment", "Create_time", "Update_time", "Check_time", "Collation",
                                         "Checksum", "Create_options", "Comment"});
    for (size_t i : {2u, 4u, 5u, 6u, 7u, 8u, 9u, 10u}) rs.columns[i] = bigint_column(rs.columns[i].name, true, false);
    for (size_t i : {11u, 12u, 13u, 15u}) rs.columns[i].flags &= static_cast<uint16_t>(~column_flag::kNotNull);
    for (const auto& name : db->table_names()) {
        if (s.like && !like_match(name, *s.like, '\\', false)) continue;
        auto table = db->table(name);
        if (!table) continue;
        const TableSchema& t = *table->schema;
        auto txn = db->begin();
        uint64_t rows = 0;
        if (auto counts = txn->count_per_partition(*table); counts.ok()) {
            for (uint64_t c : *counts) rows += c;
        }
        uint64_t bytes = db->table_disk_bytes(*table);
        Value auto_increment = Value::null();
        if (t.auto_increment_column() && db->load_counters(*table).ok()) {
            auto_increment = Value::from_uint(table->next_auto_increment.load());
        }
        const Collation* coll = collation_by_id(t.collation_id);
        rs.rows.push_back({Value::from_string(t.name), Value::from_string("RocksDB"), Value::from_uint(10),
                           Value::from_string("Dynamic"), Value::from_uint(rows),
                           Value::from_uint(rows ? bytes / rows : 0), Value::from_uint(bytes), Value::from_uint(0),
                           Value::from_uint(0), Value::from_uint(0), auto_increment, Value::null(), Value::null(),
                           Value::null(), Value::from_string(coll ? std::string(coll->name) : ""), Value::null(),
                           Value::from_string(t.columnstore_requested ? "columnstore requested (stored as rowstore)" : ""),
                           Value::from_string(t.comment)});
    }
    if (s.where) FLOE_CHECK(filter_rows(session, rs, s, source));
    return wrap(std::move(rs));
}

// SingleStore's key / value view of the current database, with the keys that mean something on one node.
Result<StatementResult> show_database_status(Session& session, const ShowStmt& s, std::string_view source) {
    std::string db_name;
    auto db = FLOE_TRY(resolve_database(session, s.db, &db_name));
    uint64_t bytes = 0;
    for (const auto& name : db->table_names()) {
        if (auto table = db->table(name)) bytes += db->table_disk_bytes(*table);
    }
    ResultSet rs = text_result(session, {"Variable_name", "Value"});
    auto add = [&](std::string_view k, std::string v) { rs.rows.push_back({Value::from_string(std::string(k)), Value::from_string(std::move(v))}); };
    add("database", db_name);
    add("role", "master");
    add("state", "online");
    add("partitions", std::to_string(db->partitions()));
    add("tables", std::to_string(db->table_names().size()));
    add("views", std::to_string(db->view_names().size()));
    add("commit_position", std::to_string(db->last_commit_sequence()));
    add("log_durability", session.global_variable(*find_variable("wal_sync")).to_int() ? "synced" : "unsynced");
    add("disk_bytes", std::to_string(bytes));
    if (s.like || s.where) FLOE_CHECK(filter_rows(session, rs, s, source));
    return wrap(std::move(rs));
}

}  // namespace

Result<StatementResult> execute_table_maintenance(Session& session, TableMaintenanceStmt& s) {
    bool optimize = s.kind == TableMaintenanceStmt::Kind::kOptimize;
    ResultSet rs = text_result(session, {"Table", "Op", "Msg_type", "Msg_text"});
    for (const auto& ref : s.tables) {
        std::string db_name = ref.db.empty() ? session.db() : ref.db;
        auto target = resolve_table(session, ref);
        Row row{Value::from_string(db_name + "." + ref.name), Value::from_string(optimize ? "optimize" : "analyze")};
        if (!target.ok()) {
            // As MySQL: a per-table error row, not a statement error.
            row.push_back(Value::from_string("Error"));
            row.push_back(Value::from_string(target.error().message));
        } else {
            // ANALYZE: RocksDB keeps no separate statistics to refresh yet (the query engine will read them);
            // OPTIMIZE: rewrites the table's files.
            auto done = optimize ? target->db->compact_table(*target->table) : Status{};
            // A frozen table's files must not change: the statement fails (SPEC §6), as Manticore's does.
            if (!done.ok() && done.error().code == ErrorCode::ER_FLOE_TABLE_FROZEN) return std::move(done).error();
            row.push_back(Value::from_string(done.ok() ? "status" : "Error"));
            row.push_back(Value::from_string(done.ok() ? "OK" : done.error().message));
        }
        rs.rows.push_back(std::move(row));
    }
    return wrap(std::move(rs));
}

// SNAPSHOT [DATABASE] db (SPEC §7): table maintenance for a whole database.
Result<StatementResult> execute_snapshot(Session& session, SnapshotStmt& s) {
    auto db = FLOE_TRY(resolve_database(session, s.db));
    FLOE_CHECK(db->snapshot());
    return ok_result();
}

Result<StatementResult> execute_show_table_forms(Session& session, ShowStmt& s, std::string_view source) {
    switch (s.kind) {
        case ShowKind::kTables: return show_tables(session, s, source);
        case ShowKind::kCreateTable: return show_create_table(session, s);
        case ShowKind::kCreateDatabase: return show_create_database(session, s);
        case ShowKind::kColumns: return show_columns(session, s, source);
        case ShowKind::kIndex: return show_index(session, s, source);
        case ShowKind::kPartitions: return show_partitions(session, s);
        case ShowKind::kTableStatus: return show_table_status(session, s, source);
        case ShowKind::kDatabaseStatus: return show_database_status(session, s, source);
        default: return make_error(ErrorCode::ER_INTERNAL_ERROR, {"not a table SHOW"});
    }
}

}  // namespace floe::sql
