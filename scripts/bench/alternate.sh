#!/usr/bin/env bash
# Throughput and server CPU per query of floed builds, alternated: round after round, each build runs the same
# sysbench workload on a fresh copy of one data set. On this shared 2-core machine one run moves 10-20 %;
# alternating builds in the same minutes, and reading floed's own CPU time per query (/proc, user + system),
# says more than any single grid. (A build's CPU per query moves less than its throughput, but it moves too.) Not a test.
#
#   scripts/bench/alternate.sh [options] FLOED [FLOED...]
#     --workload W     a sysbench oltp_* workload (default oltp_write_only)
#     --threads N      sysbench threads (default 8)
#     --seconds S      per run (default 15)
#     --rounds R       rounds (default 3)
#     --args "..."     more sysbench options
#     --first W        run workload W first for the same time, not measured (as the grid runs a cell after
#                      another's leftovers: oltp_read_write after oltp_write_only's level-0 files and memtables)
#
#   scripts/bench/alternate.sh --workload oltp_point_select /tmp/floed.before build-release/server/floed
#
# The data set (sysbench, 4 tables x 100,000 rows, OPTIMIZE'd) is made once with the first build.
set -euo pipefail

workload=oltp_write_only
threads=8
seconds=15
rounds=3
args=
first=
while [[ $# -gt 0 && $1 == --* ]]; do
    case $1 in
        --workload) workload=$2; shift 2 ;;
        --threads) threads=$2; shift 2 ;;
        --seconds) seconds=$2; shift 2 ;;
        --rounds) rounds=$2; shift 2 ;;
        --args) args=$2; shift 2 ;;
        --first) first=$2; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
[[ $# -ge 1 ]] || { sed -n '2,17p' "$0"; exit 2; }

for tool in sysbench mariadb; do
    if ! command -v $tool >/dev/null; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
            sysbench mariadb-client >/dev/null
        break
    fi
done

source "$(dirname "$0")/floed_runs.sh"
floe_scratch alternate
user_ticks() { awk '{print $14}' "/proc/$pid/stat"; }
system_ticks() { awk '{print $15}' "/proc/$pid/stat"; }

make_data_set "$1" "$work/base"

hz=$(getconf CLK_TCK)
printf '%-6s %-40s %10s %16s %16s\n' round build qps "us user/query" "us system/query"
for round in $(seq "$rounds"); do
    for bin in "$@"; do
        rm -rf "$work/data"
        cp -r "$work/base" "$work/data"
        start "$(realpath "$bin")" "$work/data"
        if [[ -n $first ]]; then sb --threads="$threads" --time="$seconds" "$first" run > /dev/null; fi
        user0=$(user_ticks)
        system0=$(system_ticks)
        # $args is a list of options: split on spaces on purpose.
        # shellcheck disable=SC2086
        sb --threads="$threads" --time="$seconds" $args "$workload" run > "$work/sysbench.out"
        user1=$(user_ticks)
        system1=$(system_ticks)
        queries=$(awk '/queries:/ {print $2; exit}' "$work/sysbench.out")
        qps=$(awk '/queries:/ {gsub(/[(]/, "", $3); print int($3); exit}' "$work/sysbench.out")
        per_query() { awk -v t="$1" -v hz="$hz" -v q="$queries" 'BEGIN {printf "%.1f", t / hz * 1e6 / q}'; }
        printf '%-6s %-40s %10s %16s %16s\n' "$round" "$bin" "$qps" "$(per_query $((user1 - user0)))" \
            "$(per_query $((system1 - system0)))"
        stop
    done
done
