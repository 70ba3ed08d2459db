#include <catch2/catch.hpp>

#include <algorithm>
#include <random>

#include "common/collation.h"
#include "storage/catalog_codec.h"
#include "storage/key_codec.h"
#include "storage/row_codec.h"
#include "storage/topology.h"

using namespace floe;
using namespace floe::storage;

namespace {

ColumnSchema col(ColumnType type, bool is_unsigned = false, bool nullable = true) {
    ColumnSchema c;
    c.id = 1;
    c.name = "c";
    c.type = type;
    c.is_unsigned = is_unsigned;
    c.nullable = nullable;
    c.collation_id = 45;
    if (type == ColumnType::kDecimal) {
        c.precision = 30;
        c.scale = 4;
    }
    if (type == ColumnType::kEnum) c.enum_values = {"small", "medium", "large"};
    return c;
}

std::string key_of(const ColumnSchema& c, const Value& v) {
    std::string k;
    append_column_key(k, c, v);
    return k;
}

int sign(int x) { return x < 0 ? -1 : (x > 0 ? 1 : 0); }

// The SQL order of two values of the column's type (NULL first).
int sql_compare(const ColumnSchema& c, const Value& a, const Value& b) {
    if (a.is_null() || b.is_null()) return a.is_null() == b.is_null() ? 0 : (a.is_null() ? -1 : 1);
    switch (c.type) {
        case ColumnType::kFloat:
        case ColumnType::kDouble: return sign(a.to_double() < b.to_double() ? -1 : (a.to_double() > b.to_double()));
        case ColumnType::kDecimal: return a.to_decimal().compare(b.to_decimal());
        case ColumnType::kVarchar: return compare_text(c.collation_id, a.string_value(), b.string_value());
        case ColumnType::kVarbinary: return sign(a.string_value().compare(b.string_value()));
        case ColumnType::kDate:
        case ColumnType::kDateTime:
        case ColumnType::kTime: {
            const DateTime &x = a.datetime_value(), &y = b.datetime_value();
            auto tx = std::make_tuple(x.year, x.month, x.day, x.hour, x.minute, x.second, x.micros);
            auto ty = std::make_tuple(y.year, y.month, y.day, y.hour, y.minute, y.second, y.micros);
            if (c.type == ColumnType::kTime) {
                auto total = [](const DateTime& t) {
                    int64_t m = ((int64_t{t.day} * 24 + t.hour) * 3600 + t.minute * 60 + t.second) * 1000000 + t.micros;
                    return t.negative ? -m : m;
                };
                return sign(total(x) < total(y) ? -1 : (total(x) > total(y)));
            }
            return tx < ty ? -1 : (tx > ty ? 1 : 0);
        }
        case ColumnType::kEnum: {
            auto pos = [&](const Value& v) {
                return std::find(c.enum_values.begin(), c.enum_values.end(), v.string_value()) - c.enum_values.begin();
            };
            return sign(static_cast<int>(pos(a) - pos(b)));
        }
        default:
            if (c.is_unsigned) return sign(a.uint_value() < b.uint_value() ? -1 : (a.uint_value() > b.uint_value()));
            return sign(a.int_value() < b.int_value() ? -1 : (a.int_value() > b.int_value()));
    }
}

Value random_value(const ColumnSchema& c, std::mt19937_64& rng) {
    if (rng() % 10 == 0) return Value::null();
    auto pick = [&](int64_t lo, int64_t hi) {
        return lo + static_cast<int64_t>(rng() % static_cast<uint64_t>(hi - lo + 1));
    };
    switch (c.type) {
        case ColumnType::kTinyInt: return c.is_unsigned ? Value::from_uint(rng() % 256) : Value::from_int(pick(-128, 127));
        case ColumnType::kSmallInt: return Value::from_int(pick(-32768, 32767));
        case ColumnType::kMediumInt: return Value::from_int(pick(-8388608, 8388607));
        case ColumnType::kInt: return Value::from_int(pick(INT32_MIN, INT32_MAX));
        case ColumnType::kBigInt:
            if (c.is_unsigned) return Value::from_uint(rng());
            return Value::from_int(static_cast<int64_t>(rng()));
        case ColumnType::kFloat: return Value::from_double(static_cast<float>(pick(-1000000, 1000000)) / 64.0f);
        case ColumnType::kDouble: {
            double d = static_cast<double>(static_cast<int64_t>(rng())) / static_cast<double>(1 + rng() % 100000);
            return Value::from_double(rng() % 7 == 0 ? 0.0 * (rng() % 2 ? -1 : 1) : d);
        }
        case ColumnType::kDecimal: {
            __int128 v = static_cast<int64_t>(rng());
            v *= static_cast<int64_t>(rng() % 1000000);
            if (rng() % 2) v = -v;
            return Value::from_decimal(Decimal(v, 4));
        }
        case ColumnType::kVarchar:
        case ColumnType::kVarbinary: {
            static const std::string alphabet[] = {"a", "B", "b", " ", "é", "E", "\x00", "z", "😀", "\xff"};
            std::string s;
            int n = static_cast<int>(rng() % 5);
            for (int i = 0; i < n; ++i) s += alphabet[rng() % (c.type == ColumnType::kVarchar ? 9 : 10)];
            return c.type == ColumnType::kVarchar ? Value::from_string(s) : Value::from_binary(s);
        }
        case ColumnType::kDate:
        case ColumnType::kDateTime: {
            DateTime t{static_cast<int16_t>(pick(1000, 9999)), static_cast<uint8_t>(pick(1, 12)),
                       static_cast<uint8_t>(pick(1, 28)), 0, 0, 0, 0, false};
            if (c.type == ColumnType::kDateTime) {
                t.hour = static_cast<uint8_t>(pick(0, 23));
                t.minute = static_cast<uint8_t>(pick(0, 59));
                t.second = static_cast<uint8_t>(pick(0, 59));
                t.micros = static_cast<uint32_t>(pick(0, 999999));
            }
            return Value::from_datetime(c.type == ColumnType::kDate ? ValueKind::kDate : ValueKind::kDateTime, t);
        }
        case ColumnType::kTime: {
            DateTime t{0, 0, static_cast<uint8_t>(pick(0, 34)), static_cast<uint8_t>(pick(0, 23)),
                       static_cast<uint8_t>(pick(0, 59)), static_cast<uint8_t>(pick(0, 59)),
                       static_cast<uint32_t>(pick(0, 999999)), rng() % 2 == 0};
            if (t.day == 0 && t.hour == 0 && t.minute == 0 && t.second == 0 && t.micros == 0) t.negative = false;
            return Value::from_datetime(ValueKind::kTime, t);
        }
        case ColumnType::kEnum: return Value::from_string(c.enum_values[rng() % 3]);
        default: return Value::null();
    }
}

}  // namespace

