#!/usr/bin/python3
"""Differential test of the query engine: the same random schema, data and queries on floed and on Debian's
MariaDB (started here on its own port and datadir); every result must be equal.

Queries come from a grammar covering joins (inner, left, right, comma), filters, IN / EXISTS / scalar
subqueries (correlated too), aggregates, GROUP BY / HAVING, ORDER BY / LIMIT, DISTINCT, UNION and derived
tables. Results compare as multisets, or as sequences when ORDER BY fixes the order (the generator makes
every ORDER BY total). Both servers failing with the same error code is agreement. On a mismatch the data is
shrunk to the rows that still show it and a minimal reproduction (DDL, INSERTs, query, both results) is
printed.

    differential_test.py [--seed N] [--queries N] [--keep-going]

The seed is fixed for CI (FLOE_DIFF_SEED overrides it); any seed reproduces its own run.
"""
import argparse
import os
import random
import sys
from collections import Counter

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import pymysql  # noqa: E402
from floe import TMP, Floed  # noqa: E402
from mariadb_server import MariaDB  # noqa: E402

TABLES = ("t1", "t2", "t3")
COLUMNS = ("id", "a", "b", "c", "d", "e")
NUMERIC = ("id", "a", "b", "d")
STRINGS = ["abc", "ABC", "Abc", "b", "B ", "", "xyz", "a_c", "a%c", "Zed"]
DATES = ["2024-01-01", "2024-01-15", "2023-12-31", "2024-02-29"]


def ddl(name):
    keys = {"t1": "PRIMARY KEY (id), KEY (a), KEY (b, c)",
            "t2": "PRIMARY KEY (id), KEY (a)",
            "t3": "KEY (b)"}[name]
    return ("CREATE TABLE %s (id INT NOT NULL, a INT, b INT NOT NULL, c VARCHAR(10), d DECIMAL(6,2), e DATE, %s)"
            % (name, keys))


def sql_literal(v):
    if v is None:
        return "NULL"
    if isinstance(v, str):
        return "'" + v.replace("\\", "\\\\").replace("'", "''") + "'"
    return str(v)


def make_data(rng):
    data = {}
    for t in TABLES:
        n = rng.randint(15, 40)
        ids = rng.sample(range(-5, 60), n)
        rows = []
        for i in ids:
            rows.append((i,
                         None if rng.random() < 0.2 else rng.randint(-3, 6),
                         rng.randint(0, 9),
                         None if rng.random() < 0.15 else rng.choice(STRINGS),
                         None if rng.random() < 0.2 else "%d.%02d" % (rng.randint(-20, 20), rng.choice([0, 25, 50, 99])),
                         None if rng.random() < 0.25 else rng.choice(DATES)))
        data[t] = rows
    return data


def insert_sql(table, rows):
    return "INSERT INTO %s VALUES %s" % (table, ",".join("(" + ",".join(sql_literal(v) for v in r) + ")" for r in rows))


