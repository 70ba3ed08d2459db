#!/usr/bin/env bash
# Runs one mariadb-test transcript (tests/sql/t/<area>/<name>.test) against a fresh floed and compares it with
# tests/sql/r/<area>/<name>.result.   --record writes the .result instead (review it before committing).
# Usage: scripts/run_sql_tests.sh [--record] tests/sql/t/area/name.test [more.test ...]
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/scripts/test_server.sh"
record=
if [[ ${1:-} == --record ]]; then
    record=--record
    shift
fi
status=0
for test in "$@"; do
    test=$(cd "$(dirname "$test")" && pwd)/$(basename "$test")
    rel=${test#"$root"/tests/sql/t/}
    result=$root/tests/sql/r/${rel%.test}.result
    work=${FLOE_TEST_TMP:-$root/build/test-tmp}/sql/${rel%.test}
    mkdir -p "$(dirname "$result")"
    # A test may ask for server options on its first line: "# floed-options: --lock-wait-timeout=2"
    opts=$(sed -nE '1s/^# floed-options: (.*)$/\1/p' "$test")
    # shellcheck disable=SC2086
    floe_start "$work" $opts || { status=1; continue; }
    mkdir -p "$work/mt"
    # Transcripts write their data files (LOAD DATA) under $MYSQL_TMP_DIR, as in MariaDB's own suite, and
    # source shared snippets (wait_condition.inc) from $FLOE_SQL_INCLUDE.
    (cd "$work/mt" && MYSQL_TMP_DIR="$work/mt" FLOE_SQL_INCLUDE="$root/tests/sql/include" mariadb-test --host=127.0.0.1 --port="$FLOE_PORT" --user=root --silent \
        --tmpdir="$work/mt" --logdir="$work/mt" --test-file="$test" --result-file="$result" $record)
    rc=$?
    floe_stop || rc=1
    if [[ $rc != 0 ]]; then
        echo "FAILED: $rel (server log: $FLOE_LOG)"
        status=1
    fi
done
exit $status
