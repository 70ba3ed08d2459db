#include "sql/session.h"

#include <algorithm>
#include <atomic>

#include <spdlog/spdlog.h>

#include "common/charset.h"
#include "sql/engine.h"
#include "sql/exec/executor.h"
#include "sql/exec/expr_eval.h"
#include "sql/exec/query.h"
#include "sql/exec/table_access.h"
#include "sql/operation_lock.h"
#include "sql/parse/parser.h"
#include "sql/session_transaction.h"
#include "storage/storage_engine.h"

namespace floe::sql {
namespace {

constexpr uint16_t kStatusInTrans = 0x0001;
constexpr uint16_t kStatusAutocommit = 0x0002;

const VarDef& var(std::string_view name) { return *find_variable(name); }

// var() once per call site: the lookup is a case-insensitive binary search, and several run per statement.
template <size_t N>
struct VarName {
    char text[N];
    constexpr VarName(const char (&name)[N]) { std::copy_n(name, N, text); }
};
template <VarName name>
const VarDef& known_var() {
    static const VarDef& def = var(std::string_view(name.text, sizeof(name.text) - 1));
    return def;
}

ParserOptions parser_options(const SqlModeFlags& mode) {
    ParserOptions options;
    options.lexer.ansi_quotes = mode.ansi_quotes;
    options.lexer.backslash_escapes = !mode.no_backslash_escapes;
    options.pipes_as_concat = mode.pipes_as_concat;
    return options;
}

}  // namespace

// A prepared statement: its text (kept: expressions point into it for names and messages) and its parse tree,
// whose ? nodes receive each EXECUTE's values.
struct Session::Prepared {
    std::string text;
    ParsedStatement parsed;
    PlanCache plans;  // after `parsed`: its plans point into the statement, so they go first
};

Session::Session(Engine& engine, ConnectionInfo info)
    : engine_(engine), info_(std::move(info)), vars_(engine.variables().snapshot()) {
    db_ = info_.db;
    apply_collation(info_.collation_id);
    sql_mode_ = parse_sql_mode_flags(vars_[known_var<"sql_mode">().slot].to_text());
    txn_ = std::make_unique<SessionTransaction>(engine_, *this);
    engine_.register_session(this);
}

Session::~Session() {
    close_all_prepared();
    txn_->rollback();  // a dropped or killed connection's transaction ends here, its locks released
    engine_.unregister_session(this);
}

Value Session::global_variable(const VarDef& def) const { return engine_.variables().get(def); }

void Session::note_unsynced_commit(std::shared_ptr<storage::Database> db, uint64_t sequence) {
    for (auto& [d, s] : unsynced_) {
        if (d == db) {
            s = std::max(s, sequence);
            return;
        }
    }
    unsynced_.emplace_back(std::move(db), sequence);
}

std::optional<bool> Session::sync_if_alone() {
    if (unsynced_.empty()) return true;
    if (unsynced_.size() != 1) return std::nullopt;
    auto ok = engine_.storage().wal_syncer().sync_if_alone(unsynced_[0].first, unsynced_[0].second);
    if (ok) unsynced_.clear();
    return ok;
}

void Session::when_synced(std::function<void(bool)> done) {
    if (unsynced_.empty()) return done(true);
    auto commits = std::exchange(unsynced_, {});
    if (commits.size() == 1) {
        return engine_.storage().wal_syncer().when_durable(commits[0].first, commits[0].second, std::move(done));
    }
    // Several logs: `done` once the last of them is synced.
    struct Countdown {
        std::atomic<size_t> left;
        std::atomic<bool> ok{true};
        std::function<void(bool)> done;
    };
    auto countdown = std::make_shared<Countdown>();
    countdown->left = commits.size();
    countdown->done = std::move(done);
    for (auto& [db, sequence] : commits) {
        engine_.storage().wal_syncer().when_durable(db, sequence, [countdown](bool ok) {
            if (!ok) countdown->ok = false;
            if (countdown->left.fetch_sub(1) == 1) countdown->done(countdown->ok.load());
        });
    }
}

void Session::apply_collation(uint16_t collation_id, bool results_too) {
    const Collation* c = collation_by_id(collation_id);
    if (!c) c = collation_by_id(kDefaultCollationId);
    Value cs = Value::from_string(std::string(c->charset));
    vars_.set(known_var<"character_set_client">().slot, cs);
    vars_.set(known_var<"character_set_connection">().slot, cs);
    if (results_too) vars_.set(known_var<"character_set_results">().slot, cs);
    vars_.set(known_var<"collation_connection">().slot, Value::from_string(std::string(c->name)));
}

void Session::set_variable(const VarDef& def, Value v) {
    if (def.name == "autocommit" && v.to_int() == 1 && vars_[def.slot].to_int() == 0 && txn_->active()) {
        commit_after_statement_ = true;  // SET autocommit=1 commits an open transaction
    }
    if (def.name == "collation_connection") {
        const Collation* c = collation_by_name(v.to_text());
        if (c) vars_.set(known_var<"character_set_connection">().slot, Value::from_string(std::string(c->charset)));
    }
    if (def.name == "character_set_connection") {
        const Collation* c = default_collation_of_charset(v.to_text());
        if (c) vars_.set(known_var<"collation_connection">().slot, Value::from_string(std::string(c->name)));
    }
    vars_.set(def.slot, std::move(v));
    if (def.name == "sql_mode") sql_mode_ = parse_sql_mode_flags(vars_[def.slot].to_text());
}

Value Session::user_variable(const std::string& name) const {
    auto it = user_vars_.find(name);
    return it == user_vars_.end() ? Value::null() : it->second;
}

namespace {
thread_local std::vector<Warning>* t_warning_capture = nullptr;
}

WarningCapture::WarningCapture(std::vector<Warning>& into) : saved_(t_warning_capture) { t_warning_capture = &into; }
WarningCapture::~WarningCapture() { t_warning_capture = saved_; }

void Session::add_warning(ErrorCode code, std::string message, std::string_view level) {
    if (level == "Note" && vars_[known_var<"sql_notes">().slot].to_int() == 0) return;
    std::vector<Warning>& into = t_warning_capture ? *t_warning_capture : warnings_;
    if (into.size() < 65535) into.push_back(Warning{level, static_cast<uint16_t>(code), std::move(message)});
}

bool Session::autocommit() const { return vars_[known_var<"autocommit">().slot].to_int() != 0; }

bool Session::in_transaction() const { return txn_->active() && txn_->lasting(); }

Isolation Session::next_isolation() const {
    if (next_isolation_) return *next_isolation_;
    return isolation_of(vars_[known_var<"transaction_isolation">().slot].to_text());
}

bool Session::next_read_only() const {
    return next_read_only_.value_or(vars_[known_var<"transaction_read_only">().slot].to_int() != 0);
}

void Session::set_next_transaction(std::optional<Isolation> isolation, std::optional<bool> read_only) {
    if (isolation) next_isolation_ = isolation;
    if (read_only) next_read_only_ = read_only;
}

void Session::start_transaction(bool read_only) {
    txn_->start(/*lasting=*/true, next_isolation(), read_only || next_read_only());
    next_isolation_.reset();
    next_read_only_.reset();
}

std::string Session::transaction_statement() const {
    std::lock_guard lock(process_mu_);
    return command_ == "Query" ? process_info_ : last_statement_;
}

uint16_t Session::status_flags() const {
    uint16_t flags = 0;
    if (in_transaction()) flags |= kStatusInTrans;
    if (autocommit()) flags |= kStatusAutocommit;
    return flags;
}

uint64_t Session::max_allowed_packet() const {
    return static_cast<uint64_t>(vars_[known_var<"max_allowed_packet">().slot].to_int());
}

uint16_t Session::result_collation() const {
    // Every result set asks: the answer is kept for the two variables' last values (compared, not copied).
    const Value& results = vars_[known_var<"character_set_results">().slot];
    const Value& connection = vars_[known_var<"collation_connection">().slot];
    auto text_of = [](const Value& v) { return v.is_string() ? std::string_view(v.string_value()) : std::string_view(); };
    auto& memo = result_collation_memo_;
    if (memo.valid && connection.is_string() && text_of(connection) == memo.connection &&
        (results.is_null() ? memo.results_null : results.is_string() && !memo.results_null && text_of(results) == memo.results)) {
        return memo.id;
    }
    uint16_t id = compute_result_collation();
    memo.valid = connection.is_string() && (results.is_null() || results.is_string());
    memo.connection.assign(text_of(connection));
    memo.results_null = results.is_null();
    memo.results.assign(text_of(results));
    memo.id = id;
    return id;
}

uint16_t Session::compute_result_collation() const {
    const Value& results = vars_[known_var<"character_set_results">().slot];
    if (!results.is_null()) {
        std::string cs = results.to_text();
        if (cs == "binary") return kBinaryCollationId;
        const Collation* conn = collation_by_name(vars_[known_var<"collation_connection">().slot].to_text());
        if (conn && conn->charset == cs) return conn->id;
        const Collation* c = default_collation_of_charset(cs);
        if (c) return c->id;
    }
    const Collation* conn = collation_by_name(vars_[known_var<"collation_connection">().slot].to_text());
    return conn ? conn->id : kDefaultCollationId;
}

void Session::set_connection_closer(std::function<void()> closer) {
    std::lock_guard lock(process_mu_);
    closer_ = std::move(closer);
}

void Session::close_connection() {
    std::function<void()> closer;
    {
        std::lock_guard lock(process_mu_);
        closer = closer_;
    }
    if (closer) closer();
}

void Session::set_process_state(std::string_view command, std::string_view info) {
    std::lock_guard lock(process_mu_);
    // A statement's text moves to last_statement_ when it ends (buffers swapped, not copied).
    if (command_ == "Query" && command != "Query") {
        last_statement_.swap(process_info_);
        process_info_.clear();
    }
    command_ = command;
    process_info_.assign(info.data(), info.size());
    command_start_ = std::chrono::steady_clock::now();
}

ProcessInfo Session::process_info() const {
    std::lock_guard lock(process_mu_);
    auto secs = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - command_start_);
    std::string state = command_ != "Query" ? "" : wait_state_.empty() ? "executing" : wait_state_;
    return ProcessInfo{info_.id, info_.user, info_.client_host, db_, std::string(command_), state, process_info_, secs.count()};
}

