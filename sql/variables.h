// System variables (SPEC §8): one registry of every variable's name, type, scope and default, the server-wide
// (GLOBAL) values, and each session's copy. SET / SELECT @@x / SHOW VARIABLES all go through here.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "common/value.h"

namespace floe::sql {

enum class VarType : uint8_t { kBool, kUInt, kDouble, kString, kEnum, kSqlMode, kCharset, kCollation, kTimeZone };

enum class VarScopes : uint8_t { kGlobalOnly, kSessionOnly, kBoth };

struct VarDef {
    std::string_view name;
    VarType type;
    VarScopes scopes;
    bool read_only;          // no SET at all (set from options at start)
    bool session_read_only;  // SET SESSION refused: use SET GLOBAL (max_allowed_packet)
    std::string_view default_text;
    uint64_t min = 0;
    uint64_t max = UINT64_MAX;
    std::span<const std::string_view> enum_values = {};
    bool nullable = false;  // may be set to NULL (character_set_results)
    uint16_t slot = 0;      // index into value vectors (filled in by the registry)
    std::string_view alias_of = {};  // tx_isolation -> transaction_isolation
};

// Looks a variable up by (case-insensitive) name; aliases resolve to their target's slot.
const VarDef* find_variable(std::string_view name);
// Every variable and alias, sorted by name (SHOW VARIABLES order).
std::span<const VarDef> all_variables();
size_t variable_slot_count();

// Checks and canonicalises a value for a variable: ON/OFF/1/0 for booleans, case-insensitive enum names,
// integer ranges (clamped, with `warning` set as MySQL does), sql_mode lists. 1231 / 1232 on bad values.
Result<Value> normalize_variable(const VarDef& def, const Value& value, std::optional<Error>* warning);
// Reads a variable's value from option text (command line, config file): numbers may carry K/M/G.
Result<Value> parse_variable_text(const VarDef& def, std::string_view text);
// The SHOW VARIABLES text of a value (booleans as ON/OFF).
std::string display_variable(const VarDef& def, const Value& value);
// The value @@x yields in an expression (booleans as 0/1 integers, numbers as numbers).
Value read_variable(const VarDef& def, const Value& value);

// The server-wide values. Thread-safety: internally locked; any thread may read or set.
class GlobalVariables {
public:
    GlobalVariables();
    Value get(const VarDef& def) const;
    // SET GLOBAL (checks done by the caller) and start-up settings (which may set read-only variables).
    void set(const VarDef& def, Value value);
    // Every value as of now, as one immutable copy shared until the next set().
    std::shared_ptr<const std::vector<Value>> snapshot() const;

private:
    mutable std::mutex mu_;  // guards values_ and snapshot_
    std::vector<Value> values_;
    mutable std::shared_ptr<const std::vector<Value>> snapshot_;
};

// A session's variables: the global values when it started (a copy shared by every session started since the
// last SET GLOBAL: 10,000 idle connections hold one) under the values it set itself.
class SessionVariables {
public:
    explicit SessionVariables(std::shared_ptr<const std::vector<Value>> globals) : globals_(std::move(globals)) {}
    const Value& operator[](size_t slot) const {
        for (const auto& [s, v] : own_) {
            if (s == slot) return v;
        }
        return (*globals_)[slot];
    }
    void set(size_t slot, Value value) {
        for (auto& [s, v] : own_) {
            if (s == slot) {
                v = std::move(value);
                return;
            }
        }
        own_.emplace_back(slot, std::move(value));
    }

private:
    std::shared_ptr<const std::vector<Value>> globals_;
    std::vector<std::pair<size_t, Value>> own_;  // few: a linear search beats a map
};

// sql_mode bits the server consults while parsing and executing.
struct SqlModeFlags {
    bool ansi_quotes = false;
    bool no_backslash_escapes = false;
    bool pipes_as_concat = false;
    bool strict = false;  // STRICT_TRANS_TABLES or STRICT_ALL_TABLES
    bool error_for_division_by_zero = false;
};
SqlModeFlags parse_sql_mode_flags(std::string_view canonical_mode);

}  // namespace floe::sql
