// Which partition a row lives in: hash(shard key bytes) mod partitions — the one place this is decided.
// The hash is FNV-1a 64 over the shard key columns' memcomparable key bytes: stable across builds, platforms
// and restarts (the partition is part of every stored key, so it must never change).
#pragma once

#include <cstdint>
#include <string_view>

namespace floe::storage {

inline uint16_t partition_of(std::string_view shard_key_bytes, uint16_t partitions) {
    uint64_t h = 1469598103934665603ULL;
    for (unsigned char c : shard_key_bytes) {
        h ^= c;
        h *= 1099511628211ULL;
    }
    return static_cast<uint16_t>(h % partitions);
}

}  // namespace floe::storage
