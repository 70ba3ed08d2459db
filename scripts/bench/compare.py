#!/usr/bin/python3
"""floe next to MariaDB 10.11 on this machine: the sysbench grid, backup under load, and memory. Not a test.

Servers run one after the other, each with its own data directory and port, and are stopped before the script
ends: floed (a Release build, build-release/), MariaDB with InnoDB, MariaDB with MyRocks. Durability is the
same everywhere: every commit is fsynced (floe's default; innodb_flush_log_at_trx_commit = 1;
rocksdb_flush_log_at_trx_commit = 1); no binary log. Caches: floe's default 256 MB block cache; InnoDB's buffer
pool and MyRocks' block cache set to 512 MB (the data sets fit in each).

Parts (--parts, default all):
  grid     sysbench oltp_point_select, oltp_read_only, oltp_write_only, oltp_read_write, oltp_insert at 1, 8 and
           64 threads on 4 tables x 100,000 rows, prepared statements (--db-ps-mode=auto); QPS (TPS for insert),
           p95 latency, errors; RSS of each server at the end.
  backup   a ~2 GB database (8 tables x 1,000,000 rows), sysbench oltp_write_only at 8 threads; per second
           latency histograms give writers' TPS and p95 / p99 before vs during BACKUP DATABASE (floe) and
           mariabackup --backup (InnoDB); then backup and restore durations and MB/s, and `cp -r` of the same
           data as the physical reference. floe runs a second time with backup_max_bytes_per_sec at half the
           speed mariabackup reached. Each case runs --backup-runs times (3; 1 with --quick) and the table
           shows the run with the median TPS ratio, then every run's figures.
  memory   RSS with 10,000 idle connections (each one logged in), against the RSS before they opened.

    scripts/bench/compare.py                 # the full run (about an hour)
    scripts/bench/compare.py --quick         # about 5 minutes: 5 s per grid cell, a ~200 MB backup, no MyRocks
    scripts/bench/compare.py --parts grid --seconds 60 --engines floe,innodb

Raw results (sysbench logs, server logs, results.json, summary.txt) go to the folder printed at the start
(default build/bench/<date-time>).
"""
import argparse
import datetime
import json
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "lib"))
import pymysql  # noqa: E402
import floe  # noqa: E402
from floe import rss_kib  # noqa: E402
from mariadb_server import MariaDB  # noqa: E402

WORKLOADS = ["oltp_point_select", "oltp_read_only", "oltp_write_only", "oltp_read_write", "oltp_insert"]
ENGINES = ["floe", "innodb", "myrocks"]
MARIADB_COMMON = ["--innodb-flush-log-at-trx-commit=1", "--skip-log-bin", "--max-connections=10100",
                  "--open-files-limit=20000", "--max-prepared-stmt-count=100000", "--table-open-cache=4000"]
MARIADB_ARGS = {
    "innodb": ["--innodb-buffer-pool-size=512M", "--innodb-log-file-size=512M", "--default-storage-engine=InnoDB"],
    "myrocks": ["--plugin-load-add=ha_rocksdb.so", "--default-storage-engine=ROCKSDB", "--rocksdb-block-cache-size=512M",
                "--rocksdb-flush-log-at-trx-commit=1", "--innodb-buffer-pool-size=64M"],
}


def log(msg):
    print(time.strftime("%H:%M:%S ") + msg, flush=True)


def du(path):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs
               if not os.path.islink(os.path.join(d, f)))


def build_floed():
    build = os.path.join(ROOT, "build-release")
    subprocess.run(["cmake", "-S", ROOT, "-B", build, "-G", "Ninja", "-DCMAKE_BUILD_TYPE=Release"], check=True,
                   stdout=subprocess.DEVNULL)
    subprocess.run(["cmake", "--build", build, "-j2", "--target", "floed"], check=True)
    return os.path.join(build, "server", "floed")


# ---- servers: floed and mariadbd behind one interface ----

