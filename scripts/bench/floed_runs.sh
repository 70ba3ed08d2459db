# Sourced by instructions.sh and alternate.sh: a scratch folder removed at exit, floed started and stopped on a
# free port, sysbench against it, and the data set both measure (4 tables x 100,000 rows, OPTIMIZE'd).
#   floe_scratch NAME        sets work (a new folder under /tmp); it and any floed left running go at exit
#   start BINARY DATADIR [wrapper...]   starts floed (under the wrapper, e.g. valgrind); sets pid and port
#   stop                     SIGTERM, and waits
#   sb ARGS...               sysbench on the running floed's sbtest database
#   make_data_set BINARY DIR the data set, made by BINARY in DIR

floe_scratch() {
    work=$(mktemp -d "/tmp/floe-$1.XXXXXX")
    pid=
    trap '[[ -n $pid ]] && kill -9 "$pid" 2>/dev/null; rm -rf "$work"' EXIT
}

start() {
    local bin=$1 data=$2
    shift 2
    : > "$work/floed.log"
    "$@" "$bin" --datadir="$data" --port=0 --socket="$work/floed.sock" > "$work/floed.log" 2>&1 &
    pid=$!
    for _ in $(seq 600); do
        port=$(grep -o 'ready for connections\. .* port: [0-9]*' "$work/floed.log" | grep -o '[0-9]*$' || true)
        [[ -n $port ]] && return 0
        kill -0 "$pid" 2>/dev/null || { cat "$work/floed.log" >&2; exit 1; }
        sleep 0.2
    done
    echo "floed did not start" >&2
    exit 1
}

stop() {
    kill -TERM "$pid"
    wait "$pid" 2>/dev/null || true
    pid=
}

sb() {
    sysbench --db-driver=mysql --mysql-host=127.0.0.1 --mysql-port="$port" --mysql-user=root \
        --mysql-db=sbtest --tables=4 --table-size=100000 --rand-type=uniform "$@"
}

make_data_set() {
    start "$(realpath "$1")" "$2"
    mariadb -h127.0.0.1 -P"$port" -uroot -e "CREATE DATABASE sbtest"
    sb --threads=4 oltp_read_only prepare > /dev/null
    for t in 1 2 3 4; do mariadb -h127.0.0.1 -P"$port" -uroot sbtest -e "OPTIMIZE TABLE sbtest$t" > /dev/null; done
    stop
}
