"""Start a real floed for a test and talk to it with real drivers.

    with Floed("name", "--max-connections=5") as server:
        conn = server.connect()          # PyMySQL, root, autocommit on
        server.rss_kib()                 # the server's resident memory

FLOED names the binary (ctest sets it); FLOE_TEST_TMP the scratch folder. The server gets a fresh data
directory, a free port (it logs which) and its own Unix socket; leaving the block sends SIGTERM and checks
that floed exits cleanly.
"""
import os
import re
import resource
import shutil
import signal
import subprocess
import time

import pymysql

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FLOED = os.environ.get("FLOED", os.path.join(ROOT, "build", "server", "floed"))
TMP = os.environ.get("FLOE_TEST_TMP", os.path.join(ROOT, "build", "test-tmp"))


def rss_kib(pid):
    """A process's resident memory (KiB)."""
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def raise_fd_limit():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


class Floed:
    def __init__(self, name, *args):
        self.dir = os.path.join(TMP, "py", name)
        self.args = list(args)
        self.proc = None
        self.port = None

    def start(self, fresh=True):
        """Starts floed; fresh=False keeps the data directory (a restart)."""
        if fresh:
            shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(self.dir, exist_ok=True)
        self.datadir = os.path.join(self.dir, "data")
        # Unix socket paths are limited to 107 bytes: keep the socket in /tmp, not in a deep checkout.
        self.socket = "/tmp/floe-test-%d-%s.sock" % (os.getpid(), os.path.basename(self.dir))
        self.log_path = os.path.join(self.dir, "floed.log")
        self.log = open(self.log_path, "a")
        self.log_start = self.log.tell()
        self.proc = subprocess.Popen(
            [FLOED, "--datadir=" + self.datadir, "--port=0", "--socket=" + self.socket] + self.args,
            stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 15
        while time.time() < deadline:
            with open(self.log_path) as f:
                f.seek(self.log_start)
                m = re.search(r"ready for connections\. .* port: (\d+)", f.read())
            if m:
                self.port = int(m.group(1))
                return self
            if self.proc.poll() is not None:
                raise RuntimeError("floed exited during start-up:\n" + open(self.log_path).read())
            time.sleep(0.05)
        self.proc.kill()
        raise RuntimeError("floed did not become ready:\n" + open(self.log_path).read())

    def stop(self):
        if self.proc is None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise AssertionError("floed did not stop within 30 s of SIGTERM")
        self.proc = None
        self.log.close()
        if rc != 0:
            raise AssertionError("floed exited with %d; log:\n%s" % (rc, open(self.log_path).read()[-3000:]))

    def kill9(self):
        """Kills floed without warning (no shutdown, no flush), as a crash would."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)
        self.proc = None
        self.log.close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def connect(self, user="root", password="", **kw):
        kw.setdefault("autocommit", True)
        kw.setdefault("connect_timeout", 10)
        return pymysql.connect(host="127.0.0.1", port=self.port, user=user, password=password, **kw)

    def rss_kib(self):
        return rss_kib(self.proc.pid)

    def log_text(self):
        with open(self.log_path) as f:
            return f.read()


def scalar(conn, sql, args=None):
    with conn.cursor() as cur:
        cur.execute(sql, args)
        row = cur.fetchone()
        return row[0] if row else None


def execute(conn, sql, args=None):
    """Runs one statement and returns all its rows."""
    with conn.cursor() as cur:
        cur.execute(sql, args)
        return cur.fetchall()


def wait_for(predicate, what, timeout=30):
    """Polls predicate() until it is true; fails the test after `timeout` seconds."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return
        time.sleep(0.02)
    raise AssertionError("timed out waiting for " + what)
