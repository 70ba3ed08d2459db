#!/usr/bin/env bash
# The real mariadb command-line client against floed: -e, batch scripts on stdin, --ssl, a wrong password,
# an error followed by more statements on the same connection (--force), the Unix socket.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
source "$root/scripts/test_server.sh"
work=${FLOE_TEST_TMP:-$root/build/test-tmp}/clients/cli
floe_start "$work" || exit 1
trap 'floe_stop' EXIT

db() { mariadb --no-defaults -h127.0.0.1 -P"$FLOE_PORT" -uroot "$@"; }

out=$(db -B -e 'SELECT 1+1, @@version_comment, DATABASE(), CONNECTION_ID() > 0' 2>&1)
check "-e with a select of literals, functions and variables" \
    $'1+1\t@@version_comment\tDATABASE()\tCONNECTION_ID() > 0\n2\tfloe server - MySQL protocol on RocksDB\tNULL\t1' "$out"

out=$(db --ssl -N -B -e "SHOW STATUS LIKE 'Ssl_cipher'" 2>&1 | cut -f2)
[[ -n $out ]] && check "--ssl: Ssl_cipher is not empty" 1 1 || check "--ssl: Ssl_cipher is not empty" "a cipher" "$out"
out=$(db --skip-ssl -N -B -e "SHOW STATUS LIKE 'Ssl_cipher'" 2>&1 | cut -f2)
check "--skip-ssl: Ssl_cipher is empty" "" "$out"

out=$(db -pwrong -e 'SELECT 1' 2>&1)
check "wrong password -> 1045" \
    "ERROR 1045 (28000): Access denied for user 'root'@'127.0.0.1' (using password: YES)" "$out"

out=$(printf 'SELEC 1;\nSELECT 2;\n' | db -B -N --force 2>&1)
# (the client echoes the failing statement between dashes when reading a script)
check "1064, and the next statement on the same connection works" \
    $'--------------\nSELEC 1\n--------------\n\nERROR 1064 (42000) at line 1: You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near \'SELEC 1\' at line 1\n2' "$out"

out=$(printf 'SELEC 1;\nSELECT 2;\n' | db -B -N 2>&1; echo "exit=$?")
check "without --force the batch stops at the error" \
    $'--------------\nSELEC 1\n--------------\n\nERROR 1064 (42000) at line 1: You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near \'SELEC 1\' at line 1\nexit=1' "$out"

cat >"$work/script.sql" <<'SQL'
-- a script as a user writes it
SET @greeting = 'hello';  # hash comment
/* block
   comment */
SELECT CONCAT(@greeting, ', ', 'world') AS msg;
SET NAMES utf8mb4;
SELECT 'O\'Brien "q" \\ x' AS escaped, 'café 😀 日本' AS utf8, LENGTH('😀') AS bytes;
/*!40101 SET @x = 40101 */;
/*!99999 SET @x = 99999 */;
SELECT @x, 7 DIV 2, 7 / 2, 1/0, NULL IS NULL;
SHOW WARNINGS;
SHOW VARIABLES LIKE 'autocommit';
SQL
out=$(db -B --default-character-set=utf8mb4 <"$work/script.sql" 2>&1)
expected=$'msg\nhello, world\nescaped\tutf8\tbytes\nO\'Brien "q" \\\\ x\tcafé 😀 日本\t4\n@x\t7 DIV 2\t7 / 2\t1/0\tNULL IS NULL\n40101\t3\t3.5000\tNULL\t1\nLevel\tCode\tMessage\nWarning\t1365\tDivision by 0\nVariable_name\tValue\nautocommit\tON'
check "a script with comments, escapes, UTF-8, executable comments and warnings" "$expected" "$out"

out=$(printf 'SELECT 1; SELECT 2' | db -B -N 2>&1)
check "two statements on one line" $'1\n2' "$out"

out=$(mariadb --no-defaults -S "$FLOE_SOCKET" -uroot -N -B -e 'SELECT USER(), CURRENT_USER()' 2>&1)
check "Unix socket" $'root@localhost\troot@%' "$out"

out=$(db -N -B -e 'SELECT @@max_allowed_packet, @@autocommit, @@transaction_isolation, @@sql_mode' 2>&1)
check "variables drivers read" \
    $'67108864\t1\tREAD-COMMITTED\tONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION' "$out"

if [[ $failures != 0 ]]; then
    echo "$failures check(s) failed; server log: $FLOE_LOG"
    exit 1
fi
echo "all cli checks passed"
