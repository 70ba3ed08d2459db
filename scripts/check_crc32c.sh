#!/usr/bin/env bash
# Fails when a binary holds RocksDB's own CRC32C (crc32c.cc of Debian's portable librocksdb, table-driven)
# instead of floe's storage/crc32c.cc: they define the same functions, so which one the linker takes depends on
# the link order; this says when a change to it brings the slow one back.
# Usage: scripts/check_crc32c.sh BINARY
set -euo pipefail
bin=$1
symbols=$(nm -C "$bin")
if grep -q "Slow_CRC32" <<<"$symbols"; then
    echo "$bin: RocksDB's table-driven CRC32C (crc32c::Slow_CRC32) is linked in instead of storage/crc32c.cc" >&2
    exit 1
fi
if ! grep -q "floe::storage::crc32c_hardware" <<<"$symbols"; then
    echo "$bin: storage/crc32c.cc is not linked in" >&2
    exit 1
fi
echo "$bin: RocksDB's CRC32C is floe's (storage/crc32c.cc)"
