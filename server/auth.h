// Authentication math for mysql_native_password and caching_sha2_password, and the RSA key pair that lets a
// client send its password safely over a plain connection (caching_sha2 full authentication).
//   native: client sends SHA1(pw) XOR SHA1(nonce + SHA1(SHA1(pw))); we keep SHA1(SHA1(pw)).
//   sha2:   client sends SHA256(pw) XOR SHA256(SHA256(SHA256(pw)) + nonce); we keep SHA256(SHA256(pw)).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"
#include "common/sha.h"

namespace floe::server {

bool verify_native_scramble(const Sha1Digest& stage2, std::string_view nonce, std::string_view scramble);
bool verify_sha2_scramble(const Sha256Digest& stage2, std::string_view nonce, std::string_view scramble);
// What a client computes (used by tests).
std::string native_scramble(std::string_view password, std::string_view nonce);
std::string sha2_scramble(std::string_view password, std::string_view nonce);

// The server's RSA key pair (<datadir>/private_key.pem, public_key.pem), created at first start.
// Thread-safety: immutable after load; decrypt may be called from any thread.
class RsaKeyPair {
public:
    static Result<std::unique_ptr<RsaKeyPair>> load_or_create(const std::string& datadir);
    ~RsaKeyPair();
    const std::string& public_pem() const { return public_pem_; }
    size_t size_bytes() const;
    // RSA-OAEP (SHA-1) decryption of what the client sent; fails on garbage.
    Result<std::string> decrypt(std::string_view ciphertext) const;

private:
    RsaKeyPair() = default;
    struct Impl;
    std::unique_ptr<Impl> impl_;
    std::string public_pem_;
};

}  // namespace floe::server
