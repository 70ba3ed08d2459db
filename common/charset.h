// The character sets and collations floe knows: ids as the MySQL protocol numbers them (handshake, column
// definitions), names as SHOW COLLATION / SET NAMES use them.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace floe {

struct Collation {
    uint16_t id;
    std::string_view name;
    std::string_view charset;
    bool is_default;  // the default collation of its charset
    uint8_t max_bytes_per_char;
    std::string_view description;  // of the charset, for SHOW CHARACTER SET
};

constexpr uint16_t kBinaryCollationId = 63;
constexpr uint16_t kDefaultCollationId = 45;  // utf8mb4_general_ci: the server default

std::span<const Collation> all_collations();
// nullptr when unknown. Charset names accept MySQL's aliases (utf8 = utf8mb3).
const Collation* collation_by_id(uint16_t id);
const Collation* collation_by_name(std::string_view name);
const Collation* default_collation_of_charset(std::string_view charset);

}  // namespace floe
