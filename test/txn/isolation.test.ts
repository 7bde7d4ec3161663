/**
 * Isolation levels against the classic read anomalies, with concurrent sessions in one process:
 * dirty reads (never), non-repeatable reads and phantoms (READ COMMITTED only), write skew
 * (REPEATABLE READ only), plus transaction modes (READ ONLY, SET TRANSACTION, SHOW) and the
 * db.transaction() API.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { column, openDb, rejectsWith, scalar } from './helpers.ts';

const LEVELS = ['READ COMMITTED', 'REPEATABLE READ', 'SERIALIZABLE'] as const;

for (const level of LEVELS) {
  test(`${level}: no dirty reads of uncommitted updates, inserts and deletes`, async () => {
    const db = await openDb('CREATE TABLE t (id int PRIMARY KEY, v int); INSERT INTO t VALUES (1, 10), (2, 20)');
    const writer = db.session();
    const reader = db.session();
    await writer.query('BEGIN');
    await writer.query('UPDATE t SET v = 99 WHERE id = 1');
    await writer.query('INSERT INTO t VALUES (3, 30)');
    await writer.query('DELETE FROM t WHERE id = 2');
    await reader.query(`BEGIN ISOLATION LEVEL ${level}`);
    assert.deepEqual(await column(reader, 'SELECT v FROM t ORDER BY id'), [10, 20]);
    assert.equal(await scalar(reader, 'SELECT v FROM t WHERE id = 1'), 10);
    assert.equal((await reader.query('SELECT * FROM t WHERE id = 3')).rowCount, 0);
    // The writer sees its own uncommitted work.
    assert.deepEqual(await column(writer, 'SELECT v FROM t ORDER BY id'), [99, 30]);
    await writer.query('ROLLBACK');
    assert.deepEqual(await column(reader, 'SELECT v FROM t ORDER BY id'), [10, 20]);
    await reader.query('COMMIT');
    assert.deepEqual(await column(db, 'SELECT v FROM t ORDER BY id'), [10, 20]);
    await db.close();
  });
}

test('READ COMMITTED: non-repeatable read and phantom are visible after the other commit', async () => {
  const db = await openDb('CREATE TABLE t (id int PRIMARY KEY, v int); INSERT INTO t VALUES (1, 10)');
  const a = db.session();
  const b = db.session();
  await a.query('BEGIN ISOLATION LEVEL READ COMMITTED');
  assert.equal(await scalar(a, 'SELECT v FROM t WHERE id = 1'), 10);
  assert.equal(await scalar(a, 'SELECT count(*)::int FROM t'), 1);
  await b.query('UPDATE t SET v = 11 WHERE id = 1');
  await b.query('INSERT INTO t VALUES (2, 20)');
  assert.equal(await scalar(a, 'SELECT v FROM t WHERE id = 1'), 11, 'non-repeatable read');
  assert.equal(await scalar(a, 'SELECT count(*)::int FROM t'), 2, 'phantom');
  await a.query('COMMIT');
  await db.close();
});

for (const level of ['REPEATABLE READ', 'SERIALIZABLE'] as const) {
  test(`${level}: repeatable reads and no phantoms; the snapshot is taken by the first query`, async () => {
    const db = await openDb('CREATE TABLE t (id int PRIMARY KEY, v int); INSERT INTO t VALUES (1, 10)');
    const a = db.session();
    const b = db.session();
    await a.query(`BEGIN ISOLATION LEVEL ${level}`);
    // A commit between BEGIN and the first query is visible: the snapshot starts with the query.
    await b.query('UPDATE t SET v = 11 WHERE id = 1');
    assert.equal(await scalar(a, 'SELECT v FROM t WHERE id = 1'), 11);
    await b.query('UPDATE t SET v = 12 WHERE id = 1');
    await b.query('INSERT INTO t VALUES (2, 20)');
    await b.query('DELETE FROM t WHERE id = 1');
    assert.deepEqual(await column(a, 'SELECT v FROM t ORDER BY id'), [11]);
    assert.equal(await scalar(a, 'SELECT count(*)::int FROM t WHERE id > 0'), 1);
    assert.equal(await scalar(a, 'SELECT v FROM t WHERE id = 1'), 11, 'index lookup uses the snapshot too');
    assert.equal((await a.query('SELECT * FROM t WHERE id = 2')).rowCount, 0);
    await a.query('COMMIT');
    assert.deepEqual(await column(a, 'SELECT v FROM t ORDER BY id'), [20]);
    await db.close();
  });
}

test('REPEATABLE READ: own writes are visible, others\' later commits are not', async () => {
  const db = await openDb('CREATE TABLE t (id int PRIMARY KEY, v int); INSERT INTO t VALUES (1, 10), (2, 20)');
  const a = db.session();
  const b = db.session();
  await a.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
  await a.query('UPDATE t SET v = v + 1 WHERE id = 1');
  await b.query('INSERT INTO t VALUES (3, 30)');
  await a.query('INSERT INTO t VALUES (4, 40)');
  assert.deepEqual(await column(a, 'SELECT v FROM t ORDER BY id'), [11, 20, 40]);
  await a.query('COMMIT');
  assert.deepEqual(await column(b, 'SELECT v FROM t ORDER BY id'), [11, 20, 30, 40]);
  await db.close();
});

const DOCTORS = `
  CREATE TABLE doctors (name text PRIMARY KEY, on_call boolean NOT NULL);
  INSERT INTO doctors VALUES ('alice', true), ('bob', true);
`;

/** Each doctor checks that someone else is on call, then goes off call. */
async function goOffCall(s: import('../../src/index.ts').Session, name: string): Promise<void> {
  const others = await scalar(s, 'SELECT count(*)::int FROM doctors WHERE on_call AND name <> $1', [name]);
  assert.equal(others, 1);
  await s.query('UPDATE doctors SET on_call = false WHERE name = $1', [name]);
}

