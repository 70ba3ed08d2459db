#include "storage/key_codec.h"

#include <cstring>

#include "common/collation.h"
#include "storage/temporal.h"

namespace floe::storage {
namespace {

void put_be(std::string& out, uint64_t v, int bytes) {
    for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

int int_width(ColumnType t) {
    switch (t) {
        case ColumnType::kTinyInt: return 1;
        case ColumnType::kSmallInt: return 2;
        case ColumnType::kMediumInt: return 3;
        case ColumnType::kInt: return 4;
        case ColumnType::kYear: return 2;
        default: return 8;
    }
}

void put_escaped(std::string& out, std::string_view bytes) {
    for (char c : bytes) {
        out.push_back(c);
        if (c == '\0') out.push_back(static_cast<char>(0xFF));
    }
    out.push_back('\0');
    out.push_back('\x01');
}

}  // namespace

void append_key_prefix(std::string& out, uint16_t partition, uint16_t index_id) {
    put_be(out, partition, 2);
    put_be(out, index_id, 2);
}

void append_row_id(std::string& out, uint64_t row_id) { put_be(out, row_id, 8); }

void append_column_key(std::string& out, const ColumnSchema& col, const Value& v) {
    if (col.nullable) {
        if (v.is_null()) {
            out.push_back('\0');
            return;
        }
        out.push_back('\x01');
    }
    switch (col.type) {
        case ColumnType::kTinyInt:
        case ColumnType::kSmallInt:
        case ColumnType::kMediumInt:
        case ColumnType::kInt:
        case ColumnType::kBigInt:
        case ColumnType::kYear: {
            int width = int_width(col.type);
            if (col.is_unsigned || col.type == ColumnType::kYear) {
                uint64_t u = v.kind() == ValueKind::kUInt ? v.uint_value() : static_cast<uint64_t>(v.to_int());
                put_be(out, u, width);
            } else {
                uint64_t bits = static_cast<uint64_t>(v.to_int());
                uint64_t sign = uint64_t{1} << (8 * width - 1);
                put_be(out, (bits ^ sign) & (width == 8 ? ~uint64_t{0} : ((uint64_t{1} << (8 * width)) - 1)), width);
            }
            return;
        }
        case ColumnType::kFloat: {
            float f = static_cast<float>(v.to_double());
            if (f == 0.0f) f = 0.0f;  // -0 sorts with 0
            uint32_t bits;
            std::memcpy(&bits, &f, 4);
            bits = (bits & 0x80000000u) ? ~bits : (bits | 0x80000000u);
            put_be(out, bits, 4);
            return;
        }
        case ColumnType::kDouble: {
            double d = v.to_double();
            if (d == 0.0) d = 0.0;
            uint64_t bits;
            std::memcpy(&bits, &d, 8);
            bits = (bits >> 63) ? ~bits : (bits | (uint64_t{1} << 63));
            put_be(out, bits, 8);
            return;
        }
        case ColumnType::kDecimal: {
            __int128 unscaled = v.to_decimal().rescaled(col.scale).unscaled();
            if (col.precision <= 18) {
                put_be(out, static_cast<uint64_t>(static_cast<int64_t>(unscaled)) ^ (uint64_t{1} << 63), 8);
            } else {
                auto u = static_cast<unsigned __int128>(unscaled) ^ (static_cast<unsigned __int128>(1) << 127);
                put_be(out, static_cast<uint64_t>(u >> 64), 8);
                put_be(out, static_cast<uint64_t>(u), 8);
            }
            return;
        }
        case ColumnType::kDate: put_be(out, pack_date(v.datetime_value()), 4); return;
        case ColumnType::kDateTime:
        case ColumnType::kTimestamp: put_be(out, pack_datetime(v.datetime_value()), 8); return;
        case ColumnType::kTime:
            put_be(out, static_cast<uint64_t>(time_micros(v.datetime_value())) ^ (uint64_t{1} << 63), 8);
            return;
        case ColumnType::kEnum: {
            uint64_t index = 0;
            std::string text = v.to_text();
            for (size_t i = 0; i < col.enum_values.size(); ++i) {
                if (compare_text(col.collation_id, col.enum_values[i], text) == 0) index = i + 1;
            }
            put_be(out, index, 2);
            return;
        }
        default: {
            std::string weights;
            uint16_t coll = is_binary_type(col.type) || col.type == ColumnType::kJson ? 63 : col.collation_id;
            append_sort_key(coll, v.string_value(), weights);
            put_escaped(out, weights);
            return;
        }
    }
}

bool skip_column_key(std::string_view& in, const ColumnSchema& col) {
    if (col.nullable) {
        if (in.empty()) return false;
        char marker = in.front();
        in.remove_prefix(1);
        if (marker == '\0') return true;
    }
    size_t width = 0;
    switch (col.type) {
        case ColumnType::kTinyInt:
        case ColumnType::kSmallInt:
        case ColumnType::kMediumInt:
        case ColumnType::kInt:
        case ColumnType::kBigInt:
        case ColumnType::kYear: width = static_cast<size_t>(int_width(col.type)); break;
        case ColumnType::kFloat: width = 4; break;
        case ColumnType::kDouble: width = 8; break;
        case ColumnType::kDecimal: width = col.precision <= 18 ? 8 : 16; break;
        case ColumnType::kDate: width = 4; break;
        case ColumnType::kDateTime:
        case ColumnType::kTimestamp:
        case ColumnType::kTime: width = 8; break;
        case ColumnType::kEnum: width = 2; break;
        default:
            // Escaped bytes up to the 0x00 0x01 terminator (0x00 0xFF is an escaped zero byte).
            for (size_t i = 0; i + 1 < in.size(); ++i) {
                if (in[i] != '\0') continue;
                if (in[i + 1] == '\x01') {
                    in.remove_prefix(i + 2);
                    return true;
                }
                ++i;
            }
            return false;
    }
    if (in.size() < width) return false;
    in.remove_prefix(width);
    return true;
}

std::string prefix_successor(std::string prefix) {
    while (!prefix.empty()) {
        auto last = static_cast<unsigned char>(prefix.back());
        if (last != 0xFF) {
            prefix.back() = static_cast<char>(last + 1);
            return prefix;
        }
        prefix.pop_back();
    }
    return prefix;
}

}  // namespace floe::storage
