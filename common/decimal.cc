#include "common/decimal.h"

#include <algorithm>
#include <cmath>

namespace floe {
namespace {

constexpr __int128 pow10(int n) {
    __int128 r = 1;
    for (int i = 0; i < n; ++i) r *= 10;
    return r;
}

constexpr __int128 kMaxUnscaled = pow10(Decimal::kMaxDigits) - 1;

Error out_of_range() { return make_error(ErrorCode::ER_DATA_OUT_OF_RANGE, {"DECIMAL", "decimal"}); }

bool fits(__int128 v) { return v <= kMaxUnscaled && v >= -kMaxUnscaled; }

// Brings both operands to the larger scale; fails on overflow.
bool align(const Decimal& a, const Decimal& b, __int128& x, __int128& y, int& scale) {
    scale = std::max(a.scale(), b.scale());
    x = a.unscaled();
    y = b.unscaled();
    for (int s = a.scale(); s < scale; ++s) {
        if (!fits(x * 10)) return false;
        x *= 10;
    }
    for (int s = b.scale(); s < scale; ++s) {
        if (!fits(y * 10)) return false;
        y *= 10;
    }
    return true;
}

__int128 div_round(__int128 n, __int128 d) {
    __int128 q = n / d;
    __int128 r = n % d;
    if (r != 0 && (r < 0 ? -r : r) * 2 >= (d < 0 ? -d : d)) q += ((n < 0) != (d < 0)) ? -1 : 1;
    return q;
}

}  // namespace

Result<Decimal> Decimal::parse(std::string_view text) {
    size_t i = 0;
    bool neg = false;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) neg = text[i++] == '-';
    __int128 v = 0;
    int scale = 0;
    int digits = 0;
    bool seen_point = false;
    bool any = false;
    for (; i < text.size(); ++i) {
        char c = text[i];
        if (c == '.' && !seen_point) {
            seen_point = true;
            continue;
        }
        if (c < '0' || c > '9') break;
        any = true;
        if (digits == 0 && c == '0' && !seen_point) continue;  // leading zeros
        if (digits >= kMaxDigits) {
            if (seen_point) continue;  // drop excess fraction digits (truncation)
            return out_of_range();
        }
        v = v * 10 + (c - '0');
        if (v != 0 || seen_point) ++digits;
        if (seen_point) ++scale;
    }
    if (!any) return make_error(ErrorCode::ER_WRONG_ARGUMENTS, {"DECIMAL"});
    int exponent = 0;
    if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        exponent = std::atoi(std::string(text.substr(i + 1)).c_str());
    }
    while (exponent > 0) {
        if (scale > 0) {
            --scale;
        } else {
            if (!fits(v * 10)) return out_of_range();
            v *= 10;
        }
        --exponent;
    }
    if (exponent < 0) scale -= exponent;
    if (scale > kMaxScale) {
        v = div_round(v, pow10(scale - kMaxScale));
        scale = kMaxScale;
    }
    return Decimal(neg ? -v : v, static_cast<uint8_t>(scale));
}

double Decimal::to_double() const {
    return static_cast<double>(unscaled_) / std::pow(10.0, scale_);
}

Result<int64_t> Decimal::to_int64() const {
    __int128 v = div_round(unscaled_, pow10(scale_));
    if (v > INT64_MAX || v < INT64_MIN) return make_error(ErrorCode::ER_DATA_OUT_OF_RANGE, {"BIGINT", "decimal"});
    return static_cast<int64_t>(v);
}

std::string Decimal::to_string() const {
    __int128 v = unscaled_ < 0 ? -unscaled_ : unscaled_;
    std::string digits;
    do {
        digits.push_back(static_cast<char>('0' + static_cast<int>(v % 10)));
        v /= 10;
    } while (v != 0);
    while (digits.size() <= scale_) digits.push_back('0');
    std::string out;
    if (unscaled_ < 0) out.push_back('-');
    for (size_t i = digits.size(); i-- > 0;) {
        out.push_back(digits[i]);
        if (i == scale_ && scale_ != 0) out.push_back('.');
    }
    return out;
}

Decimal Decimal::rescaled(int scale) const {
    if (scale == scale_) return *this;
    if (scale > scale_) {
        __int128 v = unscaled_;
        for (int s = scale_; s < scale; ++s) v *= 10;
        return Decimal(v, static_cast<uint8_t>(scale));
    }
    return Decimal(div_round(unscaled_, pow10(scale_ - scale)), static_cast<uint8_t>(scale));
}

int Decimal::compare(const Decimal& o) const {
    __int128 x, y;
    int scale;
    if (!align(*this, o, x, y, scale)) {
        double a = to_double(), b = o.to_double();
        return a < b ? -1 : (a > b ? 1 : 0);
    }
    return x < y ? -1 : (x > y ? 1 : 0);
}

Result<Decimal> Decimal::add(const Decimal& o) const {
    __int128 x, y;
    int scale;
    if (!align(*this, o, x, y, scale) || !fits(x + y)) return out_of_range();
    return Decimal(x + y, static_cast<uint8_t>(scale));
}

Result<Decimal> Decimal::sub(const Decimal& o) const { return add(o.negated()); }

Result<Decimal> Decimal::mul(const Decimal& o) const {
    __int128 a = unscaled_, b = o.unscaled_;
    int scale = scale_ + o.scale_;
    // Overflow check by magnitude before multiplying.
    auto mag = [](__int128 v) { return v < 0 ? -v : v; };
    if (a != 0 && mag(b) > kMaxUnscaled / mag(a)) return out_of_range();
    __int128 v = a * b;
    if (scale > kMaxScale) {
        v = div_round(v, pow10(scale - kMaxScale));
        scale = kMaxScale;
    }
    return Decimal(v, static_cast<uint8_t>(scale));
}

Result<Decimal> Decimal::div(const Decimal& o) const {
    // MySQL: result scale = dividend scale + div_precision_increment.
    int scale = std::min<int>(scale_ + kDivScaleIncrement, kMaxScale);
    // n / d with result scale: (a * 10^(scale - sa + sb)) / b.
    int shift = scale - scale_ + o.scale_;
    __int128 n = unscaled_;
    for (int i = 0; i < shift; ++i) {
        if (!fits(n * 10)) return out_of_range();
        n *= 10;
    }
    return Decimal(div_round(n, o.unscaled_), static_cast<uint8_t>(scale));
}

}  // namespace floe