void Session::set_wait_state(std::string_view state) {
    std::lock_guard lock(process_mu_);
    wait_state_ = state;
}

DebugSyncContext Session::debug_sync_context() {
    DebugSyncContext ctx;
    ctx.hub = &engine_.debug_sync_hub();
    ctx.actions = &debug_sync_actions_;
    ctx.kill = &kill_flag_;
    ctx.default_timeout = engine_.debug_sync_timeout();
    ctx.set_state = [this](std::string_view state) { set_wait_state(state); };
    ctx.warn = [this](std::string message) { add_warning(ErrorCode::ER_UNKNOWN_ERROR, std::move(message)); };
    return ctx;
}

Status Session::apply_debug_sync(std::string_view text) {
    if (!engine_.debug_sync_enabled()) {
        return make_error(ErrorCode::ER_OPTION_PREVENTS_STATEMENT, {"--debug-sync-timeout=0"});
    }
    return debug_sync_actions_.apply(text, debug_sync_context());
}

void Session::begin_command(std::string_view command) {
    ++questions_;
    engine_.counters().questions.fetch_add(1, std::memory_order_relaxed);
    kill_flag_.reset_query();
    set_process_state(command, {});
}

void Session::end_command() { set_process_state("Sleep", {}); }

Status Session::use_database(std::string_view db) {
    if (!engine_.database_exists(db)) return make_error(ErrorCode::ER_BAD_DB_ERROR, {db});
    db_ = std::string(db);
    return {};
}

