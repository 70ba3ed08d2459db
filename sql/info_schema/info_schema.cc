#include "sql/info_schema/info_schema.h"

#include <algorithm>
#include <strings.h>

#include "common/charset.h"
#include "sql/engine.h"
#include "sql/exec/column_types.h"
#include "sql/session.h"
#include "storage/database.h"
#include "storage/storage_engine.h"

namespace floe::sql {

using storage::ColumnSchema;
using storage::ColumnType;
using storage::IndexKind;
using storage::StoredRow;
using storage::TableSchema;

namespace {

constexpr uint16_t kInfoSchemaCollation = 33;  // utf8mb3_general_ci, as MySQL 8's information_schema

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

// Column specs: name, then 'S' varchar(64) / 'L' longtext / 'U' bigint unsigned / 'D' datetime.
struct Spec {
    const char* name;
    char kind;
};

TableSchema make_schema(std::string_view name, std::initializer_list<Spec> specs) {
    TableSchema t;
    t.name = std::string(name);
    t.hidden_pk = true;
    t.collation_id = kInfoSchemaCollation;
    t.indexes.push_back(storage::IndexSchema{1, "PRIMARY", IndexKind::kPrimary, {}, ""});
    for (const auto& s : specs) {
        ColumnSchema c;
        c.id = t.next_column_id++;
        c.name = s.name;
        switch (s.kind) {
            case 'U':
                c.type = ColumnType::kBigInt;
                c.is_unsigned = true;
                c.length = 21;
                break;
            case 'D': c.type = ColumnType::kDateTime; break;
            case 'L':
                c.type = ColumnType::kLongText;
                c.collation_id = kInfoSchemaCollation;
                break;
            default:
                c.type = ColumnType::kVarchar;
                c.length = 64;
                c.collation_id = kInfoSchemaCollation;
        }
        t.columns.push_back(std::move(c));
    }
    return t;
}

Value str(std::string_view s) { return Value::from_string(std::string(s)); }
Value num(uint64_t v) { return Value::from_uint(v); }
Value nul() { return Value::null(); }

std::string charset_of(uint16_t collation) {
    const Collation* c = collation_by_id(collation);
    return c ? std::string(c->charset) : "";
}
std::string collation_name(uint16_t collation) {
    const Collation* c = collation_by_id(collation);
    return c ? std::string(c->name) : "";
}

// Every (database name, database) pair, sorted by name.
std::vector<std::pair<std::string, std::shared_ptr<storage::Database>>> databases(Session& session) {
    std::vector<std::pair<std::string, std::shared_ptr<storage::Database>>> out;
    auto& storage = session.engine().storage();
    for (const auto& schema : storage.databases()) {
        if (auto db = storage.database(schema.name)) out.emplace_back(schema.name, std::move(db));
    }
    return out;
}

// Calls fn(db_name, db, table) for every table of every database.
template <class Fn>
void for_each_table(Session& session, Fn fn) {
    for (auto& [db_name, db] : databases(session)) {
        for (const auto& table_name : db->table_names()) {
            if (auto table = db->table(table_name)) fn(db_name, *db, *table);
        }
    }
}

std::string data_type(const ColumnSchema& c) {
    std::string t = column_type_text(c);
    auto paren = t.find('(');
    auto space = t.find(' ');
    return t.substr(0, std::min(paren, space));
}

std::string column_key(const TableSchema& t, const ColumnSchema& c) {
    for (const auto& index : t.indexes) {
        if (index.kind == IndexKind::kPrimary && !t.hidden_pk &&
            std::find(index.column_ids.begin(), index.column_ids.end(), c.id) != index.column_ids.end()) {
            return "PRI";
        }
    }
    for (const auto& index : t.indexes) {
        if (index.kind == IndexKind::kUnique && index.column_ids.size() == 1 && index.column_ids[0] == c.id) return "UNI";
    }
    for (const auto& index : t.indexes) {
        if (index.kind != IndexKind::kPrimary && !index.column_ids.empty() && index.column_ids[0] == c.id) return "MUL";
    }
    return "";
}

VirtualTable schemata(Session& session) {
    VirtualTable v{make_schema("SCHEMATA", {{"CATALOG_NAME", 'S'}, {"SCHEMA_NAME", 'S'},
                                            {"DEFAULT_CHARACTER_SET_NAME", 'S'}, {"DEFAULT_COLLATION_NAME", 'S'},
                                            {"SQL_PATH", 'S'}, {"DEFAULT_ENCRYPTION", 'S'}}), {}};
    v.rows.push_back({str("def"), str("information_schema"), str("utf8mb3"), str("utf8mb3_general_ci"), nul(), str("NO")});
    for (auto& [name, db] : databases(session)) {
        uint16_t coll = db->schema().collation_id;
        v.rows.push_back({str("def"), str(name), str(charset_of(coll)), str(collation_name(coll)), nul(), str("NO")});
    }
    return v;
}

VirtualTable tables(Session& session) {
    VirtualTable v{make_schema("TABLES", {{"TABLE_CATALOG", 'S'}, {"TABLE_SCHEMA", 'S'}, {"TABLE_NAME", 'S'},
                                          {"TABLE_TYPE", 'S'}, {"ENGINE", 'S'}, {"VERSION", 'U'}, {"ROW_FORMAT", 'S'},
                                          {"TABLE_ROWS", 'U'}, {"AVG_ROW_LENGTH", 'U'}, {"DATA_LENGTH", 'U'},
                                          {"MAX_DATA_LENGTH", 'U'}, {"INDEX_LENGTH", 'U'}, {"DATA_FREE", 'U'},
                                          {"AUTO_INCREMENT", 'U'}, {"CREATE_TIME", 'D'}, {"UPDATE_TIME", 'D'},
                                          {"CHECK_TIME", 'D'}, {"TABLE_COLLATION", 'S'}, {"CHECKSUM", 'U'},
                                          {"CREATE_OPTIONS", 'S'}, {"TABLE_COMMENT", 'L'}}), {}};
    for (const auto& name : info_schema_table_names()) {
        v.rows.push_back({str("def"), str("information_schema"), str(name), str("SYSTEM VIEW"), nul(), num(10), nul(),
                          nul(), nul(), nul(), nul(), nul(), nul(), nul(), nul(), nul(), nul(), nul(), nul(), str(""),
                          str("")});
    }
    for (auto& [db_name, db] : databases(session)) {
        for (const auto& view_name : db->view_names()) {
            v.rows.push_back({str("def"), str(db_name), str(view_name), str("VIEW"), nul(), nul(), nul(), nul(), nul(),
                              nul(), nul(), nul(), nul(), nul(), nul(), nul(), nul(), nul(), nul(), nul(), str("VIEW")});
        }
        for (const auto& table_name : db->table_names()) {
            auto table = db->table(table_name);
            if (!table) continue;
            const TableSchema& t = *table->schema;
            v.rows.push_back({str("def"), str(db_name), str(t.name), str("BASE TABLE"), str("RocksDB"), num(10),
                              str("Dynamic"), nul(), nul(), num(db->table_disk_bytes(*table)), num(0), num(0), num(0),
                              nul(), nul(), nul(), nul(), str(collation_name(t.collation_id)), nul(),
                              str(t.columnstore_requested ? "columnstore requested (stored as rowstore)" : ""),
                              str(t.comment)});
        }
    }
    return v;
}

VirtualTable columns(Session& session) {
    VirtualTable v{make_schema("COLUMNS", {{"TABLE_CATALOG", 'S'}, {"TABLE_SCHEMA", 'S'}, {"TABLE_NAME", 'S'},
                                           {"COLUMN_NAME", 'S'}, {"ORDINAL_POSITION", 'U'}, {"COLUMN_DEFAULT", 'L'},
                                           {"IS_NULLABLE", 'S'}, {"DATA_TYPE", 'L'}, {"CHARACTER_MAXIMUM_LENGTH", 'U'},
                                           {"CHARACTER_OCTET_LENGTH", 'U'}, {"NUMERIC_PRECISION", 'U'},
                                           {"NUMERIC_SCALE", 'U'}, {"DATETIME_PRECISION", 'U'},
                                           {"CHARACTER_SET_NAME", 'S'}, {"COLLATION_NAME", 'S'}, {"COLUMN_TYPE", 'L'},
                                           {"COLUMN_KEY", 'S'}, {"EXTRA", 'S'}, {"PRIVILEGES", 'S'},
                                           {"COLUMN_COMMENT", 'L'}, {"GENERATION_EXPRESSION", 'L'}, {"SRS_ID", 'U'}}),
                   {}};
    for_each_table(session, [&](const std::string& db_name, storage::Database& db, storage::TableRuntime& table) {
        const TableSchema& t = *table.schema;
            uint64_t position = 0;
            for (const auto& c : t.columns) {
                ++position;
                Value def = nul();
                if (c.default_kind == storage::DefaultKind::kLiteral) def = str(c.default_value.to_text());
                if (c.default_kind == storage::DefaultKind::kCurrentTimestamp) def = str("CURRENT_TIMESTAMP");
                bool text = c.collation_id != 0;
                const Collation* coll = text ? collation_by_id(c.collation_id) : nullptr;
                Value max_len = nul(), octet_len = nul(), precision = nul(), scale = nul(), dt_precision = nul();
                if (c.type == ColumnType::kChar || c.type == ColumnType::kVarchar || c.type == ColumnType::kBinary ||
                    c.type == ColumnType::kVarbinary) {
                    max_len = num(c.length);
                    octet_len = num(c.length * (coll ? coll->max_bytes_per_char : 1u));
                } else if (c.type == ColumnType::kTinyText || c.type == ColumnType::kTinyBlob) {
                    max_len = num(255), octet_len = num(255);
                } else if (c.type == ColumnType::kText || c.type == ColumnType::kBlob) {
                    max_len = num(65535), octet_len = num(65535);
                } else if (c.type == ColumnType::kMediumText || c.type == ColumnType::kMediumBlob) {
                    max_len = num(16777215), octet_len = num(16777215);
                } else if (c.type == ColumnType::kLongText || c.type == ColumnType::kLongBlob || c.type == ColumnType::kJson) {
                    max_len = num(4294967295ULL), octet_len = num(4294967295ULL);
                }
                switch (c.type) {
                    case ColumnType::kTinyInt: precision = num(3), scale = num(0); break;
                    case ColumnType::kSmallInt: precision = num(5), scale = num(0); break;
                    case ColumnType::kMediumInt: precision = num(7), scale = num(0); break;
                    case ColumnType::kInt: precision = num(10), scale = num(0); break;
                    case ColumnType::kBigInt: precision = num(c.is_unsigned ? 20 : 19), scale = num(0); break;
                    case ColumnType::kFloat: precision = num(12); break;
                    case ColumnType::kDouble: precision = num(22); break;
                    case ColumnType::kDecimal: precision = num(c.precision), scale = num(c.scale); break;
                    case ColumnType::kDateTime:
                    case ColumnType::kTimestamp:
                    case ColumnType::kTime: dt_precision = num(c.scale); break;
                    default: break;
                }
                std::string extra = c.auto_increment ? "auto_increment" : "";
                if (c.default_kind == storage::DefaultKind::kCurrentTimestamp) extra = "DEFAULT_GENERATED";
                if (c.on_update_current_timestamp) extra += std::string(extra.empty() ? "" : " ") + "on update CURRENT_TIMESTAMP";
                v.rows.push_back({str("def"), str(db_name), str(t.name), str(c.name), num(position), def,
                                  str(c.nullable ? "YES" : "NO"), str(data_type(c)), max_len, octet_len, precision,
                                  scale, dt_precision, coll ? str(coll->charset) : nul(), coll ? str(coll->name) : nul(),
                                  str(column_type_text(c)), str(column_key(t, c)), str(extra),
                                  str("select,insert,update,references"), str(c.comment), str(""), nul()});
            }
    });
    return v;
}

VirtualTable statistics(Session& session) {
    VirtualTable v{make_schema("STATISTICS", {{"TABLE_CATALOG", 'S'}, {"TABLE_SCHEMA", 'S'}, {"TABLE_NAME", 'S'},
                                              {"NON_UNIQUE", 'U'}, {"INDEX_SCHEMA", 'S'}, {"INDEX_NAME", 'S'},
                                              {"SEQ_IN_INDEX", 'U'}, {"COLUMN_NAME", 'S'}, {"COLLATION", 'S'},
                                              {"CARDINALITY", 'U'}, {"SUB_PART", 'U'}, {"PACKED", 'S'},
                                              {"NULLABLE", 'S'}, {"INDEX_TYPE", 'S'}, {"COMMENT", 'S'},
                                              {"INDEX_COMMENT", 'S'}, {"IS_VISIBLE", 'S'}, {"EXPRESSION", 'L'}}),
                   {}};
    for_each_table(session, [&](const std::string& db_name, storage::Database& db, storage::TableRuntime& table) {
        const TableSchema& t = *table.schema;
            for (const auto& index : t.indexes) {
                if (index.kind == IndexKind::kPrimary && t.hidden_pk) continue;
                for (size_t i = 0; i < index.column_ids.size(); ++i) {
                    const ColumnSchema* c = t.column_by_id(index.column_ids[i]);
                    v.rows.push_back({str("def"), str(db_name), str(t.name), num(index.kind == IndexKind::kKey ? 1 : 0),
                                      str(db_name), str(index.name), num(i + 1), str(c->name), str("A"), nul(), nul(),
                                      nul(), str(c->nullable ? "YES" : ""), str("BTREE"), str(""), str(index.comment),
                                      str("YES"), nul()});
                }
            }
    });
    return v;
}

VirtualTable key_column_usage(Session& session) {
    VirtualTable v{make_schema("KEY_COLUMN_USAGE",
                               {{"CONSTRAINT_CATALOG", 'S'}, {"CONSTRAINT_SCHEMA", 'S'}, {"CONSTRAINT_NAME", 'S'},
                                {"TABLE_CATALOG", 'S'}, {"TABLE_SCHEMA", 'S'}, {"TABLE_NAME", 'S'},
                                {"COLUMN_NAME", 'S'}, {"ORDINAL_POSITION", 'U'}, {"POSITION_IN_UNIQUE_CONSTRAINT", 'U'},
                                {"REFERENCED_TABLE_SCHEMA", 'S'}, {"REFERENCED_TABLE_NAME", 'S'},
                                {"REFERENCED_COLUMN_NAME", 'S'}}),
                   {}};
    for_each_table(session, [&](const std::string& db_name, storage::Database& db, storage::TableRuntime& table) {
        const TableSchema& t = *table.schema;
            for (const auto& index : t.indexes) {
                if (index.kind == IndexKind::kKey || (index.kind == IndexKind::kPrimary && t.hidden_pk)) continue;
                for (size_t i = 0; i < index.column_ids.size(); ++i) {
                    v.rows.push_back({str("def"), str(db_name), str(index.name), str("def"), str(db_name), str(t.name),
                                      str(t.column_by_id(index.column_ids[i])->name), num(i + 1), nul(), nul(), nul(),
                                      nul()});
                }
            }
    });
    return v;
}

VirtualTable partitions(Session& session) {
    VirtualTable v{make_schema("PARTITIONS",
                               {{"TABLE_CATALOG", 'S'}, {"TABLE_SCHEMA", 'S'}, {"TABLE_NAME", 'S'},
                                {"PARTITION_NAME", 'S'}, {"SUBPARTITION_NAME", 'S'}, {"PARTITION_ORDINAL_POSITION", 'U'},
                                {"SUBPARTITION_ORDINAL_POSITION", 'U'}, {"PARTITION_METHOD", 'S'},
                                {"SUBPARTITION_METHOD", 'S'}, {"PARTITION_EXPRESSION", 'L'},
                                {"SUBPARTITION_EXPRESSION", 'L'}, {"PARTITION_DESCRIPTION", 'L'}, {"TABLE_ROWS", 'U'},
                                {"AVG_ROW_LENGTH", 'U'}, {"DATA_LENGTH", 'U'}, {"MAX_DATA_LENGTH", 'U'},
                                {"INDEX_LENGTH", 'U'}, {"DATA_FREE", 'U'}, {"CREATE_TIME", 'D'}, {"UPDATE_TIME", 'D'},
                                {"CHECK_TIME", 'D'}, {"CHECKSUM", 'U'}, {"PARTITION_COMMENT", 'L'}, {"NODEGROUP", 'S'},
                                {"TABLESPACE_NAME", 'S'}}),
                   {}};
    for_each_table(session, [&](const std::string& db_name, storage::Database& db, storage::TableRuntime& table) {
        const TableSchema& t = *table.schema;
            std::string expression;
            for (uint32_t id : t.effective_shard_key()) {
                expression += (expression.empty() ? "" : ",") + std::string("`") + t.column_by_id(id)->name + "`";
            }
            if (expression.empty()) expression = "(hidden row id)";
            // Rows per partition: a key-only pass over the table (cheap next to reading rows).
            auto txn = db.begin();
            auto counts = txn->count_per_partition(table);
            for (uint16_t p = 0; p < db.partitions(); ++p) {
                v.rows.push_back({str("def"), str(db_name), str(t.name), str("p" + std::to_string(p)), nul(), num(p + 1u),
                                  nul(), str("HASH"), nul(), str(expression), nul(), nul(),
                                  counts.ok() ? num((*counts)[p]) : nul(), nul(), nul(), nul(), nul(), nul(), nul(),
                                  nul(), nul(), nul(), str(""), str("default"), nul()});
            }
    });
    return v;
}

VirtualTable views(Session& session) {
    VirtualTable v{make_schema("VIEWS", {{"TABLE_CATALOG", 'S'}, {"TABLE_SCHEMA", 'S'}, {"TABLE_NAME", 'S'},
                                         {"VIEW_DEFINITION", 'L'}, {"CHECK_OPTION", 'S'}, {"IS_UPDATABLE", 'S'},
                                         {"DEFINER", 'S'}, {"SECURITY_TYPE", 'S'}, {"CHARACTER_SET_CLIENT", 'S'},
                                         {"COLLATION_CONNECTION", 'S'}}),
                   {}};
    for (auto& [db_name, db] : databases(session)) {
        for (const auto& name : db->view_names()) {
            auto view = db->view(name);
            if (!view) continue;
            std::string definer = view->definer;
            std::erase(definer, '`');
            v.rows.push_back({str("def"), str(db_name), str(name), str(view->definition), str(view->check_option),
                              str("NO"), str(definer), str(view->security), str("utf8mb4"), str("utf8mb4_general_ci")});
        }
    }
    return v;
}

VirtualTable processlist(Session& session) {
    VirtualTable v{make_schema("PROCESSLIST", {{"ID", 'U'}, {"USER", 'S'}, {"HOST", 'S'}, {"DB", 'S'}, {"COMMAND", 'S'},
                                               {"TIME", 'U'}, {"STATE", 'S'}, {"INFO", 'L'}}),
                   {}};
    auto opt = [](const std::string& s) { return s.empty() ? nul() : str(s); };
    for (const auto& p : session.engine().process_list()) {
        v.rows.push_back({num(p.id), str(p.user), str(p.host), opt(p.db), str(p.command),
                          num(static_cast<uint64_t>(std::max<int64_t>(0, p.time_seconds))), opt(p.state), opt(p.info)});
    }
    return v;
}

// SingleStore's view of lock waits: one row per waiting statement, with what blocks it (one node: NODE_ID 1).
VirtualTable mv_blocked_queries(Session& session) {
    VirtualTable v{make_schema("MV_BLOCKED_QUERIES", {{"NODE_ID", 'U'}, {"ID", 'U'}, {"QUERY_TEXT", 'L'},
                                                      {"BLOCKING_NODE_ID", 'U'}, {"BLOCKING_ID", 'U'},
                                                      {"BLOCKING_TYPE", 'S'}, {"BLOCKING_QUERY_TEXT", 'L'}}),
                   {}};
    for (const auto& b : session.engine().blocked_queries()) {
        v.rows.push_back({num(1), num(b.id), str(b.query), num(1), num(b.blocking_id), str(b.blocking_type),
                          str(b.blocking_query)});
    }
    return v;
}

// A moment as the server's local DATETIME (SingleStore's backup timestamps).
Value local_datetime_of_us(int64_t us) {
    std::time_t t = static_cast<std::time_t>(us / 1000000);
    std::tm tm{};
    localtime_r(&t, &tm);
    DateTime d{static_cast<int16_t>(tm.tm_year + 1900), static_cast<uint8_t>(tm.tm_mon + 1),
               static_cast<uint8_t>(tm.tm_mday), static_cast<uint8_t>(tm.tm_hour), static_cast<uint8_t>(tm.tm_min),
               static_cast<uint8_t>(tm.tm_sec), 0, false};
    return Value::from_datetime(ValueKind::kDateTime, d);
}

// SPEC §7: every BACKUP attempt (failures included), persisted.
Result<VirtualTable> mv_backup_history(Session& session) {
    VirtualTable v{make_schema("MV_BACKUP_HISTORY",
                               {{"BACKUP_ID", 'U'}, {"DATABASE_NAME", 'S'}, {"START_TIMESTAMP", 'D'},
                                {"END_TIMESTAMP", 'D'}, {"NUM_PARTITIONS", 'U'}, {"BACKUP_PATH", 'L'}, {"CHECKSUM", 'S'},
                                {"STATUS", 'S'}, {"SIZE", 'U'}, {"INCR_BACKUP_ID", 'U'}, {"TYPE", 'S'}, {"TAGS", 'L'},
                                {"SERVER_VERSION", 'S'}, {"IMPLEMENTATION", 'S'}, {"LOCKFREE_TIMESTAMP", 'U'},
                                {"ERROR_CODE", 'U'}, {"ERROR_MESSAGE", 'L'}}),
                   {}};
    for (const auto& r : FLOE_TRY(session.engine().backups().history())) {
        v.rows.push_back({num(r.backup_id), str(r.database), local_datetime_of_us(r.start_us),
                          r.end_us ? local_datetime_of_us(r.end_us) : nul(), num(r.num_partitions), str(r.path),
                          r.checksum.empty() ? nul() : str(r.checksum), str(r.status), num(r.size),
                          r.incr_backup_id ? num(*r.incr_backup_id) : nul(), str(backup::backup_type_name(r.type)),
                          str(r.tags), str(r.server_version), str(r.implementation),
                          r.lockfree_timestamp ? num(*r.lockfree_timestamp) : nul(),
                          r.error_code ? num(r.error_code) : nul(), r.error_code ? str(r.error_message) : nul()});
    }
    return v;
}

// SPEC §7: the backups running now and how far each has got.
VirtualTable mv_backup_status(Session& session) {
    VirtualTable v{make_schema("MV_BACKUP_STATUS", {{"BACKUP_ID", 'U'}, {"DATABASE_NAME", 'S'}, {"TARGET", 'L'},
                                                    {"PROGRESS", 'U'}, {"BYTES_DONE", 'U'}, {"BYTES_TOTAL", 'U'},
                                                    {"STATUS", 'S'}, {"STEP_EST_SEC_REMAIN", 'U'}}),
                   {}};
    for (const auto& r : session.engine().backups().status()) {
        v.rows.push_back({num(r.backup_id), str(r.database), str(r.target), num(r.progress), num(r.bytes_done),
                          num(r.bytes_total), str(r.status), num(r.est_seconds_remaining)});
    }
    return v;
}

// Tables that exist (clients query them) and are empty: floe has no triggers, no routines, no tablespace files.
VirtualTable empty_triggers() {
    return {make_schema("TRIGGERS", {{"TRIGGER_CATALOG", 'S'}, {"TRIGGER_SCHEMA", 'S'}, {"TRIGGER_NAME", 'S'},
                                     {"EVENT_MANIPULATION", 'S'}, {"EVENT_OBJECT_CATALOG", 'S'},
                                     {"EVENT_OBJECT_SCHEMA", 'S'}, {"EVENT_OBJECT_TABLE", 'S'},
                                     {"ACTION_STATEMENT", 'L'}, {"ACTION_TIMING", 'S'}, {"DEFINER", 'S'}}),
            {}};
}
VirtualTable empty_routines() {
    return {make_schema("ROUTINES", {{"SPECIFIC_NAME", 'S'}, {"ROUTINE_CATALOG", 'S'}, {"ROUTINE_SCHEMA", 'S'},
                                     {"ROUTINE_NAME", 'S'}, {"ROUTINE_TYPE", 'S'}, {"DATA_TYPE", 'L'},
                                     {"ROUTINE_DEFINITION", 'L'}, {"DEFINER", 'S'}}),
            {}};
}
VirtualTable empty_files() {
    return {make_schema("FILES", {{"FILE_ID", 'U'}, {"FILE_NAME", 'L'}, {"FILE_TYPE", 'S'}, {"TABLESPACE_NAME", 'S'},
                                  {"TABLE_CATALOG", 'S'}, {"TABLE_SCHEMA", 'S'}, {"TABLE_NAME", 'S'},
                                  {"LOGFILE_GROUP_NAME", 'S'}, {"ENGINE", 'S'}, {"TOTAL_EXTENTS", 'U'},
                                  {"EXTENT_SIZE", 'U'}, {"INITIAL_SIZE", 'U'}, {"EXTRA", 'S'}}),
            {}};
}

}  // namespace

bool is_information_schema(std::string_view db) { return iequals(db, "information_schema"); }

std::vector<std::string> info_schema_table_names() {
    return {"COLUMNS",          "FILES",      "KEY_COLUMN_USAGE", "MV_BACKUP_HISTORY", "MV_BACKUP_STATUS",
            "MV_BLOCKED_QUERIES", "PARTITIONS", "PROCESSLIST",      "ROUTINES",          "SCHEMATA",
            "STATISTICS",       "TABLES",     "TRIGGERS",         "VIEWS"};
}

Result<VirtualTable> info_schema_table(Session& session, std::string_view name) {
    if (iequals(name, "SCHEMATA")) return schemata(session);
    if (iequals(name, "TABLES")) return tables(session);
    if (iequals(name, "COLUMNS")) return columns(session);
    if (iequals(name, "STATISTICS")) return statistics(session);
    if (iequals(name, "KEY_COLUMN_USAGE")) return key_column_usage(session);
    if (iequals(name, "PARTITIONS")) return partitions(session);
    if (iequals(name, "VIEWS")) return views(session);
    if (iequals(name, "PROCESSLIST")) return processlist(session);
    if (iequals(name, "MV_BLOCKED_QUERIES")) return mv_blocked_queries(session);
    if (iequals(name, "MV_BACKUP_HISTORY")) return mv_backup_history(session);
    if (iequals(name, "MV_BACKUP_STATUS")) return mv_backup_status(session);
    if (iequals(name, "TRIGGERS")) return empty_triggers();
    if (iequals(name, "ROUTINES")) return empty_routines();
    if (iequals(name, "FILES")) return empty_files();
    return make_error(ErrorCode::ER_UNKNOWN_TABLE, {name, "information_schema"});
}

}  // namespace floe::sql
