#!/usr/bin/python3
"""LOAD DATA LOCAL INFILE through PyMySQL (local_infile=True), checked against Debian's MariaDB: the same files
and statements on both servers must give the same rows, affected-row counts, info line and warning codes.

Cases cover MySQL's reading rules: TSV defaults with escapes (\\N, \\t, \\\\), CSV with enclosing quotes
(doubled and escaped quotes, separators and line breaks inside quotes, NULL vs "NULL"), CRLF lines, multi-byte
separators, LINES STARTING BY, IGNORE n LINES, column lists with @variables and SET, too few / too many
fields, bad values, NULL into NOT NULL, duplicates (skipped) and REPLACE, AUTO_INCREMENT, empty files.
Then floe-only checks: a 100,000-row file, the error when the client does not allow local files, the
server-side LOAD DATA INFILE refusal, unknown table / column errors before the file is sent, and that a
multi-statement query with a LOAD in the middle runs every statement.
"""
import os
import shutil
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import pymysql  # noqa: E402
from floe import TMP, Floed  # noqa: E402
from mariadb_server import MariaDB  # noqa: E402

WORK = os.path.join(TMP, "py", "load_data_files")

TABLES = {
    "t": "CREATE TABLE t (id INT PRIMARY KEY, s VARCHAR(30), n INT, d DATE)",
    "nn": "CREATE TABLE nn (id INT PRIMARY KEY, s VARCHAR(10) NOT NULL, n INT NOT NULL DEFAULT 7)",
    "ai": "CREATE TABLE ai (id INT AUTO_INCREMENT PRIMARY KEY, s VARCHAR(20), u VARCHAR(20))",
    "one": "CREATE TABLE one (s VARCHAR(20))",
}

