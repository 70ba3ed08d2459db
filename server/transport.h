// Transport: the byte stream under one connection — TCP, TCP upgraded to TLS, or a Unix socket — behind one
// small interface of awaitable reads and writes that report errors as values (no exceptions).
// Thread-safety: use from the connection's executor only.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>

#include <string>
#include <utility>
#include <variant>

namespace floe::server {

namespace asio = boost::asio;

class Transport {
public:
    explicit Transport(asio::ip::tcp::socket s) : stream_(std::move(s)) {}
    explicit Transport(asio::local::stream_protocol::socket s) : stream_(std::move(s)) {}

    asio::awaitable<std::pair<boost::system::error_code, size_t>> read_some(asio::mutable_buffer buf);
    asio::awaitable<boost::system::error_code> write_all(asio::const_buffer buf);
    // Upgrades a TCP connection to TLS (server side of the handshake).
    asio::awaitable<boost::system::error_code> start_tls(asio::ssl::context& ctx);
    void close();

    bool is_tls() const { return stream_.index() == 2; }
    bool is_unix() const { return stream_.index() == 1; }
    std::string tls_cipher() const;
    std::string tls_version() const;

private:
    using TlsStream = asio::ssl::stream<asio::ip::tcp::socket>;
    std::variant<asio::ip::tcp::socket, asio::local::stream_protocol::socket, TlsStream> stream_;
};

}  // namespace floe::server
