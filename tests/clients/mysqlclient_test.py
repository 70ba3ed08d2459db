"""mysqlclient (MySQLdb, on libmariadb) against floed: a realistic session with escaped parameters, NULL,
quotes, backslashes and 4-byte UTF-8, a committed and a rolled-back transaction, errors with their codes."""
import datetime
import decimal
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import MySQLdb  # noqa: E402
from floe import Floed  # noqa: E402


class MySQLClient(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Floed("mysqlclient").start()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def test_session(self):
        conn = MySQLdb.connect(host="127.0.0.1", port=self.server.port, user="root", charset="utf8mb4")
        cur = conn.cursor()
        cur.execute("CREATE DATABASE mc")
        conn.select_db("mc")
        cur.execute("CREATE TABLE items (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, name VARCHAR(100) NOT NULL, "
                    "note VARCHAR(255), qty INT NOT NULL DEFAULT 0, price DECIMAL(10,2), created DATETIME, "
                    "UNIQUE KEY uk_name (name))")
        cur.execute("INSERT INTO items (name, note, qty, price, created) VALUES (%s, %s, %s, %s, %s)",
                    ("O'Brien \"q\" \\ x", "it's", 5, decimal.Decimal("2.25"), None))
        self.assertEqual(cur.lastrowid, 1)
        cur.executemany("INSERT INTO items (name, note, qty, price, created) VALUES (%s, %s, %s, %s, %s)",
                        [("café 😀 日本", "utf8 ✓", 7, None, datetime.datetime(2025, 12, 31, 23, 59, 59)),
                         ("pear", None, 0, decimal.Decimal("0.99"), None)])
        self.assertEqual(cur.rowcount, 2)
        cur.execute("SELECT id, name, note, qty, price, created FROM items WHERE qty >= %s ORDER BY id", (5,))
        self.assertEqual(cur.fetchall(), (
            (1, "O'Brien \"q\" \\ x", "it's", 5, decimal.Decimal("2.25"), None),
            (2, "café 😀 日本", "utf8 ✓", 7, None, datetime.datetime(2025, 12, 31, 23, 59, 59))))
        self.assertEqual([d[0] for d in cur.description], ["id", "name", "note", "qty", "price", "created"])
        # Without CLIENT_FOUND_ROWS an UPDATE that changes nothing affects 0 rows.
        self.assertEqual(cur.execute("UPDATE items SET qty = qty WHERE name = 'pear'"), 0)

        conn.autocommit(False)
        cur.execute("INSERT INTO items (name) VALUES ('kept')")
        conn.commit()
        cur.execute("INSERT INTO items (name) VALUES ('dropped')")
        conn.rollback()
        conn.autocommit(True)
        cur.execute("SELECT name FROM items WHERE name IN ('kept', 'dropped')")
        self.assertEqual(cur.fetchall(), (("kept",),))

        with self.assertRaises(MySQLdb.IntegrityError) as e:
            cur.execute("INSERT INTO items (name) VALUES (%s)", ("kept",))
        self.assertEqual(e.exception.args[0], 1062)
        self.assertIn("Duplicate entry 'kept' for key 'uk_name'", e.exception.args[1])
        with self.assertRaises(MySQLdb.ProgrammingError) as e:
            cur.execute("SELECT * FROM no_such_table")
        self.assertEqual(e.exception.args[0], 1146)
        conn.ping()
        cur.execute("DROP DATABASE mc")
        conn.close()


if __name__ == "__main__":
    unittest.main(verbosity=2)
