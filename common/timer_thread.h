// TimerThread: runs callbacks at their time on one background thread (FREEZE ... TIMEOUT n). Callbacks must
// be short and must not schedule on the same timer while it stops. Thread-safety: schedule() from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

namespace floe {

class TimerThread {
public:
    TimerThread() = default;
    ~TimerThread();  // drops callbacks not yet due
    TimerThread(const TimerThread&) = delete;
    TimerThread& operator=(const TimerThread&) = delete;

    void schedule(std::chrono::steady_clock::time_point when, std::function<void()> fn);
    // Drops what is not yet due and waits for a running callback; later schedule() calls do nothing.
    void stop();

private:
    void run();

    std::mutex mu_;
    std::condition_variable cv_;
    std::multimap<std::chrono::steady_clock::time_point, std::function<void()>> due_;
    bool stopping_ = false;
    std::thread thread_;  // started by the first schedule()
};

}  // namespace floe
