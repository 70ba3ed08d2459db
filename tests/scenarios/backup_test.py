"""BACKUP / RESTORE (SPEC §7) with real PyMySQL sessions against a real floed:
  - consistency under load: 8 sessions run bank transfers across three tables and every partition while a
    throttled BACKUP runs; the database RESTOREd under a new name holds exact totals and every transfer either
    whole or not at all;
  - lock-free: with the backup held after its snapshot (debug sync), 1,000 INSERT / UPDATE / DELETE complete and
    PROCESSLIST never shows a writer waiting for the backup; writer latency before / during a throttled backup
    is printed (a report, not an assertion);
  - the snapshot point: a row committed before BACKUP is restored, one committed while the backup is held after
    its snapshot is not;
  - blocked / not blocked: the commands of seeds/000 (lock-free) and seeds/001 (locking) issued while a backup
    is held: ALTER / DROP DATABASE, SNAPSHOT (and, locking, CREATE / DROP INDEX, OPTIMIZE) wait as `Waiting for
    backup` (MV_BLOCKED_QUERIES type backup) and finish when it ends; the others complete meanwhile;
  - incremental sets: INIT, 1% of rows changed, DIFFERENTIAL stores a small fraction; RESTORE WITH FILE = each
    id gives exactly the state at that backup;
  - SPLIT PARTITIONS: 4 partitions restore as 8 with identical rows;
  - checksums: the history's CHECKSUM is the CRC32C of the backup's meta file and every file it lists carries
    its CRC32C, both as computed here by a table-driven CRC32C of this test's own (floe computes them with the
    CPU's crc32 instruction, storage/crc32c.cc);
  - damage: a flipped byte → RESTORE fails (7006) and creates nothing; KILL QUERY stops a running backup (1317,
    history Failure, nothing restorable); kill -9 mid-backup → after restart the history says Failure, the
    directory is refused, the database is intact and the history survives;
  - paths: '..', absolute paths outside backup_dir and symlinks out are refused (7004); a directory holding a
    backup is refused (7005), and so is one another backup is writing to; --backup-dir is where backups go;
  - TIMEOUT ms: a backup that cannot finish in time fails (7005) with a Failure history row."""
import hashlib
import os
import random
import shutil
import sys
import threading
import time
import unittest

import pymysql

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import floe  # noqa: E402
from floe import Floed, execute, scalar, wait_for  # noqa: E402

ER_QUERY_INTERRUPTED = 1317
ER_DB_CREATE_EXISTS = 1007
ER_BACKUP_PATH = 7004
ER_BACKUP = 7005
ER_RESTORE = 7006


def _crc32c_table():
    table = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        table.append(c)
    return table


CRC32C_TABLE = _crc32c_table()


