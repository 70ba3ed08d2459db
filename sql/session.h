// Session: one client's SQL state (user, current database, session variables, user variables, warnings,
// transaction flags) and the entry point for its statements. The server layer owns one per connection.
// Thread-safety: calls that run statements are serialized by the caller (one connection = one caller at a
// time); kill_flag() and process_info() may be used from any thread (KILL, SHOW PROCESSLIST).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/cancel.h"
#include "common/debug_sync.h"
#include "common/result.h"
#include "sql/result.h"
#include "sql/variables.h"

namespace floe::storage {
class Database;
}

namespace floe::sql {

class Engine;
class Parser;
class PlanCache;
class SessionTransaction;
struct ParsedStatement;
enum class Isolation : uint8_t;

// What the server knows about a connection when it opens a session.
struct ConnectionInfo {
    uint32_t id = 0;
    std::string user;
    std::string client_host;   // address, or "localhost" for the Unix socket
    std::string account_host;  // the matched account's host ('%', 'localhost', ...)
    std::string db;            // CONNECT_WITH_DB ("" = none)
    uint16_t collation_id = kDefaultCollationId;  // from the handshake
    bool interactive = false;
    bool found_rows = false;  // CLIENT_FOUND_ROWS: UPDATE reports matched rather than changed rows
    bool local_files = false;  // CLIENT_LOCAL_FILES: the client may be asked for a file (LOAD DATA LOCAL)
    std::string transport = "TCP/IP";  // or "Socket"
    std::string ssl_cipher, ssl_version;  // empty without TLS
};

struct Warning {
    std::string_view level;  // "Note", "Warning", "Error"
    uint16_t code;
    std::string message;
};

// While alive, warnings raised on this thread go to `into` instead of the session: a parallel scan keeps
// each partition's warnings apart and adds them in partition order, as a sequential read would have.
class WarningCapture {
public:
    explicit WarningCapture(std::vector<Warning>& into);
    ~WarningCapture();
    WarningCapture(const WarningCapture&) = delete;
    WarningCapture& operator=(const WarningCapture&) = delete;

private:
    std::vector<Warning>* saved_;
};

// One row of SHOW PROCESSLIST.
struct ProcessInfo {
    uint32_t id;
    std::string user, host, db, command, state, info;
    int64_t time_seconds;
};

// Everything a query produced: results of the statements that ran, and the error that stopped the rest.
// `local_infile`: a LOAD DATA LOCAL INFILE needs this file from the client; once its bytes have arrived,
// continue_local_infile() runs the LOAD and the rest of the query.
struct ExecOutput {
    std::vector<StatementResult> results;
    std::optional<Error> error;
    std::optional<std::string> local_infile;
};

// What PREPARE_OK tells the client about a prepared statement.
struct PreparedShape {
    uint32_t id = 0;
    uint16_t param_count = 0;
    std::vector<ColumnDef> columns;  // the result set's columns; empty when the statement returns none
};

class Session {
public:
    Session(Engine& engine, ConnectionInfo info);
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    // COM_QUERY: runs the statements of `sql` in order. Without `multi_statements` a second statement is a
    // 1064 (as MySQL does) and nothing runs.
    ExecOutput execute(std::string_view sql, bool multi_statements);
    // After execute() (or this) asked for a local file: runs the waiting LOAD DATA with the file's bytes, then
    // the statements after it.
    ExecOutput continue_local_infile(std::string_view data);
    // COM_STMT_PREPARE: parses one statement (? markers allowed) once, checks the tables it names and works
    // out its result columns. 1461 past max_prepared_stmt_count statements in the server.
    Result<PreparedShape> prepare(std::string_view sql);
    // COM_STMT_EXECUTE: runs prepared statement `id` with `params` bound to its markers, in order
    // (1243 for an unknown id, 1210 for a wrong number of values).
    ExecOutput execute_prepared(uint32_t id, std::vector<Value>& params);
    // COM_STMT_CLOSE: false when `id` is unknown (which MySQL ignores).
    bool close_prepared(uint32_t id);
    // The number of markers of statement `id`; nullopt when unknown.
    std::optional<uint16_t> prepared_param_count(uint32_t id) const;
    // The plans of the prepared statement being executed (nullptr outside COM_STMT_EXECUTE): SELECTs compile
    // into it once and run from it after.
    PlanCache* plan_cache() const { return plan_cache_; }
    // COM_INIT_DB / USE: 1049 for an unknown database.
    Status use_database(std::string_view db);
    // COM_FIELD_LIST.
    Result<std::vector<ColumnDef>> field_list(std::string_view table, std::string_view wildcard);
    // COM_STATISTICS text.
    std::string statistics() const;
    // COM_RESET_CONNECTION: back to a fresh session of the same user and database.
    void reset();
    // COM_PING / other commands: counts a question and marks the process list.
    void begin_command(std::string_view command);
    void end_command();

