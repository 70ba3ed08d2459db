"""Transactions and row locks under real concurrent PyMySQL sessions, with exact outcomes:
  - the OK packet's in-transaction flag;
  - a two-session deadlock: exactly one 1213, within a second, and the other completes;
  - cross-partition DELETEs at once, 100 runs: each ends in success or 1213, never a hang or a 1205;
  - hot rows: 12 sessions incrementing 4 rows (by key, by scan, in transactions) while others delete and
    re-insert a fifth: every acknowledged increment is in;
  - an UPDATE waiting for a row that another transaction moves to a new primary key changes nothing;
  - bank transfers: 16 sessions, 10,000 accounts in 8 partitions, random ROLLBACKs and KILLs, readers that
    must always see the same total; at the end every acknowledged transfer is in and every transfer is whole;
  - kill -9 in the middle of a writer, 20 rounds: every acknowledged commit survives, no partial one does;
  - CREATE INDEX waiting for an open writer, with another writer queued behind it: every row is in the index;
  - SIGTERM while a statement waits for a lock: the wait ends at once, the open transaction is not kept.
FLOE_STRESS_SECONDS shortens or lengthens the bank run (default 30)."""
import os
import random
import sys
import threading
import time
import unittest

import pymysql

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from floe import Floed, execute, scalar, wait_for  # noqa: E402

IN_TRANS = 0x0001
DEADLOCK, LOCK_WAIT_TIMEOUT, INTERRUPTED = 1213, 1205, 1317


