#include <catch2/catch.hpp>

#include <filesystem>
#include <vector>
#include <unistd.h>

#include "storage/system_store.h"

using namespace floe;

TEST_CASE("system store keeps keys across reopen and scans by prefix") {
    auto dir = std::filesystem::temp_directory_path() / ("floe_sys_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    {
        auto store = storage::SystemStore::open(dir.string());
        REQUIRE(store.ok());
        REQUIRE((*store)->put("user/a", "1").ok());
        REQUIRE((*store)->put("user/b", "2").ok());
        REQUIRE((*store)->put("zzz", "3").ok());
        REQUIRE((*store)->remove("user/a").ok());
    }
    auto store = storage::SystemStore::open(dir.string());
    REQUIRE(store.ok());
    std::vector<std::string> keys;
    REQUIRE((*store)->scan_prefix("user/", [&](std::string_view k, std::string_view) {
        keys.emplace_back(k);
        return true;
    }).ok());
    CHECK(keys == std::vector<std::string>{"user/b"});
    CHECK((*store)->get("zzz")->value() == "3");
    CHECK_FALSE((*store)->get("user/a")->has_value());
    std::filesystem::remove_all(dir);
}
