// Result<T>: a value or an Error. Every fallible function returns one; callers must look at it.
#pragma once

#include <optional>
#include <utility>
#include <variant>

#include "common/error.h"

namespace floe {

template <class T>
class [[nodiscard]] Result {
public:
    Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
    Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

    bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & { return std::get<0>(v_); }
    const T& value() const& { return std::get<0>(v_); }
    T&& value() && { return std::get<0>(std::move(v_)); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    const Error& error() const& { return std::get<1>(v_); }
    Error&& error() && { return std::get<1>(std::move(v_)); }

private:
    std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : error_(std::move(error)) {}  // NOLINT: implicit by design

    bool ok() const { return !error_.has_value(); }
    explicit operator bool() const { return ok(); }
    const Error& error() const& { return *error_; }
    Error&& error() && { return std::move(*error_); }

private:
    std::optional<Error> error_;
};

using Status = Result<void>;

}  // namespace floe

// FLOE_TRY(expr): evaluates a Result; on error returns the error from the enclosing function, otherwise
// yields the value. (A GNU statement expression, supported by g++ and clang.)
#define FLOE_TRY(expr)                                                  \
    ({                                                                  \
        auto&& floe_try_result_ = (expr);                               \
        if (!floe_try_result_.ok()) return std::move(floe_try_result_).error(); \
        std::move(floe_try_result_).value();                            \
    })

// FLOE_CHECK(expr) for Result<void>: returns the error, if any.
#define FLOE_CHECK(expr)                                                \
    do {                                                                \
        auto&& floe_check_result_ = (expr);                             \
        if (!floe_check_result_.ok()) return std::move(floe_check_result_).error(); \
    } while (0)