class Server:
    """One engine's server: start(), port, pid, datadir, db_dir(name), stop()."""

    def __init__(self, engine, out, floed):
        self.engine, self.out, self.floed = engine, out, floed
        self.impl = None

    def start(self):
        work = os.path.join(self.out, self.engine)
        os.makedirs(work, exist_ok=True)
        if self.engine == "floe":
            floe.FLOED, floe.TMP = self.floed, work
            self.impl = floe.Floed("server", "--max-connections=10100").start()
            self.datadir = self.impl.datadir
        else:
            self.impl = MariaDB(work, *(MARIADB_COMMON + MARIADB_ARGS[self.engine])).__enter__()
            self.datadir = os.path.join(self.impl.dir, "data")
        self.port, self.pid = self.impl.port, self.impl.proc.pid
        return self

    def stop(self):
        if self.impl is None:
            return
        if self.engine == "floe":
            self.impl.stop()
        else:
            self.impl.__exit__(None, None, None)
        self.impl = None

    def connect(self):
        return pymysql.connect(host="127.0.0.1", port=self.port, user="root", autocommit=True, connect_timeout=30)

    def sql(self, stmt):
        conn = self.connect()
        try:
            with conn.cursor() as cur:
                cur.execute(stmt)
                return cur.fetchall()
        finally:
            conn.close()

    def db_dir(self, name):
        if self.engine == "floe":
            return os.path.join(self.datadir, "databases", name)
        if self.engine == "myrocks":
            return os.path.join(self.datadir, "#rocksdb")
        return os.path.join(self.datadir, name)  # InnoDB: the tables' .ibd files

    def storage_engine_option(self):
        return ["--mysql-storage-engine=rocksdb"] if self.engine == "myrocks" else []


# ---- sysbench ----

def sysbench(server, workload, command, threads, tables, size, seconds=0, extra=(), log_path=None, background=False):
    cmd = ["sysbench", workload, "--db-driver=mysql", "--mysql-host=127.0.0.1", "--mysql-port=%d" % server.port,
           "--mysql-user=root", "--mysql-db=sbtest", "--tables=%d" % tables, "--table-size=%d" % size,
           "--threads=%d" % threads, "--db-ps-mode=auto", "--rand-type=uniform"]
    cmd += server.storage_engine_option()
    if seconds:
        cmd += ["--time=%d" % seconds, "--events=0"]
    cmd += list(extra) + [command]
    out = open(log_path, "w") if log_path else subprocess.DEVNULL
    if background:
        return subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
    rc = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT).returncode
    if log_path:
        out.close()
    return rc


def parse_summary(path):
    text = open(path).read()

    def num(pattern):
        m = re.search(pattern, text)
        return float(m.group(1)) if m else None

    return {"tps": num(r"transactions:\s+\d+\s+\(([\d.]+) per sec"),
            "qps": num(r"queries:\s+\d+\s+\(([\d.]+) per sec"),
            "p95_ms": num(r"95th percentile:\s+([\d.]+)"),
            "errors": int(num(r"ignored errors:\s+(\d+)") or 0),
            "fatal": "FATAL" in text}


def prepare_sbtest(server, tables, size, log_path):
    server.sql("DROP DATABASE IF EXISTS sbtest")
    server.sql("CREATE DATABASE sbtest")
    t0 = time.time()
    rc = sysbench(server, "oltp_common", "prepare", min(tables, 4), tables, size, log_path=log_path)
    if rc != 0:
        raise RuntimeError("sysbench prepare failed on %s; see %s" % (server.engine, log_path))
    return time.time() - t0


