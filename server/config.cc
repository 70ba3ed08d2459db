#include "server/config.h"

#include <boost/program_options.hpp>

#include <fstream>
#include <iostream>
#include <thread>

#include "sql/variables.h"

namespace floe::server {

namespace po = boost::program_options;

namespace {

Error option_error(const std::string& what) { return make_error(ErrorCode::ER_WRONG_ARGUMENTS, {what}); }

std::string trim(std::string s) {
    auto b = s.find_first_not_of(" \t\r");
    auto e = s.find_last_not_of(" \t\r");
    return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

// --max-allowed-packet=64M -> ("max_allowed_packet", "64M")
std::pair<std::string, std::string> split_option(std::string arg) {
    while (!arg.empty() && arg[0] == '-') arg.erase(0, 1);
    auto eq = arg.find('=');
    std::string name = eq == std::string::npos ? arg : arg.substr(0, eq);
    std::string value = eq == std::string::npos ? "ON" : arg.substr(eq + 1);
    for (char& c : name) {
        if (c == '-') c = '_';
    }
    return {name, value};
}

}  // namespace

Result<std::vector<std::string>> read_config_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) return option_error("--config: cannot read '" + path + "'");
    std::vector<std::string> args;
    std::string line, section;
    int number = 0;
    while (std::getline(in, line)) {
        ++number;
        line = trim(line);
        if (line.empty() || line[0] == '#' || line[0] == ';') continue;
        if (line[0] == '[') {
            auto close = line.find(']');
            if (close == std::string::npos) {
                return option_error("--config: " + path + ":" + std::to_string(number) + ": bad section header");
            }
            section = trim(line.substr(1, close - 1));
            continue;
        }
        if (section != "floed") continue;
        auto eq = line.find('=');
        std::string key = trim(eq == std::string::npos ? line : line.substr(0, eq));
        std::string value = eq == std::string::npos ? "" : trim(line.substr(eq + 1));
        if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front()) {
            value = value.substr(1, value.size() - 2);
        }
        for (char& c : key) {
            if (c == '_') c = '-';
        }
        args.push_back(eq == std::string::npos ? "--" + key : "--" + key + "=" + value);
    }
    return args;
}

Result<ParsedOptions> parse_options(int argc, const char* const* argv) {
    ParsedOptions out;
    ServerConfig& c = out.config;
    std::string socket;
    unsigned hw = std::max(2u, std::thread::hardware_concurrency());
    po::options_description desc(
        "floed - a MySQL-protocol database server on RocksDB\n\n"
        "Usage: floed [options]\n"
        "Any system variable (SHOW VARIABLES) may also be given as --name=value, e.g. --lock-wait-timeout=10.\n\n"
        "Options");
    // clang-format off
    desc.add_options()
        ("help", "print this help and exit")
        ("version", "print the version and exit")
        ("config", po::value<std::string>(), "read options from this INI file (section [floed])")
        ("datadir", po::value<std::string>(&c.datadir)->default_value("./data"), "data directory")
        ("port", po::value<uint16_t>(&c.port)->default_value(3306), "TCP port; 0 picks a free port and logs it")
        ("bind-address", po::value<std::string>(&c.bind_address)->default_value("127.0.0.1"), "address to listen on")
        ("socket", po::value<std::string>(&socket), "Unix socket path (default <datadir>/floed.sock; empty: none)")
        ("log-level", po::value<std::string>(&c.log_level)->default_value("info"), "trace, debug, info, warn, error")
        ("root-password", po::value<std::string>(&c.root_password), "root's password for a new data directory")
        ("ssl-cert", po::value<std::string>(&c.ssl_cert), "TLS certificate (PEM); default: self-signed in datadir")
        ("ssl-key", po::value<std::string>(&c.ssl_key), "TLS private key (PEM)")
        ("skip-ssl", po::bool_switch(), "do not offer TLS")
        ("default-authentication-plugin", po::value<std::string>(&c.default_auth_plugin)->default_value("mysql_native_password"),
         "plugin of new accounts and of the greeting: mysql_native_password or caching_sha2_password")
        ("max-connections", po::value<std::string>(), "refuse connections beyond this many (1040)")
        ("max-allowed-packet", po::value<std::string>(), "largest packet or statement accepted (1153), e.g. 64M")
        ("io-threads", po::value<unsigned>(&c.io_threads)->default_value(std::max(2u, hw)),
         "threads that read, run and answer statements (default: the cores, at least 2; more join while statements "
         "block, so a waiting statement never holds up another)");
    // clang-format on
    try {
        po::variables_map vm;
        auto cmdline = po::command_line_parser(argc, argv).options(desc).allow_unregistered().run();
        po::store(cmdline, vm);
        std::vector<std::string> unknown = po::collect_unrecognized(cmdline.options, po::exclude_positional);
        std::vector<std::string> file_unknown;
        if (vm.count("config")) {
            auto file_args = read_config_file(vm["config"].as<std::string>());
            if (!file_args.ok()) return std::move(file_args).error();
            std::vector<const char*> fake{"floed"};
            for (const auto& a : *file_args) fake.push_back(a.c_str());
            auto parsed = po::command_line_parser(static_cast<int>(fake.size()), fake.data())
                              .options(desc)
                              .allow_unregistered()
                              .run();
            po::store(parsed, vm);  // earlier stores win: the command line beats the file
            file_unknown = po::collect_unrecognized(parsed.options, po::exclude_positional);
        }
        po::notify(vm);
        if (vm.count("help")) {
            std::cout << desc << "\n";
            out.exit_now = true;
            return out;
        }
        if (vm.count("version")) {
            std::cout << "floed " << FLOE_VERSION << " (MySQL protocol 8.0.35-floe)\n";
            out.exit_now = true;
            return out;
        }
        if (vm.count("socket")) c.socket = socket;
        c.ssl = !vm["skip-ssl"].as<bool>();
        for (const char* name : {"max-connections", "max-allowed-packet"}) {
            if (vm.count(name)) c.variables.push_back(split_option(std::string(name) + "=" + vm[name].as<std::string>()));
        }
        if (c.default_auth_plugin != "mysql_native_password" && c.default_auth_plugin != "caching_sha2_password") {
            return option_error("--default-authentication-plugin: use mysql_native_password or caching_sha2_password");
        }
        c.variables.emplace_back("default_authentication_plugin", c.default_auth_plugin);
        for (auto* list : {&file_unknown, &unknown}) {
            for (const auto& arg : *list) {
                if (arg.rfind("--", 0) != 0) return option_error("unexpected argument '" + arg + "'");
                auto kv = split_option(arg);
                if (!sql::find_variable(kv.first)) {
                    return option_error("unknown option '" + arg + "' (see floed --help)");
                }
                c.variables.push_back(std::move(kv));
            }
        }
    } catch (const po::error& e) {
        return option_error(e.what());
    }
    if (c.io_threads == 0) return option_error("--io-threads must be > 0");
    return out;
}

}  // namespace floe::server
