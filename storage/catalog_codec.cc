#include "storage/catalog_codec.h"

#include <cstring>

#include "storage/record_codec.h"
#include "storage/row_codec.h"

namespace floe::storage {
namespace {

void put_u(std::string& out, uint64_t v) { put_record_u(out, v); }
void put_s(std::string& out, std::string_view s) { put_record_s(out, s); }
using Reader = RecordReader;

Error damaged(std::string_view what) {
    return make_error(ErrorCode::ER_INTERNAL_ERROR, {"damaged catalog record (" + std::string(what) + ")"});
}

void put_value(std::string& out, const Value& v) {
    out.push_back(static_cast<char>(v.kind()));
    switch (v.kind()) {
        case ValueKind::kNull: break;
        case ValueKind::kInt: put_u(out, zigzag(v.int_value())); break;
        case ValueKind::kUInt: put_u(out, v.uint_value()); break;
        case ValueKind::kDouble: {
            double d = v.double_value();
            char b[8];
            std::memcpy(b, &d, 8);
            out.append(b, 8);
            break;
        }
        case ValueKind::kDecimal: {
            __int128 u = v.decimal_value().unscaled();
            put_varint(out, (static_cast<unsigned __int128>(u) << 1) ^ static_cast<unsigned __int128>(u >> 127));
            put_u(out, v.decimal_value().scale());
            break;
        }
        case ValueKind::kString:
        case ValueKind::kBinary: put_s(out, v.string_value()); break;
        case ValueKind::kDate:
        case ValueKind::kDateTime:
        case ValueKind::kTime: {
            const DateTime& t = v.datetime_value();
            put_u(out, zigzag(t.year));
            for (uint64_t x : {uint64_t{t.month}, uint64_t{t.day}, uint64_t{t.hour}, uint64_t{t.minute},
                               uint64_t{t.second}, uint64_t{t.micros}, uint64_t{t.negative}}) {
                put_u(out, x);
            }
            break;
        }
    }
}

Value get_value(Reader& r) {
    auto kind = static_cast<ValueKind>(r.byte());
    switch (kind) {
        case ValueKind::kNull: return Value::null();
        case ValueKind::kInt: return Value::from_int(unzigzag(r.u()));
        case ValueKind::kUInt: return Value::from_uint(r.u());
        case ValueKind::kDouble: {
            auto raw = r.raw(8);
            double d = 0;
            if (raw.size() == 8) std::memcpy(&d, raw.data(), 8);
            return Value::from_double(d);
        }
        case ValueKind::kDecimal: {
            unsigned __int128 z = r.u128();
            auto unscaled = static_cast<__int128>(z >> 1) ^ -static_cast<__int128>(z & 1);
            return Value::from_decimal(Decimal(unscaled, static_cast<uint8_t>(r.u())));
        }
        case ValueKind::kString: return Value::from_string(r.s());
        case ValueKind::kBinary: return Value::from_binary(r.s());
        case ValueKind::kDate:
        case ValueKind::kDateTime:
        case ValueKind::kTime: {
            DateTime t;
            t.year = static_cast<int16_t>(unzigzag(r.u()));
            t.month = static_cast<uint8_t>(r.u());
            t.day = static_cast<uint8_t>(r.u());
            t.hour = static_cast<uint8_t>(r.u());
            t.minute = static_cast<uint8_t>(r.u());
            t.second = static_cast<uint8_t>(r.u());
            t.micros = static_cast<uint32_t>(r.u());
            t.negative = r.u() != 0;
            return Value::from_datetime(kind, t);
        }
    }
    return Value::null();
}

void put_column(std::string& out, const ColumnSchema& c) {
    put_u(out, c.id);
    put_s(out, c.name);
    put_u(out, static_cast<uint8_t>(c.type));
    put_u(out, (c.is_unsigned ? 1u : 0u) | (c.nullable ? 2u : 0u) | (c.auto_increment ? 4u : 0u) |
                   (c.zerofill ? 8u : 0u) | (c.on_update_current_timestamp ? 16u : 0u));
    put_u(out, c.length);
    put_u(out, c.precision);
    put_u(out, c.scale);
    put_u(out, c.collation_id);
    put_u(out, static_cast<uint8_t>(c.default_kind));
    if (c.default_kind == DefaultKind::kLiteral) put_value(out, c.default_value);
    put_u(out, c.enum_values.size());
    for (const auto& e : c.enum_values) put_s(out, e);
    put_s(out, c.comment);
}

ColumnSchema get_column(Reader& r) {
    ColumnSchema c;
    c.id = static_cast<uint32_t>(r.u());
    c.name = r.s();
    c.type = static_cast<ColumnType>(r.u());
    uint64_t flags = r.u();
    c.is_unsigned = flags & 1;
    c.nullable = flags & 2;
    c.auto_increment = flags & 4;
    c.zerofill = flags & 8;
    c.on_update_current_timestamp = flags & 16;
    c.length = static_cast<uint32_t>(r.u());
    c.precision = static_cast<uint8_t>(r.u());
    c.scale = static_cast<uint8_t>(r.u());
    c.collation_id = static_cast<uint16_t>(r.u());
    c.default_kind = static_cast<DefaultKind>(r.u());
    if (c.default_kind == DefaultKind::kLiteral) c.default_value = get_value(r);
    uint64_t n = r.u();
    for (uint64_t i = 0; i < n && r.ok(); ++i) c.enum_values.push_back(r.s());
    c.comment = r.s();
    return c;
}

}  // namespace

std::string encode_database(const DatabaseSchema& db) {
    std::string out(1, static_cast<char>(kCatalogFormat));
    put_s(out, db.name);
    put_u(out, db.partitions);
    put_u(out, db.collation_id);
    return out;
}

Result<DatabaseSchema> decode_database(std::string_view bytes) {
    if (bytes.empty() || static_cast<uint8_t>(bytes[0]) != kCatalogFormat) return damaged("database format");
    Reader r(bytes.substr(1));
    DatabaseSchema db;
    db.name = r.s();
    db.partitions = static_cast<uint16_t>(r.u());
    db.collation_id = static_cast<uint16_t>(r.u());
    if (!r.ok() || db.partitions == 0) return damaged("database");
    return db;
}

std::string encode_view(const ViewSchema& v) {
    std::string out(1, static_cast<char>(kCatalogFormat));
    put_s(out, v.name);
    put_s(out, v.definition);
    put_u(out, v.column_names.size());
    for (const auto& c : v.column_names) put_s(out, c);
    put_s(out, v.definer);
    put_s(out, v.security);
    put_s(out, v.check_option);
    return out;
}

Result<ViewSchema> decode_view(std::string_view bytes) {
    if (bytes.empty() || static_cast<uint8_t>(bytes[0]) != kCatalogFormat) return damaged("view format");
    Reader r(bytes.substr(1));
    ViewSchema v;
    v.name = r.s();
    v.definition = r.s();
    uint64_t n = r.u();
    for (uint64_t i = 0; i < n && r.ok(); ++i) v.column_names.push_back(r.s());
    v.definer = r.s();
    v.security = r.s();
    v.check_option = r.s();
    if (!r.ok()) return damaged("view " + v.name);
    return v;
}

std::string encode_table(const TableSchema& t) {
    std::string out(1, static_cast<char>(kCatalogFormat));
    put_u(out, t.id);
    put_s(out, t.name);
    put_u(out, t.collation_id);
    put_s(out, t.comment);
    put_u(out, (t.hidden_pk ? 1u : 0u) | (t.columnstore_requested ? 2u : 0u));
    put_u(out, t.rt_mem_limit);
    put_u(out, t.next_column_id);
    put_u(out, t.next_index_id);
    put_u(out, t.auto_increment_start);
    put_u(out, t.columns.size());
    for (const auto& c : t.columns) put_column(out, c);
    put_u(out, t.indexes.size());
    for (const auto& i : t.indexes) {
        put_u(out, i.id);
        put_s(out, i.name);
        put_u(out, static_cast<uint8_t>(i.kind));
        put_u(out, i.column_ids.size());
        for (uint32_t id : i.column_ids) put_u(out, id);
        put_s(out, i.comment);
    }
    put_u(out, t.shard_key.size());
    for (uint32_t id : t.shard_key) put_u(out, id);
    put_u(out, t.dropped_columns.size());
    for (const auto& c : t.dropped_columns) put_column(out, c);
    return out;
}

Result<TableSchema> decode_table(std::string_view bytes) {
    if (bytes.empty() || static_cast<uint8_t>(bytes[0]) != kCatalogFormat) return damaged("table format");
    Reader r(bytes.substr(1));
    TableSchema t;
    t.id = static_cast<uint32_t>(r.u());
    t.name = r.s();
    t.collation_id = static_cast<uint16_t>(r.u());
    t.comment = r.s();
    uint64_t flags = r.u();
    t.hidden_pk = flags & 1;
    t.columnstore_requested = flags & 2;
    t.rt_mem_limit = r.u();
    t.next_column_id = static_cast<uint32_t>(r.u());
    t.next_index_id = static_cast<uint32_t>(r.u());
    t.auto_increment_start = r.u();
    uint64_t n = r.u();
    for (uint64_t i = 0; i < n && r.ok(); ++i) t.columns.push_back(get_column(r));
    n = r.u();
    for (uint64_t i = 0; i < n && r.ok(); ++i) {
        IndexSchema idx;
        idx.id = static_cast<uint32_t>(r.u());
        idx.name = r.s();
        idx.kind = static_cast<IndexKind>(r.u());
        uint64_t m = r.u();
        for (uint64_t k = 0; k < m && r.ok(); ++k) idx.column_ids.push_back(static_cast<uint32_t>(r.u()));
        idx.comment = r.s();
        t.indexes.push_back(std::move(idx));
    }
    n = r.u();
    for (uint64_t i = 0; i < n && r.ok(); ++i) t.shard_key.push_back(static_cast<uint32_t>(r.u()));
    n = r.u();
    for (uint64_t i = 0; i < n && r.ok(); ++i) t.dropped_columns.push_back(get_column(r));
    if (!r.ok() || t.indexes.empty()) return damaged("table " + t.name);
    return t;
}

}  // namespace floe::storage