Result<std::vector<ColumnDef>> Session::field_list(std::string_view table, std::string_view wildcard) {
    warnings_.clear();
    if (db_.empty()) return make_error(ErrorCode::ER_NO_DB_ERROR);
    // The columns of SELECT * FROM the table (or view), as a prepared statement would announce them.
    std::string quoted = "`";
    for (char c : table) quoted += c == '`' ? std::string("``") : std::string(1, c);
    quoted += "`";
    Prepared ps;
    ps.text = "SELECT * FROM " + quoted;
    Parser parser(ps.text, parser_options(sql_mode_));
    auto parsed = parser.next();
    if (!parsed.ok() || !parsed->has_value()) return make_error(ErrorCode::ER_NO_SUCH_TABLE, {db_, table});
    ps.parsed = std::move(**parsed);
    auto described = describe(ps);
    if (!described.ok()) return make_error(ErrorCode::ER_NO_SUCH_TABLE, {db_, table});
    auto columns = std::move(*described);
    if (!wildcard.empty()) {
        std::erase_if(columns, [&](const ColumnDef& c) { return !like_match(c.name, wildcard, '\\', false); });
    }
    return columns;
}

std::string Session::statistics() const {
    auto& c = engine_.counters();
    int64_t uptime = std::max<int64_t>(engine_.uptime_seconds(), 1);
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  "Uptime: %lld  Threads: %zu  Questions: %llu  Slow queries: 0  Opens: 0  Open tables: 0  "
                  "Queries per second avg: %.3f",
                  static_cast<long long>(engine_.uptime_seconds()), engine_.session_count(),
                  static_cast<unsigned long long>(c.questions.load()),
                  static_cast<double>(c.questions.load()) / static_cast<double>(uptime));
    return buf;
}

