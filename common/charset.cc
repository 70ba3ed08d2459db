#include "common/charset.h"

#include <strings.h>

#include <string>

namespace floe {
namespace {

constexpr Collation kCollations[] = {
    {8, "latin1_swedish_ci", "latin1", true, 1, "cp1252 West European"},
    {47, "latin1_bin", "latin1", false, 1, "cp1252 West European"},
    {11, "ascii_general_ci", "ascii", true, 1, "US ASCII"},
    {65, "ascii_bin", "ascii", false, 1, "US ASCII"},
    {33, "utf8mb3_general_ci", "utf8mb3", true, 3, "UTF-8 Unicode"},
    {83, "utf8mb3_bin", "utf8mb3", false, 3, "UTF-8 Unicode"},
    {45, "utf8mb4_general_ci", "utf8mb4", true, 4, "UTF-8 Unicode"},
    {46, "utf8mb4_bin", "utf8mb4", false, 4, "UTF-8 Unicode"},
    {224, "utf8mb4_unicode_ci", "utf8mb4", false, 4, "UTF-8 Unicode"},
    {255, "utf8mb4_0900_ai_ci", "utf8mb4", false, 4, "UTF-8 Unicode"},
    {63, "binary", "binary", true, 1, "Binary pseudo charset"},
};

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

std::string_view canonical_charset(std::string_view name) {
    if (iequals(name, "utf8")) return "utf8mb3";
    return name;
}

}  // namespace

std::span<const Collation> all_collations() { return kCollations; }

const Collation* collation_by_id(uint16_t id) {
    for (const auto& c : kCollations) {
        if (c.id == id) return &c;
    }
    return nullptr;
}

const Collation* collation_by_name(std::string_view name) {
    // MySQL accepts the utf8_ prefix for utf8mb3_ collations.
    std::string alias;
    if (name.size() > 5 && iequals(name.substr(0, 5), "utf8_")) {
        alias = "utf8mb3_" + std::string(name.substr(5));
        name = alias;
    }
    for (const auto& c : kCollations) {
        if (iequals(c.name, name)) return &c;
    }
    return nullptr;
}

const Collation* default_collation_of_charset(std::string_view charset) {
    charset = canonical_charset(charset);
    for (const auto& c : kCollations) {
        if (c.is_default && iequals(c.charset, charset)) return &c;
    }
    return nullptr;
}

}  // namespace floe
