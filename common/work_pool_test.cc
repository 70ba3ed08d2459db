#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <set>
#include <thread>
#include <vector>

#include "common/work_pool.h"

using namespace floe;

TEST_CASE("every part runs exactly once, on the caller and the helpers") {
    WorkPool pool(3);
    std::vector<std::atomic<int>> runs(100);
    std::mutex mu;
    std::set<std::thread::id> threads;
    pool.run(runs.size(), 3, [&](size_t i) {
        runs[i].fetch_add(1);
        std::this_thread::sleep_for(std::chrono::microseconds(200));
        std::lock_guard lock(mu);
        threads.insert(std::this_thread::get_id());
    });
    for (auto& r : runs) CHECK(r.load() == 1);
    CHECK(threads.size() >= 2);  // the parts were shared
}

TEST_CASE("no helpers: the caller does everything; zero parts return at once") {
    WorkPool pool(2);
    std::vector<std::thread::id> ids;
    pool.run(5, 0, [&](size_t) { ids.push_back(std::this_thread::get_id()); });
    CHECK(ids.size() == 5);
    for (auto id : ids) CHECK(id == std::this_thread::get_id());
    pool.run(0, 2, [&](size_t) { FAIL("no part to run"); });
}

TEST_CASE("a busy pool never blocks a run: the caller finishes alone") {
    WorkPool pool(1);
    std::atomic<bool> release{false};
    std::thread blocker([&] { pool.run(2, 1, [&](size_t) { while (!release) std::this_thread::yield(); }); });
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // the pool thread is now stuck in part 1
    std::atomic<int> done{0};
    pool.run(10, 1, [&](size_t) { done.fetch_add(1); });
    CHECK(done.load() == 10);
    release = true;
    blocker.join();
}

TEST_CASE("many runs at once") {
    WorkPool pool(2);
    std::atomic<int> total{0};
    std::vector<std::thread> callers;
    for (int c = 0; c < 4; ++c) {
        callers.emplace_back([&] {
            for (int r = 0; r < 50; ++r) pool.run(8, 2, [&](size_t) { total.fetch_add(1); });
        });
    }
    for (auto& t : callers) t.join();
    CHECK(total.load() == 4 * 50 * 8);
}