void Session::reset() {
    vars_ = SessionVariables(engine_.variables().snapshot());
    apply_collation(info_.collation_id);
    sql_mode_ = parse_sql_mode_flags(vars_[known_var<"sql_mode">().slot].to_text());
    user_vars_.clear();
    warnings_.clear();
    txn_->rollback();
    next_isolation_.reset();
    next_read_only_.reset();
    commit_after_statement_ = false;
    last_insert_id_ = 0;
    row_count_ = -1;
    found_rows_ = 0;
    debug_sync_actions_ = {};
    close_all_prepared();
}

// A LOAD DATA LOCAL INFILE waiting for its file, and the rest of its query (copied: the connection's buffer
// is reused for the file's packets).
struct Session::PendingLoad {
    ParsedStatement load;
    std::string load_text;  // the LOAD statement's text (process list, error positions)
    std::string rest;       // the statements after it
    bool multi_statements = false;
};


ExecOutput Session::execute(std::string_view sql, bool multi_statements) {
    ExecOutput out;
    pending_load_.reset();
    Parser parser(sql, parser_options(sql_mode_));
    run_batch(parser, sql, multi_statements, /*first=*/true, out);
    return out;
}

ExecOutput Session::continue_local_infile(std::string_view data) {
    ExecOutput out;
    if (!pending_load_) {
        out.error = make_error(ErrorCode::ER_MALFORMED_PACKET);
        return out;
    }
    auto pending = std::move(pending_load_);
    local_infile_data_ = data;
    pending->load.begin = 0;
    pending->load.end = static_cast<uint32_t>(pending->load_text.size());
    auto result = run(pending->load, pending->load_text);
    local_infile_data_ = {};
    if (!result.ok()) {
        out.error = std::move(result).error();
        warnings_.push_back(Warning{"Error", out.error->number(), out.error->message});
        return out;
    }
    out.results.push_back(std::move(*result));
    Parser parser(pending->rest, parser_options(sql_mode_));
    run_batch(parser, pending->rest, pending->multi_statements, /*first=*/false, out);
    // run_batch may have stashed the next LOAD: it owns copies, so `pending` may go.
    return out;
}

