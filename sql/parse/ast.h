// The AST the parser produces: one struct per statement kind, joined in the Statement variant so that
// std::visit lists every statement an executor must handle. Expressions are one node type (Expr) with a kind.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "common/value.h"

namespace floe::sql {

enum class ExprKind : uint8_t {
    kLiteral,   // literal
    kColumn,    // [qualifier.]name
    kUserVar,   // @name
    kSysVar,    // @@[scope.]name
    kParam,     // ? (prepared statements): `literal` holds the value bound by the latest EXECUTE
    kUnary,     // op args[0]
    kBinary,    // args[0] op args[1]
    kFunction,  // name(args); `star` for COUNT(*)
    kCase,      // CASE [args[0] when case_operand] WHEN .. THEN .. [ELSE ..] END
    kIn,        // args[0] [NOT] IN (args[1..])
    kBetween,   // args[0] [NOT] BETWEEN args[1] AND args[2]
    kLike,      // args[0] [NOT] LIKE args[1] [ESCAPE args[2]]
    kIsNull,    // args[0] IS [NOT] NULL
    kIsBool,    // args[0] IS [NOT] TRUE|FALSE|UNKNOWN  (bool_target)
    kCast,      // CAST(args[0] AS cast_type) / CONVERT(args[0], cast_type)
    kAssign,    // @name := args[0]
    kStar,      // * in a select list
    kDefault,   // DEFAULT in INSERT values / UPDATE SET
    kValuesFn,  // VALUES(col) in ON DUPLICATE KEY UPDATE
    kSubquery,  // (SELECT ...) as a scalar: `subquery`
    kExists,    // [NOT] EXISTS (SELECT ...): `subquery`
    kInSubquery,  // args[0] [NOT] IN (SELECT ...): `subquery`
};

enum class Op : uint8_t {
    kAdd, kSub, kMul, kDiv, kIntDiv, kMod,
    kEq, kNullSafeEq, kNe, kLt, kLe, kGt, kGe,
    kAnd, kOr, kXor, kNot,
    kNeg, kBitNot, kBitAnd, kBitOr, kBitXor, kShl, kShr,
    kConcat,  // || under PIPES_AS_CONCAT
    kBinary,  // BINARY x
};

enum class CastType : uint8_t { kSigned, kUnsigned, kChar, kBinary, kDecimal, kDouble, kDate, kDateTime, kTime, kJson };

enum class VarScope : uint8_t { kDefault, kSession, kGlobal };

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;
struct SelectStmt;

struct Expr {
    ExprKind kind = ExprKind::kLiteral;
    Op op = Op::kAdd;
    Value literal;
    std::string name;       // column, variable or (lower-case) function name
    std::string qualifier;  // table of a column
    VarScope scope = VarScope::kDefault;
    bool negated = false;   // NOT IN / NOT LIKE / NOT BETWEEN / IS NOT
    bool has_case_operand = false;
    bool has_else = false;
    bool star = false;      // COUNT(*)
    bool hex_literal = false;  // X'..' / 0x.. / b'..': a number in numeric context
    bool distinct = false;  // COUNT(DISTINCT ...)
    int bool_target = 0;    // kIsBool: 1 TRUE, 0 FALSE, -1 UNKNOWN
    CastType cast_type = CastType::kChar;
    int cast_length = -1, cast_scale = -1;
    uint32_t param_index = 0;
    std::vector<ExprPtr> args;
    // GROUP_CONCAT(... ORDER BY k1 [DESC], ...): the last order_desc.size() args are the sort keys.
    std::vector<bool> order_desc;
    std::shared_ptr<SelectStmt> subquery;  // kSubquery / kExists / kInSubquery (shared_ptr: SelectStmt is incomplete here)
    uint32_t begin = 0, end = 0;  // source span, for column names

