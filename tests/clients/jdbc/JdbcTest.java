// MariaDB Connector/J 2.7 against floed, run by tests/clients/jdbc_test.sh: the same session over the text
// protocol (client-side prepared statements) and over the binary protocol (useServerPrepStmts=true), each
// with rewriteBatchedStatements batches, transactions, DatabaseMetaData and an error with its code.
import java.math.BigDecimal;
import java.sql.*;
import java.util.*;

public class JdbcTest {
    static int failures = 0;

    static void check(String what, Object expected, Object actual) {
        if (Objects.equals(expected, actual)) {
            System.out.println("ok   - " + what);
        } else {
            System.out.println("FAIL - " + what + "\n  expected: " + expected + "\n  actual:   " + actual);
            failures++;
        }
    }

    static List<List<Object>> rows(ResultSet rs, String... columns) throws SQLException {
        List<List<Object>> out = new ArrayList<>();
        while (rs.next()) {
            List<Object> row = new ArrayList<>();
            for (String c : columns) {
                Object v = rs.getObject(c);
                // Integer / Long / Short depend on the column's declared width: compare numbers as longs.
                if (v instanceof Integer || v instanceof Short || v instanceof Long || v instanceof Byte
                        || v instanceof java.math.BigInteger) {
                    v = ((Number) v).longValue();
                }
                row.add(v);
            }
            out.add(row);
        }
        rs.close();
        return out;
    }

