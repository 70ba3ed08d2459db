// Running compiled queries: a left-deep pipeline over the block's tables (index lookups, hash joins, nested
// loops over rows read once), then grouping, the select list, HAVING, DISTINCT, ORDER BY (skipped when an
// index delivers the order) and LIMIT (which stops the pipeline early when nothing needs all rows).
#include "sql/exec/query.h"

#include <algorithm>
#include <iterator>
#include <numeric>
#include <span>
#include <unordered_set>

#include "sql/engine.h"
#include "sql/exec/column_types.h"
#include "sql/exec/executor.h"
#include "sql/exec/query_internal.h"
#include "sql/exec/row_source.h"
#include "sql/session.h"
#include "sql/session_transaction.h"
#include "sql/variables.h"
#include "storage/database.h"
#include "storage/key_codec.h"
#include "storage/storage_engine.h"

namespace floe::sql {

using storage::ColumnSchema;
using storage::ColumnType;
using storage::KeyRange;
using storage::StoredRow;

namespace {

// ---- index keys from values ----

enum class KeyValue : uint8_t { kOk, kNoMatch, kUnknown };

bool int_in_range(const ColumnSchema& col, __int128 v) {
    int bits = 64;
    switch (col.type) {
        case ColumnType::kTinyInt: bits = 8; break;
        case ColumnType::kSmallInt: bits = 16; break;
        case ColumnType::kMediumInt: bits = 24; break;
        case ColumnType::kInt: bits = 32; break;
        default: break;
    }
    if (col.is_unsigned) return v >= 0 && v <= ((static_cast<__int128>(1) << bits) - 1);
    return v >= -(static_cast<__int128>(1) << (bits - 1)) && v < (static_cast<__int128>(1) << (bits - 1));
}

// `v` as the column's type when it compares equal to exactly that key (kOk), when no key can equal it
// (kNoMatch), or when the comparison is one the key cannot decide (kUnknown: read more and filter).
KeyValue key_value(const ColumnSchema& col, const Value& v, Value& out) {
    if (v.is_null()) return KeyValue::kNoMatch;
    if (storage::is_integer_type(col.type)) {
        __int128 n;
        if (v.kind() == ValueKind::kInt) {
            n = v.int_value();
        } else if (v.kind() == ValueKind::kUInt) {
            n = v.uint_value();
        } else if (v.kind() == ValueKind::kDecimal) {
            Decimal d = v.decimal_value();
            Decimal whole = d.rescaled(0);
            if (whole.compare(d) != 0) return KeyValue::kNoMatch;
            n = whole.unscaled();
        } else {
            return KeyValue::kUnknown;
        }
        if (!int_in_range(col, n)) return KeyValue::kNoMatch;
        out = col.is_unsigned ? Value::from_uint(static_cast<uint64_t>(n)) : Value::from_int(static_cast<int64_t>(n));
        return KeyValue::kOk;
    }
    if (col.type == ColumnType::kDecimal) {
        if (!v.is_integer() && v.kind() != ValueKind::kDecimal) return KeyValue::kUnknown;
        Decimal d = v.to_decimal();
        Decimal scaled = d.rescaled(col.scale);
        if (scaled.compare(d) != 0) return KeyValue::kNoMatch;
        __int128 limit = 1;
        for (int i = 0; i < col.precision; ++i) limit *= 10;
        if (scaled.unscaled() >= limit || scaled.unscaled() <= -limit) return KeyValue::kNoMatch;
        out = Value::from_decimal(scaled);
        return KeyValue::kOk;
    }
    if (storage::is_string_type(col.type)) {
        if (storage::is_binary_type(col.type)) {
            if (!v.is_string()) return KeyValue::kUnknown;
            out = Value::from_binary(v.string_value());
            return KeyValue::kOk;
        }
        if (v.kind() != ValueKind::kString) return KeyValue::kUnknown;
        out = v;
        return KeyValue::kOk;
    }
    if (col.type == ColumnType::kDate || col.type == ColumnType::kDateTime || col.type == ColumnType::kTimestamp ||
        col.type == ColumnType::kTime) {
        ValueKind want = col.type == ColumnType::kDate ? ValueKind::kDate
                         : col.type == ColumnType::kTime ? ValueKind::kTime : ValueKind::kDateTime;
        if (v.kind() == want) {
            out = v;
            return KeyValue::kOk;
        }
        if (v.kind() != ValueKind::kString) return KeyValue::kUnknown;
        auto parsed = parse_temporal(v.string_value(), col.type);
        if (!parsed) return KeyValue::kUnknown;
        out = Value::from_datetime(want, *parsed);
        // Only a value that prints back the same is exact (no dropped time part or fraction).
        if (out.to_text() != v.string_value()) return KeyValue::kUnknown;
        return KeyValue::kOk;
    }
    return KeyValue::kUnknown;
}

struct ScanPlan {
    bool full = false;  // the keys cannot be built: read everything
    // Every row read is one the access path's conjuncts (AccessPath::used) accept: primary-key ranges built
    // from integer values of integer columns, exactly (no conversion that could warn or round).
    bool exact = false;
    struct Part {
        KeyRange range;
        int partition = -1;  // -1: every partition
    };
    std::vector<Part> parts;
};

// ---- running one block ----

class BlockRun {
public:
    BlockRun(Block& b, const RowScope* outer) : b_(b), ctx_{b.session, b.source} {
        slots_ = static_cast<size_t>(b_.agg_base) + b_.aggregates.size();
        row_.assign(slots_, Value::null());
        scope_.values = std::span<const Value>(row_.data(), row_.size());
        scope_.outer = outer;
        ctx_.row = &scope_;
        ctx_.subqueries = &b_;
        plan_result_values();
    }

    Result<ResultSet> run();
    Result<ScanPlan> scan_plan(Source& s);  // also for EXPLAIN's row counts

private:
    // Parallel partition scans (see run_parallel).
    storage::Transaction* shared_txn_ = nullptr;  // a helper reads through the statement's transaction
    int only_partition_ = -1;                     // a helper reads this partition only
    bool parallel_candidate() const;
    Result<bool> run_parallel();
    Status merge_groups(BlockRun& part);
    // The plan run_parallel worked out for the first source before deciding against a parallel read: the
    // sequential read uses it instead of planning again (once).
    std::optional<ScanPlan> planned_;

    Block& b_;
    EvalContext ctx_;
    RowScope scope_;
    std::vector<Value> row_;
    size_t slots_ = 0;

    // Results.
    std::vector<Row> out_;
    std::vector<std::vector<Value>> keys_;  // per row, the ORDER BY keys not read from out_ (Block::sort_at)
    // Fills the Block's result plan on its first run: Block::sort_at (where ORDER BY key k is found: its
    // position in the result row when it is a select-list value, no copy per row; -1: evaluated into keys_),
    // Block::move_output (select-list values that are a column of the innermost table read by nothing else in
    // the row: moved out of its slot, which is refilled for the next row) and Block::local_unkeyed.
    void plan_result_values();
    int compare_result_rows(size_t x, size_t y) const;
    std::unordered_set<std::string> distinct_;
    uint64_t offset_ = 0, limit_ = UINT64_MAX, found_ = 0;
    bool sorting_ = false, streaming_limit_ = false, stop_ = false;
    // Grouping.
    struct Group {
        std::vector<Value> rep;
        std::vector<AggregateState> states;
    };
    std::unordered_map<std::string, size_t> group_index_;
    std::vector<Group> groups_;