def run_grid(args, out, results):
    grid = results.setdefault("grid", {})
    for engine in args.engines:
        server = Server(engine, out, args.floed).start()
        try:
            log("%s: preparing %d tables x %d rows" % (engine, args.tables, args.table_size))
            secs = prepare_sbtest(server, args.tables, args.table_size, os.path.join(out, engine, "grid-prepare.log"))
            log("%s: prepared in %.0f s; warming up" % (engine, secs))
            sysbench(server, "oltp_read_only", "run", 8, args.tables, args.table_size, args.warmup)
            cells = grid.setdefault(engine, {})
            for threads in args.threads:
                for workload in WORKLOADS:
                    path = os.path.join(out, engine, "%s-%d.log" % (workload, threads))
                    rc = sysbench(server, workload, "run", threads, args.tables, args.table_size, args.seconds,
                                  ["--report-interval=0"], path)
                    cell = parse_summary(path)
                    cell["exit"] = rc
                    cells["%s/%d" % (workload, threads)] = cell
                    log("%s %-18s %3d threads: %8.0f qps %8.0f tps  p95 %6.2f ms  errors %d%s" % (
                        engine, workload, threads, cell["qps"] or 0, cell["tps"] or 0, cell["p95_ms"] or 0,
                        cell["errors"], "" if rc == 0 and not cell["fatal"] else "  FAILED (exit %d)" % rc))
            results.setdefault("rss_mib_after_grid", {})[engine] = rss_kib(server.pid) / 1024
        finally:
            server.stop()
        write_results(out, results)


def grid_table(results, engines):
    grid = results.get("grid", {})
    if "floe" not in grid:
        return ""
    others = [e for e in engines if e != "floe" and e in grid]
    head = "%-18s %4s  %10s" % ("workload", "thr", "floe")
    for e in others:
        head += "  %10s  %7s" % (e, "ratio")
    lines = ["Throughput: queries per second (oltp_insert: transactions per second); ratio = floe / MariaDB",
             head, "-" * len(head)]
    for key in grid["floe"]:
        workload, threads = key.split("/")
        metric = "tps" if workload == "oltp_insert" else "qps"
        f = grid["floe"][key].get(metric) or 0
        line = "%-18s %4s  %10.0f" % (workload, threads, f)
        for e in others:
            m = (grid[e].get(key) or {}).get(metric) or 0
            line += "  %10.0f  %7s" % (m, "%.2f" % (f / m) if m else "-")
        errors = {e: grid[e][key]["errors"] for e in grid if key in grid[e] and grid[e][key]["errors"]}
        if errors:
            line += "   errors: " + ", ".join("%s %d" % kv for kv in errors.items())
        lines.append(line)
    lat = ["", "p95 latency (ms)", head.replace("ratio", "     "), "-" * len(head)]
    for key in grid["floe"]:
        workload, threads = key.split("/")
        line = "%-18s %4s  %10.2f" % (workload, threads, grid["floe"][key].get("p95_ms") or 0)
        for e in others:
            line += "  %10.2f  %7s" % ((grid[e].get(key) or {}).get("p95_ms") or 0, "")
        lat.append(line)
    return "\n".join(lines + lat)


# ---- backup under load ----

CHECKPOINT = re.compile(r"\[ (\d+)s \] Checkpoint report:.*?transactions:\s+(\d+).*?(\d+)th percentile:\s+([\d.]+)",
                        re.S)


def parse_checkpoints(path):
    """sysbench --report-checkpoints=1,2,...: the counters restart every second, so each report holds that
    second's transactions and latency percentile. Returns [(second, transactions, percentile_ms)]."""
    return [(int(m.group(1)), int(m.group(2)), float(m.group(4))) for m in CHECKPOINT.finditer(open(path).read())]


def window_stats(p95_seconds, p99_seconds, start, end):
    """Writers' TPS (both halves) and p95 / p99 over the whole seconds in [start, end): each percentile is the
    mean of the per-second percentiles weighted by that second's transactions."""
    def pick(seconds):
        return [(n, pct) for sec, n, pct in seconds if start < sec <= end]

    a, b = pick(p95_seconds), pick(p99_seconds)
    n = min(len(a), len(b))
    events = sum(x for x, _ in a[:n]) + sum(x for x, _ in b[:n])

    def weighted(rows):
        total = sum(x for x, _ in rows)
        return sum(x * pct for x, pct in rows) / total if total else None

    return {"seconds": n, "tps": events / n if n else 0, "p95_ms": weighted(a[:n]), "p99_ms": weighted(b[:n])}


