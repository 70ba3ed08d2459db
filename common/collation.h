// Text comparison by collation: *_general_ci style (case- and accent-insensitive for Latin letters, all
// supplementary characters equal, trailing spaces ignored), *_bin (byte order, trailing spaces ignored) and
// binary (byte order). compare_text and append_sort_key agree: comparing sort keys bytewise == compare_text.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace floe {

enum class CollationKind : uint8_t { kCaseInsensitive, kBinPadSpace, kBinary };

CollationKind collation_kind(uint16_t collation_id);

int compare_text(uint16_t collation_id, std::string_view a, std::string_view b);
// Appends the collation's weights: 2 bytes (big-endian) per character for case-insensitive collations, the
// bytes themselves otherwise; trailing spaces dropped for PAD SPACE collations.
void append_sort_key(uint16_t collation_id, std::string_view s, std::string& out);

}  // namespace floe