    // Set by the binder (sql/plan): where the evaluator finds this expression's value in the row it is given
    // (a column, or an aggregate / select-list value computed earlier), and for a column of an enclosing query
    // how many query levels out its row is. slot < 0: evaluate normally.
    int32_t slot = -1;
    uint8_t depth = 0;
    bool correlated = false;  // subqueries: refers to a column of an enclosing query
};

struct OrderItem {
    ExprPtr expr;
    bool desc = false;
};

struct TableRef {
    std::string db;  // empty: the session's database
    std::string name;
    std::string alias;
};

enum class JoinKind : uint8_t { kInner, kLeft, kRight };

// One item of FROM: a table (or view), a derived table, or a join of two items (left-deep as MySQL parses
// `a JOIN b JOIN c`; parenthesized joins nest on the right).
struct FromItem {
    enum class Kind : uint8_t { kTable, kDerived, kJoin };
    Kind kind = Kind::kTable;
    TableRef table;                       // kTable; kDerived uses table.alias
    std::shared_ptr<SelectStmt> derived;  // kDerived
    JoinKind join = JoinKind::kInner;     // kJoin
    std::unique_ptr<FromItem> left, right;
    ExprPtr on;
    std::vector<std::string> using_columns;
    bool natural = false;
};

struct SelectItem {
    ExprPtr expr;
    std::string alias;
    bool has_alias = false;
    std::string text;  // the expression as written: the column name when there is no alias
};

struct UnionTerm {
    bool all = false;
    std::shared_ptr<SelectStmt> select;
};

struct SelectStmt {
    bool distinct = false;
    bool calc_found_rows = false;
    std::vector<SelectItem> items;
    std::vector<FromItem> from;  // comma-separated items; empty: no FROM (or FROM DUAL)
    ExprPtr where;
    std::vector<ExprPtr> group_by;
    ExprPtr having;
    std::vector<OrderItem> order_by;
    ExprPtr limit, offset;
    bool for_update = false;
    bool for_share = false;  // LOCK IN SHARE MODE / FOR SHARE
    // SELECT ... UNION [ALL] SELECT ...: the terms after the first. The first term is this statement's body,
    // or `union_head` when it was a parenthesized query with its own ORDER BY / LIMIT; order_by / limit /
    // offset then apply to the whole union.
    std::vector<UnionTerm> unions;
    std::shared_ptr<SelectStmt> union_head;
};

// EXPLAIN SELECT ...: the chosen access path per table, in MySQL's layout.
struct ExplainStmt {
    std::shared_ptr<SelectStmt> select;
};

struct SetAssignment {
    enum class Target : uint8_t { kSystem, kUser, kNames, kCharacterSet, kIsolation, kReadOnly };
    Target target = Target::kSystem;
    VarScope scope = VarScope::kDefault;
    std::string name;  // variable, or charset for NAMES / CHARACTER SET
    std::string collation;  // SET NAMES x COLLATE y
    ExprPtr value;          // null: DEFAULT
    bool is_default = false;
};

struct SetStmt {
    std::vector<SetAssignment> assignments;
};

enum class ShowKind : uint8_t {
    kVariables, kStatus, kWarnings, kErrors, kCollation, kCharacterSet, kEngines, kDatabases, kProcessList,
    kWarningCount, kErrorCount, kGrants, kPlugins, kPrivileges, kTables, kCreateTable, kCreateDatabase, kColumns,
    kIndex, kPartitions, kTableStatus, kDatabaseStatus,
    kLeaves, kAggregators,  // SPEC §5 topology
    kLocks,                 // SHOW LOCKS (§6)
    kTableStatusOf          // SHOW TABLE t STATUS [LIKE] (§6, Manticore's per-table variables)
};

struct ShowStmt {
    ShowKind kind = ShowKind::kVariables;
    VarScope scope = VarScope::kDefault;
    bool full = false;
    bool if_not_exists = false;  // SHOW CREATE DATABASE IF NOT EXISTS
    std::string db;              // FROM db / IN db / database name
    TableRef table;              // SHOW CREATE TABLE / COLUMNS / INDEX
    std::optional<std::string> like;
    ExprPtr where;
    ExprPtr limit, offset;
};

struct UseStmt {
    std::string db;
};

struct KillStmt {
    bool query_only = false;
    ExprPtr id;
};

struct TransactionStmt {
    enum class Kind : uint8_t { kBegin, kCommit, kRollback, kSavepoint, kRollbackToSavepoint, kReleaseSavepoint };
    Kind kind = Kind::kBegin;
    bool read_only = false;
    std::string savepoint;
};

struct AccountName {
    std::string user;
    std::string host = "%";
};

struct AccountSpec {
    AccountName name;
    std::optional<std::string> plugin;
    std::optional<std::string> password;
};

struct CreateUserStmt {
    bool if_not_exists = false;
    std::vector<AccountSpec> accounts;
};

struct AlterUserStmt {
    bool if_exists = false;
    std::vector<AccountSpec> accounts;
};

struct DropUserStmt {
    bool if_exists = false;
    std::vector<AccountName> accounts;
};

// A statement that is accepted and changes nothing (LOCK TABLES for dumps, FLUSH PRIVILEGES, ...):
// `what` says which, for the log.
struct NoOpStmt {
    std::string what;
};

// DO expr[, expr]: evaluates for side effects.
struct DoStmt {
    std::vector<ExprPtr> exprs;
};

// ---- DDL ----

struct TypeAst {
    std::string name;  // lower case: int, varchar, decimal, ...
    int length = -1;   // (n) / (p
    int scale = -1;    // , s)
    bool is_unsigned = false;
    bool zerofill = false;
    std::vector<std::string> enum_values;
    std::string charset, collation;
};

struct ColumnDefAst {
    std::string name;
    TypeAst type;
    bool not_null = false;
    bool null_given = false;  // NULL or NOT NULL written
    ExprPtr default_value;    // a literal expression
    bool default_null = false;
    bool default_current_timestamp = false;
    bool on_update_current_timestamp = false;
    bool auto_increment = false;
    bool primary_key = false;  // inline PRIMARY KEY
    bool unique = false;       // inline UNIQUE [KEY]
    std::string comment;
};

enum class IndexAstKind : uint8_t { kPrimary, kUnique, kKey, kShard };

struct IndexDefAst {
    IndexAstKind kind = IndexAstKind::kKey;
    std::string name;
    std::vector<std::string> columns;
};

struct TableOptionsAst {
    std::optional<std::string> engine, charset, collation, comment;
    std::optional<uint64_t> auto_increment, rt_mem_limit;
};

struct CreateTableStmt {
    bool if_not_exists = false;
    bool columnstore = false;
    TableRef table;
    std::vector<ColumnDefAst> columns;
    std::vector<IndexDefAst> indexes;
    TableOptionsAst options;
    std::optional<TableRef> like;
    std::unique_ptr<SelectStmt> as_select;  // CREATE TABLE t [(...)] [AS] SELECT ...
    std::string as_select_text;
};

struct DropTableStmt {
    bool if_exists = false;
    std::vector<TableRef> tables;
};

struct TruncateStmt {
    TableRef table;
};

struct CreateDatabaseStmt {
    bool alter = false;  // ALTER DATABASE: only the options change
    bool if_not_exists = false;
    std::string name;
    int partitions = -1;
    std::string charset, collation;
};

struct DropDatabaseStmt {
    bool if_exists = false;
    std::string name;
};

struct AlterAction {
    enum class Kind : uint8_t {
        kAddColumn, kDropColumn, kModifyColumn, kChangeColumn, kRenameColumn, kSetDefault, kDropDefault,
        kAddIndex, kDropIndex, kDropPrimaryKey, kRenameTable, kOptions, kNoOp
    };
    Kind kind = Kind::kNoOp;
    ColumnDefAst column;   // ADD / MODIFY / CHANGE
    std::string name;      // the column or index acted on
    std::string new_name;  // RENAME COLUMN
    bool first = false;    // FIRST
    std::string after;     // AFTER col
    IndexDefAst index;     // ADD INDEX / KEY / UNIQUE / PRIMARY KEY
    TableRef rename_to;
    TableOptionsAst options;
    ExprPtr default_value;  // SET DEFAULT
};

// ALTER TABLE, and CREATE / DROP INDEX (which MySQL defines as ALTER TABLE ADD / DROP INDEX).
struct AlterTableStmt {
    TableRef table;
    std::vector<AlterAction> actions;
};

// CREATE [OR REPLACE] VIEW / ALTER VIEW.
struct CreateViewStmt {
    bool or_replace = false;
    bool alter = false;
    TableRef view;
    std::vector<std::string> columns;
    std::string definition;  // the SELECT as written
    std::string definer;     // `user`@`host`; empty: the current user
    std::string security = "DEFINER";
    std::string check_option = "NONE";
};

struct DropViewStmt {
    bool if_exists = false;
    std::vector<TableRef> views;
};

// ANALYZE TABLE / OPTIMIZE TABLE t[, ...]: one result row per table.
struct TableMaintenanceStmt {
    enum class Kind : uint8_t { kAnalyze, kOptimize };
    Kind kind = Kind::kAnalyze;
    std::vector<TableRef> tables;
};

struct RenameTableStmt {
    std::vector<std::pair<TableRef, TableRef>> renames;
};

// ---- DML ----

struct Assignment {
    std::string column;
    std::string qualifier;  // t in SET t.col = ...
    ExprPtr value;
};

struct InsertStmt {
    bool replace = false;
    bool ignore = false;
    TableRef table;
    std::vector<std::string> columns;      // empty: all columns in order
    std::vector<std::vector<ExprPtr>> rows;  // DEFAULT is an ExprKind::kDefault expression
    std::shared_ptr<SelectStmt> select;      // INSERT ... SELECT: the rows come from this query
    std::vector<Assignment> on_duplicate;  // ON DUPLICATE KEY UPDATE
};

struct UpdateStmt {
    bool ignore = false;
    TableRef table;
    std::vector<FromItem> joined;  // multi-table UPDATE (a join or several tables); empty: just `table`
    std::vector<Assignment> assignments;
    ExprPtr where;
    std::vector<OrderItem> order_by;
    ExprPtr limit;
};

struct DeleteStmt {
    TableRef table;
    // Multi-table DELETE t1[, t2] FROM <join> / DELETE FROM t1[, t2] USING <join>: the tables rows are deleted
    // from (by name or alias) and the join that finds them. Empty: single-table DELETE of `table`.
    std::vector<TableRef> targets;
    std::vector<FromItem> joined;
    ExprPtr where;
    std::vector<OrderItem> order_by;
    ExprPtr limit;
};

// LOAD DATA [LOCAL] INFILE 'file' [REPLACE | IGNORE] INTO TABLE t [CHARACTER SET cs] [{FIELDS | COLUMNS}
// [TERMINATED BY 's'] [[OPTIONALLY] ENCLOSED BY 'c'] [ESCAPED BY 'c']] [LINES [STARTING BY 's'] [TERMINATED BY
// 's']] [IGNORE n {LINES | ROWS}] [(col_or_@var, ...)] [SET col = expr, ...]. Defaults are MySQL's (TSV).
struct LoadDataStmt {
    struct Target {
        std::string name;
        bool user_var = false;  // @name: the field goes into a user variable (for SET)
    };
    bool local = false;
    std::string file;
    bool replace = false, ignore = false;
    TableRef table;
    std::string fields_terminated = "\t";
    std::string enclosed;          // "" or one character
    std::string escaped = "\\";    // "" or one character
    std::string lines_starting;
    std::string lines_terminated = "\n";
    uint64_t ignore_lines = 0;
    std::vector<Target> targets;  // empty: every column in table order
    std::vector<Assignment> set;
};

// ---- operations (SPEC §5, §6) ----

// The cluster commands of §5, run by a single node (what each one does here: docs/cluster.md).
struct ClusterStmt {
    enum class Kind : uint8_t {
        kAddLeaf, kRemoveLeaf, kAttachLeaf, kAttachLeafAll, kDetachLeaf, kAddAggregator, kRemoveAggregator,
        kAggregatorSetAsMaster, kBootstrapAggregator, kPauseReplicating, kContinueReplicating, kStopReplicating,
        kReplicateDatabase, kCheckBlobChecksum, kClearOrphanDatabases, kRebalancePartitions,
        kExplainRebalancePartitions, kRebalanceAllDatabases
    };
    Kind kind = Kind::kAddLeaf;
    std::string user, password;  // ADD LEAF / ADD AGGREGATOR / REPLICATE DATABASE user[:'password']@...
    std::string host;            // 'host'
    uint16_t port = 3306;        // [:port]
    std::string db;              // ... REPLICATING db, REPLICATE DATABASE db, REBALANCE PARTITIONS ON db, CHECK ... ON db
    uint8_t group = 1;           // ADD LEAF ... INTO GROUP n
    bool force = false;
};

// FREEZE t[, ...] [LIKE 'pattern'] [TIMEOUT n] / UNFREEZE t[, ...]
struct FreezeStmt {
    bool unfreeze = false;
    std::vector<TableRef> tables;
    std::optional<std::string> like;
    std::optional<uint64_t> timeout_seconds;
};

// FLUSH RAMCHUNK t / FLUSH TABLE[S] t[, ...]: writes the tables' memory to disk (not while frozen).
struct FlushTableStmt {
    std::vector<TableRef> tables;
};

// IMPORT TABLE [db.]t FROM 'dir': a copy of a frozen table's files becomes table t.
struct ImportTableStmt {
    TableRef table;
    std::string dir;
};

// SNAPSHOT [DATABASE] db: the database's memory written to its files, its log trimmed (SPEC §7).
struct SnapshotStmt {
    std::string db;
};

// BACKUP [DATABASE] db [WITH {INIT | DIFFERENTIAL | SPLIT PARTITIONS [BY 2]}] TO "path" [TIMEOUT ms]
// [TAGS ("t1", ...)] (SPEC §7).
struct BackupStmt {
    enum class Mode : uint8_t { kFull, kInit, kDifferential, kSplitPartitions };
    std::string db;
    Mode mode = Mode::kFull;
    uint16_t split_factor = 2;
    std::string path;
    std::optional<uint64_t> timeout_ms;
    std::vector<std::string> tags;
};

// RESTORE [DATABASE] db [AS new_db] FROM "path" [WITH FILE = incr_backup_id] (SPEC §7).
struct RestoreStmt {
    std::string db;
    std::string as;  // empty: db
    std::string path;
    std::optional<uint64_t> file;
};

using Statement = std::variant<SelectStmt, SetStmt, ShowStmt, UseStmt, KillStmt, TransactionStmt, CreateUserStmt,
                               AlterUserStmt, DropUserStmt, NoOpStmt, DoStmt, CreateTableStmt, DropTableStmt,
                               TruncateStmt, CreateDatabaseStmt, DropDatabaseStmt, InsertStmt, UpdateStmt,
                               DeleteStmt, AlterTableStmt, RenameTableStmt, TableMaintenanceStmt, CreateViewStmt,
                               DropViewStmt, ExplainStmt, LoadDataStmt, ClusterStmt, FreezeStmt, FlushTableStmt,
                               ImportTableStmt, SnapshotStmt, BackupStmt, RestoreStmt>;

}  // namespace floe::sql
