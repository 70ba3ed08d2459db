// Error: a MySQL error (code, SQLSTATE, message, rollback scope), born where the failure happens and sent to
// the client unchanged. Made only from the table in error_codes.def.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

namespace floe {

enum class ErrorCode : uint16_t {
#define FLOE_ERROR(name, number, sqlstate, message, scope) name = number,
#include "common/error_codes.def"
#undef FLOE_ERROR
};

// How much a failure undoes (see error_codes.def).
enum class ErrorScope : uint8_t { kStatement, kTransaction, kConnection };

struct ErrorInfo {
    ErrorCode code;
    const char* name;
    const char* sqlstate;
    const char* message_template;
    ErrorScope scope;
};

// The whole table, in declaration order; for tests and documentation.
std::span<const ErrorInfo> all_errors();
const ErrorInfo& error_info(ErrorCode code);

struct Error {
    ErrorCode code;
    std::string message;

    uint16_t number() const { return static_cast<uint16_t>(code); }
    const char* sqlstate() const { return error_info(code).sqlstate; }
    ErrorScope scope() const { return error_info(code).scope; }
};

// Fills the code's message template with args in order (every %... placeholder takes the next arg; MySQL's
// width limits such as %-.64s are honoured as truncation). Missing args become empty strings.
Error make_error(ErrorCode code, std::initializer_list<std::string_view> args = {});

// The code's message with a sentence of ours appended ("...; blocked by connection 42: UPDATE t ...").
Error make_error_with_detail(ErrorCode code, std::initializer_list<std::string_view> args, std::string_view detail);

}  // namespace floe
