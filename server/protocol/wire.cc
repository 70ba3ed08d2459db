#include "server/protocol/wire.h"

namespace floe::server {

void put_lenenc_int_long(std::string& out, uint64_t v) {
    char b[9];
    size_t n;
    if (v < 0x10000) {
        b[0] = static_cast<char>(0xFC);
        n = 2;
    } else if (v < 0x1000000) {
        b[0] = static_cast<char>(0xFD);
        n = 3;
    } else {
        b[0] = static_cast<char>(0xFE);
        n = 8;
    }
    for (size_t i = 0; i < n; ++i) b[1 + i] = static_cast<char>((v >> (8 * i)) & 0xFF);
    out.append(b, 1 + n);
}

void put_nul_str(std::string& out, std::string_view s) {
    out.append(s);
    out.push_back('\0');
}

bool WireReader::need(size_t n) {
    if (!ok_ || data_.size() - pos_ < n) {
        ok_ = false;
        return false;
    }
    return true;
}

uint8_t WireReader::u8() {
    if (!need(1)) return 0;
    return static_cast<uint8_t>(data_[pos_++]);
}

uint16_t WireReader::u16() {
    if (!need(2)) return 0;
    uint16_t v = static_cast<uint8_t>(data_[pos_]) | (static_cast<uint8_t>(data_[pos_ + 1]) << 8);
    pos_ += 2;
    return v;
}

uint32_t WireReader::u24() {
    if (!need(3)) return 0;
    uint32_t v = 0;
    for (int i = 0; i < 3; ++i) v |= static_cast<uint32_t>(static_cast<uint8_t>(data_[pos_ + i])) << (8 * i);
    pos_ += 3;
    return v;
}

uint32_t WireReader::u32() {
    if (!need(4)) return 0;
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v |= static_cast<uint32_t>(static_cast<uint8_t>(data_[pos_ + i])) << (8 * i);
    pos_ += 4;
    return v;
}

uint64_t WireReader::lenenc_int() {
    uint8_t first = u8();
    if (!ok_) return 0;
    if (first < 251) return first;
    if (first == 0xFC) return u16();
    if (first == 0xFD) return u24();
    if (first == 0xFE) {
        if (!need(8)) return 0;
        uint64_t v = 0;
        for (int i = 0; i < 8; ++i) v |= static_cast<uint64_t>(static_cast<uint8_t>(data_[pos_ + i])) << (8 * i);
        pos_ += 8;
        return v;
    }
    ok_ = false;  // 0xFB (NULL) and 0xFF are not integers
    return 0;
}

std::string_view WireReader::lenenc_str() {
    uint64_t n = lenenc_int();
    if (!ok_ || n > remaining()) {
        ok_ = false;
        return {};
    }
    return bytes(static_cast<size_t>(n));
}

std::string_view WireReader::nul_str() {
    if (!ok_) return {};
    size_t end = data_.find('\0', pos_);
    std::string_view s;
    if (end == std::string_view::npos) {
        s = data_.substr(pos_);
        pos_ = data_.size();
    } else {
        s = data_.substr(pos_, end - pos_);
        pos_ = end + 1;
    }
    return s;
}

std::string_view WireReader::bytes(size_t n) {
    if (!need(n)) return {};
    auto s = data_.substr(pos_, n);
    pos_ += n;
    return s;
}

std::string_view WireReader::rest() {
    if (!ok_) return {};
    auto s = data_.substr(pos_);
    pos_ = data_.size();
    return s;
}

}  // namespace floe::server
