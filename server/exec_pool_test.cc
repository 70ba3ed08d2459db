#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include "server/exec_pool.h"

using namespace floe::server;
using namespace std::chrono_literals;

TEST_CASE("a task never waits for a busy thread: blocked tasks get threads of their own") {
    ExecPool pool(1);
    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    std::atomic<int> blocked{0};
    for (int i = 0; i < 5; ++i) {
        pool.post([&] {
            ++blocked;
            released.wait();  // like a statement waiting for a lock
        });
    }
    // The releasing task runs although five tasks block.
    std::promise<void> ran;
    pool.post([&] { ran.set_value(); });
    CHECK(ran.get_future().wait_for(10s) == std::future_status::ready);
    CHECK(pool.threads() >= 6);
    release.set_value();
}

TEST_CASE("extra threads end after their idle time; the kept ones stay") {
    ExecPool pool(2, 50ms);
    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    for (int i = 0; i < 6; ++i) pool.post([&] { released.wait(); });
    for (int i = 0; i < 1000 && pool.threads() < 6; ++i) std::this_thread::sleep_for(1ms);
    CHECK(pool.threads() == 6);
    release.set_value();
    for (int i = 0; i < 5000 && pool.threads() > 2; ++i) std::this_thread::sleep_for(1ms);
    CHECK(pool.threads() == 2);
    std::atomic<int> n{0};
    std::promise<void> done;
    pool.post([&] {
        ++n;
        done.set_value();
    });
    done.get_future().wait();
    CHECK(n == 1);
}

TEST_CASE("destruction finishes the queued tasks") {
    std::atomic<int> n{0};
    {
        ExecPool pool(2);
        for (int i = 0; i < 100; ++i) pool.post([&] { ++n; });
    }
    CHECK(n == 100);
}
