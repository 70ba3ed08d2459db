#include "server/protocol/packet_io.h"

#include "server/protocol/constants.h"

namespace floe::server {
namespace {

void write_header(char* p, size_t len, uint8_t seq) {
    p[0] = static_cast<char>(len & 0xFF);
    p[1] = static_cast<char>((len >> 8) & 0xFF);
    p[2] = static_cast<char>((len >> 16) & 0xFF);
    p[3] = static_cast<char>(seq);
}

}  // namespace

void PacketWriter::begin_packet() {
    start_ = out_.size();
    out_.append(4, '\0');
}

void PacketWriter::end_packet() {
    size_t len = out_.size() - start_ - 4;
    if (len < kMaxPacketChunk) {
        write_header(&out_[start_], len, seq_++);
        return;
    }
    // Rare: a payload of 16 MiB or more. Move it out and split it.
    std::string payload = out_.substr(start_ + 4);
    out_.resize(start_);
    write_packet(payload);
}

void PacketWriter::write_packet(std::string_view payload) {
    size_t pos = 0;
    for (;;) {
        size_t chunk = std::min(payload.size() - pos, kMaxPacketChunk);
        size_t at = out_.size();
        out_.append(4, '\0');
        write_header(&out_[at], chunk, seq_++);
        out_.append(payload.substr(pos, chunk));
        pos += chunk;
        if (chunk < kMaxPacketChunk) break;  // a full chunk is always followed by another (maybe empty) one
    }
}

FrameResult decode_message(std::string_view buf, uint8_t& expected_seq, size_t max_payload, std::string& payload) {
    FrameResult r;
    size_t pos = 0;
    size_t total = 0;
    uint8_t seq = expected_seq;
    // First pass: walk the headers to find the end of the message.
    for (;;) {
        if (buf.size() - pos < 4) {
            r.need = pos + 4;
            return r;
        }
        size_t len = static_cast<uint8_t>(buf[pos]) | (static_cast<uint8_t>(buf[pos + 1]) << 8) |
                     (static_cast<size_t>(static_cast<uint8_t>(buf[pos + 2])) << 16);
        if (static_cast<uint8_t>(buf[pos + 3]) != seq) {
            r.kind = FrameResult::Kind::kOutOfOrder;
            return r;
        }
        total += len;
        if (total > max_payload) {
            r.kind = FrameResult::Kind::kTooLarge;
            return r;
        }
        if (buf.size() - pos - 4 < len) {
            r.need = pos + 4 + len;
            return r;
        }
        pos += 4 + len;
        ++seq;
        if (len < kMaxPacketChunk) break;
    }
    // Second pass: join the bodies.
    payload.clear();
    payload.reserve(total);
    size_t p = 0;
    for (;;) {
        size_t len = static_cast<uint8_t>(buf[p]) | (static_cast<uint8_t>(buf[p + 1]) << 8) |
                     (static_cast<size_t>(static_cast<uint8_t>(buf[p + 2])) << 16);
        payload.append(buf.substr(p + 4, len));
        p += 4 + len;
        if (len < kMaxPacketChunk) break;
    }
    expected_seq = seq;
    r.kind = FrameResult::Kind::kComplete;
    r.consumed = pos;
    return r;
}

}  // namespace floe::server