# (name, file bytes, statement with {f} for the file, table to read back)
CASES = [
    ("tsv_defaults", b"1\tab\t10\t2024-01-02\n2\t\\N\t\\N\t\\N\n3\tx\\ty\\\\z\t-3\t2023-12-31\n4\tline\\nbreak\t0\t2024-02-29",
     "LOAD DATA LOCAL INFILE '{f}' INTO TABLE t", "t"),
    ("tsv_empty_fields", b"1\t\t\n2\t\t5\n",
     "LOAD DATA LOCAL INFILE '{f}' INTO TABLE t (id, s, n)", "t"),
    ("csv_quoted", b'1,"a,b",1,2024-01-01\n2,"q""uote",2,2024-01-02\n3,NULL,NULL,NULL\n4,"NULL",4,2024-03-03\n'
                   b'5,"multi\nline",5,2024-01-05\n6,"esc\\"aped",6,2024-01-06\n7,"",7,2024-01-07\n',
     "LOAD DATA LOCAL INFILE '{f}' INTO TABLE t FIELDS TERMINATED BY ',' ENCLOSED BY '\"'", "t"),
    ("csv_optionally_crlf_header", b'id,s,n,d\r\n1,"x",1,2024-01-01\r\n2,y,2,2024-01-02\r\n',
     "LOAD DATA LOCAL INFILE '{f}' INTO TABLE t FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '\"' "
     "LINES TERMINATED BY '\\r\\n' IGNORE 1 LINES", "t"),
    ("multibyte_separators", b"1||a||1||2024-01-01##2||b||2||2024-01-02##",
     "LOAD DATA LOCAL INFILE '{f}' INTO TABLE t COLUMNS TERMINATED BY '||' LINES TERMINATED BY '##'", "t"),
    ("lines_starting_by", b"xxx1\ta\nskip me\nyyyxxx2\tb\nxxx3\tc\n",
     "LOAD DATA LOCAL INFILE '{f}' INTO TABLE t LINES STARTING BY 'xxx' (id, s)", "t"),
    ("ignore_lines", b"junk\nmore junk\n1\ta\n2\tb\n",
     "LOAD DATA LOCAL INFILE '{f}' INTO TABLE t IGNORE 2 ROWS (id, s)", "t"),
    ("column_list_vars_set", b"a\t1\tfoo\nb\t2\tbar\n",
     "LOAD DATA LOCAL INFILE '{f}' INTO TABLE t (s, id, @x) SET n = LENGTH(@x) * id, d = '2024-05-05'", "t"),
    ("set_from_column", b"1\tabc\n2\tde\n",
     "LOAD DATA LOCAL INFILE '{f}' INTO TABLE t (id, s) SET n = LENGTH(s)", "t"),
    ("too_few_too_many", b"1\ta\n2\tb\t3\t2024-01-01\textra\tmore\n3\n",
     "LOAD DATA LOCAL INFILE '{f}' INTO TABLE t", "t"),
    ("bad_values", b"1\ta\tnotanumber\n2\tb\t12abc\n3\tc\t99999999999\n4\td\t 7 \n5\te\t1e2\n6\tf\t2.5\n",
     "LOAD DATA LOCAL INFILE '{f}' INTO TABLE t (id, s, n)", "t"),
    ("numeric_dates", b"1\t20240105\n2\t2024-1-5\n3\t240229\n",
     "LOAD DATA LOCAL INFILE '{f}' INTO TABLE t (id, d)", "t"),
    ("null_into_not_null", b"1\t\\N\t\\N\n2\tok\t3\n3\n",
     "LOAD DATA LOCAL INFILE '{f}' INTO TABLE nn", "nn"),
    ("duplicates_skipped", b"1\ta\n1\tb\n2\tc\n2\td\n",
     "LOAD DATA LOCAL INFILE '{f}' INTO TABLE t (id, s)", "t"),
    ("duplicates_replace", b"1\ta\n1\tb\n2\tc\n2\td\n",
     "LOAD DATA LOCAL INFILE '{f}' REPLACE INTO TABLE t (id, s)", "t"),
    ("auto_increment", b"a\tA\nb\tB\nc\tC\n",
     "LOAD DATA LOCAL INFILE '{f}' INTO TABLE ai (s, u)", "ai"),
    ("auto_increment_given_zero_and_null", b"0\ta\n\\N\tb\n10\tc\n0\td\n",
     "LOAD DATA LOCAL INFILE '{f}' INTO TABLE ai (id, s)", "ai"),
    ("empty_file", b"", "LOAD DATA LOCAL INFILE '{f}' INTO TABLE t", "t"),
    ("empty_lines", b"\n\nx\n\n", "LOAD DATA LOCAL INFILE '{f}' INTO TABLE one", "one"),
    ("no_escape", b"1\ta\\Nb\t1\n2\t\\N\t2\n",
     "LOAD DATA LOCAL INFILE '{f}' INTO TABLE t FIELDS ESCAPED BY '' (id, s, n)", "t"),
    ("unterminated_quote", b'1,"open,1\n2,"x",2\n',
     "LOAD DATA LOCAL INFILE '{f}' INTO TABLE t FIELDS TERMINATED BY ',' ENCLOSED BY '\"' (id, s, n)", "t"),
    ("quote_inside_plain_field", b'1,ab"c,1\n2,"x"y",2\n',
     "LOAD DATA LOCAL INFILE '{f}' INTO TABLE t FIELDS TERMINATED BY ',' ENCLOSED BY '\"' (id, s, n)", "t"),
    ("utf8", "1\tgrüße\n2\t日本語\n".encode(),
     "LOAD DATA LOCAL INFILE '{f}' INTO TABLE t CHARACTER SET utf8mb4 (id, s)", "t"),
]


def outcome(conn, name, data, stmt, table):
    path = os.path.join(WORK, name + ".txt")
    with open(path, "wb") as f:
        f.write(data)
    cur = conn.cursor()
    cur.execute("DROP TABLE IF EXISTS " + table)
    cur.execute(TABLES[table])
    try:
        affected = cur.execute(stmt.format(f=path))
        info = conn._result.message
    except pymysql.MySQLError as e:
        return ("error", e.args[0])
    cur.execute("SHOW WARNINGS")
    warnings = [(w[0], w[1]) for w in cur.fetchall()]
    cur.execute("SELECT * FROM %s ORDER BY 1" % table)
    rows = [tuple(r) for r in cur.fetchall()]
    return (affected, info, warnings, rows)


def main():
    shutil.rmtree(os.path.join(TMP, "py", "load_data_mariadb"), ignore_errors=True)
    os.makedirs(WORK, exist_ok=True)
    failures = []
    with MariaDB(os.path.join(TMP, "py", "load_data_mariadb")) as m, Floed("load_data") as f:
        mc = pymysql.connect(host="127.0.0.1", port=m.port, user="root", autocommit=True, local_infile=True)
        mc.cursor().execute("CREATE DATABASE ld CHARACTER SET utf8mb4")
        mc.select_db("ld")
        fc = f.connect(local_infile=True)
        fc.cursor().execute("CREATE DATABASE ld")
        fc.select_db("ld")
        for name, data, stmt, table in CASES:
            want = outcome(mc, name, data, stmt, table)
            got = outcome(fc, name, data, stmt, table)
            if want != got:
                print("FAIL %s" % name)
                failures.append("%s: %s\n  MariaDB: %r\n  floe:    %r" % (name, stmt, want, got))
            else:
                print("ok  %s" % name)
        if failures:
            print("\n".join(failures))
            sys.exit(1)
        floe_only(f, fc)
    if failures:
        print("\n".join(failures))
        sys.exit(1)


