#include "server/transport.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <openssl/ssl.h>

namespace floe::server {

namespace {
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
}

asio::awaitable<std::pair<boost::system::error_code, size_t>> Transport::read_some(asio::mutable_buffer buf) {
    auto [ec, n] = co_await std::visit([&](auto& s) { return s.async_read_some(buf, kNoThrow); }, stream_);
    co_return std::make_pair(ec, n);
}

asio::awaitable<boost::system::error_code> Transport::write_all(asio::const_buffer buf) {
    auto [ec, n] = co_await std::visit([&](auto& s) { return asio::async_write(s, buf, kNoThrow); }, stream_);
    co_return ec;
}

asio::awaitable<boost::system::error_code> Transport::start_tls(asio::ssl::context& ctx) {
    auto* tcp = std::get_if<asio::ip::tcp::socket>(&stream_);
    if (!tcp) co_return asio::error::operation_not_supported;
    asio::ip::tcp::socket moved = std::move(*tcp);
    stream_.emplace<TlsStream>(std::move(moved), ctx);
    auto [ec] = co_await std::get<TlsStream>(stream_).async_handshake(asio::ssl::stream_base::server, kNoThrow);
    co_return ec;
}

void Transport::close() {
    boost::system::error_code ec;
    std::visit(
        [&](auto& s) {
            if constexpr (std::is_same_v<std::decay_t<decltype(s)>, TlsStream>) {
                s.lowest_layer().shutdown(asio::socket_base::shutdown_both, ec);
                s.lowest_layer().close(ec);
            } else {
                s.shutdown(asio::socket_base::shutdown_both, ec);
                s.close(ec);
            }
        },
        stream_);
}

std::string Transport::tls_cipher() const {
    if (!is_tls()) return {};
    auto& s = std::get<TlsStream>(stream_);
    const char* name = SSL_get_cipher_name(const_cast<TlsStream&>(s).native_handle());
    return name ? name : "";
}

std::string Transport::tls_version() const {
    if (!is_tls()) return {};
    auto& s = std::get<TlsStream>(stream_);
    const char* v = SSL_get_version(const_cast<TlsStream&>(s).native_handle());
    return v ? v : "";
}

}  // namespace floe::server
