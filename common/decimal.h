// Decimal: exact fixed-point numbers for DECIMAL literals and arithmetic (MySQL's DECIMAL semantics):
// an unscaled 128-bit integer and a scale (digits after the point). Up to 38 significant digits.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace floe {

class Decimal {
public:
    static constexpr int kMaxDigits = 38;
    static constexpr int kMaxScale = 30;
    static constexpr int kDivScaleIncrement = 4;  // MySQL's div_precision_increment default

    Decimal() = default;
    Decimal(__int128 unscaled, uint8_t scale) : unscaled_(unscaled), scale_(scale) {}
    static Decimal from_int(int64_t v) { return Decimal(v, 0); }
    static Decimal from_uint(uint64_t v) { return Decimal(static_cast<__int128>(v), 0); }

    // Parses "[-+]digits[.digits][e[-+]n]". Fails (1690) beyond 38 digits.
    static Result<Decimal> parse(std::string_view text);

    __int128 unscaled() const { return unscaled_; }
    uint8_t scale() const { return scale_; }
    bool is_zero() const { return unscaled_ == 0; }
    bool negative() const { return unscaled_ < 0; }

    double to_double() const;
    // Rounds half away from zero to an integer; fails on overflow of int64.
    Result<int64_t> to_int64() const;
    std::string to_string() const;

    Decimal rescaled(int scale) const;  // rounds half away from zero when the scale shrinks
    int compare(const Decimal& other) const;

    Result<Decimal> add(const Decimal& o) const;
    Result<Decimal> sub(const Decimal& o) const;
    Result<Decimal> mul(const Decimal& o) const;
    // Caller handles division by zero (NULL + warning in SQL).
    Result<Decimal> div(const Decimal& o) const;
    Decimal negated() const { return Decimal(-unscaled_, scale_); }

private:
    __int128 unscaled_ = 0;
    uint8_t scale_ = 0;
};

}  // namespace floe