def crc32c(data):
    """CRC32C (Castagnoli), bit by byte: independent of floe's and RocksDB's code."""
    c = 0xFFFFFFFF
    for b in data:
        c = CRC32C_TABLE[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


def table_digest(conn, db, table, key):
    rows = execute(conn, "SELECT * FROM `%s`.`%s` ORDER BY %s" % (db, table, key))
    return hashlib.sha256(repr(rows).encode()).hexdigest(), len(rows)


class Backup(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Floed("backup", "--debug-sync-timeout=120").start()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def setUp(self):
        self.conn = self.server.connect()
        execute(self.conn, "SET GLOBAL backup_max_bytes_per_sec = 0")
        execute(self.conn, "SET GLOBAL lockfree_backup = ON")

    def tearDown(self):
        self.conn.close()

    def start_backup(self, sql, sync=None):
        """Runs `sql` (a BACKUP) in a thread of its own connection; with `sync`, it stops at the debug sync point
        backup_snapshot_taken (after its snapshot) until release() is called."""
        conn = self.server.connect()
        if sync:
            execute(conn, "SET debug_sync = 'backup_snapshot_taken SIGNAL %s WAIT_FOR %s_go'" % (sync, sync))
        out = {"conn_id": scalar(conn, "SELECT CONNECTION_ID()")}

        def run():
            try:
                out["rows"] = execute(conn, sql)
            except pymysql.MySQLError as e:
                out["error"] = e.args[0]
                out["message"] = e.args[1]
            finally:
                conn.close()

        t = threading.Thread(target=run)
        t.start()
        out["thread"] = t
        if sync:
            execute(self.conn, "SET debug_sync = 'now WAIT_FOR %s'" % sync)
        return out

    def release(self, backup, sync):
        execute(self.conn, "SET debug_sync = 'now SIGNAL %s_go'" % sync)
        backup["thread"].join(120)
        self.assertFalse(backup["thread"].is_alive())

    def history(self, backup_id):
        with self.conn.cursor(pymysql.cursors.DictCursor) as cur:
            cur.execute("SELECT * FROM information_schema.MV_BACKUP_HISTORY WHERE BACKUP_ID = %s", (backup_id,))
            return cur.fetchone()

    def last_history(self):
        return self.history(scalar(self.conn, "SELECT MAX(BACKUP_ID) FROM information_schema.MV_BACKUP_HISTORY"))

    def fill(self, db, rows, partitions=4, tables=("t",)):
        execute(self.conn, "DROP DATABASE IF EXISTS %s" % db)
        execute(self.conn, "CREATE DATABASE %s PARTITIONS %d" % (db, partitions))
        for t in tables:
            execute(self.conn, "CREATE TABLE %s.%s (id INT PRIMARY KEY, v INT, pad VARCHAR(100), KEY (v))" % (db, t))
            for start in range(0, rows, 1000):
                values = ",".join("(%d,%d,'%s')" % (i, i % 97, "p" * 100) for i in range(start, min(rows, start + 1000)))
                execute(self.conn, "INSERT INTO %s.%s VALUES %s" % (db, t, values))

    # ---- consistency under load -------------------------------------------------------------------------
    def test_bank_transfers_during_throttled_backup(self):
        accounts, tables = 300, ("a0", "a1", "a2")
        execute(self.conn, "DROP DATABASE IF EXISTS bank")
        execute(self.conn, "CREATE DATABASE bank PARTITIONS 8")
        for t in tables:
            execute(self.conn, "CREATE TABLE bank.%s (id INT PRIMARY KEY, balance BIGINT, pad VARCHAR(200))" % t)
            execute(self.conn, "INSERT INTO bank.%s VALUES %s" % (
                t, ",".join("(%d,1000,'%s')" % (i, "x" * 200) for i in range(accounts))))
        execute(self.conn, "CREATE TABLE bank.transfers (id BIGINT PRIMARY KEY, src VARCHAR(20), dst VARCHAR(20), amount INT)")
        # Enough data that a throttled backup lasts a few seconds.
        execute(self.conn, "CREATE TABLE bank.ballast (id INT PRIMARY KEY, pad VARCHAR(1000))")
        for start in range(0, 6000, 500):
            execute(self.conn, "INSERT INTO bank.ballast VALUES " + ",".join(
                "(%d,'%s')" % (i, os.urandom(400).hex()) for i in range(start, start + 500)))
        execute(self.conn, "SET GLOBAL backup_max_bytes_per_sec = 1000000")
        stop = threading.Event()
        done = [0] * 8
        errors = []

        def worker(n):
            conn = self.server.connect(autocommit=False)
            rnd = random.Random(n)
            seq = 0
            try:
                while not stop.is_set():
                    src = (rnd.choice(tables), rnd.randrange(accounts))
                    dst = (rnd.choice(tables), rnd.randrange(accounts))
                    if src == dst:
                        continue
                    amount = rnd.randint(1, 50)
                    seq += 1
                    try:
                        with conn.cursor() as cur:
                            cur.execute("UPDATE bank.%s SET balance = balance - %d WHERE id = %d" % (src[0], amount, src[1]))
                            cur.execute("UPDATE bank.%s SET balance = balance + %d WHERE id = %d" % (dst[0], amount, dst[1]))
                            cur.execute("INSERT INTO bank.transfers VALUES (%d, '%s:%d', '%s:%d', %d)" % (
                                n * 10**9 + seq, src[0], src[1], dst[0], dst[1], amount))
                        conn.commit()
                        done[n] += 1
                    except pymysql.MySQLError as e:
                        conn.rollback()
                        if e.args[0] not in (1213, 1205):
                            raise
            except Exception as e:  # noqa: BLE001
                errors.append(e)
            finally:
                conn.close()

        workers = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
        for w in workers:
            w.start()
        time.sleep(0.5)
        before = sum(done)
        started = time.time()
        backup_id = scalar(self.conn, "BACKUP DATABASE bank TO 'bank1'")
        took = time.time() - started
        during = sum(done) - before
        time.sleep(0.3)
        stop.set()
        for w in workers:
            w.join()
        self.assertEqual(errors, [])
        print("\nbank: backup took %.1f s; %d transfers committed while it ran" % (took, during))
        self.assertGreater(took, 2.0, "the throttled backup should last seconds")
        self.assertGreater(during, 0, "writers must go on during the backup")
        h = self.history(backup_id)
        self.assertEqual(h["STATUS"], "Success")
        self.assertEqual(h["IMPLEMENTATION"], "Lockfree")
        self.assertIsNotNone(h["LOCKFREE_TIMESTAMP"])

        execute(self.conn, "RESTORE DATABASE bank AS bank_r FROM 'bank1'")
        total = sum(scalar(self.conn, "SELECT SUM(balance) FROM bank_r.%s" % t) for t in tables)
        self.assertEqual(total, accounts * len(tables) * 1000)
        # Every transfer whole or absent: the balances are exactly what the restored transfers say.
        expected = {}
        for src, dst, amount in execute(self.conn, "SELECT src, dst, amount FROM bank_r.transfers"):
            expected[src] = expected.get(src, 0) - amount
            expected[dst] = expected.get(dst, 0) + amount
        for t in tables:
            for i, balance in execute(self.conn, "SELECT id, balance FROM bank_r.%s" % t):
                self.assertEqual(balance, 1000 + expected.get("%s:%d" % (t, i), 0), "%s:%d" % (t, i))
        restored = scalar(self.conn, "SELECT COUNT(*) FROM bank_r.transfers")
        self.assertGreater(restored, 0)
        self.assertLess(restored, scalar(self.conn, "SELECT COUNT(*) FROM bank.transfers"))
        execute(self.conn, "DROP DATABASE bank_r")

    # ---- lock-free proof and the snapshot point ---------------------------------------------------------
    def test_writers_never_wait_for_a_held_backup(self):
        self.fill("lf", 2000)
        execute(self.conn, "INSERT INTO lf.t VALUES (100000, 1, 'committed before the backup')")
        backup = self.start_backup("BACKUP DATABASE lf TO 'lf1'", sync="lf_held")
        writer = self.server.connect()
        watcher = self.server.connect()
        waits = []
        watching = threading.Event()

        def watch():
            while not watching.is_set():
                for row in execute(watcher, "SELECT ID, STATE FROM information_schema.PROCESSLIST"):
                    if row[1] == "Waiting for backup":
                        waits.append(row)

        w = threading.Thread(target=watch)
        w.start()
        latencies = []
        for i in range(1000):
            sql = ("INSERT INTO lf.t VALUES (%d, 5, 'during')" % (200000 + i) if i % 3 == 0 else
                   "UPDATE lf.t SET v = v + 1 WHERE id = %d" % (i % 2000) if i % 3 == 1 else
                   "DELETE FROM lf.t WHERE id = %d" % (i % 2000))
            t0 = time.perf_counter()
            execute(writer, sql)
            latencies.append(time.perf_counter() - t0)
        watching.set()
        w.join()
        self.assertEqual(waits, [], "a writer waited for the backup")
        self.assertTrue(backup["thread"].is_alive(), "the backup must still be held")
        self.release(backup, "lf_held")
        self.assertNotIn("error", backup)
        execute(self.conn, "RESTORE DATABASE lf AS lf_r FROM 'lf1'")
        # The snapshot point: the row committed before is in, the ones committed while held are not.
        self.assertEqual(scalar(self.conn, "SELECT COUNT(*) FROM lf_r.t WHERE id = 100000"), 1)
        self.assertEqual(scalar(self.conn, "SELECT COUNT(*) FROM lf_r.t WHERE id >= 200000"), 0)
        self.assertEqual(scalar(self.conn, "SELECT COUNT(*) FROM lf_r.t"), 2001)
        execute(self.conn, "DROP DATABASE lf_r")
        lat = sorted(latencies)
        print("\nwhile a backup is held: 1000 writes, p50 %.2f ms, p99 %.2f ms" % (
            lat[len(lat) // 2] * 1e3, lat[int(len(lat) * 0.99)] * 1e3))

        # Report (no assertion): writer latency before and during a throttled backup.
        def measure(n=400):
            out = []
            for i in range(n):
                t0 = time.perf_counter()
                execute(writer, "UPDATE lf.t SET v = v + 1 WHERE id = %d" % (i % 1500 + 1))
                out.append(time.perf_counter() - t0)
            out.sort()
            return out[len(out) // 2] * 1e3, out[int(len(out) * 0.99)] * 1e3
        quiet = measure()
        execute(self.conn, "SET GLOBAL backup_max_bytes_per_sec = 200000")
        running = self.start_backup("BACKUP DATABASE lf TO 'lf2'")
        wait_for(lambda: execute(self.conn, "SELECT COUNT(*) FROM information_schema.MV_BACKUP_STATUS")[0][0] > 0,
                 "the backup to appear in MV_BACKUP_STATUS")
        busy = measure()
        status = execute(self.conn, "SELECT DATABASE_NAME, PROGRESS, BYTES_TOTAL, STATUS FROM information_schema.MV_BACKUP_STATUS")
        running["thread"].join(120)
        self.assertNotIn("error", running)
        print("writer latency p50 / p99: %.2f / %.2f ms quiet, %.2f / %.2f ms during a throttled backup; status %s" % (
            quiet + busy + (status,)))
        self.assertEqual(status[0][0], "lf")
        writer.close()
        watcher.close()

    # ---- blocked / not blocked --------------------------------------------------------------------------
    def check_matrix(self, mode):
        db = "mx_" + mode
        self.fill(db, 200, tables=("t", "u"))
        execute(self.conn, "CREATE VIEW %s.v0 AS SELECT id FROM %s.t" % (db, db))
        execute(self.conn, "CREATE INDEX i0 ON %s.u (pad)" % db)
        if mode == "locking":
            execute(self.conn, "SET GLOBAL lockfree_backup = OFF")
        backup = self.start_backup("BACKUP DATABASE %s TO '%s'" % (db, db), sync=db)
        blocked = {
            "ALTER DATABASE": "ALTER DATABASE %s DEFAULT COLLATE utf8mb4_bin" % db,
            "SNAPSHOT DATABASE": "SNAPSHOT DATABASE %s" % db,
        }
        free = {
            "CREATE TABLE": "CREATE TABLE %s.n (id INT PRIMARY KEY)" % db,
            "ALTER TABLE": "ALTER TABLE %s.t ADD COLUMN extra INT" % db,
            "DROP TABLE": "DROP TABLE %s.n" % db,
            "INSERT": "INSERT INTO %s.t (id, v) VALUES (99999, 1)" % db,
            "DELETE": "DELETE FROM %s.t WHERE id = 5" % db,
            "TRUNCATE": "TRUNCATE TABLE %s.t" % db,
            "CREATE VIEW": "CREATE VIEW %s.v1 AS SELECT 1 AS one" % db,
            "DROP VIEW": "DROP VIEW %s.v1" % db,
            "ANALYZE": "ANALYZE TABLE %s.t" % db,
            "SHOW TABLE STATUS": "SHOW TABLE STATUS FROM %s" % db,
            "SHOW DATABASE STATUS": "SHOW DATABASE STATUS",
        }
        index_ops = {
            "CREATE INDEX": "CREATE INDEX i1 ON %s.u (v)" % db,
            "DROP INDEX": "DROP INDEX i0 ON %s.u" % db,
            "OPTIMIZE": "OPTIMIZE TABLE %s.u" % db,
        }
        (blocked if mode == "locking" else free).update(index_ops)
        execute(self.conn, "USE " + db)
        for name, sql in free.items():
            execute(self.conn, sql)  # completes while the backup is held
        waiting = []
        for name, sql in blocked.items():
            conn = self.server.connect()
            out = {"name": name, "conn_id": scalar(conn, "SELECT CONNECTION_ID()")}

            def run(conn=conn, sql=sql, out=out):
                try:
                    execute(conn, sql)
                    out["done"] = time.time()
                except pymysql.MySQLError as e:
                    out["error"] = e.args
                finally:
                    conn.close()
            t = threading.Thread(target=run)
            t.start()
            out["thread"] = t
            waiting.append(out)
            wait_for(lambda: scalar(self.conn, "SELECT STATE FROM information_schema.PROCESSLIST WHERE ID = %s",
                                    (out["conn_id"],)) == "Waiting for backup", name + " to wait for the backup")
            self.assertEqual(execute(self.conn, "SELECT BLOCKING_ID, BLOCKING_TYPE FROM information_schema.MV_BLOCKED_QUERIES "
                                                "WHERE ID = %s", (out["conn_id"],)),
                             ((backup["conn_id"], "backup"),), name)
        self.assertIn(("database", db, "backup", "connection %d: BACKUP DATABASE %s TO '%s'" % (backup["conn_id"], db, db)),
                      execute(self.conn, "SHOW LOCKS"))
        time.sleep(0.2)
        for out in waiting:
            self.assertTrue(out["thread"].is_alive(), out["name"] + " finished while the backup was held")
        released = time.time()
        self.release(backup, db)
        self.assertNotIn("error", backup)
        for out in waiting:
            out["thread"].join(60)
            self.assertNotIn("error", out, out["name"])
            self.assertGreaterEqual(out["done"], released, out["name"])
        h = self.history(backup["rows"][0][0])
        self.assertEqual(h["IMPLEMENTATION"], "Locking" if mode == "locking" else "Lockfree")
        # DROP DATABASE waits too.
        backup = self.start_backup("BACKUP DATABASE %s TO '%s_2'" % (db, db), sync=db + "2")
        dropper = self.server.connect()
        drop_id = scalar(dropper, "SELECT CONNECTION_ID()")
        t = threading.Thread(target=lambda: execute(dropper, "DROP DATABASE %s" % db))
        t.start()
        wait_for(lambda: scalar(self.conn, "SELECT STATE FROM information_schema.PROCESSLIST WHERE ID = %s",
                                (drop_id,)) == "Waiting for backup", "DROP DATABASE to wait for the backup")
        self.release(backup, db + "2")
        t.join(60)
        dropper.close()
        self.assertEqual(scalar(self.conn, "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = %s", (db,)), 0)

    def test_blocked_matrix_lockfree(self):
        self.check_matrix("lockfree")

    def test_blocked_matrix_locking(self):
        self.check_matrix("locking")

    def test_locking_backup_holds_back_partition_by_partition_writers(self):
        self.fill("gate", 200)
        execute(self.conn, "SET GLOBAL disable_update_delete_distributed_transactions = ON")
        try:
            backup_conn = self.server.connect()
            execute(backup_conn, "SET debug_sync = 'backup_gate_closed SIGNAL closed WAIT_FOR open'")
            bid = scalar(backup_conn, "SELECT CONNECTION_ID()")
            t = threading.Thread(target=lambda: execute(backup_conn, "BACKUP DATABASE gate TO 'gate1'"))
            t.start()
            execute(self.conn, "SET debug_sync = 'now WAIT_FOR closed'")
            writer = self.server.connect()
            wid = scalar(writer, "SELECT CONNECTION_ID()")
            w = threading.Thread(target=lambda: execute(writer, "UPDATE gate.t SET v = v + 1"))
            w.start()
            wait_for(lambda: scalar(self.conn, "SELECT STATE FROM information_schema.PROCESSLIST WHERE ID = %s", (wid,))
                     == "Waiting for backup", "a partition-by-partition UPDATE to be held back")
            self.assertEqual(execute(self.conn, "SELECT BLOCKING_ID, BLOCKING_TYPE FROM information_schema.MV_BLOCKED_QUERIES "
                                                "WHERE ID = %s", (wid,)), ((bid, "backup"),))
            execute(self.conn, "INSERT INTO gate.t (id, v) VALUES (5000, 1)")  # an atomic write is not held
            execute(self.conn, "SET debug_sync = 'now SIGNAL open'")
            t.join(60)
            w.join(60)
            self.assertEqual(self.last_history()["IMPLEMENTATION"], "Locking")
            backup_conn.close()
            writer.close()
        finally:
            execute(self.conn, "SET GLOBAL disable_update_delete_distributed_transactions = OFF")

    # ---- incremental sets and split partitions ---------------------------------------------------------
    def test_incremental_set(self):
        self.fill("inc", 20000)
        # Settle the freshly loaded table first: RocksDB rewrites new bottom-level files once (sequence numbers
        # zeroed), and a DIFFERENTIAL right after that rewrite would copy the table again (docs/backup.md).
        execute(self.conn, "OPTIMIZE TABLE inc.t")
        digests, ids = [], []
        ids.append(scalar(self.conn, "BACKUP DATABASE inc WITH INIT TO 'inc1'"))
        digests.append(table_digest(self.conn, "inc", "t", "id"))
        for round_ in range(2):
            execute(self.conn, "UPDATE inc.t SET pad = 'changed %d' WHERE id %% 100 = %d" % (round_, round_))
            ids.append(scalar(self.conn, "BACKUP DATABASE inc WITH DIFFERENTIAL TO 'inc1' TAGS ('r%d')" % round_))
            digests.append(table_digest(self.conn, "inc", "t", "id"))
        full = self.history(ids[0])
        self.assertEqual(full["TYPE"], "INCR_INIT")
        self.assertEqual(full["INCR_BACKUP_ID"], ids[0])
        for i in ids[1:]:
            h = self.history(i)
            self.assertEqual(h["TYPE"], "INCR_DIFF")
            print("\nincremental: INIT %d bytes, DIFFERENTIAL %d bytes" % (full["SIZE"], h["SIZE"]))
            self.assertLess(h["SIZE"], full["SIZE"] / 5)
        self.assertEqual(self.history(ids[2])["TAGS"], "r1")
        for n, (i, digest) in enumerate(zip(ids, digests)):
            execute(self.conn, "RESTORE DATABASE inc AS inc_%d FROM 'inc1' WITH FILE = %d" % (n, i))
            self.assertEqual(table_digest(self.conn, "inc_%d" % n, "t", "id"), digest)
            execute(self.conn, "DROP DATABASE inc_%d" % n)
        execute(self.conn, "RESTORE DATABASE inc AS inc_latest FROM 'inc1'")  # the latest by default
        self.assertEqual(table_digest(self.conn, "inc_latest", "t", "id"), digests[-1])
        execute(self.conn, "DROP DATABASE inc_latest")
        with self.assertRaises(pymysql.MySQLError) as e:
            execute(self.conn, "RESTORE DATABASE inc AS x FROM 'inc1' WITH FILE = 999999")
        self.assertEqual(e.exception.args[0], ER_RESTORE)
        with self.assertRaises(pymysql.MySQLError) as e:
            execute(self.conn, "BACKUP DATABASE inc WITH DIFFERENTIAL TO 'no_set_here'")
        self.assertEqual(e.exception.args[0], ER_BACKUP)
        self.assertIn("WITH INIT", e.exception.args[1])

    def test_split_partitions(self):
        self.fill("sp", 5000, partitions=4, tables=("t", "u"))
        execute(self.conn, "CREATE TABLE sp.nopk (a INT, b VARCHAR(10))")
        execute(self.conn, "INSERT INTO sp.nopk VALUES (1,'x'),(2,'y'),(2,'y')")
        bid = scalar(self.conn, "BACKUP DATABASE sp WITH SPLIT PARTITIONS BY 2 TO 'sp1'")
        h = self.history(bid)
        self.assertEqual((h["TYPE"], h["NUM_PARTITIONS"], h["IMPLEMENTATION"]), ("SPLIT_PARTITIONS", 8, "Locking"))
        execute(self.conn, "RESTORE DATABASE sp AS sp8 FROM 'sp1'")
        self.assertEqual(len(execute(self.conn, "SHOW PARTITIONS ON sp8")), 8)
        for t in ("t", "u"):
            self.assertEqual(table_digest(self.conn, "sp8", t, "id"), table_digest(self.conn, "sp", t, "id"))
            # The rows really moved: every one of the 8 partitions holds some, and lookups by key find them.
            parts = execute(self.conn, "SELECT PARTITION_ORDINAL_POSITION, TABLE_ROWS FROM information_schema.PARTITIONS "
                                       "WHERE TABLE_SCHEMA = 'sp8' AND TABLE_NAME = %s", (t,))
            self.assertEqual(len(parts), 8)
            self.assertTrue(all(r[1] > 0 for r in parts), parts)
            self.assertEqual(scalar(self.conn, "SELECT pad FROM sp8.%s WHERE id = 4321" % t), "p" * 100)
            self.assertEqual(scalar(self.conn, "SELECT COUNT(*) FROM sp8.%s WHERE v = 7" % t),
                             scalar(self.conn, "SELECT COUNT(*) FROM sp.%s WHERE v = 7" % t))
        self.assertEqual(execute(self.conn, "SELECT a, b FROM sp8.nopk ORDER BY a, b"),
                         execute(self.conn, "SELECT a, b FROM sp.nopk ORDER BY a, b"))
        execute(self.conn, "DROP DATABASE sp8")

    # ---- damage, kill, paths ---------------------------------------------------------------------------
    def test_checksums_are_crc32c(self):
        self.fill("crc", 2000)
        backup_id = scalar(self.conn, "BACKUP DATABASE crc TO 'crc1'")
        root = os.path.join(self.server.datadir, "backups", "crc1")
        metas = os.listdir(os.path.join(root, "meta"))
        self.assertEqual(len(metas), 1)
        with open(os.path.join(root, "meta", metas[0]), "rb") as f:
            meta = f.read()
        self.assertEqual(self.history(backup_id)["CHECKSUM"], "%08x" % crc32c(meta))
        # BackupEngine's meta file: "<file> crc32 <decimal>" for each file it copied.
        listed = [line.split() for line in meta.decode().splitlines() if " crc32 " in line]
        self.assertTrue(any(name.endswith(".sst") for name, _, _ in listed))
        for name, _, value in listed:
            with open(os.path.join(root, name), "rb") as f:
                self.assertEqual(crc32c(f.read()), int(value), name)

    def test_flipped_byte_is_refused(self):
        self.fill("dmg", 3000)
        execute(self.conn, "BACKUP DATABASE dmg TO 'dmg1'")
        root = os.path.join(self.server.datadir, "backups", "dmg1")
        ssts = [os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs if f.endswith(".sst")]
        self.assertTrue(ssts)
        victim = max(ssts, key=os.path.getsize)
        with open(victim, "r+b") as f:
            f.seek(os.path.getsize(victim) // 2)
            b = f.read(1)
            f.seek(-1, 1)
            f.write(bytes([b[0] ^ 0x40]))
        with self.assertRaises(pymysql.MySQLError) as e:
            execute(self.conn, "RESTORE DATABASE dmg AS dmg_r FROM 'dmg1'")
        self.assertEqual(e.exception.args[0], ER_RESTORE)
        self.assertIn("damaged", e.exception.args[1])
        self.assertEqual(scalar(self.conn, "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'dmg_r'"), 0)
        # A directory that is not a backup, and one that does not exist.
        os.makedirs(os.path.join(self.server.datadir, "backups", "junk"), exist_ok=True)
        with open(os.path.join(self.server.datadir, "backups", "junk", "readme"), "w") as f:
            f.write("not a backup")
        for path in ("junk", "missing"):
            with self.assertRaises(pymysql.MySQLError) as e:
                execute(self.conn, "RESTORE DATABASE dmg AS dmg_r FROM '%s'" % path)
            self.assertEqual(e.exception.args[0], ER_RESTORE)
        with self.assertRaises(pymysql.MySQLError) as e:
            execute(self.conn, "RESTORE DATABASE dmg FROM 'dmg1'")  # the source is still there
        self.assertEqual(e.exception.args[0], ER_DB_CREATE_EXISTS)

    def test_paths_are_confined_to_backup_dir(self):
        self.fill("pth", 10)
        os.symlink("/tmp", os.path.join(self.server.datadir, "backups", "out"))
        for path in ("../escape", "a/../../b", "/tmp/floe-escape", "out/db"):
            with self.assertRaises(pymysql.MySQLError) as e:
                execute(self.conn, "BACKUP DATABASE pth TO '%s'" % path)
            self.assertEqual(e.exception.args[0], ER_BACKUP_PATH, path)
        absolute = os.path.join(self.server.datadir, "backups", "abs")
        execute(self.conn, "BACKUP DATABASE pth TO '%s'" % absolute)  # absolute inside backup_dir is fine
        with self.assertRaises(pymysql.MySQLError) as e:
            execute(self.conn, "BACKUP DATABASE pth TO 'abs'")
        self.assertEqual(e.exception.args[0], ER_BACKUP)
        self.assertIn("already holds a backup", e.exception.args[1])
        with self.assertRaises(pymysql.MySQLError) as e:
            execute(self.conn, "BACKUP DATABASE nosuchdb TO 'x'")
        self.assertEqual(e.exception.args[0], 1049)

    def test_timeout_and_one_writer_per_directory(self):
        self.fill("tmo", 3000)
        # TIMEOUT: a throttled backup that cannot finish in time fails, and the history says why.
        execute(self.conn, "SET GLOBAL backup_max_bytes_per_sec = 50000")
        with self.assertRaises(pymysql.MySQLError) as e:
            execute(self.conn, "BACKUP DATABASE tmo TO 'tmo1' TIMEOUT 300")
        self.assertEqual(e.exception.args[0], ER_BACKUP)
        self.assertIn("TIMEOUT 300 ms", e.exception.args[1])
        h = self.last_history()
        self.assertEqual((h["STATUS"], h["ERROR_CODE"]), ("Failure", ER_BACKUP))
        execute(self.conn, "SET GLOBAL backup_max_bytes_per_sec = 0")
        # A second backup into a directory another backup is writing to is refused at once.
        self.fill("tmo2", 10)
        held = self.start_backup("BACKUP DATABASE tmo WITH INIT TO 'shared_dir'", sync="tmo_held")
        with self.assertRaises(pymysql.MySQLError) as e:
            execute(self.conn, "BACKUP DATABASE tmo2 TO 'shared_dir'")
        self.assertEqual(e.exception.args[0], ER_BACKUP)
        self.assertIn("another backup is writing", e.exception.args[1])
        self.release(held, "tmo_held")
        self.assertNotIn("error", held)

    def test_kill_query_stops_a_backup(self):
        self.fill("kq", 3000)
        execute(self.conn, "SET GLOBAL backup_max_bytes_per_sec = 50000")
        backup = self.start_backup("BACKUP DATABASE kq TO 'kq1'")
        wait_for(lambda: scalar(self.conn, "SELECT COUNT(*) FROM information_schema.MV_BACKUP_STATUS "
                                           "WHERE STATUS = 'Copying'") == 1, "the backup to copy")
        execute(self.conn, "KILL QUERY %d" % backup["conn_id"])
        backup["thread"].join(30)
        self.assertEqual(backup.get("error"), ER_QUERY_INTERRUPTED)
        h = self.last_history()
        self.assertEqual((h["STATUS"], h["ERROR_CODE"]), ("Failure", ER_QUERY_INTERRUPTED))
        with self.assertRaises(pymysql.MySQLError) as e:
            execute(self.conn, "RESTORE DATABASE kq AS kq_r FROM 'kq1'")
        self.assertEqual(e.exception.args[0], ER_RESTORE)
        self.assertIn("no complete backup", e.exception.args[1])
        # The directory can take a new backup.
        execute(self.conn, "SET GLOBAL backup_max_bytes_per_sec = 0")
        execute(self.conn, "BACKUP DATABASE kq TO 'kq1'")


class BackupCrash(unittest.TestCase):
    def test_kill9_mid_backup(self):
        # --backup-dir on the command line is where backups go (not overridden by the default).
        backup_dir = os.path.join(floe.TMP, "py", "backup-crash-dir")
        shutil.rmtree(backup_dir, ignore_errors=True)
        server = Floed("backup-crash", "--backup-dir=" + backup_dir).start()
        try:
            conn = server.connect()
            self.assertEqual(scalar(conn, "SELECT @@backup_dir"), backup_dir)
            execute(conn, "CREATE DATABASE c PARTITIONS 2")
            execute(conn, "CREATE TABLE c.t (id INT PRIMARY KEY, pad VARCHAR(500))")
            for start in range(0, 4000, 500):
                execute(conn, "INSERT INTO c.t VALUES " + ",".join(
                    "(%d,'%s')" % (i, os.urandom(200).hex()) for i in range(start, start + 500)))
            digest = table_digest(conn, "c", "t", "id")
            execute(conn, "SET GLOBAL backup_max_bytes_per_sec = 100000")
            other = server.connect()
            t = threading.Thread(target=lambda: self.assertRaises(pymysql.MySQLError, execute, other,
                                                                  "BACKUP DATABASE c TO 'c1'"))
            t.start()
            wait_for(lambda: scalar(conn, "SELECT COUNT(*) FROM information_schema.MV_BACKUP_STATUS "
                                          "WHERE BYTES_DONE > 0") == 1, "the backup to copy some bytes")
            server.kill9()
            t.join(30)
            server.start(fresh=False)
            conn = server.connect()
            h = execute(conn, "SELECT STATUS, ERROR_MESSAGE FROM information_schema.MV_BACKUP_HISTORY")
            self.assertEqual(len(h), 1)
            self.assertEqual(h[0][0], "Failure")
            self.assertIn("server stopped", h[0][1])
            with self.assertRaises(pymysql.MySQLError) as e:
                execute(conn, "RESTORE DATABASE c AS c_r FROM 'c1'")
            self.assertEqual(e.exception.args[0], ER_RESTORE)
            self.assertEqual(table_digest(conn, "c", "t", "id"), digest)
            # A new backup into the same directory works and restores.
            execute(conn, "BACKUP DATABASE c TO 'c1'")
            self.assertTrue(os.path.isdir(os.path.join(backup_dir, "c1", "meta")))
            execute(conn, "RESTORE DATABASE c AS c_r FROM 'c1'")
            self.assertEqual(table_digest(conn, "c_r", "t", "id"), digest)
            self.assertEqual(len(execute(conn, "SELECT * FROM information_schema.MV_BACKUP_HISTORY")), 2)
            conn.close()
        finally:
            server.stop()


if __name__ == "__main__":
    unittest.main(verbosity=2)
