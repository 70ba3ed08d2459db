// Result sets in the text protocol: column count, column definitions, rows of length-encoded strings
// (0xFB for NULL), ended by EOF or, under CLIENT_DEPRECATE_EOF, by an OK packet with a 0xFE header.
#pragma once

#include <string>
#include <vector>

#include "server/protocol/packet_io.h"
#include "sql/result.h"

namespace floe::server {

void put_column_definition(std::string& out, const sql::ColumnDef& c);

// Column definitions, one packet each, then an EOF (warnings, status) unless the client set DEPRECATE_EOF
// (result sets and PREPARE_OK).
void write_column_definitions(PacketWriter& w, const std::vector<sql::ColumnDef>& columns, bool deprecate_eof,
                              uint16_t warnings, uint16_t status);
// The parts every result set shares: the column count and definitions (and EOF unless deprecate_eof), and
// the EOF / OK (0xFE header) after the rows.
void write_result_head(PacketWriter& w, const std::vector<sql::ColumnDef>& columns, bool deprecate_eof,
                       uint16_t warnings, uint16_t status);
void write_result_end(PacketWriter& w, bool deprecate_eof, uint16_t warnings, uint16_t status);
// Writes a whole result set; `status` goes into the final EOF/OK (with MORE_RESULTS when more follow).
void write_text_result_set(PacketWriter& w, const sql::ResultSet& rs, bool deprecate_eof, uint16_t warnings,
                           uint16_t status);

}  // namespace floe::server