    Result<storage::Transaction*> txn(Source& s) {
        if (shared_txn_) return shared_txn_;
        return b_.session.transaction().reader(s.table.db);
    }
    // A locking read: the row in `s`'s slots (it passed the table's own conditions) is locked, waiting for
    // its holder if need be, and replaced by the row as committed now; false when that is gone or no longer
    // passes them. Rows that do not pass on their latest committed version are never locked nor waited for.
    Result<bool> lock_current(Source& s) {
        if (!s.stored || !b_.lock_rows) return true;
        std::span<const Value> seen(row_.data() + s.offset, s.width);
        auto locked = FLOE_TRY(FLOE_TRY(txn(s))->lock_read_row(*s.table.table, seen, *b_.lock_rows));
        using Locked = storage::Transaction::LockedRow;
        if (locked.state == Locked::kGone) return false;
        if (locked.state == Locked::kUnchanged) return true;
        StoredRow& current = locked.row;
        bool same = current.size() == seen.size();
        for (size_t i = 0; same && i < seen.size(); ++i) same = identical_values(seen[i], current[i]);
        if (same) return true;
        place(s, std::move(current));
        return check(s.local);
    }
    void place(const Source& s, const StoredRow& r) {
        std::copy(r.begin(), r.begin() + static_cast<std::ptrdiff_t>(s.width), row_.begin() + s.offset);
    }
    void place(const Source& s, StoredRow&& r) {
        std::move(r.begin(), r.begin() + static_cast<std::ptrdiff_t>(s.width), row_.begin() + s.offset);
    }
    void place_null(const Source& s) {
        std::fill(row_.begin() + s.offset, row_.begin() + s.offset + static_cast<std::ptrdiff_t>(s.width), Value::null());
    }
    // KILL QUERY: looked at every 1,024 rows read.
    Status interrupted() {
        if ((++rows_read_ & 1023) == 0 && b_.session.kill_flag().killed()) {
            return make_error(ErrorCode::ER_QUERY_INTERRUPTED);
        }
        return {};
    }
    uint64_t rows_read_ = 0;
    Result<bool> check(const std::vector<const Expr*>& conds) {
        for (const Expr* c : conds) {
            Value v = FLOE_TRY(evaluate(*c, ctx_));
            if (v.is_null() || !v.to_bool()) return false;
        }
        return true;
    }
    // `exact` (when given) is set before the first row: true when every row read passes the access path's
    // own conjuncts (ScanPlan::exact), which then need no check per row.
    Status read_source(Source& s, const std::function<Result<bool>(StoredRow&)>& fn, bool* exact = nullptr);
    Status materialize(Source& s);
    Status step(size_t k);
    Status emit();
    Status finish_row(std::vector<Value>& full);
    Status finish_groups();
};

namespace {

// How often `slot` of the block's row is read by `e` (an expression bound to a slot reads only that slot).
size_t slot_reads(const Expr* e, int32_t slot) {
    if (!e) return 0;
    if (e->slot >= 0) return e->depth == 0 && e->slot == slot ? 1 : 0;
    size_t n = 0;
    for (const auto& a : e->args) n += slot_reads(a.get(), slot);
    return n;
}

}  // namespace

void BlockRun::plan_result_values() {
    // The first run of the block does this on the statement's thread, before any parallel helper exists.
    if (b_.result_plan_ready && b_.result_plan_raw_rows == b_.raw_rows) return;
    b_.result_plan_ready = true;
    b_.result_plan_raw_rows = b_.raw_rows;
    auto& sort_at = b_.sort_at;
    auto& move_output = b_.move_output;
    sort_at.clear();
    b_.local_unkeyed.clear();
    // Per source: its table's conjuncts less those its access path's keys enforce (see ScanPlan::exact).
    for (const Source& s : b_.sources) {
        const AccessPath& a = s.access;
        auto& kept = b_.local_unkeyed.emplace_back();
        for (const Expr* c : s.local) {
            bool keyed = std::find(a.used.begin(), a.used.end(), c) != a.used.end();
            // A BETWEEN gives both bounds; when another conjunct replaced one of them it is only half keyed.
            if (keyed && c->kind == ExprKind::kBetween) keyed = a.low == c->args[1].get() && a.high == c->args[2].get();
            if (!keyed) kept.push_back(c);
        }
    }
    const auto outputs = static_cast<int32_t>(b_.outputs.size());
    const int first_output = b_.raw_rows ? b_.out_base : 0;
    for (const Expr* o : b_.order) {
        int at = -1;
        if (o->slot >= 0 && o->depth == 0) {
            if (o->slot >= b_.out_base && o->slot < b_.out_base + outputs) {
                at = first_output + (o->slot - b_.out_base);
            } else {
                for (int32_t i = 0; i < outputs; ++i) {
                    const Expr* e = b_.outputs[static_cast<size_t>(i)].expr;
                    if (e->slot == o->slot && e->depth == 0) {
                        at = first_output + i;
                        break;
                    }
                }
            }
        }
        sort_at.push_back(at);
    }
    move_output.assign(b_.outputs.size(), false);
    // Only the innermost table's slots are refilled for every row (an outer table's stay for its inner rows);
    // grouped rows, raw rows and subqueries (which may read any slot) keep copies.
    if (b_.sources.empty() || b_.aggregate_query || b_.raw_rows || !b_.subqueries.empty()) return;
    const Source& last = b_.sources.back();
    for (size_t i = 0; i < b_.outputs.size(); ++i) {
        const Expr* e = b_.outputs[i].expr;
        int32_t slot = e->slot;
        if (slot < last.offset || slot >= last.offset + static_cast<int32_t>(last.width) || e->depth != 0) continue;
        size_t reads = slot_reads(b_.having, slot);
        for (const auto& other : b_.outputs) reads += slot_reads(other.expr, slot);
        for (size_t k = 0; k < b_.order.size(); ++k) {
            if (sort_at[k] < 0) reads += slot_reads(b_.order[k], slot);
        }
        move_output[i] = reads == 1;
    }
}

int BlockRun::compare_result_rows(size_t x, size_t y) const {
    const auto& sort_at = b_.sort_at;
    size_t extra = 0;
    for (size_t k = 0; k < sort_at.size(); ++k) {
        int c;
        if (sort_at[k] >= 0) {
            auto at = static_cast<size_t>(sort_at[k]);
            c = compare_sort_values(out_[x][at], out_[y][at]);
        } else {
            c = compare_sort_values(keys_[x][extra], keys_[y][extra]);
            ++extra;
        }
        if (c != 0) return b_.order_desc[k] ? -c : c;
    }
    return 0;
}

Result<ScanPlan> BlockRun::scan_plan(Source& s) {
    ScanPlan plan;
    const AccessPath& a = s.access;
    if (!a.index || a.type == AccessPath::Type::kIndex) {
        plan.full = true;
        return plan;
    }
    const auto& t = *s.schema;
    const auto& index = *a.index;
    bool exact = index.id == storage::kPrimaryIndexId;
    auto exact_value = [](const ColumnSchema& col, const Value& v) {
        return v.is_integer() && storage::is_integer_type(col.type) && col.type != storage::ColumnType::kYear;
    };
    // Equality parts: every combination of their values (IN lists multiply), as encoded key prefixes.
    struct Combo {
        std::string key;
        std::vector<Value> values;
    };
    std::vector<Combo> combos(1);
    for (size_t p = 0; p < a.eq.size(); ++p) {
        const ColumnSchema& col = *t.column_by_id(index.column_ids[p]);
        // One value (point reads, UPDATE / DELETE by key): every combination grows in place, no copies.
        const bool one = a.eq[p].values.size() == 1;
        bool matched = false;
        std::vector<Combo> next;
        for (const Expr* e : a.eq[p].values) {
            Value kv;
            if (!e) {
                kv = Value::null();
                exact = false;
            } else {
                Value v = FLOE_TRY(evaluate(*e, ctx_));
                exact &= exact_value(col, v);
                if (v.is_null()) {
                    if (!a.eq[p].null_safe) continue;  // = NULL matches nothing
                    kv = Value::null();
                } else {
                    KeyValue r = key_value(col, v, kv);
                    if (r == KeyValue::kNoMatch) continue;
                    if (r == KeyValue::kUnknown) {
                        plan.full = true;
                        return plan;
                    }
                }
            }
            matched = true;
            if (one) {
                for (Combo& c : combos) {
                    storage::append_column_key(c.key, col, kv);
                    c.values.push_back(kv);
                }
                continue;
            }
            for (const Combo& c : combos) {
                Combo n = c;
                storage::append_column_key(n.key, col, kv);
                n.values.push_back(kv);
                next.push_back(std::move(n));
            }
            if (next.size() > 4096) {
                plan.full = true;
                return plan;
            }
        }
        if (one) {
            if (!matched) combos.clear();
            continue;
        }
        combos = std::move(next);
    }
    // The range part.
    std::optional<std::string> low_suffix, high_suffix;
    bool low_inclusive = true, high_inclusive = true;
    if (a.has_range) {
        const ColumnSchema& col = *t.column_by_id(index.column_ids[a.eq.size()]);
        auto bound = [&](const Expr* e, std::optional<std::string>& out, bool& inclusive, bool given_inclusive) -> Result<bool> {
            if (!e) return true;
            Value v = FLOE_TRY(evaluate(*e, ctx_));
            if (v.is_null()) return false;  // a comparison with NULL holds for no row
            exact &= exact_value(col, v);
            Value kv;
            if (key_value(col, v, kv) != KeyValue::kOk) {
                exact = false;
                return true;  // unbounded; the filter decides
            }
            std::string enc;
            storage::append_column_key(enc, col, kv);
            out = std::move(enc);
            inclusive = given_inclusive;
            return true;
        };
        bool low_ok = FLOE_TRY(bound(a.low, low_suffix, low_inclusive, a.low_inclusive));
        bool high_ok = FLOE_TRY(bound(a.high, high_suffix, high_inclusive, a.high_inclusive));
        if (!low_ok || !high_ok) return plan;  // empty
        if (!low_suffix && col.nullable) low_suffix = std::string(1, '\x01');  // skip NULLs
    }
    if (combos.size() > 1) {
        std::sort(combos.begin(), combos.end(), [](const Combo& x, const Combo& y) { return x.key < y.key; });
        combos.erase(std::unique(combos.begin(), combos.end(), [](const Combo& x, const Combo& y) { return x.key == y.key; }),
                     combos.end());
    }
    // Partition pruning: equalities on the whole shard key name one partition.
    auto shard = t.effective_shard_key();
    std::vector<int> shard_pos;
    for (uint32_t id : shard) {
        auto it = std::find(index.column_ids.begin(), index.column_ids.begin() + static_cast<std::ptrdiff_t>(a.eq.size()), id);
        if (it == index.column_ids.begin() + static_cast<std::ptrdiff_t>(a.eq.size())) {
            shard_pos.clear();
            break;
        }
        shard_pos.push_back(static_cast<int>(it - index.column_ids.begin()));
    }
    // The shard key is the equalities' leading columns in order (a primary key that is its own shard key):
    // its bytes are the key prefix already built.
    bool shard_is_prefix = !shard_pos.empty() && shard_pos.size() == a.eq.size();
    for (size_t i = 0; shard_is_prefix && i < shard_pos.size(); ++i) shard_is_prefix = shard_pos[i] == static_cast<int>(i);
    auto& tx = *FLOE_TRY(txn(s));
    for (const Combo& c : combos) {
        ScanPlan::Part part;
        KeyRange& r = part.range;
        if (a.has_range) {
            r.low = c.key + low_suffix.value_or("");
            r.low_inclusive = low_suffix ? low_inclusive : true;
            if (high_suffix) {
                r.high = c.key + *high_suffix;
                r.high_inclusive = high_inclusive;
            } else if (!c.key.empty()) {
                r.high = c.key;
            }
            if (r.low->empty()) r.low.reset();
        } else {
            r.low = c.key;
            r.high = c.key;
        }
        if (shard_is_prefix) {
            part.partition = tx.partition_for_key(c.key);
        } else if (!shard_pos.empty()) {
            StoredRow probe(t.columns.size());
            for (size_t i = 0; i < shard.size(); ++i) {
                probe[static_cast<size_t>(t.column_index(shard[i]))] = c.values[static_cast<size_t>(shard_pos[i])];
            }
            part.partition = tx.partition_for(t, probe);
        }
        plan.parts.push_back(std::move(part));
    }
    plan.exact = exact;
    return plan;
}

Status BlockRun::read_source(Source& s, const std::function<Result<bool>(StoredRow&)>& fn, bool* exact) {
    std::optional<Error> failure;
    auto wrap = [&](StoredRow& r) {
        auto keep = fn(r);
        if (!keep.ok()) {
            failure = std::move(keep).error();
            return false;
        }
        return *keep;
    };
    auto& tx = *FLOE_TRY(txn(s));
    auto& table = *s.table.table;
    ScanPlan plan;
    if (planned_ && &s == &b_.sources[0]) {
        plan = std::move(*planned_);
        planned_.reset();
    } else {
        plan = FLOE_TRY(scan_plan(s));
    }
    if (exact) *exact = plan.exact && !plan.full;
    const AccessPath& a = s.access;
    // Only the columns the query reads are decoded; locking reads (and UPDATE / DELETE) take whole rows.
    const std::vector<bool>* columns = b_.lock_rows || b_.raw_rows || s.wanted.empty() ? nullptr : &s.wanted;
    if (only_partition_ >= 0) {
        // A helper of a parallel scan: this partition's part of the plan (never ordered, never point reads).
        storage::IndexScan scan;
        scan.index = plan.full || !a.index ? &s.schema->primary() : a.index;
        if (!plan.full) {
            for (auto& p : plan.parts) scan.ranges.push_back(std::move(p.range));
            if (scan.ranges.empty()) return {};
        }
        scan.partitions = {static_cast<uint16_t>(only_partition_)};
        scan.columns = columns;
        FLOE_CHECK(tx.scan_index(table, scan, wrap));
    } else if (plan.full) {
        if (a.ordered && a.index) {
            storage::IndexScan scan;
            scan.index = a.index;
            scan.ordered = true;
            scan.reverse = a.reverse;
            scan.columns = columns;
            FLOE_CHECK(tx.scan_index(table, scan, wrap));
        } else {
            FLOE_CHECK(tx.scan(table, wrap, columns));
        }
    } else if (!plan.parts.empty() && plan.parts[0].partition >= 0 && a.index->id == storage::kPrimaryIndexId &&
               a.eq.size() == a.index->column_ids.size() && !a.has_range) {
        // Whole primary keys: point reads.
        std::vector<size_t> order(plan.parts.size());
        std::iota(order.begin(), order.end(), 0);
        if (a.reverse) std::reverse(order.begin(), order.end());
        for (size_t i : order) {
            auto row = FLOE_TRY(tx.get_by_key(table, static_cast<uint16_t>(plan.parts[i].partition), *plan.parts[i].range.low,
                                              columns));
            if (row && !wrap(*row)) break;
            if (stop_) break;
        }
    } else if (!plan.parts.empty() && plan.parts[0].partition >= 0) {
        // One partition per key: read them one by one (ascending keys, so ordered output stays ordered).
        std::vector<size_t> order(plan.parts.size());
        std::iota(order.begin(), order.end(), 0);
        if (a.reverse) std::reverse(order.begin(), order.end());
        for (size_t i : order) {
            storage::IndexScan scan;
            scan.index = a.index;
            scan.ranges = {plan.parts[i].range};
            scan.partitions = {static_cast<uint16_t>(plan.parts[i].partition)};
            scan.ordered = a.ordered;
            scan.reverse = a.reverse;
            scan.columns = columns;
            FLOE_CHECK(tx.scan_index(table, scan, wrap));
            if (failure || stop_) break;
        }
    } else if (!plan.parts.empty()) {
        storage::IndexScan scan;
        scan.index = a.index;
        for (auto& p : plan.parts) scan.ranges.push_back(std::move(p.range));
        scan.ordered = a.ordered;
        scan.reverse = a.reverse;
        scan.columns = columns;
        FLOE_CHECK(tx.scan_index(table, scan, wrap));
    }
    if (failure) return *failure;
    return {};
}

Status BlockRun::materialize(Source& s) {
    s.cache.clear();
    s.hash.clear();
    auto keep = [&](const StoredRow& r) -> Result<bool> {
        FLOE_CHECK(interrupted());
        place(s, r);
        if (FLOE_TRY(check(s.local)) && FLOE_TRY(lock_current(s))) {
            s.cache.emplace_back(row_.begin() + s.offset, row_.begin() + s.offset + static_cast<std::ptrdiff_t>(s.width));
        }
        return true;
    };
    if (s.stored) {
        FLOE_CHECK(read_source(s, [&](StoredRow& r) { return keep(r); }));
    } else {
        for (const auto& r : s.rows) {
            if (!FLOE_TRY(keep(r))) break;
        }
    }
    if (!s.hash_build.empty()) {
        for (size_t i = 0; i < s.cache.size(); ++i) {
            place(s, s.cache[i]);
            std::string key;
            bool null = false;
            for (const Expr* e : s.hash_build) {
                Value v = FLOE_TRY(evaluate(*e, ctx_));
                null |= v.is_null();
                append_group_key(key, v);
            }
            if (!null) s.hash.emplace(std::move(key), i);
        }
    }
    s.matched.assign(s.cache.size(), false);
    s.materialized = true;
    return {};
}

Status BlockRun::step(size_t k) {
    if (stop_) return {};
    if (k == b_.sources.size()) return emit();
    Source& s = b_.sources[k];
    bool any_match = false;
    bool exact = false;  // the keys read enforce the access path's conjuncts (set by read_source)
    auto candidate = [&](const StoredRow* r, StoredRow* owned, size_t index, bool prefiltered) -> Result<bool> {
        FLOE_CHECK(interrupted());
        if (owned) {
            place(s, std::move(*owned));  // read for this row only: no copy
        } else {
            place(s, *r);
        }
        if (!prefiltered && !FLOE_TRY(check(exact ? b_.local_unkeyed[k] : s.local))) return true;
        if (!prefiltered && !FLOE_TRY(lock_current(s))) return true;
        if (!FLOE_TRY(check(s.on))) return true;
        any_match = true;
        if (s.join == JoinKind::kRight) s.matched[index] = true;
        if (!FLOE_TRY(check(s.filters))) return true;
        FLOE_CHECK(step(k + 1));
        return !stop_;
    };
    bool lookup = s.stored && s.access.dependent;
    if (lookup || (k == 0 && s.stored && s.join != JoinKind::kRight)) {
        FLOE_CHECK(read_source(s, [&](StoredRow& r) { return candidate(nullptr, &r, 0, false); }, &exact));
    } else {
        if (!s.materialized) FLOE_CHECK(materialize(s));
        if (!s.hash_build.empty()) {
            std::string key;
            bool null = false;
            for (const Expr* e : s.hash_probe) {
                Value v = FLOE_TRY(evaluate(*e, ctx_));
                null |= v.is_null();
                append_group_key(key, v);
            }
            if (!null) {
                auto [it, end] = s.hash.equal_range(key);
                std::vector<size_t> hits;
                for (; it != end; ++it) hits.push_back(it->second);
                std::sort(hits.begin(), hits.end());  // read order, as a nested loop would give
                for (size_t i : hits) {
                    if (!FLOE_TRY(candidate(&s.cache[i], nullptr, i, true))) break;
                }
            }
        } else {
            for (size_t i = 0; i < s.cache.size(); ++i) {
                if (!FLOE_TRY(candidate(&s.cache[i], nullptr, i, true))) break;
            }
        }
    }
    if (!any_match && s.join == JoinKind::kLeft && !stop_) {
        place_null(s);
        if (FLOE_TRY(check(s.filters))) FLOE_CHECK(step(k + 1));
    }
    return {};
}

Status BlockRun::emit() {
    if (b_.aggregate_query) {
        size_t index = 0;
        if (b_.group_by.empty()) {
            // One group: no key to build or look up per row.
            if (groups_.empty()) groups_.push_back(Group{std::vector<Value>(row_.begin(), row_.begin() + b_.width),
                                                         std::vector<AggregateState>(b_.aggregates.size())});
        } else {
            std::string key;
            for (const Expr* g : b_.group_by) append_group_key(key, FLOE_TRY(evaluate(*g, ctx_)));
            auto [it, inserted] = group_index_.emplace(std::move(key), groups_.size());
            if (inserted) {
                groups_.push_back(Group{std::vector<Value>(row_.begin(), row_.begin() + b_.width),
                                        std::vector<AggregateState>(b_.aggregates.size())});
            }
            index = it->second;
        }
        Group& g = groups_[index];
        std::vector<Value> args;
        for (size_t i = 0; i < b_.aggregates.size(); ++i) {
            const Expr& a = *b_.aggregates[i];
            args.clear();
            for (const auto& arg : a.args) args.push_back(FLOE_TRY(evaluate(*arg, ctx_)));
            FLOE_CHECK(aggregate_add(a, g.states[i], args, b_.session));
        }
        return {};
    }
    return finish_row(row_);
}

// The select list, HAVING, DISTINCT and ORDER BY keys for one result row (`full`: the block's slot row).
Status BlockRun::finish_row(std::vector<Value>& full) {
    RowScope scope = scope_;
    scope.values = std::span<const Value>(full.data(), full.size());
    const RowScope* saved = ctx_.row;
    ctx_.row = &scope;
    for (size_t i = 0; i < b_.outputs.size(); ++i) {
        Value& to = full[static_cast<size_t>(b_.out_base) + i];
        if (b_.move_output[i]) {
            to = std::move(full[static_cast<size_t>(b_.outputs[i].expr->slot)]);
        } else {
            to = FLOE_TRY(evaluate(*b_.outputs[i].expr, ctx_));
        }
    }
    bool keep = true;
    if (b_.having) {
        Value h = FLOE_TRY(evaluate(*b_.having, ctx_));
        keep = !h.is_null() && h.to_bool();
    }
    if (keep && b_.stmt.distinct) {
        std::string key;
        for (size_t i = 0; i < b_.outputs.size(); ++i) append_group_key(key, full[static_cast<size_t>(b_.out_base) + i]);
        keep = distinct_.insert(std::move(key)).second;
    }
    if (keep) {
        // ORDER BY keys first (they may read the select list's slots), then the select list's values move into
        // the result row (its slots are recomputed for every row; table slots are copied, as outer tables of a
        // join keep theirs).
        if (sorting_) {
            std::vector<Value> k;
            for (size_t i = 0; i < b_.order.size(); ++i) {
                if (b_.sort_at[i] < 0) k.push_back(FLOE_TRY(evaluate(*b_.order[i], ctx_)));
            }
            keys_.push_back(std::move(k));
        }
        auto outputs_begin = full.begin() + b_.out_base;
        auto outputs_end = outputs_begin + static_cast<std::ptrdiff_t>(b_.outputs.size());
        Row out;
        out.reserve(static_cast<size_t>(outputs_end - (b_.raw_rows ? full.begin() : outputs_begin)));
        if (b_.raw_rows) out.insert(out.end(), full.begin(), outputs_begin);
        out.insert(out.end(), std::make_move_iterator(outputs_begin), std::make_move_iterator(outputs_end));
        if (sorting_) {
            out_.push_back(std::move(out));
        } else {
            ++found_;
            if (found_ > offset_ && out_.size() < limit_) out_.push_back(std::move(out));
            if (streaming_limit_ && out_.size() >= limit_) stop_ = true;
        }
    }
    ctx_.row = saved;
    return {};
}

Status BlockRun::finish_groups() {
    if (groups_.empty() && b_.group_by.empty()) {
        // Aggregates over no rows: one row (COUNT 0, others NULL).
        Group g;
        g.rep.assign(static_cast<size_t>(b_.width), Value::null());
        g.states.resize(b_.aggregates.size());
        groups_.push_back(std::move(g));
    }
    std::vector<Value> full(slots_);
    for (Group& g : groups_) {
        std::copy(g.rep.begin(), g.rep.end(), full.begin());
        for (size_t i = 0; i < b_.aggregates.size(); ++i) {
            full[static_cast<size_t>(b_.agg_base) + i] = aggregate_result(*b_.aggregates[i], g.states[i], b_.session);
        }
        FLOE_CHECK(finish_row(full));
        if (stop_) break;
    }
    return {};
}

// ---- parallel partition scans ----

namespace {

// Expressions a helper thread may evaluate: no subqueries (they run through the block's shared state), no
// assignments or functions with side effects or per-call state.
bool thread_safe(const Expr* e) {
    if (!e) return true;
    switch (e->kind) {
        case ExprKind::kSubquery:
        case ExprKind::kExists:
        case ExprKind::kInSubquery:
        case ExprKind::kAssign: return false;
        case ExprKind::kFunction:
            if (e->name == "rand" || e->name == "last_insert_id" || e->name == "sleep" || e->name == "uuid" ||
                e->name == "found_rows" || e->name == "row_count") {
                return false;
            }
            break;
        default: break;
    }
    for (const auto& a : e->args) {
        if (!thread_safe(a.get())) return false;
    }
    return true;
}

bool all_thread_safe(const std::vector<const Expr*>& exprs) {
    return std::all_of(exprs.begin(), exprs.end(), [](const Expr* e) { return thread_safe(e); });
}

}  // namespace

// One stored table read in full or by ranges over every partition, with nothing that needs the rows in read
// order (index order, LIMIT without ORDER BY, DISTINCT rows), nothing shared between rows (subqueries) and
// aggregates that can be merged.
bool BlockRun::parallel_candidate() const {
    if (b_.sources.size() != 1 || scope_.outer || !b_.subqueries.empty() || b_.index_order || b_.lock_rows) return false;
    const Source& s = b_.sources[0];
    if (!s.stored || s.access.dependent || s.access.ordered || !s.hash_build.empty()) return false;
    if (b_.aggregate_query) {
        for (const Expr* a : b_.aggregates) {
            if (!aggregate_mergeable(*a)) return false;
        }
    } else if (b_.stmt.distinct || (!sorting_ && (offset_ > 0 || limit_ != UINT64_MAX || b_.stmt.calc_found_rows))) {
        return false;
    }
    if (!all_thread_safe(s.local) || !all_thread_safe(s.on) || !all_thread_safe(s.filters) ||
        !all_thread_safe(b_.group_by) || !all_thread_safe(b_.aggregates)) {
        return false;
    }
    if (!b_.aggregate_query) {  // helpers make the result rows too
        for (const auto& o : b_.outputs) {
            if (!thread_safe(o.expr)) return false;
        }
        if (!all_thread_safe(b_.order) || !thread_safe(b_.having)) return false;
    }
    return true;
}

// Reads the table's partitions on the statement's thread and on idle scan-pool threads at once, when cores
// are free and the read is big enough to gain (parallel_scan_min_rows: the table's entries for a full read,
// the estimated entries of its ranges for an index read). Each partition gets a BlockRun of its
// own that filters and groups its rows (or makes its result rows); the parts are merged in partition order
// with their warnings, so the answer is the one a sequential read gives. False: not done, read sequentially.
Result<bool> BlockRun::run_parallel() {
    if (!parallel_candidate()) return false;
    Source& s = b_.sources[0];
    storage::Database& db = *s.table.db;
    size_t partitions = db.partitions();
    Engine& engine = b_.session.engine();
    WorkPool& pool = engine.scan_pool();
    size_t cores = pool.threads() + 1;
    size_t running = std::max<uint64_t>(1, engine.counters().threads_running.load(std::memory_order_relaxed));
    size_t helpers = std::min(pool.threads(), cores > running ? cores - running : 0);
    if (helpers == 0 || partitions < 2) return false;
    // Planned first: the read uses this plan either way, and keys that name partitions (point reads, the
    // commonest query) are decided on without estimating the table's size.
    ScanPlan plan = FLOE_TRY(scan_plan(s));
    auto sequential = [&] {
        planned_ = std::move(plan);
        return false;
    };
    for (const auto& part : plan.parts) {
        if (part.partition >= 0) return sequential();  // keys that name partitions: a few point reads
    }
    static const VarDef* const min_rows_var = find_variable("parallel_scan_min_rows");
    uint64_t min_rows = static_cast<uint64_t>(b_.session.variable(*min_rows_var).to_int());
    const uint64_t table_entries = min_rows > 0 ? db.estimate_entries(*s.table.table) : 0;
    if (min_rows > 0 && table_entries < min_rows) return sequential();
    storage::Transaction& tx = *FLOE_TRY(txn(s));  // one snapshot for every helper
    if (tx.has_writes() || tx.current_reads()) return sequential();  // the write batch is not for several threads
    if (min_rows > 0 && !plan.full && s.access.index) {
        // Index ranges: what they span, not the table, decides. A 100-row range split over threads cost twice the
        // CPU of reading it on one (hand-offs, a snapshot iterator per partition). (The helpers plan again.)
        std::vector<storage::KeyRange> ranges;
        ranges.reserve(plan.parts.size());
        for (const auto& part : plan.parts) ranges.push_back(part.range);
        if (db.estimate_range_entries(*s.table.table, table_entries, s.access.index->id, ranges) < min_rows) {
            return sequential();
        }
    }
    engine.counters().parallel_scans.fetch_add(1, std::memory_order_relaxed);
    std::vector<std::unique_ptr<BlockRun>> parts(partitions);
    std::vector<std::vector<Warning>> warnings(partitions);
    std::vector<std::optional<Error>> errors(partitions);
    pool.run(partitions, helpers, [&](size_t p) {
        WarningCapture capture(warnings[p]);
        auto run = std::make_unique<BlockRun>(b_, nullptr);
        run->shared_txn_ = &tx;
        run->only_partition_ = static_cast<int>(p);
        run->sorting_ = sorting_;
        auto st = run->step(0);
        if (!st.ok()) errors[p] = std::move(st).error();
        parts[p] = std::move(run);
    });
    for (size_t p = 0; p < partitions; ++p) {
        for (auto& w : warnings[p]) b_.session.add_warning(static_cast<ErrorCode>(w.code), std::move(w.message), w.level);
        if (errors[p]) return *errors[p];
    }
    for (auto& part : parts) {
        if (b_.aggregate_query) {
            FLOE_CHECK(merge_groups(*part));
        } else {
            std::move(part->out_.begin(), part->out_.end(), std::back_inserter(out_));
            std::move(part->keys_.begin(), part->keys_.end(), std::back_inserter(keys_));
            found_ += part->found_;
        }
    }
    return true;
}

Status BlockRun::merge_groups(BlockRun& part) {
    auto merge = [&](Group& into, Group& from) -> Status {
        for (size_t i = 0; i < b_.aggregates.size(); ++i) {
            FLOE_CHECK(aggregate_merge(*b_.aggregates[i], into.states[i], from.states[i]));
        }
        return {};
    };
    if (b_.group_by.empty()) {
        if (part.groups_.empty()) return {};
        if (groups_.empty()) {
            groups_.push_back(std::move(part.groups_[0]));
            return {};
        }
        return merge(groups_[0], part.groups_[0]);
    }
    std::vector<const std::string*> keys(part.groups_.size());
    for (const auto& [key, i] : part.group_index_) keys[i] = &key;
    for (size_t i = 0; i < part.groups_.size(); ++i) {
        auto [it, inserted] = group_index_.emplace(*keys[i], groups_.size());
        if (inserted) {
            groups_.push_back(std::move(part.groups_[i]));
        } else {
            FLOE_CHECK(merge(groups_[it->second], part.groups_[i]));
        }
    }
    return {};
}

Result<ResultSet> BlockRun::run() {
    SelectStmt& st = b_.stmt;
    if (!b_.union_term) {
        offset_ = FLOE_TRY(evaluate_limit(b_.session, st.offset, b_.source, 0));
        limit_ = FLOE_TRY(evaluate_limit(b_.session, st.limit, b_.source, UINT64_MAX));
        sorting_ = !b_.order.empty() && !b_.index_order;
    }
    streaming_limit_ = !sorting_ && !b_.aggregate_query && !st.calc_found_rows && limit_ != UINT64_MAX;
    if (streaming_limit_ && limit_ == 0) stop_ = true;
    for (Source& s : b_.sources) {
        s.materialized = false;
        s.cache.clear();
        s.hash.clear();
    }
    if (b_.sources.empty()) {
        if (FLOE_TRY(check(b_.no_table_filters))) FLOE_CHECK(emit());
    } else {
        if (!FLOE_TRY(run_parallel())) {
            auto read = step(0);
            planned_.reset();  // not taken when nothing was read (LIMIT 0)
            FLOE_CHECK(read);
        }
        // RIGHT JOIN: the rows of its table that matched nothing, with the tables before it NULL.
        for (size_t k = 0; k < b_.sources.size() && !stop_; ++k) {
            Source& s = b_.sources[k];
            if (s.join != JoinKind::kRight) continue;
            if (!s.materialized) FLOE_CHECK(materialize(s));
            for (size_t i = 0; i < s.cache.size() && !stop_; ++i) {
                if (s.matched[i]) continue;
                for (size_t j = 0; j < k; ++j) place_null(b_.sources[j]);
                place(s, s.cache[i]);
                if (FLOE_TRY(check(s.filters))) FLOE_CHECK(step(k + 1));
            }
        }
    }
    if (b_.aggregate_query) FLOE_CHECK(finish_groups());
    ResultSet rs;
    if (sorting_) {
        std::vector<size_t> order(out_.size());
        std::iota(order.begin(), order.end(), 0);
        auto less = [&](size_t x, size_t y) {
            int c = compare_result_rows(x, y);
            return c != 0 ? c < 0 : x < y;
        };
        uint64_t want = limit_ == UINT64_MAX ? order.size() : std::min<uint64_t>(order.size(), offset_ + limit_);
        if (want < order.size() / 2) {
            std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(want), order.end(), less);
        } else {
            std::sort(order.begin(), order.end(), less);
        }
        found_ = out_.size();
        for (uint64_t i = offset_; i < want; ++i) rs.rows.push_back(std::move(out_[order[i]]));
    } else {
        rs.rows = std::move(out_);
        if (b_.union_term) found_ = rs.rows.size();
    }
    b_.session.set_found_rows(st.calc_found_rows ? found_ : rs.rows.size());
    // Column definitions: a table column keeps its type; an expression is typed by its values.
    uint16_t coll = b_.session.result_collation();
    for (size_t i = 0; i < b_.outputs.size(); ++i) {
        const OutputColumn& o = b_.outputs[i];
        if (o.source >= 0) {
            const Source& s = b_.sources[static_cast<size_t>(o.source)];
            rs.columns.push_back(column_def_for(*s.schema, s.schema->columns[static_cast<size_t>(o.column)], s.db,
                                                s.alias, o.name, coll));
        } else {
            rs.columns.push_back(column_for_rows(o.name, rs.rows, i, coll, o.not_null_literal));
        }
    }
    return rs;
}

// ---- unions ----

Session& query_session(Query& q) { return q.block ? q.block->session : query_session(*q.terms[0]); }
std::string_view query_source(Query& q) { return q.block ? q.block->source : query_source(*q.terms[0]); }

Result<ResultSet> run_union(Query& q, const RowScope* outer) {
    ResultSet result;
    std::unordered_set<std::string> seen;
    for (size_t i = 0; i < q.terms.size(); ++i) {
        auto rs = FLOE_TRY(run_query(*q.terms[i], outer));
        if (i == 0) result.columns = std::move(rs.columns);
        for (auto& r : rs.rows) result.rows.push_back(std::move(r));
        if (!q.term_all[i] || (i == 0 && q.terms.size() > 1 && !q.term_all[1])) {
            // UNION DISTINCT removes duplicates from everything before it.
            bool distinct_after = false;
            for (size_t j = i + 1; j < q.terms.size(); ++j) distinct_after |= !q.term_all[j];
            if (!q.term_all[i] || !distinct_after) {
                std::vector<Row> kept;
                seen.clear();
                for (auto& r : result.rows) {
                    std::string key;
                    for (const auto& v : r) append_group_key(key, v);
                    if (seen.insert(std::move(key)).second) kept.push_back(std::move(r));
                }
                result.rows = std::move(kept);
            }
        }
    }
    SelectStmt& st = *q.stmt;
    Session& session = query_session(q);
    std::string_view source = query_source(q);
    if (!st.order_by.empty()) {
        std::vector<std::string> names;
        for (const auto& c : result.columns) names.push_back(c.name);
        EvalContext ctx{session, source};
        ctx.clause = "order clause";
        std::vector<std::vector<Value>> keys;
        for (const auto& r : result.rows) {
            RowScope scope{names, std::span<const Value>(r.data(), r.size())};
            scope.outer = outer;
            ctx.row = &scope;
            std::vector<Value> k;
            for (const auto& item : st.order_by) {
                const Expr& e = *item.expr;
                if (e.kind == ExprKind::kLiteral && e.literal.is_integer()) {
                    int64_t pos = e.literal.to_int();
                    if (pos < 1 || static_cast<size_t>(pos) > r.size()) {
                        return make_error(ErrorCode::ER_BAD_FIELD_ERROR, {e.literal.to_text(), "order clause"});
                    }
                    k.push_back(r[static_cast<size_t>(pos - 1)]);
                } else {
                    k.push_back(FLOE_TRY(evaluate(e, ctx)));
                }
            }
            keys.push_back(std::move(k));
        }
        std::vector<bool> desc;
        for (const auto& item : st.order_by) desc.push_back(item.desc);
        std::vector<size_t> order(result.rows.size());
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(),
                         [&](size_t x, size_t y) { return compare_sort_keys(keys[x], keys[y], desc) < 0; });
        std::vector<Row> sorted;
        for (size_t i : order) sorted.push_back(std::move(result.rows[i]));
        result.rows = std::move(sorted);
    }
    uint64_t found = result.rows.size();
    uint64_t offset = FLOE_TRY(evaluate_limit(session, st.offset, source, 0));
    uint64_t limit = FLOE_TRY(evaluate_limit(session, st.limit, source, UINT64_MAX));
    if (offset >= result.rows.size()) {
        result.rows.clear();
    } else {
        result.rows.erase(result.rows.begin(), result.rows.begin() + static_cast<std::ptrdiff_t>(offset));
    }
    if (result.rows.size() > limit) result.rows.resize(static_cast<size_t>(limit));
    bool calc = q.terms[0]->block && q.terms[0]->block->stmt.calc_found_rows;
    session.set_found_rows(calc ? found : result.rows.size());
    return result;
}