class Gen:
    """One random query over the tables in scope."""

    def __init__(self, rng):
        self.rng = rng

    def pick(self, seq):
        return self.rng.choice(seq)

    def num_col(self, tables):
        return "%s.%s" % (self.pick(tables), self.pick(NUMERIC))

    def any_col(self, tables):
        return "%s.%s" % (self.pick(tables), self.pick(COLUMNS))

    def int_lit(self):
        return str(self.rng.randint(-3, 10))

    def scalar(self, tables):
        r = self.rng.random()
        if r < 0.45:
            return self.any_col(tables)
        if r < 0.6:
            return "%s %s %s" % (self.num_col(tables), self.pick(["+", "-", "*"]), self.int_lit())
        if r < 0.67:
            return "COALESCE(%s, %s)" % ("%s.a" % self.pick(tables), self.int_lit())
        if r < 0.72:
            return "IFNULL(%s.c, 'none')" % self.pick(tables)
        if r < 0.77:
            return "CASE WHEN %s THEN 1 ELSE 0 END" % self.predicate(tables, 1)
        if r < 0.82:
            return "CONCAT(%s.c, '-', %s.b)" % (self.pick(tables), self.pick(tables))
        if r < 0.86:
            return "%s DIV %s" % (self.num_col(tables), self.pick(["2", "3", "0"]))
        if r < 0.9:
            return "%s.b / %s" % (self.pick(tables), self.pick(["2", "3", "4"]))
        if r < 0.92:
            return "ABS(%s)" % self.num_col(tables)
        t = self.pick(tables)
        return self.pick(["LOWER(%s.c)", "UPPER(%s.c)", "SUBSTRING(%s.c, 2)", "REPLACE(%s.c, 'a', 'x')",
                          "ROUND(%s.d, 1)", "TRIM(%s.c)", "LENGTH(%s.c)", "YEAR(%s.e)", "MONTH(%s.e)",
                          "NULLIF(%s.a, 1)", "IF(%s.a > 0, 'pos', 'neg')", "%s.b MOD 4",
                          "DATEDIFF(%s.e, '2024-01-01')", "CAST(%s.d AS SIGNED)",
                          "DATE_ADD(%s.e, INTERVAL 1 MONTH)", "%s.e + INTERVAL 3 DAY", "DAYOFWEEK(%s.e)",
                          "DATE_FORMAT(%s.e, '%Y/%m %a %j')", "LAST_DAY(%s.e)", "%s.e - INTERVAL 1 YEAR"]).replace("%s", t)

    def subquery_predicate(self, tables):
        inner = self.pick(TABLES)
        alias = "s%d" % self.rng.randint(1, 9)
        r = self.rng.random()
        corr = ""
        if self.rng.random() < 0.5:
            corr = " AND %s.b = %s.b" % (alias, self.pick(tables))
        if r < 0.4:
            # An integer on the left: MariaDB's IN-subquery materialization converts a DECIMAL to the
            # subquery's INT type before comparing (-2.50 IN (-2) is true there), which MySQL does not do.
            return "%s %sIN (SELECT %s.a FROM %s %s WHERE %s.b > %s%s)" % (
                "%s.%s" % (self.pick(tables), self.pick(["id", "a", "b"])), self.pick(["", "NOT "]) if not corr else "", alias, inner, alias, alias,
                self.int_lit(), corr)
        if r < 0.5:
            # A scalar subquery without an aggregate, at most one row through the correlation on id. (Whether
            # a many-row one fails with 1242 depends on when a server evaluates it: not compared here.)
            where = "%s.id = %s.id" % (alias, self.pick(tables))
            return "%s.a %s (SELECT %s.a FROM %s %s WHERE %s)" % (self.pick(tables), self.pick(["=", "<=>", ">"]),
                                                                 alias, inner, alias, where)
        if r < 0.75:
            return "%sEXISTS (SELECT 1 FROM %s %s WHERE %s.a = %s.a%s)" % (
                self.pick(["", "NOT "]), inner, alias, alias, self.pick(tables), corr)
        return "%s %s (SELECT %s(%s.b) FROM %s %s WHERE %s.a > %s%s)" % (
            self.num_col(tables), self.pick(["=", ">", "<="]), self.pick(["MIN", "MAX", "COUNT"]), alias, inner,
            alias, alias, self.int_lit(), corr)

    def predicate(self, tables, depth=0):
        r = self.rng.random()
        if depth < 2 and r < 0.18:
            return "(%s %s %s)" % (self.predicate(tables, depth + 1), self.pick(["AND", "OR"]),
                                   self.predicate(tables, depth + 1))
        if depth < 2 and r < 0.22:
            return "NOT (%s)" % self.predicate(tables, depth + 1)
        if r < 0.45:
            return "%s %s %s" % (self.num_col(tables), self.pick(["=", "<>", "<", "<=", ">", ">=", "<=>"]),
                                 self.int_lit())
        if r < 0.52:
            t = self.pick(tables)
            return "%s.c %s %s" % (t, self.pick(["=", "<>", "<", ">="]), sql_literal(self.pick(STRINGS)))
        if r < 0.57:
            return "%s.c %sLIKE %s" % (self.pick(tables), self.pick(["", "NOT "]),
                                       self.pick(["'a%'", "'%c'", "'A_C'", "'a\\_c'", "'%'", "'b'"]))
        if r < 0.63:
            return "%s IS %sNULL" % (self.any_col(tables), self.pick(["", "NOT "]))
        if r < 0.69:
            lo = self.rng.randint(-3, 5)
            return "%s %sBETWEEN %d AND %d" % (self.num_col(tables), self.pick(["", "NOT "]), lo,
                                               lo + self.rng.randint(0, 5))
        if r < 0.76:
            vals = ", ".join(self.int_lit() for _ in range(self.rng.randint(1, 4)))
            if self.rng.random() < 0.2:
                vals += ", NULL"
            return "%s %sIN (%s)" % (self.num_col(tables), self.pick(["", "NOT "]), vals)
        if r < 0.8:
            return "%s.e %s %s" % (self.pick(tables), self.pick(["=", "<", ">="]), sql_literal(self.pick(DATES)))
        if r < 0.86 and len(tables) > 1:
            x, y = self.rng.sample(tables, 2)
            col = self.pick(NUMERIC)
            return "%s.%s %s %s.%s" % (x, col, self.pick(["=", "<", ">="]), y, col)
        if r < 0.95:
            return self.subquery_predicate(tables)
        return "%s.d > %s.%d" % (self.pick(tables), self.int_lit(), self.rng.randint(0, 99))

    def from_clause(self):
        r = self.rng.random()
        if r < 0.35:
            t = self.pick(TABLES)
            return t, [t]
        x, y = self.rng.sample(TABLES, 2)
        col = self.pick(["a", "b", "id"])
        on = "%s.%s = %s.%s" % (x, col, y, col)
        if self.rng.random() < 0.25:
            on += " AND %s" % self.predicate([x, y], 1)
        if r < 0.55:
            return "%s JOIN %s ON %s" % (x, y, on), [x, y]
        if r < 0.7:
            return "%s LEFT JOIN %s ON %s" % (x, y, on), [x, y]
        if r < 0.8:
            return "%s RIGHT JOIN %s ON %s" % (x, y, on), [x, y]
        if r < 0.88:
            return "%s, %s" % (x, y), [x, y]  # the WHERE clause joins them
        if r < 0.94:
            z = [t for t in TABLES if t not in (x, y)][0]
            return "%s JOIN %s ON %s LEFT JOIN %s ON %s.b = %s.b" % (x, y, on, z, y, z), [x, y, z]
        return "%s JOIN %s USING (%s)" % (x, y, col), [x, y]

    def select(self):
        """Returns (sql, ordered, loose) — loose: strings compare case- and trailing-space-insensitively
        (the row MySQL picks to show for a group is any of its members)."""
        rng = self.rng
        if rng.random() < 0.08:
            return self.union()
        if rng.random() < 0.06:
            return self.derived()
        frm, tables = self.from_clause()
        where = ""
        if frm.count(",") == 1 and " ON " not in frm:
            where = "%s.b = %s.b" % (tables[0], tables[1])
        if rng.random() < 0.75:
            p = self.predicate(tables)
            where = "%s AND %s" % (where, p) if where else p
        where_sql = " WHERE " + where if where else ""
        if rng.random() < 0.35:
            # Aggregate query: group columns and aggregates only (valid under ONLY_FULL_GROUP_BY).
            groups = []
            if rng.random() < 0.8:
                groups = ["%s.%s" % (self.pick(tables), c) for c in rng.sample(["a", "b", "c", "e"], rng.randint(1, 2))]
            aggs = []
            for _ in range(rng.randint(1, 3)):
                fn = self.pick(["COUNT(*)", "COUNT(%s)", "SUM(%s)", "MIN(%s)", "MAX(%s)", "AVG(%s)",
                                "COUNT(DISTINCT %s)"])
                aggs.append(fn % self.num_col(tables) if "%s" in fn else fn)
            items = groups + aggs
            sql = "SELECT %s FROM %s%s" % (", ".join(items), frm, where_sql)
            if groups:
                sql += " GROUP BY " + ", ".join(groups)
                if rng.random() < 0.3:
                    sql += " HAVING COUNT(*) %s %d" % (self.pick([">", ">=", "<"]), rng.randint(1, 3))
            ordered = False
            if groups and rng.random() < 0.4:
                sql += " ORDER BY " + ", ".join(groups) + " LIMIT %d" % rng.randint(1, 8)
                ordered = True
            return sql, ordered, True
        items = [self.scalar(tables) for _ in range(rng.randint(1, 4))]
        distinct = rng.random() < 0.12
        sql = "SELECT %s%s FROM %s%s" % ("DISTINCT " if distinct else "", ", ".join(items), frm, where_sql)
        ordered = False
        if rng.random() < 0.35:
            if distinct:
                keys = ["%d" % (i + 1) for i in range(len(items))]
            else:
                keys = [self.pick(items)] if rng.random() < 0.5 else []
                keys += ["%s.id" % t for t in tables]
            desc = self.pick(["", " DESC"])
            sql += " ORDER BY " + ", ".join(k + desc for k in keys)
            if rng.random() < 0.7:
                sql += " LIMIT %d" % rng.randint(0, 10)
                if rng.random() < 0.3:
                    sql += " OFFSET %d" % rng.randint(0, 5)
            ordered = not distinct
        return sql, ordered, distinct

    def union(self):
        cols = self.rng.randint(1, 2)
        parts = []
        for _ in range(self.rng.randint(2, 3)):
            t = self.pick(TABLES)
            items = ["%s.%s" % (t, self.pick(["a", "b", "c"])) for _ in range(cols)]
            parts.append("SELECT %s FROM %s WHERE %s" % (", ".join(items), t, self.predicate([t])))
        glue = [self.pick([" UNION ", " UNION ALL "]) for _ in parts[1:]]
        sql = parts[0] + "".join(g + p for g, p in zip(glue, parts[1:]))
        return sql, False, any(g == " UNION " for g in glue)

    def derived(self):
        t = self.pick(TABLES)
        inner = "SELECT %s.a AS x, COUNT(*) AS n, SUM(%s.b) AS s FROM %s WHERE %s GROUP BY %s.a" % (
            t, t, t, self.predicate([t]), t)
        return ("SELECT dt.x, dt.n, dt.s FROM (%s) AS dt WHERE dt.n %s %d" % (inner, self.pick([">", ">=", "<="]),
                                                                                self.rng.randint(1, 3)), False, False)


