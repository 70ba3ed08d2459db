// SHA-1 / SHA-256 digests (OpenSSL), for password hashes and authentication scrambles.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace floe {

using Sha1Digest = std::array<uint8_t, 20>;
using Sha256Digest = std::array<uint8_t, 32>;

Sha1Digest sha1(std::string_view a, std::string_view b = {});
Sha256Digest sha256(std::string_view a, std::string_view b = {});

inline std::string_view as_view(const Sha1Digest& d) {
    return {reinterpret_cast<const char*>(d.data()), d.size()};
}
inline std::string_view as_view(const Sha256Digest& d) {
    return {reinterpret_cast<const char*>(d.data()), d.size()};
}

// Cryptographically random bytes (OpenSSL RAND_bytes).
void random_bytes(uint8_t* out, size_t n);

}  // namespace floe