// ---- EXPLAIN ----

struct ExplainState {
    int next_id = 1;
    std::vector<Row> rows;
};

Value text_or_null(const std::string& s) { return s.empty() ? Value::null() : Value::from_string(s); }

Status explain_query(Query& q, ExplainState& out, const std::string& select_type);

Status explain_block(Block& b, ExplainState& out, int id, const std::string& select_type) {
    BlockRun run(b, nullptr);
    bool first = true;
    auto extra_for_first = [&](std::string& extra) {
        if (!first) return;
        first = false;
        std::vector<std::string> parts;
        if (b.aggregate_query && !b.group_by.empty()) parts.push_back("Using temporary");
        else if (b.stmt.distinct) parts.push_back("Using temporary");
        if (!b.order.empty() && !b.index_order) parts.push_back("Using filesort");
        for (const auto& p : parts) extra += (extra.empty() ? "" : "; ") + p;
    };
    if (b.sources.empty()) {
        Row r{Value::from_int(id), Value::from_string(select_type), Value::null(), Value::null(), Value::null(),
              Value::null(), Value::null(), Value::null(), Value::null(), Value::null(), Value::null(),
              Value::from_string(b.no_table_filters.empty() ? "No tables used" : "Impossible WHERE")};
        if (!b.no_table_filters.empty()) r[11] = Value::from_string("No tables used");
        out.rows.push_back(std::move(r));
    }
    int derived_id = out.next_id;
    for (Source& s : b.sources) {
        std::string table = s.derived ? "<derived" + std::to_string(++derived_id) + ">" : s.alias;
        const AccessPath& a = s.access;
        std::string type = s.stored ? access_type_name(a.type) : "ALL";
        std::string possible, key, key_len, ref, partitions, extra;
        for (const auto& k : a.possible_keys) possible += (possible.empty() ? "" : ",") + k;
        int64_t rows = static_cast<int64_t>(s.rows.size());
        if (s.stored) {
            uint16_t n = s.table.db->partitions();
            if (a.index) {
                key = a.index->name;
                size_t parts = a.type == AccessPath::Type::kIndex ? a.index->column_ids.size()
                                                                  : a.eq.size() + (a.has_range ? 1 : 0);
                key_len = std::to_string(key_length(*s.schema, *a.index, parts));
                for (size_t i = 0; i < a.eq.size() && !a.has_range && a.type != AccessPath::Type::kRange; ++i) {
                    const Expr* v = a.eq[i].values.empty() ? nullptr : a.eq[i].values[0];
                    std::string r = "const";
                    const Block* owner = &b;
                    for (uint8_t d = 0; v && d < v->depth && owner; ++d) owner = owner->parent;
                    if (v && owner && v->kind == ExprKind::kColumn && v->slot >= 0 && v->slot < owner->width) {
                        for (size_t j = owner->sources.size(); j-- > 0;) {
                            const Source& o = owner->sources[j];
                            if (v->slot >= o.offset) {
                                r = o.db + "." + o.alias + "." + o.schema->columns[static_cast<size_t>(v->slot - o.offset)].name;
                                break;
                            }
                        }
                    } else if (a.dependent && v && v->kind != ExprKind::kLiteral) {
                        r = "func";
                    }
                    ref += (ref.empty() ? "" : ",") + r;
                }
            }
            // Partitions read, and rows: counted for keys known before the query runs, 1 per lookup otherwise.
            std::vector<bool> read(n, false);
            if (a.dependent || (b.correlated && a.index)) {
                rows = 1;
                std::fill(read.begin(), read.end(), true);
            } else {
                auto plan = FLOE_TRY(run.scan_plan(s));
                auto txn = s.table.db->begin();
                rows = 0;
                if (plan.full) {
                    auto counts = FLOE_TRY(txn->count_per_partition(*s.table.table));
                    for (auto c : counts) rows += static_cast<int64_t>(c);
                    std::fill(read.begin(), read.end(), true);
                } else {
                    for (const auto& p : plan.parts) {
                        storage::IndexScan scan;
                        scan.index = a.index;
                        scan.ranges = {p.range};
                        if (p.partition >= 0) {
                            scan.partitions = {static_cast<uint16_t>(p.partition)};
                            read[static_cast<size_t>(p.partition)] = true;
                        } else {
                            std::fill(read.begin(), read.end(), true);
                        }
                        FLOE_CHECK(txn->scan_index(*s.table.table, scan, [&](StoredRow&) {
                            ++rows;
                            return true;
                        }));
                    }
                }
            }
            for (uint16_t p = 0; p < n; ++p) {
                if (read[p]) partitions += (partitions.empty() ? "p" : ",p") + std::to_string(p);
            }
        }
        bool where = false;
        for (const auto* list : {&s.local, &s.filters, &s.on}) {
            for (const Expr* c : *list) {
                where |= std::find(a.used.begin(), a.used.end(), c) == a.used.end();
            }
        }
        if (where) extra = "Using where";
        if (!s.hash_build.empty()) extra += std::string(extra.empty() ? "" : "; ") + "Using join buffer (hash join)";
        extra_for_first(extra);
        Row r{Value::from_int(id),
              Value::from_string(select_type),
              Value::from_string(table),
              text_or_null(partitions),
              Value::from_string(type),
              text_or_null(possible),
              text_or_null(key),
              text_or_null(key_len),
              text_or_null(ref),
              Value::from_int(rows),
              Value::from_string("100.00"),
              text_or_null(extra)};
        out.rows.push_back(std::move(r));
    }
    for (Source& s : b.sources) {
        if (s.derived) {
            ++out.next_id;
            FLOE_CHECK(explain_query(*s.derived, out, "DERIVED"));
        }
    }
    for (auto& [e, q] : b.subqueries) {
        ++out.next_id;
        FLOE_CHECK(explain_query(*q, out, q->correlated() ? "DEPENDENT SUBQUERY" : "SUBQUERY"));
    }
    return {};
}

