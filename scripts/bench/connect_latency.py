#!/usr/bin/python3
"""Connection cost, floed next to MariaDB on this machine: the time for connect + SELECT 1 + quit (median and
p95 of N, sequential, TCP on 127.0.0.1, no TLS, mysql_native_password, PyMySQL as the client) and the server's
RSS with M idle connections open. Prints one table with ratios floe / MariaDB. Not a test: machines are noisy.

    scripts/bench/connect_latency.py [--n 1000] [--idle 2000] [--floed build-release/server/floed]

MariaDB (Debian's mariadb-server) runs from a scratch datadir on a free port and is stopped afterwards; raw
results go to the folder the script prints."""
import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tests", "lib"))
import pymysql  # noqa: E402
from floe import Floed, raise_fd_limit, rss_kib  # noqa: E402
from mariadb_server import MariaDB  # noqa: E402


def measure(port, n, idle, pid):
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        c = pymysql.connect(host="127.0.0.1", port=port, user="root", password="", ssl=None)
        with c.cursor() as cur:
            cur.execute("SELECT 1")
            cur.fetchall()
        c.close()
        times.append((time.perf_counter() - t0) * 1e6)
    before = rss_kib(pid)
    conns = [pymysql.connect(host="127.0.0.1", port=port, user="root", password="") for _ in range(idle)]
    with_idle = rss_kib(pid)
    for c in conns:
        c.close()
    times.sort()
    return {"median_us": statistics.median(times), "p95_us": times[int(len(times) * 0.95)],
            "rss_kib_before": before, "rss_kib_idle": with_idle}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--idle", type=int, default=2000)
    ap.add_argument("--floed", default=None)
    args = ap.parse_args()
    if args.floed:
        os.environ["FLOED"] = os.path.abspath(args.floed)
    raise_fd_limit()
    work = tempfile.mkdtemp(prefix="floe-bench-connect-")
    os.environ["FLOE_TEST_TMP"] = work
    results = {}
    with Floed("bench", "--skip-ssl", "--max-connections=5000") as f:
        results["floe"] = measure(f.port, args.n, args.idle, f.proc.pid)
    if shutil.which("mariadbd"):
        with MariaDB(work) as m:
            results["mariadb"] = measure(m.port, args.n, args.idle, m.proc.pid)
    with open(os.path.join(work, "results.json"), "w") as out:
        json.dump(results, out, indent=2)
    print("connect + SELECT 1 + quit (n=%d), RSS with %d idle connections" % (args.n, args.idle))
    print("%-28s %12s %12s %12s" % ("", "floe", "MariaDB", "floe/MariaDB"))
    for key, label in (("median_us", "median latency (us)"), ("p95_us", "p95 latency (us)"),
                       ("rss_kib_before", "RSS before idle (KiB)"), ("rss_kib_idle", "RSS with idle (KiB)")):
        fl = results["floe"][key]
        ma = results.get("mariadb", {}).get(key)
        print("%-28s %12.0f %12s %12s" % (label, fl, "%.0f" % ma if ma else "-", "%.2f" % (fl / ma) if ma else "-"))
    print("raw results:", work)


if __name__ == "__main__":
    main()
