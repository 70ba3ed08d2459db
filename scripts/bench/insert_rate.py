#!/usr/bin/python3
"""Bulk insert through the client, floed next to MariaDB (InnoDB) on this machine: N rows in batches of B rows
per INSERT statement (autocommit, each statement one commit; both servers fsync each commit: floed's wal_sync=ON,
InnoDB's innodb_flush_log_at_trx_commit=1), sequential from one PyMySQL connection. Prints rows/s and the data
size on disk (after a clean shutdown) with ratios floe / MariaDB.

    scripts/bench/insert_rate.py [--rows 1000000] [--batch 1000] [--floed build-release/server/floed]
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tests", "lib"))
sys.path.insert(0, os.path.dirname(__file__))
import pymysql  # noqa: E402
from mariadb_server import MariaDB  # noqa: E402
from floe import Floed  # noqa: E402

DDL = ("CREATE TABLE bench.t (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, k INT NOT NULL, "
       "c CHAR(120) NOT NULL, pad CHAR(60) NOT NULL, KEY k_1 (k))")


def run(port, rows, batch):
    conn = pymysql.connect(host="127.0.0.1", port=port, user="root", autocommit=True)
    with conn.cursor() as cur:
        cur.execute("CREATE DATABASE bench")
        cur.execute(DDL)
        started = time.perf_counter()
        done = 0
        while done < rows:
            n = min(batch, rows - done)
            values = ",".join("(%d,'%s','%s')" % ((done + i) * 7919 % 1000003, "c%0119d" % (done + i),
                                                   "p%059d" % (done + i)) for i in range(n))
            cur.execute("INSERT INTO bench.t (k, c, pad) VALUES " + values)
            done += n
        seconds = time.perf_counter() - started
    conn.close()
    return rows / seconds, seconds


def du(path):
    return int(subprocess.check_output(["du", "-sb", path]).split()[0])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1000000)
    ap.add_argument("--batch", type=int, default=1000)
    ap.add_argument("--floed", default=None)
    args = ap.parse_args()
    if args.floed:
        os.environ["FLOED"] = os.path.abspath(args.floed)
    work = tempfile.mkdtemp(prefix="floe-bench-insert-")
    os.environ["FLOE_TEST_TMP"] = work
    results = {}
    server = Floed("insert", "--skip-ssl").start()
    rate, secs = run(server.port, args.rows, args.batch)
    server.stop()
    results["floe"] = (rate, secs, du(os.path.join(server.datadir, "databases", "bench")))
    with MariaDB(work) as m:
        rate, secs = run(m.port, args.rows, args.batch)
    results["mariadb"] = (rate, secs, du(os.path.join(m.dir, "data", "bench")) + os.path.getsize(
        os.path.join(m.dir, "data", "ibdata1")) * 0)
    print("%d rows in batches of %d, one connection" % (args.rows, args.batch))
    print("%-24s %14s %14s %12s" % ("", "floe", "MariaDB", "floe/MariaDB"))
    f, m_ = results["floe"], results["mariadb"]
    print("%-24s %14.0f %14.0f %12.2f" % ("rows/s", f[0], m_[0], f[0] / m_[0]))
    print("%-24s %14.1f %14.1f %12.2f" % ("seconds", f[1], m_[1], f[1] / m_[1]))
    print("%-24s %14.1f %14.1f %12.2f" % ("data on disk (MiB)", f[2] / 2**20, m_[2] / 2**20, f[2] / m_[2]))
    print("raw results:", work)


if __name__ == "__main__":
    main()
