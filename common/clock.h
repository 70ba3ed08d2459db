// Clock: where waits read the time, so tests can drive timeouts with a manual clock instead of sleeping.
#pragma once

#include <atomic>
#include <chrono>

namespace floe {

class Clock {
public:
    using time_point = std::chrono::steady_clock::time_point;
    virtual ~Clock() = default;
    virtual time_point now() const = 0;
};

class SteadyClock final : public Clock {
public:
    time_point now() const override { return std::chrono::steady_clock::now(); }
};

// Time moves only when a test says so.
class ManualClock final : public Clock {
public:
    time_point now() const override { return time_point(std::chrono::nanoseconds(ns_.load())); }
    void advance(std::chrono::nanoseconds d) { ns_.fetch_add(d.count()); }

private:
    std::atomic<int64_t> ns_{1'000'000'000};
};

}  // namespace floe
