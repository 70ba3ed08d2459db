#include "storage/row_codec.h"

#include <boost/container/small_vector.hpp>

#include <cstring>

#include "storage/temporal.h"

namespace floe::storage {
namespace {

Error damaged(std::string_view what) {
    return make_error(ErrorCode::ER_INTERNAL_ERROR, {"damaged row (" + std::string(what) + ")"});
}

unsigned __int128 zigzag128(__int128 v) {
    return (static_cast<unsigned __int128>(v) << 1) ^ static_cast<unsigned __int128>(v >> 127);
}
__int128 unzigzag128(unsigned __int128 v) {
    return static_cast<__int128>(v >> 1) ^ -static_cast<__int128>(v & 1);
}

}  // namespace

void put_varint(std::string& out, unsigned __int128 v) {
    while (v >= 0x80) {
        out.push_back(static_cast<char>((v & 0x7F) | 0x80));
        v >>= 7;
    }
    out.push_back(static_cast<char>(v));
}

bool get_varint_long(std::string_view& in, unsigned __int128& v) {
    // Most values take a byte or three: 64-bit arithmetic for the first nine bytes (63 bits), 128-bit only for
    // the rare longer ones (a row decodes a tag and a value per column, so this loop is a good part of it).
    const size_t n = in.size();
    uint64_t low = 0;
    size_t i = 0;
    for (; i < n && i < 9; ++i) {
        auto b = static_cast<uint8_t>(in[i]);
        low |= static_cast<uint64_t>(b & 0x7F) << (7 * i);
        if (!(b & 0x80)) {
            in.remove_prefix(i + 1);
            v = low;
            return true;
        }
    }
    v = low;
    for (int shift = 63; i < n && shift < 133; ++i, shift += 7) {
        auto b = static_cast<uint8_t>(in[i]);
        v |= static_cast<unsigned __int128>(b & 0x7F) << shift;
        if (!(b & 0x80)) {
            in.remove_prefix(i + 1);
            return true;
        }
    }
    return false;
}

Value column_default(const ColumnSchema& col) {
    if (col.default_kind == DefaultKind::kLiteral) return col.default_value;
    return Value::null();
}

void encode_row(const TableSchema& table, std::span<const Value> row, std::string& out) {
    out.push_back(static_cast<char>(kRowFormat));
    for (size_t i = 0; i < table.columns.size(); ++i) {
        const ColumnSchema& col = table.columns[i];
        const Value& v = row[i];
        put_varint(out, (static_cast<uint64_t>(col.id) << 1) | (v.is_null() ? 1 : 0));
        if (v.is_null()) continue;
        switch (col.type) {
            case ColumnType::kTinyInt:
            case ColumnType::kSmallInt:
            case ColumnType::kMediumInt:
            case ColumnType::kInt:
            case ColumnType::kBigInt:
                if (col.is_unsigned) {
                    put_varint(out, v.kind() == ValueKind::kUInt ? v.uint_value() : static_cast<uint64_t>(v.to_int()));
                } else {
                    put_varint(out, zigzag(v.to_int()));
                }
                break;
            case ColumnType::kYear: put_varint(out, static_cast<uint64_t>(v.to_int())); break;
            case ColumnType::kFloat: {
                float f = static_cast<float>(v.to_double());
                char b[4];
                std::memcpy(b, &f, 4);
                out.append(b, 4);
                break;
            }
            case ColumnType::kDouble: {
                double d = v.to_double();
                char b[8];
                std::memcpy(b, &d, 8);
                out.append(b, 8);
                break;
            }
            case ColumnType::kDecimal:
                put_varint(out, zigzag128(v.to_decimal().rescaled(col.scale).unscaled()));
                break;
            case ColumnType::kDate: put_varint(out, pack_date(v.datetime_value())); break;
            case ColumnType::kDateTime:
            case ColumnType::kTimestamp: put_varint(out, pack_datetime(v.datetime_value())); break;
            case ColumnType::kTime: put_varint(out, zigzag(time_micros(v.datetime_value()))); break;
            case ColumnType::kEnum: {
                uint64_t index = 0;
                std::string text = v.to_text();
                for (size_t k = 0; k < col.enum_values.size(); ++k) {
                    if (col.enum_values[k] == text) index = k + 1;
                }
                put_varint(out, index);
                break;
            }
            default: {
                const std::string& s = v.string_value();
                put_varint(out, s.size());
                out.append(s);
            }
        }
    }
}

Result<std::vector<Value>> decode_row(const TableSchema& table, std::string_view in, const std::vector<bool>* wanted) {
    std::vector<Value> row;
    FLOE_CHECK(decode_row_into(table, in, wanted, row));
    return row;
}

Status decode_row_into(const TableSchema& table, std::string_view in, const std::vector<bool>* wanted,
                       std::vector<Value>& row) {
    if (in.empty() || static_cast<uint8_t>(in[0]) != kRowFormat) return damaged("unknown format");
    in.remove_prefix(1);
    row.resize(table.columns.size());
    boost::container::small_vector<bool, 64> seen(table.columns.size(), false);
    size_t next = 0;  // rows are written in column order: the next column is the likely one
    while (!in.empty()) {
        unsigned __int128 tag;
        if (!get_varint(in, tag)) return damaged("column tag");
        auto id = static_cast<uint32_t>(tag >> 1);
        bool is_null = tag & 1;
        int pos = next < table.columns.size() && table.columns[next].id == id ? static_cast<int>(next)
                                                                               : table.column_index(id);
        if (pos >= 0) next = static_cast<size_t>(pos) + 1;
        const ColumnSchema* col = pos >= 0 ? &table.columns[static_cast<size_t>(pos)] : nullptr;
        if (!col) {
            for (const auto& dropped : table.dropped_columns) {
                if (dropped.id == id) col = &dropped;
            }
            if (!col) return damaged("unknown column id " + std::to_string(id));
        }
        // Values are made in place, in the row's own slot (no temporary Value to move in); a value the query
        // does not read (or a dropped column's) is only read past.
        Value* to = pos >= 0 && (!wanted || (*wanted)[static_cast<size_t>(pos)]) ? &row[static_cast<size_t>(pos)]
                                                                                 : nullptr;
        if (to) seen[static_cast<size_t>(pos)] = true;
        if (is_null) {
            if (to) to->set_null();
            continue;
        }
        unsigned __int128 n = 0;
        switch (col->type) {
            case ColumnType::kTinyInt:
            case ColumnType::kSmallInt:
            case ColumnType::kMediumInt:
            case ColumnType::kInt:
            case ColumnType::kBigInt:
                if (!get_varint(in, n)) return damaged("integer");
                if (!to) break;
                if (col->is_unsigned) {
                    to->set_uint(static_cast<uint64_t>(n));
                } else {
                    to->set_int(unzigzag(static_cast<uint64_t>(n)));
                }
                break;
            case ColumnType::kYear:
                if (!get_varint(in, n)) return damaged("year");
                if (to) to->set_int(static_cast<int64_t>(n));
                break;
            case ColumnType::kFloat: {
                if (in.size() < 4) return damaged("float");
                float f;
                std::memcpy(&f, in.data(), 4);
                in.remove_prefix(4);
                if (to) to->set_double(f);
                break;
            }
            case ColumnType::kDouble: {
                if (in.size() < 8) return damaged("double");
                double d;
                std::memcpy(&d, in.data(), 8);
                in.remove_prefix(8);
                if (to) to->set_double(d);
                break;
            }
            case ColumnType::kDecimal:
                if (!get_varint(in, n)) return damaged("decimal");
                if (to) *to = Value::from_decimal(Decimal(unzigzag128(n), col->scale));
                break;
            case ColumnType::kDate:
                if (!get_varint(in, n)) return damaged("date");
                if (to) to->set_datetime(ValueKind::kDate, unpack_date(static_cast<uint64_t>(n)));
                break;
            case ColumnType::kDateTime:
            case ColumnType::kTimestamp:
                if (!get_varint(in, n)) return damaged("datetime");
                if (to) to->set_datetime(ValueKind::kDateTime, unpack_datetime(static_cast<uint64_t>(n)));
                break;
            case ColumnType::kTime: {
                if (!get_varint(in, n)) return damaged("time");
                if (!to) break;
                int64_t micros = unzigzag(static_cast<uint64_t>(n));
                DateTime t;
                t.negative = micros < 0;
                uint64_t m = static_cast<uint64_t>(micros < 0 ? -micros : micros);
                t.micros = static_cast<uint32_t>(m % 1000000);
                uint64_t secs = m / 1000000;
                t.second = static_cast<uint8_t>(secs % 60);
                t.minute = static_cast<uint8_t>(secs / 60 % 60);
                uint64_t hours = secs / 3600;
                t.hour = static_cast<uint8_t>(hours % 24);
                t.day = static_cast<uint8_t>(hours / 24);
                to->set_datetime(ValueKind::kTime, t);
                break;
            }
            case ColumnType::kEnum:
                if (!get_varint(in, n)) return damaged("enum");
                if (!to) break;
                if (n == 0 || n > col->enum_values.size()) {
                    to->assign_string(ValueKind::kString, "");
                } else {
                    to->assign_string(ValueKind::kString, col->enum_values[static_cast<size_t>(n) - 1]);
                }
                break;
            default: {
                if (!get_varint(in, n) || n > in.size()) return damaged("string");
                // Straight into the row, in the buffer its value there may already have.
                if (to) to->assign_string(is_binary_type(col->type) ? ValueKind::kBinary : ValueKind::kString,
                                          in.substr(0, static_cast<size_t>(n)));
                in.remove_prefix(static_cast<size_t>(n));
            }
        }
    }
    for (size_t i = 0; i < row.size(); ++i) {
        if (seen[i]) continue;
        if (!wanted || (*wanted)[i]) {
            row[i] = column_default(table.columns[i]);
        } else if (!row[i].is_null()) {
            row[i] = Value::null();
        }
    }
    return {};
}

}  // namespace floe::storage
