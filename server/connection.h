// Connection: one client, as one coroutine on the I/O threads: handshake -> (TLS) -> authentication -> command
// loop. Statements run inline on the I/O thread that read them (server/io_threads.h: one that blocks gets the
// loop another thread); an idle connection holds no thread.
//
// Phases (the connection moves only downward; any arrow may end in "closed"):
//   accepted --(over max_connections: ERR 1040)--> closed
//      |  greeting (seq 0)
//   handshake --(SSLRequest)--> TLS handshake --> handshake response
//      |  auth switch / caching_sha2 fast or full path (seq continues)
//   authenticated --(ERR 1045 / 1049 / 3159)--> closed
//      |  OK
//   command loop: read command (seq 0) -> run -> write response -> (COM_QUIT, KILL, error) -> closed
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/ssl/context.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "server/io_threads.h"
#include "server/protocol/binary_rows.h"
#include "server/protocol/constants.h"
#include "server/transport.h"
#include "sql/engine.h"

namespace floe::server {

class RsaKeyPair;

// What every connection shares. Owned by main; outlives all connections.
struct ServerContext {
    sql::Engine& engine;
    asio::ssl::context* tls;  // nullptr: TLS not offered
    const RsaKeyPair& rsa;
    IoThreads& io_threads;
    std::atomic<size_t> open_connections{0};
};

class Connection : public std::enable_shared_from_this<Connection> {
public:
    // `executor` is the connection's strand: the socket is only ever touched there.
    Connection(ServerContext& ctx, asio::any_io_executor executor, Transport transport, std::string client_host);
    ~Connection();

    asio::awaitable<void> run();
    // Closes the socket from any thread (KILL CONNECTION, shutdown); pending reads end at once.
    void close_async();

private:
    enum class ReadStatus { kOk, kClosed, kTooLarge, kOutOfOrder };

    // Reads one message (all its packets). `exact` never reads past it: needed before a TLS upgrade, where
    // the bytes after the SSLRequest belong to the TLS handshake, not to us.
    asio::awaitable<ReadStatus> read_message(std::string& payload, size_t max_payload, bool exact = false);
    // For a 1153: reads and drops the oversized message (so closing the socket does not reset it before the
    // client has read the error), advancing seq_ past its packets so the error carries the id the client expects.
    asio::awaitable<void> discard_message();
    // Sends what out_ holds; first waits until the commits it reports are on disk (wait_for_sync).
    asio::awaitable<bool> flush();
    asio::awaitable<bool> wait_for_sync();
    asio::awaitable<void> send_error(const Error& e);
    asio::awaitable<bool> handshake();
    // Verifies `response` (made by `plugin` over nonce_) for `user`, switching plugins with a new nonce when the
    // account uses the other one. On failure the ERR is sent and nullopt returned.
    asio::awaitable<std::optional<sql::Account>> authenticate(const std::string& user, std::string plugin,
                                                              std::string response);
    // Closes the connection once it has been idle for the session's wait_timeout (sending 4031 first, as
    // MySQL 8 does). Wakes only when its deadline passes: a command just records the time.
    asio::awaitable<void> idle_watchdog();
    asio::awaitable<bool> handle_command(std::string& payload);
    asio::awaitable<bool> handle_query(std::string_view sql);
    // Runs `work` (statements of this session) on this thread, counted busy; an exception becomes ER_INTERNAL_ERROR.
    sql::ExecOutput run_statements(const std::function<sql::ExecOutput()>& work);
    asio::awaitable<bool> handle_change_user(std::string_view payload);
    asio::awaitable<bool> handle_prepare(std::string_view sql);
    asio::awaitable<bool> handle_execute(std::string_view body);
    // COM_STMT_CLOSE / SEND_LONG_DATA (no answer), COM_STMT_RESET / FETCH (OK or ERR written).
    void handle_statement_command(Command cmd, std::string_view body);
    // The packets of statement results (OK or result set each) and the error that stopped them; text rows for
    // COM_QUERY, binary rows for COM_STMT_EXECUTE.
    void write_results(PacketWriter& w, const sql::ExecOutput& out, bool binary);
    void write_ok(uint64_t affected = 0, uint64_t last_insert_id = 0, std::string_view info = {}, uint16_t warnings = 0,
                  uint16_t extra_status = 0);
    void write_eof_or_ok();
    void write_error(const Error& e);
    bool deprecate_eof() const;
    Status open_session(const sql::Account& account, const std::string& user, std::optional<std::string> db,
                        uint16_t collation);

    ServerContext& ctx_;
    asio::any_io_executor executor_;
    Transport transport_;
    std::string client_host_;
    uint32_t id_ = 0;
    uint32_t client_caps_ = 0;
    uint32_t server_caps_ = 0;
    uint8_t seq_ = 0;
    bool multi_statements_ = false;
    bool interactive_ = false;
    std::string nonce_;
    std::string in_;  // read buffer: bytes [in_pos_, in_len_) are unread
    size_t in_pos_ = 0, in_len_ = 0;
    std::string out_;  // write buffer, flushed once per response
    std::unique_ptr<sql::Session> session_;
    std::unordered_map<uint32_t, StatementParams> statements_;  // the session's prepared statements, by id
    bool counted_ = false;
    asio::steady_timer idle_timer_;
    std::chrono::steady_clock::time_point last_activity_;
    int64_t armed_wait_timeout_ = 0;  // the wait_timeout the watchdog's timer was set with
    bool busy_ = false;     // a command is being served (wait_timeout counts only idle time)
    bool finished_ = false;
};

}  // namespace floe::server
