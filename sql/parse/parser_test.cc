#include <catch2/catch.hpp>

#include "sql/parse/parser.h"

using namespace floe;
using namespace floe::sql;

namespace {
Statement parse_one(std::string_view sql) {
    Parser p(sql, {});
    auto r = p.next();
    if (!r.ok()) FAIL(r.error().message);
    REQUIRE(r->has_value());
    return std::move((*r)->stmt);
}

Error parse_error(std::string_view sql) {
    Parser p(sql, {});
    for (;;) {
        auto r = p.next();
        if (!r.ok()) return r.error();
        if (!r->has_value()) FAIL("expected a syntax error in: " << sql);
    }
}
}  // namespace

TEST_CASE("parser: select list with aliases and precedence") {
    auto s = std::get<SelectStmt>(parse_one("SELECT 1+2*3 AS x, 'abc' y, @@session.autocommit, a.b"));
    REQUIRE(s.items.size() == 4);
    CHECK(s.items[0].alias == "x");
    const Expr& e = *s.items[0].expr;
    CHECK(e.kind == ExprKind::kBinary);
    CHECK(e.op == Op::kAdd);
    CHECK(e.args[1]->op == Op::kMul);
    CHECK(s.items[0].text == "1+2*3");
    CHECK(s.items[1].alias == "y");
    CHECK(s.items[2].expr->kind == ExprKind::kSysVar);
    CHECK(s.items[2].expr->scope == VarScope::kSession);
    CHECK(s.items[2].expr->name == "autocommit");
    CHECK(s.items[3].expr->qualifier == "a");
}

TEST_CASE("parser: predicates") {
    auto s = std::get<SelectStmt>(
        parse_one("SELECT a NOT IN (1,2) AND b BETWEEN 1 AND 3 OR c LIKE 'x%' ESCAPE '|' OR d IS NOT NULL"));
    const Expr& e = *s.items[0].expr;
    CHECK(e.op == Op::kOr);
    CHECK(e.args[1]->kind == ExprKind::kIsNull);
    CHECK(e.args[1]->negated);
}

TEST_CASE("parser: functions with special syntax") {
    auto s = std::get<SelectStmt>(parse_one(
        "SELECT CAST(x AS SIGNED INTEGER), CONVERT(y, UNSIGNED INTEGER), SUBSTRING(s FROM 2 FOR 3), "
        "TRIM(LEADING 'x' FROM s), COUNT(*), CURRENT_USER, CASE WHEN 1 THEN 2 ELSE 3 END, @v := 5"));
    REQUIRE(s.items.size() == 8);
    CHECK(s.items[0].expr->kind == ExprKind::kCast);
    CHECK(s.items[0].expr->cast_type == CastType::kSigned);
    CHECK(s.items[1].expr->cast_type == CastType::kUnsigned);
    CHECK(s.items[2].expr->args.size() == 3);
    CHECK(s.items[3].expr->name == "trim_leading");
    CHECK(s.items[4].expr->star);
    CHECK(s.items[5].expr->name == "current_user");
    CHECK(s.items[6].expr->kind == ExprKind::kCase);
    CHECK(s.items[7].expr->kind == ExprKind::kAssign);
}

TEST_CASE("parser: SET forms clients send") {
    auto s = std::get<SetStmt>(parse_one("set autocommit=1, sql_mode = concat(@@sql_mode,',STRICT_TRANS_TABLES')"));
    REQUIRE(s.assignments.size() == 2);
    CHECK(s.assignments[0].name == "autocommit");
    CHECK(s.assignments[1].name == "sql_mode");
    auto names = std::get<SetStmt>(parse_one("SET NAMES utf8mb4 COLLATE utf8mb4_bin"));
    CHECK(names.assignments[0].target == SetAssignment::Target::kNames);
    CHECK(names.assignments[0].collation == "utf8mb4_bin");
    auto iso = std::get<SetStmt>(parse_one("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED"));
    CHECK(iso.assignments[0].name == "READ-COMMITTED");
    auto glob = std::get<SetStmt>(parse_one("SET GLOBAL max_connections = DEFAULT, @x := 1, @@global.wait_timeout=5"));
    CHECK(glob.assignments[0].is_default);
    CHECK(glob.assignments[1].target == SetAssignment::Target::kUser);
    CHECK(glob.assignments[2].scope == VarScope::kGlobal);
    auto bare = std::get<SetStmt>(parse_one("SET session_track_schema= ON"));
    CHECK(bare.assignments[0].value->literal.string_value() == "ON");
}

