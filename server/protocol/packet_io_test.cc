#include <catch2/catch.hpp>

#include "server/protocol/constants.h"
#include "server/protocol/packet_io.h"

using namespace floe::server;

namespace {
struct Header {
    size_t len;
    uint8_t seq;
};
std::vector<Header> headers(const std::string& wire) {
    std::vector<Header> out;
    size_t pos = 0;
    while (pos < wire.size()) {
        size_t len = static_cast<uint8_t>(wire[pos]) | (static_cast<uint8_t>(wire[pos + 1]) << 8) |
                     (static_cast<size_t>(static_cast<uint8_t>(wire[pos + 2])) << 16);
        out.push_back({len, static_cast<uint8_t>(wire[pos + 3])});
        pos += 4 + len;
    }
    return out;
}
}  // namespace

TEST_CASE("payloads of 16 MiB - 1, 16 MiB and 16 MiB + 1 are split and joined") {
    struct Case {
        size_t size;
        std::vector<size_t> chunks;
    };
    for (const auto& c : {Case{0xFFFFFE, {0xFFFFFE}}, Case{0xFFFFFF, {0xFFFFFF, 0}},
                          Case{0x1000000, {0xFFFFFF, 1}}, Case{0x1000001, {0xFFFFFF, 2}}, Case{0, {0}}}) {
        INFO(c.size);
        std::string payload(c.size, 'a');
        if (c.size > 0) payload.back() = 'z';
        std::string wire;
        PacketWriter w(wire);
        w.set_sequence(3);
        w.write_packet(payload);
        auto h = headers(wire);
        REQUIRE(h.size() == c.chunks.size());
        for (size_t i = 0; i < h.size(); ++i) {
            CHECK(h[i].len == c.chunks[i]);
            CHECK(h[i].seq == 3 + i);
        }
        // The same bytes through begin/end_packet
        std::string wire2;
        PacketWriter w2(wire2);
        w2.set_sequence(3);
        w2.begin_packet();
        wire2 += payload;
        w2.end_packet();
        CHECK(wire2 == wire);

        uint8_t seq = 3;
        std::string joined;
        auto r = decode_message(wire, seq, 64u << 20, joined);
        CHECK(r.kind == FrameResult::Kind::kComplete);
        CHECK(r.consumed == wire.size());
        CHECK(joined == payload);
        CHECK(seq == 3 + h.size());
    }
}

TEST_CASE("decode reports what it needs, too-large payloads early, and bad sequence ids") {
    std::string wire;
    PacketWriter w(wire);
    w.write_packet(std::string(100, 'x'));
    uint8_t seq = 0;
    std::string payload;
    auto partial = decode_message(std::string_view(wire).substr(0, 2), seq, 1000, payload);
    CHECK(partial.kind == FrameResult::Kind::kIncomplete);
    CHECK(partial.need == 4);
    partial = decode_message(std::string_view(wire).substr(0, 10), seq, 1000, payload);
    CHECK(partial.need == 104);
    // Too large is known from the header alone, before the body arrives.
    auto big = decode_message(std::string_view(wire).substr(0, 4), seq, 50, payload);
    CHECK(big.kind == FrameResult::Kind::kTooLarge);
    uint8_t wrong = 7;
    CHECK(decode_message(wire, wrong, 1000, payload).kind == FrameResult::Kind::kOutOfOrder);
    // Two messages back to back: the first is taken, the rest left.
    std::string two;
    PacketWriter w2(two);
    w2.write_packet("ab");
    w2.set_sequence(0);
    w2.write_packet("cd");
    seq = 0;
    auto r = decode_message(two, seq, 1000, payload);
    CHECK(payload == "ab");
    CHECK(r.consumed == 6);
}
