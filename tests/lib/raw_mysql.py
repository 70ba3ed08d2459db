"""A minimal MySQL protocol client for tests that need packets no driver sends (capability choices, malformed
or out-of-order packets). Logs in as a user with mysql_native_password."""
import hashlib
import socket
import struct

LONG_PASSWORD = 1
CONNECT_WITH_DB = 8
PROTOCOL_41 = 1 << 9
SECURE_CONNECTION = 1 << 15
PLUGIN_AUTH = 1 << 19
PLUGIN_AUTH_LENENC = 1 << 21
DEPRECATE_EOF = 1 << 24
MULTI_RESULTS = 1 << 17
PS_MULTI_RESULTS = 1 << 18
TRANSACTIONS = 1 << 13
BASE_CAPS = PROTOCOL_41 | SECURE_CONNECTION | PLUGIN_AUTH | PLUGIN_AUTH_LENENC | MULTI_RESULTS | TRANSACTIONS


def packet(seq, payload):
    """One protocol packet: 3-byte length, sequence id, payload."""
    return struct.pack("<I", len(payload))[:3] + bytes([seq]) + payload


def recv_exact(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise ConnectionError("server closed the connection")
        data += chunk
    return data


def read_packet(sock):
    header = recv_exact(sock, 4)
    return recv_exact(sock, header[0] | header[1] << 8 | header[2] << 16)


def native_scramble(password, nonce):
    if not password:
        return b""
    s1 = hashlib.sha1(password.encode()).digest()
    mask = hashlib.sha1(nonce + hashlib.sha1(s1).digest()).digest()
    return bytes(a ^ b for a, b in zip(s1, mask))


class RawConnection:
    def __init__(self, port, caps=BASE_CAPS, user="root", password=""):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        greeting = self.read()
        version_end = greeting.index(b"\0", 1)
        p = version_end + 1 + 4
        nonce = greeting[p:p + 8]
        p += 8 + 1 + 2 + 1 + 2 + 2 + 1 + 10
        nonce += greeting[p:p + 12]
        auth = native_scramble(password, nonce)
        response = struct.pack("<IIB", caps, 1 << 24, 45) + b"\0" * 23 + user.encode() + b"\0"
        response += bytes([len(auth)]) + auth + b"mysql_native_password\0"
        self.send(response, seq=1)
        ok = self.read()
        if ok[0] != 0:
            raise RuntimeError("login failed: %r" % ok)

    def send(self, payload, seq=0):
        self.sock.sendall(packet(seq, payload))

    def read(self):
        return read_packet(self.sock)

    def command(self, cmd, body=b""):
        self.send(bytes([cmd]) + body, seq=0)

    def query_packets(self, sql):
        """Sends COM_QUERY and returns every packet of the answer up to its end."""
        self.command(0x03, sql.encode())
        first = self.read()
        packets = [first]
        if first[0] in (0x00, 0xFF):
            return packets
        # A result set: read until the terminating EOF / OK(0xFE) after the rows.
        seen_eof = 0
        while True:
            p = self.read()
            packets.append(p)
            if p[0] == 0xFE and len(p) < 0xFFFFFF:
                seen_eof += 1
                if self.deprecate_eof or seen_eof == 2:
                    return packets

    @staticmethod
    def error_code(packet):
        assert packet[0] == 0xFF, packet
        return struct.unpack("<H", packet[1:3])[0]

    def close(self):
        self.sock.close()
