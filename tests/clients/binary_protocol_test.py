"""The binary protocol against floed, byte by byte (tests/lib/mysql_wire.py): every column type through a
parameter and back through a binary row, NULL bitmaps, new_params_bound = 0 reusing the last types, long data,
reset, close (twice), unknown ids, cursors refused, prepare-time errors and metadata, max_prepared_stmt_count,
and a statement executed many times across DDL."""
import os
import struct
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from floe import Floed  # noqa: E402
from mysql_wire import (ServerError, WireClient, lenenc_str, p_datetime, p_double, p_long, p_longlong, p_null,  # noqa: E402
                        p_string, p_tiny, put_lenenc, T_BLOB, T_DATE, T_JSON, T_NEWDECIMAL, T_STRING, T_TIME,
                        T_VARCHAR)


def decode_row(cols, row):
    """A binary row payload -> Python values (enough of the format to check what floed sends)."""
    n = len(cols)
    bitmap = row[1:1 + (n + 9) // 8]
    pos = 1 + len(bitmap)
    out = []
    for i, c in enumerate(cols):
        if bitmap[(i + 2) // 8] & (1 << ((i + 2) % 8)):
            out.append(None)
            continue
        t, unsigned = c["type"], bool(c["flags"] & 32)
        if t in (1, 2, 3, 8, 9, 13):
            size = {1: 1, 2: 2, 3: 4, 9: 4, 8: 8, 13: 2}[t]
            v = int.from_bytes(row[pos:pos + size], "little", signed=not unsigned and t != 13)
            pos += size
        elif t == 4:
            v = struct.unpack_from("<f", row, pos)[0]
            pos += 4
        elif t == 5:
            v = struct.unpack_from("<d", row, pos)[0]
            pos += 8
        elif t in (7, 10, 12):
            length = row[pos]
            f = row[pos + 1:pos + 1 + length]
            pos += 1 + length
            y, mo, d = (struct.unpack_from("<HBB", f) if length >= 4 else (0, 0, 0))
            h, mi, s = (f[4], f[5], f[6]) if length >= 7 else (0, 0, 0)
            us = struct.unpack_from("<I", f, 7)[0] if length == 11 else 0
            v = "%04d-%02d-%02d" % (y, mo, d) if t == 10 else "%04d-%02d-%02d %02d:%02d:%02d" % (y, mo, d, h, mi, s)
            if us:
                v += ".%06d" % us
        elif t == 11:
            length = row[pos]
            f = row[pos + 1:pos + 1 + length]
            pos += 1 + length
            if length:
                neg, days, h, mi, s = struct.unpack_from("<BIBBB", f)
                v = "%s%02d:%02d:%02d" % ("-" if neg else "", days * 24 + h, mi, s)
                if length == 12:
                    v += ".%06d" % struct.unpack_from("<I", f, 8)[0]
            else:
                v = "00:00:00"
        else:
            b, pos = lenenc_str(row, pos)
            v = b if c["charset"] == 63 and t not in (245, 246) else b.decode()
        out.append(v)
    assert pos == len(row), "row payload has %d bytes left over" % (len(row) - pos)
    return out


class BinaryProtocol(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Floed("binary_protocol").start()
        c = cls.client()
        c.query("CREATE DATABASE bp")
        c.close()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    @classmethod
    def client(cls, **kw):
        return WireClient("127.0.0.1", cls.server.port, "root", db=kw.pop("db", None), **kw)

    def setUp(self):
        self.c = self.client(db="bp")

    def tearDown(self):
        self.c.close()

    def execute_error(self, stmt, params=()):
        """The error code executing `stmt` gets (fails the test when it succeeds)."""
        with self.assertRaises(ServerError) as e:
            self.c.execute(stmt, params)
        return e.exception.code

    def rows(self, stmt, params=(), **kw):
        cols, rows, _ = self.c.execute(stmt, params, **kw)
        return [decode_row(cols, r) for r in rows]

    def test_every_type_round_trips(self):
        self.c.query("DROP TABLE IF EXISTS every")
        self.c.query("""CREATE TABLE every (id INT PRIMARY KEY, ti TINYINT, tu TINYINT UNSIGNED, si SMALLINT,
            mi MEDIUMINT, i INT, iu INT UNSIGNED, bi BIGINT, bu BIGINT UNSIGNED, f FLOAT, d DOUBLE, dec1 DECIMAL(12,3),
            ch CHAR(10), vc VARCHAR(50), tx TEXT, bin VARBINARY(16), bl BLOB, dt DATE, dtm DATETIME(6), ts TIMESTAMP NULL,
            tm TIME, yr YEAR, js JSON, en ENUM('a','b'), bo BOOL)""")
        ins = self.c.prepare("INSERT INTO every VALUES (" + ",".join(["?"] * 25) + ")")
        self.assertEqual(len(ins["params"]), 25)
        self.assertEqual(ins["params"][0]["type"], 6)  # placeholders announced as NULL, binary (as MariaDB)
        self.assertEqual(ins["params"][0]["charset"], 63)
        values = [p_long(1), p_tiny(-5), (1, True, b"\xfa"), (2, False, struct.pack("<h", -300)), p_long(-70000),
                  p_long(-2000000000), (3, True, struct.pack("<I", 4000000000)), p_longlong(-9000000000000000000),
                  p_longlong(18000000000000000000, unsigned=True), (4, False, struct.pack("<f", 1.5)),
                  p_double(-2.25e100), p_string("12345.678", T_NEWDECIMAL), p_string("abc", T_STRING),
                  p_string("O'Brien \"q\" \\ x", T_VARCHAR), p_string("café 😀 日本"), p_string(b"\x00\xff\x01", T_BLOB),
                  p_string(b"\x00\x01", T_BLOB), (T_DATE, False, struct.pack("<BHBB", 4, 2024, 1, 2)),
                  p_datetime(2024, 1, 2, 3, 4, 5, 123456), p_datetime(2024, 1, 2, 3, 4, 5),
                  (T_TIME, False, struct.pack("<BBIBBB", 8, 1, 1, 10, 0, 1)), (13, False, struct.pack("<H", 2024)),
                  p_string('{"a": 1}', T_JSON), p_string("b"), p_tiny(1)]
        _, _, ok = self.c.execute(ins, values)
        self.assertEqual(ok["affected_rows"], 1)
        sel = self.c.prepare("SELECT * FROM every WHERE id = ?")
        self.assertEqual([c["name"] for c in sel["columns"]][:3], ["id", "ti", "tu"])
        self.assertEqual([c["type"] for c in sel["columns"]],
                         [3, 1, 1, 2, 9, 3, 3, 8, 8, 4, 5, 246, 254, 253, 252, 253, 252, 10, 12, 7, 11, 13, 245, 254, 1])
        row = self.rows(sel, [p_long(1)])
        self.assertEqual(row, [[1, -5, 250, -300, -70000, -2000000000, 4000000000, -9000000000000000000,
                                18000000000000000000, 1.5, -2.25e100, "12345.678", "abc", "O'Brien \"q\" \\ x",
                                "café 😀 日本", b"\x00\xff\x01", b"\x00\x01", "2024-01-02", "2024-01-02 03:04:05.123456",
                                "2024-01-02 03:04:05", "-34:00:01", 2024, '{"a": 1}', "b", 1]])
        # The same row through the text protocol reads the same.
        _, text_rows, _ = self.c.query("SELECT tm, dtm, dec1 FROM every WHERE id = 1")
        self.assertEqual(text_rows[0], put_lenenc(b"-34:00:01") + put_lenenc(b"2024-01-02 03:04:05.123456") +
                         put_lenenc(b"12345.678"))

    def test_null_bitmap_and_rebinding(self):
        self.c.query("DROP TABLE IF EXISTS nb")
        self.c.query("CREATE TABLE nb (a INT, b INT, c INT, d INT, e INT, f INT, g INT, h INT, i INT, j VARCHAR(5))")
        ins = self.c.prepare("INSERT INTO nb VALUES (?,?,?,?,?,?,?,?,?,?)")
        null_long = (3, False, None)  # a NULL bound as LONG: the type stays for the next execute
        self.c.execute(ins, [p_long(1), null_long, p_long(3), null_long, null_long, p_long(6), null_long, null_long,
                             null_long, p_string("x")])
        # new_params_bound = 0: the types bound by the previous execute (LONG ... VAR_STRING) are reused.
        self.c.execute(ins, [p_long(10)] * 9 + [p_string("y")], bind=False)
        sel = self.c.prepare("SELECT * FROM nb ORDER BY a")
        self.assertEqual(self.rows(sel), [[1, None, 3, None, None, 6, None, None, None, "x"],
                                          [10, 10, 10, 10, 10, 10, 10, 10, 10, "y"]])

    def test_parameters_everywhere_and_coercion(self):
        self.c.query("DROP TABLE IF EXISTS items")
        self.c.query("CREATE TABLE items (id INT PRIMARY KEY AUTO_INCREMENT, name VARCHAR(20), qty INT, KEY (qty))")
        ins = self.c.prepare("INSERT INTO items (name, qty) VALUES (?, ?)")
        for i in range(20):
            # mysql2 sends every number as DOUBLE: it lands in the INT column as an integer.
            _, _, ok = self.c.execute(ins, [p_string("n%d" % i), p_double(float(i))])
            self.assertEqual(ok["last_insert_id"], i + 1)
        sel = self.c.prepare("SELECT id, name, ? + 1 FROM items WHERE qty >= ? AND name LIKE ? ORDER BY id LIMIT ?")
        self.assertEqual(sel["columns"][2]["type"], 6)  # `? + 1` has no type before it is bound
        rows = self.rows(sel, [p_long(41), p_double(15.0), p_string("n%"), p_double(3.0)])
        self.assertEqual(rows, [[16, "n15", 42], [17, "n16", 42], [18, "n17", 42]])
        rows = self.rows(sel, [p_string("1.5"), p_longlong(18), p_string("n1%"), p_string("10")])
        self.assertEqual(rows, [[19, "n18", 2.5], [20, "n19", 2.5]])
        upd = self.c.prepare("UPDATE items SET qty = qty + ? WHERE id = ?")
        _, _, ok = self.c.execute(upd, [p_long(100), p_long(1)])
        self.assertEqual(ok["affected_rows"], 1)
        one = self.c.prepare("SELECT qty FROM items WHERE id = ?")
        self.assertEqual(self.rows(one, [p_double(1.0)]), [[100]])
        dele = self.c.prepare("DELETE FROM items WHERE id BETWEEN ? AND ?")
        _, _, ok = self.c.execute(dele, [p_long(2), p_long(11)])
        self.assertEqual(ok["affected_rows"], 10)
        # An expression whose rows are of different kinds gets the type they all fit: integers with a decimal
        # make a DECIMAL column, numbers with text a text column (a binary row is encoded by that type).
        mixed = self.c.prepare("SELECT id, IF(id = 1, 7, 2.5), IF(id = 1, 3, 'text') FROM items WHERE id <= ? ORDER BY id")
        cols, raw, _ = self.c.execute(mixed, [p_long(12)])
        self.assertEqual([c["type"] for c in cols[1:]], [246, 253])
        self.assertEqual([decode_row(cols, r) for r in raw], [[1, "7", "3"], [12, "2.5", "text"]])
        count = self.c.prepare("SELECT COUNT(*), SUM(qty), MAX(name) FROM items")
        self.assertEqual(count["columns"][0]["type"], 8)
        self.assertEqual(self.rows(count), [[10, "235", "n19"]])

    def test_many_executions_and_ddl_between(self):
        self.c.query("DROP TABLE IF EXISTS kv")
        self.c.query("CREATE TABLE kv (k INT PRIMARY KEY, v VARCHAR(10))")
        ins = self.c.prepare("INSERT INTO kv VALUES (?, ?)")
        get = self.c.prepare("SELECT v FROM kv WHERE k = ?")
        for i in range(500):
            self.c.execute(ins, [p_long(i), p_string("v%d" % i)], bind=(i == 0))
        for i in range(0, 500, 7):
            self.assertEqual(self.rows(get, [p_long(i)], bind=(i == 0)), [["v%d" % i]])
        self.c.query("ALTER TABLE kv ADD COLUMN extra INT DEFAULT 5")
        self.c.query("CREATE INDEX kv_v ON kv (v)")
        self.assertEqual(self.rows(get, [p_long(499)]), [["v499"]])
        # INSERT ... VALUES (?, ?) now misses `extra`: 1136, as MySQL's re-prepare reports it.
        self.assertEqual(self.execute_error(ins, [p_long(1000), p_string("late")]), 1136)
        self.assertEqual(self.rows(self.c.prepare("SELECT extra FROM kv WHERE k = ?"), [p_long(499)]), [[5]])
        self.c.query("DROP TABLE kv")
        self.assertEqual(self.execute_error(get, [p_long(1)]), 1146)
        self.c.query("CREATE TABLE kv (k INT PRIMARY KEY, v VARCHAR(10))")
        self.c.query("INSERT INTO kv VALUES (1, 'again')")
        self.assertEqual(self.rows(get, [p_long(1)]), [["again"]])

    def reprepares(self):
        return int(self.rows(self.c.prepare("SHOW GLOBAL STATUS LIKE 'Com_stmt_reprepare'"))[0][1])

    def test_plans_kept_until_the_catalog_changes(self):
        # A prepared SELECT is planned once; DDL (any table), USE, or a drop re-plans it at its next run, which
        # sees the new schema. Com_stmt_reprepare counts those re-plans (as MySQL's does), so it also shows that
        # the plan was kept in between.
        self.c.query("CREATE DATABASE IF NOT EXISTS bp2")
        self.c.query("DROP TABLE IF EXISTS pc")
        self.c.query("CREATE TABLE pc (id INT PRIMARY KEY, v INT, KEY pc_v (v))")
        self.c.query("CREATE TABLE bp2.pc (id INT PRIMARY KEY, v INT)")
        self.c.query("INSERT INTO pc VALUES (1, 10), (2, 20), (3, 30)")
        self.c.query("INSERT INTO bp2.pc VALUES (1, 111)")
        by_v = self.c.prepare("SELECT * FROM pc WHERE v = ?")
        other = self.c.prepare("SELECT id FROM pc WHERE v > ? AND id IN (SELECT id FROM pc WHERE v < ?) ORDER BY id")
        base = self.reprepares()
        for i in range(50):
            self.assertEqual(self.rows(by_v, [p_long(10 * (i % 3 + 1))]), [[i % 3 + 1, 10 * (i % 3 + 1)]])
            self.assertEqual(self.rows(other, [p_long(10), p_long(100)]), [[2], [3]])
        self.assertEqual(self.reprepares(), base)
        # ALTER: the new column shows in *, the dropped index is no longer used.
        self.c.query("ALTER TABLE pc ADD COLUMN w VARCHAR(5) DEFAULT 'x'")
        self.c.query("ALTER TABLE pc DROP INDEX pc_v")
        self.assertEqual(self.rows(by_v, [p_long(20)]), [[2, 20, "x"]])
        self.assertEqual(self.rows(other, [p_long(10), p_long(100)]), [[2], [3]])
        self.assertEqual(self.reprepares(), base + 2)
        self.assertEqual(self.rows(by_v, [p_long(30)]), [[3, 30, "x"]])
        self.assertEqual(self.reprepares(), base + 2)
        # USE: unqualified names now mean bp2's table.
        self.c.query("USE bp2")
        self.assertEqual(self.rows(by_v, [p_long(111)]), [[1, 111]])
        self.c.query("USE bp")
        self.assertEqual(self.rows(by_v, [p_long(111)]), [])
        # TRUNCATE and a table renamed away and replaced.
        self.c.query("TRUNCATE TABLE pc")
        self.assertEqual(self.rows(by_v, [p_long(20)]), [])
        self.c.query("RENAME TABLE pc TO pc_old")
        self.assertEqual(self.execute_error(by_v, [p_long(20)]), 1146)
        self.c.query("CREATE TABLE pc (id INT PRIMARY KEY, v INT)")
        self.c.query("INSERT INTO pc VALUES (7, 20)")
        self.assertEqual(self.rows(by_v, [p_long(20)]), [[7, 20]])
        # UPDATE / DELETE keep the plan of their row search the same way.
        self.c.query("INSERT INTO pc VALUES (9, 1), (10, 2)")
        upd = self.c.prepare("UPDATE pc SET v = v + ? WHERE id = ?")
        dele = self.c.prepare("DELETE FROM pc WHERE id = ?")
        base = self.reprepares()
        for _ in range(20):
            self.c.execute(upd, [p_long(1), p_long(9)])
        self.assertEqual(self.c.execute(dele, [p_long(10)])[2]["affected_rows"], 1)
        self.assertEqual(self.reprepares(), base)
        self.c.query("ALTER TABLE pc ADD INDEX pc_v (v)")
        self.c.execute(upd, [p_long(100), p_long(9)])
        self.assertEqual(self.c.execute(dele, [p_long(10)])[2]["affected_rows"], 0)
        self.assertEqual(self.reprepares(), base + 2)
        self.assertEqual(self.rows(self.c.prepare("SELECT id, v FROM pc ORDER BY id")), [[7, 20], [9, 121]])
        # A view's rows are read when the statement runs, never kept with the plan.
        self.c.query("CREATE OR REPLACE VIEW pcv AS SELECT id, v FROM pc")
        via_view = self.c.prepare("SELECT id FROM pc WHERE id IN (SELECT id FROM pcv) ORDER BY id")
        self.assertEqual(self.rows(via_view), [[7], [9]])
        self.c.query("INSERT INTO pc VALUES (8, 21)")
        self.assertEqual(self.rows(via_view), [[7], [8], [9]])
        self.c.query("DROP VIEW pcv")
        self.c.query("DROP TABLE pc_old")
        self.c.query("DROP DATABASE bp2")

    def test_transactions_prepared(self):
        self.c.query("DROP TABLE IF EXISTS tx")
        self.c.query("CREATE TABLE tx (id INT PRIMARY KEY)")
        begin, commit, rollback = (self.c.prepare(s) for s in ("BEGIN", "COMMIT", "ROLLBACK"))
        ins = self.c.prepare("INSERT INTO tx VALUES (?)")
        _, _, ok = self.c.execute(begin)
        self.assertTrue(ok["status"] & 1)  # SERVER_STATUS_IN_TRANS
        self.c.execute(ins, [p_long(1)])
        _, _, ok = self.c.execute(commit)
        self.assertFalse(ok["status"] & 1)
        self.c.execute(begin)
        self.c.execute(ins, [p_long(2)])
        self.c.execute(rollback)
        with self.assertRaises(ServerError) as e:
            self.c.execute(ins, [p_long(1)])
        self.assertEqual((e.exception.code, e.exception.state), (1062, "23000"))
        self.assertEqual(self.rows(self.c.prepare("SELECT id FROM tx")), [[1]])

    def test_long_data_reset_close_fetch(self):
        self.c.query("DROP TABLE IF EXISTS ld")
        self.c.query("CREATE TABLE ld (id INT PRIMARY KEY, body LONGTEXT)")
        ins = self.c.prepare("INSERT INTO ld VALUES (?, ?)")
        self.c.send_long_data(ins["id"], 1, b"x" * 100000)
        self.c.send_long_data(ins["id"], 1, b"y" * 100000)
        self.c.execute(ins, [p_long(1), (T_BLOB, False, b"")])  # the value comes from the long data
        get = self.c.prepare("SELECT LENGTH(body), SUBSTRING(body, 99999, 4) FROM ld WHERE id = ?")
        self.assertEqual(self.rows(get, [p_long(1)]), [[200000, "xxyy"]])
        # COM_STMT_RESET drops long data that was sent but not used.
        self.c.send_long_data(ins["id"], 1, b"z" * 10)
        self.assertEqual(self.c.reset(ins["id"])["affected_rows"], 0)
        self.c.execute(ins, [p_long(2), p_string("short")])
        self.assertEqual(self.rows(get, [p_long(2)]), [[5, ""]])
        with self.assertRaises(ServerError) as e:
            self.c.reset(999)
        self.assertEqual(e.exception.code, 1243)
        with self.assertRaises(ServerError) as e:
            self.c.fetch(get["id"])
        self.assertEqual(e.exception.code, 1421)  # no cursor: results come whole with the execute
        # Closing twice, or an unknown id, is silent; executing a closed statement is 1243.
        self.c.close_statement(get["id"])
        self.c.close_statement(get["id"])
        self.c.close_statement(12345)
        self.assertEqual(self.execute_error(get, [p_long(1)]), 1243)
        self.assertEqual(self.c.ping()["affected_rows"], 0)

    def test_prepare_errors_and_metadata(self):
        for sql, code in [("SELECT * FROM no_such_table", 1146), ("SELEC 1", 1064), ("SELECT nope FROM ld", 1054),
                          ("INSERT INTO no_such_table VALUES (?)", 1146), ("SELECT 1; SELECT 2", 1064), ("", 1065),
                          ("LOAD DATA LOCAL INFILE 'x' INTO TABLE ld", 1295)]:
            with self.assertRaises(ServerError, msg=sql) as e:
                self.c.prepare(sql)
            self.assertEqual(e.exception.code, code, sql)
        # A `?` in a plain query is a syntax error (as in MySQL).
        with self.assertRaises(ServerError) as e:
            self.c.query("SELECT ?")
        self.assertEqual(e.exception.code, 1064)
        self.c.query("CREATE TABLE IF NOT EXISTS meta (id BIGINT UNSIGNED PRIMARY KEY AUTO_INCREMENT, "
                     "name VARCHAR(50) NOT NULL UNIQUE, price DECIMAL(10,2))")
        s = self.c.prepare("SELECT id, name, price, COUNT(*), NOW(), CONCAT(name, 'x'), price * 2 FROM meta GROUP BY id")
        got = [(c["name"], c["type"], c["flags"] & 0x27, c["table"]) for c in s["columns"]]
        self.assertEqual(got, [("id", 8, 0x23, "meta"), ("name", 253, 0x05, "meta"), ("price", 246, 0, "meta"),
                               ("COUNT(*)", 8, 1, ""), ("NOW()", 12, 1, ""), ("CONCAT(name, 'x')", 253, 0, ""),
                               ("price * 2", 246, 0, "")])
        show = self.c.prepare("SHOW TABLES")
        self.assertEqual([c["name"] for c in show["columns"]], ["Tables_in_bp"])
        self.assertIn(["meta"], self.rows(show))

    def test_statement_limit(self):
        root = self.client()
        root.query("SET GLOBAL max_prepared_stmt_count = 3")
        try:
            held = [self.c.prepare("SELECT %d" % i) for i in range(3)]
            with self.assertRaises(ServerError) as e:
                self.c.prepare("SELECT 4")
            self.assertEqual(e.exception.code, 1461)
            self.assertIn("max_prepared_stmt_count", e.exception.message)
            _, rows, _ = root.query("SHOW GLOBAL STATUS LIKE 'Prepared_stmt_count'")
            self.assertEqual(lenenc_str(rows[0], lenenc_str(rows[0], 0)[1])[0], b"3")
            self.c.close_statement(held[0]["id"])
            self.c.prepare("SELECT 4")
        finally:
            root.query("SET GLOBAL max_prepared_stmt_count = DEFAULT")
            root.close()
        # A closed connection's statements no longer count.
        other = self.client()
        for i in range(5):
            other.prepare("SELECT %d" % i)
        other.close()
        root = self.client()
        root.query("SET GLOBAL max_prepared_stmt_count = 4")
        try:
            for _ in range(50):  # the close is asynchronous on the server side
                _, rows, _ = root.query("SHOW GLOBAL STATUS LIKE 'Prepared_stmt_count'")
                if lenenc_str(rows[0], lenenc_str(rows[0], 0)[1])[0] == b"3":
                    break
                __import__("time").sleep(0.05)
            self.assertEqual(lenenc_str(rows[0], lenenc_str(rows[0], 0)[1])[0], b"3")
        finally:
            root.query("SET GLOBAL max_prepared_stmt_count = DEFAULT")
            root.close()

    def test_deprecate_eof(self):
        c = self.client(db="bp", deprecate_eof=True)
        s = c.prepare("SELECT ?, 'two'")
        cols, rows, end = c.execute(s, [p_long(1)])
        self.assertEqual([decode_row(cols, r) for r in rows], [[1, "two"]])
        self.assertIn("affected_rows", end)  # the rows end with an OK packet (0xFE header)
        c.close()


if __name__ == "__main__":
    unittest.main(verbosity=2)
