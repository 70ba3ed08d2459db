"""The mariadb command-line client used interactively (on a pseudo-terminal) against floed: at start it reads
the table names and columns for completion (SHOW TABLES + COM_FIELD_LIST per table), TAB completes a table
name, \\s prints the status (COM_STATISTICS's Uptime), `source` runs a script, errors print with code and state."""
import os
import pty
import select
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from floe import Floed, execute  # noqa: E402


class Terminal:
    def __init__(self, argv):
        self.master, slave = pty.openpty()
        self.proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, close_fds=True,
                                     env=dict(os.environ, TERM="dumb", HOME=os.environ.get("FLOE_TEST_TMP", "/tmp")))
        os.close(slave)
        self.out = b""

    def expect(self, text, timeout=15):
        deadline = time.time() + timeout
        want = text.encode()
        while want not in self.out:
            left = deadline - time.time()
            if left <= 0:
                raise AssertionError("did not see %r in:\n%s" % (text, self.out.decode("utf8", "replace")))
            ready, _, _ = select.select([self.master], [], [], left)
            if ready:
                try:
                    self.out += os.read(self.master, 65536)
                except OSError:
                    break
        before, _, self.out = self.out.partition(want)
        return before.decode("utf8", "replace")

    def send(self, text):
        os.write(self.master, text.encode())

    def close(self):
        self.send("quit\n")
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        os.close(self.master)


class InteractiveCli(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Floed("cli_interactive").start()
        conn = cls.server.connect()
        execute(conn, "CREATE DATABASE app")
        execute(conn, "CREATE TABLE app.inventory_items (id INT PRIMARY KEY, label VARCHAR(20) NOT NULL, qty INT)")
        execute(conn, "INSERT INTO app.inventory_items VALUES (1, 'bolt', 5)")
        execute(conn, "CREATE TABLE app.orders (id INT PRIMARY KEY)")
        conn.close()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def test_completion_status_source(self):
        script = os.path.join(self.server.dir, "script.sql")
        with open(script, "w") as f:
            f.write("INSERT INTO inventory_items VALUES (2, 'nut', 7);\nSELECT SUM(qty) AS total FROM inventory_items;\n")
        t = Terminal(["mariadb", "--no-defaults", "-h127.0.0.1", "-P%d" % self.server.port, "-uroot",
                      "--default-character-set=utf8mb4", "app"])
        try:
            banner = t.expect("MySQL [app]> ")
            self.assertIn("Server version: 8.0.35-floe", banner)
            self.assertNotIn("ERROR", banner)
            # TAB completes the table name from what the client read at start (COM_FIELD_LIST per table).
            # TAB completes the table name from what the client read at start (COM_FIELD_LIST per table); the
            # line is redrawn with the prompt, so the checks wait for the answer, not for the prompt.
            t.send("SELECT label FROM inventory_i\t WHERE id = 1;\n")
            out = t.expect("1 row in set")
            self.assertIn("SELECT label FROM inventory_items", out)
            self.assertIn("| bolt  |", out)
            t.expect("MySQL [app]> ")
            t.send("\\s\n")
            out = t.expect("Queries per second avg")
            self.assertIn("Current database:\tapp", out)
            self.assertIn("Server version:\t\t8.0.35-floe", out)
            self.assertIn("Uptime:", out)
            self.assertIn("Threads: ", out)
            t.expect("MySQL [app]> ")
            t.send("source %s\n" % script)
            out = t.expect("1 row in set")
            self.assertIn("| total |", out)
            self.assertIn("|    12 |", out)
            t.expect("MySQL [app]> ")
            t.send("SELECT * FROM no_such_table;\n")
            out = t.expect("doesn't exist")
            self.assertIn("ERROR 1146 (42S02): Table 'app.no_such_table", out)
            t.expect("MySQL [app]> ")
        finally:
            t.close()


if __name__ == "__main__":
    unittest.main(verbosity=2)
