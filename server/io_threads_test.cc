#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <thread>

#include <boost/asio/post.hpp>

#include "server/io_threads.h"

using namespace floe::server;
using namespace std::chrono_literals;
namespace asio = boost::asio;

namespace {

// Runs `pool` on its own thread; stops the loop and waits for it at the end.
struct Running {
    asio::io_context io;
    asio::executor_work_guard<asio::io_context::executor_type> work = asio::make_work_guard(io);
    IoThreads pool;
    std::thread runner;
    explicit Running(size_t threads, std::chrono::milliseconds tick = 2ms) : pool(io, threads, tick) {
        runner = std::thread([this] { pool.run(); });
    }
    ~Running() {
        work.reset();
        io.stop();
        runner.join();
    }
};

}  // namespace

TEST_CASE("a blocked statement never holds up another: threads join the loop while statements block") {
    Running r(1);
    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    std::atomic<int> blocked{0};
    for (int i = 0; i < 5; ++i) {
        asio::post(r.io, [&, released] {  // its own copy: the handler may still be waking when the test ends
            IoThreads::Busy busy(r.pool);
            ++blocked;
            released.wait();  // like a statement waiting for a lock
        });
    }
    for (int i = 0; i < 5000 && blocked < 5; ++i) std::this_thread::sleep_for(1ms);
    CHECK(blocked == 5);
    // The releasing handler runs although five statements block.
    std::promise<void> ran;
    asio::post(r.io, [&] { ran.set_value(); });
    CHECK(ran.get_future().wait_for(10s) == std::future_status::ready);
    CHECK(r.pool.threads() == 6);  // five blocked, one free
    release.set_value();
}

TEST_CASE("extra threads leave once the stall is over; the kept ones stay") {
    Running r(2);
    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    for (int i = 0; i < 6; ++i) {
        asio::post(r.io, [&, released] {
            IoThreads::Busy busy(r.pool);
            released.wait();
        });
    }
    for (int i = 0; i < 5000 && r.pool.threads() < 7; ++i) std::this_thread::sleep_for(1ms);
    std::this_thread::sleep_for(20ms);  // no more than needed join
    CHECK(r.pool.threads() == 7);  // six blocked, one free to poll
    release.set_value();
    for (int i = 0; i < 5000 && r.pool.threads() > 2; ++i) std::this_thread::sleep_for(1ms);
    CHECK(r.pool.threads() == 2);
    std::promise<void> done;
    asio::post(r.io, [&] { done.set_value(); });
    CHECK(done.get_future().wait_for(10s) == std::future_status::ready);
}

TEST_CASE("a marked wait gets a thread in its stead at once, without waiting for the monitor") {
    Running r(1, 10s);  // a monitor tick far beyond the test
    std::promise<void> release, entered;
    std::shared_future<void> released = release.get_future().share();
    asio::post(r.io, [&, released] {
        IoThreads::Busy busy(r.pool);
        floe::BlockingRegion waiting;  // like a commit waiting for its fsync
        entered.set_value();
        released.wait();
    });
    entered.get_future().wait();
    CHECK(r.pool.threads() == 2);
    std::promise<void> ran;
    asio::post(r.io, [&] { ran.set_value(); });
    CHECK(ran.get_future().wait_for(10s) == std::future_status::ready);
    release.set_value();
}

TEST_CASE("short statements on every thread add no thread") {
    Running r(2, 25ms);  // a tick long enough that a busy test machine still shows progress in it
    std::atomic<bool> stop{false};
    std::atomic<int> runs{0}, chains{2};
    // Both threads stay busy with statements of 0.1 ms: progress every tick, so no thread joins.
    std::function<void()> statement = [&] {
        {
            IoThreads::Busy busy(r.pool);
            auto end = std::chrono::steady_clock::now() + 100us;
            while (std::chrono::steady_clock::now() < end) {
            }
            ++runs;
        }
        if (!stop) {
            asio::post(r.io, statement);
        } else {
            --chains;  // the last thing this chain touches
        }
    };
    asio::post(r.io, statement);
    asio::post(r.io, statement);
    std::this_thread::sleep_for(200ms);
    CHECK(r.pool.threads() == 2);
    stop = true;
    while (chains > 0) std::this_thread::sleep_for(1ms);  // no handler uses this test's locals any more
    CHECK(runs > 100);
}

TEST_CASE("run() returns once the loop stops, extra threads included") {
    asio::io_context io;
    auto work = asio::make_work_guard(io);
    IoThreads pool(io, 1, 2ms);
    std::atomic<bool> returned{false};
    std::thread runner([&] {
        pool.run();
        returned = true;
    });
    std::promise<void> entered;
    asio::post(io, [&] {
        IoThreads::Busy busy(pool);
        entered.set_value();
        std::this_thread::sleep_for(50ms);  // long enough for the monitor to add a thread
    });
    entered.get_future().wait();
    io.stop();
    runner.join();
    CHECK(returned);
}
