"""Many connections: 2,000 idle connections held open at once (the server keeps answering and its RSS is
printed), max_connections refusing the next one with 1040, and the count going back down after they close."""
import os
import socket
import sys
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import pymysql  # noqa: E402
from floe import Floed, raise_fd_limit, scalar, wait_for  # noqa: E402

IDLE = 2000


class Connections(unittest.TestCase):
    def test_two_thousand_idle_connections(self):
        limit = raise_fd_limit()
        if limit < IDLE + 100:
            self.skipTest("file descriptor limit %d is below %d" % (limit, IDLE + 100))
        with Floed("idle", "--max-connections=%d" % (IDLE + 10)) as server:
            baseline = server.rss_kib()
            conns = []
            started = time.time()
            for _ in range(IDLE):
                conns.append(server.connect())
            opened_in = time.time() - started
            monitor = server.connect()
            with monitor.cursor() as cur:
                cur.execute("SHOW STATUS LIKE 'Threads_connected'")
                self.assertEqual(int(cur.fetchone()[1]), IDLE + 1)
            rss = server.rss_kib()
            print("\nfloed RSS: %d KiB at start, %d KiB with %d idle connections (%.1f KiB each); opened in %.1f s"
                  % (baseline, rss, IDLE, (rss - baseline) / IDLE, opened_in))
            # The server keeps answering, on a new connection and on old ones.
            fresh = server.connect()
            self.assertEqual(scalar(fresh, "SELECT 1+1"), 2)
            self.assertEqual(scalar(conns[0], "SELECT 2+2"), 4)
            self.assertEqual(scalar(conns[-1], "SELECT 3+3"), 6)
            fresh.close()
            for c in conns:
                c.close()
            wait_for(lambda: int(self._status(monitor, "Threads_connected")) == 1, "connections to close")

    def _status(self, conn, name):
        with conn.cursor() as cur:
            cur.execute("SHOW STATUS LIKE %s", (name,))
            return cur.fetchone()[1]

    def test_max_connections_refuses_with_1040(self):
        with Floed("maxconn", "--max-connections=5") as server:
            conns = [server.connect() for _ in range(5)]
            with self.assertRaises(pymysql.err.OperationalError) as err:
                server.connect()
            self.assertEqual(err.exception.args[0], 1040)
            self.assertEqual(err.exception.args[1], "Too many connections")
            conns.pop().close()
            # The slot frees once the server has seen the close.
            deadline = time.time() + 10
            while True:
                try:
                    again = server.connect()
                    break
                except pymysql.err.OperationalError as e:
                    self.assertEqual(e.args[0], 1040)
                    self.assertLess(time.time(), deadline, "the freed slot was never reused")
                    time.sleep(0.05)
            self.assertEqual(scalar(again, "SELECT 1"), 1)
            for c in conns + [again]:
                c.close()

    def test_wait_timeout_closes_idle_connections_only(self):
        with Floed("wait_timeout") as server:
            idle, busy, monitor = server.connect(), server.connect(), server.connect()
            idle_id = scalar(idle, "SELECT CONNECTION_ID()")
            with idle.cursor() as cur:
                cur.execute("SET SESSION wait_timeout = 1")
            with busy.cursor() as cur:
                cur.execute("SET SESSION wait_timeout = 1")
                cur.execute("SELECT SLEEP(2.5)")  # working longer than wait_timeout is not idling
                self.assertEqual(cur.fetchone(), (0,))
                cur.execute("SELECT 'busy survived'")
                self.assertEqual(cur.fetchone(), ("busy survived",))
            # By now the idle connection has been idle for 2.5 s > 1 s.
            wait_for(lambda: "idle for more than wait_timeout" in server.log_text(), "the idle close")
            with monitor.cursor() as cur:
                cur.execute("SHOW PROCESSLIST")
                self.assertNotIn(idle_id, [r[0] for r in cur.fetchall()])
            with self.assertRaises(pymysql.err.MySQLError):
                scalar(idle, "SELECT 1")
            for c in (busy, monitor):
                c.close()

    def test_garbage_and_half_handshakes_do_not_hurt(self):
        with Floed("garbage") as server:
            for payload in (b"", b"\x01\x00\x00\x01\x00", b"\xff\xff\xff\x01" + b"x" * 100, b"GET / HTTP/1.0\r\n\r\n"):
                s = socket.create_connection(("127.0.0.1", server.port))
                s.recv(1024)  # greeting
                s.sendall(payload)
                s.close()
            conn = server.connect()
            self.assertEqual(scalar(conn, "SELECT 'still here'"), "still here")
            conn.close()


if __name__ == "__main__":
    unittest.main(verbosity=2)
