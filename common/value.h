// Value: one SQL value as it flows through expressions and result rows. Strings carry whether they are
// text or binary (charset 63); temporal values are kept as their fields, never as text.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "common/decimal.h"

namespace floe {

enum class ValueKind : uint8_t { kNull, kInt, kUInt, kDouble, kDecimal, kString, kBinary, kDate, kDateTime, kTime };

// A calendar date and time of day; for kTime, `day` carries whole days of an interval and `negative` its sign.
struct DateTime {
    int16_t year = 0;
    uint8_t month = 0, day = 0, hour = 0, minute = 0, second = 0;
    uint32_t micros = 0;
    bool negative = false;
};

// Length of the longest prefix of `s` that reads as a number, leading blanks included ("  -12.5e3xyz" ->
// "  -12.5e3"); 0 when there is no number.
size_t numeric_prefix(std::string_view s, bool allow_fraction);

class Value {
public:
    Value() = default;  // NULL
    static Value null() { return Value(); }
    static Value from_int(int64_t v) { return Value(ValueKind::kInt, v); }
    static Value from_uint(uint64_t v) { return Value(ValueKind::kUInt, v); }
    static Value from_bool(bool v) { return from_int(v ? 1 : 0); }
    static Value from_double(double v) { return Value(ValueKind::kDouble, v); }
    static Value from_decimal(Decimal v) { return Value(ValueKind::kDecimal, v); }
    static Value from_string(std::string v) { return Value(ValueKind::kString, std::move(v)); }
    static Value from_binary(std::string v) { return Value(ValueKind::kBinary, std::move(v)); }
    static Value from_datetime(ValueKind kind, DateTime v) { return Value(kind, v); }
    // Makes this a string (kString or kBinary) of `s`, reusing the buffer it holds when it is one already
    // (a row buffer decoded into over and over allocates once).
    void assign_string(ValueKind kind, std::string_view s) {
        if (auto* held = std::get_if<std::string>(&v_)) {
            held->assign(s);
        } else {
            v_.emplace<std::string>(s);
        }
        kind_ = kind;
    }

    // In-place setters for a value decoded over and over into one slot (no temporary to move in).
    void set_null() {
        v_.emplace<std::monostate>();
        kind_ = ValueKind::kNull;
    }
    void set_int(int64_t v) { set_scalar(ValueKind::kInt, v); }
    void set_uint(uint64_t v) { set_scalar(ValueKind::kUInt, v); }
    void set_double(double v) { set_scalar(ValueKind::kDouble, v); }
    void set_datetime(ValueKind kind, DateTime v) { set_scalar(kind, v); }

    ValueKind kind() const { return kind_; }
    bool is_null() const { return kind_ == ValueKind::kNull; }
    bool is_string() const { return kind_ == ValueKind::kString || kind_ == ValueKind::kBinary; }
    bool is_temporal() const {
        return kind_ == ValueKind::kDate || kind_ == ValueKind::kDateTime || kind_ == ValueKind::kTime;
    }
    bool is_integer() const { return kind_ == ValueKind::kInt || kind_ == ValueKind::kUInt; }

    int64_t int_value() const { return std::get<int64_t>(v_); }
    uint64_t uint_value() const { return std::get<uint64_t>(v_); }
    double double_value() const { return std::get<double>(v_); }
    const Decimal& decimal_value() const { return std::get<Decimal>(v_); }
    const std::string& string_value() const { return std::get<std::string>(v_); }
    const DateTime& datetime_value() const { return std::get<DateTime>(v_); }

    // Numeric views with MySQL's coercion (strings: longest numeric prefix; `truncated` is set when text
    // had to be cut, so the caller can warn 1292).
    double to_double(bool* truncated = nullptr) const;
    int64_t to_int(bool* truncated = nullptr) const;
    Decimal to_decimal(bool* truncated = nullptr) const;
    // Truth value for WHERE / IF / AND: NULL is neither (caller checks is_null first).
    bool to_bool() const;

    // Appends the text-protocol form (what `SELECT` shows). NULL appends nothing.
    void append_text(std::string& out) const;
    std::string to_text() const {
        std::string s;
        append_text(s);
        return s;
    }

private:
    using Payload = std::variant<std::monostate, int64_t, uint64_t, double, Decimal, std::string, DateTime>;
    template <class T>
    Value(ValueKind kind, T v) : kind_(kind), v_(std::move(v)) {}

    template <class T>
    void set_scalar(ValueKind kind, T v) {
        if (auto* held = std::get_if<T>(&v_)) {
            *held = v;
        } else {
            v_.emplace<T>(v);
        }
        kind_ = kind;
    }

    ValueKind kind_ = ValueKind::kNull;
    Payload v_;
};

// Formats a double as MySQL does for DOUBLE results (shortest round-trip form, no trailing ".0").
void append_double(std::string& out, double v);

}  // namespace floe
