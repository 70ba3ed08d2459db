// Listener: accepts TCP and Unix-socket clients and starts one Connection coroutine per client, each on its own
// strand. Keeps weak references to live connections so shutdown can close them.
// Thread-safety: start/stop from the thread that owns it; connections register from I/O threads (locked).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "server/connection.h"

namespace floe::server {

class Listener {
public:
    Listener(asio::io_context& io, ServerContext& ctx);

    // Binds and starts accepting; returns the TCP port actually bound (port 0 picks one).
    Result<uint16_t> start(const std::string& bind_address, uint16_t port, const std::string& socket_path);
    // Stops accepting and closes every connection.
    void stop();
    size_t live_connections();

private:
    // Accepts on a TCP or Unix acceptor until it is closed; each client gets a strand and a Connection.
    template <class Acceptor>
    asio::awaitable<void> accept_loop(Acceptor& acceptor);
    void launch(std::shared_ptr<Connection> conn);

    asio::io_context& io_;
    ServerContext& ctx_;
    std::optional<asio::ip::tcp::acceptor> tcp_;
    std::optional<asio::local::stream_protocol::acceptor> unix_;
    std::string socket_path_;
    std::mutex mu_;  // guards connections_
    std::vector<std::weak_ptr<Connection>> connections_;
};

}  // namespace floe::server