// ---- prepared statements ----

Result<PreparedShape> Session::prepare(std::string_view sql) {
    warnings_.clear();
    auto fail = [&](Error e) -> Result<PreparedShape> {
        warnings_.push_back(Warning{"Error", e.number(), e.message});
        return e;
    };
    auto ps = std::make_unique<Prepared>();
    ps->text.assign(sql);
    ParserOptions options = parser_options(sql_mode_);
    options.allow_params = true;
    Parser parser(ps->text, options);
    auto parsed = parser.next();
    if (!parsed.ok()) return fail(std::move(parsed).error());
    if (!parsed->has_value()) return fail(make_error(ErrorCode::ER_EMPTY_QUERY));
    auto end = parser.at_end();
    if (!end.ok()) return fail(std::move(end).error());
    if (!*end) return fail(parser.error_at_next_token());  // one statement per prepared statement
    ps->parsed = std::move(**parsed);
    if (std::holds_alternative<LoadDataStmt>(ps->parsed.stmt)) return fail(make_error(ErrorCode::ER_UNSUPPORTED_PS));
    if (ps->parsed.params.size() > 65535) return fail(make_error(ErrorCode::ER_PS_MANY_PARAM));
    auto columns = describe(*ps);
    if (!columns.ok()) return fail(std::move(columns).error());
    if (auto* select = std::get_if<SelectStmt>(&ps->parsed.stmt)) ps->plans.keep(*select);
    if (auto* insert = std::get_if<InsertStmt>(&ps->parsed.stmt); insert && insert->select) ps->plans.keep(*insert->select);
    if (auto* update = std::get_if<UpdateStmt>(&ps->parsed.stmt); update && update->joined.empty()) {
        ps->plans.keep_row_search(update->table);
    }
    if (auto* del = std::get_if<DeleteStmt>(&ps->parsed.stmt); del && del->joined.empty()) ps->plans.keep_row_search(del->table);
    auto& count = engine_.counters().prepared_stmt_count;
    int64_t limit = engine_.variables().get(known_var<"max_prepared_stmt_count">()).to_int();
    if (count.fetch_add(1) >= limit) {
        count.fetch_sub(1);
        return fail(make_error(ErrorCode::ER_MAX_PREPARED_STMT_COUNT_REACHED, {std::to_string(limit)}));
    }
    engine_.counters().com_stmt_prepare.fetch_add(1, std::memory_order_relaxed);
    PreparedShape shape;
    shape.id = next_prepared_id_++;
    shape.param_count = static_cast<uint16_t>(ps->parsed.params.size());
    shape.columns = std::move(*columns);
    prepared_.emplace(shape.id, std::move(ps));
    return shape;
}

// What PREPARE_OK announces: a SELECT's columns from its compiled form, a SHOW's from running it (it only
// reads); tables a DML statement names must exist (1146 at prepare time, as MySQL reports it).
Result<std::vector<ColumnDef>> Session::describe(Prepared& ps) {
    Statement& stmt = ps.parsed.stmt;
    auto* select = std::get_if<SelectStmt>(&stmt);
    bool show = std::holds_alternative<ShowStmt>(stmt) || std::holds_alternative<ExplainStmt>(stmt);
    if (!select && !show) {
        const TableRef* target = nullptr;
        if (auto* ins = std::get_if<InsertStmt>(&stmt)) target = &ins->table;
        if (auto* upd = std::get_if<UpdateStmt>(&stmt); upd && upd->joined.empty()) target = &upd->table;
        if (auto* del = std::get_if<DeleteStmt>(&stmt); del && del->joined.empty()) target = &del->table;
        if (target) FLOE_CHECK(resolve_table(*this, *target));
        return std::vector<ColumnDef>{};
    }
    bool own = !txn_->active();
    if (own) txn_->start(/*lasting=*/false, next_isolation(), next_read_only());
    auto timeout = std::chrono::seconds(vars_[known_var<"lock_wait_timeout">().slot].to_int());
    txn_->begin_statement(std::chrono::steady_clock::now() + timeout, false);
    Result<std::vector<ColumnDef>> columns = std::vector<ColumnDef>{};
    if (select) {
        columns = describe_select(*this, *select, ps.text);
    } else {
        auto result = execute_statement(*this, stmt, ps.text);
        if (!result.ok()) {
            columns = std::move(result).error();
        } else if (auto* rs = std::get_if<ResultSet>(&result->body)) {
            columns = std::move(rs->columns);
        }
    }
    if (columns.ok()) {
        txn_->end_statement();
    } else {
        txn_->fail_statement(columns.error());
    }
    if (own) txn_->rollback();
    return columns;
}

