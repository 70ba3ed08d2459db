// SET: system variables (session / global), user variables, NAMES, CHARACTER SET, TRANSACTION.
#include "common/charset.h"
#include "sql/engine.h"
#include "sql/exec/executor.h"
#include "sql/exec/expr_eval.h"
#include "sql/session.h"
#include "sql/session_transaction.h"
#include "storage/storage_engine.h"

namespace floe::sql {
namespace {

Status set_system(Session& session, const SetAssignment& a, std::string_view source) {
    const VarDef* def = find_variable(a.name);
    if (!def) return make_error(ErrorCode::ER_UNKNOWN_SYSTEM_VARIABLE, {a.name});
    if (def->name == "debug_sync" && !a.is_default) {
        EvalContext ctx{session, source};
        Value text = FLOE_TRY(evaluate(*a.value, ctx));
        return session.apply_debug_sync(text.to_text());
    }
    if (def->read_only) {
        return make_error(ErrorCode::ER_INCORRECT_GLOBAL_LOCAL_VAR, {def->name, "read only"});
    }
    bool global = a.scope == VarScope::kGlobal;
    if (global && def->scopes == VarScopes::kSessionOnly) {
        return make_error(ErrorCode::ER_LOCAL_VARIABLE, {def->name});
    }
    if (!global && def->scopes == VarScopes::kGlobalOnly) {
        return make_error(ErrorCode::ER_GLOBAL_VARIABLE, {def->name});
    }
    if (!global && def->session_read_only) {
        return make_error(ErrorCode::ER_VARIABLE_IS_READONLY, {"SESSION", def->name, "GLOBAL"});
    }
    Value value;
    if (a.is_default) {
        // DEFAULT: the compiled-in default for GLOBAL, the global value for SESSION.
        if (global) {
            auto v = parse_variable_text(*def, def->default_text);
            if (!v.ok()) return make_error(ErrorCode::ER_NO_DEFAULT, {def->name});
            value = std::move(*v);
        } else {
            value = session.global_variable(*def);
        }
    } else {
        EvalContext ctx{session, source};
        Value raw = FLOE_TRY(evaluate(*a.value, ctx));
        std::optional<Error> warning;
        value = FLOE_TRY(normalize_variable(*def, raw, &warning));
        if (warning) session.add_warning(warning->code, warning->message);
    }
    if (global) {
        if (def->name == "rt_mem_limit") session.engine().storage().set_default_rt_mem_limit(static_cast<uint64_t>(value.to_int()));
        session.engine().variables().set(*def, std::move(value));
    } else {
        session.set_variable(*def, std::move(value));
    }
    return {};
}

Status set_names(Session& session, const SetAssignment& a) {
    const Collation* coll = nullptr;
    if (a.is_default) {
        coll = collation_by_id(kDefaultCollationId);
    } else {
        coll = default_collation_of_charset(a.name);
        if (!coll) return make_error(ErrorCode::ER_UNKNOWN_CHARACTER_SET, {a.name});
        if (!a.collation.empty()) {
            const Collation* c = collation_by_name(a.collation);
            if (!c) return make_error(ErrorCode::ER_UNKNOWN_COLLATION, {a.collation});
            if (c->charset != coll->charset) {
                return make_error(ErrorCode::ER_WRONG_ARGUMENTS, {"COLLATE (collation is not valid for the charset)"});
            }
            coll = c;
        }
    }
    session.apply_collation(coll->id);
    return {};
}

Status set_charset(Session& session, const SetAssignment& a) {
    // SET CHARACTER SET x: client and results = x, connection = the database charset.
    const Collation* coll =
        a.is_default ? collation_by_id(kDefaultCollationId) : default_collation_of_charset(a.name);
    if (!coll) return make_error(ErrorCode::ER_UNKNOWN_CHARACTER_SET, {a.name});
    session.set_variable(*find_variable("character_set_client"), Value::from_string(std::string(coll->charset)));
    session.set_variable(*find_variable("character_set_results"), Value::from_string(std::string(coll->charset)));
    return {};
}

}  // namespace

Result<StatementResult> execute_set(Session& session, SetStmt& stmt, std::string_view source) {
    for (auto& a : stmt.assignments) {
        switch (a.target) {
            case SetAssignment::Target::kSystem: FLOE_CHECK(set_system(session, a, source)); break;
            case SetAssignment::Target::kUser: {
                EvalContext ctx{session, source};
                Value v = a.value ? FLOE_TRY(evaluate(*a.value, ctx)) : Value::null();
                session.set_user_variable(a.name, std::move(v));
                break;
            }
            case SetAssignment::Target::kNames: FLOE_CHECK(set_names(session, a)); break;
            case SetAssignment::Target::kCharacterSet: FLOE_CHECK(set_charset(session, a)); break;
            case SetAssignment::Target::kIsolation:
            case SetAssignment::Target::kReadOnly: {
                if (a.scope == VarScope::kDefault) {
                    // Without GLOBAL / SESSION: the next transaction only, and not while one is open (MySQL).
                    if (session.in_transaction()) return make_error(ErrorCode::ER_CANT_CHANGE_TX_CHARACTERISTICS);
                    if (a.target == SetAssignment::Target::kIsolation) {
                        session.set_next_transaction(isolation_of(a.name), {});
                    } else {
                        session.set_next_transaction({}, a.name == "ON");
                    }
                    break;
                }
                SetAssignment v;
                v.scope = a.scope == VarScope::kGlobal ? VarScope::kGlobal : VarScope::kSession;
                v.name = a.target == SetAssignment::Target::kIsolation ? "transaction_isolation" : "transaction_read_only";
                auto lit = std::make_unique<Expr>();
                lit->literal = Value::from_string(a.name);
                v.value = std::move(lit);
                FLOE_CHECK(set_system(session, v, source));
                break;
            }
        }
    }
    StatementResult r;
    r.body = OkResult{};
    return r;
}

}  // namespace floe::sql
