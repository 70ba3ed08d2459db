// UserDirectory: the accounts that may log in ('user'@'host', auth plugin, password hashes), kept in the system
// instance. Record layout (value of key "user/<user>\0<host>"):
//   [version u8 = 1][plugin: u8 length + bytes][has_password u8][native: 20 bytes SHA1(SHA1(pw))]
//   [sha2: 32 bytes SHA256(SHA256(pw))]
// Both hashes are kept so an account can answer either plugin's fast path; the cleartext is never stored.
// Thread-safety: internally locked; any thread may call.
#pragma once

#include <array>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/sha.h"

namespace floe::storage {
class SystemStore;
}

namespace floe::sql {

inline constexpr std::string_view kNativePlugin = "mysql_native_password";
inline constexpr std::string_view kCachingSha2Plugin = "caching_sha2_password";

struct Account {
    std::string user;
    std::string host;  // '%' (any), 'localhost' (loopback and socket), or an exact address
    std::string plugin;
    bool has_password = false;
    Sha1Digest native_hash{};   // SHA1(SHA1(password))
    Sha256Digest sha2_hash{};   // SHA256(SHA256(password))

    // Sets both hashes from a cleartext password ("" = no password).
    void set_password(std::string_view password);
    // Does `password` (cleartext) match?
    bool check_password(std::string_view password) const;
};

std::string encode_account(const Account& a);
Result<Account> decode_account(std::string_view user, std::string_view host, std::string_view bytes);

class UserDirectory {
public:
    explicit UserDirectory(storage::SystemStore& store);

    // Loads accounts; on a fresh store creates root@'%' with `root_password` and `plugin`.
    Status load(std::string_view root_password, std::string_view plugin);

    // The account `user` logs into from `client_host` (127.0.0.1, ::1 or "localhost" for the socket):
    // an exact host beats 'localhost', which beats '%'.
    std::optional<Account> find(std::string_view user, std::string_view client_host) const;
    bool exists(std::string_view user, std::string_view host) const;

    Status create(const Account& account);
    Status update(const Account& account);
    Status remove(std::string_view user, std::string_view host);

private:
    storage::SystemStore& store_;
    mutable std::mutex mu_;  // guards accounts_
    std::vector<Account> accounts_;
};

}  // namespace floe::sql
