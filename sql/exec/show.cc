// SHOW VARIABLES / STATUS / WARNINGS / ERRORS / COLLATION / CHARACTER SET / ENGINES / DATABASES / PROCESSLIST.
#include <algorithm>

#include "common/charset.h"
#include "sql/engine.h"
#include "sql/exec/executor.h"
#include "sql/exec/expr_eval.h"
#include "sql/session.h"
#include "storage/storage_engine.h"

namespace floe::sql {
namespace {

struct ShowTable {
    std::vector<std::string> names;
    ResultSet rs;
};

ShowTable text_table(Session& session, std::initializer_list<std::pair<std::string, uint32_t>> columns) {
    ShowTable t;
    uint16_t coll = session.result_collation();
    for (const auto& [name, width] : columns) {
        t.names.push_back(name);
        t.rs.columns.push_back(text_column(name, width, coll));
    }
    return t;
}

void add_row(ShowTable& t, std::vector<Value> row) { t.rs.rows.push_back(std::move(row)); }

// LIKE on the first column, or WHERE over the named columns.
Status filter(Session& session, ShowTable& t, const ShowStmt& s, std::string_view source) {
    if (s.like) {
        std::erase_if(t.rs.rows, [&](const Row& r) { return !like_match(r[0].to_text(), *s.like, '\\', false); });
    } else if (s.where) {
        std::vector<Row> kept;
        EvalContext ctx{session, source};
        ctx.clause = "where clause";
        for (auto& r : t.rs.rows) {
            RowScope scope{t.names, r};
            ctx.row = &scope;
            Value v = FLOE_TRY(evaluate(*s.where, ctx));
            if (!v.is_null() && v.to_bool()) kept.push_back(std::move(r));
        }
        t.rs.rows = std::move(kept);
    }
    return {};
}

StatementResult done(ShowTable& t) {
    StatementResult r;
    r.body = std::move(t.rs);
    return r;
}

Result<StatementResult> show_variables(Session& session, const ShowStmt& s, std::string_view source) {
    ShowTable t = text_table(session, {{"Variable_name", 64}, {"Value", 1024}});
    bool global = s.scope == VarScope::kGlobal;
    for (const auto& def : all_variables()) {
        if (global && def.scopes == VarScopes::kSessionOnly) continue;
        Value v;
        if (def.name == "warning_count" || def.name == "error_count") {
            uint64_t n = 0;
            for (const auto& w : session.warnings()) n += def.name == "warning_count" || w.level == "Error";
            v = Value::from_uint(n);
        } else if (global || def.scopes == VarScopes::kGlobalOnly) {
            v = session.global_variable(def);
        } else {
            v = session.variable(def);
        }
        add_row(t, {Value::from_string(std::string(def.name)), Value::from_string(display_variable(def, v))});
    }
    FLOE_CHECK(filter(session, t, s, source));
    return done(t);
}

Result<StatementResult> show_status(Session& session, const ShowStmt& s, std::string_view source) {
    ShowTable t = text_table(session, {{"Variable_name", 64}, {"Value", 1024}});
    auto& c = session.engine().counters();
    bool global = s.scope == VarScope::kGlobal;
    auto num = [](uint64_t v) { return Value::from_string(std::to_string(v)); };
    const auto& info = session.info();
    std::vector<std::pair<std::string, Value>> rows = {
        {"Aborted_clients", num(c.aborted_clients)},
        {"Aborted_connects", num(c.aborted_connects)},
        {"Bytes_received", num(c.bytes_received)},
        {"Bytes_sent", num(c.bytes_sent)},
        {"Com_stmt_close", num(c.com_stmt_close)},
        {"Com_stmt_execute", num(c.com_stmt_execute)},
        {"Com_stmt_prepare", num(c.com_stmt_prepare)},
        {"Com_stmt_reprepare", num(c.com_stmt_reprepare)},
        {"Connections", num(c.connections)},
        // Idle tables whose level-0 files were merged (storage/level0_merger.h).
        {"Level0_merges", num(session.engine().storage().level0_merger().merges())},
        {"Max_used_connections", num(c.max_used_connections)},
        {"Parallel_scans", num(c.parallel_scans)},
        {"Prepared_stmt_count", num(static_cast<uint64_t>(c.prepared_stmt_count.load()))},
        {"Queries", num(c.questions)},
        {"Questions", num(global ? c.questions.load() : session.questions())},
        {"Slow_queries", num(0)},
        {"Ssl_cipher", Value::from_string(global ? "" : info.ssl_cipher)},
        {"Ssl_version", Value::from_string(global ? "" : info.ssl_version)},
        {"Threads_connected", num(session.engine().session_count())},
        {"Threads_running", num(c.threads_running)},
        {"Uptime", num(static_cast<uint64_t>(session.engine().uptime_seconds()))},
        // Group commit (storage/wal_syncer.h): commits that waited for a log sync, and the syncs done.
        {"Wal_sync_waits", num(session.engine().storage().wal_syncer().waits())},
        {"Wal_syncs", num(session.engine().storage().wal_syncer().syncs())},
        {"Wal_syncs_inline", num(session.engine().storage().wal_syncer().inline_syncs())},
    };
    for (auto& [name, value] : rows) add_row(t, {Value::from_string(name), std::move(value)});
    FLOE_CHECK(filter(session, t, s, source));
    return done(t);
}

Result<StatementResult> show_warnings(Session& session, const ShowStmt& s, std::string_view source) {
    ShowTable t = text_table(session, {{"Level", 7}, {"Code", 4}, {"Message", 512}});
    t.rs.columns[1] = bigint_column("Code", true);
    t.rs.columns[1].type = FieldType::kLong;
    t.rs.columns[1].length = 4;
    uint64_t offset = FLOE_TRY(evaluate_limit(session, s.offset, source, 0));
    uint64_t limit = FLOE_TRY(evaluate_limit(session, s.limit, source, UINT64_MAX));
    uint64_t index = 0;
    for (const auto& w : session.warnings()) {
        if (s.kind == ShowKind::kErrors && w.level != "Error") continue;
        if (index++ < offset) continue;
        if (t.rs.rows.size() >= limit) break;
        add_row(t, {Value::from_string(std::string(w.level)), Value::from_uint(w.code), Value::from_string(w.message)});
    }
    return done(t);
}

Result<StatementResult> show_count(Session& session, const ShowStmt& s) {
    uint64_t n = 0;
    for (const auto& w : session.warnings()) n += s.kind == ShowKind::kWarningCount || w.level == "Error";
    ResultSet rs;
    rs.columns.push_back(bigint_column(s.kind == ShowKind::kWarningCount ? "@@session.warning_count"
                                                                         : "@@session.error_count",
                                       true));
    rs.rows.push_back({Value::from_uint(n)});
    StatementResult r;
    r.body = std::move(rs);
    return r;
}

Result<StatementResult> show_collation(Session& session, const ShowStmt& s, std::string_view source) {
    ShowTable t = text_table(session, {{"Collation", 64}, {"Charset", 64}, {"Id", 11}, {"Default", 3},
                                       {"Compiled", 3}, {"Sortlen", 3}, {"Pad_attribute", 9}});
    t.rs.columns[2] = bigint_column("Id", true);
    for (const auto& c : all_collations()) {
        bool nopad = c.name == "utf8mb4_0900_ai_ci" || c.name == "binary";
        add_row(t, {Value::from_string(std::string(c.name)), Value::from_string(std::string(c.charset)),
                    Value::from_uint(c.id), Value::from_string(c.is_default ? "Yes" : ""), Value::from_string("Yes"),
                    Value::from_string("1"), Value::from_string(nopad ? "NO PAD" : "PAD SPACE")});
    }
    std::sort(t.rs.rows.begin(), t.rs.rows.end(),
              [](const Row& a, const Row& b) { return a[0].string_value() < b[0].string_value(); });
    FLOE_CHECK(filter(session, t, s, source));
    return done(t);
}

Result<StatementResult> show_charset(Session& session, const ShowStmt& s, std::string_view source) {
    ShowTable t = text_table(session, {{"Charset", 64}, {"Description", 2048}, {"Default collation", 64},
                                       {"Maxlen", 3}});
    t.rs.columns[3] = bigint_column("Maxlen", true);
    for (const auto& c : all_collations()) {
        if (!c.is_default) continue;
        add_row(t, {Value::from_string(std::string(c.charset)), Value::from_string(std::string(c.description)),
                    Value::from_string(std::string(c.name)), Value::from_uint(c.max_bytes_per_char)});
    }
    std::sort(t.rs.rows.begin(), t.rs.rows.end(),
              [](const Row& a, const Row& b) { return a[0].string_value() < b[0].string_value(); });
    FLOE_CHECK(filter(session, t, s, source));
    return done(t);
}

Result<StatementResult> show_engines(Session& session) {
    ShowTable t = text_table(session, {{"Engine", 64}, {"Support", 8}, {"Comment", 80}, {"Transactions", 3},
                                       {"XA", 3}, {"Savepoints", 3}});
    add_row(t, {Value::from_string("RocksDB"), Value::from_string("DEFAULT"),
                Value::from_string("floe's partitioned storage on RocksDB; every table uses it"),
                Value::from_string("YES"), Value::from_string("NO"), Value::from_string("YES")});
    return done(t);
}

Result<StatementResult> show_databases(Session& session, const ShowStmt& s, std::string_view source) {
    ShowTable t = text_table(session, {{"Database", 64}});
    add_row(t, {Value::from_string("information_schema")});
    for (const auto& db : session.engine().storage().databases()) add_row(t, {Value::from_string(db.name)});
    FLOE_CHECK(filter(session, t, s, source));
    return done(t);
}

Result<StatementResult> show_processlist(Session& session, const ShowStmt& s) {
    ShowTable t = text_table(session, {{"Id", 21}, {"User", 32}, {"Host", 261}, {"db", 64}, {"Command", 16},
                                       {"Time", 7}, {"State", 30}, {"Info", s.full ? 65535u : 100u}});
    t.rs.columns[0] = bigint_column("Id", true);
    t.rs.columns[5] = bigint_column("Time", false);
    for (auto& p : session.engine().process_list()) {
        auto opt = [](const std::string& v) { return v.empty() ? Value::null() : Value::from_string(v); };
        std::string info = p.info;
        if (!s.full && info.size() > 100) info.resize(100);
        add_row(t, {Value::from_uint(p.id), Value::from_string(p.user), Value::from_string(p.host), opt(p.db),
                    Value::from_string(p.command), Value::from_int(p.time_seconds), opt(p.state), opt(info)});
    }
    return done(t);
}

}  // namespace

Result<StatementResult> execute_show(Session& session, ShowStmt& s, std::string_view source) {
    switch (s.kind) {
        case ShowKind::kVariables: return show_variables(session, s, source);
        case ShowKind::kStatus: return show_status(session, s, source);
        case ShowKind::kWarnings:
        case ShowKind::kErrors: return show_warnings(session, s, source);
        case ShowKind::kWarningCount:
        case ShowKind::kErrorCount: return show_count(session, s);
        case ShowKind::kCollation: return show_collation(session, s, source);
        case ShowKind::kCharacterSet: return show_charset(session, s, source);
        case ShowKind::kEngines: return show_engines(session);
        case ShowKind::kDatabases: return show_databases(session, s, source);
        case ShowKind::kProcessList: return show_processlist(session, s);
        case ShowKind::kTables:
        case ShowKind::kCreateTable:
        case ShowKind::kCreateDatabase:
        case ShowKind::kColumns:
        case ShowKind::kIndex:
        case ShowKind::kPartitions:
        case ShowKind::kTableStatus:
        case ShowKind::kDatabaseStatus: return execute_show_table_forms(session, s, source);
        case ShowKind::kLeaves:
        case ShowKind::kAggregators: return execute_show_topology(session, s);
        case ShowKind::kLocks: return execute_show_locks(session);
        case ShowKind::kTableStatusOf: return execute_show_table_status_of(session, s);
        case ShowKind::kGrants: return make_error(ErrorCode::ER_NOT_SUPPORTED_YET, {"SHOW GRANTS"});
        case ShowKind::kPlugins: return make_error(ErrorCode::ER_NOT_SUPPORTED_YET, {"SHOW PLUGINS"});
        case ShowKind::kPrivileges: return make_error(ErrorCode::ER_NOT_SUPPORTED_YET, {"SHOW PRIVILEGES"});
    }
    return make_error(ErrorCode::ER_INTERNAL_ERROR, {"unknown SHOW"});
}

}  // namespace floe::sql
