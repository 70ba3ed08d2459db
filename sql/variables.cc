#include "sql/variables.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <strings.h>

#include "common/charset.h"

namespace floe::sql {
namespace {

constexpr std::string_view kIsolationLevels[] = {"READ-UNCOMMITTED", "READ-COMMITTED", "REPEATABLE-READ",
                                                 "SERIALIZABLE"};
constexpr std::string_view kAuthPlugins[] = {"mysql_native_password", "caching_sha2_password"};
constexpr std::string_view kTrackTxnInfo[] = {"OFF", "STATE", "CHARACTERISTICS"};
constexpr std::string_view kTrackGtids[] = {"OFF", "OWN_GTID", "ALL_GTIDS"};
constexpr std::string_view kQueryCacheType[] = {"OFF", "ON", "DEMAND"};

// sql_mode names in MySQL's canonical (bit) order.
constexpr std::string_view kSqlModes[] = {
    "REAL_AS_FLOAT",          "PIPES_AS_CONCAT",     "ANSI_QUOTES",          "IGNORE_SPACE",
    "NOT_USED",               "ONLY_FULL_GROUP_BY",  "NO_UNSIGNED_SUBTRACTION", "NO_DIR_IN_CREATE",
    "NOT_USED_9",             "NOT_USED_10",         "NOT_USED_11",          "NOT_USED_12",
    "NOT_USED_13",            "NOT_USED_14",         "NOT_USED_15",          "NOT_USED_16",
    "NOT_USED_17",            "NOT_USED_18",         "ANSI",                 "NO_AUTO_VALUE_ON_ZERO",
    "NO_BACKSLASH_ESCAPES",   "STRICT_TRANS_TABLES", "STRICT_ALL_TABLES",    "NO_ZERO_IN_DATE",
    "NO_ZERO_DATE",           "ALLOW_INVALID_DATES", "ERROR_FOR_DIVISION_BY_ZERO", "TRADITIONAL",
    "NOT_USED_29",            "HIGH_NOT_PRECEDENCE", "NO_ENGINE_SUBSTITUTION", "PAD_CHAR_TO_FULL_LENGTH",
    "TIME_TRUNCATE_FRACTIONAL",
};

constexpr uint64_t kU64Max = UINT64_MAX;

// The registry, sorted by name. Defaults that depend on the running server (datadir, port, ...) are set at
// start by the Engine.
VarDef kVariables[] = {
    {"auto_increment_increment", VarType::kUInt, VarScopes::kBoth, false, false, "1", 1, 65535},
    {"auto_increment_offset", VarType::kUInt, VarScopes::kBoth, false, false, "1", 1, 65535},
    {"autocommit", VarType::kBool, VarScopes::kBoth, false, false, "ON"},
    {"backup_dir", VarType::kString, VarScopes::kGlobalOnly, true, false, ""},
    {"backup_max_bytes_per_sec", VarType::kUInt, VarScopes::kGlobalOnly, false, false, "0"},
    {"bind_address", VarType::kString, VarScopes::kGlobalOnly, true, false, "127.0.0.1"},
    {"character_set_client", VarType::kCharset, VarScopes::kBoth, false, false, "utf8mb4"},
    {"character_set_connection", VarType::kCharset, VarScopes::kBoth, false, false, "utf8mb4"},
    {"character_set_database", VarType::kCharset, VarScopes::kBoth, false, false, "utf8mb4"},
    {"character_set_filesystem", VarType::kCharset, VarScopes::kBoth, false, false, "binary"},
    {"character_set_results", VarType::kCharset, VarScopes::kBoth, false, false, "utf8mb4", 0, kU64Max, {}, true},
    {"character_set_server", VarType::kCharset, VarScopes::kBoth, false, false, "utf8mb4"},
    {"character_set_system", VarType::kString, VarScopes::kGlobalOnly, true, false, "utf8mb3"},
    {"collation_connection", VarType::kCollation, VarScopes::kBoth, false, false, "utf8mb4_general_ci"},
    {"collation_database", VarType::kCollation, VarScopes::kBoth, false, false, "utf8mb4_general_ci"},
    {"collation_server", VarType::kCollation, VarScopes::kBoth, false, false, "utf8mb4_general_ci"},
    {"connect_timeout", VarType::kUInt, VarScopes::kGlobalOnly, false, false, "10", 2, 31536000},
    {"datadir", VarType::kString, VarScopes::kGlobalOnly, true, false, ""},
    {"deadlock_detect", VarType::kBool, VarScopes::kGlobalOnly, false, false, "ON"},
    // Session-only; SET debug_sync = '...' arms a sync point (common/debug_sync.h). Needs --debug-sync-timeout.
    {"debug_sync", VarType::kString, VarScopes::kSessionOnly, false, false, "OFF"},
    // Seconds a debug sync wait lasts by default; 0 (default) leaves the facility off.
    {"debug_sync_timeout", VarType::kUInt, VarScopes::kGlobalOnly, true, false, "0", 0, 31536000},
    {"default_authentication_plugin", VarType::kEnum, VarScopes::kGlobalOnly, true, false, "mysql_native_password",
     0, kU64Max, kAuthPlugins},
    {"default_storage_engine", VarType::kString, VarScopes::kBoth, true, false, "RocksDB"},
    {"disable_update_delete_distributed_transactions", VarType::kBool, VarScopes::kGlobalOnly, false, false, "OFF"},
    {"div_precision_increment", VarType::kUInt, VarScopes::kBoth, true, false, "4", 0, 30},
    {"error_count", VarType::kUInt, VarScopes::kSessionOnly, true, false, "0"},
    {"explicit_defaults_for_timestamp", VarType::kBool, VarScopes::kBoth, true, false, "ON"},
    {"foreign_key_checks", VarType::kBool, VarScopes::kBoth, false, false, "ON"},
    {"group_concat_max_len", VarType::kUInt, VarScopes::kBoth, false, false, "1024", 4, kU64Max},
    {"have_ssl", VarType::kString, VarScopes::kGlobalOnly, true, false, "DISABLED"},
    {"hostname", VarType::kString, VarScopes::kGlobalOnly, true, false, "localhost"},
    {"interactive_timeout", VarType::kUInt, VarScopes::kBoth, false, false, "28800", 1, 31536000},
    {"license", VarType::kString, VarScopes::kGlobalOnly, true, false, "Proprietary"},
    {"local_infile", VarType::kBool, VarScopes::kGlobalOnly, false, false, "ON"},
    {"lock_wait_timeout", VarType::kUInt, VarScopes::kBoth, false, false, "60", 1, 31536000},
    {"lockfree_backup", VarType::kBool, VarScopes::kGlobalOnly, false, false, "ON"},
    {"log_bin", VarType::kBool, VarScopes::kGlobalOnly, true, false, "OFF"},
    {"long_query_time", VarType::kDouble, VarScopes::kBoth, false, false, "10"},
    {"lower_case_table_names", VarType::kUInt, VarScopes::kGlobalOnly, true, false, "0"},
    {"max_allowed_packet", VarType::kUInt, VarScopes::kBoth, false, true, "67108864", 1024, 1073741824},
    {"max_connections", VarType::kUInt, VarScopes::kGlobalOnly, false, false, "1000", 1, 100000},
    {"max_execution_time", VarType::kUInt, VarScopes::kBoth, false, false, "0", 0, 4294967295ULL},
    {"max_prepared_stmt_count", VarType::kUInt, VarScopes::kGlobalOnly, false, false, "16382", 0, 4194304},
    {"max_statement_time", VarType::kDouble, VarScopes::kBoth, false, false, "0"},
    {"net_buffer_length", VarType::kUInt, VarScopes::kBoth, false, true, "16384", 1024, 1048576},
    {"net_read_timeout", VarType::kUInt, VarScopes::kBoth, false, false, "30", 1, 31536000},
    {"net_write_timeout", VarType::kUInt, VarScopes::kBoth, false, false, "60", 1, 31536000},
    {"optimizer_switch", VarType::kString, VarScopes::kBoth, false, false,
     "index_merge=on,index_merge_union=on,index_merge_sort_union=on,index_merge_intersection=on,"
     "engine_condition_pushdown=on,index_condition_pushdown=on,mrr=on,mrr_cost_based=on,"
     "block_nested_loop=on,batched_key_access=off,materialization=on,semijoin=on,loosescan=on,firstmatch=on,"
     "duplicateweedout=on,subquery_materialization_cost_based=on,use_index_extensions=on,"
     "condition_fanout_filter=on,derived_merge=on,use_invisible_indexes=off,skip_scan=on,hash_join=on,"
     "subquery_to_derived=off,prefer_ordering_index=on,hypergraph_optimizer=off,derived_condition_pushdown=on"},
    {"parallel_scan_min_rows", VarType::kUInt, VarScopes::kBoth, false, false, "20000", 0, kU64Max},
    {"performance_schema", VarType::kBool, VarScopes::kGlobalOnly, true, false, "OFF"},
    {"port", VarType::kUInt, VarScopes::kGlobalOnly, true, false, "3306"},
    {"protocol_version", VarType::kUInt, VarScopes::kGlobalOnly, true, false, "10"},
    {"query_cache_size", VarType::kUInt, VarScopes::kGlobalOnly, true, false, "0"},
    {"query_cache_type", VarType::kEnum, VarScopes::kBoth, true, false, "OFF", 0, kU64Max, kQueryCacheType},
    {"read_only", VarType::kBool, VarScopes::kGlobalOnly, true, false, "OFF"},
    {"require_secure_transport", VarType::kBool, VarScopes::kGlobalOnly, false, false, "OFF"},
    {"rt_mem_limit", VarType::kUInt, VarScopes::kGlobalOnly, false, false, "134217728", 1048576, kU64Max},
    {"server_id", VarType::kUInt, VarScopes::kGlobalOnly, true, false, "1"},
    {"session_track_gtids", VarType::kEnum, VarScopes::kBoth, false, false, "OFF", 0, kU64Max, kTrackGtids},
    {"session_track_schema", VarType::kBool, VarScopes::kBoth, false, false, "ON"},
    {"session_track_state_change", VarType::kBool, VarScopes::kBoth, false, false, "OFF"},
    {"session_track_system_variables", VarType::kString, VarScopes::kBoth, false, false,
     "time_zone,autocommit,character_set_client,character_set_results,character_set_connection"},
    {"session_track_transaction_info", VarType::kEnum, VarScopes::kBoth, false, false, "OFF", 0, kU64Max,
     kTrackTxnInfo},
    {"skip_name_resolve", VarType::kBool, VarScopes::kGlobalOnly, true, false, "ON"},
    {"skip_networking", VarType::kBool, VarScopes::kGlobalOnly, true, false, "OFF"},
    {"socket", VarType::kString, VarScopes::kGlobalOnly, true, false, ""},
    {"sql_auto_is_null", VarType::kBool, VarScopes::kBoth, false, false, "OFF"},
    {"sql_mode", VarType::kSqlMode, VarScopes::kBoth, false, false,
     "ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,"
     "NO_ENGINE_SUBSTITUTION"},
    {"sql_notes", VarType::kBool, VarScopes::kBoth, false, false, "ON"},
    {"sql_quote_show_create", VarType::kBool, VarScopes::kBoth, false, false, "ON"},
    {"sql_safe_updates", VarType::kBool, VarScopes::kBoth, false, false, "OFF"},
    {"sql_select_limit", VarType::kUInt, VarScopes::kBoth, false, false, "18446744073709551615"},
    {"sql_warnings", VarType::kBool, VarScopes::kBoth, false, false, "OFF"},
    {"ssl_cert", VarType::kString, VarScopes::kGlobalOnly, true, false, ""},
    {"ssl_key", VarType::kString, VarScopes::kGlobalOnly, true, false, ""},
    {"system_time_zone", VarType::kString, VarScopes::kGlobalOnly, true, false, "UTC"},
    {"time_zone", VarType::kTimeZone, VarScopes::kBoth, false, false, "SYSTEM"},
    {"tls_version", VarType::kString, VarScopes::kGlobalOnly, true, false, "TLSv1.2,TLSv1.3"},
    {"tmpdir", VarType::kString, VarScopes::kGlobalOnly, true, false, "/tmp"},
    {"transaction_isolation", VarType::kEnum, VarScopes::kBoth, false, false, "READ-COMMITTED", 0, kU64Max,
     kIsolationLevels},
    {"transaction_read_only", VarType::kBool, VarScopes::kBoth, false, false, "OFF"},
    {"tx_isolation", VarType::kEnum, VarScopes::kBoth, false, false, "READ-COMMITTED", 0, kU64Max,
     kIsolationLevels, false, 0, "transaction_isolation"},
    {"tx_read_only", VarType::kBool, VarScopes::kBoth, false, false, "OFF", 0, kU64Max, {}, false, 0,
     "transaction_read_only"},
    {"unique_checks", VarType::kBool, VarScopes::kBoth, false, false, "ON"},
    {"version", VarType::kString, VarScopes::kGlobalOnly, true, false, "8.0.35-floe"},
    {"version_comment", VarType::kString, VarScopes::kGlobalOnly, true, false, "floe server - MySQL protocol on RocksDB"},
    {"version_compile_machine", VarType::kString, VarScopes::kGlobalOnly, true, false, "x86_64"},
    {"version_compile_os", VarType::kString, VarScopes::kGlobalOnly, true, false, "Linux"},
    {"wait_timeout", VarType::kUInt, VarScopes::kBoth, false, false, "28800", 1, 31536000},
    {"wal_sync", VarType::kBool, VarScopes::kGlobalOnly, true, false, "ON"},
    {"warning_count", VarType::kUInt, VarScopes::kSessionOnly, true, false, "0"},
};

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

std::string upper(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    return out;
}

size_t assign_slots() {
    uint16_t next = 0;
    for (auto& def : kVariables) {
        if (def.alias_of.empty()) def.slot = next++;
    }
    for (auto& def : kVariables) {
        if (!def.alias_of.empty()) {
            for (auto& target : kVariables) {
                if (target.name == def.alias_of) def.slot = target.slot;
            }
        }
    }
    return next;
}

const size_t kSlotCount = assign_slots();

Error wrong_value(const VarDef& def, const Value& value) {
    std::string text = value.is_null() ? "NULL" : value.to_text();
    return make_error(ErrorCode::ER_WRONG_VALUE_FOR_VAR, {def.name, text});
}

Result<Value> normalize_sql_mode(const VarDef& def, const Value& value) {
    if (value.is_null()) return wrong_value(def, value);
    if (!value.is_string()) return make_error(ErrorCode::ER_WRONG_TYPE_FOR_VAR, {def.name});
    std::vector<bool> on(std::size(kSqlModes), false);
    std::string_view text = value.string_value();
    size_t start = 0;
    while (start <= text.size()) {
        size_t comma = text.find(',', start);
        if (comma == std::string_view::npos) comma = text.size();
        std::string_view item = text.substr(start, comma - start);
        while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
        while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
        start = comma + 1;
        if (item.empty()) continue;
        std::string name = upper(item);
        if (name == "ANSI") {
            for (auto m : {"REAL_AS_FLOAT", "PIPES_AS_CONCAT", "ANSI_QUOTES", "IGNORE_SPACE", "ONLY_FULL_GROUP_BY"}) {
                for (size_t i = 0; i < std::size(kSqlModes); ++i) {
                    if (kSqlModes[i] == m) on[i] = true;
                }
            }
            continue;
        }
        if (name == "TRADITIONAL") {
            for (auto m : {"STRICT_TRANS_TABLES", "STRICT_ALL_TABLES", "NO_ZERO_IN_DATE", "NO_ZERO_DATE",
                           "ERROR_FOR_DIVISION_BY_ZERO", "NO_ENGINE_SUBSTITUTION"}) {
                for (size_t i = 0; i < std::size(kSqlModes); ++i) {
                    if (kSqlModes[i] == m) on[i] = true;
                }
            }
            continue;
        }
        bool found = false;
        for (size_t i = 0; i < std::size(kSqlModes); ++i) {
            if (kSqlModes[i] == name && name.rfind("NOT_USED", 0) != 0) {
                on[i] = true;
                found = true;
            }
        }
        if (!found) return make_error(ErrorCode::ER_WRONG_VALUE_FOR_VAR, {def.name, item});
        if (comma == text.size()) break;
    }
    std::string out;
    for (size_t i = 0; i < std::size(kSqlModes); ++i) {
        if (!on[i]) continue;
        if (!out.empty()) out += ',';
        out += kSqlModes[i];
    }
    return Value::from_string(std::move(out));
}

}  // namespace

std::span<const VarDef> all_variables() { return kVariables; }
size_t variable_slot_count() { return kSlotCount; }

int icompare(std::string_view a, std::string_view b) {
    int c = strncasecmp(a.data(), b.data(), std::min(a.size(), b.size()));
    if (c != 0) return c;
    return a.size() < b.size() ? -1 : (a.size() > b.size() ? 1 : 0);
}

const VarDef* find_variable(std::string_view name) {
    auto it = std::lower_bound(std::begin(kVariables), std::end(kVariables), name,
                               [](const VarDef& d, std::string_view n) { return icompare(d.name, n) < 0; });
    if (it != std::end(kVariables) && icompare(it->name, name) == 0) return &*it;
    return nullptr;
}

Result<Value> parse_variable_text(const VarDef& def, std::string_view text) {
    if (def.type == VarType::kUInt || def.type == VarType::kDouble) {
        // Option files write sizes with K / M / G suffixes (max_allowed_packet=64M).
        std::string t(text);
        uint64_t mult = 1;
        if (!t.empty()) {
            char last = static_cast<char>(t.back() | 0x20);
            if (last == 'k') mult = 1024ULL;
            if (last == 'm') mult = 1024ULL * 1024;
            if (last == 'g') mult = 1024ULL * 1024 * 1024;
            if (mult != 1) t.pop_back();
        }
        char* end = nullptr;
        if (def.type == VarType::kDouble) {
            double d = std::strtod(t.c_str(), &end);
            if (t.empty() || *end != '\0') return wrong_value(def, Value::from_string(std::string(text)));
            return normalize_variable(def, Value::from_double(d * static_cast<double>(mult)), nullptr);
        }
        uint64_t v = std::strtoull(t.c_str(), &end, 10);
        if (t.empty() || *end != '\0') return wrong_value(def, Value::from_string(std::string(text)));
        return normalize_variable(def, Value::from_uint(v * mult), nullptr);
    }
    return normalize_variable(def, Value::from_string(std::string(text)), nullptr);
}

Result<Value> normalize_variable(const VarDef& def, const Value& value, std::optional<Error>* warning) {
    switch (def.type) {
        case VarType::kBool: {
            if (value.is_null()) return wrong_value(def, value);
            if (value.is_string()) {
                std::string s = upper(value.string_value());
                if (s == "ON" || s == "TRUE" || s == "1") return Value::from_int(1);
                if (s == "OFF" || s == "FALSE" || s == "0") return Value::from_int(0);
                return wrong_value(def, value);
            }
            if (value.kind() == ValueKind::kDouble || value.kind() == ValueKind::kDecimal) {
                return make_error(ErrorCode::ER_WRONG_TYPE_FOR_VAR, {def.name});
            }
            int64_t v = value.to_int();
            if (v != 0 && v != 1) return wrong_value(def, value);
            return Value::from_int(v);
        }
        case VarType::kUInt: {
            if (value.is_null()) return wrong_value(def, value);
            if (value.is_string()) return make_error(ErrorCode::ER_WRONG_TYPE_FOR_VAR, {def.name});
            uint64_t v;
            if (value.kind() == ValueKind::kUInt) {
                v = value.uint_value();
            } else {
                int64_t s = value.to_int();
                v = s < 0 ? 0 : static_cast<uint64_t>(s);
                if (s < 0 && warning) {
                    *warning = make_error(ErrorCode::ER_TRUNCATED_WRONG_VALUE, {def.name, value.to_text()});
                }
            }
            uint64_t clamped = std::clamp(v, def.min, def.max);
            if (clamped != v && warning) {
                *warning = make_error(ErrorCode::ER_TRUNCATED_WRONG_VALUE, {def.name, value.to_text()});
            }
            return Value::from_uint(clamped);
        }
        case VarType::kDouble: {
            if (value.is_null()) return wrong_value(def, value);
            if (value.is_string()) return make_error(ErrorCode::ER_WRONG_TYPE_FOR_VAR, {def.name});
            double d = value.to_double();
            if (d < 0) return wrong_value(def, value);
            return Value::from_double(d);
        }
        case VarType::kString:
            if (value.is_null()) return wrong_value(def, value);
            return Value::from_string(value.to_text());
        case VarType::kEnum: {
            if (value.is_null()) return wrong_value(def, value);
            if (value.is_integer()) {
                int64_t i = value.to_int();
                if (i < 0 || static_cast<size_t>(i) >= def.enum_values.size()) return wrong_value(def, value);
                return Value::from_string(std::string(def.enum_values[static_cast<size_t>(i)]));
            }
            std::string text = value.to_text();
            for (auto e : def.enum_values) {
                if (iequals(e, text)) return Value::from_string(std::string(e));
                // Isolation levels are also written with spaces: 'READ COMMITTED'.
                std::string spaced(e);
                std::replace(spaced.begin(), spaced.end(), '-', ' ');
                if (iequals(spaced, text)) return Value::from_string(std::string(e));
            }
            return wrong_value(def, value);
        }
        case VarType::kSqlMode: return normalize_sql_mode(def, value);
        case VarType::kCharset: {
            if (value.is_null()) {
                if (def.nullable) return Value::null();
                return wrong_value(def, value);
            }
            std::string name = value.to_text();
            const Collation* c = default_collation_of_charset(name);
            if (!c) return make_error(ErrorCode::ER_UNKNOWN_CHARACTER_SET, {name});
            return Value::from_string(std::string(c->charset));
        }
        case VarType::kCollation: {
            if (value.is_null()) return wrong_value(def, value);
            std::string name;
            if (value.is_integer()) {
                const Collation* c = collation_by_id(static_cast<uint16_t>(value.to_int()));
                if (!c) return make_error(ErrorCode::ER_UNKNOWN_COLLATION, {value.to_text()});
                return Value::from_string(std::string(c->name));
            }
            name = value.to_text();
            const Collation* c = collation_by_name(name);
            if (!c) return make_error(ErrorCode::ER_UNKNOWN_COLLATION, {name});
            return Value::from_string(std::string(c->name));
        }
        case VarType::kTimeZone: {
            if (value.is_null()) return wrong_value(def, value);
            std::string tz = value.to_text();
            if (iequals(tz, "SYSTEM")) return Value::from_string("SYSTEM");
            if (iequals(tz, "UTC")) return Value::from_string("+00:00");
            // [+-]HH:MM within -13:59 .. +14:00
            if (tz.size() >= 5 && tz.size() <= 6 && (tz[0] == '+' || tz[0] == '-')) {
                auto colon = tz.find(':');
                if (colon != std::string::npos) {
                    int h = std::atoi(tz.substr(1, colon - 1).c_str());
                    int m = std::atoi(tz.substr(colon + 1).c_str());
                    bool digits = std::all_of(tz.begin() + 1, tz.end(), [](char ch) {
                        return (ch >= '0' && ch <= '9') || ch == ':';
                    });
                    int minutes = (tz[0] == '-' ? -1 : 1) * (h * 60 + m);
                    if (digits && m < 60 && minutes >= -13 * 60 - 59 && minutes <= 14 * 60) {
                        char buf[32];
                        std::snprintf(buf, sizeof buf, "%c%02d:%02d", tz[0], h, m);
                        return Value::from_string(buf);
                    }
                }
            }
            return make_error(ErrorCode::ER_UNKNOWN_TIME_ZONE, {tz});
        }
    }
    return wrong_value(def, value);
}

std::string display_variable(const VarDef& def, const Value& value) {
    if (value.is_null()) return "";
    if (def.type == VarType::kBool) return value.to_int() ? "ON" : "OFF";
    if (def.type == VarType::kDouble) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.6f", value.to_double());
        return buf;
    }
    return value.to_text();
}

