#include "server/protocol/handshake.h"

#include "common/sha.h"
#include "server/protocol/constants.h"
#include "server/protocol/wire.h"

namespace floe::server {

void put_greeting(std::string& out, const Greeting& g) {
    put_u8(out, 10);  // protocol version
    put_nul_str(out, g.server_version);
    put_u32(out, g.connection_id);
    out.append(g.nonce.substr(0, 8));
    put_u8(out, 0);
    put_u16(out, static_cast<uint16_t>(g.capabilities & 0xFFFF));
    put_u8(out, g.collation);
    put_u16(out, g.status);
    put_u16(out, static_cast<uint16_t>(g.capabilities >> 16));
    put_u8(out, static_cast<uint8_t>(g.nonce.size() + 1));
    out.append(10, '\0');
    out.append(g.nonce.substr(8));
    put_u8(out, 0);
    put_nul_str(out, g.auth_plugin);
}

std::optional<HandshakeResponse> parse_handshake_response(std::string_view payload) {
    WireReader r(payload);
    HandshakeResponse h;
    h.capabilities = r.u32();
    if (!r.ok() || !(h.capabilities & cap::kProtocol41)) return std::nullopt;
    h.max_packet = r.u32();
    h.collation = r.u8();
    r.bytes(23);
    if (!r.ok()) return std::nullopt;
    if (r.at_end()) {
        h.ssl_request = true;
        return h;
    }
    h.user = std::string(r.nul_str());
    if (h.capabilities & cap::kPluginAuthLenencData) {
        h.auth_response = std::string(r.lenenc_str());
    } else if (h.capabilities & cap::kSecureConnection) {
        uint8_t n = r.u8();
        h.auth_response = std::string(r.bytes(n));
    } else {
        h.auth_response = std::string(r.nul_str());
    }
    if (!r.ok()) return std::nullopt;
    if ((h.capabilities & cap::kConnectWithDb) && !r.at_end()) {
        std::string db(r.nul_str());
        if (!db.empty()) h.db = std::move(db);  // mysql2 sends an empty name: no database
    }
    if ((h.capabilities & cap::kPluginAuth) && !r.at_end()) h.auth_plugin = std::string(r.nul_str());
    if ((h.capabilities & cap::kConnectAttrs) && !r.at_end()) {
        uint64_t total = r.lenenc_int();
        if (!r.ok() || total > r.remaining()) return std::nullopt;
        WireReader attrs(r.bytes(static_cast<size_t>(total)));
        while (!attrs.at_end() && attrs.ok()) {
            std::string k(attrs.lenenc_str());
            std::string v(attrs.lenenc_str());
            if (attrs.ok()) h.attributes.emplace_back(std::move(k), std::move(v));
        }
    }
    if (!r.ok()) return std::nullopt;
    return h;
}

void put_auth_switch(std::string& out, std::string_view plugin, std::string_view nonce) {
    put_u8(out, 0xFE);
    put_nul_str(out, plugin);
    out.append(nonce);
    put_u8(out, 0);
}

std::optional<ChangeUser> parse_change_user(std::string_view payload, uint32_t capabilities) {
    WireReader r(payload);
    r.u8();  // command byte
    ChangeUser c;
    c.user = std::string(r.nul_str());
    if (capabilities & cap::kSecureConnection) {
        uint8_t n = r.u8();
        c.auth_response = std::string(r.bytes(n));
    } else {
        c.auth_response = std::string(r.nul_str());
    }
    c.db = std::string(r.nul_str());
    if (!r.ok()) return std::nullopt;
    if (r.remaining() >= 2) c.collation = r.u16();
    if ((capabilities & cap::kPluginAuth) && !r.at_end()) c.auth_plugin = std::string(r.nul_str());
    // Connect attributes may follow; they are not needed here.
    return c;
}

std::string make_nonce() {
    uint8_t raw[kNonceLength];
    random_bytes(raw, sizeof raw);
    std::string nonce(kNonceLength, '\0');
    for (size_t i = 0; i < kNonceLength; ++i) nonce[i] = static_cast<char>(0x21 + raw[i] % (0x7f - 0x21));
    return nonce;
}

}  // namespace floe::server
