#include <catch2/catch.hpp>

#include "common/sha.h"
#include "server/auth.h"
#include "server/protocol/handshake.h"

using namespace floe;
using namespace floe::server;

namespace {
std::string hex(std::string_view s) {
    static const char* d = "0123456789abcdef";
    std::string out;
    for (unsigned char c : s) {
        out.push_back(d[c >> 4]);
        out.push_back(d[c & 15]);
    }
    return out;
}
constexpr std::string_view kNonce = "0123456789abcdefghij";
}  // namespace

// Expected values computed by PyMySQL's independent implementation (pymysql._auth).
TEST_CASE("mysql_native_password scramble matches a known vector") {
    CHECK(hex(native_scramble("secret", kNonce)) == "f5cac3f3b3df2133feb57db682c71e6ed433a988");
    Sha1Digest stage2 = sha1(as_view(sha1("secret")));
    CHECK(verify_native_scramble(stage2, kNonce, native_scramble("secret", kNonce)));
    CHECK_FALSE(verify_native_scramble(stage2, kNonce, native_scramble("wrong", kNonce)));
    CHECK_FALSE(verify_native_scramble(stage2, kNonce, ""));
}

TEST_CASE("caching_sha2_password scramble matches a known vector") {
    CHECK(hex(sha2_scramble("secret", kNonce)) == "7e4adda2f2d5ef09b4147518becb0cee2939376203650a8c2bb2815959364bd0");
    Sha256Digest stage2 = sha256(as_view(sha256("secret")));
    CHECK(verify_sha2_scramble(stage2, kNonce, sha2_scramble("secret", kNonce)));
    CHECK_FALSE(verify_sha2_scramble(stage2, kNonce, sha2_scramble("secret", "01234567890123456789\0")));
}

TEST_CASE("greeting and handshake response round trip") {
    std::string nonce = make_nonce();
    CHECK(nonce.size() == 20);
    for (char c : nonce) CHECK((c > 0x20 && c < 0x7f));
    std::string g;
    put_greeting(g, Greeting{"8.0.35-floe", 7, nonce, 0xFFFFFFFF, 45, 2, "mysql_native_password"});
    CHECK(g[0] == 10);
    CHECK(g.substr(1, 11) == "8.0.35-floe");

    // A HandshakeResponse41 as libmariadb sends it: caps, max packet, charset, filler, user, lenenc auth, db,
    // plugin, attributes.
    std::string r;
    uint32_t caps = 0x00bfa28d | (1u << 21);
    for (int i = 0; i < 4; ++i) r.push_back(static_cast<char>((caps >> (8 * i)) & 0xFF));
    r += std::string("\x00\x00\x00\x01", 4);
    r.push_back(45);
    r += std::string(23, '\0');
    r += std::string("app\0", 4);
    r.push_back(20);
    r += std::string(20, 'S');
    r += std::string("db1\0", 4);
    r += std::string("mysql_native_password\0", 22);
    r += std::string("\x0a\x03_os\x05Linux", 11);
    auto h = parse_handshake_response(r);
    REQUIRE(h.has_value());
    CHECK(h->user == "app");
    CHECK(h->auth_response.size() == 20);
    CHECK(*h->db == "db1");
    CHECK(h->auth_plugin == "mysql_native_password");
    REQUIRE(h->attributes.size() == 1);
    CHECK(h->attributes[0].second == "Linux");
    CHECK_FALSE(parse_handshake_response(r.substr(0, 10)).has_value());
    auto ssl = parse_handshake_response(r.substr(0, 32));
    REQUIRE(ssl.has_value());
    CHECK(ssl->ssl_request);
}
