// The words that can never be a bare alias or identifier in the statements floe parses (a subset of MySQL's
// reserved words: those that may follow an expression). Shared by both halves of the parser.
#pragma once

#include <string_view>

namespace floe::sql {

bool is_reserved(std::string_view word);

}  // namespace floe::sql
