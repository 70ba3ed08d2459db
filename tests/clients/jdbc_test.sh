#!/usr/bin/env bash
# MariaDB Connector/J (Debian's libmariadb-java, 2.7) with Java 17 against floed: tests/clients/jdbc/JdbcTest.java,
# compiled here into the test directory.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
source "$root/scripts/test_server.sh"
work=${FLOE_TEST_TMP:-$root/build/test-tmp}/clients/jdbc
floe_start "$work" || exit 1
trap 'floe_stop' EXIT
jar=/usr/share/java/mariadb-java-client.jar
mkdir -p "$work/classes"
javac -d "$work/classes" -cp "$jar" "$root/tests/clients/jdbc/JdbcTest.java" || exit 1
java -cp "$work/classes:$jar" JdbcTest "$FLOE_PORT"