    // Status flags for OK / EOF packets (SERVER_STATUS_IN_TRANS, _AUTOCOMMIT).
    uint16_t status_flags() const;
    uint32_t id() const { return info_.id; }
    const ConnectionInfo& info() const { return info_; }
    const std::string& db() const { return db_; }
    Engine& engine() { return engine_; }
    KillFlag& kill_flag() { return kill_flag_; }
    uint64_t max_allowed_packet() const;
    // The collation result-set text columns are sent in (character_set_results / collation_connection).
    uint16_t result_collation() const;
    SqlModeFlags sql_mode() const { return sql_mode_; }
    // While continue_local_infile() runs the LOAD: the bytes the client sent.
    std::string_view local_infile_data() const { return local_infile_data_; }

    // The server installs how KILL CONNECTION closes this session's socket. Called from any thread, with the
    // engine's session list locked: the closer must only schedule the close, never destroy anything.
    void set_connection_closer(std::function<void()> closer);
    void close_connection();
    ProcessInfo process_info() const;
    // What the running statement waits for, shown as its PROCESSLIST state ("" = running).
    void set_wait_state(std::string_view state);

    // ---- used by the executor (sql/exec) ----
    Value variable(const VarDef& def) const { return vars_[def.slot]; }
    Value global_variable(const VarDef& def) const;
    void set_variable(const VarDef& def, Value v);
    Value user_variable(const std::string& name) const;
    void set_user_variable(const std::string& name, Value v) { user_vars_[name] = std::move(v); }
    void add_warning(ErrorCode code, std::string message, std::string_view level = "Warning");
    const std::vector<Warning>& warnings() const { return warnings_; }
    // The SQL transaction (see session_transaction.h); in_transaction(): one that outlasts its statement is open.
    SessionTransaction& transaction() { return *txn_; }
    bool in_transaction() const;
    bool autocommit() const;
    // The isolation level / read-only mode the next transaction gets: SET TRANSACTION's (once), else the
    // session variables'.
    Isolation next_isolation() const;
    bool next_read_only() const;
    void set_next_transaction(std::optional<Isolation> isolation, std::optional<bool> read_only);
    // Starts a transaction that lasts until COMMIT / ROLLBACK (BEGIN, or a statement under autocommit=0).
    void start_transaction(bool read_only);
    // What this session's transaction is doing for others' lock-wait messages: the running statement, else the
    // last one it ran.
    std::string transaction_statement() const;
    uint64_t last_insert_id() const { return last_insert_id_; }
    void set_last_insert_id(uint64_t v) { last_insert_id_ = v; }
    int64_t row_count() const { return row_count_; }
    uint64_t found_rows() const { return found_rows_; }
    void set_found_rows(uint64_t v) { found_rows_ = v; }
    std::chrono::system_clock::time_point statement_start() const { return statement_start_; }
    uint64_t questions() const { return questions_; }
    // SET debug_sync = 'text' (common/debug_sync.h): 1290 unless the server runs with --debug-sync-timeout.
    Status apply_debug_sync(std::string_view text);
    // SET NAMES / SET CHARACTER SET / handshake charset.
    void apply_collation(uint16_t collation_id, bool results_too = true);

