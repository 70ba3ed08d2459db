"""Big packets: a 20 MiB statement (two 16 MiB-framed packets) works under max_allowed_packet=64M; under 16M it
gets 1153, that connection is closed, and other sessions keep working."""
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import pymysql  # noqa: E402
from floe import Floed, scalar  # noqa: E402

SIZE = 20 * 1024 * 1024


class Packets(unittest.TestCase):
    def test_20_mib_statement_fits_in_64m(self):
        with Floed("packets64", "--max-allowed-packet=64M") as server:
            conn = server.connect(max_allowed_packet=64 * 1024 * 1024)
            body = "x" * SIZE
            with conn.cursor() as cur:
                cur.execute("SELECT LENGTH('" + body + "'), SUBSTRING('" + body + "', 1, 3)")
                self.assertEqual(cur.fetchone(), (SIZE, "xxx"))
                # And a 20 MiB result coming back, framed by the server.
                cur.execute("SELECT REPEAT('ab', %d)" % (SIZE // 2))
                self.assertEqual(len(cur.fetchone()[0]), SIZE)
            self.assertEqual(scalar(conn, "SELECT @@max_allowed_packet"), 64 * 1024 * 1024)
            conn.close()

    def test_20_mib_statement_over_16m_gets_1153(self):
        with Floed("packets16", "--max-allowed-packet=16M") as server:
            bystander = server.connect()
            conn = server.connect(max_allowed_packet=64 * 1024 * 1024)
            with self.assertRaises(pymysql.err.OperationalError) as err:
                with conn.cursor() as cur:
                    cur.execute("SELECT LENGTH('" + "x" * SIZE + "')")
            self.assertEqual(err.exception.args[0], 1153)
            self.assertIn("max_allowed_packet", err.exception.args[1])
            with self.assertRaises(pymysql.err.OperationalError):
                conn.ping(reconnect=False)
            self.assertEqual(scalar(bystander, "SELECT 'other sessions go on'"), "other sessions go on")
            fresh = server.connect()
            self.assertEqual(scalar(fresh, "SELECT 1"), 1)
            for c in (bystander, fresh):
                c.close()


if __name__ == "__main__":
    unittest.main(verbosity=2)
