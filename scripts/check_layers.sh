#!/usr/bin/env bash
# Fails when a layer includes a layer above it (docs/architecture.md: server -> sql -> backup -> storage ->
# locking -> common), or when RocksDB headers appear outside storage/ and backup/.
# Usage: scripts/check_layers.sh [ROOT]   (default: this checkout)
set -euo pipefail
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root"

declare -A allowed=(
    [common]="common"
    [locking]="common locking"
    [storage]="common locking storage"
    [backup]="common locking storage backup"
    [sql]="common locking storage backup sql"
    [server]="common locking storage backup sql server"
)
layers="common locking storage backup sql server"
status=0
for layer in $layers; do
    [[ -d $layer ]] || continue
    while IFS= read -r line; do
        file=${line%%:*}
        inc=$(sed -E 's/.*#include "([a-z_]+)\/.*/\1/' <<<"${line#*:}")
        [[ " $layers " == *" $inc "* ]] || continue
        if [[ " ${allowed[$layer]} " != *" $inc "* ]]; then
            echo "upward include: $file includes $inc/ (a $layer file may include only: ${allowed[$layer]})"
            status=1
        fi
    done < <(grep -rnE '^\s*#\s*include\s+"[a-z_]+/' "$layer" --include='*.h' --include='*.cc' | sed -E 's/^([^:]+):[0-9]+:/\1:/')
    if [[ $layer != storage && $layer != backup ]]; then
        if grep -rnE '#\s*include\s*<rocksdb/' "$layer" --include='*.h' --include='*.cc'; then
            echo "RocksDB headers belong to storage/ and backup/ only (found in $layer/)"
            status=1
        fi
    fi
done
[[ $status == 0 ]] && echo "layers ok"
exit $status