ExecOutput Session::execute_prepared(uint32_t id, std::vector<Value>& params) {
    ExecOutput out;
    auto it = prepared_.find(id);
    if (it == prepared_.end()) {
        out.error = make_error(ErrorCode::ER_UNKNOWN_STMT_HANDLER, {std::to_string(id), "mysqld_stmt_execute"});
    } else if (params.size() != it->second->parsed.params.size()) {
        out.error = make_error(ErrorCode::ER_WRONG_ARGUMENTS, {"mysqld_stmt_execute"});
    }
    if (out.error) {
        warnings_.clear();
        warnings_.push_back(Warning{"Error", out.error->number(), out.error->message});
        return out;
    }
    engine_.counters().com_stmt_execute.fetch_add(1, std::memory_order_relaxed);
    Prepared& ps = *it->second;
    for (size_t i = 0; i < params.size(); ++i) ps.parsed.params[i]->literal = std::move(params[i]);
    plan_cache_ = &ps.plans;
    auto result = run(ps.parsed, ps.text);
    plan_cache_ = nullptr;
    if (result.ok()) {
        out.results.push_back(std::move(*result));
    } else {
        out.error = std::move(result).error();
        warnings_.push_back(Warning{"Error", out.error->number(), out.error->message});
    }
    return out;
}

bool Session::close_prepared(uint32_t id) {
    if (prepared_.erase(id) == 0) return false;
    engine_.counters().prepared_stmt_count.fetch_sub(1);
    engine_.counters().com_stmt_close.fetch_add(1, std::memory_order_relaxed);
    return true;
}

std::optional<uint16_t> Session::prepared_param_count(uint32_t id) const {
    auto it = prepared_.find(id);
    if (it == prepared_.end()) return std::nullopt;
    return static_cast<uint16_t>(it->second->parsed.params.size());
}

void Session::close_all_prepared() {
    engine_.counters().prepared_stmt_count.fetch_sub(static_cast<int64_t>(prepared_.size()));
    prepared_.clear();
}

void Session::run_batch(Parser& parser, std::string_view sql, bool multi_statements, bool first, ExecOutput& out) {
    for (;;) {
        auto parsed = parser.next();
        if (!parsed.ok()) {
            out.error = std::move(parsed).error();
            break;
        }
        if (!parsed->has_value()) {
            if (first && !parser.saw_comment()) out.error = make_error(ErrorCode::ER_EMPTY_QUERY);
            if (first && parser.saw_comment()) out.results.push_back(StatementResult{OkResult{}, 0});
            break;
        }
        if (first && !multi_statements) {
            // MySQL refuses "a; b" as a whole when multi-statements are off, pointing at the second statement.
            auto end = parser.at_end();
            if (!end.ok()) {
                out.error = std::move(end).error();
                break;
            }
            if (!*end) {
                out.error = parser.error_at_next_token();
                break;
            }
        }
        first = false;
        if (auto* load = std::get_if<LoadDataStmt>(&(*parsed)->stmt); load && load->local) {
            // The client must send the file first: check what can be checked without it, then ask for it.
            warnings_.clear();
            auto ready = prepare_load_data(*this, *load);
            if (!ready.ok()) {
                out.error = std::move(ready).error();
                break;
            }
            auto pending = std::make_unique<PendingLoad>();
            pending->load_text.assign(sql.substr((*parsed)->begin, (*parsed)->end - (*parsed)->begin));
            pending->rest.assign(sql.substr((*parsed)->end));
            pending->multi_statements = multi_statements;
            out.local_infile = load->file;
            pending->load = std::move(**parsed);
            pending_load_ = std::move(pending);
            return;
        }
        auto result = run(**parsed, sql);
        if (!result.ok()) {
            out.error = std::move(result).error();
            break;
        }
        out.results.push_back(std::move(*result));
    }
    if (out.error) {
        warnings_.push_back(Warning{"Error", out.error->number(), out.error->message});
        spdlog::debug("connection {}: error {} {}", info_.id, out.error->number(), out.error->message);
    }
}

