#include <catch2/catch.hpp>

#include <string>

#include "sql/variables.h"

using namespace floe;
using namespace floe::sql;

TEST_CASE("variable registry is sorted, unique and finds by any case") {
    auto all = all_variables();
    for (size_t i = 1; i < all.size(); ++i) CHECK(all[i - 1].name < all[i].name);
    REQUIRE(find_variable("AUTOCOMMIT") != nullptr);
    CHECK(find_variable("no_such_var") == nullptr);
    CHECK(find_variable("tx_isolation")->slot == find_variable("transaction_isolation")->slot);
}

TEST_CASE("normalize: booleans, enums, ranges, sql_mode") {
    const VarDef& ac = *find_variable("autocommit");
    CHECK(normalize_variable(ac, Value::from_string("on"), nullptr)->to_int() == 1);
    CHECK(normalize_variable(ac, Value::from_int(0), nullptr)->to_int() == 0);
    CHECK(normalize_variable(ac, Value::from_int(2), nullptr).error().number() == 1231);

    const VarDef& iso = *find_variable("transaction_isolation");
    CHECK(normalize_variable(iso, Value::from_string("read committed"), nullptr)->string_value() == "READ-COMMITTED");

    std::optional<Error> warning;
    const VarDef& inc = *find_variable("auto_increment_increment");
    CHECK(normalize_variable(inc, Value::from_int(0), &warning)->uint_value() == 1);
    CHECK(warning.has_value());

    const VarDef& mode = *find_variable("sql_mode");
    CHECK(normalize_variable(mode, Value::from_string(",STRICT_TRANS_TABLES,ansi_quotes"), nullptr)->string_value() ==
          "ANSI_QUOTES,STRICT_TRANS_TABLES");
    CHECK(normalize_variable(mode, Value::from_string("NO_SUCH_MODE"), nullptr).error().number() == 1231);

    const VarDef& tz = *find_variable("time_zone");
    CHECK(normalize_variable(tz, Value::from_string("+5:30"), nullptr)->string_value() == "+05:30");
    CHECK(normalize_variable(tz, Value::from_string("Mars/Base"), nullptr).error().number() == 1298);

    const VarDef& packet = *find_variable("max_allowed_packet");
    CHECK(parse_variable_text(packet, "64M")->uint_value() == 64u * 1024 * 1024);
}

TEST_CASE("display form") {
    CHECK(display_variable(*find_variable("autocommit"), Value::from_int(1)) == "ON");
    CHECK(read_variable(*find_variable("autocommit"), Value::from_int(1)).kind() == ValueKind::kInt);
}
