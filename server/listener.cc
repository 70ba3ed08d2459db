#include "server/listener.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include <filesystem>

namespace floe::server {

namespace {
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
}

Listener::Listener(asio::io_context& io, ServerContext& ctx) : io_(io), ctx_(ctx) {}

Result<uint16_t> Listener::start(const std::string& bind_address, uint16_t port, const std::string& socket_path) {
    auto fail = [](const std::string& what) { return make_error(ErrorCode::ER_INTERNAL_ERROR, {what}); };
    boost::system::error_code ec;
    auto address = asio::ip::make_address(bind_address, ec);
    if (ec) return fail("--bind-address '" + bind_address + "' is not an IP address");
    asio::ip::tcp::endpoint endpoint(address, port);
    tcp_.emplace(io_);
    tcp_->open(endpoint.protocol(), ec);
    if (!ec) tcp_->set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) tcp_->bind(endpoint, ec);
    if (!ec) tcp_->listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
        return fail("cannot listen on " + bind_address + ":" + std::to_string(port) + ": " + ec.message() +
                    " (is another server running? choose another --port)");
    }
    uint16_t bound = tcp_->local_endpoint().port();
    asio::co_spawn(io_, accept_loop(*tcp_), asio::detached);

    if (!socket_path.empty()) {
        if (socket_path.size() >= 108) {
            spdlog::warn("socket path '{}' is too long for a Unix socket; not listening on a socket", socket_path);
        } else {
            std::filesystem::remove(socket_path, ec);
            unix_.emplace(io_);
            asio::local::stream_protocol::endpoint ep(socket_path);
            unix_->open(ep.protocol(), ec);
            if (!ec) unix_->bind(ep, ec);
            if (!ec) unix_->listen(asio::socket_base::max_listen_connections, ec);
            if (ec) return fail("cannot listen on socket " + socket_path + ": " + ec.message());
            socket_path_ = socket_path;
            asio::co_spawn(io_, accept_loop(*unix_), asio::detached);
        }
    }
    return bound;
}

void Listener::launch(std::shared_ptr<Connection> conn) {
    {
        std::lock_guard lock(mu_);
        // Drop references to finished connections now and then, so the list stays as long as the live set.
        if (connections_.size() > 64 && connections_.size() % 64 == 0) {
            std::erase_if(connections_, [](const auto& w) { return w.expired(); });
        }
        connections_.push_back(conn);
    }
}

template <class Acceptor>
asio::awaitable<void> Listener::accept_loop(Acceptor& acceptor) {
    for (;;) {
        auto strand = asio::make_strand(io_);
        auto [ec, socket] = co_await acceptor.async_accept(strand, kNoThrow);
        if (ec) {
            if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
            spdlog::warn("accept failed: {}", ec.message());
            continue;
        }
        std::string host = "localhost";  // the Unix socket
        if constexpr (std::is_same_v<Acceptor, asio::ip::tcp::acceptor>) {
            socket.set_option(asio::ip::tcp::no_delay(true), ec);
            host = socket.remote_endpoint(ec).address().to_string();
        }
        auto conn = std::make_shared<Connection>(ctx_, strand, Transport(std::move(socket)), host);
        launch(conn);
        asio::co_spawn(strand, [conn]() { return conn->run(); }, asio::detached);
    }
}

void Listener::stop() {
    boost::system::error_code ec;
    if (tcp_) tcp_->close(ec);
    if (unix_) {
        unix_->close(ec);
        std::filesystem::remove(socket_path_, ec);
    }
    std::vector<std::shared_ptr<Connection>> live;
    {
        std::lock_guard lock(mu_);
        for (auto& w : connections_) {
            if (auto c = w.lock()) live.push_back(std::move(c));
        }
        connections_.clear();
    }
    for (auto& c : live) c->close_async();
}

size_t Listener::live_connections() { return ctx_.open_connections.load(); }

}  // namespace floe::server
