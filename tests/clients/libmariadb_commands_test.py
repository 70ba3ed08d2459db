"""The protocol commands, sent by the real MariaDB C client library (libmariadb, the library under the CLI,
mysqldump, ODBC and sysbench), called through ctypes: COM_PING, COM_INIT_DB, COM_STATISTICS, COM_FIELD_LIST,
COM_SET_OPTION (multi-statements on/off), COM_RESET_CONNECTION, COM_CHANGE_USER, COM_PROCESS_KILL, and an
unknown command (1047)."""
import ctypes
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from floe import Floed  # noqa: E402

lib = ctypes.CDLL("libmariadb.so.3")
P = ctypes.c_void_p
for name, res, args in [
    ("mysql_init", P, [P]), ("mysql_real_connect", P, [P, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p,
                                                        ctypes.c_char_p, ctypes.c_uint, ctypes.c_char_p, ctypes.c_ulong]),
    ("mysql_query", ctypes.c_int, [P, ctypes.c_char_p]), ("mysql_errno", ctypes.c_uint, [P]),
    ("mysql_error", ctypes.c_char_p, [P]), ("mysql_store_result", P, [P]), ("mysql_free_result", None, [P]),
    ("mysql_fetch_row", ctypes.POINTER(ctypes.c_char_p), [P]), ("mysql_next_result", ctypes.c_int, [P]),
    ("mysql_ping", ctypes.c_int, [P]), ("mysql_select_db", ctypes.c_int, [P, ctypes.c_char_p]),
    ("mysql_stat", ctypes.c_char_p, [P]), ("mysql_list_fields", P, [P, ctypes.c_char_p, ctypes.c_char_p]),
    ("mysql_set_server_option", ctypes.c_int, [P, ctypes.c_int]), ("mysql_reset_connection", ctypes.c_int, [P]),
    ("mysql_change_user", ctypes.c_char, [P, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p]),
    ("mysql_kill", ctypes.c_int, [P, ctypes.c_ulong]), ("mysql_thread_id", ctypes.c_ulong, [P]),
    ("mysql_close", None, [P]), ("mysql_get_server_info", ctypes.c_char_p, [P]),
    ("mysql_send_query", ctypes.c_int, [P, ctypes.c_char_p, ctypes.c_ulong]),
]:
    fn = getattr(lib, name)
    fn.restype = res
    fn.argtypes = args

CLIENT_MULTI_STATEMENTS = 1 << 16


