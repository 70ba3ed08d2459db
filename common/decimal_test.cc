#include <catch2/catch.hpp>

#include "common/decimal.h"

using namespace floe;

TEST_CASE("decimal parse and print") {
    CHECK(Decimal::parse("1.50")->to_string() == "1.50");
    CHECK(Decimal::parse("-0.05")->to_string() == "-0.05");
    CHECK(Decimal::parse("007")->to_string() == "7");
    CHECK(Decimal::parse("1.5e2")->to_string() == "150");
    CHECK(Decimal::parse("12345678901234567890123456789012345678")->to_string() ==
          "12345678901234567890123456789012345678");
    CHECK_FALSE(Decimal::parse("123456789012345678901234567890123456789").ok());
}

TEST_CASE("decimal arithmetic follows MySQL's scales") {
    auto a = *Decimal::parse("1.5"), b = *Decimal::parse("0.25");
    CHECK(a.add(b)->to_string() == "1.75");
    CHECK(a.sub(b)->to_string() == "1.25");
    CHECK(a.mul(b)->to_string() == "0.375");
    CHECK(Decimal::from_int(1).div(Decimal::from_int(3))->to_string() == "0.3333");
    CHECK(Decimal::from_int(2).div(Decimal::from_int(3))->to_string() == "0.6667");
    CHECK(a.compare(*Decimal::parse("1.50")) == 0);
    CHECK(a.compare(b) > 0);
    CHECK(Decimal::parse("2.5")->to_int64().value() == 3);
    CHECK(Decimal::parse("-2.5")->to_int64().value() == -3);
}