TEST_CASE("key codec: byte order is SQL order for every type, NULLs first") {
    std::mt19937_64 rng(7);
    std::vector<ColumnSchema> columns = {
        col(ColumnType::kTinyInt), col(ColumnType::kTinyInt, true), col(ColumnType::kSmallInt),
        col(ColumnType::kMediumInt), col(ColumnType::kInt), col(ColumnType::kBigInt),
        col(ColumnType::kBigInt, true), col(ColumnType::kFloat), col(ColumnType::kDouble),
        col(ColumnType::kDecimal), col(ColumnType::kVarchar), col(ColumnType::kVarbinary), col(ColumnType::kDate),
        col(ColumnType::kDateTime), col(ColumnType::kTime), col(ColumnType::kEnum),
        col(ColumnType::kInt, false, false)};
    for (const auto& c : columns) {
        for (int i = 0; i < 3000; ++i) {
            Value a = random_value(c, rng), b = random_value(c, rng);
            if (!c.nullable && (a.is_null() || b.is_null())) continue;
            std::string ka = key_of(c, a), kb = key_of(c, b);
            int by_bytes = ka < kb ? -1 : (ka > kb ? 1 : 0);
            INFO("type " << static_cast<int>(c.type) << ": " << a.to_text() << " vs " << b.to_text());
            REQUIRE(by_bytes == sql_compare(c, a, b));
        }
    }
}

TEST_CASE("key codec golden bytes") {
    CHECK(key_of(col(ColumnType::kInt, false, false), Value::from_int(1)) == std::string("\x80\x00\x00\x01", 4));
    CHECK(key_of(col(ColumnType::kInt), Value::from_int(-1)) == std::string("\x01\x7f\xff\xff\xff", 5));
    CHECK(key_of(col(ColumnType::kInt), Value::null()) == std::string("\x00", 1));
    CHECK(key_of(col(ColumnType::kVarchar, false, false), Value::from_string("ab")) ==
          std::string("\x00\xff\x41\x00\xff\x42\x00\x01", 8));  // weights 0041 0042, 00 escaped as 00 FF
    std::string prefix;
    append_key_prefix(prefix, 3, 1);
    CHECK(prefix == std::string("\x00\x03\x00\x01", 4));
}

