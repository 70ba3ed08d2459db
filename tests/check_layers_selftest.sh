#!/usr/bin/env bash
# Proves the layer check can fail: plants an upward include and a stray RocksDB include in a scratch tree.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/common" "$tmp/sql"
echo '#include "sql/session.h"' >"$tmp/common/bad.h"
if "$root/scripts/check_layers.sh" "$tmp" >/dev/null; then
    echo "check_layers.sh accepted common/ including sql/"
    exit 1
fi
echo '#include "common/error.h"' >"$tmp/common/bad.h"
echo '#include <rocksdb/db.h>' >"$tmp/sql/bad.cc"
if "$root/scripts/check_layers.sh" "$tmp" >/dev/null; then
    echo "check_layers.sh accepted a RocksDB include in sql/"
    exit 1
fi
rm "$tmp/sql/bad.cc"
"$root/scripts/check_layers.sh" "$tmp" >/dev/null
echo "layer check self-test ok"
