// INSERT / REPLACE (IGNORE, ON DUPLICATE KEY UPDATE), UPDATE, DELETE. Each statement writes through the
// session's transaction (session_transaction.h), which undoes the whole statement when it fails (a failing row
// of a multi-row INSERT leaves nothing) and commits it with the transaction. UPDATE / DELETE find their rows
// by locking reads: each row is locked and used as committed now.
#include <chrono>
#include <ctime>
#include <unordered_map>
#include <unordered_set>

#include "common/charset.h"
#include "common/collation.h"
#include "sql/engine.h"
#include "sql/exec/column_types.h"
#include "sql/exec/executor.h"
#include "sql/exec/aggregate.h"
#include "sql/exec/query.h"
#include "sql/exec/row_insert.h"
#include "sql/exec/row_source.h"
#include "sql/session.h"
#include "storage/database.h"
#include "storage/row_codec.h"

namespace floe::sql {

using storage::ColumnSchema;
using storage::StoredRow;
using storage::TableSchema;

Value statement_now(Session& session) {
    std::time_t t = std::chrono::system_clock::to_time_t(session.statement_start());
    std::tm tm{};
    localtime_r(&t, &tm);
    DateTime d{static_cast<int16_t>(tm.tm_year + 1900), static_cast<uint8_t>(tm.tm_mon + 1),
               static_cast<uint8_t>(tm.tm_mday), static_cast<uint8_t>(tm.tm_hour),
               static_cast<uint8_t>(tm.tm_min), static_cast<uint8_t>(tm.tm_sec), 0, false};
    return Value::from_datetime(ValueKind::kDateTime, d);
}

Result<Value> column_default(const ColumnSchema& col, ConvertContext& ctx) {
    switch (col.default_kind) {
        case storage::DefaultKind::kLiteral: return col.default_value;
        case storage::DefaultKind::kNull: return Value::null();
        case storage::DefaultKind::kCurrentTimestamp: return statement_now(ctx.session);
        case storage::DefaultKind::kNone:
            if (col.nullable || col.auto_increment) return Value::null();
            if (ctx.strict) return make_error(ErrorCode::ER_NO_DEFAULT_FOR_FIELD, {col.name});
            ctx.session.add_warning(ErrorCode::ER_NO_DEFAULT_FOR_FIELD,
                                    make_error(ErrorCode::ER_NO_DEFAULT_FOR_FIELD, {col.name}).message);
            return implicit_default(col);
    }
    return Value::null();
}

namespace {

// Keeps the AUTO_INCREMENT counter above every value the column holds (as MySQL 8 does for INSERT, UPDATE and
// ON DUPLICATE KEY UPDATE). RowInserter relies on it to skip the lookup of generated keys.
void note_auto_increment_value(storage::TableRuntime& table, const Value& v) {
    if (v.is_null()) return;
    uint64_t given = v.kind() == ValueKind::kUInt ? v.uint_value() : static_cast<uint64_t>(std::max<int64_t>(0, v.to_int()));
    uint64_t seen = table.next_auto_increment.load();
    while (given >= seen && !table.next_auto_increment.compare_exchange_weak(seen, given + 1)) {
    }
}

bool no_auto_value_on_zero(Session& session) {
    return session.variable(*find_variable("sql_mode")).to_text().find("NO_AUTO_VALUE_ON_ZERO") != std::string::npos;
}

}  // namespace

RowInserter::RowInserter(Session& session, const ResolvedTable& target, storage::Transaction& txn,
                         storage::OnDuplicate on_duplicate)
    : session_(session),
      target_(target),
      schema_(target.table->schema),
      on_duplicate_(on_duplicate),
      auto_col_(schema_->auto_increment_column()),
      increment_(static_cast<uint64_t>(session.variable(*find_variable("auto_increment_increment")).to_int())),
      zero_is_value_(no_auto_value_on_zero(session)),
      txn_(txn) {
    if (auto_col_) auto_pos_ = static_cast<size_t>(schema_->column_index(auto_col_->id));
}

Result<storage::InsertOutcome> RowInserter::insert(StoredRow& row, const std::vector<bool>& given, ConvertContext& ctx,
                                                   bool keep_row) {
    const TableSchema& t = *schema_;
    for (size_t i = 0; i < t.columns.size(); ++i) {
        if (!given[i]) row[i] = FLOE_TRY(column_default(t.columns[i], ctx));
    }
    if (auto_col_) {
        if (!counters_loaded_) {
            FLOE_CHECK(target_.db->load_counters(*target_.table));
            counters_loaded_ = true;
        }
        Value& v = row[auto_pos_];
        bool generate = v.is_null() || (!zero_is_value_ && v.kind() != ValueKind::kUInt && v.to_int() == 0) ||
                        (!zero_is_value_ && v.kind() == ValueKind::kUInt && v.uint_value() == 0);
        if (generate) {
            uint64_t id = target_.table->next_auto_increment.fetch_add(increment_);
            v = FLOE_TRY(convert_for_column(*auto_col_, Value::from_uint(id), ctx));
            if (first_generated_ == 0) first_generated_ = id;
        } else {
            note_auto_increment_value(*target_.table, v);
        }
    }
    return txn_.insert(*target_.table, keep_row ? row : std::move(row), on_duplicate_);
}

void RowInserter::note_auto_increment(const StoredRow& row) {
    if (auto_col_) note_auto_increment_value(*target_.table, row[auto_pos_]);
}

Result<StatementResult> execute_insert(Session& session, InsertStmt& s, std::string_view source) {
    auto target = FLOE_TRY(resolve_table_for_write(session, s.table));
    if (s.select) {
        // INSERT ... SELECT: the query runs to the end first, so reading the target table is safe.
        auto rs = FLOE_TRY(run_select(session, *s.select, source));
        s.rows.clear();
        for (auto& r : rs.rows) {
            std::vector<ExprPtr> row;
            row.reserve(r.size());
            for (auto& v : r) {
                auto e = std::make_unique<Expr>();
                e->literal = std::move(v);
                row.push_back(std::move(e));
            }
            s.rows.push_back(std::move(row));
        }
    }
    std::shared_ptr<const TableSchema> schema = target.table->schema;
    const TableSchema& t = *schema;
    std::vector<int> positions;
    if (s.columns.empty()) {
        for (size_t i = 0; i < t.columns.size(); ++i) positions.push_back(static_cast<int>(i));
    } else {
        for (const auto& name : s.columns) {
            const ColumnSchema* c = t.column(name);
            if (!c) return make_error(ErrorCode::ER_BAD_FIELD_ERROR, {name, "field list"});
            int pos = t.column_index(c->id);
            if (std::find(positions.begin(), positions.end(), pos) != positions.end()) {
                return make_error(ErrorCode::ER_FIELD_SPECIFIED_TWICE, {c->name});
            }
            positions.push_back(pos);
        }
    }
    bool strict = session.sql_mode().strict && !s.ignore;
    storage::OnDuplicate on_dup = s.replace ? storage::OnDuplicate::kReplace
                                  : (s.ignore || !s.on_duplicate.empty()) ? storage::OnDuplicate::kIgnore
                                                                          : storage::OnDuplicate::kError;
    TableScope scope(t, target.db_name, "");
    RowInserter inserter(session, target, *target.txn, on_dup);
    uint64_t affected = 0, duplicates = 0, row_number = 0;
    std::vector<bool> given(t.columns.size(), false);
    for (auto& values : s.rows) {
        ++row_number;
        if (values.size() != positions.size()) {
            return make_error(ErrorCode::ER_WRONG_VALUE_COUNT_ON_ROW, {std::to_string(row_number)});
        }
        ConvertContext cctx{session, strict, row_number};
        EvalContext ectx{session, source};
        StoredRow row(t.columns.size());
        std::fill(given.begin(), given.end(), false);
        for (size_t j = 0; j < values.size(); ++j) {
            const ColumnSchema& col = t.columns[static_cast<size_t>(positions[j])];
            Value v;
            if (values[j]->kind == ExprKind::kDefault) {
                v = FLOE_TRY(column_default(col, cctx));
            } else {
                v = FLOE_TRY(evaluate(*values[j], ectx));
            }
            if (v.is_null() && !col.nullable && !col.auto_increment &&
                !(col.type == storage::ColumnType::kTimestamp)) {
                if (strict || s.rows.size() == 1) return make_error(ErrorCode::ER_BAD_NULL_ERROR, {col.name});
                session.add_warning(ErrorCode::ER_BAD_NULL_ERROR, make_error(ErrorCode::ER_BAD_NULL_ERROR, {col.name}).message);
                v = implicit_default(col);
            }
            if (v.is_null() && col.type == storage::ColumnType::kTimestamp && !col.nullable) v = statement_now(session);
            row[static_cast<size_t>(positions[j])] = v.is_null() ? v : FLOE_TRY(convert_for_column(col, v, cctx));
            given[static_cast<size_t>(positions[j])] = true;
        }
        auto outcome = FLOE_TRY(inserter.insert(row, given, cctx, /*keep_row=*/!s.on_duplicate.empty()));
        if (outcome.inserted) {
            affected += 1 + outcome.replaced;
            continue;
        }
        if (!s.on_duplicate.empty()) {
            // ON DUPLICATE KEY UPDATE: assignments see the existing row; VALUES(col) is the row we tried to add.
            StoredRow updated = outcome.existing;
            RowScope attempted = scope.row(row);
            ectx.values_row = &attempted;
            for (auto& a : s.on_duplicate) {
                const ColumnSchema* col = t.column(a.column);
                if (!col) return make_error(ErrorCode::ER_BAD_FIELD_ERROR, {a.column, "field list"});
                RowScope current = scope.row(updated);
                ectx.row = &current;
                Value v = a.value->kind == ExprKind::kDefault ? FLOE_TRY(column_default(*col, cctx))
                                                              : FLOE_TRY(evaluate(*a.value, ectx));
                updated[static_cast<size_t>(t.column_index(col->id))] = FLOE_TRY(convert_for_column(*col, v, cctx));
            }
            ectx.row = nullptr;
            ectx.values_row = nullptr;
            bool changed = false;
            for (size_t i = 0; i < t.columns.size(); ++i) changed |= !identical_values(updated[i], outcome.existing[i]);
            inserter.note_auto_increment(updated);
            ++duplicates;  // MySQL counts rows that met a duplicate, updated or not
            if (changed) {
                FLOE_CHECK(inserter.transaction().update(*target.table, outcome.existing, updated));
                affected += 2;
            } else if (session.info().found_rows) {
                affected += 1;
            }
            continue;
        }
        ++duplicates;  // INSERT IGNORE: the duplicate becomes a warning
        session.add_warning(ErrorCode::ER_DUP_ENTRY, outcome.duplicate_message);
    }
    uint64_t first_generated = inserter.first_generated();
    if (first_generated) session.set_last_insert_id(first_generated);
    StatementResult r;
    OkResult ok{affected, first_generated, {}};
    if (s.rows.size() > 1 || s.select) {
        ok.info = "Records: " + std::to_string(s.rows.size()) + "  Duplicates: " + std::to_string(duplicates) +
                  "  Warnings: " + std::to_string(session.warnings().size());
    }
    r.body = std::move(ok);
    return r;
}


namespace {
Result<StatementResult> execute_multi_update(Session& session, UpdateStmt& s, std::string_view source);

// The value UPDATE stores for `col = v`: NULL into NOT NULL is 1048 in strict mode, else the type's implicit
// default with a warning; anything else converted to the column's type.
Result<Value> assigned_value(Session& session, const ColumnSchema& col, Value v, bool strict, ConvertContext& cctx) {
    if (v.is_null() && !col.nullable) {
        if (strict) return make_error(ErrorCode::ER_BAD_NULL_ERROR, {col.name});
        session.add_warning(ErrorCode::ER_BAD_NULL_ERROR, make_error(ErrorCode::ER_BAD_NULL_ERROR, {col.name}).message);
        return implicit_default(col);
    }
    if (v.is_null()) return v;
    return convert_for_column(col, v, cctx);
}
}  // namespace

Result<StatementResult> execute_update(Session& session, UpdateStmt& s, std::string_view source) {
    if (!s.joined.empty()) return execute_multi_update(session, s, source);
    auto target = FLOE_TRY(resolve_table_for_write(session, s.table));
    std::shared_ptr<const TableSchema> schema = target.table->schema;
    const TableSchema& t = *schema;
    std::vector<const ColumnSchema*> targets;
    for (const auto& a : s.assignments) {
        const ColumnSchema* col = t.column(a.column);
        if (!col) return make_error(ErrorCode::ER_BAD_FIELD_ERROR, {a.column, "field list"});
        targets.push_back(col);
    }
    TableScope scope(t, target.db_name, s.table.alias);
    const ColumnSchema* auto_col = t.auto_increment_column();
    if (auto_col) FLOE_CHECK(target.db->load_counters(*target.table));
    storage::Transaction* txn = target.txn;
    // All target rows are read (and locked) first, then changed: a changed row is never met again (no
    // Halloween problem).
    auto rows = FLOE_TRY(find_table_rows(session, source, s.table, s.where, s.order_by, s.limit));
    bool strict = session.sql_mode().strict && !s.ignore;
    uint64_t changed = 0, row_number = 0;
    EvalContext ectx{session, source};
    for (auto& old_row : rows) {
        ++row_number;
        ConvertContext cctx{session, strict, row_number};
        StoredRow updated = old_row;
        std::vector<bool> assigned(t.columns.size(), false);
        for (size_t k = 0; k < s.assignments.size(); ++k) {
            const ColumnSchema& col = *targets[k];
            RowScope current = scope.row(updated);  // later assignments see earlier ones, as in MySQL
            ectx.row = &current;
            Value v = s.assignments[k].value->kind == ExprKind::kDefault ? FLOE_TRY(column_default(col, cctx))
                                                                          : FLOE_TRY(evaluate(*s.assignments[k].value, ectx));
            size_t pos = static_cast<size_t>(t.column_index(col.id));
            updated[pos] = FLOE_TRY(assigned_value(session, col, std::move(v), strict, cctx));
            assigned[pos] = true;
        }
        ectx.row = nullptr;
        bool differs = false;
        for (size_t i = 0; i < t.columns.size(); ++i) differs |= !identical_values(updated[i], old_row[i]);
        if (!differs) continue;
        for (size_t i = 0; i < t.columns.size(); ++i) {
            if (t.columns[i].on_update_current_timestamp && !assigned[i]) updated[i] = statement_now(session);
        }
        FLOE_CHECK(txn->update(*target.table, old_row, updated));
        if (auto_col) note_auto_increment_value(*target.table, updated[static_cast<size_t>(t.column_index(auto_col->id))]);
        ++changed;
    }
    StatementResult r;
    uint64_t matched = rows.size();
    r.body = OkResult{session.info().found_rows ? matched : changed, 0,
                      "Rows matched: " + std::to_string(matched) + "  Changed: " + std::to_string(changed) +
                          "  Warnings: " + std::to_string(session.warnings().size())};
    return r;
}

namespace {

// The join's table a multi-table statement names (by alias, or name), stored tables only.
Result<const JoinedTable*> joined_target(const JoinedRows& j, const TableRef& ref, bool for_delete) {
    for (const auto& t : j.tables) {
        if (t.alias.size() == ref.name.size() && compare_text(kDefaultCollationId, t.alias, ref.name) == 0 &&
            (ref.db.empty() || ref.db == t.db)) {
            if (!t.table.table) return make_error(ErrorCode::ER_NON_UPDATABLE_TABLE, {t.alias, for_delete ? "DELETE" : "UPDATE"});
            return &t;
        }
    }
    if (for_delete) return make_error(ErrorCode::ER_UNKNOWN_TABLE, {ref.name, "MULTI DELETE"});
    return make_error(ErrorCode::ER_BAD_TABLE_ERROR, {ref.name});
}

StoredRow row_of(const JoinedTable& t, const Row& joined) {
    return StoredRow(joined.begin() + t.offset, joined.begin() + t.offset + static_cast<std::ptrdiff_t>(t.width));
}

std::string row_identity(const StoredRow& r) {
    std::string key;
    for (const auto& v : r) append_group_key(key, v);
    return key;
}

// DELETE t1[, t2] FROM <join> WHERE ...: every row of the named tables that takes part in a matching joined
// row, each deleted once.
Result<StatementResult> execute_multi_delete(Session& session, DeleteStmt& s, std::string_view source) {
    if (!s.order_by.empty() || s.limit) {
        return make_error(ErrorCode::ER_WRONG_USAGE, {"DELETE", s.limit ? "LIMIT" : "ORDER BY"});
    }
    std::vector<ExprPtr> none;
    auto joined = FLOE_TRY(find_joined_rows(session, source, s.joined, s.where, none));
    std::vector<const JoinedTable*> targets;
    for (const auto& ref : s.targets) targets.push_back(FLOE_TRY(joined_target(joined, ref, true)));
    uint64_t deleted = 0;
    for (const JoinedTable* t : targets) {
        storage::Transaction* txn = FLOE_TRY(write_transaction(session, t->table));
        std::unordered_set<std::string> seen;
        for (const Row& r : joined.rows) {
            StoredRow row = row_of(*t, r);
            if (std::all_of(row.begin(), row.end(), [](const Value& v) { return v.is_null(); })) {
                continue;  // the NULL side of an outer join
            }
            if (!seen.insert(row_identity(row)).second) continue;
            FLOE_CHECK(txn->remove(*t->table.table, row));
            ++deleted;
        }
    }
    StatementResult r;
    r.body = OkResult{deleted, 0, {}};
    return r;
}

// UPDATE <join> SET t.col = expr, ...: each row of an assigned table changes once, with the values of the
// first joined row it appears in (MySQL's rule).
Result<StatementResult> execute_multi_update(Session& session, UpdateStmt& s, std::string_view source) {
    if (!s.order_by.empty() || s.limit) {
        return make_error(ErrorCode::ER_WRONG_USAGE, {"UPDATE", s.limit ? "LIMIT" : "ORDER BY"});
    }
    std::vector<ExprPtr> values;
    std::vector<bool> is_default;
    for (auto& a : s.assignments) {
        is_default.push_back(a.value->kind == ExprKind::kDefault);
        values.push_back(std::move(a.value));
        if (is_default.back()) {
            auto null = std::make_unique<Expr>();
            std::swap(null, values.back());
            a.value = std::move(null);  // DEFAULT stays in the statement; the query gets NULL in its place
        }
    }
    auto joined = find_joined_rows(session, source, s.joined, s.where, values);
    for (size_t k = 0; k < s.assignments.size(); ++k) {
        if (!is_default[k]) s.assignments[k].value = std::move(values[k]);
    }
    if (!joined.ok()) return std::move(joined).error();
    // Which table and column each assignment sets.
    struct Target {
        const JoinedTable* table;
        const ColumnSchema* column;
    };
    std::vector<Target> targets;
    for (const auto& a : s.assignments) {
        const JoinedTable* found = nullptr;
        const ColumnSchema* col = nullptr;
        for (const auto& t : joined->tables) {
            if (!a.qualifier.empty() && compare_text(kDefaultCollationId, t.alias, a.qualifier) != 0) continue;
            const ColumnSchema* c = t.table.table ? t.table.table->schema->column(a.column) : nullptr;
            if (!c) continue;
            if (found) return make_error(ErrorCode::ER_NON_UNIQ_ERROR, {a.column, "field list"});
            found = &t;
            col = c;
        }
        if (!found) {
            std::string full = a.qualifier.empty() ? a.column : a.qualifier + "." + a.column;
            return make_error(ErrorCode::ER_BAD_FIELD_ERROR, {full, "field list"});
        }
        targets.push_back({found, col});
    }
    bool strict = session.sql_mode().strict && !s.ignore;
    std::unordered_map<const JoinedTable*, std::unordered_set<std::string>> done;
    uint64_t matched = 0, changed = 0, row_number = 0;
    for (const Row& r : joined->rows) {
        ++row_number;
        ConvertContext cctx{session, strict, row_number};
        std::vector<const JoinedTable*> tables;
        for (const auto& t : targets) {
            if (std::find(tables.begin(), tables.end(), t.table) == tables.end()) tables.push_back(t.table);
        }
        for (const JoinedTable* jt : tables) {
            StoredRow old_row = row_of(*jt, r);
            if (std::all_of(old_row.begin(), old_row.end(), [](const Value& v) { return v.is_null(); })) continue;
            if (!done[jt].insert(row_identity(old_row)).second) continue;
            ++matched;
            const TableSchema& t = *jt->table.table->schema;
            StoredRow updated = old_row;
            std::vector<bool> assigned(t.columns.size(), false);
            for (size_t k = 0; k < targets.size(); ++k) {
                if (targets[k].table != jt) continue;
                const ColumnSchema& col = *targets[k].column;
                Value v = is_default[k] ? FLOE_TRY(column_default(col, cctx)) : r[joined->value_base + k];
                size_t pos = static_cast<size_t>(t.column_index(col.id));
                updated[pos] = FLOE_TRY(assigned_value(session, col, std::move(v), strict, cctx));
                assigned[pos] = true;
            }
            bool differs = false;
            for (size_t i = 0; i < t.columns.size(); ++i) differs |= !identical_values(updated[i], old_row[i]);
            if (!differs) continue;
            for (size_t i = 0; i < t.columns.size(); ++i) {
                if (t.columns[i].on_update_current_timestamp && !assigned[i]) updated[i] = statement_now(session);
            }
            storage::Transaction* txn = FLOE_TRY(write_transaction(session, jt->table));
            FLOE_CHECK(txn->update(*jt->table.table, old_row, updated));
            ++changed;
        }
    }
    StatementResult res;
    res.body = OkResult{session.info().found_rows ? matched : changed, 0,
                        "Rows matched: " + std::to_string(matched) + "  Changed: " + std::to_string(changed) +
                            "  Warnings: " + std::to_string(session.warnings().size())};
    return res;
}

}  // namespace

Result<StatementResult> execute_delete(Session& session, DeleteStmt& s, std::string_view source) {
    if (!s.joined.empty()) return execute_multi_delete(session, s, source);
    auto target = FLOE_TRY(resolve_table_for_write(session, s.table));
    auto rows = FLOE_TRY(find_table_rows(session, source, s.table, s.where, s.order_by, s.limit));
    for (const auto& row : rows) FLOE_CHECK(target.txn->remove(*target.table, row));
    StatementResult r;
    r.body = OkResult{rows.size(), 0, {}};
    return r;
}

}  // namespace floe::sql