Status explain_query(Query& q, ExplainState& out, const std::string& select_type) {
    if (q.block) return explain_block(*q.block, out, out.next_id, select_type);
    std::vector<int> ids;
    for (size_t i = 0; i < q.terms.size(); ++i) {
        if (i > 0) ++out.next_id;
        ids.push_back(out.next_id);
        FLOE_CHECK(explain_query(*q.terms[i], out, i == 0 ? (select_type == "SIMPLE" ? "PRIMARY" : select_type) : "UNION"));
    }
    std::string name = "<union";
    for (size_t i = 0; i < ids.size(); ++i) name += (i ? "," : "") + std::to_string(ids[i]);
    name += ">";
    out.rows.push_back(Row{Value::null(), Value::from_string("UNION RESULT"), Value::from_string(name), Value::null(),
                           Value::from_string("ALL"), Value::null(), Value::null(), Value::null(), Value::null(),
                           Value::null(), Value::null(), Value::from_string("Using temporary")});
    return {};
}

}  // namespace

Result<const std::vector<Row>*> Block::rows(const Expr& e, EvalContext& ctx) {
    auto it = subqueries.find(&e);
    if (it == subqueries.end()) return make_error(ErrorCode::ER_INTERNAL_ERROR, {"an unbound subquery"});
    auto& buffer = subquery_rows[&e];
    bool& done = subquery_done[&e];
    if (done && !it->second->correlated()) return &buffer;
    auto rs = FLOE_TRY(run_query(*it->second, ctx.row));
    buffer = std::move(rs.rows);
    done = true;
    return &buffer;
}

