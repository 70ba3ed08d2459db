#include "common/value.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace floe {
namespace {

bool only_space(std::string_view s) {
    for (char c : s) {
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return false;
    }
    return true;
}

void append_2(std::string& out, unsigned v) {
    out.push_back(static_cast<char>('0' + v / 10 % 10));
    out.push_back(static_cast<char>('0' + v % 10));
}

void append_datetime(std::string& out, ValueKind kind, const DateTime& t) {
    char buf[48];
    if (kind == ValueKind::kDate) {
        std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", t.year, t.month, t.day);
        out += buf;
        return;
    }
    if (kind == ValueKind::kDateTime) {
        std::snprintf(buf, sizeof buf, "%04d-%02u-%02u %02u:%02u:%02u", t.year, t.month, t.day, t.hour, t.minute,
                      t.second);
        out += buf;
    } else {
        if (t.negative) out.push_back('-');
        unsigned hours = t.day * 24u + t.hour;
        if (hours >= 100) {
            out += std::to_string(hours);
        } else {
            append_2(out, hours);
        }
        out.push_back(':');
        append_2(out, t.minute);
        out.push_back(':');
        append_2(out, t.second);
    }
    if (t.micros != 0) {
        std::snprintf(buf, sizeof buf, ".%06u", t.micros);
        out += buf;
    }
}

}  // namespace

size_t numeric_prefix(std::string_view s, bool allow_fraction) {
    size_t i = 0;
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n')) ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    size_t digits_start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (allow_fraction && i < s.size() && s[i] == '.') {
        ++i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    }
    if (i == digits_start) return 0;
    if (allow_fraction && i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        size_t j = i + 1;
        if (j < s.size() && (s[j] == '-' || s[j] == '+')) ++j;
        size_t exp_start = j;
        while (j < s.size() && s[j] >= '0' && s[j] <= '9') ++j;
        if (j > exp_start) i = j;
    }
    return i;
}


void append_double(std::string& out, double v) {
    if (std::isnan(v) || std::isinf(v)) {
        out += std::isnan(v) ? "NaN" : (v > 0 ? "inf" : "-inf");
        return;
    }
    char buf[64];
    // MySQL prints up to 17 significant digits, shortest round-trip, using exponent form for large/small values.
    auto res = std::to_chars(buf, buf + sizeof buf, v);
    std::string_view s(buf, static_cast<size_t>(res.ptr - buf));
    // to_chars gives "1e+20"; MySQL gives "1e20".
    auto e = s.find('e');
    if (e != std::string_view::npos && e + 1 < s.size() && s[e + 1] == '+') {
        out.append(s.substr(0, e + 1));
        out.append(s.substr(e + 2));
    } else {
        out.append(s);
    }
}

double Value::to_double(bool* truncated) const {
    switch (kind_) {
        case ValueKind::kNull: return 0;
        case ValueKind::kInt: return static_cast<double>(int_value());
        case ValueKind::kUInt: return static_cast<double>(uint_value());
        case ValueKind::kDouble: return double_value();
        case ValueKind::kDecimal: return decimal_value().to_double();
        case ValueKind::kString:
        case ValueKind::kBinary: {
            const std::string& s = string_value();
            size_t n = numeric_prefix(s, true);
            if (truncated && !only_space(std::string_view(s).substr(n))) *truncated = true;
            return n == 0 ? 0.0 : std::strtod(std::string(s, 0, n).c_str(), nullptr);
        }
        default: {
            std::string text;
            append_text(text);
            std::string digits;
            for (char c : text) {
                if (c >= '0' && c <= '9') digits.push_back(c);
                if (c == '.') digits.push_back(c);
            }
            return std::strtod(digits.c_str(), nullptr);
        }
    }
}