namespace {
TableSchema sample_table() {
    TableSchema t;
    t.id = 7;
    t.name = "items";
    t.comment = "the items";
    auto add = [&](ColumnSchema c, std::string name) {
        c.id = t.next_column_id++;
        c.name = std::move(name);
        t.columns.push_back(c);
    };
    ColumnSchema id = col(ColumnType::kBigInt, true, false);
    id.auto_increment = true;
    add(id, "id");
    ColumnSchema name = col(ColumnType::kVarchar, false, false);
    name.length = 100;
    add(name, "name");
    ColumnSchema qty = col(ColumnType::kInt);
    qty.default_kind = DefaultKind::kLiteral;
    qty.default_value = Value::from_int(0);
    add(qty, "qty");
    ColumnSchema price = col(ColumnType::kDecimal);
    price.precision = 10;
    price.scale = 2;
    add(price, "price");
    add(col(ColumnType::kDateTime), "created");
    add(col(ColumnType::kDouble), "ratio");
    add(col(ColumnType::kVarbinary), "raw");
    add(col(ColumnType::kEnum), "size");
    add(col(ColumnType::kTime), "t");
    t.indexes.push_back(IndexSchema{1, "PRIMARY", IndexKind::kPrimary, {1}, ""});
    t.indexes.push_back(IndexSchema{2, "uk_name", IndexKind::kUnique, {2}, ""});
    t.next_index_id = 3;
    return t;
}
}  // namespace

TEST_CASE("row codec round trip, defaults for missing columns, dropped columns skipped") {
    TableSchema t = sample_table();
    DateTime created{2024, 1, 2, 3, 4, 5, 600, false};
    DateTime tm{0, 0, 1, 2, 3, 4, 5, true};
    std::vector<Value> row = {Value::from_uint(42), Value::from_string("café 😀"), Value::null(),
                              Value::from_decimal(*Decimal::parse("-12.50")),
                              Value::from_datetime(ValueKind::kDateTime, created), Value::from_double(0.25),
                              Value::from_binary(std::string("\x00\xff", 2)), Value::from_string("large"),
                              Value::from_datetime(ValueKind::kTime, tm)};
    std::string bytes;
    encode_row(t, row, bytes);
    auto back = decode_row(t, bytes);
    REQUIRE(back.ok());
    for (size_t i = 0; i < row.size(); ++i) {
        INFO(i);
        CHECK(back->at(i).to_text() == row[i].to_text());
        CHECK(back->at(i).kind() == row[i].kind());
    }
    // ADD COLUMN: old rows read the new column's default.
    TableSchema added = t;
    ColumnSchema extra = col(ColumnType::kInt);
    extra.id = added.next_column_id++;
    extra.name = "extra";
    extra.default_kind = DefaultKind::kLiteral;
    extra.default_value = Value::from_int(5);
    added.columns.push_back(extra);
    auto with_default = decode_row(added, bytes);
    REQUIRE(with_default.ok());
    CHECK(with_default->back().int_value() == 5);
    // DROP COLUMN: old rows skip the dropped value.
    TableSchema dropped = t;
    dropped.dropped_columns.push_back(dropped.columns[1]);
    dropped.columns.erase(dropped.columns.begin() + 1);
    auto skipped = decode_row(dropped, bytes);
    REQUIRE(skipped.ok());
    CHECK(skipped->size() == 8);
    CHECK(skipped->at(1).is_null());  // qty
    CHECK(skipped->at(2).to_text() == "-12.50");
    // Damaged rows are reported, never read past the end.
    CHECK_FALSE(decode_row(t, bytes.substr(0, bytes.size() - 3)).ok());
    CHECK_FALSE(decode_row(t, "\x09").ok());
}

TEST_CASE("row codec decodes into a reused row: only the wanted columns are made, the others are NULL") {
    TableSchema t = sample_table();
    DateTime created{2024, 1, 2, 3, 4, 5, 600, false};
    DateTime tm{0, 0, 1, 2, 3, 4, 5, true};
    std::vector<Value> full = {Value::from_uint(42), Value::from_string("café"), Value::from_int(-7),
                               Value::from_decimal(*Decimal::parse("-12.50")),
                               Value::from_datetime(ValueKind::kDateTime, created), Value::from_double(0.25),
                               Value::from_binary(std::string("\x00\xff", 2)), Value::from_string("large"),
                               Value::from_datetime(ValueKind::kTime, tm)};
    std::vector<Value> sparse = {Value::from_uint(43), Value::from_string("b"), Value::null(), Value::null(),
                                 Value::null(), Value::from_double(-1.5), Value::null(), Value::null(), Value::null()};
    std::string full_bytes, sparse_bytes;
    encode_row(t, full, full_bytes);
    encode_row(t, sparse, sparse_bytes);
    auto same = [](const std::vector<Value>& got, const std::vector<Value>& want) {
        REQUIRE(got.size() == want.size());
        for (size_t i = 0; i < want.size(); ++i) {
            INFO(i);
            CHECK(got[i].kind() == want[i].kind());
            CHECK(got[i].to_text() == want[i].to_text());
        }
    };
    std::vector<Value> row;
    REQUIRE(decode_row_into(t, full_bytes, nullptr, row).ok());
    same(row, full);
    // Over the values of the row before: NULLs replace values, unwanted columns are left NULL whatever their type.
    const std::vector<bool> some = {true, false, true, true, false, true, false, false, true};
    REQUIRE(decode_row_into(t, sparse_bytes, &some, row).ok());
    same(row, {Value::from_uint(43), Value::null(), Value::null(), Value::null(), Value::null(),
               Value::from_double(-1.5), Value::null(), Value::null(), Value::null()});
    // And back: every slot made again from NULL.
    REQUIRE(decode_row_into(t, full_bytes, nullptr, row).ok());
    same(row, full);
    const std::vector<bool> others = {false, true, false, false, true, false, true, true, false};
    REQUIRE(decode_row_into(t, full_bytes, &others, row).ok());
    same(row, {Value::null(), full[1], Value::null(), Value::null(), full[4], Value::null(), full[6], full[7],
               Value::null()});
}

