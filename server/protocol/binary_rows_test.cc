// Binary rows byte for byte against what MariaDB sends for the same values (the fixture
// binary_rows_golden.txt is captured by tests/clients/capture_binary_fixtures.py), and the execute packet's
// parameter block decoded back into values.
#include "server/protocol/binary_rows.h"

#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "server/protocol/wire.h"

using namespace floe;
using namespace floe::server;

namespace {

std::string from_hex(const std::string& hex) {
    std::string out;
    for (size_t i = 0; i + 1 < hex.size(); i += 2) out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    return out;
}

std::string to_hex(std::string_view bytes) {
    std::string out;
    char buf[3];
    for (unsigned char c : bytes) {
        std::snprintf(buf, sizeof buf, "%02x", c);
        out += buf;
    }
    return out;
}

std::vector<std::string> split(const std::string& line, char sep) {
    std::vector<std::string> out;
    std::stringstream ss(line);
    std::string part;
    while (std::getline(ss, part, sep)) out.push_back(part);
    return out;
}

uint32_t micros_of(const std::string& frac) {
    std::string digits = (frac + "000000").substr(0, 6);
    return static_cast<uint32_t>(std::stoul(digits));
}

// The value as the engine hands it over: the column's natural kind, from MariaDB's text form.
Value value_of(const std::string& kind, const std::string& text) {
    if (kind == "int") return Value::from_int(std::stoll(text));
    if (kind == "uint") return Value::from_uint(std::stoull(text));
    if (kind == "double") return Value::from_double(std::strtod(text.c_str(), nullptr));
    if (kind == "decimal") return Value::from_decimal(*Decimal::parse(text));
    if (kind == "string") return Value::from_string(text);
    if (kind == "binary") return Value::from_binary(text);
    DateTime t;
    if (kind == "time") {
        std::string s = text;
        if (!s.empty() && s[0] == '-') {
            t.negative = true;
            s = s.substr(1);
        }
        auto parts = split(s, ':');
        unsigned hours = static_cast<unsigned>(std::stoul(parts[0]));
        t.day = static_cast<uint8_t>(hours / 24);
        t.hour = static_cast<uint8_t>(hours % 24);
        t.minute = static_cast<uint8_t>(std::stoul(parts[1]));
        auto sec = split(parts[2], '.');
        t.second = static_cast<uint8_t>(std::stoul(sec[0]));
        if (sec.size() > 1) t.micros = micros_of(sec[1]);
        return Value::from_datetime(ValueKind::kTime, t);
    }
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
    std::sscanf(text.c_str(), "%d-%d-%d %d:%d:%d", &y, &mo, &d, &h, &mi, &s);
    t.year = static_cast<int16_t>(y);
    t.month = static_cast<uint8_t>(mo);
    t.day = static_cast<uint8_t>(d);
    t.hour = static_cast<uint8_t>(h);
    t.minute = static_cast<uint8_t>(mi);
    t.second = static_cast<uint8_t>(s);
    if (auto dot = text.find('.'); dot != std::string::npos) t.micros = micros_of(text.substr(dot + 1));
    return Value::from_datetime(kind == "date" ? ValueKind::kDate : ValueKind::kDateTime, t);
}

}  // namespace

