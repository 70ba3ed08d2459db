// ExecPool: the threads statements run on. A statement may block for a long time (a lock wait), so the pool
// never lets one statement wait for another's thread: when every thread is busy, post() starts one more (at
// most one per running statement, so never more than the connections running a statement); threads beyond
// `keep` that stay idle for `idle_timeout` end.
// Thread-safety: post() from any thread; the destructor finishes queued work and waits for every thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>

namespace floe::server {

class ExecPool {
public:
    explicit ExecPool(size_t keep, std::chrono::milliseconds idle_timeout = std::chrono::seconds(30));
    ~ExecPool();
    ExecPool(const ExecPool&) = delete;
    ExecPool& operator=(const ExecPool&) = delete;

    void post(std::function<void()> task);
    size_t threads() const;

private:
    void loop();

    const size_t keep_;
    const std::chrono::milliseconds idle_timeout_;
    mutable std::mutex mu_;
    std::condition_variable work_cv_, done_cv_;
    std::deque<std::function<void()>> tasks_;
    size_t live_ = 0, idle_ = 0;
    bool stopping_ = false;
};

}  // namespace floe::server