def normalize(rows, loose):
    out = []
    for r in rows:
        t = []
        for v in r:
            if v is not None and loose:
                v = v.lower().rstrip(" ")
            t.append(v)
        out.append(tuple(t))
    return out


def run(conn, sql):
    try:
        with conn.cursor() as cur:
            cur.execute(sql)
            return ("ok", [tuple(r) for r in cur.fetchall()])
    except pymysql.err.MySQLError as e:
        return ("error", e.args[0])


def same(a, b, ordered, loose):
    if a[0] != b[0]:
        return False
    if a[0] == "error":
        return a[1] == b[1]
    x, y = normalize(a[1], loose), normalize(b[1], loose)
    return x == y if ordered else Counter(x) == Counter(y)


def load(conn, db, data, partitions=None):
    with conn.cursor() as cur:
        cur.execute("DROP DATABASE IF EXISTS %s" % db)
        if partitions:
            cur.execute("CREATE DATABASE %s PARTITIONS %d" % (db, partitions))
        else:
            cur.execute("CREATE DATABASE %s CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci" % db)
        cur.execute("USE %s" % db)
        for t in TABLES:
            cur.execute(ddl(t))
            if data[t]:
                cur.execute(insert_sql(t, data[t]))


def shrink(floe, maria, data, sql, ordered, loose):
    """Removes rows while the mismatch persists; returns the smallest data found."""
    def mismatch(d):
        load(floe, "repro", d, partitions=4)
        load(maria, "repro", d)
        return not same(run(floe, sql), run(maria, sql), ordered, loose)

    current = {t: list(rows) for t, rows in data.items()}
    if not mismatch(current):
        return current
    for t in TABLES:
        chunk = max(1, len(current[t]) // 2)
        while chunk >= 1:
            i = 0
            while i < len(current[t]):
                trial = dict(current)
                trial[t] = current[t][:i] + current[t][i + chunk:]
                if mismatch(trial):
                    current = trial
                else:
                    i += chunk
            chunk //= 2
    mismatch(current)
    return current


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=int(os.environ.get("FLOE_DIFF_SEED", "20261121")))
    ap.add_argument("--queries", type=int, default=2000)
    ap.add_argument("--keep-going", action="store_true", help="report every mismatch, not just the first")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    work = os.path.join(TMP, "differential")
    os.makedirs(work, exist_ok=True)
    with Floed("differential", "--parallel-scan-min-rows=0") as server, MariaDB(work) as maria_server:
        # Text exactly as sent: no type conversion on either side.
        floe = pymysql.connect(host="127.0.0.1", port=server.port, user="root", autocommit=True, conv={})
        maria = pymysql.connect(host="127.0.0.1", port=maria_server.port, user="root", autocommit=True, conv={})
        data = make_data(rng)
        load(floe, "diff", data, partitions=4)
        load(maria, "diff", data)
        gen = Gen(rng)
        failures = 0
        errors_agreed = 0
        for n in range(args.queries):
            if n and n % 500 == 0:
                # Fresh data now and then, so more shapes of data meet the same grammar.
                data = make_data(rng)
                load(floe, "diff", data, partitions=4)
                load(maria, "diff", data)
            sql, ordered, loose = gen.select()
            a, b = run(floe, sql), run(maria, sql)
            if a[0] == "error" and b[0] == "error" and a[1] == b[1]:
                errors_agreed += 1
            if same(a, b, ordered, loose):
                continue
            failures += 1
            small = shrink(floe, maria, data, sql, ordered, loose)
            print("MISMATCH (seed %d, query %d)\n-- reproduce:" % (args.seed, n))
            for t in TABLES:
                print(ddl(t) + ";")
                if small[t]:
                    print(insert_sql(t, small[t]) + ";")
            print(sql + ";")
            print("-- floed:  ", run(floe, sql))
            print("-- mariadb:", run(maria, sql))
            for c in (floe, maria):
                with c.cursor() as cur:
                    cur.execute("USE diff")
            if not args.keep_going:
                break
        print("%d queries, seed %d, %d mismatches, %d agreed errors" % (n + 1, args.seed, failures, errors_agreed))
        return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
