// Catalog records: a database's and a table's schema as bytes (stored in the system instance and in each
// database's catalog column family). Layout, all integers varints, strings varint length + bytes:
//
//   database: [format u8 = 1] name partitions collation_id
//   table:    [format u8 = 1] id name collation_id comment flags(bit0 hidden_pk, bit1 columnstore)
//             rt_mem_limit next_column_id next_index_id auto_increment_start
//             n_columns column*  n_indexes index*  n_shard shard_column_id*  n_dropped column*
//   column:   id name type flags(bit0 unsigned, bit1 nullable, bit2 auto_increment, bit3 zerofill,
//             bit4 on_update_current_timestamp) length precision scale collation_id default_kind
//             [default value as a tagged value when default_kind = literal] n_enum enum_value* comment
//   index:    id name kind n_columns column_id* comment
//   tagged value: kind u8, then int (zigzag) / uint / double (8 bytes LE) / decimal (zigzag unscaled, scale) /
//             string / datetime (year month day hour minute second micros negative)
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "storage/schema.h"

namespace floe::storage {

constexpr uint8_t kCatalogFormat = 1;

std::string encode_database(const DatabaseSchema& db);
Result<DatabaseSchema> decode_database(std::string_view bytes);
//   view:     [format u8 = 1] name definition n_columns column_name* definer security check_option
std::string encode_view(const ViewSchema& view);
Result<ViewSchema> decode_view(std::string_view bytes);
std::string encode_table(const TableSchema& table);
Result<TableSchema> decode_table(std::string_view bytes);

}  // namespace floe::storage
