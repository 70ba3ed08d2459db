#include "common/work_pool.h"

#include <algorithm>
#include <atomic>
#include <memory>

namespace floe {

WorkPool::WorkPool(size_t threads) {
    for (size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { loop(); });
}

WorkPool::~WorkPool() {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
    }
    wake_.notify_all();
    for (auto& t : threads_) t.join();
}

void WorkPool::loop() {
    for (;;) {
        std::function<void()> task;
        {
            std::unique_lock lock(mu_);
            wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
            if (queue_.empty()) return;  // stopping
            task = std::move(queue_.front());
            queue_.pop_front();
        }
        task();
    }
}

void WorkPool::run(size_t parts, size_t helpers, const std::function<void(size_t)>& part) {
    // Shared with helpers that may start after the caller has finished every part (they then find none).
    struct Job {
        std::atomic<size_t> next{0};
        size_t parts = 0;
        const std::function<void(size_t)>* part = nullptr;
        std::mutex mu;
        std::condition_variable done_cv;
        size_t done = 0;
        void work() {
            for (size_t i; (i = next.fetch_add(1)) < parts;) {
                (*part)(i);
                std::lock_guard lock(mu);
                if (++done == parts) done_cv.notify_all();
            }
        }
    };
    auto job = std::make_shared<Job>();
    job->parts = parts;
    job->part = &part;
    helpers = std::min({helpers, threads_.size(), parts > 0 ? parts - 1 : 0});
    if (helpers > 0) {
        {
            std::lock_guard lock(mu_);
            for (size_t i = 0; i < helpers; ++i) queue_.emplace_back([job] { job->work(); });
        }
        wake_.notify_all();
    }
    job->work();
    std::unique_lock lock(job->mu);
    job->done_cv.wait(lock, [&] { return job->done == parts; });
}

}  // namespace floe