Result<ResultSet> run_query(Query& q, const RowScope* outer) {
    if (q.block) {
        q.block->subquery_done.clear();
        BlockRun run(*q.block, outer);
        return run.run();
    }
    return run_union(q, outer);
}

namespace {

// Makes `b` a locking read: its rows are locked in `mode` and read as committed now (the statement's scans
// read current data from here on).
void lock_rows(Session& session, Block& b, locking::LockMode mode) {
    b.lock_rows = mode;
    session.transaction().set_current_reads(true);
}

// A plan holding no rows read while compiling (no view, derived or information_schema table anywhere).
bool reusable(const Query& q) {
    if (!q.block) {
        return std::all_of(q.terms.begin(), q.terms.end(), [](const auto& t) { return reusable(*t); });
    }
    for (const Source& s : q.block->sources) {
        if (!s.stored) return false;
    }
    for (const auto& [expr, sub] : q.block->subqueries) {
        if (!reusable(*sub)) return false;
    }
    return true;
}

}  // namespace

struct PlanCache::Entry {
    const SelectStmt* stmt = nullptr;
    const TableRef* target = nullptr;  // an UPDATE / DELETE row search: `search` finds the rows of this table
    SelectStmt search;
    std::unique_ptr<Query> query;
    bool reusable = false;
    uint64_t generation = 0;
    std::string db;  // the session's database when compiled (names without one resolve in it)
};

