#include "common/error.h"

#include <array>
#include <cstdlib>
#include <stdexcept>

namespace floe {
namespace {

constexpr ErrorInfo kErrors[] = {
#define FLOE_ERROR(name, number, sqlstate, message, scope) \
    {ErrorCode::name, #name, sqlstate, message, ErrorScope::scope},
#include "common/error_codes.def"
#undef FLOE_ERROR
};

}  // namespace

std::span<const ErrorInfo> all_errors() { return kErrors; }

const ErrorInfo& error_info(ErrorCode code) {
    for (const auto& e : kErrors) {
        if (e.code == code) return e;
    }
    // Unreachable for codes made from the enum; an out-of-table cast is a programming error.
    return kErrors[0];
}

Error make_error(ErrorCode code, std::initializer_list<std::string_view> args) {
    std::string_view tmpl = error_info(code).message_template;
    std::string out;
    out.reserve(tmpl.size() + 32);
    auto arg = args.begin();
    for (size_t i = 0; i < tmpl.size(); ++i) {
        char c = tmpl[i];
        if (c != '%' || i + 1 >= tmpl.size()) {
            out += c;
            continue;
        }
        if (tmpl[i + 1] == '%') {
            out += '%';
            ++i;
            continue;
        }
        // Parse flags / width / precision, then the conversion letters.
        size_t j = i + 1;
        size_t precision = std::string_view::npos;
        while (j < tmpl.size() && (tmpl[j] == '-' || (tmpl[j] >= '0' && tmpl[j] <= '9'))) ++j;
        if (j < tmpl.size() && tmpl[j] == '.') {
            size_t k = j + 1;
            while (k < tmpl.size() && tmpl[k] >= '0' && tmpl[k] <= '9') ++k;
            precision = static_cast<size_t>(std::atoi(std::string(tmpl.substr(j + 1, k - j - 1)).c_str()));
            j = k;
        }
        while (j < tmpl.size() && (tmpl[j] == 'l' || tmpl[j] == 'z')) ++j;
        if (j < tmpl.size()) ++j;  // conversion letter: s, d, u
        std::string_view value = arg != args.end() ? *arg++ : std::string_view{};
        out += value.substr(0, precision);
        i = j - 1;
    }
    return Error{code, std::move(out)};
}

Error make_error_with_detail(ErrorCode code, std::initializer_list<std::string_view> args,
                             std::string_view detail) {
    Error e = make_error(code, args);
    e.message += "; ";
    e.message += detail;
    return e;
}

}  // namespace floe
