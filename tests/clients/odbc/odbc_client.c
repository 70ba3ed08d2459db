/* unixODBC + MariaDB Connector/ODBC against floed (run by tests/clients/odbc_test.sh): SQLPrepare / SQLExecute
 * with bound parameters, a result read with SQLFetch, a committed and a rolled-back transaction, an error's
 * SQLSTATE and native code, and the catalog functions SQLTables / SQLColumns / SQLPrimaryKeys. Prints one
 * line per check; exits 1 when any fails. */
#include <sql.h>
#include <sqlext.h>
#include <stdio.h>
#include <string.h>

static int failures = 0;

static void check(const char* what, const char* expected, const char* actual) {
    if (strcmp(expected, actual) == 0) {
        printf("ok   - %s\n", what);
    } else {
        printf("FAIL - %s\n  expected: %s\n  actual:   %s\n", what, expected, actual);
        failures++;
    }
}

static void diag(SQLSMALLINT type, SQLHANDLE h, char* state, SQLINTEGER* native, char* msg, size_t msg_size) {
    SQLSMALLINT len;
    state[0] = 0;
    msg[0] = 0;
    *native = 0;
    SQLGetDiagRec(type, h, 1, (SQLCHAR*)state, native, (SQLCHAR*)msg, (SQLSMALLINT)msg_size, &len);
}

static int ok(SQLRETURN rc, SQLSMALLINT type, SQLHANDLE h, const char* what) {
    if (SQL_SUCCEEDED(rc)) return 1;
    char state[6], msg[512];
    SQLINTEGER native;
    diag(type, h, state, &native, msg, sizeof msg);
    printf("FAIL - %s: %s %d %s\n", what, state, (int)native, msg);
    failures++;
    return 0;
}

/* Every row of the statement's result, columns joined by '|', rows by ';' (NULL as "NULL"). */
static void result_text(SQLHSTMT st, char* out, size_t size, int max_cols) {
    SQLSMALLINT cols;
    out[0] = 0;
    SQLNumResultCols(st, &cols);
    if (max_cols > 0 && cols > max_cols) cols = (SQLSMALLINT)max_cols;
    while (SQL_SUCCEEDED(SQLFetch(st))) {
        if (out[0]) strncat(out, ";", size - strlen(out) - 1);
        for (SQLSMALLINT c = 1; c <= cols; ++c) {
            char buf[512];
            SQLLEN ind;
            SQLGetData(st, (SQLUSMALLINT)c, SQL_C_CHAR, buf, sizeof buf, &ind);
            if (c > 1) strncat(out, "|", size - strlen(out) - 1);
            strncat(out, ind == SQL_NULL_DATA ? "NULL" : buf, size - strlen(out) - 1);
        }
    }
    SQLCloseCursor(st);
}

