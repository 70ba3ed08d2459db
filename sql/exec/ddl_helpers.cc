#include "sql/exec/ddl_helpers.h"

#include <algorithm>
#include <strings.h>

#include "common/charset.h"
#include "sql/engine.h"
#include "sql/session.h"
#include "storage/database.h"
#include "storage/storage_engine.h"

namespace floe::sql {

using storage::ColumnSchema;
using storage::IndexSchema;
using storage::TableSchema;

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

Status check_name(std::string_view name, ErrorCode code) {
    if (name.empty() || name.size() > 64 || name.back() == ' ' || name.find('/') != std::string_view::npos ||
        name.find('\\') != std::string_view::npos || name == "." || name == "..") {
        return make_error(code, {name});
    }
    return {};
}

Result<uint16_t> collation_from(const std::string& charset, const std::string& collation, uint16_t fallback) {
    uint16_t id = fallback;
    if (!charset.empty()) {
        const Collation* c = default_collation_of_charset(charset);
        if (!c) return make_error(ErrorCode::ER_UNKNOWN_CHARACTER_SET, {charset});
        id = c->id;
    }
    if (!collation.empty()) {
        const Collation* c = collation_by_name(collation);
        if (!c) return make_error(ErrorCode::ER_UNKNOWN_COLLATION, {collation});
        id = c->id;
    }
    return id;
}

// The name MySQL gives an unnamed index: its first column's, with _2, _3 ... when taken.
std::string index_name_for(const TableSchema& t, const std::string& first_column) {
    std::string name = first_column;
    for (int n = 2; t.index(name) || iequals(name, "PRIMARY"); ++n) name = first_column + "_" + std::to_string(n);
    return name;
}

Result<std::vector<uint32_t>> column_ids(const TableSchema& t, const std::vector<std::string>& names) {
    std::vector<uint32_t> ids;
    for (const auto& n : names) {
        const ColumnSchema* c = t.column(n);
        if (!c) return make_error(ErrorCode::ER_KEY_COLUMN_DOES_NOT_EXITS, {n});
        ids.push_back(c->id);
    }
    return ids;
}

Status check_table(const TableSchema& t) {
    int autos = 0;
    for (const auto& c : t.columns) {
        if (!c.auto_increment) continue;
        ++autos;
        bool keyed = std::any_of(t.indexes.begin(), t.indexes.end(),
                                 [&](const IndexSchema& i) { return !i.column_ids.empty() && i.column_ids[0] == c.id; });
        if (!keyed) return make_error(ErrorCode::ER_WRONG_AUTO_KEY);
    }
    if (autos > 1) return make_error(ErrorCode::ER_WRONG_AUTO_KEY);
    if (!t.hidden_pk) {
        for (uint32_t id : t.shard_key) {
            if (std::find(t.primary().column_ids.begin(), t.primary().column_ids.end(), id) ==
                t.primary().column_ids.end()) {
                return make_error(ErrorCode::ER_NOT_SUPPORTED_YET, {"a SHARD KEY with columns outside the PRIMARY KEY"});
            }
        }
    }
    return {};
}

Result<StatementResult> drop_objects(
    Session& session, const std::vector<TableRef>& refs, bool if_exists,
    const std::function<bool(storage::Database&, const std::string&)>& exists,
    const std::function<Status(storage::Database&, const std::string&)>& drop) {
    std::string missing;
    std::vector<std::pair<std::shared_ptr<storage::Database>, std::string>> present;
    for (const auto& ref : refs) {
        std::string db_name = ref.db.empty() ? session.db() : ref.db;
        if (db_name.empty()) return make_error(ErrorCode::ER_NO_DB_ERROR);
        auto db = session.engine().storage().database(db_name);
        if (!db || !exists(*db, ref.name)) {
            missing += (missing.empty() ? "" : ",") + db_name + "." + ref.name;
            continue;
        }
        present.emplace_back(std::move(db), ref.name);
    }
    if (!missing.empty() && !if_exists) return make_error(ErrorCode::ER_BAD_TABLE_ERROR, {missing});
    for (auto& [db, name] : present) FLOE_CHECK(drop(*db, name));
    if (!missing.empty()) {
        session.add_warning(ErrorCode::ER_BAD_TABLE_ERROR, make_error(ErrorCode::ER_BAD_TABLE_ERROR, {missing}).message,
                            "Note");
    }
    StatementResult r;
    r.body = OkResult{};
    return r;
}

}  // namespace floe::sql
