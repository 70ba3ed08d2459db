#!/usr/bin/python3
"""Query latency through the client, floed next to MariaDB (InnoDB) on this machine, on one table of N rows
(default 1,000,000): median time of a primary-key point select, a secondary-index point select, a 100-row
primary-key range, COUNT(*) and a GROUP BY over a 1,000-value column. Prints one table with ratios
floe / MariaDB (below 1 = floe faster). Not a test: machines are noisy.

    scripts/bench/query_latency.py [--rows 1000000] [--reps 2000] [--floed build-release/server/floed]
"""
import argparse
import os
import random
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tests", "lib"))
import pymysql  # noqa: E402
from floe import Floed  # noqa: E402
from mariadb_server import MariaDB  # noqa: E402

DDL = ("CREATE TABLE bench.q (id BIGINT NOT NULL PRIMARY KEY, k INT NOT NULL, g INT NOT NULL, "
       "pad VARCHAR(60) NOT NULL, KEY k_1 (k))")


def load(cur, rows):
    cur.execute("CREATE DATABASE bench")
    cur.execute(DDL)
    batch = 1000
    for start in range(0, rows, batch):
        n = min(batch, rows - start)
        cur.execute("INSERT INTO bench.q VALUES " + ",".join(
            "(%d,%d,%d,'pad%057d')" % (i, i * 7919 % 1000003, i % 1000, i) for i in range(start, start + n)))


def median_ms(cur, make_sql, reps):
    times = []
    for _ in range(reps):
        sql = make_sql()
        t0 = time.perf_counter()
        cur.execute(sql)
        cur.fetchall()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def measure(port, rows, reps):
    conn = pymysql.connect(host="127.0.0.1", port=port, user="root", autocommit=True)
    rng = random.Random(1)
    out = {}
    with conn.cursor() as cur:
        t0 = time.perf_counter()
        load(cur, rows)
        out["load (s)"] = time.perf_counter() - t0
        cur.execute("SELECT COUNT(*) FROM bench.q")  # warm up
        cur.fetchall()
        out["pk point select"] = median_ms(cur, lambda: "SELECT * FROM bench.q WHERE id = %d" % rng.randrange(rows), reps)
        out["secondary point select"] = median_ms(
            cur, lambda: "SELECT * FROM bench.q WHERE k = %d" % (rng.randrange(rows) * 7919 % 1000003), reps)
        out["100-row pk range"] = median_ms(
            cur, lambda: (lambda s: "SELECT * FROM bench.q WHERE id BETWEEN %d AND %d" % (s, s + 99))(
                rng.randrange(rows - 100)), max(reps // 10, 10))
        out["COUNT(*)"] = median_ms(cur, lambda: "SELECT COUNT(*) FROM bench.q", 5)
        out["GROUP BY 1,000 values"] = median_ms(cur, lambda: "SELECT g, COUNT(*), SUM(k) FROM bench.q GROUP BY g", 3)
    conn.close()
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1000000)
    ap.add_argument("--reps", type=int, default=2000)
    ap.add_argument("--floed", default=None)
    args = ap.parse_args()
    if args.floed:
        os.environ["FLOED"] = os.path.abspath(args.floed)
    work = tempfile.mkdtemp(prefix="floe-bench-query-")
    os.environ["FLOE_TEST_TMP"] = work
    server = Floed("query", "--skip-ssl").start()
    floe = measure(server.port, args.rows, args.reps)
    server.stop()
    with MariaDB(work, "--innodb-buffer-pool-size=1G") as m:
        maria = measure(m.port, args.rows, args.reps)
    print("%d rows; medians in ms through PyMySQL, one connection" % args.rows)
    print("%-26s %12s %12s %14s" % ("", "floe", "MariaDB", "floe/MariaDB"))
    for key in floe:
        print("%-26s %12.3f %12.3f %14.2f" % (key, floe[key], maria[key], floe[key] / maria[key]))


if __name__ == "__main__":
    main()
