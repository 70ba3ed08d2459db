"""TLS upgrade when the client's SSLRequest and its TLS ClientHello arrive in one TCP segment: floed must not
swallow the start of the TLS handshake into its packet buffer (a bug that hung TLS logins now and then).
The client here is built by hand so the two arrive together every time."""
import os
import socket
import ssl
import struct
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from floe import Floed  # noqa: E402
from raw_mysql import packet, read_packet  # noqa: E402

CLIENT_CAPS = (1 << 0) | (1 << 9) | (1 << 11) | (1 << 13) | (1 << 15) | (1 << 19)  # ..., PROTOCOL_41, SSL, ...


class TlsHandshake(unittest.TestCase):
    def test_ssl_request_and_client_hello_in_one_segment(self):
        with Floed("tls_handshake") as server:
            for attempt in range(20):
                sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
                read_packet(sock)  # greeting
                ssl_request = struct.pack("<IIB", CLIENT_CAPS, 16 * 1024 * 1024, 45) + b"\0" * 23
                ctx = ssl.create_default_context()
                ctx.check_hostname = False
                ctx.verify_mode = ssl.CERT_NONE
                incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
                tls = ctx.wrap_bio(incoming, outgoing, server_side=False)
                try:
                    tls.do_handshake()
                except ssl.SSLWantReadError:
                    pass
                client_hello = outgoing.read()
                sock.sendall(packet(1, ssl_request) + client_hello)  # together, on purpose
                while True:
                    try:
                        tls.do_handshake()
                        break
                    except ssl.SSLWantReadError:
                        data = outgoing.read()
                        if data:
                            sock.sendall(data)
                        chunk = sock.recv(65536)
                        self.assertTrue(chunk, "floed closed the connection during the TLS handshake")
                        incoming.write(chunk)
                data = outgoing.read()
                if data:
                    sock.sendall(data)
                self.assertIn(tls.version(), ("TLSv1.2", "TLSv1.3"), "attempt %d" % attempt)
                sock.close()


if __name__ == "__main__":
    unittest.main(verbosity=2)
