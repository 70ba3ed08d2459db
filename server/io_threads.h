// IoThreads: the threads that run the server's io_context. A connection reads a command, runs its statements
// and writes the answer on whichever of them picks its strand up: no hand-off to another thread per statement
// (two thread switches saved per query). A statement may block for long (a lock wait, an fsync, a long scan),
// so the thread running one counts as busy, and a monitor adds a thread to the loop when every thread has been
// busy for a whole tick (5 ms) without any statement finishing: a blocked statement never holds up another
// connection for long, yet a machine busy with short statements does not gain threads that only contend for
// its cores. Waits the lower layers mark (common/blocking.h: fsyncs, lock waits) get a thread in their stead at
// once. A thread beyond `threads` leaves once it has not been needed for 50 ms.
// Thread-safety: Busy from any thread of the loop; run() once, on the thread that owns the pool.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>

#include <boost/asio/io_context.hpp>

#include "common/blocking.h"

namespace floe::server {

class IoThreads final : public BlockingObserver {
public:
    explicit IoThreads(boost::asio::io_context& io, size_t threads,
                       std::chrono::milliseconds tick = std::chrono::milliseconds(5));
    IoThreads(const IoThreads&) = delete;
    IoThreads& operator=(const IoThreads&) = delete;

    // Runs the loop on the calling thread and `threads - 1` more; returns when the io_context has stopped and
    // every thread (extra ones too) has left it.
    void run();

    // The calling thread runs a statement (or anything that may block) while this lives.
    class Busy {
    public:
        explicit Busy(IoThreads& pool) : pool_(pool) { pool_.busy_.fetch_add(1, std::memory_order_relaxed); }
        ~Busy() {
            pool_.busy_.fetch_sub(1, std::memory_order_relaxed);
            pool_.finished_.fetch_add(1, std::memory_order_relaxed);
        }
        Busy(const Busy&) = delete;
        Busy& operator=(const Busy&) = delete;

    private:
        IoThreads& pool_;
    };

    size_t threads() const { return live_.load(); }

    // A thread of the loop waits (BlockingRegion): when fewer than `threads` would be left, one more joins.
    void blocking_begins() override;
    void blocking_ends() override { blocked_.fetch_sub(1, std::memory_order_relaxed); }

private:
    void monitor();
    void start_extra();  // mu_ held
    void extra_loop();
    bool surplus() const;

    boost::asio::io_context& io_;
    const size_t keep_;
    const std::chrono::milliseconds tick_;
    std::atomic<size_t> live_{0};        // threads in the loop
    std::atomic<size_t> busy_{0};        // of them, running a statement
    std::atomic<size_t> blocked_{0};     // of them, in a blocking region
    std::atomic<uint64_t> finished_{0};  // statements finished (the monitor's sign of progress)
    std::mutex mu_;
    std::condition_variable cv_;  // the monitor's tick; an extra thread ended
    bool stopping_ = false;       // guarded by mu_
    size_t extras_ = 0;           // extra threads not yet ended (guarded by mu_)
};

}  // namespace floe::server
