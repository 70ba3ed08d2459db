#include "storage/schema.h"

#include <strings.h>

namespace floe::storage {

bool is_integer_type(ColumnType t) {
    return t == ColumnType::kTinyInt || t == ColumnType::kSmallInt || t == ColumnType::kMediumInt ||
           t == ColumnType::kInt || t == ColumnType::kBigInt || t == ColumnType::kYear;
}

bool is_binary_type(ColumnType t) {
    return t == ColumnType::kBinary || t == ColumnType::kVarbinary || t == ColumnType::kTinyBlob ||
           t == ColumnType::kBlob || t == ColumnType::kMediumBlob || t == ColumnType::kLongBlob;
}

bool is_string_type(ColumnType t) {
    return t == ColumnType::kChar || t == ColumnType::kVarchar || t == ColumnType::kTinyText ||
           t == ColumnType::kText || t == ColumnType::kMediumText || t == ColumnType::kLongText ||
           t == ColumnType::kJson || is_binary_type(t);
}

bool is_temporal_type(ColumnType t) {
    return t == ColumnType::kDate || t == ColumnType::kDateTime || t == ColumnType::kTimestamp ||
           t == ColumnType::kTime;
}

namespace {
bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}
}  // namespace

const ColumnSchema* TableSchema::column(std::string_view n) const {
    for (const auto& c : columns) {
        if (iequals(c.name, n)) return &c;
    }
    return nullptr;
}

const ColumnSchema* TableSchema::column_by_id(uint32_t id) const {
    for (const auto& c : columns) {
        if (c.id == id) return &c;
    }
    return nullptr;
}

int TableSchema::column_index(uint32_t id) const {
    for (size_t i = 0; i < columns.size(); ++i) {
        if (columns[i].id == id) return static_cast<int>(i);
    }
    return -1;
}

const IndexSchema* TableSchema::index(std::string_view n) const {
    for (const auto& i : indexes) {
        if (iequals(i.name, n)) return &i;
    }
    return nullptr;
}

const ColumnSchema* TableSchema::auto_increment_column() const {
    for (const auto& c : columns) {
        if (c.auto_increment) return &c;
    }
    return nullptr;
}

std::vector<uint32_t> TableSchema::effective_shard_key() const {
    if (!shard_key.empty()) return shard_key;
    if (hidden_pk) return {};
    return primary().column_ids;
}

}  // namespace floe::storage
