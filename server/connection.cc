#include "server/connection.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include <cstring>

#include "server/auth.h"
#include "server/protocol/binary_rows.h"
#include "server/protocol/constants.h"
#include "server/protocol/generic.h"
#include "server/protocol/handshake.h"
#include "server/protocol/packet_io.h"
#include "server/protocol/text_rows.h"
#include "server/protocol/wire.h"

namespace floe::server {

namespace {

constexpr size_t kInitialReadBuffer = 1024;  // an idle connection holds this much: 10,000 of them hold 10 MB
constexpr size_t kKeepBuffer = 64 * 1024;  // buffers grown past this are released after use
constexpr size_t kHandshakeMaxPayload = 64 * 1024;

std::string_view command_name(Command c) {
    switch (c) {
        case Command::kQuery: return "Query";
        case Command::kInitDb: return "Init DB";
        case Command::kFieldList: return "Field List";
        case Command::kStatistics: return "Statistics";
        case Command::kPing: return "Ping";
        case Command::kProcessKill: return "Kill";
        case Command::kChangeUser: return "Change user";
        case Command::kSetOption: return "Set option";
        case Command::kResetConnection: return "Reset connection";
        case Command::kStmtPrepare: return "Prepare";
        case Command::kStmtExecute: return "Execute";
        case Command::kStmtClose: return "Close stmt";
        case Command::kStmtReset: return "Reset stmt";
        case Command::kStmtSendLongData: return "Long Data";
        case Command::kStmtFetch: return "Fetch";
        default: return "Unknown";
    }
}

}  // namespace

Connection::Connection(ServerContext& ctx, asio::any_io_executor executor, Transport transport,
                       std::string client_host)
    : ctx_(ctx),
      executor_(std::move(executor)),
      transport_(std::move(transport)),
      client_host_(std::move(client_host)),
      idle_timer_(executor_) {}

Connection::~Connection() {
    if (counted_) ctx_.open_connections.fetch_sub(1);
}

void Connection::close_async() {
    asio::post(executor_, [self = shared_from_this()] { self->transport_.close(); });
}

bool Connection::deprecate_eof() const { return client_caps_ & cap::kDeprecateEof; }

asio::awaitable<Connection::ReadStatus> Connection::read_message(std::string& payload, size_t max_payload,
                                                                  bool exact) {
    for (;;) {
        std::string_view buffered(in_.data() + in_pos_, in_len_ - in_pos_);
        FrameResult r = decode_message(buffered, seq_, max_payload, payload);
        if (r.kind == FrameResult::Kind::kComplete) {
            in_pos_ += r.consumed;
            if (in_pos_ == in_len_) {
                in_pos_ = in_len_ = 0;
                if (in_.size() > kKeepBuffer) {
                    in_.resize(kInitialReadBuffer);
                    in_.shrink_to_fit();
                }
            }
            co_return ReadStatus::kOk;
        }
        if (r.kind == FrameResult::Kind::kTooLarge) co_return ReadStatus::kTooLarge;
        if (r.kind == FrameResult::Kind::kOutOfOrder) co_return ReadStatus::kOutOfOrder;
        if (in_pos_ > 0) {  // keep unread bytes at the front
            std::memmove(in_.data(), in_.data() + in_pos_, in_len_ - in_pos_);
            in_len_ -= in_pos_;
            in_pos_ = 0;
        }
        size_t want = std::max(r.need, in_len_ + kInitialReadBuffer);
        if (in_.size() < want) in_.resize(std::max(want, in_.size() * 2));
        size_t room = exact ? r.need - in_len_ : in_.size() - in_len_;
        auto [ec, n] = co_await transport_.read_some(asio::buffer(in_.data() + in_len_, room));
        if (ec || n == 0) co_return ReadStatus::kClosed;
        in_len_ += n;
        ctx_.engine.counters().bytes_received.fetch_add(n, std::memory_order_relaxed);
    }
}

asio::awaitable<void> Connection::discard_message() {
    size_t chunk_left = 0;  // body bytes of the current packet still to drop
    bool last_chunk = false;
    bool have_header = false;
    for (;;) {
        // Drop what is buffered.
        while (in_pos_ < in_len_) {
            if (!have_header) {
                if (in_len_ - in_pos_ < 4) break;
                const auto* h = reinterpret_cast<const uint8_t*>(in_.data() + in_pos_);
                chunk_left = h[0] | (h[1] << 8) | (static_cast<size_t>(h[2]) << 16);
                last_chunk = chunk_left < kMaxPacketChunk;
                ++seq_;
                in_pos_ += 4;
                have_header = true;
            }
            size_t take = std::min(chunk_left, in_len_ - in_pos_);
            in_pos_ += take;
            chunk_left -= take;
            if (chunk_left == 0) {
                if (last_chunk) {
                    in_pos_ = in_len_ = 0;
                    co_return;
                }
                have_header = false;
            }
        }
        if (in_pos_ > 0) {
            std::memmove(in_.data(), in_.data() + in_pos_, in_len_ - in_pos_);
            in_len_ -= in_pos_;
            in_pos_ = 0;
        }
        if (in_.size() < kKeepBuffer) in_.resize(kKeepBuffer);
        auto [ec, n] = co_await transport_.read_some(asio::buffer(in_.data() + in_len_, in_.size() - in_len_));
        if (ec || n == 0) co_return;
        in_len_ += n;
    }
}

asio::awaitable<bool> Connection::flush() {
    if (out_.empty()) co_return true;
    if (session_ && session_->sync_pending() && !co_await wait_for_sync()) {
        // The commit may not survive a crash: the client must not take an OK for it (as if the server died).
        spdlog::error("connection {}: a commit's log could not be synced; closing the connection", id_);
        co_return false;
    }
    auto ec = co_await transport_.write_all(asio::buffer(out_));
    ctx_.engine.counters().bytes_sent.fetch_add(out_.size(), std::memory_order_relaxed);
    out_.clear();
    if (out_.capacity() > kKeepBuffer) out_.shrink_to_fit();
    co_return !ec;
}

asio::awaitable<bool> Connection::wait_for_sync() {
    // A lone commit — no other statement running either — syncs here. Not marked as blocking: bringing in
    // another thread would cost the very wake-up this saves (the other I/O threads serve the loop meanwhile).
    if (ctx_.engine.counters().threads_running.load(std::memory_order_relaxed) == 0) {
        if (auto ok = session_->sync_if_alone()) co_return *ok;
    }
    // The WalSyncer tells on its own thread: the coroutine resumes on this connection's executor.
    co_return co_await asio::async_initiate<decltype(asio::use_awaitable), void(bool)>(
        [this](auto handler) {
            auto shared = std::make_shared<decltype(handler)>(std::move(handler));
            session_->when_synced([shared](bool ok) {
                auto executor = asio::get_associated_executor(*shared);
                asio::post(executor, [shared, ok]() mutable { std::move (*shared)(ok); });
            });
        },
        asio::use_awaitable);
}

asio::awaitable<void> Connection::send_error(const Error& e) {
    write_error(e);
    co_await flush();
}

void Connection::write_error(const Error& e) {
    PacketWriter w(out_);
    w.set_sequence(seq_);
    w.begin_packet();
    put_err(out_, e);
    w.end_packet();
    seq_ = w.sequence();
}

void Connection::write_ok(uint64_t affected, uint64_t last_insert_id, std::string_view info, uint16_t warnings,
                          uint16_t extra_status) {
    PacketWriter w(out_);
    w.set_sequence(seq_);
    w.begin_packet();
    uint16_t status = (session_ ? session_->status_flags() : status::kAutocommit) | extra_status;
    put_ok(out_, OkPacket{affected, last_insert_id, status, warnings, info});
    w.end_packet();
    seq_ = w.sequence();
}

void Connection::write_eof_or_ok() {
    PacketWriter w(out_);
    w.set_sequence(seq_);
    w.begin_packet();
    uint16_t status = session_ ? session_->status_flags() : status::kAutocommit;
    if (deprecate_eof()) {
        put_ok(out_, OkPacket{0, 0, status, 0, {}}, true);
    } else {
        put_eof(out_, 0, status);
    }
    w.end_packet();
    seq_ = w.sequence();
}

asio::awaitable<void> Connection::run() {
    auto& engine = ctx_.engine;
    engine.counters().connections.fetch_add(1, std::memory_order_relaxed);
    size_t open = ctx_.open_connections.fetch_add(1) + 1;
    counted_ = true;
    in_.resize(kInitialReadBuffer);
    uint64_t max_connections = static_cast<uint64_t>(engine.variables().get(*sql::find_variable("max_connections")).to_int());
    try {
        if (open > max_connections) {
            seq_ = 0;
            co_await send_error(make_error(ErrorCode::ER_CON_COUNT_ERROR));
            engine.counters().aborted_connects.fetch_add(1);
            transport_.close();
            co_return;
        }
        if (!co_await handshake()) {
            engine.counters().aborted_connects.fetch_add(1);
            transport_.close();
            co_return;
        }
        std::string payload;
        const sql::VarDef& wait_timeout = *sql::find_variable("wait_timeout");
        last_activity_ = std::chrono::steady_clock::now();
        asio::co_spawn(executor_, [self = shared_from_this()] { return self->idle_watchdog(); }, asio::detached);
        for (;;) {
            seq_ = 0;
            size_t max = static_cast<size_t>(session_->max_allowed_packet());
            busy_ = false;
            ReadStatus st = co_await read_message(payload, max);
            busy_ = true;
            last_activity_ = std::chrono::steady_clock::now();
            if (st == ReadStatus::kTooLarge) {
                co_await discard_message();
                co_await send_error(make_error(ErrorCode::ER_NET_PACKET_TOO_LARGE));
                spdlog::info("connection {}: packet bigger than max_allowed_packet ({} bytes); closing", id_, max);
                break;
            }
            if (st == ReadStatus::kOutOfOrder) {
                co_await send_error(make_error(ErrorCode::ER_NET_PACKETS_OUT_OF_ORDER));
                break;
            }
            if (st != ReadStatus::kOk) {
                if (session_->kill_flag().level() != KillLevel::kConnection) {
                    engine.counters().aborted_clients.fetch_add(1);
                }
                break;
            }
            if (!co_await handle_command(payload)) break;
            last_activity_ = std::chrono::steady_clock::now();  // idle time starts when the answer is sent
            if (session_->variable(wait_timeout).to_int() != armed_wait_timeout_) idle_timer_.cancel();  // re-arm
            if (session_->kill_flag().level() == KillLevel::kConnection) break;
            if (payload.capacity() > kKeepBuffer) {
                payload.clear();
                payload.shrink_to_fit();
            }
        }
    } catch (const std::exception& e) {
        spdlog::error("connection {}: {}; closing it", id_, e.what());
    }
    spdlog::debug("connection {} closed", id_);
    finished_ = true;
    idle_timer_.cancel();  // lets the watchdog end now, not after wait_timeout
    transport_.close();
}

asio::awaitable<void> Connection::idle_watchdog() {
    const sql::VarDef& wait_timeout = *sql::find_variable("wait_timeout");
    while (!finished_) {
        armed_wait_timeout_ = session_->variable(wait_timeout).to_int();
        auto limit = std::chrono::seconds(armed_wait_timeout_);
        // While a command runs, idling can start no earlier than now: look again a whole limit later.
        auto idle_since = busy_ ? std::chrono::steady_clock::now() : last_activity_;
        idle_timer_.expires_at(idle_since + limit);  // a changed wait_timeout cancels this wait (run loop)
        co_await idle_timer_.async_wait(asio::as_tuple(asio::use_awaitable));
        if (finished_) co_return;
        if (busy_ || std::chrono::steady_clock::now() < last_activity_ + limit) continue;
        spdlog::info("connection {}: idle for more than wait_timeout ({} s); closing", id_, limit.count());
        seq_ = 0;
        co_await send_error(make_error(ErrorCode::ER_CLIENT_INTERACTION_TIMEOUT));
        transport_.close();
        co_return;
    }
}

asio::awaitable<bool> Connection::handshake() {
    auto& engine = ctx_.engine;
    id_ = engine.allocate_connection_id();
    nonce_ = make_nonce();
    server_caps_ = cap::kServerDefault | (ctx_.tls && !transport_.is_unix() ? cap::kSsl : 0);
    std::string version = engine.variables().get(*sql::find_variable("version")).to_text();
    std::string plugin = engine.variables().get(*sql::find_variable("default_authentication_plugin")).to_text();
    {
        PacketWriter w(out_);
        w.begin_packet();
        put_greeting(out_, Greeting{version, id_, nonce_, server_caps_, static_cast<uint8_t>(kDefaultCollationId),
                                    status::kAutocommit, plugin});
        w.end_packet();
        seq_ = w.sequence();
    }
    if (!co_await flush()) co_return false;

    std::string payload;
    if (co_await read_message(payload, kHandshakeMaxPayload, /*exact=*/true) != ReadStatus::kOk) co_return false;
    auto response = parse_handshake_response(payload);
    if (!response) {
        co_await send_error(make_error(ErrorCode::ER_HANDSHAKE_ERROR));
        co_return false;
    }
    if (response->ssl_request) {
        if (!(server_caps_ & cap::kSsl)) {
            co_await send_error(make_error(ErrorCode::ER_HANDSHAKE_ERROR));
            co_return false;
        }
        auto ec = co_await transport_.start_tls(*ctx_.tls);
        if (ec) {
            spdlog::debug("connection {}: TLS handshake failed: {}", id_, ec.message());
            co_return false;
        }
        if (co_await read_message(payload, kHandshakeMaxPayload) != ReadStatus::kOk) co_return false;
        response = parse_handshake_response(payload);
        if (!response || response->ssl_request) {
            co_await send_error(make_error(ErrorCode::ER_HANDSHAKE_ERROR));
            co_return false;
        }
    }
    // Clients set bits we did not offer (mysql2: QUERY_ATTRIBUTES); only the intersection counts.
    client_caps_ = response->capabilities & server_caps_;
    multi_statements_ = client_caps_ & cap::kMultiStatements;
    interactive_ = client_caps_ & cap::kInteractive;
    bool secure = transport_.is_tls() || transport_.is_unix();
    if (!secure && engine.variables().get(*sql::find_variable("require_secure_transport")).to_int()) {
        co_await send_error(make_error(ErrorCode::ER_SECURE_TRANSPORT_REQUIRED));
        co_return false;
    }
    std::string client_plugin = (client_caps_ & cap::kPluginAuth) ? response->auth_plugin : "mysql_native_password";
    if (client_plugin.empty()) client_plugin = "mysql_native_password";
    auto account = co_await authenticate(response->user, client_plugin, response->auth_response);
    if (!account) co_return false;
    auto opened = open_session(*account, response->user, response->db, response->collation);
    if (!opened.ok()) {
        co_await send_error(opened.error());
        co_return false;
    }
    spdlog::debug("connection {}: {}@{} logged in{}{}", id_, response->user, client_host_,
                  transport_.is_tls() ? " over TLS " + transport_.tls_version() : "",
                  response->db ? " to " + *response->db : "");
    write_ok();
    co_return co_await flush();
}

Status Connection::open_session(const sql::Account& account, const std::string& user, std::optional<std::string> db,
                                uint16_t collation) {
    if (db && !ctx_.engine.database_exists(*db)) return make_error(ErrorCode::ER_BAD_DB_ERROR, {*db});
    sql::ConnectionInfo info;
    info.id = id_;
    info.user = user;
    info.client_host = client_host_;
    info.account_host = account.host;
    info.db = db.value_or("");
    info.collation_id = collation_by_id(collation) ? collation : kDefaultCollationId;
    info.interactive = interactive_;
    info.found_rows = client_caps_ & cap::kFoundRows;
    info.local_files = client_caps_ & server_caps_ & cap::kLocalFiles;
    info.transport = transport_.is_unix() ? "Socket" : "TCP/IP";
    info.ssl_cipher = transport_.tls_cipher();
    info.ssl_version = transport_.tls_version();
    session_.reset();  // COM_CHANGE_USER: the old session leaves the process list first
    session_ = ctx_.engine.open_session(std::move(info));
    session_->defer_syncs(true);  // flush() holds each answer until the commits before it are on disk
    if (interactive_) {
        // Interactive clients get interactive_timeout as their wait_timeout (as MySQL does).
        session_->set_variable(*sql::find_variable("wait_timeout"),
                               session_->global_variable(*sql::find_variable("interactive_timeout")));
    }
    // KILL calls this from another session's thread while holding the engine's session list. It must not take
    // a strong reference there: if that became the last one, the connection (and its session) would be
    // destroyed inside KILL. So only the weak pointer travels, to this connection's strand.
    session_->set_connection_closer([weak = weak_from_this(), strand = executor_] {
        asio::post(strand, [weak] {
            if (auto self = weak.lock()) self->transport_.close();
        });
    });
    return {};
}

asio::awaitable<std::optional<sql::Account>> Connection::authenticate(const std::string& user, std::string plugin,
                                                                        std::string response) {
    auto denied = [&](bool used_password) {
        return make_error(ErrorCode::ER_ACCESS_DENIED_ERROR, {user, client_host_, used_password ? "YES" : "NO"});
    };
    auto account = ctx_.engine.users().find(user, client_host_);
    if (!account) {
        spdlog::info("connection {}: access denied for unknown user '{}'@'{}'", id_, user, client_host_);
        co_await send_error(denied(!response.empty()));
        co_return std::nullopt;
    }
    std::string payload;
    if (plugin != account->plugin) {
        nonce_ = make_nonce();
        PacketWriter w(out_);
        w.set_sequence(seq_);
        w.begin_packet();
        put_auth_switch(out_, account->plugin, nonce_);
        w.end_packet();
        seq_ = w.sequence();
        if (!co_await flush()) co_return std::nullopt;
        if (co_await read_message(payload, kHandshakeMaxPayload) != ReadStatus::kOk) co_return std::nullopt;
        response = payload;
        plugin = account->plugin;
        spdlog::debug("connection {}: auth switch to {} answered with {} bytes", id_, plugin, response.size());
    }
    auto more_data = [&](std::string_view data) -> asio::awaitable<bool> {
        PacketWriter w(out_);
        w.set_sequence(seq_);
        w.begin_packet();
        put_u8(out_, 0x01);
        out_.append(data);
        w.end_packet();
        seq_ = w.sequence();
        co_return co_await flush();
    };
    bool ok = false;
    bool used_password = !response.empty();
    if (account->plugin == sql::kNativePlugin) {
        ok = account->has_password ? verify_native_scramble(account->native_hash, nonce_, response) : response.empty();
    } else if (!account->has_password) {
        ok = response.empty() || response == std::string(1, '\0');
    } else if (verify_sha2_scramble(account->sha2_hash, nonce_, response)) {
        ok = co_await more_data("\x03");  // fast_auth_success
    } else {
        // Full authentication: the password itself, in cleartext over TLS / the socket, RSA-encrypted otherwise.
        if (!co_await more_data("\x04")) co_return std::nullopt;
        if (co_await read_message(payload, kHandshakeMaxPayload) != ReadStatus::kOk) co_return std::nullopt;
        bool secure = transport_.is_tls() || transport_.is_unix();
        std::string password;
        bool have_password = false;
        if (secure) {
            password = payload;
            have_password = true;
        } else {
            if (payload == std::string(1, '\x02')) {
                if (!co_await more_data(ctx_.rsa.public_pem())) co_return std::nullopt;
                if (co_await read_message(payload, kHandshakeMaxPayload) != ReadStatus::kOk) co_return std::nullopt;
            }
            if (payload.size() == ctx_.rsa.size_bytes()) {
                auto plain = ctx_.rsa.decrypt(payload);
                if (plain.ok()) {
                    password = std::move(*plain);
                    for (size_t i = 0; i < password.size(); ++i) password[i] ^= nonce_[i % nonce_.size()];
                    have_password = true;
                }
            } else {
                spdlog::info("connection {}: refused a cleartext password on an unencrypted connection", id_);
            }
        }
        if (have_password) {
            if (!password.empty() && password.back() == '\0') password.pop_back();
            ok = account->check_password(password);
        }
    }
    if (!ok) {
        spdlog::info("connection {}: access denied for '{}'@'{}'", id_, user, client_host_);
        co_await send_error(denied(used_password));
        co_return std::nullopt;
    }
    co_return account;
}

asio::awaitable<bool> Connection::handle_command(std::string& payload) {
    if (payload.empty()) {
        co_await send_error(make_error(ErrorCode::ER_MALFORMED_PACKET));
        co_return false;
    }
    auto cmd = static_cast<Command>(static_cast<uint8_t>(payload[0]));
    std::string_view body(payload.data() + 1, payload.size() - 1);
    if (cmd == Command::kQuit) co_return false;
    if (cmd == Command::kQuery) co_return co_await handle_query(body);
    if (cmd == Command::kChangeUser) co_return co_await handle_change_user(payload);
    if (cmd == Command::kStmtPrepare) co_return co_await handle_prepare(body);
    if (cmd == Command::kStmtExecute) co_return co_await handle_execute(body);

    session_->begin_command(command_name(cmd));
    switch (cmd) {
        case Command::kPing: write_ok(); break;
        case Command::kInitDb: {
            auto r = session_->use_database(body);
            if (r.ok()) {
                write_ok();
            } else {
                session_->end_command();
                co_await send_error(r.error());
                co_return true;
            }
            break;
        }
        case Command::kFieldList: {
            WireReader r(body);
            std::string table(r.nul_str());
            std::string wildcard(r.rest());
            auto columns = session_->field_list(table, wildcard);
            if (!columns.ok()) {
                session_->end_command();
                co_await send_error(columns.error());
                co_return true;
            }
            PacketWriter w(out_);
            w.set_sequence(seq_);
            for (const auto& c : *columns) {
                w.begin_packet();
                put_column_definition(out_, c);
                put_u8(out_, 0xFB);  // no default value shown
                w.end_packet();
            }
            seq_ = w.sequence();
            write_eof_or_ok();
            break;
        }
        case Command::kStatistics: {
            PacketWriter w(out_);
            w.set_sequence(seq_);
            w.write_packet(session_->statistics());
            seq_ = w.sequence();
            break;
        }
        case Command::kProcessKill: {
            WireReader r(body);
            uint32_t target = r.u32();
            auto st = r.ok() ? ctx_.engine.kill(*session_, target, KillLevel::kConnection)
                             : Status(make_error(ErrorCode::ER_MALFORMED_PACKET));
            if (st.ok()) {
                write_ok();
            } else {
                session_->end_command();
                co_await send_error(st.error());
                co_return true;
            }
            break;
        }
        case Command::kSetOption: {
            WireReader r(body);
            uint16_t option = r.u16();
            if (!r.ok() || option > 1) {
                session_->end_command();
                co_await send_error(make_error(ErrorCode::ER_UNKNOWN_COM_ERROR));
                co_return true;
            }
            multi_statements_ = option == 0;
            write_eof_or_ok();
            break;
        }
        case Command::kResetConnection:
            session_->reset();  // closes the session's prepared statements
            statements_.clear();
            write_ok();
            break;
        case Command::kStmtClose:
        case Command::kStmtSendLongData:
        case Command::kStmtReset:
        case Command::kStmtFetch: handle_statement_command(cmd, body); break;
        default:
            session_->end_command();
            co_await send_error(make_error(ErrorCode::ER_UNKNOWN_COM_ERROR));
            co_return true;
    }
    session_->end_command();
    co_return co_await flush();
}

sql::ExecOutput Connection::run_statements(const std::function<sql::ExecOutput()>& work) {
    // Inline on this I/O thread, which counts as busy meanwhile (another joins the loop if none is left).
    IoThreads::Busy busy(ctx_.io_threads);
    try {
        return work();
    } catch (const std::exception& e) {
        spdlog::error("connection {}: internal error running a statement: {}", id_, e.what());
        sql::ExecOutput failed;
        failed.error = make_error(ErrorCode::ER_INTERNAL_ERROR, {e.what()});
        return failed;
    }
}

asio::awaitable<bool> Connection::handle_query(std::string_view sql) {
    session_->begin_command("Query");
    spdlog::trace("connection {}: query {}", id_, sql);
    sql::ExecOutput out = run_statements([&] { return session_->execute(sql, multi_statements_); });
    for (;;) {
        PacketWriter w(out_);
        w.set_sequence(seq_);
        write_results(w, out, /*binary=*/false);
        if (!out.local_infile) {
            seq_ = w.sequence();
            break;
        }
        // LOAD DATA LOCAL INFILE: ask for the file (0xFB + name); the client sends it in packets and ends
        // with an empty one (also when it could not read the file).
        w.begin_packet();
        out_.push_back('\xfb');
        out_.append(*out.local_infile);
        w.end_packet();
        seq_ = w.sequence();
        if (!co_await flush()) co_return false;
        std::string data, chunk;
        for (;;) {
            ReadStatus st = co_await read_message(chunk, session_->max_allowed_packet());
            if (st != ReadStatus::kOk) {
                session_->end_command();
                if (st == ReadStatus::kTooLarge) {
                    co_await discard_message();
                    co_await send_error(make_error(ErrorCode::ER_NET_PACKET_TOO_LARGE));
                } else if (st == ReadStatus::kOutOfOrder) {
                    co_await send_error(make_error(ErrorCode::ER_NET_PACKETS_OUT_OF_ORDER));
                }
                co_return false;
            }
            if (chunk.empty()) break;
            data.append(chunk);
        }
        out = run_statements([&] { return session_->continue_local_infile(data); });
    }
    session_->end_command();
    co_return co_await flush();
}

void Connection::write_results(PacketWriter& w, const sql::ExecOutput& out, bool binary) {
    for (size_t i = 0; i < out.results.size(); ++i) {
        bool more = i + 1 < out.results.size() || out.error.has_value() || out.local_infile.has_value();
        uint16_t status = session_->status_flags() | (more ? status::kMoreResultsExist : 0);
        const auto& r = out.results[i];
        if (const auto* ok = std::get_if<sql::OkResult>(&r.body)) {
            w.begin_packet();
            put_ok(out_, OkPacket{ok->affected_rows, ok->last_insert_id, status, r.warning_count, ok->info});
            w.end_packet();
        } else if (binary) {
            write_binary_result_set(w, std::get<sql::ResultSet>(r.body), deprecate_eof(), r.warning_count, status);
        } else {
            write_text_result_set(w, std::get<sql::ResultSet>(r.body), deprecate_eof(), r.warning_count, status);
        }
    }
    if (out.error) {
        w.begin_packet();
        put_err(out_, *out.error);
        w.end_packet();
    }
}

asio::awaitable<bool> Connection::handle_prepare(std::string_view sql) {
    session_->begin_command("Prepare");
    Result<sql::PreparedShape> shape = make_error(ErrorCode::ER_UNKNOWN_ERROR);
    run_statements([&] {
        shape = session_->prepare(sql);
        return sql::ExecOutput{};
    });
    session_->end_command();
    if (!shape.ok()) {
        co_await send_error(shape.error());
        co_return true;
    }
    statements_[shape->id] = StatementParams{shape->param_count, {}, {}};
    PacketWriter w(out_);
    w.set_sequence(seq_);
    auto warnings = static_cast<uint16_t>(std::min<size_t>(session_->warnings().size(), 65535));
    write_prepare_ok(w, shape->id, shape->param_count, shape->columns, warnings, deprecate_eof());
    seq_ = w.sequence();
    co_return co_await flush();
}

asio::awaitable<bool> Connection::handle_execute(std::string_view body) {
    session_->begin_command("Execute");
    auto id = read_statement_id(body);
    auto it = id ? statements_.find(*id) : statements_.end();
    std::optional<Error> refused;
    ExecuteRequest request;
    if (!id) {
        refused = make_error(ErrorCode::ER_MALFORMED_PACKET);
    } else if (it == statements_.end()) {
        refused = make_error(ErrorCode::ER_UNKNOWN_STMT_HANDLER, {std::to_string(*id), "mysqld_stmt_execute"});
    } else if (it->second.long_data_too_large) {
        it->second.long_data_too_large = false;
        it->second.long_data.clear();
        refused = make_error(ErrorCode::ER_WRONG_ARGUMENTS, {"mysqld_stmt_send_long_data (more than max_allowed_packet)"});
    } else if (!parse_execute(body, it->second, request)) {
        refused = make_error(ErrorCode::ER_WRONG_ARGUMENTS, {"mysqld_stmt_execute"});
    }
    if (refused) {
        session_->end_command();
        co_await send_error(*refused);
        co_return true;
    }
    sql::ExecOutput out = run_statements([&] { return session_->execute_prepared(request.stmt_id, request.params); });
    PacketWriter w(out_);
    w.set_sequence(seq_);
    write_results(w, out, /*binary=*/true);
    seq_ = w.sequence();
    session_->end_command();
    co_return co_await flush();
}

void Connection::handle_statement_command(Command cmd, std::string_view body) {
    auto id = read_statement_id(body);
    auto it = id ? statements_.find(*id) : statements_.end();
    switch (cmd) {
        case Command::kStmtClose:
            // No answer; an unknown id is ignored (mysql2 closes twice).
            if (it != statements_.end()) {
                session_->close_prepared(it->first);
                statements_.erase(it);
            }
            return;
        case Command::kStmtSendLongData: {
            // No answer; the data joins the parameter's value at the next execute.
            WireReader r(body);
            r.u32();
            uint16_t param = r.u16();
            if (!r.ok() || it == statements_.end() || param >= it->second.count) return;
            StatementParams& st = it->second;
            st.long_data.resize(st.count);
            auto& data = st.long_data[param];
            if (!data) data.emplace();
            std::string_view chunk = r.rest();
            if (data->size() + chunk.size() > session_->max_allowed_packet()) {
                st.long_data_too_large = true;
                data.reset();
                return;
            }
            data->append(chunk);
            return;
        }
        case Command::kStmtReset:
            if (it == statements_.end()) {
                std::string name = id ? std::to_string(*id) : "?";
                write_error(make_error(ErrorCode::ER_UNKNOWN_STMT_HANDLER, {name, "mysqld_stmt_reset"}));
                return;
            }
            it->second.long_data.clear();
            it->second.long_data_too_large = false;
            write_ok();
            return;
        default: {
            // COM_STMT_FETCH: results are sent whole at execute, no cursor is ever open.
            std::string name = id ? std::to_string(*id) : "?";
            if (it == statements_.end()) {
                write_error(make_error(ErrorCode::ER_UNKNOWN_STMT_HANDLER, {name, "mysqld_stmt_fetch"}));
            } else {
                write_error(make_error(ErrorCode::ER_STMT_HAS_NO_OPEN_CURSOR, {name}));
            }
            return;
        }
    }
}

asio::awaitable<bool> Connection::handle_change_user(std::string_view payload) {
    auto request = parse_change_user(payload, client_caps_);
    if (!request) {
        co_await send_error(make_error(ErrorCode::ER_MALFORMED_PACKET));
        co_return false;
    }
    // The client scrambled with this connection's latest nonce (libmariadb keeps using it even after a switch
    // to the same plugin), so the request is verified exactly like a handshake response.
    std::string plugin = request->auth_plugin.empty() ? std::string(sql::kNativePlugin) : request->auth_plugin;
    auto account = co_await authenticate(request->user, plugin, request->auth_response);
    if (!account) co_return false;
    std::optional<std::string> db;
    if (!request->db.empty()) db = request->db;
    uint16_t collation = request->collation ? request->collation : kDefaultCollationId;
    statements_.clear();  // the old session's prepared statements go with it
    auto st = open_session(*account, request->user, db, collation);
    if (!st.ok()) {
        co_await send_error(st.error());
        co_return false;
    }
    write_ok();
    co_return co_await flush();
}

}  // namespace floe::server
