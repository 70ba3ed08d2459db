#include "server/protocol/text_rows.h"

#include "server/protocol/generic.h"
#include "server/protocol/wire.h"

namespace floe::server {

void put_column_definition(std::string& out, const sql::ColumnDef& c) {
    put_lenenc_str(out, "def");
    put_lenenc_str(out, c.schema);
    put_lenenc_str(out, c.table);
    put_lenenc_str(out, c.org_table);
    put_lenenc_str(out, c.name);
    put_lenenc_str(out, c.org_name);
    // The fixed-length fields, in one append: 0x0c, charset, length, type, flags, decimals, two filler bytes.
    const uint8_t fixed[13] = {0x0c,
                               static_cast<uint8_t>(c.charset & 0xFF),
                               static_cast<uint8_t>(c.charset >> 8),
                               static_cast<uint8_t>(c.length & 0xFF),
                               static_cast<uint8_t>((c.length >> 8) & 0xFF),
                               static_cast<uint8_t>((c.length >> 16) & 0xFF),
                               static_cast<uint8_t>(c.length >> 24),
                               static_cast<uint8_t>(c.type),
                               static_cast<uint8_t>(c.flags & 0xFF),
                               static_cast<uint8_t>(c.flags >> 8),
                               c.decimals,
                               0,
                               0};
    out.append(reinterpret_cast<const char*>(fixed), sizeof fixed);
}

void write_text_result_set(PacketWriter& w, const sql::ResultSet& rs, bool deprecate_eof, uint16_t warnings,
                           uint16_t status) {
    std::string& out = w.buffer();
    write_result_head(w, rs.columns, deprecate_eof, warnings, status);
    std::string text;
    for (const auto& row : rs.rows) {
        w.begin_packet();
        for (const auto& v : row) {
            if (v.is_null()) {
                put_u8(out, 0xFB);
                continue;
            }
            if (v.is_string()) {
                put_lenenc_str(out, v.string_value());
                continue;
            }
            text.clear();
            v.append_text(text);
            put_lenenc_str(out, text);
        }
        w.end_packet();
    }
    write_result_end(w, deprecate_eof, warnings, status);
}

void write_result_head(PacketWriter& w, const std::vector<sql::ColumnDef>& columns, bool deprecate_eof,
                       uint16_t warnings, uint16_t status) {
    std::string& out = w.buffer();
    w.begin_packet();
    put_lenenc_int(out, columns.size());
    w.end_packet();
    write_column_definitions(w, columns, deprecate_eof, warnings, status);
}

void write_column_definitions(PacketWriter& w, const std::vector<sql::ColumnDef>& columns, bool deprecate_eof,
                              uint16_t warnings, uint16_t status) {
    std::string& out = w.buffer();
    for (const auto& c : columns) {
        w.begin_packet();
        put_column_definition(out, c);
        w.end_packet();
    }
    if (!deprecate_eof) {
        w.begin_packet();
        put_eof(out, warnings, status);
        w.end_packet();
    }
}

void write_result_end(PacketWriter& w, bool deprecate_eof, uint16_t warnings, uint16_t status) {
    std::string& out = w.buffer();
    w.begin_packet();
    if (deprecate_eof) {
        put_ok(out, OkPacket{0, 0, status, warnings, {}}, true);
    } else {
        put_eof(out, warnings, status);
    }
    w.end_packet();
}

}  // namespace floe::server
