// floed's options: command line, an optional my.cnf-style file (--config, section [floed]), and any system
// variable of SPEC §8 given as --name=value. The command line wins over the file.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"

namespace floe::server {

struct ServerConfig {
    std::string datadir = "./data";
    uint16_t port = 3306;  // 0 = pick a free port (logged at start)
    std::string bind_address = "127.0.0.1";
    std::optional<std::string> socket;  // default <datadir>/floed.sock; "" = no socket
    std::string log_level = "info";
    std::string root_password;
    std::string ssl_cert, ssl_key;
    bool ssl = true;
    std::string default_auth_plugin = "mysql_native_password";
    unsigned io_threads = 1;
    // Global variables set by options, in order (file first, then command line).
    std::vector<std::pair<std::string, std::string>> variables;
};

struct ParsedOptions {
    ServerConfig config;
    bool exit_now = false;  // --help / --version printed
};

// Parses argv; 1210-style errors say which option is wrong.
Result<ParsedOptions> parse_options(int argc, const char* const* argv);

// Reads the [floed] section of an INI file into "--key=value" arguments.
Result<std::vector<std::string>> read_config_file(const std::string& path);

}  // namespace floe::server