namespace {

// How a statement takes part in transactions.
enum class TxnUse : uint8_t {
    kControl,  // BEGIN, COMMIT, SAVEPOINT ...: handled by the statement itself
    kData,     // reads or writes rows: runs in the open transaction, or opens one (lasting under autocommit=0)
    kAside,    // SET, SHOW, USE, KILL ...: in the open transaction if any, else in one of its own
    kDdl,      // commits the open transaction first, then runs in one of its own (MySQL's implicit commit)
};

TxnUse txn_use(const Statement& stmt) {
    return std::visit(
        [](const auto& s) {
            using T = std::decay_t<decltype(s)>;
            if constexpr (std::is_same_v<T, TransactionStmt>) {
                return TxnUse::kControl;
            } else if constexpr (std::is_same_v<T, SelectStmt> || std::is_same_v<T, InsertStmt> ||
                                 std::is_same_v<T, UpdateStmt> || std::is_same_v<T, DeleteStmt> ||
                                 std::is_same_v<T, LoadDataStmt> || std::is_same_v<T, DoStmt> ||
                                 std::is_same_v<T, ExplainStmt>) {
                return TxnUse::kData;
            } else if constexpr (std::is_same_v<T, SetStmt> || std::is_same_v<T, ShowStmt> || std::is_same_v<T, UseStmt> ||
                                 std::is_same_v<T, KillStmt> || std::is_same_v<T, NoOpStmt> ||
                                 std::is_same_v<T, FreezeStmt> || std::is_same_v<T, FlushTableStmt>) {
                return TxnUse::kAside;
            } else {
                return TxnUse::kDdl;
            }
        },
        stmt);
}

}  // namespace

