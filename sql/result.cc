#include "sql/result.h"

namespace floe::sql {

ColumnDef text_column(std::string name, uint32_t chars, uint16_t collation_id, bool not_null) {
    ColumnDef c;
    c.name = std::move(name);
    c.charset = collation_id;
    const Collation* coll = collation_by_id(collation_id);
    c.length = chars * (coll ? coll->max_bytes_per_char : 4);
    c.type = FieldType::kVarString;
    c.flags = not_null ? column_flag::kNotNull : 0;
    if (collation_id == kBinaryCollationId) c.flags |= column_flag::kBinary;
    c.decimals = 31;
    return c;
}

ColumnDef bigint_column(std::string name, bool is_unsigned, bool not_null) {
    ColumnDef c;
    c.name = std::move(name);
    c.type = FieldType::kLongLong;
    c.length = 21;
    c.flags = static_cast<uint16_t>((not_null ? column_flag::kNotNull : 0) | column_flag::kBinary |
                                    column_flag::kNum | (is_unsigned ? column_flag::kUnsigned : 0));
    return c;
}

}  // namespace floe::sql
