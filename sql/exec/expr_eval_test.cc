#include <catch2/catch.hpp>

#include <filesystem>
#include <unistd.h>

#include "sql/engine.h"
#include "sql/session.h"

using namespace floe;
using namespace floe::sql;

namespace {

struct Fixture {
    std::filesystem::path dir =
        std::filesystem::temp_directory_path() / ("floe_sql_test_" + std::to_string(::getpid()));
    std::unique_ptr<Engine> engine;
    std::unique_ptr<Session> session;

    Fixture() {
        std::filesystem::remove_all(dir);
        EngineConfig config;
        config.datadir = dir.string();
        auto e = Engine::open(config);
        REQUIRE(e.ok());
        engine = std::move(*e);
        ConnectionInfo info;
        info.id = engine->allocate_connection_id();
        info.user = "root";
        info.client_host = "127.0.0.1";
        info.account_host = "%";
        session = engine->open_session(info);
    }
    ~Fixture() {
        session.reset();
        engine.reset();
        std::filesystem::remove_all(dir);
    }

    // The single value of a one-row, one-column SELECT, as text ("NULL" for NULL).
    std::string scalar(std::string_view sql) {
        auto out = session->execute(sql, true);
        if (out.error) return "ERROR " + std::to_string(out.error->number());
        const auto& rs = std::get<ResultSet>(out.results.back().body);
        if (rs.rows.empty()) return "(no rows)";
        const Value& v = rs.rows[0][0];
        return v.is_null() ? "NULL" : v.to_text();
    }
};

}  // namespace

TEST_CASE_METHOD(Fixture, "arithmetic follows MySQL") {
    CHECK(scalar("SELECT 1+1") == "2");
    CHECK(scalar("SELECT 7/2") == "3.5000");
    CHECK(scalar("SELECT 7 DIV 2") == "3");
    CHECK(scalar("SELECT -7 % 3") == "-1");
    CHECK(scalar("SELECT 1/0") == "NULL");
    CHECK(session->warnings().size() == 1);
    CHECK(session->warnings()[0].code == 1365);
    CHECK(scalar("SELECT 9223372036854775807 + 1") == "ERROR 1690");
    CHECK(scalar("SELECT 18446744073709551615") == "18446744073709551615");
    CHECK(scalar("SELECT 0.1 + 0.2") == "0.3");
    CHECK(scalar("SELECT 1e0 + '2'") == "3");
    CHECK(scalar("SELECT '3abc' + 1") == "4");
    CHECK(scalar("SELECT -(-9223372036854775807 - 1)") == "ERROR 1690");
    CHECK(scalar("SELECT NULL + 1") == "NULL");
}

TEST_CASE_METHOD(Fixture, "three-valued logic and comparison") {
    CHECK(scalar("SELECT NULL AND 0") == "0");
    CHECK(scalar("SELECT NULL OR 1") == "1");
    CHECK(scalar("SELECT NULL = NULL") == "NULL");
    CHECK(scalar("SELECT NULL <=> NULL") == "1");
    CHECK(scalar("SELECT 'abc' = 'ABC '") == "1");
    CHECK(scalar("SELECT BINARY 'abc' = 'ABC'") == "0");
    CHECK(scalar("SELECT 2 IN (1, NULL)") == "NULL");
    CHECK(scalar("SELECT 1 IN (1, NULL)") == "1");
    CHECK(scalar("SELECT 5 BETWEEN 1 AND 10") == "1");
    CHECK(scalar("SELECT 'café' LIKE 'caf_'") == "1");
    CHECK(scalar("SELECT 'a%b' LIKE 'a\\%b'") == "1");
    CHECK(scalar("SELECT 'axb' LIKE 'a\\%b'") == "0");
    CHECK(scalar("SELECT NOT NULL") == "NULL");
    CHECK(scalar("SELECT 1 IS TRUE") == "1");
}

TEST_CASE_METHOD(Fixture, "functions and variables") {
    CHECK(scalar("SELECT CONCAT('a', 1, 2.5)") == "a12.5");
    CHECK(scalar("SELECT CONCAT('a', NULL)") == "NULL");
    CHECK(scalar("SELECT IFNULL(NULL, 'x')") == "x");
    CHECK(scalar("SELECT COALESCE(NULL, NULL, 3)") == "3");
    CHECK(scalar("SELECT IF(1 > 2, 'a', 'b')") == "b");
    CHECK(scalar("SELECT CASE 2 WHEN 1 THEN 'one' WHEN 2 THEN 'two' END") == "two");
    CHECK(scalar("SELECT SUBSTRING('hello', 2, 3)") == "ell");
    CHECK(scalar("SELECT SUBSTRING('hello', -3)") == "llo");
    CHECK(scalar("SELECT LENGTH('日本')") == "6");
    CHECK(scalar("SELECT CHAR_LENGTH('日本')") == "2");
    CHECK(scalar("SELECT UPPER('abc')") == "ABC");
    CHECK(scalar("SELECT TRIM('  x  ')") == "x");
    CHECK(scalar("SELECT REPLACE('aXbX', 'X', '-')") == "a-b-");
    CHECK(scalar("SELECT ROUND(2.567, 2)") == "2.57");
    CHECK(scalar("SELECT LOCATE('(', 'int(11)')") == "4");
    CHECK(scalar("SELECT CAST('12' AS SIGNED) + 1") == "13");
    CHECK(scalar("SELECT CAST(-1 AS UNSIGNED)") == "18446744073709551615");
    CHECK(scalar("SELECT @@autocommit") == "1");
    CHECK(scalar("SELECT @@version") == "8.0.35-floe");
    CHECK(scalar("SELECT @@no_such") == "ERROR 1193");
    CHECK(scalar("SELECT @@global.warning_count") == "ERROR 1238");
    CHECK(scalar("SELECT nosuchfn(1)") == "ERROR 1305");
    CHECK(scalar("SELECT @a := 5, @a + 1") == "5");
    CHECK(scalar("SELECT @a") == "5");
    CHECK(scalar("SELECT DATABASE()") == "NULL");
    CHECK(scalar("SELECT 1 FROM DUAL WHERE 0") == "(no rows)");
}

TEST_CASE_METHOD(Fixture, "SET and SHOW VARIABLES") {
    CHECK(session->execute("SET sql_mode = concat(@@sql_mode, ',ANSI_QUOTES')", true).error == std::nullopt);
    CHECK(scalar("SELECT @@sql_mode").find("ANSI_QUOTES") != std::string::npos);
    CHECK(session->execute("SET SESSION max_allowed_packet = 1024", true).error->number() == 1621);
    CHECK(session->execute("SET max_connections = 5", true).error->number() == 1229);
    CHECK(session->execute("SET GLOBAL warning_count = 5", true).error->number() == 1238);
    CHECK(session->execute("SET nope = 1", true).error->number() == 1193);
    auto out = session->execute("SHOW VARIABLES LIKE 'auto%'", true);
    REQUIRE_FALSE(out.error);
    CHECK(std::get<ResultSet>(out.results[0].body).rows.size() == 3);
    auto where = session->execute("SHOW VARIABLES WHERE Variable_name = 'autocommit' AND Value = 'ON'", true);
    REQUIRE_FALSE(where.error);
    CHECK(std::get<ResultSet>(where.results[0].body).rows.size() == 1);
    CHECK(session->execute("SELECT 1; SELECT 2", false).error->number() == 1064);
    CHECK(session->execute("/* nothing */", false).results.size() == 1);
    CHECK(session->execute("", false).error->number() == 1065);
}
