// Wire encodings: little-endian integers, length-encoded integers and strings, NUL-terminated strings.
// WireReader reads a payload and never runs past its end (a short payload reads as "malformed").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace floe::server {

// Inline, each one append: every value of every result row goes through them.
inline void put_u8(std::string& out, uint8_t v) { out.push_back(static_cast<char>(v)); }
inline void put_u16(std::string& out, uint16_t v) {
    const char b[2] = {static_cast<char>(v & 0xFF), static_cast<char>(v >> 8)};
    out.append(b, 2);
}
inline void put_u24(std::string& out, uint32_t v) {
    const char b[3] = {static_cast<char>(v & 0xFF), static_cast<char>((v >> 8) & 0xFF), static_cast<char>((v >> 16) & 0xFF)};
    out.append(b, 3);
}
inline void put_u32(std::string& out, uint32_t v) {
    char b[4];
    for (int i = 0; i < 4; ++i) b[i] = static_cast<char>((v >> (8 * i)) & 0xFF);
    out.append(b, 4);
}
void put_lenenc_int_long(std::string& out, uint64_t v);  // 251 and up
inline void put_lenenc_int(std::string& out, uint64_t v) {
    if (v < 251) {
        out.push_back(static_cast<char>(v));
    } else {
        put_lenenc_int_long(out, v);
    }
}
inline void put_lenenc_str(std::string& out, std::string_view s) {
    put_lenenc_int(out, s.size());
    out.append(s);
}
void put_nul_str(std::string& out, std::string_view s);

class WireReader {
public:
    explicit WireReader(std::string_view payload) : data_(payload) {}

    bool ok() const { return ok_; }
    size_t remaining() const { return ok_ ? data_.size() - pos_ : 0; }
    bool at_end() const { return remaining() == 0; }

    uint8_t u8();
    uint16_t u16();
    uint32_t u24();
    uint32_t u32();
    uint64_t lenenc_int();
    std::string_view lenenc_str();
    std::string_view nul_str();        // up to the next NUL (or the end)
    std::string_view bytes(size_t n);
    std::string_view rest();

private:
    bool need(size_t n);
    std::string_view data_;
    size_t pos_ = 0;
    bool ok_ = true;
};

}  // namespace floe::server
