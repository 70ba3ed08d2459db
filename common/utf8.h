// UTF-8 helpers for character-based (not byte-based) string operations: LENGTH vs CHAR_LENGTH, SUBSTRING,
// VARCHAR(n) limits.
#pragma once

#include <cstddef>
#include <string_view>

namespace floe {

// Number of characters (continuation bytes are not counted).
inline size_t utf8_char_count(std::string_view s) {
    size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
}

// Byte offset of character index `chars`, clamped to the end.
inline size_t utf8_byte_offset(std::string_view s, size_t chars) {
    size_t i = 0;
    while (i < s.size() && chars > 0) {
        ++i;
        while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) ++i;
        --chars;
    }
    return i;
}

}  // namespace floe
