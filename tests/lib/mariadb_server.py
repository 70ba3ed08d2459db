"""Debian's MariaDB server started from a scratch datadir on a free 127.0.0.1 port, for side-by-side benchmarks
and differential tests; stopped when the block ends.

    with MariaDB(work_dir) as m:
        conn = pymysql.connect(host="127.0.0.1", port=m.port, user="root")
"""
import os
import shutil
import socket
import subprocess
import time

import pymysql


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MariaDB:
    def __init__(self, work, *args):
        self.dir = os.path.join(work, "mariadb")
        self.port = free_port()
        self.args = list(args)

    def __enter__(self):
        os.makedirs(self.dir, exist_ok=True)
        data = os.path.join(self.dir, "data")
        shutil.rmtree(data, ignore_errors=True)  # a fresh server each time: no state left by an earlier run
        installed = subprocess.run(["mariadb-install-db", "--no-defaults", "--datadir=" + data, "--user=root",
                                    "--auth-root-authentication-method=normal"], capture_output=True, text=True)
        if installed.returncode != 0:
            raise RuntimeError("mariadb-install-db failed (%d):\n%s%s" % (installed.returncode, installed.stdout[-2000:],
                                                                          installed.stderr[-2000:]))
        self.log = open(os.path.join(self.dir, "mariadbd.log"), "w")
        self.proc = subprocess.Popen(
            ["mariadbd", "--no-defaults", "--datadir=" + data, "--user=root", "--port=%d" % self.port,
             "--bind-address=127.0.0.1", "--socket=" + os.path.join(self.dir, "m.sock"), "--skip-ssl",
             "--max-connections=%d" % 5000, "--skip-name-resolve"] + self.args,
            stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                pymysql.connect(host="127.0.0.1", port=self.port, user="root").close()
                return self
            except pymysql.err.OperationalError:
                if self.proc.poll() is not None:
                    break
                time.sleep(0.2)
        raise RuntimeError("mariadbd did not start; see " + self.dir)

    def __exit__(self, *exc):
        self.proc.terminate()
        self.proc.wait(60)
