"""A small MySQL-protocol client that shows the bytes: the binary protocol (COM_STMT_PREPARE / EXECUTE /
SEND_LONG_DATA / RESET / CLOSE / FETCH) with raw row payloads, for tests that check encodings exactly and for
capturing MariaDB's bytes as fixtures. mysql_native_password only, no TLS.

    c = WireClient("127.0.0.1", port, "root", "")
    stmt = c.prepare("SELECT ? + 1")
    cols, rows, end = c.execute(stmt, [(T_LONGLONG, False, struct.pack("<q", 41))])
"""
import socket
import struct

from raw_mysql import (CONNECT_WITH_DB, DEPRECATE_EOF, LONG_PASSWORD, MULTI_RESULTS, PLUGIN_AUTH, PROTOCOL_41,
                       PS_MULTI_RESULTS, SECURE_CONNECTION, TRANSACTIONS, native_scramble)

T_DECIMAL, T_TINY, T_SHORT, T_LONG, T_FLOAT, T_DOUBLE, T_NULL, T_TIMESTAMP, T_LONGLONG, T_INT24 = range(10)
T_DATE, T_TIME, T_DATETIME, T_YEAR, T_VARCHAR, T_BIT = 10, 11, 12, 13, 15, 16
T_JSON, T_NEWDECIMAL, T_ENUM, T_SET, T_TINY_BLOB, T_MEDIUM_BLOB, T_LONG_BLOB, T_BLOB = 245, 246, 247, 248, 249, 250, 251, 252
T_VAR_STRING, T_STRING = 253, 254


class ServerError(Exception):
    def __init__(self, code, state, message):
        super().__init__("%d (%s): %s" % (code, state, message))
        self.code, self.state, self.message = code, state, message


def lenenc_int(data, pos):
    first = data[pos]
    if first < 0xFB:
        return first, pos + 1
    if first == 0xFC:
        return struct.unpack_from("<H", data, pos + 1)[0], pos + 3
    if first == 0xFD:
        return int.from_bytes(data[pos + 1:pos + 4], "little"), pos + 4
    return struct.unpack_from("<Q", data, pos + 1)[0], pos + 9


def lenenc_str(data, pos):
    n, pos = lenenc_int(data, pos)
    return data[pos:pos + n], pos + n


def put_lenenc(b):
    n = len(b)
    if n < 0xFB:
        head = bytes([n])
    elif n < 1 << 16:
        head = b"\xfc" + struct.pack("<H", n)
    elif n < 1 << 24:
        head = b"\xfd" + n.to_bytes(3, "little")
    else:
        head = b"\xfe" + struct.pack("<Q", n)
    return head + b


def parse_column(p):
    pos = 0
    fields = []
    for _ in range(6):
        s, pos = lenenc_str(p, pos)
        fields.append(s.decode("utf8", "replace"))
    _, pos = lenenc_int(p, pos)
    charset, length, ftype, flags, decimals = struct.unpack_from("<HIBHB", p, pos)
    return {"schema": fields[1], "table": fields[2], "org_table": fields[3], "name": fields[4], "org_name": fields[5],
            "charset": charset, "length": length, "type": ftype, "flags": flags, "decimals": decimals}