test('REPEATABLE READ allows write skew (both doctors go off call)', async () => {
  const db = await openDb(DOCTORS);
  const a = db.session();
  const b = db.session();
  await a.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
  await b.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
  await goOffCall(a, 'alice');
  await goOffCall(b, 'bob');
  await a.query('COMMIT');
  await b.query('COMMIT');
  assert.equal(await scalar(db, 'SELECT count(*)::int FROM doctors WHERE on_call'), 0);
  await db.close();
});

test('SERIALIZABLE prevents write skew: the second commit fails with 40001 and a retry succeeds', async () => {
  const db = await openDb(DOCTORS);
  const a = db.session();
  const b = db.session();
  await a.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
  await b.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
  await goOffCall(a, 'alice');
  await goOffCall(b, 'bob');
  await a.query('COMMIT');
  await rejectsWith(b.query('COMMIT'), '40001', /could not serialize access/);
  assert.equal(b.transactionStatus, 'idle');
  // The retry sees alice off call and keeps bob on call.
  await b.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
  const others = await scalar(b, "SELECT count(*)::int FROM doctors WHERE on_call AND name <> 'bob'");
  assert.equal(others, 0);
  await b.query('COMMIT');
  assert.deepEqual(await column(db, 'SELECT name FROM doctors WHERE on_call'), ['bob']);
  await db.close();
});

test('SERIALIZABLE: a read-only transaction and disjoint writers both commit', async () => {
  const db = await openDb(`
    CREATE TABLE a (id int PRIMARY KEY, v int); CREATE TABLE b (id int PRIMARY KEY, v int);
    INSERT INTO a VALUES (1, 1); INSERT INTO b VALUES (1, 1);`);
  const s1 = db.session();
  const s2 = db.session();
  const ro = db.session();
  await ro.query('BEGIN ISOLATION LEVEL SERIALIZABLE READ ONLY');
  assert.equal(await scalar(ro, 'SELECT v FROM a'), 1);
  await s1.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
  await s2.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
  await s1.query('UPDATE a SET v = 2 WHERE id = 1');
  await s2.query('UPDATE b SET v = 2 WHERE id = 1');
  await s1.query('COMMIT');
  await s2.query('COMMIT');
  assert.equal(await scalar(ro, 'SELECT v FROM a'), 1);
  await ro.query('COMMIT');
  await db.close();
});