Value read_variable(const VarDef& def, const Value& value) {
    if (def.type == VarType::kBool) return Value::from_int(value.to_int());
    return value;
}

GlobalVariables::GlobalVariables() : values_(kSlotCount) {
    for (const auto& def : kVariables) {
        if (!def.alias_of.empty()) continue;
        auto v = parse_variable_text(def, def.default_text);
        values_[def.slot] = v.ok() ? std::move(*v) : Value::from_string(std::string(def.default_text));
    }
}

Value GlobalVariables::get(const VarDef& def) const {
    std::lock_guard lock(mu_);
    return values_[def.slot];
}

void GlobalVariables::set(const VarDef& def, Value value) {
    std::lock_guard lock(mu_);
    values_[def.slot] = std::move(value);
    snapshot_.reset();
}

std::shared_ptr<const std::vector<Value>> GlobalVariables::snapshot() const {
    std::lock_guard lock(mu_);
    if (!snapshot_) snapshot_ = std::make_shared<const std::vector<Value>>(values_);
    return snapshot_;
}

SqlModeFlags parse_sql_mode_flags(std::string_view mode) {
    SqlModeFlags f;
    size_t start = 0;
    while (start < mode.size()) {
        size_t comma = mode.find(',', start);
        if (comma == std::string_view::npos) comma = mode.size();
        std::string_view m = mode.substr(start, comma - start);
        if (m == "ANSI_QUOTES") f.ansi_quotes = true;
        else if (m == "NO_BACKSLASH_ESCAPES") f.no_backslash_escapes = true;
        else if (m == "PIPES_AS_CONCAT") f.pipes_as_concat = true;
        else if (m == "STRICT_TRANS_TABLES" || m == "STRICT_ALL_TABLES") f.strict = true;
        else if (m == "ERROR_FOR_DIVISION_BY_ZERO") f.error_for_division_by_zero = true;
        start = comma + 1;
    }
    return f;
}

}  // namespace floe::sql
