// LOAD DATA LOCAL INFILE: the client's file, split into records and fields as the statement's FIELDS / LINES
// options say (MySQL's rules, TSV by default), inserted into one table in one transaction. As in MySQL,
// LOCAL makes duplicate keys and bad values warnings (the client cannot be stopped mid-file), REPLACE
// replaces. Server-side files (LOAD DATA INFILE without LOCAL) are refused: floe reads no server paths.
#include <algorithm>

#include "sql/engine.h"
#include "sql/exec/executor.h"
#include "sql/exec/expr_eval.h"
#include "sql/exec/row_insert.h"
#include "sql/exec/row_source.h"
#include "sql/session.h"

namespace floe::sql {

using storage::ColumnSchema;
using storage::StoredRow;
using storage::TableSchema;

namespace {

constexpr int kNone = -1;

// One field of a record: its bytes after unescaping, or NULL (\N, or an unenclosed NULL when fields are
// enclosed).
struct Field {
    std::string text;
    bool null = false;
};

// Splits the file into records of fields. Terminators may be several bytes; the enclosing and escape
// characters are one byte or none.
class RecordReader {
public:
    RecordReader(std::string_view data, const LoadDataStmt& s)
        : data_(data),
          field_end_(s.fields_terminated),
          line_end_(s.lines_terminated),
          line_start_(s.lines_starting),
          enclosed_(s.enclosed.empty() ? kNone : static_cast<unsigned char>(s.enclosed[0])),
          escape_(s.escaped.empty() ? kNone : static_cast<unsigned char>(s.escaped[0])) {}

    // The next record's fields (reusing `fields`' strings); false at the end of the data.
    bool next(std::vector<Field>& fields, size_t& count) {
        count = 0;
        if (!line_start_.empty()) {
            // Everything up to and including the prefix is skipped; no prefix left: no record left.
            size_t at = data_.find(line_start_, pos_);
            if (at == std::string_view::npos) {
                pos_ = data_.size();
                return false;
            }
            pos_ = at + line_start_.size();
        } else if (pos_ >= data_.size()) {
            return false;
        }
        for (;;) {
            if (count == fields.size()) fields.emplace_back();
            Field& f = fields[count++];
            f.text.clear();
            f.null = false;
            bool record_ends = enclosed_ != kNone && pos_ < data_.size() &&
                                       static_cast<unsigned char>(data_[pos_]) == enclosed_
                                   ? read_enclosed(f)
                                   : read_plain(f);
            if (record_ends) return true;
        }
    }

private:
    bool at(std::string_view term) const { return !term.empty() && data_.substr(pos_, term.size()) == term; }

    // After a field: true when the record ends here (line terminator or end of data), false after a field
    // terminator.
    bool end_of_field() {
        if (pos_ >= data_.size()) return true;
        if (at(line_end_)) {
            pos_ += line_end_.size();
            return true;
        }
        if (at(field_end_)) {
            pos_ += field_end_.size();
            return false;
        }
        return false;
    }

    static char unescape(char c) {
        switch (c) {
            case '0': return '\0';
            case 'b': return '\b';
            case 'n': return '\n';
            case 'r': return '\r';
            case 't': return '\t';
            case 'Z': return '\x1a';
            default: return c;
        }
    }

    bool read_plain(Field& f) {
        bool escaped_n = false;  // the field so far is exactly \N
        while (pos_ < data_.size() && !at(line_end_) && !at(field_end_)) {
            auto c = static_cast<unsigned char>(data_[pos_]);
            if (escape_ != kNone && c == escape_ && pos_ + 1 < data_.size()) {
                char next = data_[pos_ + 1];
                escaped_n = f.text.empty() && !escaped_n && next == 'N';
                f.text.push_back(escaped_n ? 'N' : unescape(next));
                pos_ += 2;
                continue;
            }
            escaped_n = false;
            f.text.push_back(static_cast<char>(c));
            ++pos_;
        }
        if (escaped_n && f.text == "N") f.null = true;
        // With enclosed fields, an unenclosed NULL is NULL ('NULL' enclosed is the string).
        if (enclosed_ != kNone && f.text == "NULL") f.null = true;
        return end_of_field();
    }

