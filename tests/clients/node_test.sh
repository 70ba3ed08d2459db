#!/usr/bin/env bash
# Node's mysql2 driver (3.x, from the npm registry, cached under build/) against floed:
# tests/clients/node/mysql2_test.js.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
source "$root/scripts/test_server.sh"
work=${FLOE_TEST_TMP:-$root/build/test-tmp}/clients/node
modules=${FLOE_NODE_MODULES:-$root/build/node-deps}
if [[ ! -d $modules/node_modules/mysql2 ]]; then
    mkdir -p "$modules"
    (cd "$modules" && npm install --silent --no-audit --no-fund mysql2@3 >npm.log 2>&1) || { cat "$modules/npm.log"; exit 1; }
fi
floe_start "$work" || exit 1
trap 'floe_stop' EXIT
NODE_PATH=$modules/node_modules node "$root/tests/clients/node/mysql2_test.js" "$FLOE_PORT"
