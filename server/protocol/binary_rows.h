// The binary protocol of prepared statements: PREPARE_OK, the parameter block of COM_STMT_EXECUTE, and result
// rows in binary form (0x00 header, NULL bitmap with a 2-bit offset, each value encoded by its column's type:
// integers little-endian, FLOAT / DOUBLE as IEEE, DATE / DATETIME in 0/4/7/11 bytes, TIME in 0/8/12 bytes,
// everything else as a length-encoded string).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/value.h"
#include "server/protocol/packet_io.h"
#include "sql/result.h"

namespace floe::server {

// PREPARE_OK and the parameter / column definitions after it. Parameters are announced as MariaDB does
// (placeholders of type NULL, binary): drivers then bind each value with its own type.
void write_prepare_ok(PacketWriter& w, uint32_t stmt_id, uint16_t params, const std::vector<sql::ColumnDef>& columns,
                      uint16_t warnings, bool deprecate_eof);

// One value of a binary row, as column `c` types it (a value of another kind is converted to that type).
void put_binary_value(std::string& out, const sql::ColumnDef& c, const Value& v);
// Writes a whole result set in binary rows; `status` goes into the final EOF / OK.
void write_binary_result_set(PacketWriter& w, const sql::ResultSet& rs, bool deprecate_eof, uint16_t warnings,
                             uint16_t status);

// What a statement keeps between executions on the protocol side: the parameter types last bound (an execute
// with new_params_bound = 0 reuses them) and data sent with COM_STMT_SEND_LONG_DATA since the last execute.
struct StatementParams {
    uint16_t count = 0;
    std::vector<uint16_t> types;  // type | 0x8000 when unsigned; empty until first bound
    std::vector<std::optional<std::string>> long_data;
    bool long_data_too_large = false;  // more than max_allowed_packet was sent: the next execute fails
};

struct ExecuteRequest {
    uint32_t stmt_id = 0;
    uint8_t flags = 0;
    std::vector<Value> params;
};

// The statement id of a COM_STMT_EXECUTE / SEND_LONG_DATA / CLOSE / RESET body (nullopt: too short).
std::optional<uint32_t> read_statement_id(std::string_view body);
// Decodes a COM_STMT_EXECUTE body (after the command byte) for a statement with `state`'s parameters; updates
// the bound types and consumes the long data. False when the packet is malformed.
bool parse_execute(std::string_view body, StatementParams& state, ExecuteRequest& out);

}  // namespace floe::server
