// Blocking regions: code about to wait for something other than the CPU (an fsync, another transaction's
// lock) says so, and the thread pool running it (server/io_threads.h) may add a thread meanwhile, so the
// connections it would otherwise serve keep being served. Lower layers mark the waits; the pool installs the
// observer on its own threads only (elsewhere a region does nothing).
#pragma once

namespace floe {

class BlockingObserver {
public:
    virtual void blocking_begins() = 0;
    virtual void blocking_ends() = 0;

protected:
    ~BlockingObserver() = default;
};

// The observer of the calling thread (nullptr: none).
inline thread_local BlockingObserver* t_blocking_observer = nullptr;

class BlockingRegion {
public:
    BlockingRegion() : observer_(t_blocking_observer) {
        if (observer_) observer_->blocking_begins();
    }
    ~BlockingRegion() {
        if (observer_) observer_->blocking_ends();
    }
    BlockingRegion(const BlockingRegion&) = delete;
    BlockingRegion& operator=(const BlockingRegion&) = delete;

private:
    BlockingObserver* observer_;
};

}  // namespace floe
