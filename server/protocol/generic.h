// The generic response packets: OK, ERR, EOF (payloads only; PacketWriter frames them).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/error.h"

namespace floe::server {

struct OkPacket {
    uint64_t affected_rows = 0;
    uint64_t last_insert_id = 0;
    uint16_t status = 0;
    uint16_t warnings = 0;
    std::string_view info;
};

// `eof_header` = 0xFE instead of 0x00: the OK that ends a result set under CLIENT_DEPRECATE_EOF.
void put_ok(std::string& out, const OkPacket& ok, bool eof_header = false);
void put_err(std::string& out, const Error& e);
void put_eof(std::string& out, uint16_t warnings, uint16_t status);

}  // namespace floe::server
