// TLS for client connections: the certificate and key (configured, or generated self-signed into the data
// directory at first start, as MySQL 8 does) and the Asio SSL context built from them.
#pragma once

#include <boost/asio/ssl/context.hpp>

#include <memory>
#include <string>

#include "common/result.h"

namespace floe::server {

struct TlsFiles {
    std::string cert;
    std::string key;
    bool generated = false;
};

// Uses cert/key when both are given; otherwise <datadir>/server-cert.pem and server-key.pem, creating them
// (RSA 2048, SHA-256, 10 years) when missing.
Result<TlsFiles> ensure_tls_files(const std::string& datadir, const std::string& cert, const std::string& key);
Result<std::unique_ptr<boost::asio::ssl::context>> make_tls_context(const TlsFiles& files);

// Writes a new RSA 2048 key pair as PEM files (the private one readable by the owner only).
Status write_rsa_key_files(const std::string& private_path, const std::string& public_path);

}  // namespace floe::server
