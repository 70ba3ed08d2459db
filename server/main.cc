// floed: the server binary. Parses options, opens the engine on the data directory, prepares TLS and the RSA
// key pair, listens, and runs until SIGTERM / SIGINT, then shuts down gracefully.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/thread_pool.hpp>
#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <filesystem>
#include <iostream>
#include <thread>

#include "common/log.h"
#include "server/auth.h"
#include "server/config.h"
#include "server/io_threads.h"
#include "server/listener.h"
#include "server/tls.h"
#include "sql/engine.h"

namespace {

using namespace floe;
namespace asio = boost::asio;

// Many idle connections need many file descriptors: raise the soft limit to the hard one (as mysqld does).
void raise_open_files_limit() {
    rlimit lim{};
    if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
        lim.rlim_cur = lim.rlim_max;
        setrlimit(RLIMIT_NOFILE, &lim);
    }
    if (getrlimit(RLIMIT_NOFILE, &lim) == 0) spdlog::info("open files limit: {}", lim.rlim_cur);
}

int run(int argc, char** argv) {
    auto parsed = server::parse_options(argc, argv);
    if (!parsed.ok()) {
        std::cerr << "floed: " << parsed.error().message << "\n";
        return 2;
    }
    if (parsed->exit_now) return 0;
    server::ServerConfig config = std::move(parsed->config);
    if (auto st = set_log_level(config.log_level); !st.ok()) {
        std::cerr << "floed: " << st.error().message << "\n";
        return 2;
    }

    std::error_code fs_ec;
    std::filesystem::create_directories(config.datadir, fs_ec);
    std::string datadir = std::filesystem::absolute(config.datadir).lexically_normal().string();
    if (!datadir.empty() && datadir.back() == '/') datadir.pop_back();
    std::string socket_path = config.socket.value_or(datadir + "/floed.sock");

    sql::EngineConfig engine_config;
    engine_config.datadir = datadir;
    engine_config.root_password = config.root_password;
    engine_config.default_auth_plugin = config.default_auth_plugin;
    // Defaults that depend on the data directory first: options given on the command line override them.
    engine_config.variables.emplace_back("backup_dir", datadir + "/backups");
    engine_config.variables.insert(engine_config.variables.end(), config.variables.begin(), config.variables.end());
    engine_config.variables.emplace_back("datadir", datadir + "/");
    engine_config.variables.emplace_back("bind_address", config.bind_address);
    engine_config.variables.emplace_back("socket", socket_path);
    char hostname[256] = {};
    gethostname(hostname, sizeof hostname - 1);
    engine_config.variables.emplace_back("hostname", hostname);
    tzset();
    engine_config.variables.emplace_back("system_time_zone", tzname[0]);

    spdlog::info("floed {} starting: datadir {}", FLOE_VERSION, datadir);
    auto engine = sql::Engine::open(engine_config);
    if (!engine.ok()) {
        spdlog::critical("cannot open the data directory: {}", engine.error().message);
        return 1;
    }
    auto rsa = server::RsaKeyPair::load_or_create(datadir);
    if (!rsa.ok()) {
        spdlog::critical("{}", rsa.error().message);
        return 1;
    }
    std::unique_ptr<asio::ssl::context> tls;
    if (config.ssl) {
        auto files = server::ensure_tls_files(datadir, config.ssl_cert, config.ssl_key);
        if (!files.ok()) {
            spdlog::critical("{}", files.error().message);
            return 1;
        }
        if (files->generated) spdlog::info("generated a self-signed TLS certificate: {}", files->cert);
        auto ctx = server::make_tls_context(*files);
        if (!ctx.ok()) {
            spdlog::critical("{}", ctx.error().message);
            return 1;
        }
        tls = std::move(*ctx);
        (*engine)->variables().set(*sql::find_variable("have_ssl"), Value::from_string("YES"));
        (*engine)->variables().set(*sql::find_variable("ssl_cert"), Value::from_string(files->cert));
        (*engine)->variables().set(*sql::find_variable("ssl_key"), Value::from_string(files->key));
    }
    raise_open_files_limit();

    asio::io_context io;  // threads join while statements block: never the single-thread hint
    server::IoThreads io_threads(io, config.io_threads);
    server::ServerContext ctx{**engine, tls.get(), **rsa, io_threads};
    server::Listener listener(io, ctx);
    auto port = listener.start(config.bind_address, config.port, socket_path);
    if (!port.ok()) {
        spdlog::critical("{}", port.error().message);
        return 1;
    }
    (*engine)->variables().set(*sql::find_variable("port"), Value::from_uint(*port));
    auto& vars = (*engine)->variables();
    spdlog::info("settings: max_connections={} max_allowed_packet={} lock_wait_timeout={} tls={} auth={} "
                 "io_threads={}",
                 vars.get(*sql::find_variable("max_connections")).to_text(),
                 vars.get(*sql::find_variable("max_allowed_packet")).to_text(),
                 vars.get(*sql::find_variable("lock_wait_timeout")).to_text(), tls ? "on" : "off",
                 config.default_auth_plugin, config.io_threads);
    // Tests and scripts wait for this line (and read the port from it when --port=0).
    spdlog::info("ready for connections. bind-address: {} port: {} socket: {}", config.bind_address, *port,
                 socket_path);

    asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code& ec, int signo) {
        if (ec) return;
        spdlog::info("received signal {}; shutting down", signo);
        listener.stop();
        (*engine)->kill_all();
        // Let connections finish their current statement and close (at most 10 s), then stop the loop.
        asio::co_spawn(
            io,
            [&]() -> asio::awaitable<void> {
                asio::steady_timer timer(io);
                for (int i = 0; i < 100 && listener.live_connections() > 0; ++i) {
                    timer.expires_after(std::chrono::milliseconds(100));
                    co_await timer.async_wait(asio::use_awaitable);
                }
                io.stop();
            },
            asio::detached);
    });

    io_threads.run();
    (*engine)->finish_syncs();  // their waiters post to `io`: done before it goes
    spdlog::info("floed stopped");
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const std::exception& e) {
        spdlog::critical("floed: {}", e.what());
        return 1;
    }
}