test('SERIALIZABLE: a phantom insert into a key read through the index is a conflict', async () => {
  const db = await openDb('CREATE TABLE t (id int PRIMARY KEY, v int); CREATE TABLE log (msg text)');
  const a = db.session();
  const b = db.session();
  await a.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
  await b.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
  // a: "if id 5 does not exist, record that"; b: "if nothing logged, insert id 5".
  assert.equal((await a.query('SELECT * FROM t WHERE id = 5')).rowCount, 0);
  assert.equal((await b.query('SELECT * FROM log')).rowCount, 0);
  await a.query("INSERT INTO log VALUES ('no 5')");
  await b.query('INSERT INTO t VALUES (5, 5)');
  await b.query('COMMIT');
  await rejectsWith(a.query('COMMIT'), '40001');
  await db.close();
});

test('READ ONLY transactions reject writes and DDL with 25006', async () => {
  const db = await openDb('CREATE TABLE t (id int)');
  const s = db.session();
  await s.query('BEGIN READ ONLY');
  assert.equal(await scalar(s, 'SHOW transaction_read_only'), 'on');
  await rejectsWith(s.query('INSERT INTO t VALUES (1)'), '25006', /cannot execute INSERT in a read-only transaction/);
  assert.equal(s.transactionStatus, 'in failed transaction');
  await s.query('ROLLBACK');
  await s.query('START TRANSACTION READ ONLY');
  await rejectsWith(s.query('UPDATE t SET id = 2'), '25006');
  await s.query('ROLLBACK');
  await s.query('BEGIN READ ONLY');
  await rejectsWith(s.query('CREATE TABLE u (x int)'), '25006', /cannot execute CREATE TABLE/);
  await s.query('ROLLBACK');
  await s.query('BEGIN READ ONLY');
  await rejectsWith(s.query('DELETE FROM t'), '25006');
  await s.query('ROLLBACK');
  await s.query("SET default_transaction_read_only = on");
  await rejectsWith(s.query('INSERT INTO t VALUES (1)'), '25006');
  assert.equal(s.transactionStatus, 'idle');
  await s.query('SET default_transaction_read_only = off');
  await s.query('INSERT INTO t VALUES (1)');
  assert.equal(await scalar(s, 'SELECT count(*)::int FROM t'), 1);
  await db.close();
});

test('BEGIN / START TRANSACTION modes and SHOW transaction_isolation', async () => {
  const db = await openDb();
  const s = db.session();
  assert.equal(await scalar(s, 'SHOW transaction_isolation'), 'read committed');
  await s.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
  assert.equal(await scalar(s, 'SHOW transaction_isolation'), 'repeatable read');
  await s.query('COMMIT');
  assert.equal(await scalar(s, 'SHOW transaction_isolation'), 'read committed');
  await s.query('START TRANSACTION ISOLATION LEVEL SERIALIZABLE, READ ONLY');
  assert.equal(await scalar(s, 'SHOW transaction_isolation'), 'serializable');
  assert.equal(await scalar(s, 'SHOW transaction_read_only'), 'on');
  await s.query('COMMIT');
  await s.query("SET default_transaction_isolation = 'repeatable read'");
  await s.query('BEGIN');
  assert.equal(await scalar(s, 'SHOW transaction_isolation'), 'repeatable read');
  await s.query('COMMIT');
  assert.equal(await scalar(s, "SELECT current_setting('transaction_isolation')"), 'repeatable read');
  await db.close();
});

