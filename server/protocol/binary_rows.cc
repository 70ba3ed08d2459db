#include "server/protocol/binary_rows.h"

#include <cstring>

#include "server/protocol/generic.h"
#include "server/protocol/text_rows.h"
#include "server/protocol/wire.h"

namespace floe::server {

using sql::FieldType;

namespace {

constexpr uint16_t kUnsignedParam = 0x8000;

void put_u64(std::string& out, uint64_t v) {
    for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

uint64_t integer_bits(const Value& v) {
    if (v.kind() == ValueKind::kUInt) return v.uint_value();
    if (v.kind() == ValueKind::kInt) return static_cast<uint64_t>(v.int_value());
    if (v.kind() == ValueKind::kDouble) {
        double d = v.double_value();
        if (d >= 9223372036854775808.0) return static_cast<uint64_t>(d);
    }
    return static_cast<uint64_t>(v.to_int());
}

DateTime temporal_fields(const Value& v) { return v.is_temporal() ? v.datetime_value() : DateTime{}; }

void put_date_time(std::string& out, const DateTime& t) {
    uint8_t length = t.micros ? 11 : (t.hour || t.minute || t.second) ? 7 : (t.year || t.month || t.day) ? 4 : 0;
    put_u8(out, length);
    if (length == 0) return;
    put_u16(out, static_cast<uint16_t>(t.year));
    put_u8(out, t.month);
    put_u8(out, t.day);
    if (length == 4) return;
    put_u8(out, t.hour);
    put_u8(out, t.minute);
    put_u8(out, t.second);
    if (length == 11) put_u32(out, t.micros);
}

void put_time(std::string& out, const DateTime& t) {
    bool zero = !t.day && !t.hour && !t.minute && !t.second && !t.micros;
    uint8_t length = zero ? 0 : t.micros ? 12 : 8;
    put_u8(out, length);
    if (length == 0) return;
    put_u8(out, t.negative ? 1 : 0);
    put_u32(out, t.day);
    put_u8(out, t.hour);
    put_u8(out, t.minute);
    put_u8(out, t.second);
    if (length == 12) put_u32(out, t.micros);
}

}  // namespace

void write_prepare_ok(PacketWriter& w, uint32_t stmt_id, uint16_t params, const std::vector<sql::ColumnDef>& columns,
                      uint16_t warnings, bool deprecate_eof) {
    std::string& out = w.buffer();
    w.begin_packet();
    put_u8(out, 0x00);
    put_u32(out, stmt_id);
    put_u16(out, static_cast<uint16_t>(columns.size()));
    put_u16(out, params);
    put_u8(out, 0x00);
    put_u16(out, warnings);
    w.end_packet();
    // Each non-empty list of definitions is followed by an EOF unless the client asked for DEPRECATE_EOF.
    auto definitions = [&](const std::vector<sql::ColumnDef>& defs) {
        if (!defs.empty()) write_column_definitions(w, defs, deprecate_eof, 0, 0);
    };
    sql::ColumnDef placeholder;
    placeholder.name = "?";
    placeholder.type = FieldType::kNull;
    placeholder.flags = sql::column_flag::kBinary;
    definitions(std::vector<sql::ColumnDef>(params, placeholder));
    definitions(columns);
}

void put_binary_value(std::string& out, const sql::ColumnDef& c, const Value& v) {
    switch (c.type) {
        case FieldType::kTiny: put_u8(out, static_cast<uint8_t>(integer_bits(v))); return;
        case FieldType::kShort:
        case FieldType::kYear: put_u16(out, static_cast<uint16_t>(integer_bits(v))); return;
        case FieldType::kLong:
        case FieldType::kInt24: put_u32(out, static_cast<uint32_t>(integer_bits(v))); return;
        case FieldType::kLongLong: put_u64(out, integer_bits(v)); return;
        case FieldType::kFloat: {
            float f = static_cast<float>(v.to_double());
            uint32_t bits;
            std::memcpy(&bits, &f, sizeof bits);
            put_u32(out, bits);
            return;
        }
        case FieldType::kDouble: {
            double d = v.to_double();
            uint64_t bits;
            std::memcpy(&bits, &d, sizeof bits);
            put_u64(out, bits);
            return;
        }
        case FieldType::kDate:
        case FieldType::kDateTime:
        case FieldType::kTimestamp: put_date_time(out, temporal_fields(v)); return;
        case FieldType::kTime: put_time(out, temporal_fields(v)); return;
        default: break;
    }
    if (v.is_string()) {
        put_lenenc_str(out, v.string_value());
    } else {
        std::string text;
        v.append_text(text);
        put_lenenc_str(out, text);
    }
}

void write_binary_result_set(PacketWriter& w, const sql::ResultSet& rs, bool deprecate_eof, uint16_t warnings,
                             uint16_t status) {
    std::string& out = w.buffer();
    write_result_head(w, rs.columns, deprecate_eof, warnings, status);
    size_t bitmap_bytes = (rs.columns.size() + 7 + 2) / 8;
    for (const auto& row : rs.rows) {
        w.begin_packet();
        put_u8(out, 0x00);
        size_t bitmap = out.size();
        out.append(bitmap_bytes, '\0');
        for (size_t i = 0; i < row.size() && i < rs.columns.size(); ++i) {
            if (row[i].is_null()) {
                out[bitmap + (i + 2) / 8] = static_cast<char>(out[bitmap + (i + 2) / 8] | (1 << ((i + 2) % 8)));
                continue;
            }
            put_binary_value(out, rs.columns[i], row[i]);
        }
        w.end_packet();
    }
    write_result_end(w, deprecate_eof, warnings, status);
}

std::optional<uint32_t> read_statement_id(std::string_view body) {
    WireReader r(body);
    uint32_t id = r.u32();
    if (!r.ok()) return std::nullopt;
    return id;
}

namespace {

// One parameter value of `type` from the execute packet.
std::optional<Value> read_param(WireReader& r, uint16_t type) {
    bool is_unsigned = type & kUnsignedParam;
    auto signed_or_not = [&](uint64_t bits, int width) {
        if (is_unsigned) return Value::from_uint(bits);
        int shift = 64 - width;
        return Value::from_int(static_cast<int64_t>(bits << shift) >> shift);
    };
    switch (static_cast<FieldType>(type & 0xFF)) {
        case FieldType::kNull: return Value::null();
        case FieldType::kTiny: {
            uint8_t v = r.u8();
            return signed_or_not(v, 8);
        }
        case FieldType::kShort:
        case FieldType::kYear: {
            uint16_t v = r.u16();
            return signed_or_not(v, 16);
        }
        case FieldType::kLong:
        case FieldType::kInt24: {
            uint32_t v = r.u32();
            return signed_or_not(v, 32);
        }
        case FieldType::kLongLong: {
            uint64_t lo = r.u32();
            uint64_t hi = r.u32();
            return signed_or_not(lo | (hi << 32), 64);
        }
        case FieldType::kFloat: {
            uint32_t bits = r.u32();
            float f;
            std::memcpy(&f, &bits, sizeof f);
            return Value::from_double(static_cast<double>(f));
        }
        case FieldType::kDouble: {
            uint64_t lo = r.u32();
            uint64_t hi = r.u32();
            uint64_t bits = lo | (hi << 32);
            double d;
            std::memcpy(&d, &bits, sizeof d);
            return Value::from_double(d);
        }
        case FieldType::kDate:
        case FieldType::kDateTime:
        case FieldType::kTimestamp: {
            uint8_t length = r.u8();
            DateTime t;
            if (length >= 4) {
                t.year = static_cast<int16_t>(r.u16());
                t.month = r.u8();
                t.day = r.u8();
            }
            if (length >= 7) {
                t.hour = r.u8();
                t.minute = r.u8();
                t.second = r.u8();
            }
            if (length >= 11) t.micros = r.u32();
            if (length != 0 && length != 4 && length != 7 && length != 11) return std::nullopt;
            bool date = static_cast<FieldType>(type & 0xFF) == FieldType::kDate;
            return Value::from_datetime(date ? ValueKind::kDate : ValueKind::kDateTime, t);
        }
        case FieldType::kTime: {
            uint8_t length = r.u8();
            DateTime t;
            if (length >= 8) {
                t.negative = r.u8() != 0;
                uint32_t days = r.u32();
                t.hour = r.u8();
                t.minute = r.u8();
                t.second = r.u8();
                // TIME ranges to 838:59:59: more days than that fit is out of range anyway.
                uint32_t hours = std::min<uint32_t>(days, 35) * 24 + t.hour;
                t.day = static_cast<uint8_t>(hours / 24);
                t.hour = static_cast<uint8_t>(hours % 24);
            }
            if (length >= 12) t.micros = r.u32();
            if (length != 0 && length != 8 && length != 12) return std::nullopt;
            return Value::from_datetime(ValueKind::kTime, t);
        }
        case FieldType::kDecimal:
        case FieldType::kNewDecimal: {
            std::string_view text = r.lenenc_str();
            auto d = Decimal::parse(text);
            if (d.ok()) return Value::from_decimal(*d);
            return Value::from_string(std::string(text));
        }
        case FieldType::kTinyBlob:
        case FieldType::kMediumBlob:
        case FieldType::kLongBlob:
        case FieldType::kBlob:
        case FieldType::kBit: return Value::from_binary(std::string(r.lenenc_str()));
        default: return Value::from_string(std::string(r.lenenc_str()));
    }
}

Value long_data_value(uint16_t type, std::string data) {
    switch (static_cast<FieldType>(type & 0xFF)) {
        case FieldType::kTinyBlob:
        case FieldType::kMediumBlob:
        case FieldType::kLongBlob:
        case FieldType::kBlob: return Value::from_binary(std::move(data));
        default: return Value::from_string(std::move(data));
    }
}

}  // namespace

bool parse_execute(std::string_view body, StatementParams& state, ExecuteRequest& out) {
    WireReader r(body);
    out.stmt_id = r.u32();
    out.flags = r.u8();
    r.u32();  // iteration count: always 1
    if (!r.ok()) return false;
    out.params.clear();
    size_t n = state.count;
    if (n == 0) return true;
    std::string_view nulls = r.bytes((n + 7) / 8);
    uint8_t new_params_bound = r.u8();
    if (!r.ok()) return false;
    if (new_params_bound == 1) {
        state.types.resize(n);
        for (size_t i = 0; i < n; ++i) state.types[i] = r.u16();
        if (!r.ok()) return false;
    } else if (state.types.size() != n) {
        // Nothing bound yet: only NULLs and long data can be read (as text).
        state.types.assign(n, static_cast<uint16_t>(FieldType::kVarString));
    }
    state.long_data.resize(n);
    out.params.reserve(n);
    for (size_t i = 0; i < n; ++i) {
        bool is_null = static_cast<uint8_t>(nulls[i / 8]) & (1 << (i % 8));
        if (state.long_data[i]) {
            out.params.push_back(long_data_value(state.types[i], std::move(*state.long_data[i])));
            state.long_data[i].reset();
            continue;
        }
        if (is_null) {
            out.params.push_back(Value::null());
            continue;
        }
        auto v = read_param(r, state.types[i]);
        if (!v || !r.ok()) return false;
        out.params.push_back(std::move(*v));
    }
    return true;
}

}  // namespace floe::server
