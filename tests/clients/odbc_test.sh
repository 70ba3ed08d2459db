#!/usr/bin/env bash
# unixODBC + MariaDB Connector/ODBC against floed through a private DSN: isql (every line prepared and
# executed) and tests/clients/odbc/odbc_client.c (SQLPrepare / SQLExecute with bound parameters, transactions,
# errors, SQLTables / SQLColumns / SQLPrimaryKeys), compiled here.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
source "$root/scripts/test_server.sh"
work=${FLOE_TEST_TMP:-$root/build/test-tmp}/clients/odbc
floe_start "$work" || exit 1
trap 'floe_stop' EXIT
mariadb --no-defaults -h127.0.0.1 -P"$FLOE_PORT" -uroot -e "CREATE DATABASE odbc_db" || exit 1
cat >"$work/odbcinst.ini" <<INI
[floe-maodbc]
Driver=/usr/lib/x86_64-linux-gnu/odbc/libmaodbc.so
INI
cat >"$work/odbc.ini" <<INI
[floe]
Driver=floe-maodbc
Server=127.0.0.1
Port=$FLOE_PORT
User=root
Password=
Database=odbc_db
CHARSET=utf8mb4
INI
export ODBCSYSINI=$work ODBCINI=$work/odbc.ini

out=$(printf "SELECT 1 + 1, 'it''s', NULL\n" | isql -b -d'|' floe 2>&1 | tr -d '\r' | grep -v '^$')
check "isql: a SELECT prepared and executed" "2|it's|" "$out"
out=$(printf "SELECT * FROM no_such_table\n" | isql -b -v floe 2>&1 | head -1)
check "isql: a prepare-time error with its state" \
    "[S0002][ma-3.1.15][8.0.35-floe]Table 'odbc_db.no_such_table' doesn't exist" "$out"

gcc -O1 -Wall -o "$work/odbc_client" "$root/tests/clients/odbc/odbc_client.c" -lodbc || exit 1
"$work/odbc_client" floe || failures=$((failures + 1))
exit $((failures > 0))
