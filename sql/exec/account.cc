// CREATE USER / ALTER USER / DROP USER. Privileges (GRANT / REVOKE) come with the users issue; until then
// only root may manage accounts.
#include "sql/engine.h"
#include "sql/exec/executor.h"
#include "sql/session.h"

namespace floe::sql {
namespace {

std::string quoted(const AccountName& a) { return "'" + a.user + "'@'" + a.host + "'"; }

Status require_root(Session& session) {
    if (session.info().user != "root") {
        return make_error(ErrorCode::ER_SPECIFIC_ACCESS_DENIED_ERROR, {"CREATE USER"});
    }
    return {};
}

Result<std::string> plugin_of(const AccountSpec& spec, Session& session) {
    if (!spec.plugin) return session.global_variable(*find_variable("default_authentication_plugin")).to_text();
    if (*spec.plugin != kNativePlugin && *spec.plugin != kCachingSha2Plugin) {
        return make_error(ErrorCode::ER_PLUGIN_IS_NOT_LOADED, {*spec.plugin});
    }
    return *spec.plugin;
}

StatementResult ok() {
    StatementResult r;
    r.body = OkResult{};
    return r;
}

}  // namespace

Result<StatementResult> execute_create_user(Session& session, CreateUserStmt& stmt) {
    FLOE_CHECK(require_root(session));
    auto& users = session.engine().users();
    // MySQL checks every account first and creates none when one fails.
    std::string failed;
    for (const auto& spec : stmt.accounts) {
        if (users.exists(spec.name.user, spec.name.host)) {
            if (stmt.if_not_exists) {
                session.add_warning(ErrorCode::ER_USER_ALREADY_EXISTS,
                                    make_error(ErrorCode::ER_USER_ALREADY_EXISTS, {quoted(spec.name)}).message, "Note");
                continue;
            }
            failed += (failed.empty() ? "" : ",") + quoted(spec.name);
        }
    }
    if (!failed.empty()) return make_error(ErrorCode::ER_CANNOT_USER, {"CREATE USER", failed});
    for (const auto& spec : stmt.accounts) {
        if (users.exists(spec.name.user, spec.name.host)) continue;
        Account a;
        a.user = spec.name.user;
        a.host = spec.name.host;
        a.plugin = FLOE_TRY(plugin_of(spec, session));
        a.set_password(spec.password.value_or(""));
        FLOE_CHECK(users.create(a));
    }
    return ok();
}

Result<StatementResult> execute_alter_user(Session& session, AlterUserStmt& stmt) {
    auto& users = session.engine().users();
    std::string failed;
    for (const auto& spec : stmt.accounts) {
        bool self = spec.name.user == session.info().user && spec.name.host == session.info().account_host;
        if (!self) FLOE_CHECK(require_root(session));
        if (!users.exists(spec.name.user, spec.name.host) && !stmt.if_exists) {
            failed += (failed.empty() ? "" : ",") + quoted(spec.name);
        }
    }
    if (!failed.empty()) return make_error(ErrorCode::ER_CANNOT_USER, {"ALTER USER", failed});
    for (const auto& spec : stmt.accounts) {
        auto found = users.find(spec.name.user, spec.name.host);
        if (!found || found->host != spec.name.host) continue;
        Account a = *found;
        if (spec.plugin) a.plugin = FLOE_TRY(plugin_of(spec, session));
        if (spec.password) a.set_password(*spec.password);
        FLOE_CHECK(users.update(a));
    }
    return ok();
}

Result<StatementResult> execute_drop_user(Session& session, DropUserStmt& stmt) {
    FLOE_CHECK(require_root(session));
    auto& users = session.engine().users();
    std::string failed;
    for (const auto& name : stmt.accounts) {
        if (!users.exists(name.user, name.host)) {
            if (stmt.if_exists) {
                session.add_warning(ErrorCode::ER_USER_DOES_NOT_EXIST,
                                    make_error(ErrorCode::ER_USER_DOES_NOT_EXIST, {quoted(name)}).message, "Note");
                continue;
            }
            failed += (failed.empty() ? "" : ",") + quoted(name);
        }
    }
    if (!failed.empty()) return make_error(ErrorCode::ER_CANNOT_USER, {"DROP USER", failed});
    for (const auto& name : stmt.accounts) {
        if (users.exists(name.user, name.host)) FLOE_CHECK(users.remove(name.user, name.host));
    }
    return ok();
}

}  // namespace floe::sql