def floe_backup(server, target):
    t0 = time.time()
    server.sql("BACKUP DATABASE sbtest TO '%s'" % target)
    return time.time() - t0


def mariabackup(server, target):
    shutil.rmtree(target, ignore_errors=True)
    t0 = time.time()
    subprocess.run(["mariabackup", "--backup", "--target-dir=" + target, "--user=root", "--host=127.0.0.1",
                    "--port=%d" % server.port, "--parallel=1"], check=True, stdout=subprocess.DEVNULL,
                   stderr=open(target + ".log", "w"))
    return time.time() - t0


def backup_under_load(server, out, args, label, take_backup, wait_before):
    """Runs oltp_write_only with 8 threads as two sysbench processes of 4 (one reports p95 per second, the other
    p99: a checkpoint report holds one percentile), takes a backup after `wait_before` seconds and lets the
    writers go on a few seconds past its end. Returns the writers' stats before / during and the backup's time."""
    after = 5
    total = wait_before + args.backup_budget + after
    # sysbench takes at most 256 checkpoints: past them (a backup longer than ~4 minutes) "during" is cut short.
    points = ",".join(str(i) for i in range(1, min(total, 256) + 1))
    paths, loads = [], []
    for pct in (95, 99):
        path = os.path.join(out, server.engine, "backup-load-%s-p%d.log" % (label, pct))
        paths.append(path)
        loads.append(sysbench(server, "oltp_write_only", "run", 4, args.backup_tables, args.backup_size, total,
                              ["--report-checkpoints=" + points, "--percentile=%d" % pct], path, background=True))
    t_start = time.time()
    time.sleep(wait_before)
    b0 = time.time() - t_start
    duration = take_backup()
    b1 = time.time() - t_start
    time.sleep(after)  # then stop the writers (their remaining checkpoints are not needed)
    for load in loads:
        load.send_signal(signal.SIGTERM)
    for load in loads:
        load.wait(60)
    p95, p99 = parse_checkpoints(paths[0]), parse_checkpoints(paths[1])
    warm = 3
    # A checkpoint at second k covers (k-1, k]; "during" is every second the backup overlaps.
    return {"before": window_stats(p95, p99, warm, int(b0)),
            "during": window_stats(p95, p99, int(b0), math.ceil(b1)), "backup_s": duration}


