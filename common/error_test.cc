#include <catch2/catch.hpp>

#include <set>

#include "common/error.h"

using namespace floe;

TEST_CASE("every error has a unique number and a 5-character SQLSTATE") {
    std::set<int> numbers;
    for (const auto& e : all_errors()) {
        INFO(e.name);
        CHECK(numbers.insert(static_cast<int>(e.code)).second);
        CHECK(std::string(e.sqlstate).size() == 5);
        CHECK(std::string(e.message_template).size() > 0);
        CHECK(static_cast<int>(e.code) >= 1000);
    }
    CHECK(numbers.size() == all_errors().size());
}

TEST_CASE("make_error fills MySQL's templates in order") {
    auto e = make_error(ErrorCode::ER_ACCESS_DENIED_ERROR, {"bob", "localhost", "YES"});
    CHECK(e.number() == 1045);
    CHECK(std::string(e.sqlstate()) == "28000");
    CHECK(e.message == "Access denied for user 'bob'@'localhost' (using password: YES)");
    CHECK(e.scope() == ErrorScope::kConnection);

    auto p = make_error(ErrorCode::ER_PARSE_ERROR, {"SELEC 1", "1"});
    CHECK(p.message ==
          "You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version "
          "for the right syntax to use near 'SELEC 1' at line 1");
    CHECK(make_error(ErrorCode::ER_NO_SUCH_TABLE, {"db", "t"}).message == "Table 'db.t' doesn't exist");
    CHECK(make_error(ErrorCode::ER_EMPTY_QUERY).message == "Query was empty");
}

TEST_CASE("make_error_with_detail appends our sentence") {
    auto e = make_error_with_detail(ErrorCode::ER_LOCK_WAIT_TIMEOUT, {}, "blocked by connection 42: UPDATE t");
    CHECK(e.message == "Lock wait timeout exceeded; try restarting transaction; blocked by connection 42: UPDATE t");
}
