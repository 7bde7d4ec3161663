/**
 * Transactional DDL: CREATE TABLE / ALTER TABLE ADD COLUMN / DROP TABLE / CREATE INDEX inside a
 * block are private until COMMIT and vanish on ROLLBACK; a failed DDL statement leaves no trace
 * (catalog, index sets, rows); concurrent schema changes are serialized.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { column, openDb, rejectsWith, scalar } from './helpers.ts';
import { freedSoon } from '../freed.ts';

test('CREATE TABLE in a block is private until COMMIT and gone after ROLLBACK', async () => {
  const db = await openDb();
  const a = db.session();
  await a.query('BEGIN');
  await a.query('CREATE TABLE n (x int PRIMARY KEY)');
  await a.query('INSERT INTO n VALUES (1)');
  await rejectsWith(db.query('SELECT * FROM n'), '42P01');
  await a.query('ROLLBACK');
  await rejectsWith(a.query('SELECT * FROM n'), '42P01');
  await a.query('BEGIN');
  await a.query('CREATE TABLE n (x int PRIMARY KEY)');
  await a.query('INSERT INTO n VALUES (1)');
  await a.query('COMMIT');
  assert.deepEqual(await column(db, 'SELECT x FROM n'), [1]);
  await db.close();
});

test('ALTER TABLE ADD COLUMN, DROP TABLE and CREATE INDEX roll back', async () => {
  const db = await openDb('CREATE TABLE t (id int); INSERT INTO t VALUES (1), (1)');
  const s = db.session();
  await s.query('BEGIN');
  await s.query('ALTER TABLE t ADD COLUMN w text DEFAULT \'d\'');
  await s.query("INSERT INTO t VALUES (2, 'x')");
  assert.deepEqual(await column(s, 'SELECT w FROM t ORDER BY id'), ['d', 'd', 'x']);
  await s.query('ROLLBACK');
  const r = await db.query('SELECT * FROM t ORDER BY id');
  assert.deepEqual(r.fields.map((f) => f.name), ['id']);
  assert.equal(r.rowCount, 2);

  await s.query('BEGIN');
  await s.query('DROP TABLE t');
  await rejectsWith(s.query('SELECT * FROM t'), '42P01');
  assert.equal(await scalar(db, 'SELECT count(*)::int FROM t'), 2, 'others still see the table');
  await s.query('ROLLBACK');
  assert.equal(await scalar(db, 'SELECT count(*)::int FROM t'), 2);

  await s.query('DELETE FROM t WHERE id = 1');
  await s.query('INSERT INTO t VALUES (1)');
  await s.query('BEGIN');
  await s.query('CREATE UNIQUE INDEX t_id ON t (id)');
  await rejectsWith(s.query('INSERT INTO t VALUES (1)'), '23505');
  await s.query('ROLLBACK');
  await db.query('INSERT INTO t VALUES (1)');
  assert.equal(await scalar(db, 'SELECT count(*)::int FROM t WHERE id = 1'), 2);
  await db.close();
});

test('a failed DDL statement leaves no trace', async () => {
  const db = await openDb('CREATE TABLE t (id int); INSERT INTO t VALUES (1), (1)');
  const s = db.session();
  // Unique index over duplicates: fails, and the table keeps no index.
  await rejectsWith(s.query('CREATE UNIQUE INDEX t_u ON t (id)'), '23505');
  await s.query('INSERT INTO t VALUES (1)');
  await s.query('CREATE UNIQUE INDEX t_u2 ON t ((id * 0 + 1))').catch(() => undefined);
  assert.equal(db.engine.catalog.getRelation('public', 't')?.kind, 'table');
  await s.query('BEGIN');
  await s.query('CREATE TABLE keep (x int)');
  await rejectsWith(s.query('ALTER TABLE t ADD COLUMN c int NOT NULL'), '23502');
  await s.query('ROLLBACK');
  await rejectsWith(db.query('SELECT * FROM keep'), '42P01');
  assert.deepEqual((await db.query('SELECT * FROM t')).fields.map((f) => f.name), ['id']);
  // Inside a block with a savepoint, the failed DDL is undone but earlier DDL stays.
  await s.query('BEGIN');
  await s.query('CREATE TABLE keep (x int)');
  await s.query('SAVEPOINT sp');
  await rejectsWith(s.query('CREATE TABLE keep (y int)'), '42P07', /relation "keep" already exists/);
  await s.query('ROLLBACK TO sp');
  await rejectsWith(s.query('CREATE UNIQUE INDEX t_u ON t (id)'), '23505');
  await s.query('ROLLBACK TO sp');
  await s.query('INSERT INTO t VALUES (1)');
  await s.query('COMMIT');
  assert.equal(await scalar(db, 'SELECT count(*)::int FROM keep'), 0);
  assert.equal(await scalar(db, 'SELECT count(*)::int FROM t'), 4);
  await db.close();
});

test('concurrent CREATE TABLE of the same name: the second commit fails', async () => {
  const db = await openDb();
  const a = db.session();
  const b = db.session();
  await a.query('BEGIN');
  await b.query('BEGIN');
  await a.query('CREATE TABLE x (v int)');
  await b.query('CREATE TABLE y (v int)');
  await a.query('COMMIT');
  await rejectsWith(b.query('COMMIT'), '40001', /concurrent schema change/);
  await db.query('SELECT * FROM x');
  await rejectsWith(db.query('SELECT * FROM y'), '42P01');
  await db.close();
});

test('DDL in a SERIALIZABLE transaction that fails validation is not installed', async () => {
  const db = await openDb(`
    CREATE TABLE doctors (name text PRIMARY KEY, on_call boolean);
    INSERT INTO doctors VALUES ('alice', true), ('bob', true);`);
  const a = db.session();
  const b = db.session();
  await a.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
  await b.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
  await a.query('SELECT count(*) FROM doctors WHERE on_call');
  await b.query('SELECT count(*) FROM doctors WHERE on_call');
  await a.query("UPDATE doctors SET on_call = false WHERE name = 'alice'");
  await b.query("UPDATE doctors SET on_call = false WHERE name = 'bob'");
  await b.query('CREATE TABLE audit (msg text)');
  await a.query('COMMIT');
  await rejectsWith(b.query('COMMIT'), '40001');
  await rejectsWith(db.query('SELECT * FROM audit'), '42P01');
  // And the catalog is still usable for further DDL.
  await db.query('CREATE TABLE audit (msg text)');
  await db.query("INSERT INTO audit VALUES ('ok')");
  assert.deepEqual(await column(db, 'SELECT msg FROM audit'), ['ok']);
  await db.close();
});

test('TRUNCATE in a block rolls back', async () => {
  const db = await openDb('CREATE TABLE t (v int); INSERT INTO t VALUES (1), (2)');
  const s = db.session();
  await s.query('BEGIN');
  await s.query('TRUNCATE t');
  assert.equal(await scalar(s, 'SELECT count(*)::int FROM t'), 0);
  assert.equal(await scalar(db, 'SELECT count(*)::int FROM t'), 2);
  await s.query('ROLLBACK');
  assert.equal(await scalar(db, 'SELECT count(*)::int FROM t'), 2);
  await db.close();
});

test('a committed DROP TABLE releases the garbage its rows left queued; a rolled-back one does not', async () => {
  const db = await openDb('CREATE TABLE t (id int); INSERT INTO t SELECT g FROM generate_series(1, 3000) g;' +
    'CREATE TABLE u (id int); INSERT INTO u SELECT g FROM generate_series(1, 3000) g');
  const txns = db.engine.txns;
  // A snapshot held open keeps the deletes' garbage queued, whatever the idle collection does.
  const reader = db.session();
  await reader.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
  await reader.query('SELECT 1');
  await db.exec('DELETE FROM t; DELETE FROM u');
  await db.exec('BEGIN; DROP TABLE u; ROLLBACK');
  await db.exec('DROP TABLE t');
  await reader.query('COMMIT');
  const stats = txns.vacuumNow();
  assert.equal(stats.rowsFreed, 3000, 'u\'s deleted rows are still collected');
  assert.equal(stats.slotsVisited, 3000, 't\'s slots are not visited at all');
  assert.equal(await scalar(db, 'SELECT count(*)::int FROM u'), 0);
  await db.close();
});

test('rows a bulk load left unfrozen keep no dropped table alive through their transaction', async () => {
  const db = await openDb('CREATE TABLE keep (id int PRIMARY KEY); CREATE TABLE gone (id int PRIMARY KEY)');
  // One transaction's long log of inserts alone, into both tables: its rows keep it (unfrozen).
  await db.exec('BEGIN; INSERT INTO keep SELECT g FROM generate_series(1, 3000) g;' +
    'INSERT INTO gone SELECT g FROM generate_series(1, 3000) g; COMMIT');
  const store = (name: string) => db.engine.catalog.tables().find((t) => t.name === name)!.store;
  const loader = store('keep').hot[0]!.head!.xmin;
  assert.ok(loader.onlyInserts && loader.commitSeq > 0, 'the rows name their committed transaction');
  assert.equal(loader.writtenTables.length, 0, 'which no longer lists the tables it wrote');
  assert.deepEqual(loader.insertedTables, []);
  const gone = new WeakRef(store('gone'));
  await db.exec('DROP TABLE gone');
  assert.ok(await freedSoon(gone), 'the dropped table\'s store is still reachable');
  assert.equal(await scalar(db, 'SELECT count(*)::int FROM keep'), 3000);
  await db.close();
});
