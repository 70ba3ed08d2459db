// RowStamps: for each of a fixed number of stripes of rows (a hash of table id and primary key), the newest
// RocksDB sequence number at which a commit changed a row of that stripe. It lets a locking read skip its
// second read (Transaction::lock_read_row): a row read as committed now at sequence S or later, then locked,
// is still the row as committed now when its stripe's stamp is at most S — any commit that changed it since
// would have stamped the stripe past S before releasing the row's lock, which the reader then took.
// Stripes that collide only cost a needless second read. Thread-safe; lock-free.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

namespace floe::storage {

class RowStamps {
public:
    static constexpr uint32_t kStripes = 1u << 16;

    RowStamps() : stamps_(std::make_unique<std::atomic<uint64_t>[]>(kStripes)) {}

    static uint32_t stripe(uint32_t table_id, std::string_view primary_key) {
        uint64_t h = std::hash<std::string_view>{}(primary_key) ^ (uint64_t{table_id} * 0x9E3779B97F4A7C15ull);
        return static_cast<uint32_t>((h ^ (h >> 29)) & (kStripes - 1));
    }
    uint64_t stamp(uint32_t stripe) const { return stamps_[stripe].load(std::memory_order_seq_cst); }
    // After a commit that changed rows of `stripes` became visible at `sequence` (or earlier), and before its
    // row locks are released.
    void stamp(const std::vector<uint32_t>& stripes, uint64_t sequence) {
        for (uint32_t s : stripes) {
            uint64_t old = stamps_[s].load(std::memory_order_relaxed);
            while (old < sequence && !stamps_[s].compare_exchange_weak(old, sequence, std::memory_order_seq_cst)) {
            }
        }
    }

private:
    std::unique_ptr<std::atomic<uint64_t>[]> stamps_;
};

}  // namespace floe::storage
