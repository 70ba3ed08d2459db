#include "common/sha.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <stdexcept>

namespace floe {
namespace {

template <size_t N>
std::array<uint8_t, N> digest(const EVP_MD* md, std::string_view a, std::string_view b) {
    std::array<uint8_t, N> out{};
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    unsigned int len = 0;
    EVP_DigestInit_ex(ctx, md, nullptr);
    EVP_DigestUpdate(ctx, a.data(), a.size());
    if (!b.empty()) EVP_DigestUpdate(ctx, b.data(), b.size());
    EVP_DigestFinal_ex(ctx, out.data(), &len);
    EVP_MD_CTX_free(ctx);
    return out;
}

}  // namespace

Sha1Digest sha1(std::string_view a, std::string_view b) { return digest<20>(EVP_sha1(), a, b); }
Sha256Digest sha256(std::string_view a, std::string_view b) { return digest<32>(EVP_sha256(), a, b); }

void random_bytes(uint8_t* out, size_t n) {
    if (RAND_bytes(out, static_cast<int>(n)) != 1) throw std::runtime_error("RAND_bytes failed");
}

}  // namespace floe
