// Connection-phase packets: the server greeting (HandshakeV10), the client's SSLRequest and
// HandshakeResponse41, the auth-switch request, and COM_CHANGE_USER's payload.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace floe::server {

constexpr size_t kNonceLength = 20;

struct Greeting {
    std::string_view server_version;
    uint32_t connection_id = 0;
    std::string_view nonce;  // 20 bytes
    uint32_t capabilities = 0;
    uint8_t collation = 45;
    uint16_t status = 0;
    std::string_view auth_plugin;
};

void put_greeting(std::string& out, const Greeting& g);

struct HandshakeResponse {
    uint32_t capabilities = 0;
    uint32_t max_packet = 0;
    uint8_t collation = 0;
    bool ssl_request = false;  // the 32-byte SSLRequest: TLS starts, the real response follows
    std::string user;
    std::string auth_response;
    std::optional<std::string> db;  // CONNECT_WITH_DB
    std::string auth_plugin;
    std::vector<std::pair<std::string, std::string>> attributes;
};

// Parses SSLRequest or HandshakeResponse41; nullopt when malformed or pre-4.1.
std::optional<HandshakeResponse> parse_handshake_response(std::string_view payload);

// AuthSwitchRequest: 0xFE, plugin name, plugin data (nonce + NUL).
void put_auth_switch(std::string& out, std::string_view plugin, std::string_view nonce);

struct ChangeUser {
    std::string user;
    std::string auth_response;
    std::string db;
    uint16_t collation = 0;
    std::string auth_plugin;
};

std::optional<ChangeUser> parse_change_user(std::string_view payload, uint32_t capabilities);

// A printable 20-byte nonce (bytes 0x21..0x7e, as MySQL's generator keeps clear of NUL and '$').
std::string make_nonce();

}  // namespace floe::server