PlanCache::PlanCache() = default;
PlanCache::~PlanCache() = default;

void PlanCache::keep(const SelectStmt& stmt) {
    auto& e = entries_.emplace_back(std::make_unique<Entry>());
    e->stmt = &stmt;
}

void PlanCache::keep_row_search(const TableRef& target) {
    auto& e = entries_.emplace_back(std::make_unique<Entry>());
    e->target = &target;
    FromItem item;
    item.table = target;
    e->search.from.push_back(std::move(item));
    e->stmt = &e->search;
}

SelectStmt* PlanCache::row_search(const TableRef& target) {
    for (auto& e : entries_) {
        if (e->target == &target) return &e->search;
    }
    return nullptr;
}

Result<Query*> PlanCache::query(Session& session, SelectStmt& stmt, std::string_view source) {
    auto it = std::find_if(entries_.begin(), entries_.end(), [&](const auto& e) { return e->stmt == &stmt; });
    if (it == entries_.end()) return nullptr;
    Entry& e = **it;  // stable while compiling (a view's SELECT runs through run_select too)
    // Read before compiling: DDL meanwhile leaves the plan marked older than the catalog.
    uint64_t generation = session.engine().storage().catalog_generation();
    if (e.query && e.reusable && e.generation == generation && e.db == session.db()) return e.query.get();
    if (e.query && e.reusable) session.engine().counters().com_stmt_reprepare.fetch_add(1, std::memory_order_relaxed);
    e.query.reset();  // the old plan's bindings go before the statement is bound again
    e.query = FLOE_TRY(compile_query(session, stmt, source, nullptr));
    e.reusable = reusable(*e.query);
    e.generation = generation;
    e.db = session.db();
    return e.query.get();
}

