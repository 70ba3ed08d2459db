#include "sql/parse/reserved_words.h"

#include <strings.h>

namespace floe::sql {
namespace {

constexpr std::string_view kReserved[] = {
    "from",  "where", "group",  "having", "order", "limit", "union", "into",    "for",   "lock",
    "on",    "using", "join",   "inner",  "left",  "right", "cross", "natural", "and",   "or",
    "xor",   "not",   "is",     "in",     "like",  "between", "as",  "select",  "set",   "when",
    "then",  "else",  "end",    "escape", "div",   "mod",   "regexp", "rlike",  "collate", "straight_join",
};

}  // namespace

bool is_reserved(std::string_view word) {
    for (auto r : kReserved) {
        if (r.size() == word.size() && strncasecmp(r.data(), word.data(), word.size()) == 0) return true;
    }
    return false;
}

}  // namespace floe::sql