class LibMariaDB(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Floed("libmariadb").start()
        root = cls.server.connect()
        with root.cursor() as cur:
            cur.execute("CREATE USER 'app'@'%' IDENTIFIED BY 'app-pw'")
            cur.execute("CREATE USER 'sha'@'%' IDENTIFIED WITH caching_sha2_password BY 'sha-pw'")
        root.close()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def connect(self, user=b"root", password=b"", flags=0):
        m = lib.mysql_init(None)
        ok = lib.mysql_real_connect(m, b"127.0.0.1", user, password, None, self.server.port, None, flags)
        self.assertTrue(ok, lib.mysql_error(m))
        self.addCleanup(lib.mysql_close, m)
        return m

    def rows(self, m, sql):
        self.assertEqual(lib.mysql_query(m, sql), 0, lib.mysql_error(m))
        res = lib.mysql_store_result(m)
        out = []
        while True:
            row = lib.mysql_fetch_row(res)
            if not row:
                break
            out.append(row[0])
        lib.mysql_free_result(res)
        return out

    def test_ping_init_db_statistics(self):
        m = self.connect()
        self.assertEqual(lib.mysql_get_server_info(m), b"8.0.35-floe")
        self.assertEqual(lib.mysql_ping(m), 0)
        self.assertEqual(lib.mysql_select_db(m, b"information_schema"), 0)
        self.assertEqual(self.rows(m, b"SELECT DATABASE()"), [b"information_schema"])
        self.assertNotEqual(lib.mysql_select_db(m, b"nope"), 0)
        self.assertEqual(lib.mysql_errno(m), 1049)
        stat = lib.mysql_stat(m)
        self.assertRegex(stat, rb"^Uptime: \d+  Threads: \d+  Questions: \d+  Slow queries: 0  Opens: \d+  "
                               rb"Open tables: \d+  Queries per second avg: \d+\.\d{3}$")

    def test_field_list_of_unknown_table(self):
        m = self.connect()
        self.assertIsNone(lib.mysql_list_fields(m, b"t", None))
        self.assertEqual(lib.mysql_errno(m), 1046)  # no database selected
        lib.mysql_select_db(m, b"information_schema")
        self.assertIsNone(lib.mysql_list_fields(m, b"no_such_table", None))
        self.assertEqual(lib.mysql_errno(m), 1146)

    def test_set_option_multi_statements(self):
        m = self.connect(flags=CLIENT_MULTI_STATEMENTS)
        self.assertEqual(lib.mysql_query(m, b"SELECT 1; SELECT 2"), 0)
        results = []
        while True:
            res = lib.mysql_store_result(m)
            results.append(lib.mysql_fetch_row(res)[0])
            lib.mysql_free_result(res)
            if lib.mysql_next_result(m) != 0:
                break
        self.assertEqual(results, [b"1", b"2"])
        self.assertEqual(lib.mysql_set_server_option(m, 1), 0)  # MYSQL_OPTION_MULTI_STATEMENTS_OFF
        self.assertNotEqual(lib.mysql_query(m, b"SELECT 1; SELECT 2"), 0)
        self.assertEqual(lib.mysql_errno(m), 1064)
        self.assertIn(b"near 'SELECT 2'", lib.mysql_error(m))
        self.assertEqual(lib.mysql_set_server_option(m, 0), 0)
        self.assertEqual(lib.mysql_query(m, b"SELECT 1; SELECT 2"), 0)

    def test_multi_statement_error_after_results(self):
        m = self.connect(flags=CLIENT_MULTI_STATEMENTS)
        self.assertEqual(lib.mysql_query(m, b"SELECT 1; SELEC 2; SELECT 3"), 0)
        res = lib.mysql_store_result(m)
        self.assertEqual(lib.mysql_fetch_row(res)[0], b"1")
        lib.mysql_free_result(res)
        self.assertGreater(lib.mysql_next_result(m), 0)  # the second statement failed
        self.assertEqual(lib.mysql_errno(m), 1064)
        self.assertEqual(self.rows(m, b"SELECT 4"), [b"4"])  # and the connection goes on

    def test_reset_connection(self):
        m = self.connect()
        self.rows(m, b"SELECT @x := 5")
        lib.mysql_query(m, b"SET SESSION sql_mode = 'ANSI_QUOTES'")
        self.assertEqual(lib.mysql_reset_connection(m), 0)
        self.assertEqual(self.rows(m, b"SELECT @x"), [None])
        self.assertNotIn(b"ANSI_QUOTES", self.rows(m, b"SELECT @@sql_mode")[0])

    def test_change_user(self):
        m = self.connect()
        conn_id = lib.mysql_thread_id(m)
        self.rows(m, b"SELECT @x := 5")
        self.assertEqual(lib.mysql_change_user(m, b"app", b"app-pw", b"information_schema"), b"\x00",
                         lib.mysql_error(m))
        self.assertEqual(self.rows(m, b"SELECT CURRENT_USER()"), [b"app@%"])
        self.assertEqual(self.rows(m, b"SELECT DATABASE()"), [b"information_schema"])
        self.assertEqual(self.rows(m, b"SELECT @x"), [None])  # session state was reset
        self.assertEqual(self.rows(m, b"SELECT CONNECTION_ID()"), [str(conn_id).encode()])
        self.assertEqual(lib.mysql_change_user(m, b"sha", b"sha-pw", None), b"\x00", lib.mysql_error(m))
        self.assertEqual(self.rows(m, b"SELECT CURRENT_USER()"), [b"sha@%"])
        self.assertNotEqual(lib.mysql_change_user(m, b"app", b"wrong", None), b"\x00")
        self.assertEqual(lib.mysql_errno(m), 1045)

    def test_process_kill(self):
        victim = self.connect(b"app", b"app-pw")
        victim_id = lib.mysql_thread_id(victim)
        killer = self.connect()
        self.assertEqual(lib.mysql_kill(killer, victim_id), 0, lib.mysql_error(killer))
        self.assertNotEqual(lib.mysql_query(victim, b"SELECT 1"), 0)
        self.assertIn(lib.mysql_errno(victim), (2006, 2013))  # server gone / lost connection
        self.assertNotEqual(lib.mysql_kill(killer, 999999), 0)
        self.assertEqual(lib.mysql_errno(killer), 1094)
        other = self.connect(b"app", b"app-pw")
        self.assertNotEqual(lib.mysql_kill(other, lib.mysql_thread_id(killer)), 0)
        self.assertEqual(lib.mysql_errno(other), 1095)  # app may not kill root's connection


if __name__ == "__main__":
    unittest.main(verbosity=2)