    bool read_enclosed(Field& f) {
        ++pos_;  // the opening quote
        while (pos_ < data_.size()) {
            auto c = static_cast<unsigned char>(data_[pos_]);
            if (escape_ != kNone && c == escape_ && escape_ != enclosed_ && pos_ + 1 < data_.size()) {
                f.text.push_back(unescape(data_[pos_ + 1]));
                pos_ += 2;
                continue;
            }
            if (c == enclosed_) {
                if (pos_ + 1 < data_.size() && static_cast<unsigned char>(data_[pos_ + 1]) == enclosed_) {
                    f.text.push_back(static_cast<char>(c));  // doubled quote
                    pos_ += 2;
                    continue;
                }
                ++pos_;
                // A quote closes the field only before a terminator or the end; elsewhere it is data.
                if (pos_ >= data_.size() || at(line_end_) || at(field_end_)) return end_of_field();
                f.text.push_back(static_cast<char>(c));
                continue;
            }
            f.text.push_back(static_cast<char>(c));
            ++pos_;
        }
        return true;  // unterminated quote: the field runs to the end of the data
    }

    std::string_view data_;
    size_t pos_ = 0;
    std::string_view field_end_, line_end_, line_start_;
    int enclosed_, escape_;
};

// What each field of a record goes into: a column (index into the table's columns) or a user variable.
struct FieldTarget {
    int column = -1;
    std::string user_var;
};

struct LoadPlan {
    ResolvedTable target;
    std::vector<FieldTarget> fields;
    std::vector<int> set_columns;  // per SET assignment
};

Result<LoadPlan> plan_load(Session& session, const LoadDataStmt& s) {
    if (s.enclosed.size() > 1 || s.escaped.size() > 1 || s.lines_terminated.empty() ||
        (s.fields_terminated.empty() && s.enclosed.empty())) {
        // Fixed-width rows (both empty) are MySQL-only; one-byte quotes and escapes are all MySQL accepts.
        return make_error(ErrorCode::ER_WRONG_FIELD_TERMINATORS);
    }
    LoadPlan plan;
    plan.target = FLOE_TRY(resolve_table(session, s.table));
    const TableSchema& t = *plan.target.table->schema;
    std::vector<bool> named(t.columns.size(), false);
    auto column = [&](const std::string& name) -> Result<int> {
        const ColumnSchema* c = t.column(name);
        if (!c) return make_error(ErrorCode::ER_BAD_FIELD_ERROR, {name, "field list"});
        return t.column_index(c->id);
    };
    if (s.targets.empty()) {
        for (size_t i = 0; i < t.columns.size(); ++i) plan.fields.push_back(FieldTarget{static_cast<int>(i), {}});
    } else {
        for (const auto& target : s.targets) {
            if (target.user_var) {
                plan.fields.push_back(FieldTarget{-1, target.name});
                continue;
            }
            int pos = FLOE_TRY(column(target.name));
            if (named[static_cast<size_t>(pos)]) {
                return make_error(ErrorCode::ER_FIELD_SPECIFIED_TWICE, {t.columns[static_cast<size_t>(pos)].name});
            }
            named[static_cast<size_t>(pos)] = true;
            plan.fields.push_back(FieldTarget{pos, {}});
        }
    }
    for (const auto& a : s.set) plan.set_columns.push_back(FLOE_TRY(column(a.column)));
    return plan;
}

// NULL for a column: into NOT NULL it becomes the column's implicit default (TIMESTAMP: now) with MySQL's
// 1263 warning.
Value null_for_column(Session& session, const ColumnSchema& col, const ConvertContext& ctx) {
    if (col.nullable || col.auto_increment) return Value::null();
    if (col.type == storage::ColumnType::kTimestamp) return statement_now(session);
    session.add_warning(ErrorCode::ER_WARN_NULL_TO_NOTNULL,
                        make_error(ErrorCode::ER_WARN_NULL_TO_NOTNULL, {col.name, std::to_string(ctx.row)}).message);
    return implicit_default(col);
}

// A field's value for its column; text is converted (bad values are warnings: LOCAL never stops mid-file).
Result<Value> field_value(Session& session, const ColumnSchema& col, const Field& f, ConvertContext& ctx) {
    if (f.null) return null_for_column(session, col, ctx);
    return convert_for_column(col, Value::from_string(f.text), ctx);
}

Value missing_field_value(Session& session, const ColumnSchema& col) {
    if (col.auto_increment) return Value::null();  // generated
    if (col.type == storage::ColumnType::kTimestamp && !col.nullable) return statement_now(session);
    bool default_null = col.nullable && (col.default_kind == storage::DefaultKind::kNull ||
                                         col.default_kind == storage::DefaultKind::kNone);
    return default_null ? Value::null() : implicit_default(col);
}

}  // namespace

Status prepare_load_data(Session& session, const LoadDataStmt& s) {
    if (!session.info().local_files || !session.global_variable(*find_variable("local_infile")).to_bool()) {
        return make_error(ErrorCode::ER_CLIENT_LOCAL_FILES_DISABLED);
    }
    (void)FLOE_TRY(plan_load(session, s));
    return {};
}

Result<StatementResult> execute_load_data(Session& session, LoadDataStmt& s, std::string_view source) {
    if (!s.local) {
        auto e = make_error(ErrorCode::ER_OPTION_PREVENTS_STATEMENT, {"--secure-file-priv"});
        e.message += " (floe reads no files on the server: use LOAD DATA LOCAL INFILE to send one from the client)";
        return e;
    }
    LoadPlan plan = FLOE_TRY(plan_load(session, s));
    std::shared_ptr<const TableSchema> schema = plan.target.table->schema;
    const TableSchema& t = *schema;
    auto on_dup = s.replace ? storage::OnDuplicate::kReplace : storage::OnDuplicate::kIgnore;
    storage::Transaction* txn = FLOE_TRY(write_transaction(session, plan.target));
    RowInserter inserter(session, plan.target, *txn, on_dup);
    TableScope scope(t, plan.target.db_name, "");
    EvalContext ectx{session, source};

    RecordReader reader(session.local_infile_data(), s);
    std::vector<Field> fields;
    size_t count = 0;
    for (uint64_t skipped_lines = 0; skipped_lines < s.ignore_lines && reader.next(fields, count); ++skipped_lines) {
    }
    uint64_t records = 0, affected = 0, deleted = 0, skipped = 0;
    StoredRow row(t.columns.size());
    std::vector<bool> given(t.columns.size(), false);
    while (reader.next(fields, count)) {
        ++records;
        if ((records & 1023) == 0 && session.kill_flag().killed()) return make_error(ErrorCode::ER_QUERY_INTERRUPTED);
        ConvertContext cctx{session, /*strict=*/false, records};
        row.assign(t.columns.size(), Value::null());
        std::fill(given.begin(), given.end(), false);
        size_t used = std::min(count, plan.fields.size());
        for (size_t i = 0; i < used; ++i) {
            const FieldTarget& target = plan.fields[i];
            if (target.column < 0) {
                session.set_user_variable(target.user_var,
                                          fields[i].null ? Value::null() : Value::from_string(fields[i].text));
                continue;
            }
            auto pos = static_cast<size_t>(target.column);
            row[pos] = FLOE_TRY(field_value(session, t.columns[pos], fields[i], cctx));
            given[pos] = true;
        }
        for (size_t i = count; i < plan.fields.size(); ++i) {
            // A missing field: its column is reset as MySQL does (NULL when its default is NULL, else zero /
            // empty / now for TIMESTAMP, not its DEFAULT), its variable becomes NULL; one 1261 per field.
            const FieldTarget& target = plan.fields[i];
            if (target.column < 0) {
                session.set_user_variable(target.user_var, Value::null());
            } else {
                auto pos = static_cast<size_t>(target.column);
                row[pos] = missing_field_value(session, t.columns[pos]);
                given[pos] = true;
            }
            session.add_warning(ErrorCode::ER_WARN_TOO_FEW_RECORDS,
                                make_error(ErrorCode::ER_WARN_TOO_FEW_RECORDS, {std::to_string(records)}).message);
        }
        if (count > plan.fields.size()) {
            session.add_warning(ErrorCode::ER_WARN_TOO_MANY_RECORDS,
                                make_error(ErrorCode::ER_WARN_TOO_MANY_RECORDS, {std::to_string(records)}).message);
        }
        if (!s.set.empty()) {
            RowScope current = scope.row(row);
            ectx.row = &current;
            for (size_t k = 0; k < s.set.size(); ++k) {
                auto pos = static_cast<size_t>(plan.set_columns[k]);
                const ColumnSchema& col = t.columns[pos];
                Value v = s.set[k].value->kind == ExprKind::kDefault ? FLOE_TRY(column_default(col, cctx))
                                                                     : FLOE_TRY(evaluate(*s.set[k].value, ectx));
                row[pos] = v.is_null() ? null_for_column(session, col, cctx) : FLOE_TRY(convert_for_column(col, v, cctx));
                given[pos] = true;
            }
            ectx.row = nullptr;
        }
        auto outcome = FLOE_TRY(inserter.insert(row, given, cctx));
        if (outcome.inserted) {
            affected += 1 + outcome.replaced;
            deleted += outcome.replaced;
        } else {
            ++skipped;
            session.add_warning(ErrorCode::ER_DUP_ENTRY, outcome.duplicate_message);
        }
    }
    if (inserter.first_generated()) session.set_last_insert_id(inserter.first_generated());
    StatementResult r;
    OkResult ok{affected, inserter.first_generated(), {}};
    ok.info = "Records: " + std::to_string(records) + "  Deleted: " + std::to_string(deleted) +
              "  Skipped: " + std::to_string(skipped) + "  Warnings: " + std::to_string(session.warnings().size());
    r.body = std::move(ok);
    return r;
}

}  // namespace floe::sql