Result<ResultSet> run_select(Session& session, SelectStmt& stmt, std::string_view source) {
    std::unique_ptr<Query> compiled;
    Query* q = nullptr;
    if (PlanCache* cache = session.plan_cache()) q = FLOE_TRY(cache->query(session, stmt, source));
    if (!q) {
        compiled = FLOE_TRY(compile_query(session, stmt, source, nullptr));
        q = compiled.get();
    }
    if (q->block && (stmt.for_update || stmt.for_share)) {
        // FOR SHARE / LOCK IN SHARE MODE: shared row locks (other readers may lock too, writers wait).
        lock_rows(session, *q->block, stmt.for_update ? locking::LockMode::kExclusive : locking::LockMode::kShared);
    }
    return run_query(*q, nullptr);
}

Result<std::vector<StoredRow>> find_table_rows(Session& session, std::string_view source, const TableRef& table,
                                               ExprPtr& where, std::vector<OrderItem>& order_by, ExprPtr& limit) {
    // A prepared statement's search is kept with its plan; the expressions move in for the run (the plan
    // points at them, not at where they are owned) and back after.
    PlanCache* cache = session.plan_cache();
    SelectStmt* kept = cache ? cache->row_search(table) : nullptr;
    SelectStmt local;
    if (!kept) {
        FromItem item;
        item.table = table;
        local.from.push_back(std::move(item));
    }
    SelectStmt& st = kept ? *kept : local;
    st.where = std::move(where);
    st.order_by = std::move(order_by);
    st.limit = std::move(limit);
    auto give_back = [&] {
        where = std::move(st.where);
        order_by = std::move(st.order_by);
        limit = std::move(st.limit);
    };
    std::unique_ptr<Query> compiled;
    Result<Query*> q = nullptr;
    if (kept) {
        q = cache->query(session, st, source);
    } else if (auto fresh = compile_query(session, st, source, nullptr); fresh.ok()) {
        compiled = std::move(*fresh);
        q = compiled.get();
    } else {
        q = std::move(fresh).error();
    }
    if (!q.ok()) {
        give_back();
        return std::move(q).error();
    }
    (*q)->block->raw_rows = true;
    lock_rows(session, *(*q)->block, locking::LockMode::kExclusive);
    auto rs = run_query(**q, nullptr);
    give_back();
    if (!rs.ok()) return std::move(rs).error();
    return std::move(rs->rows);
}

