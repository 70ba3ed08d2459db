// Packet framing: a payload travels as packets of [3-byte length][1-byte sequence id][body]; a payload of
// 0xFFFFFF bytes or more is split into 0xFFFFFF-byte packets ended by a shorter (possibly empty) one.
// These functions do the framing on byte buffers; connection.cc moves the bytes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace floe::server {

// Builds packets into one output buffer, numbering them from the current sequence id.
class PacketWriter {
public:
    explicit PacketWriter(std::string& out) : out_(out) {}

    void set_sequence(uint8_t seq) { seq_ = seq; }
    uint8_t sequence() const { return seq_; }

    // Starts a packet; write its payload with put_* into buffer(), then end_packet().
    void begin_packet();
    void end_packet();
    std::string& buffer() { return out_; }
    // A whole payload at once.
    void write_packet(std::string_view payload);

private:
    std::string& out_;
    uint8_t seq_ = 0;
    size_t start_ = 0;
};

struct FrameResult {
    enum class Kind { kIncomplete, kComplete, kTooLarge, kOutOfOrder };
    Kind kind = Kind::kIncomplete;
    size_t consumed = 0;  // bytes of the buffer the message took (kComplete)
    size_t need = 0;      // kIncomplete: the buffer must hold at least this many bytes
};

// Decodes one message (all its packets) from the front of `buf`. `expected_seq` is the sequence id the first
// packet must carry; on success `payload` holds the joined bodies and `expected_seq` the next id. Reports
// kTooLarge as soon as the headers seen add up to more than `max_payload`, before the body is buffered.
FrameResult decode_message(std::string_view buf, uint8_t& expected_seq, size_t max_payload, std::string& payload);

}  // namespace floe::server