Result<StatementResult> Session::run(ParsedStatement& stmt, std::string_view source) {
    bool diagnostics = false;
    if (auto* show = std::get_if<ShowStmt>(&stmt.stmt)) {
        diagnostics = show->kind == ShowKind::kWarnings || show->kind == ShowKind::kErrors ||
                      show->kind == ShowKind::kWarningCount || show->kind == ShowKind::kErrorCount;
    }
    if (auto* sel = std::get_if<SelectStmt>(&stmt.stmt)) {
        // SELECT @@warning_count must see the previous statement's warnings.
        diagnostics = sel->from.empty() && sel->items.size() == 1 && sel->items[0].expr->kind == ExprKind::kSysVar &&
                      (sel->items[0].expr->name == "warning_count" || sel->items[0].expr->name == "error_count");
    }
    if (!diagnostics) warnings_.clear();
    // A killed connection runs nothing more (its transaction is rolled back when it closes).
    if (kill_flag_.level() == KillLevel::kConnection) return make_error(ErrorCode::ER_QUERY_INTERRUPTED);
    statement_start_ = std::chrono::system_clock::now();
    std::optional<DebugSyncContext> sync;  // the statement's sync points (tests only)
    if (engine_.debug_sync_enabled()) sync = debug_sync_context();
    DebugSyncScope sync_scope(sync ? &*sync : nullptr);
    set_process_state("Query", source.substr(stmt.begin, stmt.end - stmt.begin));
    TxnUse use = txn_use(stmt.stmt);
    if (use == TxnUse::kDdl && txn_->active()) {
        auto committed = txn_->commit();
        if (!committed.ok()) {
            set_process_state("Sleep", {});
            return std::move(committed).error();
        }
    }
    // SPEC §5: DDL and cluster operations hold their database / cluster lock until they have committed.
    std::optional<OperationLock> operation_lock;  // DML takes none: nothing to set up on its path
    if (use == TxnUse::kDdl) {
        if (auto need = operation_lock_need(stmt.stmt, db_); need.kind != OperationLockNeed::Kind::kNone) {
            auto locked = operation_lock.emplace(engine_, *this).acquire(need);
            if (!locked.ok()) {
                set_process_state("Sleep", {});
                return std::move(locked).error();
            }
        }
    }
    bool own_transaction = false;  // this statement's transaction ends with it
    if (use != TxnUse::kControl) {
        if (!txn_->active()) {
            if (use == TxnUse::kData && !autocommit()) {
                start_transaction(false);
            } else {
                txn_->start(/*lasting=*/false, next_isolation(), next_read_only());
                own_transaction = true;
            }
        }
        auto timeout = std::chrono::seconds(vars_[known_var<"lock_wait_timeout">().slot].to_int());
        txn_->begin_statement(std::chrono::steady_clock::now() + timeout,
                              engine_.variables().get(known_var<"deadlock_detect">()).to_int() != 0);
    }
    // disable_update_delete_distributed_transactions: UPDATE / DELETE commit partition by partition, passing the
    // backup write gate for their whole run (a locking backup's snapshot never sees half of one).
    bool by_partition = own_transaction &&
                        (std::holds_alternative<UpdateStmt>(stmt.stmt) || std::holds_alternative<DeleteStmt>(stmt.stmt)) &&
                        engine_.variables().get(known_var<"disable_update_delete_distributed_transactions">()).to_int() != 0;
    if (by_partition) {
        auto passed = operation_lock.emplace(engine_, *this).pass_write_gate();
        if (!passed.ok()) {
            txn_->rollback();
            set_process_state("Sleep", {});
            return std::move(passed).error();
        }
    }
    engine_.counters().threads_running.fetch_add(1, std::memory_order_relaxed);
    auto result = execute_statement(*this, stmt.stmt, source);
    engine_.counters().threads_running.fetch_sub(1, std::memory_order_relaxed);
    // KILL CONNECTION (or shutdown) while it ran, e.g. just as its lock wait was granted: nothing it did is kept.
    if (result.ok() && kill_flag_.level() == KillLevel::kConnection) result = make_error(ErrorCode::ER_QUERY_INTERRUPTED);
    if (use != TxnUse::kControl) {
        if (result.ok()) {
            txn_->end_statement();
            if (own_transaction) {
                auto committed = txn_->commit(by_partition);
                if (!committed.ok()) result = std::move(committed).error();
            }
        } else {
            txn_->fail_statement(result.error());
            if (own_transaction) txn_->rollback();
        }
    }
    if (commit_after_statement_) {
        commit_after_statement_ = false;
        if (txn_->active() && result.ok()) {
            auto committed = txn_->commit();
            if (!committed.ok()) result = std::move(committed).error();
        }
    }
    set_process_state("Sleep", {});
    if (!result.ok()) return result;
    if (std::holds_alternative<OkResult>(result->body)) {
        row_count_ = static_cast<int64_t>(std::get<OkResult>(result->body).affected_rows);
    } else {
        row_count_ = -1;
    }
    // SHOW WARNINGS reports the previous statement's diagnostics but raises none of its own.
    result->warning_count = diagnostics ? 0 : static_cast<uint16_t>(std::min<size_t>(warnings_.size(), 65535));
    return result;
}

}  // namespace floe::sql
