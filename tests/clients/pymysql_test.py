"""PyMySQL against floed: plain and TLS connections, both auth plugins, auth switch both ways, wrong passwords."""
import os
import ssl
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import pymysql  # noqa: E402
from floe import Floed, scalar  # noqa: E402


def tls_context():
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE  # floed's certificate is self-signed, as MySQL's auto-generated one
    return ctx


class Queries:
    """The same session on every kind of connection."""

    def run_session(self, conn, tls):
        with conn.cursor() as cur:
            cur.execute("SELECT 1+1, @@version_comment, DATABASE(), CONNECTION_ID()")
            two, comment, db, conn_id = cur.fetchone()
            self.assertEqual(two, 2)
            self.assertIn("floe", comment)
            self.assertIsNone(db)
            self.assertGreater(conn_id, 0)
            self.assertEqual([d[0] for d in cur.description], ["1+1", "@@version_comment", "DATABASE()",
                                                               "CONNECTION_ID()"])
            cur.execute("SHOW STATUS LIKE 'Ssl_cipher'")
            cipher = cur.fetchone()[1]
            if tls:
                self.assertNotEqual(cipher, "")
            else:
                self.assertEqual(cipher, "")
            cur.execute("SELECT 'O''Brien \"q\" \\\\ x', 'café 😀 日本', NULL, 7/2, 1e0")
            self.assertEqual(cur.fetchone(), ("O'Brien \"q\" \\ x", "café 😀 日本", None,
                                              __import__("decimal").Decimal("3.5000"), 1.0))
            with self.assertRaises(pymysql.err.ProgrammingError) as err:
                cur.execute("SELEC 1")
            self.assertEqual(err.exception.args[0], 1064)
            cur.execute("SELECT 3")
            self.assertEqual(cur.fetchone(), (3,))
        conn.ping()
        conn.close()


class NativeGreeting(unittest.TestCase, Queries):
    @classmethod
    def setUpClass(cls):
        cls.server = Floed("pymysql_native").start()
        root = cls.server.connect()
        with root.cursor() as cur:
            cur.execute("CREATE USER 'nat'@'%' IDENTIFIED WITH mysql_native_password BY 'n-pass'")
            cur.execute("CREATE USER 'sha'@'%' IDENTIFIED WITH caching_sha2_password BY 's-pass'")
        root.close()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def test_root_plain(self):
        self.run_session(self.server.connect(), tls=False)

    def test_root_tls(self):
        self.run_session(self.server.connect(ssl=tls_context()), tls=True)

    def test_native_user(self):
        self.run_session(self.server.connect("nat", "n-pass"), tls=False)
        self.run_session(self.server.connect("nat", "n-pass", ssl=tls_context()), tls=True)

    def test_sha2_user_switch_from_native(self):
        # Greeting says native, the account is caching_sha2: auth switch; PyMySQL's scramble over the switch
        # payload then misses the fast path (clients.md §8.2 S4) and full authentication follows:
        # RSA over plain TCP, cleartext over TLS.
        self.run_session(self.server.connect("sha", "s-pass"), tls=False)
        self.run_session(self.server.connect("sha", "s-pass", ssl=tls_context()), tls=True)

    def test_wrong_passwords(self):
        for user in ("root", "nat", "sha", "nobody"):
            for kw in ({}, {"ssl": tls_context()}):
                with self.assertRaises(pymysql.err.OperationalError) as err:
                    self.server.connect(user, "wrong", **kw)
                self.assertEqual(err.exception.args[0], 1045, user)
                self.assertIn("Access denied for user '%s'@'127.0.0.1' (using password: YES)" % user,
                              err.exception.args[1])

    def test_result_charset_follows_the_session_variables(self):
        # The same query after each change: the column's character set in the result (what PyMySQL decodes
        # by: binary comes back as bytes) is made from character_set_results, else collation_connection.
        conn = self.server.connect()
        with conn.cursor() as cur:
            def select_x():
                cur.execute("SELECT 'x'")
                return cur.fetchone()[0], cur._result.fields[0].charsetnr
            self.assertEqual(select_x(), ("x", 45))
            cur.execute("SET character_set_results = binary")
            self.assertEqual(select_x(), (b"x", 63))
            cur.execute("SET character_set_results = latin1")
            self.assertEqual(select_x(), ("x", 8))
            cur.execute("SET character_set_results = NULL")
            self.assertEqual(select_x(), ("x", 45))
            cur.execute("SET NAMES utf8mb4 COLLATE utf8mb4_bin")
            self.assertEqual(select_x(), ("x", 46))
            cur.execute("SET NAMES DEFAULT")
            self.assertEqual(select_x(), ("x", 45))
        conn.close()

    def test_unknown_database_at_connect(self):
        with self.assertRaises(pymysql.err.OperationalError) as err:
            self.server.connect(database="no_such_db")
        self.assertEqual(err.exception.args[0], 1049)


class Sha2Greeting(unittest.TestCase, Queries):
    @classmethod
    def setUpClass(cls):
        cls.server = Floed("pymysql_sha2", "--default-authentication-plugin=caching_sha2_password",
                           "--root-password=r00t").start()
        root = cls.server.connect(password="r00t")
        with root.cursor() as cur:
            cur.execute("CREATE USER 'nat'@'%' IDENTIFIED WITH mysql_native_password BY 'n-pass'")
        assert scalar(root, "SELECT @@default_authentication_plugin") == "caching_sha2_password"
        root.close()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def test_root_sha2_fast_path(self):
        self.run_session(self.server.connect(password="r00t"), tls=False)
        self.run_session(self.server.connect(password="r00t", ssl=tls_context()), tls=True)
        self.assertNotIn("cleartext", self.server.log_text())

    def test_native_user_switch_from_sha2(self):
        self.run_session(self.server.connect("nat", "n-pass"), tls=False)

    def test_wrong_password(self):
        with self.assertRaises(pymysql.err.OperationalError) as err:
            self.server.connect(password="nope")
        self.assertEqual(err.exception.args[0], 1045)


if __name__ == "__main__":
    unittest.main(verbosity=2)
