#!/usr/bin/env bash
# sysbench 1.0 oltp_read_write against floed: prepare, 4 threads for SYSBENCH_SECONDS (20) with prepared
# statements (--db-ps-mode=auto: the binary protocol, BEGIN / COMMIT prepared too) and with plain queries
# (--db-ps-mode=disable), cleanup. sysbench must exit 0; each sbtest table keeps its row count (every
# transaction deletes and re-inserts the same id); deadlock victims (1213, which sysbench retries) stay rare.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
source "$root/scripts/test_server.sh"
work=${FLOE_TEST_TMP:-$root/build/test-tmp}/clients/sysbench
floe_start "$work" || exit 1
trap 'floe_stop' EXIT
seconds=${SYSBENCH_SECONDS:-20}
rows=10000

failures=0
fail() { echo "FAIL - $*"; failures=$((failures + 1)); }
db() { mariadb --no-defaults -h127.0.0.1 -P"$FLOE_PORT" -uroot -N -B "$@"; }
sb() {
    sysbench oltp_read_write --db-driver=mysql --mysql-host=127.0.0.1 --mysql-port="$FLOE_PORT" --mysql-user=root \
        --mysql-db=sbtest --tables=2 --table-size=$rows --threads=4 "$@"
}

db -e "CREATE DATABASE sbtest" || fail "CREATE DATABASE"
sb prepare >"$work/prepare.log" 2>&1 || { fail "prepare"; cat "$work/prepare.log"; }
for mode in auto disable; do
    sb --time="$seconds" --db-ps-mode=$mode --report-interval=0 run >"$work/run-$mode.log" 2>&1
    rc=$?
    txns=$(sed -nE 's/^ +transactions: +([0-9]+).*/\1/p' "$work/run-$mode.log")
    ignored=$(sed -nE 's/^ +ignored errors: +([0-9]+).*/\1/p' "$work/run-$mode.log")
    echo "db-ps-mode=$mode: exit $rc, $txns transactions, $ignored ignored errors (deadlock victims retried)"
    if [[ $rc != 0 || -z $txns ]] || grep -q FATAL "$work/run-$mode.log"; then
        fail "run --db-ps-mode=$mode"
        tail -20 "$work/run-$mode.log"
        continue
    fi
    ((txns > 0)) || fail "run --db-ps-mode=$mode: no transactions"
    ((ignored * 100 <= txns)) || fail "run --db-ps-mode=$mode: $ignored of $txns transactions failed"
    for t in sbtest1 sbtest2; do
        n=$(db -e "SELECT COUNT(*) FROM sbtest.$t")
        [[ $n == "$rows" ]] && echo "ok   - $mode: $t still has $rows rows" || fail "$mode: $t has $n rows, not $rows"
    done
done
db -e "SHOW GLOBAL STATUS LIKE 'Com_stmt_prepare'" | awk '{ if ($2 < 4) { print "FAIL - no statements were prepared"; exit 1 } }' ||
    failures=$((failures + 1))
sb cleanup >"$work/cleanup.log" 2>&1 || fail "cleanup"
n=$(db -e "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'sbtest'")
[[ $n == 0 ]] && echo "ok   - cleanup dropped the tables" || fail "cleanup left $n tables"
exit $((failures > 0))
