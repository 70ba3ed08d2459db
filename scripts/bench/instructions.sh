#!/usr/bin/env bash
# Instructions per query of floed builds, counted by valgrind's callgrind: the same sysbench queries (fixed
# seed, fixed count, one client thread) against each build on copies of one data set. Throughput on this
# shared 2-core machine moves 10-20 % between runs; instruction counts repeat within about 0.3 %, so this is
# the measure for changes smaller than the noise (it does not see cache misses, lock waits or system calls).
# Not a test.
#
#   scripts/bench/instructions.sh [options] FLOED [FLOED...]
#     --workload W     a sysbench oltp_* workload (default oltp_read_only)
#     --args "..."     more sysbench options (default: one simple range per transaction, no BEGIN/COMMIT:
#                      "--point_selects=0 --sum_ranges=0 --order_ranges=0 --distinct_ranges=0 --skip_trx=on")
#     --events N       queries' transactions to count (default 1000; under callgrind a range query takes ~10 ms)
#     --warmup N       transactions run first, not counted (default 3000: the block cache warms up)
#     --keep DIR       keep each build's callgrind dump in DIR (callgrind_annotate DIR/1.out: where they went)
#
#   scripts/bench/instructions.sh build-release/server/floed /tmp/floed.before
#
# The data set (sysbench, 4 tables x 100,000 rows) is made once with the first build, then copied for each.
set -euo pipefail

workload=oltp_read_only
args="--point_selects=0 --sum_ranges=0 --order_ranges=0 --distinct_ranges=0 --skip_trx=on"
events=1000
warmup=3000
keep=
while [[ $# -gt 0 && $1 == --* ]]; do
    case $1 in
        --workload) workload=$2; shift 2 ;;
        --args) args=$2; shift 2 ;;
        --events) events=$2; shift 2 ;;
        --warmup) warmup=$2; shift 2 ;;
        --keep) keep=$2; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
[[ $# -ge 1 ]] || { sed -n '2,18p' "$0"; exit 2; }

for tool in valgrind callgrind_control sysbench mariadb; do
    if ! command -v $tool >/dev/null; then
        echo "Installing valgrind, sysbench and the mariadb client" >&2
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
            valgrind sysbench mariadb-client >/dev/null
        break
    fi
done

source "$(dirname "$0")/floed_runs.sh"
floe_scratch instructions

make_data_set "$1" "$work/base"

printf '%-40s %10s %16s %8s\n' build queries instructions/q ratio
first=
n=0
for bin in "$@"; do
    n=$((n + 1))
    rm -rf "$work/data" "$work"/callgrind.out.*
    cp -r "$work/base" "$work/data"
    start "$(realpath "$bin")" "$work/data" valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.out.%p"
    # $args is a list of options: split on spaces on purpose.
    # shellcheck disable=SC2086
    sb --threads=1 --time=0 --events="$warmup" --rand-seed=3 $args "$workload" run > /dev/null
    callgrind_control -z "$pid" > /dev/null 2>&1
    # shellcheck disable=SC2086
    sb --threads=1 --time=0 --events="$events" --rand-seed=7 $args "$workload" run > "$work/sysbench.out"
    callgrind_control -d "$pid" > /dev/null 2>&1
    queries=$(awk '/queries:/ {print $2; exit}' "$work/sysbench.out")
    dump=$(ls -t "$work"/callgrind.out.*.* | head -1)
    ir=$(awk '/^(summary|totals):/ {print $2; exit}' "$dump")
    per=$((ir / queries))
    if [[ -n $keep ]]; then
        mkdir -p "$keep"
        cp "$dump" "$keep/$n.out"
    fi
    [[ -z $first ]] && first=$per
    printf '%-40s %10s %16s %8s\n' "$bin" "$queries" "$per" "$(awk -v a="$per" -v b="$first" 'BEGIN {printf "%.3f", a / b}')"
    stop
done