class Transactions(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Floed("transactions").start()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def test_in_transaction_status_flag(self):
        conn = self.server.connect(autocommit=True)
        execute(conn, "CREATE DATABASE IF NOT EXISTS flags")
        execute(conn, "CREATE TABLE IF NOT EXISTS flags.t (a INT PRIMARY KEY)")
        self.assertFalse(conn.server_status & IN_TRANS)
        execute(conn, "BEGIN")
        self.assertTrue(conn.server_status & IN_TRANS)
        execute(conn, "INSERT INTO flags.t VALUES (1)")
        self.assertTrue(conn.server_status & IN_TRANS)
        execute(conn, "COMMIT")
        self.assertFalse(conn.server_status & IN_TRANS)
        conn.autocommit(False)
        self.assertFalse(conn.server_status & IN_TRANS)  # SET autocommit=0 alone opens nothing
        execute(conn, "SELECT * FROM flags.t")
        execute(conn, "SET @x = 1")  # PyMySQL reads the status from OK packets only
        self.assertTrue(conn.server_status & IN_TRANS)
        conn.rollback()
        self.assertFalse(conn.server_status & IN_TRANS)
        conn.close()

    def test_two_session_deadlock(self):
        setup = self.server.connect()
        execute(setup, "CREATE DATABASE IF NOT EXISTS dl")
        execute(setup, "CREATE TABLE IF NOT EXISTS dl.t (id INT PRIMARY KEY, v INT)")
        for run in range(5):
            execute(setup, "REPLACE INTO dl.t VALUES (1, 0), (2, 0)")
            a, b = self.server.connect(), self.server.connect()
            for c in (a, b):
                execute(c, "SET SESSION lock_wait_timeout = 30")
                execute(c, "BEGIN")
            execute(a, "UPDATE dl.t SET v = v + 1 WHERE id = 1")
            execute(b, "UPDATE dl.t SET v = v + 10 WHERE id = 2")
            outcome = {}

            def second(name, conn, row):
                start = time.monotonic()
                try:
                    execute(conn, "UPDATE dl.t SET v = v + 100 WHERE id = %s", (row,))
                    execute(conn, "COMMIT")
                    outcome[name] = ("ok", time.monotonic() - start)
                except pymysql.MySQLError as e:
                    outcome[name] = (e.args[0], time.monotonic() - start)

            ta = threading.Thread(target=second, args=("a", a, 2))
            ta.start()
            # b closes the cycle once a is waiting
            deadline = time.time() + 10
            while time.time() < deadline:
                if scalar(setup, "SELECT COUNT(*) FROM information_schema.PROCESSLIST "
                                 "WHERE STATE = 'Waiting for row lock'") == 1:
                    break
                time.sleep(0.01)
            second("b", b, 1)
            ta.join(timeout=30)
            self.assertFalse(ta.is_alive(), "a hung")
            codes = sorted(str(v[0]) for v in outcome.values())
            self.assertEqual(codes, sorted(["ok", str(DEADLOCK)]), (run, outcome))
            victim = [k for k, v in outcome.items() if v[0] == DEADLOCK][0]
            self.assertEqual(victim, "b", "the younger transaction is the victim")
            self.assertLess(outcome["b"][1], 1.0, "1213 comes at once")
            # a's transaction is whole; b's is gone entirely
            self.assertEqual(execute(setup, "SELECT id, v FROM dl.t ORDER BY id"), ((1, 1), (2, 100)))
            a.close()
            b.close()
        setup.close()

    def test_cross_partition_deletes(self):
        setup = self.server.connect()
        execute(setup, "CREATE DATABASE IF NOT EXISTS xp PARTITIONS 8")
        execute(setup, "CREATE TABLE IF NOT EXISTS xp.t (id INT PRIMARY KEY, grp INT, KEY (grp))")
        outcomes = {}
        for run in range(100):
            execute(setup, "DELETE FROM xp.t")
            execute(setup, "INSERT INTO xp.t VALUES " + ", ".join("(%d, %d)" % (i, i % 2) for i in range(64)))
            conns = [self.server.connect() for _ in range(2)]
            for c in conns:
                execute(c, "SET SESSION lock_wait_timeout = 20")
            # Half the runs: each first deletes a row the other's big DELETE needs (a certain cycle); the
            # rest: two plain DELETEs over every partition at once.
            crossed = run % 2 == 0
            results = [None, None]
            barrier = threading.Barrier(2)

            def work(k):
                c = conns[k]
                start = time.monotonic()
                try:
                    execute(c, "BEGIN")
                    if crossed:
                        execute(c, "DELETE FROM xp.t WHERE id = %s", (2 + 2 * k * 17,))  # grp 0, other partitions
                    barrier.wait(timeout=10)
                    execute(c, "DELETE FROM xp.t WHERE grp = 0")
                    execute(c, "COMMIT")
                    results[k] = ("ok", time.monotonic() - start)
                except pymysql.MySQLError as e:
                    results[k] = (e.args[0], time.monotonic() - start)

            threads = [threading.Thread(target=work, args=(k,)) for k in range(2)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(timeout=30)
                self.assertFalse(t.is_alive(), "run %d hung" % run)
            for code, seconds in results:
                self.assertIn(code, ("ok", DEADLOCK), (run, results))
                self.assertLess(seconds, 15, (run, results))
            self.assertIn("ok", [r[0] for r in results], (run, results))
            if crossed:
                self.assertEqual(sorted(str(r[0]) for r in results), ["1213", "ok"], (run, results))
            # whoever committed removed every grp 0 row; the other rows are untouched
            self.assertEqual(scalar(setup, "SELECT COUNT(*) FROM xp.t WHERE grp = 0"), 0)
            self.assertEqual(scalar(setup, "SELECT COUNT(*) FROM xp.t WHERE grp = 1"), 32)
            for r in results:
                outcomes[str(r[0])] = outcomes.get(str(r[0]), 0) + 1
            for c in conns:
                c.close()
        print("cross-partition DELETE outcomes over 100 runs:", outcomes, file=sys.stderr)
        setup.close()

    def test_create_index_while_writers_wait(self):
        """CREATE INDEX (built in place) waits for an open writer, a writer arriving meanwhile waits for it; each
        round, every row written before, during and after is found through the new index."""
        setup = self.server.connect()
        execute(setup, "CREATE DATABASE IF NOT EXISTS ci PARTITIONS 4")
        execute(setup, "CREATE TABLE IF NOT EXISTS ci.t (id INT PRIMARY KEY, g INT)")
        execute(setup, "DELETE FROM ci.t")
        for base in range(0, 20000, 2000):
            execute(setup, "INSERT INTO ci.t VALUES " + ", ".join("(%d, %d)" % (i, i % 13) for i in range(base, base + 2000)))

        def running(prefix):
            return scalar(setup, "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE %s",
                          (prefix + "%",)) > 0

        for rnd in range(3):
            holder, ddl, late = (self.server.connect() for _ in range(3))
            execute(holder, "BEGIN")
            execute(holder, "INSERT INTO ci.t VALUES (%s, 7)", (100000 + rnd * 10,))
            outcome = {}

            def run(name, conn, sql):
                try:
                    execute(conn, sql)
                    outcome[name] = "ok"
                except pymysql.MySQLError as e:
                    outcome[name] = e.args[0]

            t_ddl = threading.Thread(target=run, args=("ddl", ddl, "CREATE INDEX kg ON ci.t (g)"))
            t_ddl.start()
            wait_for(lambda: running("CREATE INDEX"), "CREATE INDEX waiting")
            t_late = threading.Thread(target=run, args=("late", late, "INSERT INTO ci.t VALUES (%d, 7)" % (100001 + rnd * 10)))
            t_late.start()
            wait_for(lambda: running("INSERT INTO ci.t"), "the late INSERT waiting")
            execute(holder, "INSERT INTO ci.t VALUES (%s, 7)", (100002 + rnd * 10,))
            execute(holder, "COMMIT")
            for t in (t_ddl, t_late):
                t.join(timeout=60)
                self.assertFalse(t.is_alive())
            self.assertEqual(outcome, {"ddl": "ok", "late": "ok"})
            execute(setup, "UPDATE ci.t SET g = 7 WHERE id = %s", (rnd,))  # moves within the index
            plan = setup.cursor()
            plan.execute("EXPLAIN SELECT id FROM ci.t WHERE g = 7")
            self.assertEqual(plan.fetchone()[6], "kg")
            via_index = [r[0] for r in execute(setup, "SELECT id FROM ci.t WHERE g = 7 ORDER BY id")]
            via_rows = [r[0] for r in execute(setup, "SELECT id FROM ci.t WHERE g + 0 = 7 ORDER BY id")]
            self.assertEqual(via_index, via_rows)
            for k in range(3):
                self.assertIn(100000 + rnd * 10 + k, via_index)
            self.assertIn(rnd, via_index)
            execute(setup, "DROP INDEX kg ON ci.t")
            for c in (holder, ddl, late):
                c.close()
        setup.close()

    def test_hot_row_updates_lose_nothing(self):
        # UPDATE / DELETE lock a row they read as committed now and read it again only when a commit may have
        # changed it since (storage/row_stamps.h): 12 sessions on 4 rows make that happen all the time. Every
        # acknowledged increment must be in, by primary key (point reads) and by a scan (grp), in autocommit and
        # in two-row transactions, while other sessions delete and re-insert a fifth row.
        setup = self.server.connect()
        execute(setup, "CREATE DATABASE hot PARTITIONS 4")
        execute(setup, "CREATE TABLE hot.t (id INT PRIMARY KEY, grp INT NOT NULL, v BIGINT NOT NULL)")
        execute(setup, "INSERT INTO hot.t VALUES (1, 1, 0), (2, 1, 0), (3, 2, 0), (4, 2, 0)")
        rounds, sessions = 150, 12
        acked = [0] * 5  # increments acknowledged per id (index 0 unused)
        cycles = [0]
        lock = threading.Lock()
        failures = []

        def incrementer(w):
            rng = random.Random(w)
            conn = self.server.connect(database="hot")
            for _ in range(rounds):
                a, b = rng.sample([1, 2, 3, 4], 2)
                try:
                    kind = rng.randrange(3)
                    if kind == 0:
                        execute(conn, "UPDATE t SET v = v + 1 WHERE id = %s", (a,))
                        done = [a]
                    elif kind == 1:
                        # By a scan of the group (no key condition on id): each row of it once.
                        grp = 1 if a <= 2 else 2
                        execute(conn, "UPDATE t SET v = v + 1 WHERE grp = %s AND id <> 5", (grp,))
                        done = [1, 2] if grp == 1 else [3, 4]
                    else:
                        execute(conn, "BEGIN")
                        execute(conn, "UPDATE t SET v = v + 1 WHERE id = %s", (a,))
                        execute(conn, "UPDATE t SET v = v + 1 WHERE id = %s", (b,))
                        execute(conn, "UPDATE t SET v = v + 1 WHERE id = %s", (a,))
                        execute(conn, "COMMIT")
                        done = [a, b, a]
                except pymysql.MySQLError as e:
                    if e.args[0] != DEADLOCK:
                        with lock:
                            failures.append(repr(e))
                    continue  # a deadlock victim's transaction is rolled back whole
                with lock:
                    for i in done:
                        acked[i] += 1
            conn.close()

        def recycler():
            conn = self.server.connect(database="hot")
            for _ in range(rounds):
                try:
                    execute(conn, "INSERT INTO t VALUES (5, 3, 0)")
                    execute(conn, "UPDATE t SET v = v + 1 WHERE id = 5")
                    execute(conn, "DELETE FROM t WHERE id = 5 AND v = 1")
                except pymysql.MySQLError as e:
                    if e.args[0] != 1062:  # the other recycler's row is in
                        with lock:
                            failures.append(repr(e))
                    execute(conn, "DELETE FROM t WHERE id = 5")
                    continue
                with lock:
                    cycles[0] += 1
            conn.close()

        threads = [threading.Thread(target=incrementer, args=(w,)) for w in range(sessions)]
        threads += [threading.Thread(target=recycler) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
            if t.is_alive():
                print(execute(setup, "SHOW FULL PROCESSLIST"), file=sys.stderr)
                print(execute(setup, "SELECT * FROM information_schema.MV_BLOCKED_QUERIES"), file=sys.stderr)
            self.assertFalse(t.is_alive(), "a session hung")
        self.assertEqual(failures, [])
        got = dict(execute(setup, "SELECT id, v FROM hot.t WHERE id <= 4"))
        self.assertEqual([got[i] for i in range(1, 5)], acked[1:], "acknowledged increments lost")
        self.assertGreater(sum(acked), sessions * rounds)
        self.assertGreater(cycles[0], 0)
        setup.close()

    def test_update_waiting_for_a_row_whose_key_changed(self):
        # B finds row 1 and waits for its lock while A moves the row to id 100. Once A commits, row 1 is gone:
        # B must change nothing (not write row 1 back beside row 100), as InnoDB does.
        setup = self.server.connect()
        execute(setup, "CREATE DATABASE moved")
        execute(setup, "CREATE TABLE moved.t (id INT PRIMARY KEY, v INT NOT NULL)")
        execute(setup, "INSERT INTO moved.t VALUES (1, 10), (2, 20)")
        a = self.server.connect(database="moved")
        b = self.server.connect(database="moved")
        execute(a, "BEGIN")
        execute(a, "UPDATE t SET id = 100 WHERE id = 1")
        outcome = {}

        def waiter():
            with b.cursor() as cur:
                outcome["affected"] = cur.execute("UPDATE t SET v = v + 1 WHERE id = 1")

        t = threading.Thread(target=waiter)
        t.start()
        wait_for(lambda: any(r[6] == "Waiting for row lock" for r in execute(setup, "SHOW PROCESSLIST")),
                 "B waiting for row 1")
        execute(a, "COMMIT")
        t.join(timeout=30)
        self.assertFalse(t.is_alive(), "B hung")
        self.assertEqual(outcome.get("affected"), 0)
        self.assertEqual(execute(setup, "SELECT id, v FROM moved.t ORDER BY id"), ((2, 20), (100, 10)))
        for c in (a, b, setup):
            c.close()

    def test_bank_transfers_with_rollbacks_and_kills(self):
        seconds = float(os.environ.get("FLOE_STRESS_SECONDS", "30"))
        accounts, start_balance, sessions = 10000, 1000, 16
        setup = self.server.connect()
        execute(setup, "CREATE DATABASE bank PARTITIONS 8")
        execute(setup, "CREATE TABLE bank.acc (id INT PRIMARY KEY, bal BIGINT NOT NULL)")
        execute(setup, "CREATE TABLE bank.log (tid BIGINT PRIMARY KEY, src INT, dst INT, amount INT)")
        for lo in range(0, accounts, 1000):
            execute(setup, "INSERT INTO bank.acc VALUES " +
                    ", ".join("(%d, %d)" % (i, start_balance) for i in range(lo, lo + 1000)))
        total = accounts * start_balance
        stop = threading.Event()
        acked, lock = [], threading.Lock()
        counts = {"commit": 0, "rollback": 0, "deadlock": 0, "killed": 0, "reconnect": 0}
        failures = []
        conn_ids = {}

        def worker(w):
            rng = random.Random(w)
            conn = None
            tid = w * 10**9
            while not stop.is_set():
                try:
                    if conn is None:
                        conn = self.server.connect(database="bank")
                        execute(conn, "SET SESSION lock_wait_timeout = 20")
                        with lock:
                            conn_ids[w] = conn.thread_id()
                    tid += 1
                    src, dst = rng.sample(range(accounts), 2)
                    amount = rng.randint(1, 50)
                    execute(conn, "BEGIN")
                    execute(conn, "UPDATE acc SET bal = bal - %s WHERE id = %s", (amount, src))
                    execute(conn, "UPDATE acc SET bal = bal + %s WHERE id = %s", (amount, dst))
                    execute(conn, "INSERT INTO log VALUES (%s, %s, %s, %s)", (tid, src, dst, amount))
                    if rng.random() < 0.1:
                        execute(conn, "ROLLBACK")
                        with lock:
                            counts["rollback"] += 1
                        continue
                    execute(conn, "COMMIT")
                    with lock:
                        acked.append(tid)
                        counts["commit"] += 1
                except pymysql.MySQLError as e:
                    code = e.args[0]
                    with lock:
                        if code == DEADLOCK:
                            counts["deadlock"] += 1
                        elif code == INTERRUPTED:
                            counts["killed"] += 1
                        elif code in (2013, 2006, 2003, 1053) or isinstance(e, pymysql.err.InterfaceError):
                            counts["reconnect"] += 1
                        else:
                            failures.append(repr(e))
                    if code == DEADLOCK:
                        continue  # the transaction is gone already
                    try:
                        if conn is not None and code == INTERRUPTED:
                            execute(conn, "ROLLBACK")
                            continue
                    except pymysql.MySQLError:
                        pass
                    try:
                        if conn is not None:
                            conn.close()
                    except Exception:
                        pass
                    conn = None
            if conn is not None:
                conn.close()

        def reader():
            conn = self.server.connect(database="bank")
            while not stop.is_set():
                got = scalar(conn, "SELECT SUM(bal) FROM acc")
                if got != total:
                    failures.append("a reader saw total %s" % got)
            conn.close()

        def killer():
            conn = self.server.connect()
            rng = random.Random(99)
            while not stop.wait(0.2):
                with lock:
                    ids = list(conn_ids.values())
                victim = rng.choice(ids) if ids else None
                if victim is None:
                    continue
                try:
                    execute(conn, ("KILL QUERY %d" if rng.random() < 0.5 else "KILL %d") % victim)
                except pymysql.MySQLError:
                    pass  # already gone
            conn.close()

        threads = [threading.Thread(target=worker, args=(w,)) for w in range(sessions)]
        threads += [threading.Thread(target=reader) for _ in range(2)] + [threading.Thread(target=killer)]
        for t in threads:
            t.start()
        time.sleep(seconds)
        stop.set()
        for t in threads:
            t.join(timeout=60)
            self.assertFalse(t.is_alive(), "a session hung")
        print("bank transfers in %.0f s: %s" % (seconds, counts), file=sys.stderr)
        self.assertEqual(failures, [])
        self.assertGreater(counts["commit"], 100)
        self.assertEqual(scalar(setup, "SELECT SUM(bal) FROM bank.acc"), total)
        # Every acknowledged transfer is in; every transfer in the log moved exactly its amount.
        logged = {r[0]: r[1:] for r in execute(setup, "SELECT tid, src, dst, amount FROM bank.log")}
        missing = [t for t in acked if t not in logged]
        self.assertEqual(missing, [], "acknowledged transfers lost")
        expected = [start_balance] * accounts
        for src, dst, amount in logged.values():
            expected[src] -= amount
            expected[dst] += amount
        balances = dict(execute(setup, "SELECT id, bal FROM bank.acc"))
        self.assertEqual([balances[i] for i in range(accounts)], expected, "a transfer was applied in part")
        setup.close()


class Shutdown(unittest.TestCase):
    def test_sigterm_ends_lock_waits_at_once(self):
        server = Floed("txn-shutdown").start()
        holder, waiter = server.connect(), server.connect()
        execute(holder, "CREATE DATABASE sd")
        execute(holder, "CREATE TABLE sd.t (id INT PRIMARY KEY, v INT)")
        execute(holder, "INSERT INTO sd.t VALUES (1, 0)")
        execute(holder, "BEGIN")
        execute(holder, "UPDATE sd.t SET v = 1 WHERE id = 1")
        outcome = []

        def wait():
            try:
                execute(waiter, "UPDATE sd.t SET v = 2 WHERE id = 1")  # lock_wait_timeout is 60 s
                outcome.append("ok")
            except (pymysql.MySQLError, OSError) as e:
                outcome.append(e.args[0] if e.args else repr(e))

        t = threading.Thread(target=wait)
        t.start()
        deadline = time.time() + 10
        while time.time() < deadline and scalar(holder, "SELECT COUNT(*) FROM information_schema.PROCESSLIST "
                                                       "WHERE STATE = 'Waiting for row lock'") != 1:
            time.sleep(0.01)
        start = time.monotonic()
        server.stop()  # SIGTERM; fails if floed does not exit cleanly within 30 s
        stopped = time.monotonic() - start
        t.join(timeout=10)
        self.assertLess(stopped, 5, "a statement waiting for a lock held up the shutdown")
        self.assertNotEqual(outcome, ["ok"])
        # the open transaction was not committed
        server.start(fresh=False)
        try:
            self.assertEqual(scalar(server.connect(), "SELECT v FROM sd.t WHERE id = 1"), 0)
        finally:
            server.stop()


class Crash(unittest.TestCase):
    def test_kill_9_keeps_acknowledged_commits_only(self):
        server = Floed("txn-crash").start()
        conn = server.connect()
        execute(conn, "CREATE DATABASE crash PARTITIONS 4")
        execute(conn, "CREATE TABLE crash.items (seq INT, part CHAR(1), PRIMARY KEY (seq, part))")
        execute(conn, "CREATE TABLE crash.counter (id INT PRIMARY KEY, n INT)")
        execute(conn, "INSERT INTO crash.counter VALUES (1, 0)")
        conn.close()
        acked, seq = [], 0
        rng = random.Random(5)
        try:
            for round_ in range(20):
                stop_at = time.monotonic() + rng.uniform(0.1, 0.6)
                done = threading.Event()

                def writer():
                    nonlocal seq
                    try:
                        c = server.connect(database="crash")
                        while True:
                            seq += 1
                            execute(c, "BEGIN")
                            execute(c, "INSERT INTO items VALUES (%s, 'a')", (seq,))
                            execute(c, "UPDATE counter SET n = n + 1 WHERE id = 1")
                            execute(c, "INSERT INTO items VALUES (%s, 'b')", (seq,))
                            execute(c, "COMMIT")
                            acked.append(seq)
                    except (pymysql.MySQLError, OSError):
                        pass  # the crash
                    finally:
                        done.set()

                t = threading.Thread(target=writer)
                t.start()
                while time.monotonic() < stop_at and not done.is_set():
                    time.sleep(0.01)
                server.kill9()
                t.join(timeout=30)
                server.start(fresh=False)
                c = server.connect(database="crash")
                rows = execute(c, "SELECT seq, part FROM items")
                by_seq = {}
                for s, p in rows:
                    by_seq.setdefault(s, set()).add(p)
                partial = [s for s, parts in by_seq.items() if parts != {"a", "b"}]
                self.assertEqual(partial, [], "round %d: a transaction survived in part" % round_)
                missing = [s for s in acked if s not in by_seq]
                self.assertEqual(missing, [], "round %d: acknowledged commits lost" % round_)
                self.assertEqual(scalar(c, "SELECT n FROM counter WHERE id = 1"), len(by_seq))
                c.close()
            print("crash rounds: %d acknowledged commits checked" % len(acked), file=sys.stderr)
        finally:
            server.stop()


if __name__ == "__main__":
    unittest.main()