def expect_error(cur, sql, code):
    try:
        cur.execute(sql)
    except pymysql.MySQLError as e:
        assert e.args[0] == code, (sql, e.args)
        return e.args[1]
    raise AssertionError("no error for " + sql)


def floe_only(f, conn):
    cur = conn.cursor()
    # A large file: every row arrives, in one statement.
    path = os.path.join(WORK, "big.csv")
    with open(path, "w") as out:
        for i in range(100000):
            out.write('%d,"name %d",%d,2024-01-%02d\n' % (i, i, i * 7 % 1000, i % 28 + 1))
    cur.execute("CREATE TABLE big (id INT PRIMARY KEY, s VARCHAR(30), n INT, d DATE)")
    affected = cur.execute("LOAD DATA LOCAL INFILE '%s' INTO TABLE big FIELDS TERMINATED BY ',' "
                           "ENCLOSED BY '\"'" % path)
    assert affected == 100000, affected
    # The info string is length-prefixed (as MySQL and MariaDB send it); PyMySQL keeps the prefix.
    assert conn._result.message.endswith(b"Records: 100000  Deleted: 0  Skipped: 0  Warnings: 0"), conn._result.message
    cur.execute("SELECT COUNT(*), SUM(n), MIN(s), MAX(d) FROM big")
    assert cur.fetchone() == (100000, sum(i * 7 % 1000 for i in range(100000)), "name 0",
                              __import__("datetime").date(2024, 1, 28))
    print("ok  100,000-row file")

    # Errors found before the client is asked for the file.
    expect_error(cur, "LOAD DATA LOCAL INFILE '%s' INTO TABLE nosuch" % path, 1146)
    expect_error(cur, "LOAD DATA LOCAL INFILE '%s' INTO TABLE big (id, nosuch)" % path, 1054)
    expect_error(cur, "LOAD DATA LOCAL INFILE '%s' INTO TABLE big FIELDS ENCLOSED BY 'ab'" % path, 1083)
    msg = expect_error(cur, "LOAD DATA INFILE '/etc/passwd' INTO TABLE big", 1290)
    assert "LOCAL" in msg, msg
    cur.execute("SELECT 1")
    print("ok  errors before the file is sent")

    # A client that does not allow local files gets 3948 and its connection goes on.
    plain = f.connect(database="ld")
    msg = expect_error(plain.cursor(), "LOAD DATA LOCAL INFILE '%s' INTO TABLE big" % path, 3948)
    assert "enabled on both the client and server" in msg, msg
    assert plain.cursor().execute("SELECT 1") == 1
    print("ok  client without local files: 3948")

    # A LOAD in the middle of a multi-statement query: statements before and after it run.
    multi = f.connect(database="ld", local_infile=True,
                      client_flag=pymysql.constants.CLIENT.MULTI_STATEMENTS)
    small = os.path.join(WORK, "small.tsv")
    with open(small, "w") as out:
        out.write("1\tone\n2\ttwo\n")
    mcur = multi.cursor()
    mcur.execute("CREATE TABLE m (id INT PRIMARY KEY, s VARCHAR(10)); "
                 "LOAD DATA LOCAL INFILE '%s' INTO TABLE m; INSERT INTO m VALUES (3, 'three'); "
                 "SELECT COUNT(*) FROM m" % small)
    while mcur.nextset():
        pass
    mcur.execute("SELECT GROUP_CONCAT(s ORDER BY id) FROM m")
    assert mcur.fetchone()[0] == "one,two,three"
    print("ok  LOAD inside a multi-statement query")

    # local_infile=OFF on the server refuses too.
    cur.execute("SET GLOBAL local_infile = OFF")
    expect_error(cur, "LOAD DATA LOCAL INFILE '%s' INTO TABLE m" % small, 3948)
    cur.execute("SET GLOBAL local_infile = ON")
    print("ok  local_infile=OFF: 3948")


if __name__ == "__main__":
    main()