TEST_CASE("binary row values match MariaDB's bytes for every column type", "[binary_rows]") {
    std::ifstream in(FLOE_SOURCE_DIR "/server/protocol/binary_rows_golden.txt");
    REQUIRE(in.good());
    std::string line;
    int cases = 0;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        auto f = split(line, '|');
        if (f[0] == "ROW") {
            // Ten nullable INT columns: the NULL bitmap (offset 2) spans two bytes.
            sql::ResultSet rs;
            for (const auto& type : split(f[1], ',')) {
                sql::ColumnDef c;
                c.type = static_cast<sql::FieldType>(std::stoi(type));
                rs.columns.push_back(c);
            }
            sql::Row row;
            for (int v : {1, 0, 3, 0, 0, 6, 0, 0, 0, 10}) row.push_back(v ? Value::from_int(v) : Value::null());
            rs.rows.push_back(row);
            std::string out;
            PacketWriter w(out);
            write_binary_result_set(w, rs, /*deprecate_eof=*/true, 0, 0);
            CHECK(out.find(from_hex(f[2])) != std::string::npos);
            ++cases;
            continue;
        }
        REQUIRE(f.size() == 7);
        INFO(f[0] << " value " << from_hex(f[5]));
        sql::ColumnDef c;
        c.type = static_cast<sql::FieldType>(std::stoi(f[1]));
        c.flags = static_cast<uint16_t>(std::stoi(f[2]));
        c.decimals = static_cast<uint8_t>(std::stoi(f[3]));
        std::string out;
        put_binary_value(out, c, value_of(f[4], from_hex(f[5])));
        CHECK(to_hex(out) == f[6]);
        ++cases;
    }
    CHECK(cases >= 40);
}

TEST_CASE("values of another kind are converted to the column's type", "[binary_rows]") {
    sql::ColumnDef c;
    c.type = sql::FieldType::kLongLong;
    std::string out;
    put_binary_value(out, c, Value::from_double(7.0));
    CHECK(to_hex(out) == "0700000000000000");
    c.type = sql::FieldType::kVarString;
    out.clear();
    put_binary_value(out, c, Value::from_int(-12));
    CHECK(to_hex(out) == "032d3132");
}

TEST_CASE("execute parameters decode by their bound types and reuse them when not re-bound", "[binary_rows]") {
    StatementParams st;
    st.count = 4;
    std::string body;
    put_u32(body, 7);   // statement id
    put_u8(body, 0);    // flags
    put_u32(body, 1);   // iterations
    put_u8(body, 0x04);  // NULL bitmap: the third parameter
    put_u8(body, 1);     // new params bound
    for (uint16_t t : {uint16_t{8 | 0x8000}, uint16_t{253}, uint16_t{6}, uint16_t{12}}) put_u16(body, t);
    for (int i = 0; i < 8; ++i) put_u8(body, 0xFF);  // BIGINT UNSIGNED max
    put_lenenc_str(body, "caf\xc3\xa9");
    put_u8(body, 7);
    put_u16(body, 2025);
    for (uint8_t b : {12, 31, 23, 59, 58}) put_u8(body, b);
    ExecuteRequest req;
    REQUIRE(parse_execute(body, st, req));
    CHECK(req.stmt_id == 7);
    REQUIRE(req.params.size() == 4);
    CHECK(req.params[0].kind() == ValueKind::kUInt);
    CHECK(req.params[0].uint_value() == UINT64_MAX);
    CHECK(req.params[1].string_value() == "caf\xc3\xa9");
    CHECK(req.params[2].is_null());
    CHECK(req.params[3].to_text() == "2025-12-31 23:59:58");

    // new_params_bound = 0: the types of the previous execute.
    std::string again;
    put_u32(again, 7);
    put_u8(again, 0);
    put_u32(again, 1);
    put_u8(again, 0x0E);  // all but the first NULL
    put_u8(again, 0);
    for (int i = 0; i < 8; ++i) put_u8(again, i == 0 ? 5 : 0);
    REQUIRE(parse_execute(again, st, req));
    CHECK(req.params[0].uint_value() == 5);
    CHECK(req.params[1].is_null());

    // A value cut short is malformed, never read past the end.
    std::string cut = body.substr(0, body.size() - 3);
    CHECK_FALSE(parse_execute(cut, st, req));

    // Long data replaces the parameter's value once.
    st.long_data.assign(4, std::nullopt);
    st.long_data[1] = std::string(100000, 'x');
    put_u32(again, 0);  // (unused trailing bytes are ignored)
    REQUIRE(parse_execute(again, st, req));
    CHECK(req.params[1].string_value().size() == 100000);
    REQUIRE(parse_execute(again, st, req));
    CHECK(req.params[1].is_null());
}