Result<JoinedRows> find_joined_rows(Session& session, std::string_view source, std::vector<FromItem>& from,
                                    ExprPtr& where, std::vector<ExprPtr>& values) {
    SelectStmt st;
    st.from = std::move(from);
    st.where = std::move(where);
    for (auto& v : values) {
        SelectItem item;
        item.expr = std::move(v);
        st.items.push_back(std::move(item));
    }
    auto give_back = [&] {
        from = std::move(st.from);
        where = std::move(st.where);
        for (size_t i = 0; i < values.size(); ++i) values[i] = std::move(st.items[i].expr);
    };
    auto q = compile_query(session, st, source, nullptr);
    if (!q.ok()) {
        give_back();
        return std::move(q).error();
    }
    Block& b = *(*q)->block;
    b.raw_rows = true;
    lock_rows(session, b, locking::LockMode::kExclusive);
    auto rs = run_query(**q, nullptr);
    JoinedRows out;
    if (rs.ok()) {
        for (const Source& s : b.sources) {
            out.tables.push_back(JoinedTable{s.alias, s.db, s.stored ? s.table : ResolvedTable{}, s.offset, s.width});
        }
        out.rows = std::move(rs->rows);
        out.value_base = static_cast<size_t>(b.out_base);
    }
    q->reset();  // the block points into `st`: gone before `st` gives its parts back
    give_back();
    if (!rs.ok()) return std::move(rs).error();
    return out;
}

Result<ResultSet> explain_select(Session& session, SelectStmt& stmt, std::string_view source) {
    auto q = FLOE_TRY(compile_query(session, stmt, source, nullptr));
    ExplainState state;
    FLOE_CHECK(explain_query(*q, state, "SIMPLE"));
    ResultSet rs;
    uint16_t coll = session.result_collation();
    rs.columns.push_back(bigint_column("id", false, false));
    for (const char* name : {"select_type", "table", "partitions", "type", "possible_keys", "key", "key_len", "ref"}) {
        rs.columns.push_back(text_column(name, 64, coll, false));
    }
    rs.columns.push_back(bigint_column("rows", false, false));
    rs.columns.push_back(text_column("filtered", 8, coll, false));
    rs.columns.push_back(text_column("Extra", 255, coll, false));
    rs.rows = std::move(state.rows);
    return rs;
}

}  // namespace floe::sql
