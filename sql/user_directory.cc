#include "sql/user_directory.h"

#include <algorithm>
#include <cstring>

#include <openssl/crypto.h>

#include "storage/system_store.h"

namespace floe::sql {
namespace {

constexpr uint8_t kAccountFormat = 1;

std::string account_key(std::string_view user, std::string_view host) {
    std::string key = "user/";
    key += user;
    key.push_back('\0');
    key += host;
    return key;
}

bool is_loopback(std::string_view host) { return host == "127.0.0.1" || host == "::1" || host == "localhost"; }

int host_rank(std::string_view account_host, std::string_view client_host) {
    if (account_host == client_host) return 3;
    if (account_host == "localhost" && is_loopback(client_host)) return 2;
    if (account_host == "%") return 1;
    return 0;
}

}  // namespace

void Account::set_password(std::string_view password) {
    has_password = !password.empty();
    if (!has_password) {
        native_hash.fill(0);
        sha2_hash.fill(0);
        return;
    }
    native_hash = sha1(as_view(sha1(password)));
    sha2_hash = sha256(as_view(sha256(password)));
}

bool Account::check_password(std::string_view password) const {
    if (!has_password) return password.empty();
    auto h = sha256(as_view(sha256(password)));
    return CRYPTO_memcmp(h.data(), sha2_hash.data(), h.size()) == 0;
}

std::string encode_account(const Account& a) {
    std::string out;
    out.push_back(static_cast<char>(kAccountFormat));
    out.push_back(static_cast<char>(a.plugin.size()));
    out += a.plugin;
    out.push_back(a.has_password ? 1 : 0);
    out.append(reinterpret_cast<const char*>(a.native_hash.data()), a.native_hash.size());
    out.append(reinterpret_cast<const char*>(a.sha2_hash.data()), a.sha2_hash.size());
    return out;
}

Result<Account> decode_account(std::string_view user, std::string_view host, std::string_view b) {
    auto corrupt = [&] {
        return make_error(ErrorCode::ER_INTERNAL_ERROR, {"damaged account record for '" + std::string(user) + "'"});
    };
    if (b.size() < 2 || static_cast<uint8_t>(b[0]) != kAccountFormat) return corrupt();
    size_t plugin_len = static_cast<uint8_t>(b[1]);
    if (b.size() != 2 + plugin_len + 1 + 20 + 32) return corrupt();
    Account a;
    a.user = user;
    a.host = host;
    a.plugin = std::string(b.substr(2, plugin_len));
    size_t p = 2 + plugin_len;
    a.has_password = b[p++] != 0;
    std::memcpy(a.native_hash.data(), b.data() + p, 20);
    std::memcpy(a.sha2_hash.data(), b.data() + p + 20, 32);
    return a;
}

UserDirectory::UserDirectory(storage::SystemStore& store) : store_(store) {}

Status UserDirectory::load(std::string_view root_password, std::string_view plugin) {
    auto loaded = FLOE_TRY(store_.decode_all<Account>("user/", [](std::string_view key, std::string_view value) {
        auto rest = key.substr(5);
        auto nul = rest.find('\0');
        return decode_account(rest.substr(0, nul), nul == std::string_view::npos ? "%" : rest.substr(nul + 1), value);
    }));
    if (loaded.empty()) {
        Account root;
        root.user = "root";
        root.host = "%";
        root.plugin = std::string(plugin);
        root.set_password(root_password);
        FLOE_CHECK(store_.put(account_key(root.user, root.host), encode_account(root)));
        loaded.push_back(std::move(root));
    }
    std::lock_guard lock(mu_);
    accounts_ = std::move(loaded);
    return {};
}

std::optional<Account> UserDirectory::find(std::string_view user, std::string_view client_host) const {
    std::lock_guard lock(mu_);
    const Account* best = nullptr;
    int best_rank = 0;
    for (const auto& a : accounts_) {
        if (a.user != user) continue;
        int rank = host_rank(a.host, client_host);
        if (rank > best_rank) {
            best = &a;
            best_rank = rank;
        }
    }
    if (!best) return std::nullopt;
    return *best;
}

bool UserDirectory::exists(std::string_view user, std::string_view host) const {
    std::lock_guard lock(mu_);
    return std::any_of(accounts_.begin(), accounts_.end(),
                       [&](const Account& a) { return a.user == user && a.host == host; });
}

Status UserDirectory::create(const Account& account) {
    std::lock_guard lock(mu_);
    FLOE_CHECK(store_.put(account_key(account.user, account.host), encode_account(account)));
    accounts_.push_back(account);
    return {};
}

Status UserDirectory::update(const Account& account) {
    std::lock_guard lock(mu_);
    FLOE_CHECK(store_.put(account_key(account.user, account.host), encode_account(account)));
    for (auto& a : accounts_) {
        if (a.user == account.user && a.host == account.host) a = account;
    }
    return {};
}

Status UserDirectory::remove(std::string_view user, std::string_view host) {
    std::lock_guard lock(mu_);
    FLOE_CHECK(store_.remove(account_key(user, host)));
    std::erase_if(accounts_, [&](const Account& a) { return a.user == user && a.host == host; });
    return {};
}

}  // namespace floe::sql
