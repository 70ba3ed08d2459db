#include <catch2/catch.hpp>

#include "common/value.h"

using namespace floe;

TEST_CASE("text form of values") {
    CHECK(Value::from_int(-42).to_text() == "-42");
    CHECK(Value::from_uint(18446744073709551615ULL).to_text() == "18446744073709551615");
    CHECK(Value::from_double(0.1).to_text() == "0.1");
    CHECK(Value::from_double(1e20).to_text() == "1e20");
    CHECK(Value::from_double(2.0).to_text() == "2");
    DateTime t{2024, 1, 2, 3, 4, 5, 0, false};
    CHECK(Value::from_datetime(ValueKind::kDateTime, t).to_text() == "2024-01-02 03:04:05");
    CHECK(Value::from_datetime(ValueKind::kDate, t).to_text() == "2024-01-02");
}

TEST_CASE("string to number coercion takes the numeric prefix") {
    bool truncated = false;
    CHECK(Value::from_string("12abc").to_int(&truncated) == 12);
    CHECK(truncated);
    truncated = false;
    CHECK(Value::from_string(" 3.5 ").to_double(&truncated) == 3.5);
    CHECK_FALSE(truncated);
    CHECK(Value::from_string("abc").to_int() == 0);
    CHECK(Value::from_string("1e3").to_int() == 1000);
}
