#include "server/io_threads.h"

#include <optional>
#include <thread>
#include <vector>

#include <boost/asio/post.hpp>

namespace floe::server {

IoThreads::IoThreads(boost::asio::io_context& io, size_t threads, std::chrono::milliseconds tick)
    : io_(io), keep_(threads < 1 ? 1 : threads), tick_(tick) {}

void IoThreads::run() {
    live_ = keep_;
    std::vector<std::thread> threads;
    auto loop = [this] {
        t_blocking_observer = this;
        io_.run();
        t_blocking_observer = nullptr;
    };
    for (size_t i = 1; i < keep_; ++i) threads.emplace_back(loop);
    std::thread watcher([this] { monitor(); });
    loop();
    for (auto& t : threads) t.join();
    std::unique_lock lk(mu_);
    stopping_ = true;
    cv_.notify_all();
    cv_.wait(lk, [&] { return extras_ == 0; });
    lk.unlock();
    watcher.join();
}

void IoThreads::monitor() {
    std::unique_lock lk(mu_);
    bool stalled_before = false;
    uint64_t finished_before = 0;
    while (!stopping_) {
        cv_.wait_for(lk, tick_);
        if (stopping_ || io_.stopped()) break;
        // Stalled: every thread is running a statement and none finished during the whole last tick.
        uint64_t finished = finished_.load();
        bool stalled = busy_.load() >= live_.load();
        if (stalled && stalled_before && finished == finished_before) {
            start_extra();
            stalled = false;
        }
        stalled_before = stalled;
        finished_before = finished;
    }
}

void IoThreads::blocking_begins() {
    size_t blocked = blocked_.fetch_add(1, std::memory_order_relaxed) + 1;
    if (live_.load(std::memory_order_relaxed) >= keep_ + blocked) return;
    std::lock_guard lk(mu_);
    if (live_.load() < keep_ + blocked_.load() && !stopping_ && !io_.stopped()) start_extra();
}

void IoThreads::start_extra() {
    ++extras_;
    ++live_;
    std::thread([this] { extra_loop(); }).detach();
}

// More threads than needed: `threads` besides the blocked ones, and one free besides the busy ones.
bool IoThreads::surplus() const {
    size_t live = live_.load();
    return live > keep_ + blocked_.load() && live >= busy_.load() + 2;
}

void IoThreads::extra_loop() {
    t_blocking_observer = this;
    // Leaves once it has not been needed for 50 ms (not at once: blocking waits come and go, and starting a
    // thread for each would cost more than the wait).
    using Clock = std::chrono::steady_clock;
    std::optional<Clock::time_point> surplus_since;
    for (;;) {
        io_.run_one_for(std::chrono::milliseconds(50));
        if (io_.stopped()) break;
        if (!surplus()) {
            surplus_since.reset();
            continue;
        }
        auto now = Clock::now();
        if (!surplus_since) surplus_since = now;
        if (now - *surplus_since < std::chrono::milliseconds(50)) continue;
        std::lock_guard lk(mu_);
        if (surplus()) break;
    }
    t_blocking_observer = nullptr;
    // run_one_for() leaves the work its handler queued (a strand's next handler, a coroutine's resumption) on
    // the scheduler's queue without waking another thread: the thread itself would take it next. Leaving now,
    // post a no-op so an idle thread wakes and runs it (without this, a connection could stall until some
    // unrelated event woke a thread).
    if (!io_.stopped()) boost::asio::post(io_, [] {});
    std::lock_guard lk(mu_);
    --live_;
    --extras_;
    cv_.notify_all();  // under the lock: run() may return (and the pool go) once it is released
}

}  // namespace floe::server