def repeated_under_load(server, out, args, label, take_backup):
    """backup_under_load args.backup_runs times (one backup right after the other's writers stop): one run's
    figure moves by 20-30 points on this shared 2-core machine. Returns the run with the median TPS ratio,
    with every run's ratios under "runs"."""
    runs = []
    for i in range(args.backup_runs):
        load = backup_under_load(server, out, args, "%s-%d" % (label, i), lambda: take_backup(i), args.backup_wait)
        b, d = load["before"], load["during"]
        load["tps_ratio"] = d["tps"] / b["tps"] if b["tps"] else 0
        load["p99_ratio"] = d["p99_ms"] / b["p99_ms"] if d["p99_ms"] and b["p99_ms"] else 0
        runs.append(load)
        log("%s %s run %d: writers %.0f%% of their TPS, p99 x%.2f, backup %.1f s" % (
            server.engine, label, i + 1, 100 * load["tps_ratio"], load["p99_ratio"], load["backup_s"]))
    median = sorted(runs, key=lambda r: r["tps_ratio"])[len(runs) // 2]
    median["runs"] = [{k: r[k] for k in ("tps_ratio", "p99_ratio", "backup_s")} for r in runs]
    return median


def run_backup(args, out, results):
    res = results.setdefault("backup", {})
    mb_per_s_mariabackup = None
    # InnoDB first: floe's throttled run is set to half the speed mariabackup reached.
    for engine in [e for e in ("innodb", "floe") if e in args.engines]:
        server = Server(engine, out, args.floed).start()
        try:
            log("%s: loading %d tables x %d rows for the backup test" % (engine, args.backup_tables, args.backup_size))
            secs = prepare_sbtest(server, args.backup_tables, args.backup_size,
                                  os.path.join(out, engine, "backup-prepare.log"))
            if engine == "floe":
                server.sql("OPTIMIZE TABLE " + ",".join("sbtest.sbtest%d" % i for i in range(1, args.backup_tables + 1)))
            subprocess.run(["sync"])
            size = du(server.db_dir("sbtest"))
            log("%s: loaded in %.0f s, %.0f MB on disk" % (engine, secs, size / 1e6))
            r = res.setdefault(engine, {"data_mb": size / 1e6})
            backups = os.path.join(out, engine, "backups")
            os.makedirs(backups, exist_ok=True)
            if engine == "floe":
                server.sql("SET GLOBAL backup_max_bytes_per_sec = 0")
                r["load"] = repeated_under_load(server, out, args, "full",
                                                lambda i: floe_backup(server, "under-load-%d" % i))
                stored = server.sql("SELECT SIZE FROM information_schema.MV_BACKUP_HISTORY ORDER BY BACKUP_ID DESC "
                                    "LIMIT 1")[0][0]
                r["backup_mb"] = stored / 1e6
                if mb_per_s_mariabackup:
                    limit = int(mb_per_s_mariabackup * 1e6 / 2)
                    server.sql("SET GLOBAL backup_max_bytes_per_sec = %d" % limit)
                    r["throttled_bytes_per_sec"] = limit
                    r["load_throttled"] = repeated_under_load(server, out, args, "throttled",
                                                              lambda i: floe_backup(server, "throttled-%d" % i))
                    server.sql("SET GLOBAL backup_max_bytes_per_sec = 0")
                t0 = time.time()
                server.sql("RESTORE DATABASE sbtest AS sbrestored FROM 'under-load-0'")
                r["restore_s"] = time.time() - t0
            else:
                target = os.path.join(backups, "mariabackup")
                r["load"] = repeated_under_load(server, out, args, "full", lambda i: mariabackup(server, target))
                r["backup_mb"] = du(target) / 1e6
                mb_per_s_mariabackup = r["backup_mb"] / r["load"]["backup_s"]
                # Restore: --prepare then --copy-back into an empty data directory (the server is not needed).
                restored = os.path.join(out, engine, "restored")
                shutil.rmtree(restored, ignore_errors=True)
                t0 = time.time()
                subprocess.run(["mariabackup", "--prepare", "--target-dir=" + target], check=True,
                               stdout=subprocess.DEVNULL, stderr=open(target + ".prepare.log", "w"))
                subprocess.run(["mariabackup", "--copy-back", "--target-dir=" + target, "--datadir=" + restored],
                               check=True, stdout=subprocess.DEVNULL, stderr=open(target + ".copy-back.log", "w"))
                subprocess.run(["sync"])
                r["restore_s"] = time.time() - t0
                shutil.rmtree(restored, ignore_errors=True)
            # cp -r of the same data as the physical reference (from the page cache, then synced).
            copy_to = os.path.join(out, engine, "cp-copy")
            shutil.rmtree(copy_to, ignore_errors=True)
            t0 = time.time()
            subprocess.run(["cp", "-r", server.db_dir("sbtest"), copy_to], check=True)
            subprocess.run(["sync"])
            r["cp_s"] = time.time() - t0
            r["cp_mb"] = du(copy_to) / 1e6
            shutil.rmtree(copy_to, ignore_errors=True)
            shutil.rmtree(backups, ignore_errors=True)
            log("%s: backup %.1f s (%.0f MB), restore %.1f s, cp -r %.1f s" % (
                engine, r["load"]["backup_s"], r["backup_mb"], r["restore_s"], r["cp_s"]))
        finally:
            server.stop()
        write_results(out, results)


def backup_table(results):
    res = results.get("backup", {})
    if not res:
        return ""
    lines = ["", "Backup under load (8-thread oltp_write_only; TPS and latency of the writers before vs during)",
             "%-22s %9s %9s %7s %8s %8s %7s %8s %8s %7s %9s %9s %8s" % (
                 "", "data MB", "tps", "during", "p95 ms", "during", "x", "p99 ms", "during", "x", "backup s",
                 "restore s", "cp -r s")]
    rows = []
    for engine in ("floe", "innodb"):
        if engine not in res:
            continue
        r = res[engine]
        rows.append(("floe" if engine == "floe" else "MariaDB mariabackup", r, r["load"]))
        if "load_throttled" in r:
            rows.append(("floe, throttled to %.0f MB/s" % (r["throttled_bytes_per_sec"] / 1e6), r, r["load_throttled"]))
    for name, r, load in rows:
        b, d = load["before"], load["during"]

        def ratio(x, y):
            return "%.2f" % (x / y) if x and y else "-"

        lines.append("%-22s %9.0f %9.0f %7s %8.2f %8.2f %7s %8.2f %8.2f %7s %9.1f %9.1f %8.1f" % (
            name[:22], r["data_mb"], b["tps"], "%.0f%%" % (100 * d["tps"] / b["tps"]) if b["tps"] else "-",
            b["p95_ms"] or 0, d["p95_ms"] or 0, ratio(d["p95_ms"], b["p95_ms"]), b["p99_ms"] or 0, d["p99_ms"] or 0,
            ratio(d["p99_ms"], b["p99_ms"]), load["backup_s"], r.get("restore_s", 0), r.get("cp_s", 0)))
    for name, r, load in rows:
        if len(load.get("runs", [])) > 1:
            lines.append("%s: the median of %d runs; writers' TPS in each: %s; p99 x: %s; backup s: %s" % (
                name, len(load["runs"]), " ".join("%.0f%%" % (100 * x["tps_ratio"]) for x in load["runs"]),
                " ".join("%.2f" % x["p99_ratio"] for x in load["runs"]),
                " ".join("%.1f" % x["backup_s"] for x in load["runs"])))
    for engine in ("floe", "innodb"):
        if engine in res:
            r = res[engine]
            lines.append("%s: backup %.0f MB at %.0f MB/s; restore %.0f MB/s; cp -r %.0f MB at %.0f MB/s" % (
                engine, r["backup_mb"], r["backup_mb"] / r["load"]["backup_s"], r["backup_mb"] / r["restore_s"],
                r["cp_mb"], r["cp_mb"] / r["cp_s"]))
    return "\n".join(lines)


# ---- memory: idle connections ----

def open_idle(port, count):
    conns, errors = [], 0
    for _ in range(count):
        try:
            conns.append(pymysql.connect(host="127.0.0.1", port=port, user="root", connect_timeout=30))
        except pymysql.err.OperationalError:
            errors += 1
            if errors > 10:
                break
    return conns, errors


def run_memory(args, out, results):
    floe.raise_fd_limit()
    res = results.setdefault("memory", {})
    for engine in args.engines:
        if engine == "myrocks":
            continue  # the same mariadbd as InnoDB: connections cost it the same
        server = Server(engine, out, args.floed).start()
        try:
            server.sql("SELECT 1")
            time.sleep(1)
            base = rss_kib(server.pid)
            t0 = time.time()
            conns, errors = open_idle(server.port, args.connections)
            secs = time.time() - t0
            time.sleep(2)
            rss = rss_kib(server.pid)
            res[engine] = {"connections": len(conns), "errors": errors, "rss_before_mib": base / 1024,
                           "rss_mib": rss / 1024, "kib_per_connection": (rss - base) / max(1, len(conns)),
                           "connect_s": secs}
            log("%s: %d idle connections: RSS %.0f MiB (%.0f before), %.1f KiB each" % (
                engine, len(conns), rss / 1024, base / 1024, (rss - base) / max(1, len(conns))))
            for c in conns:
                try:
                    c.close()
                except Exception:
                    pass
        finally:
            server.stop()
        write_results(out, results)


def memory_table(results):
    res = results.get("memory", {})
    lines = []
    if res:
        lines += ["", "Memory: RSS with idle connections (MiB)",
                  "%-10s %12s %12s %12s %12s" % ("", "connections", "RSS before", "RSS", "KiB each")]
        for engine, r in res.items():
            lines.append("%-10s %12d %12.0f %12.0f %12.1f" % (engine, r["connections"], r["rss_before_mib"], r["rss_mib"],
                                                           r["kib_per_connection"]))
    if results.get("rss_mib_after_grid"):
        lines += ["", "RSS at the end of the sysbench grid (MiB): " + ", ".join(
            "%s %.0f" % kv for kv in results["rss_mib_after_grid"].items())]
    return "\n".join(lines)


def write_results(out, results):
    with open(os.path.join(out, "results.json"), "w") as f:
        json.dump(results, f, indent=1)


def machine():
    cpu = "?"
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2 ** 30
    version = subprocess.run(["mariadbd", "--version"], capture_output=True, text=True).stdout.strip()
    return "%d cores (%s), %.0f GiB; %s" % (os.cpu_count(), cpu, mem, version)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="about 5 minutes in all")
    ap.add_argument("--seconds", type=int, help="per grid cell (default 60; --quick 5)")
    ap.add_argument("--threads", default="1,8,64")
    ap.add_argument("--tables", type=int, default=4)
    ap.add_argument("--table-size", type=int, default=100000)
    ap.add_argument("--engines", default=",".join(ENGINES))
    ap.add_argument("--parts", default="grid,backup,memory")
    ap.add_argument("--connections", type=int, default=10000)
    ap.add_argument("--backup-runs", type=int, help="backups under load per case, median reported (default 3; --quick 1)")
    ap.add_argument("--floed", help="a floed binary (default: build a Release one in build-release/)")
    ap.add_argument("--out", help="results folder (default build/bench/<date-time>)")
    args = ap.parse_args()
    args.engines = args.engines.split(",")
    args.threads = [int(t) for t in args.threads.split(",")]
    parts = args.parts.split(",")
    if args.seconds is None:
        args.seconds = 5 if args.quick else 60
    args.warmup = 5 if args.quick else 20
    # Backup: ~2 GB (8 x 1,000,000 rows) or ~200 MB in --quick; the writers run `backup_wait` s before it.
    args.backup_tables = 8
    args.backup_size = 100000 if args.quick else 1000000
    args.backup_wait = 10 if args.quick else 20
    if args.backup_runs is None:
        args.backup_runs = 1 if args.quick else 3
    args.backup_budget = 60 if args.quick else 230  # checkpoints reach this far past the backup's start (256 at most)
    if args.quick:
        args.engines = [e for e in args.engines if e != "myrocks"] if "--engines" not in sys.argv else args.engines
    out = args.out or os.path.join(ROOT, "build", "bench", datetime.datetime.now().strftime("%Y%m%d-%H%M%S"))
    os.makedirs(out, exist_ok=True)
    log("results in " + out)
    subprocess.run(["bash", "-c", "source '%s/scripts/deps.sh' && floe_install_deps bench" % ROOT], check=True)
    args.floed = args.floed or build_floed()
    results = {"machine": machine(), "args": {k: v for k, v in vars(args).items()},
               "started": datetime.datetime.now().isoformat(timespec="seconds")}
    if "grid" in parts:
        run_grid(args, out, results)
    if "backup" in parts:
        run_backup(args, out, results)
    if "memory" in parts:
        run_memory(args, out, results)
    results["finished"] = datetime.datetime.now().isoformat(timespec="seconds")
    write_results(out, results)
    summary = "\n".join(s for s in ["Machine: " + results["machine"],
                                    "Settings: every commit fsynced (all engines), prepared statements, %d tables x %d "
                                    "rows, %d s per cell" % (args.tables, args.table_size, args.seconds),
                                    "", grid_table(results, args.engines), backup_table(results),
                                    memory_table(results)] if s is not None)
    with open(os.path.join(out, "summary.txt"), "w") as f:
        f.write(summary + "\n")
    print()
    print(summary)
    print("\nraw results: " + out)


if __name__ == "__main__":
    main()
