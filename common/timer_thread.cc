#include "common/timer_thread.h"

namespace floe {

TimerThread::~TimerThread() { stop(); }

void TimerThread::stop() {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
        due_.clear();
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void TimerThread::schedule(std::chrono::steady_clock::time_point when, std::function<void()> fn) {
    {
        std::lock_guard lock(mu_);
        if (stopping_) return;
        due_.emplace(when, std::move(fn));
        if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
    }
    cv_.notify_all();
}

void TimerThread::run() {
    std::unique_lock lock(mu_);
    while (!stopping_) {
        if (due_.empty()) {
            cv_.wait(lock);
            continue;
        }
        auto first = due_.begin();
        if (first->first > std::chrono::steady_clock::now()) {
            cv_.wait_until(lock, first->first);
            continue;
        }
        auto fn = std::move(first->second);
        due_.erase(first);
        lock.unlock();
        fn();
        lock.lock();
    }
}

}  // namespace floe