    // Group commit (storage/wal_syncer.h). A server that holds its answers until when_synced() says so turns
    // defer_syncs on: commits then write their log unsynced and the answer waits for the sync that covers a
    // group of them. Without it (no client to hold an answer for) each commit syncs its log itself.
    void defer_syncs(bool on) { defer_syncs_ = on; }
    bool defers_syncs() const { return defer_syncs_; }
    // A commit since the last when_synced() has not been synced yet.
    bool sync_pending() const { return !unsynced_.empty(); }
    // Calls `done(ok)` once every commit since the last call is on disk (one query may commit in several
    // databases, each with its own log): at once, or later on another thread (false: a sync failed and a commit
    // may be lost in a crash).
    void when_synced(std::function<void(bool)> done);
    // When the last query committed in one database and that commit is alone (WalSyncer::sync_if_alone): syncs
    // on the calling thread and says whether every commit is on disk now, as when_synced would. nullopt: call
    // when_synced.
    std::optional<bool> sync_if_alone();
    // Used by SessionTransaction: a commit written with its log unsynced.
    void note_unsynced_commit(std::shared_ptr<storage::Database> db, uint64_t sequence);

private:
    struct PendingLoad;
    struct Prepared;
    Result<std::vector<ColumnDef>> describe(Prepared& ps);
    void close_all_prepared();
    // Runs the statements `parser` yields until the end, an error, or a LOAD DATA LOCAL that needs a file.
    void run_batch(Parser& parser, std::string_view sql, bool multi_statements, bool first, ExecOutput& out);
    Result<StatementResult> run(ParsedStatement& stmt, std::string_view text);
    // `command` is a literal (kept as a view: every statement sets the state four times).
    void set_process_state(std::string_view command, std::string_view info);
    uint16_t compute_result_collation() const;
    struct ResultCollationMemo {
        bool valid = false;
        bool results_null = false;
        std::string results, connection;
        uint16_t id = 0;
    };
    mutable ResultCollationMemo result_collation_memo_;  // result_collation()'s last answer
    DebugSyncContext debug_sync_context();

    Engine& engine_;
    ConnectionInfo info_;
    std::string db_;
    SessionVariables vars_;
    std::unordered_map<std::string, Value> user_vars_;
    std::vector<Warning> warnings_;
    SqlModeFlags sql_mode_;
    std::optional<Isolation> next_isolation_;  // SET TRANSACTION without GLOBAL / SESSION
    std::optional<bool> next_read_only_;
    bool commit_after_statement_ = false;      // SET autocommit = 1 ended a transaction
    uint64_t last_insert_id_ = 0;
    int64_t row_count_ = -1;
    uint64_t found_rows_ = 0;
    uint64_t questions_ = 0;
    std::chrono::system_clock::time_point statement_start_;
    KillFlag kill_flag_;
    std::unique_ptr<PendingLoad> pending_load_;
    std::string_view local_infile_data_;
    DebugSyncActions debug_sync_actions_;
    std::unordered_map<uint32_t, std::unique_ptr<Prepared>> prepared_;
    uint32_t next_prepared_id_ = 1;
    PlanCache* plan_cache_ = nullptr;

    mutable std::mutex process_mu_;  // guards the process-list fields below and closer_
    std::string_view command_ = "Sleep";  // a literal (set_process_state)
    std::string process_info_;
    std::string last_statement_;  // the last statement run (kept while idle in a transaction)
    std::string wait_state_;
    std::chrono::steady_clock::time_point command_start_ = std::chrono::steady_clock::now();
    std::function<void()> closer_;

    bool defer_syncs_ = false;
    // Per database, the last commit written unsynced since the last when_synced() (a later one covers an
    // earlier one of the same log).
    std::vector<std::pair<std::shared_ptr<storage::Database>, uint64_t>> unsynced_;

    std::unique_ptr<SessionTransaction> txn_;  // last: rolled back before the rest of the session goes
};

}  // namespace floe::sql