class WireClient:
    def __init__(self, host, port, user, password="", db=None, deprecate_eof=False, timeout=30):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.buf = b""
        self.seq = 0
        greeting = self.read_packet()
        pos = 1
        end = greeting.index(b"\0", pos)
        self.server_version = greeting[pos:end].decode()
        pos = end + 1
        self.connection_id = struct.unpack_from("<I", greeting, pos)[0]
        pos += 4
        nonce = greeting[pos:pos + 8]
        pos += 9
        caps = struct.unpack_from("<H", greeting, pos)[0]
        pos += 2 + 1 + 2
        caps |= struct.unpack_from("<H", greeting, pos)[0] << 16
        pos += 2
        auth_len = greeting[pos]
        pos += 1 + 10
        nonce += greeting[pos:pos + max(13, auth_len - 8) - 1]
        want = (LONG_PASSWORD | PROTOCOL_41 | TRANSACTIONS | SECURE_CONNECTION | MULTI_RESULTS | PS_MULTI_RESULTS |
                PLUGIN_AUTH)
        if deprecate_eof:
            want |= DEPRECATE_EOF
        if db:
            want |= CONNECT_WITH_DB
        self.caps = want & caps
        auth = native_scramble(password, nonce)
        resp = struct.pack("<IIB23x", self.caps, 1 << 24, 45) + user.encode() + b"\0" + bytes([len(auth)]) + auth
        if db:
            resp += db.encode() + b"\0"
        resp += b"mysql_native_password\0"
        self.write_packet(resp)
        reply = self.read_packet()
        if reply[0] == 0xFE:  # auth switch
            end = reply.index(b"\0", 1)
            self.write_packet(native_scramble(password, reply[end + 1:end + 21]))
            reply = self.read_packet()
        self.check(reply)

    @property
    def deprecate_eof(self):
        return bool(self.caps & DEPRECATE_EOF)

    # ---- framing ----
    def _read(self, n):
        while len(self.buf) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("server closed the connection")
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def read_packet(self):
        payload = b""
        while True:
            head = self._read(4)
            n = int.from_bytes(head[:3], "little")
            self.seq = (head[3] + 1) % 256
            payload += self._read(n)
            if n < 0xFFFFFF:
                return payload

    def write_packet(self, payload):
        self.sock.sendall(len(payload).to_bytes(3, "little") + bytes([self.seq]) + payload)
        self.seq = (self.seq + 1) % 256

    def command(self, payload):
        self.seq = 0
        self.write_packet(payload)

    @staticmethod
    def check(p):
        if p[0] == 0xFF:
            code = struct.unpack_from("<H", p, 1)[0]
            raise ServerError(code, p[4:9].decode(), p[9:].decode("utf8", "replace"))
        return p

    @staticmethod
    def parse_ok(p):
        affected, pos = lenenc_int(p, 1)
        last_id, pos = lenenc_int(p, pos)
        status, warnings = struct.unpack_from("<HH", p, pos)
        return {"affected_rows": affected, "last_insert_id": last_id, "status": status, "warnings": warnings}

    # ---- result sets ----
    def read_result(self):
        """(columns, raw row payloads, end packet info) or (None, None, ok info) for an OK."""
        first = self.check(self.read_packet())
        if first[0] == 0x00:
            return None, None, self.parse_ok(first)
        ncols, _ = lenenc_int(first, 0)
        cols = [parse_column(self.read_packet()) for _ in range(ncols)]
        if not self.deprecate_eof:
            self.read_packet()
        rows = []
        while True:
            p = self.check(self.read_packet())
            if p[0] == 0xFE and len(p) < 0xFFFFFF and (self.deprecate_eof or len(p) < 9):
                if self.deprecate_eof:
                    return cols, rows, self.parse_ok(p)
                warnings, status = struct.unpack_from("<HH", p, 1)
                return cols, rows, {"status": status, "warnings": warnings}
            rows.append(p)

    def query(self, sql):
        self.command(b"\x03" + sql.encode())
        return self.read_result()

    # ---- prepared statements ----
    def prepare(self, sql):
        self.command(b"\x16" + sql.encode())
        p = self.check(self.read_packet())
        stmt_id, ncols, nparams, _, warnings = struct.unpack_from("<IHHBH", p, 1)
        params = [parse_column(self.read_packet()) for _ in range(nparams)]
        if nparams and not self.deprecate_eof:
            self.read_packet()
        cols = [parse_column(self.read_packet()) for _ in range(ncols)]
        if ncols and not self.deprecate_eof:
            self.read_packet()
        return {"id": stmt_id, "columns": cols, "params": params, "warnings": warnings}

    def execute(self, stmt, params=(), bind=True, flags=0):
        """params: (type, unsigned, encoded bytes or None for NULL); bind=False sends new_params_bound=0."""
        body = struct.pack("<BIBI", 0x17, stmt["id"] if isinstance(stmt, dict) else stmt, flags, 1)
        if params:
            bitmap = bytearray((len(params) + 7) // 8)
            for i, (_, _, value) in enumerate(params):
                if value is None:
                    bitmap[i // 8] |= 1 << (i % 8)
            body += bytes(bitmap) + (b"\x01" if bind else b"\x00")
            if bind:
                for t, unsigned, _ in params:
                    body += struct.pack("<BB", t, 0x80 if unsigned else 0)
            for _, _, value in params:
                if value is not None:
                    body += value
        self.command(body)
        return self.read_result()

    def send_long_data(self, stmt_id, param, data):
        self.command(struct.pack("<BIH", 0x18, stmt_id, param) + data)

    def reset(self, stmt_id):
        self.command(struct.pack("<BI", 0x1A, stmt_id))
        return self.parse_ok(self.check(self.read_packet()))

    def fetch(self, stmt_id, rows=1):
        self.command(struct.pack("<BII", 0x1C, stmt_id, rows))
        return self.check(self.read_packet())

    def close_statement(self, stmt_id):
        self.command(struct.pack("<BI", 0x19, stmt_id))

    def ping(self):
        self.command(b"\x0e")
        return self.parse_ok(self.check(self.read_packet()))

    def close(self):
        try:
            self.command(b"\x01")
        except OSError:
            pass
        self.sock.close()


# Parameter encoders.
def p_null():
    return (T_NULL, False, None)


def p_longlong(v, unsigned=False):
    return (T_LONGLONG, unsigned, struct.pack("<Q" if unsigned else "<q", v))


def p_long(v):
    return (T_LONG, False, struct.pack("<i", v))


def p_tiny(v):
    return (T_TINY, False, struct.pack("<b", v))


def p_double(v):
    return (T_DOUBLE, False, struct.pack("<d", v))


def p_string(s, t=T_VAR_STRING):
    return (t, False, put_lenenc(s.encode() if isinstance(s, str) else s))


def p_datetime(y, mo, d, h=0, mi=0, s=0, us=0, t=T_DATETIME):
    if us:
        return (t, False, struct.pack("<BHBBBBBI", 11, y, mo, d, h, mi, s, us))
    return (t, False, struct.pack("<BHBBBBB", 7, y, mo, d, h, mi, s))
