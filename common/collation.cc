#include "common/collation.h"

#include "common/charset.h"

#include <algorithm>
#include <array>

namespace floe {
namespace {

// Decodes one UTF-8 character at s[i], advancing i; malformed bytes come back as themselves.
uint32_t next_code_point(std::string_view s, size_t& i) {
    auto b = static_cast<unsigned char>(s[i]);
    int len = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 1;
    if (i + len > s.size()) len = 1;
    uint32_t cp = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
    for (int k = 1; k < len; ++k) {
        auto c = static_cast<unsigned char>(s[i + k]);
        if ((c & 0xC0) != 0x80) {
            len = 1;
            cp = b;
            break;
        }
        cp = (cp << 6) | (c & 0x3F);
    }
    i += len;
    return cp;
}

// general_ci weight of a code point: upper case, Latin accents folded onto their base letter, every character
// outside the BMP equal (U+FFFD), as MySQL's utf8mb4_general_ci does.
uint16_t general_ci_weight(uint32_t cp) {
    if (cp < 0x80) return static_cast<uint16_t>(cp >= 'a' && cp <= 'z' ? cp - 32 : cp);
    if (cp >= 0xC0 && cp <= 0xFF) {
        static const char kLatin1[] =
            "AAAAAA\xC6" "CEEEEIIII\xD0" "NOOOOO\xD7" "OUUUUY\xDE" "S"   // C0..DF
            "AAAAAA\xC6" "CEEEEIIII\xD0" "NOOOOO\xF7" "OUUUUY\xDE" "Y";  // E0..FF
        return static_cast<unsigned char>(kLatin1[cp - 0xC0]);
    }
    if (cp >= 0x3B1 && cp <= 0x3C9 && cp != 0x3C2) return static_cast<uint16_t>(cp - 0x20);  // Greek
    if (cp >= 0x430 && cp <= 0x44F) return static_cast<uint16_t>(cp - 0x20);                 // Cyrillic
    if (cp >= 0x450 && cp <= 0x45F) return static_cast<uint16_t>(cp - 0x50);
    if (cp > 0xFFFF) return 0xFFFD;
    return static_cast<uint16_t>(cp);
}

std::string_view trim_trailing_spaces(std::string_view s) {
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    return s;
}

CollationKind collation_kind_uncached(uint16_t id) {
    if (id == kBinaryCollationId) return CollationKind::kBinary;
    const Collation* c = collation_by_id(id);
    if (c && c->name.size() > 4 && c->name.substr(c->name.size() - 4) == "_bin") return CollationKind::kBinPadSpace;
    return CollationKind::kCaseInsensitive;
}

}  // namespace

// Looked up per comparison (sorts, DISTINCT, index keys): a table by id instead of a search by name.
CollationKind collation_kind(uint16_t id) {
    static const auto kinds = [] {
        std::array<CollationKind, 256> k{};
        for (size_t i = 0; i < k.size(); ++i) k[i] = collation_kind_uncached(static_cast<uint16_t>(i));
        return k;
    }();
    return id < kinds.size() ? kinds[id] : collation_kind_uncached(id);
}

int compare_text(uint16_t id, std::string_view a, std::string_view b) {
    CollationKind kind = collation_kind(id);
    if (kind != CollationKind::kBinary) {
        a = trim_trailing_spaces(a);
        b = trim_trailing_spaces(b);
    }
    if (kind != CollationKind::kCaseInsensitive) {
        int c = a.compare(b);
        return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    // Equal bytes weigh the same: start at the first difference (at its character's first byte).
    size_t same = static_cast<size_t>(std::mismatch(a.begin(), a.begin() + static_cast<std::ptrdiff_t>(std::min(a.size(), b.size())),
                                                    b.begin()).first - a.begin());
    auto continuation = [&](size_t k) {
        unsigned char c = k < a.size() ? static_cast<unsigned char>(a[k]) : k < b.size() ? static_cast<unsigned char>(b[k]) : 0;
        return (c & 0xC0) == 0x80;
    };
    while (same > 0 && continuation(same)) --same;
    size_t i = same, j = same;
    while (i < a.size() && j < b.size()) {
        auto x8 = static_cast<unsigned char>(a[i]), y8 = static_cast<unsigned char>(b[j]);
        if ((x8 | y8) < 0x80) {  // ASCII: one byte each, no decoding
            uint16_t x = general_ci_weight(x8), y = general_ci_weight(y8);
            if (x != y) return x < y ? -1 : 1;
            ++i;
            ++j;
            continue;
        }
        uint16_t x = general_ci_weight(next_code_point(a, i));
        uint16_t y = general_ci_weight(next_code_point(b, j));
        if (x != y) return x < y ? -1 : 1;
    }
    if (i < a.size()) return 1;
    if (j < b.size()) return -1;
    return 0;
}

void append_sort_key(uint16_t id, std::string_view s, std::string& out) {
    CollationKind kind = collation_kind(id);
    if (kind != CollationKind::kBinary) s = trim_trailing_spaces(s);
    if (kind != CollationKind::kCaseInsensitive) {
        out.append(s);
        return;
    }
    // Two bytes per character, and a character is at least a byte: write into room for 2 per byte, then trim.
    size_t start = out.size();
    out.resize(start + 2 * s.size());
    char* w = out.data() + start;
    size_t i = 0;
    while (i < s.size()) {
        auto b = static_cast<unsigned char>(s[i]);
        if (b < 0x80) {  // ASCII: its weight is its upper-case byte
            w[0] = '\0';
            w[1] = static_cast<char>(b >= 'a' && b <= 'z' ? b - 32 : b);
            w += 2;
            ++i;
            continue;
        }
        uint16_t weight = general_ci_weight(next_code_point(s, i));
        w[0] = static_cast<char>(weight >> 8);
        w[1] = static_cast<char>(weight & 0xFF);
        w += 2;
    }
    out.resize(static_cast<size_t>(w - out.data()));
}

}  // namespace floe