TEST_CASE("parser: SHOW and others") {
    auto v = std::get<ShowStmt>(parse_one("SHOW GLOBAL VARIABLES LIKE 'max%'"));
    CHECK(v.kind == ShowKind::kVariables);
    CHECK(v.scope == VarScope::kGlobal);
    CHECK(*v.like == "max%");
    auto st = std::get<ShowStmt>(parse_one("SHOW SESSION STATUS WHERE Variable_name = 'Uptime'"));
    CHECK(st.where != nullptr);
    CHECK(std::get<KillStmt>(parse_one("KILL QUERY 5")).query_only);
    CHECK(std::get<UseStmt>(parse_one("USE `my db`")).db == "my db");
    auto cu = std::get<CreateUserStmt>(parse_one("CREATE USER 'app'@'%' IDENTIFIED WITH caching_sha2_password BY 'pw'"));
    CHECK(cu.accounts[0].name.user == "app");
    CHECK(*cu.accounts[0].plugin == "caching_sha2_password");
    CHECK(*cu.accounts[0].password == "pw");
    CHECK(std::holds_alternative<TransactionStmt>(parse_one("START TRANSACTION /*!40100 WITH CONSISTENT SNAPSHOT */")));
}

TEST_CASE("parser: several statements one after another") {
    Parser p("SELECT 1; SELECT 2;; SELECT 3", {});
    int n = 0;
    for (;;) {
        auto r = p.next();
        REQUIRE(r.ok());
        if (!r->has_value()) break;
        ++n;
    }
    CHECK(n == 3);
}

TEST_CASE("parser: syntax errors say where") {
    auto e = parse_error("SELEC 1");
    CHECK(e.number() == 1064);
    CHECK(e.message.find("near 'SELEC 1' at line 1") != std::string::npos);
    auto e2 = parse_error("SELECT 1 +");
    CHECK(e2.message.find("near '' at line 1") != std::string::npos);
    auto e3 = parse_error("SELECT 1;\nSELECT FROM");
    CHECK(e3.message.find("near 'FROM' at line 2") != std::string::npos);
    auto e4 = parse_error("SELECT (1, 2)");
    CHECK(e4.number() == 1241);
}

TEST_CASE("BACKUP and RESTORE DATABASE (SingleStore's syntax)") {
    auto full = std::get<BackupStmt>(parse_one("BACKUP DATABASE db TO \"nightly/db\""));
    CHECK(full.db == "db");
    CHECK(full.mode == BackupStmt::Mode::kFull);
    CHECK(full.path == "nightly/db");
    auto init = std::get<BackupStmt>(parse_one("backup db with init to 'set' timeout 5000 tags ('a', \"b\")"));
    CHECK(init.mode == BackupStmt::Mode::kInit);
    CHECK(init.timeout_ms == std::optional<uint64_t>(5000));
    CHECK(init.tags == std::vector<std::string>{"a", "b"});
    CHECK(std::get<BackupStmt>(parse_one("BACKUP DATABASE db WITH DIFFERENTIAL TO 's'")).mode ==
          BackupStmt::Mode::kDifferential);
    CHECK(std::get<BackupStmt>(parse_one("BACKUP DATABASE db WITH SPLIT PARTITIONS BY 2 TO 's'")).mode ==
          BackupStmt::Mode::kSplitPartitions);
    CHECK(std::get<BackupStmt>(parse_one("BACKUP DATABASE db WITH SPLIT PARTITIONS TO 's'")).split_factor == 2);
    CHECK(parse_error("BACKUP DATABASE db WITH SPLIT PARTITIONS BY 3 TO 's'").code == ErrorCode::ER_PARSE_ERROR);
    CHECK(parse_error("BACKUP DATABASE db").code == ErrorCode::ER_PARSE_ERROR);
    CHECK(parse_error("BACKUP DATABASE db WITH FULL TO 's'").code == ErrorCode::ER_PARSE_ERROR);

    auto r = std::get<RestoreStmt>(parse_one("RESTORE DATABASE db AS copy FROM 'set' WITH FILE = 42"));
    CHECK(r.db == "db");
    CHECK(r.as == "copy");
    CHECK(r.path == "set");
    CHECK(r.file == std::optional<uint64_t>(42));
    auto plain = std::get<RestoreStmt>(parse_one("restore db from \"x\""));
    CHECK(plain.as.empty());
    CHECK_FALSE(plain.file);
    CHECK(parse_error("RESTORE DATABASE db FROM 'x' WITH FILE = 'y'").code == ErrorCode::ER_PARSE_ERROR);
}