int main(int argc, char** argv) {
    SQLHENV env;
    SQLHDBC dbc;
    SQLHSTMT st;
    char out[4096];
    const char* dsn = argc > 1 ? argv[1] : "floe";
    SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env);
    SQLSetEnvAttr(env, SQL_ATTR_ODBC_VERSION, (void*)SQL_OV_ODBC3, 0);
    SQLAllocHandle(SQL_HANDLE_DBC, env, &dbc);
    if (!ok(SQLConnect(dbc, (SQLCHAR*)dsn, SQL_NTS, NULL, 0, NULL, 0), SQL_HANDLE_DBC, dbc, "connect")) return 1;
    SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st);

    ok(SQLExecDirect(st, (SQLCHAR*)"CREATE TABLE items (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, name VARCHAR(100) "
                                   "NOT NULL, qty INT NOT NULL DEFAULT 0, price DECIMAL(10,2), UNIQUE KEY uk_name (name))",
                     SQL_NTS),
       SQL_HANDLE_STMT, st, "CREATE TABLE");

    /* SQLPrepare once, SQLExecute with bound parameters several times (binary protocol). */
    char name[128];
    SQLINTEGER qty;
    char price[32];
    SQLLEN name_ind = SQL_NTS, qty_ind = 0, price_ind = SQL_NTS;
    ok(SQLPrepare(st, (SQLCHAR*)"INSERT INTO items (name, qty, price) VALUES (?, ?, ?)", SQL_NTS), SQL_HANDLE_STMT, st,
       "SQLPrepare INSERT");
    SQLBindParameter(st, 1, SQL_PARAM_INPUT, SQL_C_CHAR, SQL_VARCHAR, 100, 0, name, sizeof name, &name_ind);
    SQLBindParameter(st, 2, SQL_PARAM_INPUT, SQL_C_SLONG, SQL_INTEGER, 0, 0, &qty, 0, &qty_ind);
    SQLBindParameter(st, 3, SQL_PARAM_INPUT, SQL_C_CHAR, SQL_DECIMAL, 10, 2, price, sizeof price, &price_ind);
    const char* names[] = {"O'Brien \"q\" \\ x", "caf\xc3\xa9 \xf0\x9f\x98\x80 \xe6\x97\xa5\xe6\x9c\xac", "pear"};
    for (int i = 0; i < 3; ++i) {
        strcpy(name, names[i]);
        qty = 5 + i;
        strcpy(price, "1.50");
        price_ind = i == 1 ? SQL_NULL_DATA : SQL_NTS;
        ok(SQLExecute(st), SQL_HANDLE_STMT, st, "SQLExecute INSERT");
    }
    SQLFreeStmt(st, SQL_RESET_PARAMS);

    SQLINTEGER min_qty = 6;
    SQLLEN min_ind = 0;
    ok(SQLPrepare(st, (SQLCHAR*)"SELECT id, name, qty, price FROM items WHERE qty >= ? ORDER BY id", SQL_NTS),
       SQL_HANDLE_STMT, st, "SQLPrepare SELECT");
    SQLBindParameter(st, 1, SQL_PARAM_INPUT, SQL_C_SLONG, SQL_INTEGER, 0, 0, &min_qty, 0, &min_ind);
    ok(SQLExecute(st), SQL_HANDLE_STMT, st, "SQLExecute SELECT");
    result_text(st, out, sizeof out, 0);
    check("prepared SELECT with a bound parameter",
          "2|caf\xc3\xa9 \xf0\x9f\x98\x80 \xe6\x97\xa5\xe6\x9c\xac|6|NULL;3|pear|7|1.50", out);
    SQLFreeStmt(st, SQL_RESET_PARAMS);

    /* Transactions through the ODBC API. */
    SQLSetConnectAttr(dbc, SQL_ATTR_AUTOCOMMIT, (SQLPOINTER)SQL_AUTOCOMMIT_OFF, 0);
    SQLExecDirect(st, (SQLCHAR*)"INSERT INTO items (name) VALUES ('kept')", SQL_NTS);
    ok(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_COMMIT), SQL_HANDLE_DBC, dbc, "commit");
    SQLExecDirect(st, (SQLCHAR*)"INSERT INTO items (name) VALUES ('dropped')", SQL_NTS);
    ok(SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_ROLLBACK), SQL_HANDLE_DBC, dbc, "rollback");
    SQLSetConnectAttr(dbc, SQL_ATTR_AUTOCOMMIT, (SQLPOINTER)SQL_AUTOCOMMIT_ON, 0);
    SQLExecDirect(st, (SQLCHAR*)"SELECT name FROM items WHERE name IN ('kept', 'dropped')", SQL_NTS);
    result_text(st, out, sizeof out, 0);
    check("committed row kept, rolled-back row gone", "kept", out);

    /* An error: SQLSTATE and MySQL's code. */
    SQLRETURN rc = SQLExecDirect(st, (SQLCHAR*)"INSERT INTO items (name) VALUES ('pear')", SQL_NTS);
    char state[6], msg[512], text[600];
    SQLINTEGER native;
    diag(SQL_HANDLE_STMT, st, state, &native, msg, sizeof msg);
    snprintf(text, sizeof text, "%d %s %d", rc == SQL_ERROR, state, (int)native);
    check("duplicate key: SQLSTATE and native error", "1 23000 1062", text);
    rc = SQLPrepare(st, (SQLCHAR*)"SELECT * FROM no_such_table WHERE id = ?", SQL_NTS);
    if (SQL_SUCCEEDED(rc)) rc = SQLExecute(st);
    diag(SQL_HANDLE_STMT, st, state, &native, msg, sizeof msg);
    snprintf(text, sizeof text, "%d %s %d", rc == SQL_ERROR, state, (int)native);
    check("missing table: SQLSTATE and native error", "1 42S02 1146", text);
    SQLFreeStmt(st, SQL_CLOSE);

    /* Catalog functions. */
    ok(SQLTables(st, NULL, 0, NULL, 0, (SQLCHAR*)"%", SQL_NTS, (SQLCHAR*)"TABLE", SQL_NTS), SQL_HANDLE_STMT, st, "SQLTables");
    result_text(st, out, sizeof out, 4);
    check("SQLTables", "odbc_db|NULL|items|TABLE", out);
    ok(SQLColumns(st, NULL, 0, NULL, 0, (SQLCHAR*)"items", SQL_NTS, (SQLCHAR*)"%", SQL_NTS), SQL_HANDLE_STMT, st,
       "SQLColumns");
    SQLSMALLINT cols;
    SQLNumResultCols(st, &cols);
    out[0] = 0;
    while (SQL_SUCCEEDED(SQLFetch(st))) {
        char col[128], type[64], nullable[8];
        SQLLEN ind;
        SQLGetData(st, 4, SQL_C_CHAR, col, sizeof col, &ind);
        SQLGetData(st, 5, SQL_C_CHAR, type, sizeof type, &ind);
        SQLGetData(st, 11, SQL_C_CHAR, nullable, sizeof nullable, &ind);
        char line[256];
        snprintf(line, sizeof line, "%s%s:%s:%s", out[0] ? ";" : "", col, type, nullable);
        strncat(out, line, sizeof out - strlen(out) - 1);
    }
    SQLCloseCursor(st);
    /* DATA_TYPE: 4 INTEGER, -9 WVARCHAR (the Unicode driver), 3 DECIMAL; NULLABLE 1 for auto_increment (ODBC's rule). */
    check("SQLColumns: names, SQL types, nullability", "id:4:1;name:-9:0;qty:4:0;price:3:1", out);
    ok(SQLPrimaryKeys(st, NULL, 0, NULL, 0, (SQLCHAR*)"items", SQL_NTS), SQL_HANDLE_STMT, st, "SQLPrimaryKeys");
    result_text(st, out, sizeof out, 6);
    check("SQLPrimaryKeys", "odbc_db|NULL|items|id|1|PRIMARY", out);

    SQLFreeHandle(SQL_HANDLE_STMT, st);
    SQLDisconnect(dbc);
    SQLFreeHandle(SQL_HANDLE_DBC, dbc);
    SQLFreeHandle(SQL_HANDLE_ENV, env);
    printf(failures ? "%d failed\n" : "all passed\n", failures);
    return failures ? 1 : 0;
}
