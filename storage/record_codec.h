// Records of the catalog, the system instance and backups (catalog_codec, topology nodes, backup history and
// manifests):
// unsigned integers as varints, strings as varint length + bytes (the same encoding as catalog_codec.h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "storage/row_codec.h"

namespace floe::storage {

inline void put_record_u(std::string& out, uint64_t v) { put_varint(out, v); }

inline void put_record_s(std::string& out, std::string_view s) {
    put_varint(out, s.size());
    out.append(s);
}

// Reads fields in order; once one is missing or damaged every later read fails too (check ok() at the end).
class RecordReader {
public:
    explicit RecordReader(std::string_view in) : in_(in) {}
    uint64_t u() {
        unsigned __int128 x = 0;
        if (!ok_ || !get_varint(in_, x) || x > UINT64_MAX) {
            ok_ = false;
            return 0;
        }
        return static_cast<uint64_t>(x);
    }
    unsigned __int128 u128() {
        unsigned __int128 v = 0;
        if (!ok_ || !get_varint(in_, v)) ok_ = false;
        return v;
    }
    std::string s() {
        uint64_t n = u();
        if (!ok_ || n > in_.size()) {
            ok_ = false;
            return {};
        }
        std::string out(in_.substr(0, n));
        in_.remove_prefix(n);
        return out;
    }
    uint8_t byte() {
        if (!ok_ || in_.empty()) {
            ok_ = false;
            return 0;
        }
        auto b = static_cast<uint8_t>(in_[0]);
        in_.remove_prefix(1);
        return b;
    }
    std::string_view raw(size_t n) {
        if (!ok_ || in_.size() < n) {
            ok_ = false;
            return {};
        }
        auto v = in_.substr(0, n);
        in_.remove_prefix(n);
        return v;
    }
    bool ok() const { return ok_; }
    bool at_end() const { return in_.empty(); }

private:
    std::string_view in_;
    bool ok_ = true;
};

}  // namespace floe::storage
