#!/usr/bin/env bash
# Installs what floe needs on Debian 12 (apt-get, as root). Sourced by scripts/run and scripts/test.
#   floe_install_deps build   compiler, CMake, libraries
#   floe_install_deps test    the above, plus every test peer (clients, drivers, MariaDB for comparisons)
#   floe_install_deps bench   the test set, plus MariaDB's MyRocks engine and mariabackup (scripts/bench/)
floe_build_packages=(
    build-essential cmake ninja-build ccache pkg-config
    librocksdb-dev libboost1.81-dev libboost-program-options1.81-dev libboost-json1.81-dev
    libssl-dev libspdlog-dev libfmt-dev openssl libjemalloc-dev
)
floe_test_packages=(
    catch2 mariadb-client mariadb-test python3 python3-pymysql python3-cryptography
    mariadb-server sysbench libmariadb-java odbc-mariadb unixodbc unixodbc-dev python3-mysqldb
    openjdk-17-jdk-headless
)
floe_bench_packages=(mariadb-plugin-rocksdb mariadb-backup)

floe_install_deps() {
    local want=("${floe_build_packages[@]}")
    [[ ${1:-build} == test || ${1:-build} == bench ]] && want+=("${floe_test_packages[@]}")
    [[ ${1:-build} == bench ]] && want+=("${floe_bench_packages[@]}")
    local missing=()
    local p
    for p in "${want[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    # Node.js and npm (for the mysql2 driver test): Debian's, unless a Node with npm is installed already.
    if [[ ${1:-build} != build ]] && ! command -v npm >/dev/null; then
        missing+=(nodejs npm)
    fi
    ((${#missing[@]} == 0)) && return 0
    echo "Installing: ${missing[*]}"
    local sudo=
    [[ $(id -u) != 0 ]] && sudo=sudo
    $sudo apt-get update -qq
    # The test peers include mariadb-server; keep its service from starting inside the install.
    DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}
