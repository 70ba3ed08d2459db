#include "server/protocol/generic.h"

#include "server/protocol/wire.h"

namespace floe::server {

void put_ok(std::string& out, const OkPacket& ok, bool eof_header) {
    put_u8(out, eof_header ? 0xFE : 0x00);
    put_lenenc_int(out, ok.affected_rows);
    put_lenenc_int(out, ok.last_insert_id);
    put_u16(out, ok.status);
    put_u16(out, ok.warnings);
    // MySQL and MariaDB both send the info text length-encoded (clients.md §10).
    if (!ok.info.empty()) put_lenenc_str(out, ok.info);
}

void put_err(std::string& out, const Error& e) {
    put_u8(out, 0xFF);
    put_u16(out, e.number());
    out.push_back('#');
    out.append(e.sqlstate(), 5);
    out.append(e.message);
}

void put_eof(std::string& out, uint16_t warnings, uint16_t status) {
    put_u8(out, 0xFE);
    put_u16(out, warnings);
    put_u16(out, status);
}

}  // namespace floe::server
