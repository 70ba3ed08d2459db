// MySQL's packed forms of temporal values, shared by the key and row codecs:
//   DATE      year*416 + month*32 + day
//   DATETIME  ((((year*13 + month) << 5 | day) << 17 | hour << 12 | minute << 6 | second) << 24) | micros
//   TIME      signed microseconds
#pragma once

#include <cstdint>

#include "common/value.h"

namespace floe::storage {

inline uint64_t pack_date(const DateTime& t) { return static_cast<uint64_t>(t.year) * 416 + t.month * 32u + t.day; }

inline uint64_t pack_datetime(const DateTime& t) {
    uint64_t ym = static_cast<uint64_t>(t.year) * 13 + t.month;
    uint64_t ymd = (ym << 5) | t.day;
    uint64_t hms = (uint64_t{t.hour} << 12) | (uint64_t{t.minute} << 6) | t.second;
    return (((ymd << 17) | hms) << 24) | t.micros;
}

inline int64_t time_micros(const DateTime& t) {
    int64_t micros = ((static_cast<int64_t>(t.day) * 24 + t.hour) * 3600 + t.minute * 60 + t.second) * 1000000LL +
                     t.micros;
    return t.negative ? -micros : micros;
}

inline DateTime unpack_date(uint64_t v) {
    DateTime t;
    t.year = static_cast<int16_t>(v / 416);
    t.month = static_cast<uint8_t>((v % 416) / 32);
    t.day = static_cast<uint8_t>(v % 32);
    return t;
}

inline DateTime unpack_datetime(uint64_t v) {
    DateTime t;
    t.micros = static_cast<uint32_t>(v & 0xFFFFFF);
    uint64_t ymdhms = v >> 24;
    uint64_t hms = ymdhms & 0x1FFFF;
    uint64_t ymd = ymdhms >> 17;
    t.second = static_cast<uint8_t>(hms & 0x3F);
    t.minute = static_cast<uint8_t>((hms >> 6) & 0x3F);
    t.hour = static_cast<uint8_t>(hms >> 12);
    t.day = static_cast<uint8_t>(ymd & 0x1F);
    uint64_t ym = ymd >> 5;
    t.year = static_cast<int16_t>(ym / 13);
    t.month = static_cast<uint8_t>(ym % 13);
    return t;
}

}  // namespace floe::storage
