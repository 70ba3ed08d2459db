// Node's mysql2 against floed (run by tests/clients/node_test.sh): query() with client-side escaping,
// execute() over the binary protocol (numbers bound as DOUBLE, Dates as DATETIME, objects as JSON), a pool,
// transactions, an error with its code, multiple statements, changeUser.
const assert = require('assert');
const mysql = require('mysql2/promise');

const port = Number(process.argv[2]);
let failures = 0;
async function check(name, fn) {
  try {
    await fn();
    console.log('ok   - ' + name);
  } catch (e) {
    failures++;
    console.log('FAIL - ' + name + '\n  ' + (e.stack || e));
  }
}

(async () => {
  const base = {host: '127.0.0.1', port, user: 'root', charset: 'utf8mb4_general_ci', dateStrings: false};
  const conn = await mysql.createConnection(base);
  await check('query(): version and database', async () => {
    const [rows] = await conn.query('SELECT VERSION() AS v, DATABASE() AS d');
    assert.match(rows[0].v, /^8\.0\.35-floe/);
    assert.strictEqual(rows[0].d, null);
  });
  await conn.query('CREATE DATABASE node_db');
  await conn.changeUser({database: 'node_db'});
  await conn.query(`CREATE TABLE items (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, name VARCHAR(100) NOT NULL,
      note VARCHAR(255) DEFAULT NULL, qty INT NOT NULL DEFAULT 0, price DECIMAL(10,2), created DATETIME, doc JSON,
      UNIQUE KEY uk_name (name)) DEFAULT CHARSET=utf8mb4`);

  await check('query() with ? escaping: quotes, backslashes, NULL', async () => {
    const [res] = await conn.query('INSERT INTO items (name, note, qty, price, created) VALUES (?, ?, ?, ?, ?)',
                                   ['O\'Brien "q" \\ x', 'it\'s', 5, '2.25', null]);
    assert.strictEqual(res.affectedRows, 1);
    assert.strictEqual(res.insertId, 1);
    const [bulk] = await conn.query('INSERT INTO items (name, qty) VALUES ?', [[['pear', 0], ['fig', 0]]]);
    assert.strictEqual(bulk.affectedRows, 2);
  });

  await check('execute(): binary protocol, 4-byte UTF-8, Date, JSON object, numbers as DOUBLE', async () => {
    const created = new Date(2025, 11, 31, 23, 59, 59);
    const [res] = await conn.execute('INSERT INTO items (name, note, qty, price, created, doc) VALUES (?, ?, ?, ?, ?, ?)',
                                     ['café 😀 日本', 'utf8 ✓', 7, null, created, {a: 1}]);
    assert.strictEqual(res.affectedRows, 1);
    const [rows, fields] = await conn.execute('SELECT id, name, note, qty, price, created, doc FROM items WHERE qty >= ? ORDER BY id', [5]);
    assert.deepStrictEqual(rows.map(r => [r.id, r.name, r.note, r.qty, r.price]),
                           [[1, 'O\'Brien "q" \\ x', 'it\'s', 5, '2.25'], [4, 'café 😀 日本', 'utf8 ✓', 7, null]]);
    assert.strictEqual(rows[1].created.getTime(), created.getTime());
    assert.deepStrictEqual(rows[1].doc, {a: 1});
    assert.strictEqual(fields[0].name, 'id');
    // Cached: the second execute of the same text is only an EXECUTE.
    const [again] = await conn.execute('SELECT id FROM items WHERE qty >= ? ORDER BY id', [7]);
    const [again2] = await conn.execute('SELECT id FROM items WHERE qty >= ? ORDER BY id', [7]);
    assert.deepStrictEqual(again2, again);
    const [limited] = await conn.execute('SELECT name FROM items ORDER BY id LIMIT ?', [2]);
    assert.deepStrictEqual(limited.map(r => r.name), ['O\'Brien "q" \\ x', 'pear']);
  });

  await check('UPDATE reports matched and changed rows', async () => {
    const [res] = await conn.execute('UPDATE items SET qty = qty WHERE name = ?', ['pear']);
    assert.strictEqual(res.affectedRows, 1);  // FOUND_ROWS
    assert.strictEqual(res.changedRows, 0);
  });

  await check('transactions: commit keeps, rollback drops', async () => {
    await conn.beginTransaction();
    await conn.execute('INSERT INTO items (name) VALUES (?)', ['kept']);
    await conn.commit();
    await conn.beginTransaction();
    await conn.execute('INSERT INTO items (name) VALUES (?)', ['dropped']);
    await conn.rollback();
    const [rows] = await conn.query("SELECT name FROM items WHERE name IN ('kept', 'dropped')");
    assert.deepStrictEqual(rows.map(r => r.name), ['kept']);
  });

  await check('errors carry code, errno and sqlState', async () => {
    await assert.rejects(conn.execute('INSERT INTO items (name) VALUES (?)', ['kept']),
                         e => e.code === 'ER_DUP_ENTRY' && e.errno === 1062 && e.sqlState === '23000');
    await assert.rejects(conn.query('SELECT * FROM no_such_table'), e => e.code === 'ER_NO_SUCH_TABLE' && e.errno === 1146);
    await assert.rejects(conn.execute('SELEC ?', [1]), e => e.code === 'ER_PARSE_ERROR' && e.errno === 1064);
    const [rows] = await conn.query('SELECT COUNT(*) AS n FROM items');
    assert.strictEqual(rows[0].n, 5);
  });

  await check('multipleStatements', async () => {
    const multi = await mysql.createConnection({...base, database: 'node_db', multipleStatements: true});
    const [results] = await multi.query('SELECT 1 AS a; SELECT name FROM items WHERE id = 1');
    assert.deepStrictEqual(results[0], [{a: 1}]);
    assert.deepStrictEqual(results[1], [{name: 'O\'Brien "q" \\ x'}]);
    await multi.end();
  });

  await check('pool: 8 connections, 200 concurrent executes', async () => {
    const pool = mysql.createPool({...base, database: 'node_db', connectionLimit: 8});
    const work = [];
    for (let i = 0; i < 200; i++) work.push(pool.execute('SELECT ? + 1 AS n, CONNECTION_ID() AS c', [i]));
    const results = await Promise.all(work);
    results.forEach(([rows], i) => assert.strictEqual(rows[0].n, i + 1));
    const ids = new Set(results.map(([rows]) => rows[0].c));
    assert.ok(ids.size > 1 && ids.size <= 8, 'connections used: ' + ids.size);
    await pool.end();
  });

  await check('ping and unprepare', async () => {
    await conn.ping();
    conn.unprepare('SELECT id FROM items WHERE qty >= ? ORDER BY id');
    const [rows] = await conn.execute('SELECT id FROM items WHERE qty >= ? ORDER BY id', [7]);
    assert.deepStrictEqual(rows.map(r => r.id), [4]);
  });

  await conn.query('DROP DATABASE node_db');
  await conn.end();
  console.log(failures ? failures + ' failed' : 'all passed');
  process.exit(failures ? 1 : 0);
})().catch(e => { console.log('FAIL - ' + (e.stack || e)); process.exit(1); });
