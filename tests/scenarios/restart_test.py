"""Durability: databases, tables, indexes and rows made through a client are all there, equal, after floed is
killed with SIGKILL and started again on the same data directory — including a statement acknowledged just
before the kill. Also: rows of a PARTITIONS 4 database spread over all partitions, and each is found again."""
import os
import sys
import threading
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from floe import Floed, execute, scalar  # noqa: E402
from pymysql.constants import CLIENT  # noqa: E402


def snapshot(conn):
    """Everything a user could look at: databases, each table's DDL and rows in primary-key order."""
    out = {}
    with conn.cursor() as cur:
        cur.execute("SHOW DATABASES")
        dbs = sorted(r[0] for r in cur.fetchall() if r[0] != "information_schema")
        out["databases"] = dbs
        for db in dbs:
            cur.execute("SHOW CREATE DATABASE `%s`" % db)
            out[db] = {"ddl": cur.fetchone()[1]}
            cur.execute("SHOW TABLES FROM `%s`" % db)
            for (table,) in cur.fetchall():
                cur.execute("SHOW CREATE TABLE `%s`.`%s`" % (db, table))
                ddl = cur.fetchone()[1]
                cur.execute("SELECT * FROM `%s`.`%s` ORDER BY 1, 2" % (db, table))
                out[db][table] = (ddl, cur.fetchall())
    return out


def status(conn, name):
    with conn.cursor() as cur:
        cur.execute("SHOW GLOBAL STATUS LIKE %s", (name,))
        return int(cur.fetchone()[1])


