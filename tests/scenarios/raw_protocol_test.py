"""Protocol paths no driver here takes: CLIENT_DEPRECATE_EOF on and off, unknown commands (1047), packets out
of order (1156), an empty command packet, and COM_QUIT."""
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from floe import Floed, scalar  # noqa: E402
from raw_mysql import BASE_CAPS, DEPRECATE_EOF, RawConnection  # noqa: E402


class RawProtocol(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Floed("raw_protocol").start()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def connect(self, caps=BASE_CAPS):
        c = RawConnection(self.server.port, caps)
        c.deprecate_eof = bool(caps & DEPRECATE_EOF)
        self.addCleanup(c.close)
        return c

    def test_result_set_with_eof_packets(self):
        c = self.connect()
        packets = c.query_packets("SELECT 1 AS a, 'x' AS b")
        # column count, 2 definitions, EOF, 1 row, EOF
        self.assertEqual(packets[0], b"\x02")
        self.assertEqual(len(packets), 6)
        self.assertEqual(packets[3][0], 0xFE)
        self.assertEqual(len(packets[3]), 5)
        self.assertEqual(packets[4], b"\x011\x01x")
        self.assertEqual(packets[5][0], 0xFE)
        self.assertEqual(len(packets[5]), 5)

    def test_result_set_with_deprecate_eof(self):
        c = self.connect(BASE_CAPS | DEPRECATE_EOF)
        packets = c.query_packets("SELECT 1 AS a, 'x' AS b")
        # column count, 2 definitions, 1 row, OK with a 0xFE header (no EOF after the definitions)
        self.assertEqual(len(packets), 5)
        self.assertEqual(packets[3], b"\x011\x01x")
        self.assertEqual(packets[4][0], 0xFE)
        self.assertEqual(packets[4][1:3], b"\x00\x00")  # affected rows 0, last insert id 0 (lenenc)
        status = packets[4][3] | packets[4][4] << 8
        self.assertTrue(status & 0x0002)  # autocommit

    def test_unknown_and_unsupported_commands(self):
        c = self.connect()
        for cmd in (0x1e, 0x42, 0xFE):
            c.command(cmd)
            self.assertEqual(RawConnection.error_code(c.read()), 1047)
        packets = c.query_packets("SELECT 'still here'")
        self.assertEqual(packets[-2], b"\x0astill here")

    def test_out_of_order_packet_closes_with_1156(self):
        c = self.connect()
        c.send(b"\x03SELECT 1", seq=5)
        self.assertEqual(RawConnection.error_code(c.read()), 1156)
        with self.assertRaises(ConnectionError):
            c.read()

    def test_empty_command_packet(self):
        c = self.connect()
        c.send(b"", seq=0)
        self.assertEqual(RawConnection.error_code(c.read()), 1835)
        with self.assertRaises(ConnectionError):
            c.read()

    def test_quit_closes_without_answer(self):
        c = self.connect()
        c.command(0x01)
        with self.assertRaises(ConnectionError):
            c.read()
        other = self.server.connect()
        self.assertEqual(scalar(other, "SELECT 1"), 1)
        other.close()


if __name__ == "__main__":
    unittest.main(verbosity=2)