    static void session(String port, String mode, String options) throws Exception {
        String db = "jdbc_" + mode;
        String url = "jdbc:mariadb://127.0.0.1:" + port + "/?user=root" + options;
        try (Connection c = DriverManager.getConnection(url)) {
            Statement st = c.createStatement();
            st.execute("CREATE DATABASE " + db);
            c.setCatalog(db);
            check(mode + ": getCatalog after setCatalog", db, c.getCatalog());
            st.execute("CREATE TABLE items (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, name VARCHAR(100) NOT NULL, "
                    + "note VARCHAR(255) DEFAULT NULL, qty INT NOT NULL DEFAULT 0, price DECIMAL(10,2), created DATETIME, "
                    + "UNIQUE KEY uk_name (name), KEY k_qty (qty)) DEFAULT CHARSET=utf8mb4");

            PreparedStatement ins = c.prepareStatement(
                    "INSERT INTO items (name, note, qty, price, created) VALUES (?, ?, ?, ?, ?)",
                    Statement.RETURN_GENERATED_KEYS);
            ins.setString(1, "O'Brien \"q\" \\ x");
            ins.setString(2, "it's");
            ins.setInt(3, 5);
            ins.setBigDecimal(4, new BigDecimal("2.25"));
            ins.setNull(5, Types.TIMESTAMP);
            check(mode + ": insert count", 1, ins.executeUpdate());
            ResultSet keys = ins.getGeneratedKeys();
            keys.next();
            check(mode + ": generated key", 1L, keys.getLong(1));
            ins.setString(1, "café 😀 日本");
            ins.setString(2, null);
            ins.setInt(3, 7);
            ins.setNull(4, Types.DECIMAL);
            ins.setTimestamp(5, Timestamp.valueOf("2025-12-31 23:59:59"));
            ins.executeUpdate();

            // A batch (rewritten into one multi-row INSERT on the text protocol, pipelined executes on the binary one).
            PreparedStatement batch = c.prepareStatement("INSERT INTO items (name, qty) VALUES (?, ?)");
            for (int i = 0; i < 50; i++) {
                batch.setString(1, "batch" + i);
                batch.setInt(2, i);
                batch.addBatch();
            }
            int[] counts = batch.executeBatch();
            int total = 0;
            for (int n : counts) total += n == Statement.SUCCESS_NO_INFO ? 1 : n;
            check(mode + ": batch inserted", 50, total);

            PreparedStatement sel = c.prepareStatement(
                    "SELECT id, name, note, qty, price, created FROM items WHERE qty >= ? AND name NOT LIKE 'batch%' ORDER BY id");
            sel.setInt(1, 5);
            ResultSet rs = sel.executeQuery();
            ResultSetMetaData md = rs.getMetaData();
            check(mode + ": column types", "INTEGER VARCHAR VARCHAR INTEGER DECIMAL TIMESTAMP",
                    String.join(" ", md.getColumnTypeName(1).replace("INT", "INTEGER").replace("INTEGEREGER", "INTEGER"),
                            JDBCType.valueOf(md.getColumnType(2)).getName(), JDBCType.valueOf(md.getColumnType(3)).getName(),
                            JDBCType.valueOf(md.getColumnType(4)).getName(), JDBCType.valueOf(md.getColumnType(5)).getName(),
                            JDBCType.valueOf(md.getColumnType(6)).getName()));
            check(mode + ": id is auto-increment, name not nullable", "true " + ResultSetMetaData.columnNoNulls,
                    md.isAutoIncrement(1) + " " + md.isNullable(2));
            check(mode + ": table name of a column", "items", md.getTableName(2));
            check(mode + ": rows", List.of(
                    Arrays.asList(1L, "O'Brien \"q\" \\ x", "it's", 5L, new BigDecimal("2.25"), null),
                    Arrays.asList(2L, "café 😀 日本", null, 7L, null, Timestamp.valueOf("2025-12-31 23:59:59"))),
                    rows(rs, "id", "name", "note", "qty", "price", "created"));

            // FOUND_ROWS: an UPDATE that changes nothing still counts the row it matched.
            check(mode + ": update of an unchanged row", 1,
                    st.executeUpdate("UPDATE items SET qty = qty WHERE name = 'it''s' OR id = 1"));

            // Transactions: commit keeps, rollback drops.
            c.setAutoCommit(false);
            PreparedStatement one = c.prepareStatement("INSERT INTO items (name) VALUES (?)");
            one.setString(1, "committed");
            one.executeUpdate();
            c.commit();
            one.setString(1, "rolled back");
            one.executeUpdate();
            c.rollback();
            c.setAutoCommit(true);
            PreparedStatement count = c.prepareStatement("SELECT COUNT(*) FROM items WHERE name IN (?, ?)");
            count.setString(1, "committed");
            count.setString(2, "rolled back");
            ResultSet n = count.executeQuery();
            n.next();
            check(mode + ": committed row kept, rolled-back row gone", 1L, n.getLong(1));
            // floe's default is READ COMMITTED (docs/locking.md).
            check(mode + ": isolation level", Connection.TRANSACTION_READ_COMMITTED, c.getTransactionIsolation());
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            check(mode + ": isolation level set", Connection.TRANSACTION_REPEATABLE_READ, c.getTransactionIsolation());

            // An error with its code and SQLSTATE.
            try {
                PreparedStatement dup = c.prepareStatement("INSERT INTO items (name) VALUES (?)");
                dup.setString(1, "committed");
                dup.executeUpdate();
                check(mode + ": duplicate refused", "1062", "no error");
            } catch (SQLIntegrityConstraintViolationException e) {
                check(mode + ": duplicate key error", "1062 23000", e.getErrorCode() + " " + e.getSQLState());
            }
            try {
                st.executeQuery("SELECT * FROM no_such_table");
                check(mode + ": missing table refused", "1146", "no error");
            } catch (SQLSyntaxErrorException e) {
                check(mode + ": missing table error", "1146 42S02", e.getErrorCode() + " " + e.getSQLState());
            }

            DatabaseMetaData meta = c.getMetaData();
            List<String> catalogs = new ArrayList<>();
            for (List<Object> r : rows(meta.getCatalogs(), "TABLE_CAT")) catalogs.add((String) r.get(0));
            check(mode + ": getCatalogs lists the database", true, catalogs.contains(db));
            check(mode + ": getTables", List.of(Arrays.asList(db, "items", "TABLE")),
                    rows(meta.getTables(db, null, "%", new String[] {"TABLE"}), "TABLE_CAT", "TABLE_NAME", "TABLE_TYPE"));
            check(mode + ": getColumns", List.of(
                    Arrays.asList("id", (long) Types.INTEGER, "NO", "YES"), Arrays.asList("name", (long) Types.VARCHAR, "NO", "NO"),
                    Arrays.asList("note", (long) Types.VARCHAR, "YES", "NO"), Arrays.asList("qty", (long) Types.INTEGER, "NO", "NO"),
                    Arrays.asList("price", (long) Types.DECIMAL, "YES", "NO"),
                    Arrays.asList("created", (long) Types.TIMESTAMP, "YES", "NO")),
                    rows(meta.getColumns(db, null, "items", "%"), "COLUMN_NAME", "DATA_TYPE", "IS_NULLABLE", "IS_AUTOINCREMENT"));
            check(mode + ": getPrimaryKeys", List.of(Arrays.asList("id", 1L)),
                    rows(meta.getPrimaryKeys(db, null, "items"), "COLUMN_NAME", "KEY_SEQ"));
            List<List<Object>> idx = rows(meta.getIndexInfo(db, null, "items", false, false), "INDEX_NAME", "COLUMN_NAME", "NON_UNIQUE");
            idx.sort(Comparator.comparing(r -> (String) r.get(0)));
            check(mode + ": getIndexInfo", List.of(Arrays.asList("PRIMARY", "id", 0L), Arrays.asList("k_qty", "qty", 1L),
                    Arrays.asList("uk_name", "name", 0L)), idx);
            check(mode + ": isValid (COM_PING)", true, c.isValid(5));
            st.execute("DROP DATABASE " + db);
        }
    }

    public static void main(String[] args) throws Exception {
        String port = args[0];
        session(port, "text", "&rewriteBatchedStatements=true");
        session(port, "binary", "&useServerPrepStmts=true&rewriteBatchedStatements=true");
        System.out.println(failures == 0 ? "all passed" : failures + " failed");
        System.exit(failures == 0 ? 0 : 1);
    }
}