int64_t Value::to_int(bool* truncated) const {
    switch (kind_) {
        case ValueKind::kNull: return 0;
        case ValueKind::kInt: return int_value();
        case ValueKind::kUInt: return static_cast<int64_t>(uint_value());
        case ValueKind::kDouble: {
            double r = std::round(double_value());
            if (r >= 9.2233720368547758e18) return INT64_MAX;
            if (r <= -9.2233720368547758e18) return INT64_MIN;
            return static_cast<int64_t>(r);
        }
        case ValueKind::kDecimal: {
            auto r = decimal_value().to_int64();
            return r.ok() ? *r : (decimal_value().negative() ? INT64_MIN : INT64_MAX);
        }
        case ValueKind::kString:
        case ValueKind::kBinary: {
            const std::string& s = string_value();
            size_t n = numeric_prefix(s, true);
            if (truncated && !only_space(std::string_view(s).substr(n))) *truncated = true;
            if (n == 0) return 0;
            double d = std::strtod(std::string(s, 0, n).c_str(), nullptr);
            if (std::string_view(s).substr(0, n).find_first_of(".eE") == std::string_view::npos) {
                return std::strtoll(std::string(s, 0, n).c_str(), nullptr, 10);
            }
            return Value::from_double(d).to_int();
        }
        case ValueKind::kDate: {
            const auto& t = datetime_value();
            return t.year * 10000LL + t.month * 100 + t.day;
        }
        case ValueKind::kDateTime: {
            const auto& t = datetime_value();
            return ((t.year * 10000LL + t.month * 100 + t.day) * 1000000LL) + t.hour * 10000 + t.minute * 100 +
                   t.second;
        }
        case ValueKind::kTime: {
            const auto& t = datetime_value();
            int64_t v = (t.day * 24LL + t.hour) * 10000 + t.minute * 100 + t.second;
            return t.negative ? -v : v;
        }
    }
    return 0;
}

Decimal Value::to_decimal(bool* truncated) const {
    switch (kind_) {
        case ValueKind::kInt: return Decimal::from_int(int_value());
        case ValueKind::kUInt: return Decimal::from_uint(uint_value());
        case ValueKind::kDecimal: return decimal_value();
        case ValueKind::kDouble: {
            char buf[64];
            std::snprintf(buf, sizeof buf, "%.15g", double_value());
            auto d = Decimal::parse(buf);
            return d.ok() ? *d : Decimal();
        }
        case ValueKind::kString:
        case ValueKind::kBinary: {
            const std::string& s = string_value();
            size_t n = numeric_prefix(s, true);
            if (truncated && !only_space(std::string_view(s).substr(n))) *truncated = true;
            size_t start = std::min(s.find_first_not_of(" \t\n"), n);
            auto d = Decimal::parse(std::string_view(s).substr(start, n - start));
            return d.ok() ? *d : Decimal();
        }
        default: return Decimal::from_int(to_int());
    }
}

bool Value::to_bool() const {
    switch (kind_) {
        case ValueKind::kNull: return false;
        case ValueKind::kInt: return int_value() != 0;
        case ValueKind::kUInt: return uint_value() != 0;
        case ValueKind::kDecimal: return !decimal_value().is_zero();
        default: return to_double() != 0.0;
    }
}

void Value::append_text(std::string& out) const {
    char buf[32];
    switch (kind_) {
        case ValueKind::kNull: return;
        case ValueKind::kInt: {
            auto r = std::to_chars(buf, buf + sizeof buf, int_value());
            out.append(buf, r.ptr);
            return;
        }
        case ValueKind::kUInt: {
            auto r = std::to_chars(buf, buf + sizeof buf, uint_value());
            out.append(buf, r.ptr);
            return;
        }
        case ValueKind::kDouble: append_double(out, double_value()); return;
        case ValueKind::kDecimal: out += decimal_value().to_string(); return;
        case ValueKind::kString:
        case ValueKind::kBinary: out += string_value(); return;
        case ValueKind::kDate:
        case ValueKind::kDateTime:
        case ValueKind::kTime: append_datetime(out, kind_, datetime_value()); return;
    }
}

}  // namespace floe
