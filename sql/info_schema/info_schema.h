// information_schema: tables generated on demand from the catalog, shaped as MySQL 8 shapes them so drivers'
// metadata queries (clients.md Appendix A) work: SCHEMATA, TABLES, COLUMNS, STATISTICS, KEY_COLUMN_USAGE, VIEWS,
// PARTITIONS (with TABLE_ROWS per partition), and the empty TRIGGERS, ROUTINES, FILES that dump tools query.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "storage/schema.h"
#include "storage/transaction.h"

namespace floe::sql {

class Session;

struct VirtualTable {
    storage::TableSchema schema;
    std::vector<storage::StoredRow> rows;
};

bool is_information_schema(std::string_view db);
// The names of the information_schema tables, upper case, sorted.
std::vector<std::string> info_schema_table_names();
// 1109 "Unknown table 'x' in information_schema" for names that are not ours.
Result<VirtualTable> info_schema_table(Session& session, std::string_view name);

}  // namespace floe::sql
