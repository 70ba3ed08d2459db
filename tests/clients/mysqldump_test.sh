#!/usr/bin/env bash
# mariadb-dump (mysqldump) of a database with tables, indexes, a view and NULL / binary / UTF-8 data, reloaded
# through the mariadb CLI into a new database: identical rows (checksummed) and identical SHOW CREATE output.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
source "$root/scripts/test_server.sh"
work=${FLOE_TEST_TMP:-$root/build/test-tmp}/clients/mysqldump
floe_start "$work" || exit 1
trap 'floe_stop' EXIT
db() { mariadb --no-defaults --default-character-set=utf8mb4 -h127.0.0.1 -P"$FLOE_PORT" -uroot "$@"; }

db <<'SQL' || exit 1
CREATE DATABASE src;
USE src;
CREATE TABLE items (id INT NOT NULL AUTO_INCREMENT, name VARCHAR(100) NOT NULL, note VARCHAR(255) DEFAULT NULL,
  qty INT NOT NULL DEFAULT 0, price DECIMAL(10,2) DEFAULT NULL, created DATETIME DEFAULT NULL, raw VARBINARY(16),
  big BIGINT UNSIGNED, PRIMARY KEY (id), UNIQUE KEY uk_name (name), KEY k_qty (qty)) DEFAULT CHARSET=utf8mb4;
INSERT INTO items (name, note, qty, price, created, raw, big) VALUES
  ('apple', NULL, 3, 1.50, '2024-01-02 03:04:05', x'00ff0a0d27', 18446744073709551615),
  ('O\'Brien "q" \\ x', 'it\'s', 5, 2.25, NULL, NULL, 0),
  ('café 😀 日本', 'line1\nline2\ttab', 7, NULL, '2025-12-31 23:59:59', x'', NULL);
CREATE TABLE empty_t (a INT PRIMARY KEY, b TEXT);
CREATE TABLE nopk (x INT, y VARCHAR(10), KEY kx (x));
INSERT INTO nopk VALUES (1, 'a'), (1, 'a'), (NULL, NULL);
CREATE VIEW v_items AS SELECT id, name FROM items WHERE qty > 4;
SQL

mariadb-dump --no-defaults --default-character-set=utf8mb4 -h127.0.0.1 -P"$FLOE_PORT" -uroot src >"$work/dump.sql" 2>"$work/dump.err"
check "mariadb-dump exits 0" "0" "$?$(cat "$work/dump.err")"
db -e "CREATE DATABASE copy" && db copy <"$work/dump.sql"
check "the dump reloads through the CLI" "0" "$?"

for t in items empty_t nopk v_items; do
    a=$(db -N -B src -e "SELECT * FROM $t ORDER BY 1, 2" | sha256sum)
    b=$(db -N -B copy -e "SELECT * FROM $t ORDER BY 1, 2" | sha256sum)
    check "rows of $t identical" "$a" "$b"
    a=$(db -N -B src -e "SHOW CREATE TABLE $t" | sed 's/`src`\.//g')
    b=$(db -N -B copy -e "SHOW CREATE TABLE $t" | sed 's/`copy`\.//g')
    check "SHOW CREATE TABLE $t identical" "$a" "$b"
done
out=$(db -N -B copy -e "SELECT HEX(raw), big, note IS NULL FROM items ORDER BY id")
check "binary, unsigned and NULL values survive" $'00FF0A0D27\t18446744073709551615\t1\nNULL\t0\t0\n\tNULL\t0' "$out"
out=$(db -N -B copy -e "SELECT name FROM items WHERE id = 3")
check "4-byte UTF-8 survives" "café 😀 日本" "$out"
out=$(db -N -B copy -e "SELECT INDEX_NAME, COLUMN_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = 'copy' AND TABLE_NAME = 'items' ORDER BY 1")
check "indexes recreated" $'k_qty\tqty\nPRIMARY\tid\nuk_name\tname' "$out"
out=$(db -N -B copy -e "INSERT INTO items (name) VALUES ('next'); SELECT id FROM items WHERE name = 'next'")
check "AUTO_INCREMENT continues after the dumped rows" "4" "$out"

# --single-transaction (a consistent snapshot instead of LOCK TABLES) dumps the same rows.
mariadb-dump --no-defaults --default-character-set=utf8mb4 --single-transaction -h127.0.0.1 -P"$FLOE_PORT" -uroot src \
    >"$work/dump2.sql" 2>"$work/dump2.err"
check "--single-transaction dump" "0" "$?$(cat "$work/dump2.err")"
check "both dumps hold the same data" "$(grep '^INSERT' "$work/dump.sql")" "$(grep '^INSERT' "$work/dump2.sql")"
exit $((failures > 0))
