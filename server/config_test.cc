#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "server/config.h"

using namespace floe::server;

TEST_CASE("command line options and variables") {
    const char* argv[] = {"floed", "--port=0", "--datadir=/tmp/x", "--max-allowed-packet=16M", "--lock-wait-timeout=5"};
    auto r = parse_options(5, argv);
    REQUIRE(r.ok());
    CHECK(r->config.port == 0);
    CHECK(r->config.datadir == "/tmp/x");
    bool packet = false, lock = false;
    for (const auto& [k, v] : r->config.variables) {
        packet |= k == "max_allowed_packet" && v == "16M";
        lock |= k == "lock_wait_timeout" && v == "5";
    }
    CHECK(packet);
    CHECK(lock);
    const char* bad[] = {"floed", "--no-such-option=1"};
    auto e = parse_options(2, bad);
    REQUIRE_FALSE(e.ok());
    CHECK(e.error().message.find("no-such-option") != std::string::npos);
}

TEST_CASE("config file: [floed] section, command line wins") {
    auto path = std::filesystem::temp_directory_path() / ("floed_test_" + std::to_string(::getpid()) + ".cnf");
    {
        std::ofstream f(path);
        f << "# comment\n[client]\nport=1\n[floed]\nport = 4000\nbind_address=0.0.0.0\nlog-level=debug\n"
             "max_connections = 7\nskip-ssl\n";
    }
    std::string config = "--config=" + path.string();
    const char* argv[] = {"floed", config.c_str(), "--port=5000"};
    auto r = parse_options(3, argv);
    REQUIRE(r.ok());
    CHECK(r->config.port == 5000);
    CHECK(r->config.bind_address == "0.0.0.0");
    CHECK(r->config.log_level == "debug");
    CHECK_FALSE(r->config.ssl);
    bool maxconn = false;
    for (const auto& [k, v] : r->config.variables) maxconn |= k == "max_connections" && v == "7";
    CHECK(maxconn);
    std::filesystem::remove(path);
}
