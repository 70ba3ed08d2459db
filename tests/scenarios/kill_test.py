"""KILL QUERY ends a running statement with 1317 at once and the connection goes on; KILL CONNECTION closes a
connection; the waiting statement is found in SHOW PROCESSLIST, not by sleeping."""
import os
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import pymysql  # noqa: E402
from floe import Floed, scalar  # noqa: E402


def wait_in_processlist(conn, victim_id, text, timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        with conn.cursor() as cur:
            cur.execute("SHOW PROCESSLIST")
            for row in cur.fetchall():
                if row[0] == victim_id and row[4] == "Query" and (row[7] or "").startswith(text):
                    return row
        time.sleep(0.02)
    raise AssertionError("connection %d never showed '%s' in SHOW PROCESSLIST" % (victim_id, text))


class Kill(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Floed("kill").start()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def run_in_thread(self, conn, sql):
        outcome = {}

        def target():
            started = time.time()
            try:
                outcome["result"] = scalar(conn, sql)
            except pymysql.err.MySQLError as e:
                outcome["error"] = e.args
            outcome["seconds"] = time.time() - started

        t = threading.Thread(target=target)
        t.start()
        return t, outcome

    def kill_while_running(self, victim, killer, sql, kill="KILL QUERY", wait=10):
        """Runs `sql` on `victim`, kills it from `killer` once PROCESSLIST shows it; returns the outcome and
        the victim's connection id."""
        victim_id = scalar(victim, "SELECT CONNECTION_ID()")
        t, outcome = self.run_in_thread(victim, sql)
        wait_in_processlist(killer, victim_id, sql)
        with killer.cursor() as cur:
            cur.execute("%s %d" % (kill, victim_id))
        t.join(wait)
        self.assertFalse(t.is_alive())
        return outcome, victim_id

    def test_kill_query(self):
        victim, killer = self.server.connect(), self.server.connect()
        outcome, _ = self.kill_while_running(victim, killer, "SELECT SLEEP(60)")
        self.assertEqual(outcome["error"][0], 1317)
        self.assertEqual(outcome["error"][1], "Query execution was interrupted")
        self.assertLess(outcome["seconds"], 10)
        self.assertEqual(scalar(victim, "SELECT 'next statement runs'"), "next statement runs")
        victim.close()
        killer.close()

    def test_kill_query_stops_a_long_join(self):
        victim, killer = self.server.connect(), self.server.connect()
        with victim.cursor() as cur:
            cur.execute("CREATE DATABASE IF NOT EXISTS kq")
            cur.execute("CREATE TABLE kq.big (id INT PRIMARY KEY, v INT)")
            cur.execute("INSERT INTO kq.big VALUES " + ",".join("(%d,%d)" % (i, i % 7) for i in range(2000)))
        # 2,000^3 rows through nested loops: hours unless KILL QUERY stops it.
        sql = "SELECT COUNT(*) FROM kq.big a, kq.big b, kq.big c WHERE a.v + b.v + c.v > 100"
        outcome, _ = self.kill_while_running(victim, killer, sql, wait=20)
        self.assertEqual(outcome["error"][0], 1317)
        self.assertEqual(scalar(victim, "SELECT COUNT(*) FROM kq.big"), 2000)
        victim.close()
        killer.close()

    def test_kill_connection(self):
        victim, killer = self.server.connect(), self.server.connect()
        outcome, victim_id = self.kill_while_running(victim, killer, "SELECT SLEEP(60)", kill="KILL")
        self.assertIn(outcome["error"][0], (1317, 2013))
        with self.assertRaises(pymysql.err.MySQLError):
            scalar(victim, "SELECT 1")
        # A killed connection leaves the process list once its last statement has ended (as in MySQL).
        deadline = time.time() + 10
        while True:
            with killer.cursor() as cur:
                cur.execute("SHOW PROCESSLIST")
                if victim_id not in [r[0] for r in cur.fetchall()]:
                    break
            self.assertLess(time.time(), deadline, "the killed connection stayed in SHOW PROCESSLIST")
            time.sleep(0.02)
        with killer.cursor() as cur:
            with self.assertRaises(pymysql.err.MySQLError) as err:
                cur.execute("KILL 424242")
            self.assertEqual(err.exception.args[0], 1094)
        killer.close()


class KillMany(unittest.TestCase):
    def test_killing_idle_connections_in_a_loop(self):
        """Each KILL answers OK while its victim goes away at the same moment (this once deadlocked the
        server: the victim's last reference could be dropped inside KILL)."""
        with Floed("kill_many") as server:
            killer = server.connect()
            for i in range(200):
                victim = server.connect()
                victim_id = scalar(victim, "SELECT CONNECTION_ID()")
                with killer.cursor() as cur:
                    cur.execute("KILL %d" % victim_id)
                with self.assertRaises(pymysql.err.MySQLError):
                    scalar(victim, "SELECT 1")
                victim.close()
            self.assertEqual(scalar(killer, "SELECT 'alive'"), "alive")
            killer.close()


if __name__ == "__main__":
    unittest.main(verbosity=2)
