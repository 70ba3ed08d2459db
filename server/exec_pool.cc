#include "server/exec_pool.h"

#include <thread>

namespace floe::server {

ExecPool::ExecPool(size_t keep, std::chrono::milliseconds idle_timeout) : keep_(keep), idle_timeout_(idle_timeout) {}

ExecPool::~ExecPool() {
    std::unique_lock lk(mu_);
    stopping_ = true;
    work_cv_.notify_all();
    done_cv_.wait(lk, [&] { return live_ == 0; });
}

size_t ExecPool::threads() const {
    std::lock_guard lk(mu_);
    return live_;
}

void ExecPool::post(std::function<void()> task) {
    std::lock_guard lk(mu_);
    tasks_.push_back(std::move(task));
    if (tasks_.size() > idle_) {
        // Every idle thread has a task already: one more thread, so this task never waits for a busy one.
        ++live_;
        std::thread([this] { loop(); }).detach();
    } else {
        work_cv_.notify_one();
    }
}

void ExecPool::loop() {
    std::unique_lock lk(mu_);
    for (;;) {
        while (tasks_.empty() && !stopping_) {
            ++idle_;
            bool woken = work_cv_.wait_for(lk, idle_timeout_, [&] { return !tasks_.empty() || stopping_; });
            --idle_;
            if (!woken && live_ > keep_) break;
        }
        if (tasks_.empty()) break;  // stopping with nothing left, or idle too long
        auto task = std::move(tasks_.front());
        tasks_.pop_front();
        lk.unlock();
        task();
        task = nullptr;  // what it captured goes before the lock is taken again
        lk.lock();
    }
    --live_;
    done_cv_.notify_all();
}

}  // namespace floe::server
