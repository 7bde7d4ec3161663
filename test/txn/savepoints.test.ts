/**
 * Savepoints and the failed-block state machine: ROLLBACK TO undoes only later work (rows, index
 * entries, DDL, row locks), RELEASE forgets savepoints, nesting and name shadowing follow
 * PostgreSQL, an error puts the block in the failed state (25P02) until ROLLBACK or ROLLBACK TO,
 * and COMMIT of a failed block reports ROLLBACK.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertBlocked, column, openDb, rejectsWith, scalar, track } from './helpers.ts';

test('ROLLBACK TO undoes only the work after the savepoint', async () => {
  const db = await openDb('CREATE TABLE t (id int PRIMARY KEY, v int)');
  const s = db.session();
  await s.query('BEGIN');
  await s.query('INSERT INTO t VALUES (1, 1)');
  await s.query('SAVEPOINT sp');
  await s.query('INSERT INTO t VALUES (2, 2)');
  await s.query('UPDATE t SET v = 10 WHERE id = 1');
  await s.query('DELETE FROM t WHERE id = 1');
  assert.deepEqual(await column(s, 'SELECT id FROM t'), [2]);
  const r = await s.query('ROLLBACK TO SAVEPOINT sp');
  assert.equal(r.command, 'ROLLBACK');
  assert.deepEqual(await column(s, 'SELECT v FROM t ORDER BY id'), [1]);
  // The unique entry for id 2 is gone with the rolled-back insert.
  await s.query('INSERT INTO t VALUES (2, 20)');
  // The savepoint survives ROLLBACK TO and can be used again.
  await s.query('INSERT INTO t VALUES (3, 30)');
  await s.query('ROLLBACK TO sp');
  assert.deepEqual(await column(s, 'SELECT id FROM t ORDER BY id'), [1]);
  await s.query('COMMIT');
  assert.deepEqual(await column(db, 'SELECT v FROM t ORDER BY id'), [1]);
  await db.close();
});

test('nested savepoints: rolling back to the outer one discards the inner one', async () => {
  const db = await openDb('CREATE TABLE t (v int)');
  const s = db.session();
  await s.query('BEGIN');
  await s.query('SAVEPOINT a');
  await s.query('INSERT INTO t VALUES (1)');
  await s.query('SAVEPOINT b');
  await s.query('INSERT INTO t VALUES (2)');
  await s.query('SAVEPOINT c');
  await s.query('INSERT INTO t VALUES (3)');
  await s.query('ROLLBACK TO b');
  assert.deepEqual(await column(s, 'SELECT v FROM t'), [1]);
  await rejectsWith(s.query('ROLLBACK TO c'), '3B001', /savepoint "c" does not exist/);
  await s.query('ROLLBACK TO a');
  await s.query('INSERT INTO t VALUES (4)');
  await s.query('COMMIT');
  assert.deepEqual(await column(db, 'SELECT v FROM t'), [4]);
  await db.close();
});

test('RELEASE keeps the work and forgets the savepoint and every later one', async () => {
  const db = await openDb('CREATE TABLE t (v int)');
  const s = db.session();
  await s.query('BEGIN');
  await s.query('SAVEPOINT a');
  await s.query('INSERT INTO t VALUES (1)');
  await s.query('SAVEPOINT b');
  await s.query('INSERT INTO t VALUES (2)');
  assert.equal((await s.query('RELEASE SAVEPOINT a')).command, 'RELEASE');
  await rejectsWith(s.query('ROLLBACK TO b'), '3B001');
  await s.query('ROLLBACK');
  await s.query('BEGIN');
  await s.query('SAVEPOINT a');
  await s.query('INSERT INTO t VALUES (1)');
  await s.query('RELEASE a');
  await rejectsWith(s.query('RELEASE a'), '3B001');
  await s.query('ROLLBACK');
  await s.query('BEGIN');
  await s.query('INSERT INTO t VALUES (7)');
  await s.query('SAVEPOINT x');
  await s.query('INSERT INTO t VALUES (8)');
  await s.query('RELEASE x');
  await s.query('COMMIT');
  assert.deepEqual(await column(db, 'SELECT v FROM t ORDER BY v'), [7, 8]);
  await db.close();
});

test('a reused savepoint name refers to the newest one; RELEASE uncovers the older', async () => {
  const db = await openDb('CREATE TABLE t (v int)');
  const s = db.session();
  await s.query('BEGIN');
  await s.query('SAVEPOINT p');
  await s.query('INSERT INTO t VALUES (1)');
  await s.query('SAVEPOINT p');
  await s.query('INSERT INTO t VALUES (2)');
  await s.query('ROLLBACK TO p');
  assert.deepEqual(await column(s, 'SELECT v FROM t'), [1]);
  await s.query('RELEASE p');
  await s.query('ROLLBACK TO p');
  assert.deepEqual(await column(s, 'SELECT v FROM t'), []);
  await s.query('COMMIT');
  await db.close();
});

test('savepoint statements outside a block fail with 25P01', async () => {
  const db = await openDb();
  await rejectsWith(db.query('SAVEPOINT a'), '25P01', /SAVEPOINT can only be used in transaction blocks/);
  await rejectsWith(db.query('RELEASE a'), '25P01');
  await rejectsWith(db.query('ROLLBACK TO a'), '25P01');
  const r = await db.query('COMMIT');
  assert.equal(r.notices[0]?.code, '25P01');
  assert.equal(r.notices[0]?.message, 'there is no transaction in progress');
  await db.close();
});

test('an error fails the block (25P02) until ROLLBACK; COMMIT then reports ROLLBACK', async () => {
  const db = await openDb('CREATE TABLE t (id int PRIMARY KEY)');
  const s = db.session();
  await s.query('BEGIN');
  await s.query('INSERT INTO t VALUES (1)');
  await rejectsWith(s.query('INSERT INTO t VALUES (1)'), '23505');
  assert.equal(s.transactionStatus, 'in failed transaction');
  await rejectsWith(s.query('SELECT 1'), '25P02',
    /current transaction is aborted, commands ignored until end of transaction block/);
  await rejectsWith(s.query('SAVEPOINT later'), '25P02');
  await rejectsWith(s.query('SHOW TimeZone'), '25P02');
  const r = await s.query('COMMIT');
  assert.equal(r.command, 'ROLLBACK');
  assert.equal(s.transactionStatus, 'idle');
  assert.equal(await scalar(db, 'SELECT count(*)::int FROM t'), 0);
  // A syntax error fails the block too.
  await s.query('BEGIN');
  await s.query('INSERT INTO t VALUES (5)');
  await rejectsWith(s.query('SELEC 1'), '42601');
  await rejectsWith(s.query('SELECT 1'), '25P02');
  await s.query('ROLLBACK');
  assert.equal(await scalar(db, 'SELECT count(*)::int FROM t'), 0);
  await db.close();
});

test('ROLLBACK TO recovers from the failed state and keeps earlier work', async () => {
  const db = await openDb('CREATE TABLE t (id int PRIMARY KEY)');
  const s = db.session();
  await s.query('BEGIN');
  await s.query('INSERT INTO t VALUES (1)');
  await s.query('SAVEPOINT sp');
  await s.query('INSERT INTO t VALUES (2)');
  await rejectsWith(s.query('INSERT INTO t VALUES (1)'), '23505');
  await rejectsWith(s.query('INSERT INTO t VALUES (3)'), '25P02');
  await s.query('ROLLBACK TO SAVEPOINT sp');
  assert.equal(s.transactionStatus, 'in transaction');
  await s.query('INSERT INTO t VALUES (4)');
  await s.query('COMMIT');
  assert.deepEqual(await column(db, 'SELECT id FROM t ORDER BY id'), [1, 4]);
  // ROLLBACK TO an unknown savepoint in a failed block keeps it failed.
  await s.query('BEGIN');
  await rejectsWith(s.query('SELECT 1/0'), '22012');
  await rejectsWith(s.query('ROLLBACK TO nope'), '3B001');
  assert.equal(s.transactionStatus, 'in failed transaction');
  await s.query('ROLLBACK');
  await db.close();
});

test('a failed statement inside a block leaves none of its own writes behind', async () => {
  const db = await openDb('CREATE TABLE t (id int PRIMARY KEY, v int)');
  const s = db.session();
  await s.query('BEGIN');
  await s.query('INSERT INTO t VALUES (1, 1)');
  await s.query('SAVEPOINT sp');
  // The multi-row insert fails on its third row: rows 2 and 3 must not survive.
  await rejectsWith(s.query('INSERT INTO t VALUES (2, 2), (3, 3), (1, 1)'), '23505');
  await s.query('ROLLBACK TO sp');
  assert.deepEqual(await column(s, 'SELECT id FROM t ORDER BY id'), [1]);
  await rejectsWith(s.query('UPDATE t SET v = 1 / (v - 1)'), '22012');
  await s.query('ROLLBACK TO sp');
  assert.deepEqual(await column(s, 'SELECT v FROM t'), [1]);
  await s.query('COMMIT');
  await db.close();
});

test('ROLLBACK TO undoes DDL made after the savepoint only', async () => {
  const db = await openDb('CREATE TABLE t (id int)');
  const s = db.session();
  await s.query('BEGIN');
  await s.query('CREATE TABLE before_sp (x int)');
  await s.query('SAVEPOINT sp');
  await s.query('CREATE TABLE after_sp (x int)');
  await s.query('ALTER TABLE t ADD COLUMN extra int');
  await s.query('CREATE UNIQUE INDEX t_id ON t (id)');
  await s.query('INSERT INTO t VALUES (1, 1)');
  await s.query('ROLLBACK TO sp');
  await rejectsWith(s.query('SELECT * FROM after_sp'), '42P01');
  await s.query('ROLLBACK TO sp');
  assert.deepEqual((await s.query('SELECT * FROM t')).fields.map((f) => f.name), ['id']);
  await s.query('INSERT INTO t VALUES (1), (1)');
  await s.query('INSERT INTO before_sp VALUES (1)');
  await s.query('COMMIT');
  assert.equal(await scalar(db, 'SELECT count(*)::int FROM before_sp'), 1);
  assert.equal(await scalar(db, 'SELECT count(*)::int FROM t'), 2);
  await rejectsWith(db.query('SELECT * FROM after_sp'), '42P01');
  await db.close();
});

test('ROLLBACK TO releases row changes so other sessions no longer conflict on them', async () => {
  const db = await openDb('CREATE TABLE t (id int PRIMARY KEY, v int); INSERT INTO t VALUES (1, 0), (2, 0)');
  const a = db.session();
  const b = db.session();
  await a.query('BEGIN');
  await a.query('UPDATE t SET v = 1 WHERE id = 2');
  await a.query('SAVEPOINT sp');
  await a.query('UPDATE t SET v = 1 WHERE id = 1');
  await a.query('ROLLBACK TO sp');
  await b.query('UPDATE t SET v = 2 WHERE id = 1');
  const blocked = track(b.query('UPDATE t SET v = 2 WHERE id = 2'));
  await assertBlocked(blocked);
  await a.query('COMMIT');
  await blocked.promise;
  assert.deepEqual(await column(db, 'SELECT v FROM t ORDER BY id'), [2, 2]);
  await db.close();
});

test('BEGIN inside a block warns; COMMIT/ROLLBACK AND CHAIN keep the modes', async () => {
  const db = await openDb('CREATE TABLE t (v int)');
  const s = db.session();
  await s.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
  const r = await s.query('BEGIN');
  assert.equal(r.notices[0]?.code, '25001');
  await s.query('INSERT INTO t VALUES (1)');
  await s.query('COMMIT AND CHAIN');
  assert.equal(s.transactionStatus, 'in transaction');
  assert.equal(await scalar(s, 'SHOW transaction_isolation'), 'repeatable read');
  await s.query('INSERT INTO t VALUES (2)');
  await s.query('ROLLBACK AND CHAIN');
  assert.equal(await scalar(s, 'SHOW transaction_isolation'), 'repeatable read');
  await s.query('COMMIT');
  assert.deepEqual(await column(db, 'SELECT v FROM t'), [1]);
  await db.close();
});

for (const change of ['UPDATE t SET v = 1 WHERE id = 1', 'DELETE FROM t WHERE id = 1']) {
  test(`a FOR UPDATE lock taken before a savepoint survives ROLLBACK TO of a later ${change.split(' ')[0]}`, async () => {
    const db = await openDb('CREATE TABLE t (id int PRIMARY KEY, v int); INSERT INTO t VALUES (1, 0)');
    const a = db.session();
    const b = db.session();
    await a.query('BEGIN');
    await a.query('SELECT * FROM t WHERE id = 1 FOR UPDATE');
    await a.query('SAVEPOINT s');
    await a.query(change);
    await a.query('ROLLBACK TO s');
    assert.equal(await scalar(a, 'SELECT v FROM t WHERE id = 1'), 0);
    const blocked = track(b.query('UPDATE t SET v = 2 WHERE id = 1'));
    await assertBlocked(blocked, 'update of a row still locked FOR UPDATE');
    await a.query('COMMIT');
    await blocked.promise;
    assert.equal(await scalar(db, 'SELECT v FROM t WHERE id = 1'), 2);
    await db.close();
  });
}

test('ROLLBACK TO restores settings changed after the savepoint', async () => {
  const db = await openDb();
  const s = db.session();
  await s.query('BEGIN');
  await s.query("SET TimeZone = 'Asia/Tokyo'");
  await s.query('SAVEPOINT sp');
  await s.query("SET TimeZone = 'Europe/Paris'");
  await s.query('SET LOCAL extra_float_digits = 3');
  await s.query('ROLLBACK TO sp');
  assert.equal(await scalar(s, 'SHOW TimeZone'), 'Asia/Tokyo');
  assert.equal(await scalar(s, 'SHOW extra_float_digits'), '1');
  await s.query('COMMIT');
  assert.equal(await scalar(s, 'SHOW TimeZone'), 'Asia/Tokyo');
  await db.close();
});

test('SET TRANSACTION ISOLATION LEVEL does not forget earlier SETs of the block', async () => {
  const db = await openDb();
  const s = db.session();
  await s.query('BEGIN');
  await s.query("SET TimeZone = 'Asia/Tokyo'");
  await s.query('SET TRANSACTION ISOLATION LEVEL SERIALIZABLE');
  await s.query('ROLLBACK');
  assert.equal(await scalar(s, 'SHOW TimeZone'), 'UTC');
  await db.close();
});
