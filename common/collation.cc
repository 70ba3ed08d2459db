#include "common/collation.h"

#include "common/charset.h"

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

}  // namespace

CollationKind collation_kind(uint16_t id) {
    if (id == kBinaryCollationId) return CollationKind::kBinary;
    const Collation* c = collation_by_id(id);
    if (c && c->name.size() > 4 && c->name.substr(c->name.size() - 4) == "_bin") return CollationKind::kBinPadSpace;
    return CollationKind::kCaseInsensitive;
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
    size_t i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
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
    size_t i = 0;
    while (i < s.size()) {
        uint16_t w = general_ci_weight(next_code_point(s, i));
        out.push_back(static_cast<char>(w >> 8));
        out.push_back(static_cast<char>(w & 0xFF));
    }
}

}  // namespace floe
