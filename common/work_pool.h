// WorkPool: a few threads for work one statement splits into parts (reading a table's partitions in parallel).
// run() hands parts out one at a time to the calling thread and to idle pool threads, and returns when every
// part is done; the caller always works too, so a busy pool only makes a statement slower, never stuck.
// Thread-safety: run() may be called from any number of threads at once.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace floe {

class WorkPool {
public:
    explicit WorkPool(size_t threads);
    ~WorkPool();
    WorkPool(const WorkPool&) = delete;
    WorkPool& operator=(const WorkPool&) = delete;

    size_t threads() const { return threads_.size(); }
    // Calls part(i) once for every i in [0, parts), on the caller and on up to `helpers` pool threads.
    void run(size_t parts, size_t helpers, const std::function<void(size_t)>& part);

private:
    void loop();

    std::mutex mu_;
    std::condition_variable wake_;
    std::deque<std::function<void()>> queue_;
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

}  // namespace floe
