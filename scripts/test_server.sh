#!/usr/bin/env bash
# Start and stop a floed for tests. Source it, then:
#   floe_start DIR [floed options...]   starts floed with a fresh datadir DIR/data on a free port;
#                                       sets FLOE_PORT, FLOE_PID, FLOE_SOCKET, FLOE_LOG
#   floe_stop                           SIGTERM, waits, fails if floed did not exit cleanly
#   check NAME EXPECTED ACTUAL          prints ok / FAIL with both values; counts failures in $failures
# FLOED names the binary (default: build/server/floed).
FLOED=${FLOED:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/build/server/floed}

floe_start() {
    local dir=$1
    shift
    rm -rf "$dir"
    mkdir -p "$dir"
    FLOE_LOG=$dir/floed.log
    # Unix socket paths are limited to 107 bytes, so the socket lives in /tmp, not in a deep checkout.
    FLOE_SOCKET=${TMPDIR:-/tmp}/floe-test-$$-$(basename "$dir").sock
    "$FLOED" --datadir="$dir/data" --port=0 --socket="$FLOE_SOCKET" "$@" >"$FLOE_LOG" 2>&1 &
    FLOE_PID=$!
    local i
    for i in $(seq 1 200); do
        if grep -q 'ready for connections' "$FLOE_LOG" 2>/dev/null; then
            FLOE_PORT=$(sed -nE 's/.*ready for connections.* port: ([0-9]+).*/\1/p' "$FLOE_LOG")
            export FLOE_PORT FLOE_PID FLOE_SOCKET FLOE_LOG
            return 0
        fi
        if ! kill -0 "$FLOE_PID" 2>/dev/null; then
            echo "floed exited during start-up:" >&2
            cat "$FLOE_LOG" >&2
            return 1
        fi
        sleep 0.05
    done
    echo "floed did not become ready in 10 s:" >&2
    cat "$FLOE_LOG" >&2
    kill -9 "$FLOE_PID" 2>/dev/null
    return 1
}

floe_stop() {
    [[ -n ${FLOE_PID:-} ]] || return 0
    kill -TERM "$FLOE_PID" 2>/dev/null
    local rc=0
    wait "$FLOE_PID" || rc=$?
    FLOE_PID=
    if [[ $rc != 0 ]]; then
        echo "floed exited with status $rc on SIGTERM; its log:" >&2
        tail -20 "$FLOE_LOG" >&2
        return 1
    fi
}

failures=0
check() {  # check NAME EXPECTED ACTUAL
    if [[ "$2" == "$3" ]]; then
        echo "ok   - $1"
    else
        echo "FAIL - $1"
        echo "  expected: $(printf '%q' "$2")"
        echo "  actual:   $(printf '%q' "$3")"
        failures=$((failures + 1))
    fi
}
