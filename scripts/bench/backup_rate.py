#!/usr/bin/python3
"""BACKUP and RESTORE throughput of floed next to `cp -r` of the same database directory on this machine
(issue 7's closing measure). Loads a database of about --mb megabytes (1 KB rows of random hex, 8 partitions),
settles it (OPTIMIZE), then times: BACKUP DATABASE to a fresh directory, RESTORE DATABASE AS a new name, and
`cp -r` of the database's directory; prints MB/s for each and the ratio to cp. Not a test: machines are noisy.

    scripts/bench/backup_rate.py [--mb 1000] [--floed build/server/floed]"""
import argparse
import os
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tests", "lib"))
import floe  # noqa: E402
from floe import Floed, execute  # noqa: E402


def du(path):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=int, default=1000)
    ap.add_argument("--floed", default=floe.FLOED)
    args = ap.parse_args()
    floe.FLOED = args.floed
    with Floed("bench-backup") as server:
        conn = server.connect()
        execute(conn, "CREATE DATABASE b PARTITIONS 8")
        execute(conn, "CREATE TABLE b.t (id BIGINT PRIMARY KEY, pad VARCHAR(1100))")
        rows = args.mb * 1000
        t0 = time.time()
        for start in range(0, rows, 500):
            execute(conn, "INSERT INTO b.t VALUES " + ",".join(
                "(%d,'%s')" % (i, os.urandom(500).hex()) for i in range(start, min(rows, start + 500))))
        load = time.time() - t0
        execute(conn, "OPTIMIZE TABLE b.t")
        # RocksDB deletes the files OPTIMIZE replaced in the background: wait until the directory settles.
        dbdir = os.path.join(server.datadir, "databases", "b")
        sizes = [0, -1]
        for _ in range(120):
            if sizes[-1] == sizes[-2]:
                break
            time.sleep(1)
            sizes.append(du(dbdir))
        mb = sizes[-1] / 1e6
        print("loaded %d rows in %.0f s; database directory %.0f MB" % (rows, load, mb))

        t0 = time.time()
        backup_id = execute(conn, "BACKUP DATABASE b TO 'bench'")[0][0]
        backup = time.time() - t0
        stored = execute(conn, "SELECT SIZE FROM information_schema.MV_BACKUP_HISTORY WHERE BACKUP_ID = %s",
                         (backup_id,))[0][0] / 1e6
        print("backup stored %.0f MB" % stored)
        t0 = time.time()
        execute(conn, "RESTORE DATABASE b AS b2 FROM 'bench'")
        restore = time.time() - t0
        copy_to = os.path.join(server.dir, "cp-copy")
        shutil.rmtree(copy_to, ignore_errors=True)
        subprocess.run(["sync"], check=True)
        t0 = time.time()
        subprocess.run(["cp", "-r", dbdir, copy_to], check=True)
        subprocess.run(["sync"], check=True)
        cp = time.time() - t0
        # BACKUP and RESTORE fsync every file and check CRC32Cs; cp -r does neither (the sync after it flushes
        # what it wrote, but both read from the page cache on a machine with this much memory).
        print("%-10s %8s %8s %10s" % ("", "seconds", "MB/s", "vs cp -r"))
        for name, secs, volume in (("BACKUP", backup, stored), ("RESTORE", restore, stored), ("cp -r", cp, mb)):
            print("%-10s %8.1f %8.0f %10.2f" % (name, secs, volume / secs, cp / secs))
        shutil.rmtree(copy_to, ignore_errors=True)


if __name__ == "__main__":
    main()