TEST_CASE("row codec golden bytes") {
    TableSchema t;
    ColumnSchema a = col(ColumnType::kInt);
    a.id = 1;
    ColumnSchema b = col(ColumnType::kVarchar);
    b.id = 2;
    t.columns = {a, b};
    std::string bytes;
    encode_row(t, std::vector<Value>{Value::from_int(-3), Value::null()}, bytes);
    // format 1; column 1 (tag 2): zigzag(-3) = 5; column 2 NULL (tag 5)
    CHECK(bytes == std::string("\x01\x02\x05\x05", 4));
}

TEST_CASE("catalog codec round trip and golden database record") {
    TableSchema t = sample_table();
    t.shard_key = {1};
    t.dropped_columns.push_back(col(ColumnType::kText));
    auto back = decode_table(encode_table(t));
    REQUIRE(back.ok());
    CHECK(encode_table(*back) == encode_table(t));
    CHECK(back->columns.size() == t.columns.size());
    CHECK(back->column("QTY")->default_value.int_value() == 0);
    CHECK(back->index("uk_name")->kind == IndexKind::kUnique);
    CHECK(back->columns[0].auto_increment);
    CHECK_FALSE(decode_table("\x01\x05").ok());

    DatabaseSchema db{"shop", 4, 45};
    CHECK(encode_database(db) == std::string("\x01\x04shop\x04\x2d", 8));
    CHECK(decode_database(encode_database(db))->partitions == 4);
}

TEST_CASE("topology codec round trip and golden bytes") {
    TopologyNode n;
    n.role = TopologyNode::Role::kLeaf;
    n.host = "10.0.0.7";
    n.port = 3307;
    n.state = "offline";
    n.availability_group = 2;
    n.node_id = 5;
    std::string bytes = encode_topology_node(n);
    // format 1, role 1, "10.0.0.7", port 3307 (varint 0xeb 0x19), "offline", group 2, node 5
    std::string golden = std::string("\x01\x01\x08", 3) + "10.0.0.7" + std::string("\xeb\x19\x07", 3) + "offline" +
                         std::string("\x02\x05", 2);
    CHECK(bytes == golden);
    auto back = decode_topology_node(bytes);
    REQUIRE(back.ok());
    CHECK(back->host == n.host);
    CHECK(back->port == 3307);
    CHECK(back->state == "offline");
    CHECK(back->availability_group == 2);
    CHECK(back->node_id == 5);
    CHECK_FALSE(decode_topology_node(bytes.substr(0, bytes.size() - 1)).ok());
    CHECK_FALSE(decode_topology_node("\x02" + bytes.substr(1)).ok());
}

TEST_CASE("varints: every length from 1 to 19 bytes round-trips; truncated or overlong input is refused") {
    std::vector<unsigned __int128> values = {0, 1, 127, 128, 16383, 16384};
    for (int bits = 20; bits <= 128; bits += 7) values.push_back((static_cast<unsigned __int128>(1) << (bits - 1)) + 5);
    values.push_back(static_cast<unsigned __int128>(UINT64_MAX));
    values.push_back(static_cast<unsigned __int128>(UINT64_MAX) + 1);
    values.push_back(~static_cast<unsigned __int128>(0));
    for (unsigned __int128 v : values) {
        std::string bytes;
        put_varint(bytes, v);
        bytes += "tail";
        std::string_view in = bytes;
        unsigned __int128 out = 0;
        REQUIRE(get_varint(in, out));
        CHECK(out == v);
        CHECK(in == "tail");
        std::string_view cut(bytes.data(), bytes.size() - 5);  // the last byte of the varint missing
        CHECK_FALSE(get_varint(cut, out));
    }
    std::string overlong(20, '\x80');
    std::string_view in = overlong;
    unsigned __int128 out = 0;
    CHECK_FALSE(get_varint(in, out));
}