class Restart(unittest.TestCase):
    def test_each_acknowledged_commit_waited_for_a_log_sync(self):
        """Group commit: a commit is written with its log unsynced and its OK waits for a sync that began after
        it (Wal_syncs grows between sending it and hearing OK); reads wait for none; with --wal-sync=OFF
        nothing waits."""
        with Floed("group_commit") as server:
            writer, watcher = server.connect(), server.connect()
            with writer.cursor() as cur:
                cur.execute("CREATE DATABASE g")
                cur.execute("CREATE TABLE g.t (id INT PRIMARY KEY, v INT)")
            for i in range(20):
                syncs, waits = status(watcher, "Wal_syncs"), status(watcher, "Wal_sync_waits")
                inline = status(watcher, "Wal_syncs_inline")
                with writer.cursor() as cur:
                    cur.execute("INSERT INTO g.t VALUES (%s, %s)", (i, i))
                self.assertGreaterEqual(status(watcher, "Wal_syncs"), syncs + 1, "commit %d" % i)
                self.assertEqual(status(watcher, "Wal_sync_waits"), waits + 1, "commit %d" % i)
                # Alone on the server: synced on its own I/O thread, no hand-off to the syncer thread.
                self.assertEqual(status(watcher, "Wal_syncs_inline"), inline + 1, "commit %d" % i)
            # A transaction's statements before COMMIT, and reads, wait for no sync.
            waits = status(watcher, "Wal_sync_waits")
            with writer.cursor() as cur:
                cur.execute("BEGIN")
                cur.execute("UPDATE g.t SET v = v + 1 WHERE id < 10")
                cur.execute("SELECT COUNT(*) FROM g.t")
                self.assertEqual(status(watcher, "Wal_sync_waits"), waits)
                cur.execute("COMMIT")
            self.assertEqual(status(watcher, "Wal_sync_waits"), waits + 1)
            self.assertEqual(scalar(watcher, "SELECT SUM(v) FROM g.t"), sum(range(20)) + 10)
            # One query committing in two databases (multi-statements): its answer waits for both logs' syncs.
            with writer.cursor() as cur:
                cur.execute("CREATE DATABASE h")
                cur.execute("CREATE TABLE h.t (id INT PRIMARY KEY)")
            multi = server.connect(client_flag=CLIENT.MULTI_STATEMENTS)
            waits = status(watcher, "Wal_sync_waits")
            with multi.cursor() as cur:
                cur.execute("INSERT INTO g.t VALUES (100, 0); INSERT INTO h.t VALUES (1)")
                while cur.nextset():
                    pass
            self.assertEqual(status(watcher, "Wal_sync_waits"), waits + 2)
        with Floed("group_commit_off", "--wal-sync=OFF") as server:
            conn = server.connect()
            with conn.cursor() as cur:
                cur.execute("CREATE DATABASE g")
                cur.execute("CREATE TABLE g.t (id INT PRIMARY KEY)")
                for i in range(5):
                    cur.execute("INSERT INTO g.t VALUES (%s)", (i,))
            self.assertEqual(status(conn, "Wal_sync_waits"), 0)
            self.assertEqual(scalar(conn, "SELECT COUNT(*) FROM g.t"), 5)

    def test_concurrent_commits_share_syncs(self):
        """16 connections committing at once: every commit waits for a sync, and syncs cover several commits
        each (a commit syncs on its own thread only when it is alone)."""
        with Floed("group_commit_concurrent") as server:
            conn = server.connect()
            execute(conn, "CREATE DATABASE g")
            execute(conn, "CREATE TABLE g.t (id INT PRIMARY KEY)")
            syncs, waits = status(conn, "Wal_syncs"), status(conn, "Wal_sync_waits")
            inline = status(conn, "Wal_syncs_inline")
            errors = []

            def writer(n):
                try:
                    c = server.connect()
                    for i in range(30):
                        execute(c, "INSERT INTO g.t VALUES (%s)", (n * 1000 + i,))
                    c.close()
                except Exception as e:  # reported below
                    errors.append(e)

            threads = [threading.Thread(target=writer, args=(n,)) for n in range(16)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            self.assertEqual(errors, [])
            self.assertEqual(scalar(conn, "SELECT COUNT(*) FROM g.t"), 480)
            commits = status(conn, "Wal_sync_waits") - waits
            fsyncs = status(conn, "Wal_syncs") - syncs
            print("\n16 writers: %d commits, %d log syncs (%d on the committing thread)"
                  % (commits, fsyncs, status(conn, "Wal_syncs_inline") - inline))
            self.assertEqual(commits, 480)
            self.assertLess(fsyncs, commits)

    def test_kill_9_and_restart_keep_everything(self):
        server = Floed("restart").start()
        try:
            conn = server.connect()
            with conn.cursor() as cur:
                cur.execute("CREATE DATABASE shop PARTITIONS 4")
                cur.execute("CREATE DATABASE other")
                cur.execute("USE shop")
                cur.execute("CREATE TABLE items (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(50) NOT NULL, "
                            "price DECIMAL(10,2), created DATETIME, UNIQUE KEY uk_name (name), KEY k_price (price))")
                cur.execute("CREATE TABLE notes (body TEXT, n BIGINT UNSIGNED)")
                cur.execute("CREATE TABLE other.t (a INT PRIMARY KEY, b VARBINARY(8), SHARD KEY (a))")
                for batch in range(10):
                    values = ",".join("('item %d', %d.25, '2024-01-%02d 10:00:00')" % (batch * 100 + i, i, i % 28 + 1)
                                      for i in range(100))
                    cur.execute("INSERT INTO items (name, price, created) VALUES " + values)
                cur.execute("INSERT INTO notes VALUES ('café 😀', 18446744073709551615), (NULL, 0), ('x', 1)")
                cur.execute("INSERT INTO other.t VALUES (1, X'00FF'), (2, NULL)")
                cur.execute("UPDATE items SET price = price * 2 WHERE id <= 50")
                cur.execute("DELETE FROM items WHERE id BETWEEN 900 AND 950")
                cur.execute("DROP TABLE IF EXISTS nothing_here")
                cur.execute("CREATE TABLE gone (x INT)")
                cur.execute("DROP TABLE gone")
            before = snapshot(conn)
            # The last acknowledged statement, immediately followed by SIGKILL.
            with conn.cursor() as cur:
                cur.execute("INSERT INTO shop.items (name, price) VALUES ('last words', 1.00)")
            server.kill9()
            server.start(fresh=False)
            conn = server.connect()
            after = snapshot(conn)
            self.assertEqual(scalar(conn, "SELECT name FROM shop.items WHERE name = 'last words'"), "last words")
            with conn.cursor() as cur:
                cur.execute("DELETE FROM shop.items WHERE name = 'last words'")
            after = snapshot(conn)
            self.assertEqual(before, after)
            self.assertEqual(len(after["shop"]["items"][1]), 949)
            # AUTO_INCREMENT continues after the restart.
            with conn.cursor() as cur:
                cur.execute("INSERT INTO shop.items (name) VALUES ('after restart')")
                self.assertGreater(cur.lastrowid, 1000)
        finally:
            server.stop()

    def test_counters_continue_after_restart(self):
        """AUTO_INCREMENT and hidden row ids go on from the largest value stored (found from each index's last
        entry, not by reading every row): a primary key, a secondary index led by the counter, negative values
        only, and a table without a primary key whose new rows must not overwrite old ones."""
        with Floed("counters") as server:
            conn = server.connect()
            for sql in ("CREATE DATABASE c PARTITIONS 4",
                        "CREATE TABLE c.pk (id BIGINT AUTO_INCREMENT PRIMARY KEY, v INT)",
                        "CREATE TABLE c.sec (a INT PRIMARY KEY, id INT AUTO_INCREMENT, KEY (id))",
                        "CREATE TABLE c.neg (id INT AUTO_INCREMENT PRIMARY KEY, v INT)",
                        "CREATE TABLE c.nopk (v INT)",
                        "INSERT INTO c.pk (v) VALUES " + ",".join("(%d)" % i for i in range(300)),
                        "INSERT INTO c.pk VALUES (5000, 0), (4999, 0)",
                        "INSERT INTO c.sec VALUES " + ",".join("(%d, %d)" % (i, 1000 - i) for i in range(1, 224)),
                        "INSERT INTO c.neg VALUES (-5, 0), (-3, 0)",
                        "INSERT INTO c.nopk VALUES " + ",".join("(%d)" % i for i in range(500))):
                execute(conn, sql)
            server.stop()
            server.start(fresh=False)
            with server.connect().cursor() as cur:
                cur.execute("INSERT INTO c.pk (v) VALUES (1)")
                self.assertEqual(cur.lastrowid, 5001)
                cur.execute("INSERT INTO c.sec (a) VALUES (1000)")
                self.assertEqual(cur.lastrowid, 1000)
                cur.execute("INSERT INTO c.neg (v) VALUES (1)")
                self.assertEqual(cur.lastrowid, 1)
                cur.execute("INSERT INTO c.nopk VALUES (1000), (1001)")
                cur.execute("SELECT COUNT(*), SUM(v) FROM c.nopk")
                self.assertEqual(cur.fetchone(), (502, sum(range(500)) + 2001))

    def test_partitions_spread_and_point_lookups(self):
        with Floed("partitions") as server:
            conn = server.connect()
            with conn.cursor() as cur:
                cur.execute("CREATE DATABASE p4 PARTITIONS 4")
                cur.execute("CREATE TABLE p4.t (id INT PRIMARY KEY, v VARCHAR(10))")
                cur.execute("INSERT INTO p4.t VALUES " + ",".join("(%d, 'v%d')" % (i, i) for i in range(1, 401)))
                cur.execute("SHOW PARTITIONS ON p4")
                self.assertEqual([r[0] for r in cur.fetchall()], [0, 1, 2, 3])
            # Every row is found again by its key (the partition is recomputed from the shard key).
            for i in range(1, 401):
                self.assertEqual(scalar(conn, "SELECT v FROM p4.t WHERE id = %d" % i), "v%d" % i)
            # Rows per partition, through information_schema.PARTITIONS: every partition holds some, none lost.
            with conn.cursor() as cur:
                cur.execute("SELECT PARTITION_NAME, TABLE_ROWS FROM information_schema.PARTITIONS "
                            "WHERE TABLE_SCHEMA = 'p4' AND TABLE_NAME = 't' ORDER BY PARTITION_ORDINAL_POSITION")
                per_partition = cur.fetchall()
                print("\nrows per partition:", per_partition)
                self.assertEqual([name for name, _ in per_partition], ["p0", "p1", "p2", "p3"])
                self.assertTrue(all(rows >= 50 for _, rows in per_partition), per_partition)
                self.assertEqual(sum(rows for _, rows in per_partition), 400)
                cur.execute("SELECT id FROM p4.t ORDER BY id")
                self.assertEqual([r[0] for r in cur.fetchall()], list(range(1, 401)))


if __name__ == "__main__":
    unittest.main(verbosity=2)
