#include "server/tls.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <sys/stat.h>

#include <filesystem>

#include "common/sha.h"

namespace floe::server {
namespace {

Error tls_error(const std::string& what) { return make_error(ErrorCode::ER_INTERNAL_ERROR, {"TLS setup: " + what}); }

struct PkeyDeleter {
    void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct X509Deleter {
    void operator()(X509* p) const { X509_free(p); }
};

Status write_private_key(EVP_PKEY* key, const std::string& path) {
    FILE* f = std::fopen(path.c_str(), "w");
    if (!f) return tls_error("cannot write " + path);
    ::chmod(path.c_str(), 0600);
    bool ok = PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr) == 1;
    std::fclose(f);
    if (!ok) return tls_error("cannot write " + path);
    return {};
}

}  // namespace

Status write_rsa_key_files(const std::string& private_path, const std::string& public_path) {
    std::unique_ptr<EVP_PKEY, PkeyDeleter> key(EVP_RSA_gen(2048));
    if (!key) return tls_error("RSA key generation failed");
    FLOE_CHECK(write_private_key(key.get(), private_path));
    FILE* f = std::fopen(public_path.c_str(), "w");
    if (!f) return tls_error("cannot write " + public_path);
    bool ok = PEM_write_PUBKEY(f, key.get()) == 1;
    std::fclose(f);
    if (!ok) return tls_error("cannot write " + public_path);
    return {};
}

Result<TlsFiles> ensure_tls_files(const std::string& datadir, const std::string& cert, const std::string& key) {
    if (!cert.empty() || !key.empty()) {
        if (cert.empty() || key.empty()) return tls_error("--ssl-cert and --ssl-key must be given together");
        return TlsFiles{cert, key, false};
    }
    TlsFiles files{(std::filesystem::path(datadir) / "server-cert.pem").string(),
                   (std::filesystem::path(datadir) / "server-key.pem").string(), false};
    if (std::filesystem::exists(files.cert) && std::filesystem::exists(files.key)) return files;

    std::unique_ptr<EVP_PKEY, PkeyDeleter> pkey(EVP_RSA_gen(2048));
    std::unique_ptr<X509, X509Deleter> x509(X509_new());
    if (!pkey || !x509) return tls_error("key generation failed");
    X509_set_version(x509.get(), 2);
    uint8_t serial[8];
    random_bytes(serial, sizeof serial);
    uint64_t serial_number = 0;
    for (uint8_t b : serial) serial_number = (serial_number << 8) | b;
    ASN1_INTEGER_set_uint64(X509_get_serialNumber(x509.get()), serial_number >> 1);
    X509_gmtime_adj(X509_getm_notBefore(x509.get()), 0);
    X509_gmtime_adj(X509_getm_notAfter(x509.get()), 10L * 365 * 24 * 3600);
    X509_set_pubkey(x509.get(), pkey.get());
    X509_NAME* name = X509_get_subject_name(x509.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("floe_auto_generated_server_certificate"), -1,
                               -1, 0);
    X509_set_issuer_name(x509.get(), name);
    if (X509_sign(x509.get(), pkey.get(), EVP_sha256()) == 0) return tls_error("certificate signing failed");
    FLOE_CHECK(write_private_key(pkey.get(), files.key));
    FILE* f = std::fopen(files.cert.c_str(), "w");
    if (!f) return tls_error("cannot write " + files.cert);
    bool ok = PEM_write_X509(f, x509.get()) == 1;
    std::fclose(f);
    if (!ok) return tls_error("cannot write " + files.cert);
    files.generated = true;
    return files;
}

Result<std::unique_ptr<boost::asio::ssl::context>> make_tls_context(const TlsFiles& files) {
    namespace ssl = boost::asio::ssl;
    auto ctx = std::make_unique<ssl::context>(ssl::context::tls_server);
    boost::system::error_code ec;
    ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                         ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1,
                     ec);
    ctx->use_certificate_chain_file(files.cert, ec);
    if (ec) return tls_error("cannot load certificate " + files.cert + ": " + ec.message());
    ctx->use_private_key_file(files.key, ssl::context::pem, ec);
    if (ec) return tls_error("cannot load key " + files.key + ": " + ec.message());
    return ctx;
}

}  // namespace floe::server