test('SET TRANSACTION ISOLATION LEVEL works before the first query and fails after it', async () => {
  const db = await openDb('CREATE TABLE t (v int); INSERT INTO t VALUES (1)');
  const s = db.session();
  const other = db.session();
  await s.query('BEGIN');
  await s.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
  assert.equal(await scalar(s, 'SHOW transaction_isolation'), 'repeatable read');
  assert.equal(await scalar(s, 'SELECT v FROM t'), 1);
  await other.query('UPDATE t SET v = 2');
  assert.equal(await scalar(s, 'SELECT v FROM t'), 1, 'the new level is really in effect');
  await rejectsWith(s.query('SET TRANSACTION ISOLATION LEVEL SERIALIZABLE'), '25001',
    /SET TRANSACTION ISOLATION LEVEL must be called before any query/);
  assert.equal(s.transactionStatus, 'in failed transaction');
  await s.query('ROLLBACK');
  await s.query('BEGIN');
  await s.query('SELECT 1');
  await rejectsWith(s.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ'), '25001');
  await s.query('ROLLBACK');
  await db.close();
});

test('SET TRANSACTION READ ONLY takes effect in the current block', async () => {
  const db = await openDb('CREATE TABLE t (v int)');
  const s = db.session();
  await s.query('BEGIN');
  await s.query('SET TRANSACTION READ ONLY');
  assert.equal(await scalar(s, 'SHOW transaction_read_only'), 'on');
  await rejectsWith(s.query('INSERT INTO t VALUES (1)'), '25006');
  await s.query('ROLLBACK');
  await db.close();
});

test('db.transaction commits on success and rolls back on throw', async () => {
  const db = await openDb('CREATE TABLE t (v int)');
  const r = await db.transaction(async (tx) => {
    await tx.query('INSERT INTO t VALUES (1)');
    return 'ok';
  });
  assert.equal(r, 'ok');
  await assert.rejects(db.transaction(async (tx) => {
    await tx.query('INSERT INTO t VALUES (2)');
    throw new Error('boom');
  }), /boom/);
  await rejectsWith(db.transaction(async (tx) => {
    await tx.query('INSERT INTO t VALUES (3)');
    await tx.query('INSERT INTO t VALUES (1/0)');
  }), '22012');
  assert.deepEqual(await column(db, 'SELECT v FROM t'), [1]);
  const iso = await db.transaction(async (tx) => (await tx.query('SHOW transaction_isolation')).rows[0],
    { isolation: 'serializable', readOnly: true });
  assert.deepEqual(iso, { transaction_isolation: 'serializable' });
  await rejectsWith(db.transaction((tx) => tx.query('INSERT INTO t VALUES (4)'), { readOnly: true }), '25006');
  // An error swallowed inside fn still leaves the block failed: nothing is committed.
  await rejectsWith(db.transaction(async (tx) => {
    await tx.query('INSERT INTO t VALUES (5)');
    await tx.query('SELECT 1/0').catch(() => undefined);
  }), '25P02');
  assert.deepEqual(await column(db, 'SELECT v FROM t'), [1]);
  assert.equal(db.engine.sessions.size, 1, 'transaction sessions are closed');
  await db.close();
});

test('sessions are independent: settings and transaction state', async () => {
  const db = await openDb('CREATE TABLE t (v int)');
  const a = db.session();
  const b = db.session();
  await a.query("SET TimeZone = 'Asia/Tokyo'");
  await a.query('SET lock_timeout = 1000');
  assert.equal(await scalar(b, 'SHOW TimeZone'), 'UTC');
  assert.equal(await scalar(b, 'SHOW lock_timeout'), '0');
  await a.query('BEGIN');
  assert.equal(a.transactionStatus, 'in transaction');
  assert.equal(b.transactionStatus, 'idle');
  await rejectsWith(a.query('SELECT 1/0'), '22012');
  assert.equal(a.transactionStatus, 'in failed transaction');
  assert.equal(await scalar(b, 'SELECT 1'), 1);
  await a.query('ROLLBACK');
  // SET inside a rolled-back block is undone; SET LOCAL ends with the block.
  await a.query('BEGIN');
  await a.query("SET TimeZone = 'Europe/Paris'");
  await a.query("SET LOCAL extra_float_digits = 3");
  assert.equal(await scalar(a, 'SHOW extra_float_digits'), '3');
  await a.query('ROLLBACK');
  assert.equal(await scalar(a, 'SHOW TimeZone'), 'Asia/Tokyo');
  assert.equal(await scalar(a, 'SHOW extra_float_digits'), '1');
  await a.query('BEGIN');
  await a.query("SET TimeZone = 'Europe/Paris'");
  await a.query('COMMIT');
  assert.equal(await scalar(a, 'SHOW TimeZone'), 'Europe/Paris');
  await b.close();
  await rejectsWith(b.query('SELECT 1'), '57P01');
  await db.close();
});
