#include "server/auth.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "server/tls.h"

namespace floe::server {

bool verify_native_scramble(const Sha1Digest& stage2, std::string_view nonce, std::string_view scramble) {
    if (scramble.size() != stage2.size()) return false;
    Sha1Digest mask = sha1(nonce, as_view(stage2));
    Sha1Digest stage1;
    for (size_t i = 0; i < stage1.size(); ++i) stage1[i] = static_cast<uint8_t>(scramble[i]) ^ mask[i];
    Sha1Digest check = sha1(as_view(stage1));
    return CRYPTO_memcmp(check.data(), stage2.data(), check.size()) == 0;
}

bool verify_sha2_scramble(const Sha256Digest& stage2, std::string_view nonce, std::string_view scramble) {
    if (scramble.size() != stage2.size()) return false;
    Sha256Digest mask = sha256(as_view(stage2), nonce);
    Sha256Digest stage1;
    for (size_t i = 0; i < stage1.size(); ++i) stage1[i] = static_cast<uint8_t>(scramble[i]) ^ mask[i];
    Sha256Digest check = sha256(as_view(stage1));
    return CRYPTO_memcmp(check.data(), stage2.data(), check.size()) == 0;
}

std::string native_scramble(std::string_view password, std::string_view nonce) {
    Sha1Digest stage1 = sha1(password);
    Sha1Digest mask = sha1(nonce, as_view(sha1(as_view(stage1))));
    std::string out(20, '\0');
    for (size_t i = 0; i < 20; ++i) out[i] = static_cast<char>(stage1[i] ^ mask[i]);
    return out;
}

std::string sha2_scramble(std::string_view password, std::string_view nonce) {
    Sha256Digest stage1 = sha256(password);
    Sha256Digest mask = sha256(as_view(sha256(as_view(stage1))), nonce);
    std::string out(32, '\0');
    for (size_t i = 0; i < 32; ++i) out[i] = static_cast<char>(stage1[i] ^ mask[i]);
    return out;
}

struct RsaKeyPair::Impl {
    EVP_PKEY* key = nullptr;
    ~Impl() { EVP_PKEY_free(key); }
};

RsaKeyPair::~RsaKeyPair() = default;

Result<std::unique_ptr<RsaKeyPair>> RsaKeyPair::load_or_create(const std::string& datadir) {
    auto priv = (std::filesystem::path(datadir) / "private_key.pem").string();
    auto pub = (std::filesystem::path(datadir) / "public_key.pem").string();
    if (!std::filesystem::exists(priv) || !std::filesystem::exists(pub)) {
        FLOE_CHECK(write_rsa_key_files(priv, pub));
    }
    std::unique_ptr<RsaKeyPair> pair(new RsaKeyPair());
    pair->impl_ = std::make_unique<Impl>();
    FILE* f = std::fopen(priv.c_str(), "r");
    if (!f) return make_error(ErrorCode::ER_INTERNAL_ERROR, {"cannot read " + priv});
    pair->impl_->key = PEM_read_PrivateKey(f, nullptr, nullptr, nullptr);
    std::fclose(f);
    if (!pair->impl_->key) return make_error(ErrorCode::ER_INTERNAL_ERROR, {"damaged RSA key " + priv});
    std::ifstream in(pub);
    std::stringstream ss;
    ss << in.rdbuf();
    pair->public_pem_ = ss.str();
    return pair;
}

size_t RsaKeyPair::size_bytes() const { return static_cast<size_t>(EVP_PKEY_get_size(impl_->key)); }

Result<std::string> RsaKeyPair::decrypt(std::string_view ciphertext) const {
    auto fail = [] { return make_error(ErrorCode::ER_INTERNAL_ERROR, {"RSA decryption failed"}); };
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(impl_->key, nullptr);
    if (!ctx) return fail();
    std::string out;
    size_t len = 0;
    bool ok = EVP_PKEY_decrypt_init(ctx) == 1 && EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_OAEP_PADDING) == 1 &&
              EVP_PKEY_decrypt(ctx, nullptr, &len, reinterpret_cast<const unsigned char*>(ciphertext.data()),
                               ciphertext.size()) == 1;
    if (ok) {
        out.resize(len);
        ok = EVP_PKEY_decrypt(ctx, reinterpret_cast<unsigned char*>(out.data()), &len,
                              reinterpret_cast<const unsigned char*>(ciphertext.data()), ciphertext.size()) == 1;
        out.resize(len);
    }
    EVP_PKEY_CTX_free(ctx);
    if (!ok) return fail();
    return out;
}

}  // namespace floe::server
