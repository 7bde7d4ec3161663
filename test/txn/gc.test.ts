/**
 * Garbage collection of old versions: with no old snapshot open, version chains are trimmed (by the
 * periodic GC and by VACUUM), deleted rows and their index entries are freed; an open REPEATABLE
 * READ snapshot keeps exactly what it needs and still reads its old values.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Oxibase } from '../../src/index.ts';
import type { TableStore } from '../../src/storage/table-store.ts';
import type { RowSlot } from '../../src/storage/version.ts';
import { column, openDb, rejectsWith, scalar } from './helpers.ts';

function store(db: Oxibase, name: string): TableStore {
  const rel = db.engine.catalog.getRelation('public', name);
  assert.ok(rel !== undefined && rel.kind === 'table', `table ${name}`);
  return rel.store;
}

function chainLength(slot: RowSlot): number {
  let n = 0;
  for (let v = slot.head; v !== null; v = v.prev) n++;
  return n;
}

function liveSlots(s: TableStore): RowSlot[] {
  return s.slots.filter((x) => x.head !== null);
}

test('chains are trimmed after many committed updates with no old snapshot open', async () => {
  const db = await openDb('CREATE TABLE t (id int PRIMARY KEY, v int); INSERT INTO t VALUES (1, 0), (2, 0)');
  for (let i = 0; i < 200; i++) await db.query('UPDATE t SET v = v + 1 WHERE id = 1');
  const st = store(db, 't');
  const slot = st.slots[0]!;
  // The periodic GC (every 64 commits) already ran: the chain is far shorter than 201.
  assert.ok(chainLength(slot) < 64, `chain of ${chainLength(slot)} versions`);
  await db.query('VACUUM');
  assert.equal(chainLength(slot), 1);
  assert.equal(slot.head!.prev, null);
  assert.equal(await scalar(db, 'SELECT v FROM t WHERE id = 1'), 200);
  assert.equal(await scalar(db, 'SELECT v FROM t WHERE id = 2'), 0);
  await db.close();
});

test('an open REPEATABLE READ snapshot keeps its versions and still reads old values', async () => {
  const db = await openDb('CREATE TABLE t (id int PRIMARY KEY, v int); INSERT INTO t VALUES (1, 0)');
  const reader = db.session();
  await db.query('UPDATE t SET v = 1');
  await reader.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
  assert.equal(await scalar(reader, 'SELECT v FROM t'), 1);
  for (let i = 0; i < 150; i++) await db.query('UPDATE t SET v = v + 1');
  await db.query('VACUUM t');
  const slot = store(db, 't').slots[0]!;
  // Everything newer than the reader's version must stay, and the reader's version itself.
  assert.equal(chainLength(slot), 151);
  assert.equal(await scalar(reader, 'SELECT v FROM t'), 1);
  assert.equal(await scalar(reader, 'SELECT v FROM t WHERE id = 1'), 1);
  assert.equal(await scalar(db, 'SELECT v FROM t'), 151);
  await reader.query('COMMIT');
  await db.query('VACUUM');
  assert.equal(chainLength(slot), 1);
  assert.equal(await scalar(db, 'SELECT v FROM t'), 151);
  await db.close();
});

test('a READ COMMITTED transaction between statements does not hold back GC', async () => {
  const db = await openDb('CREATE TABLE t (id int PRIMARY KEY, v int); INSERT INTO t VALUES (1, 0)');
  const rc = db.session();
  await rc.query('BEGIN');
  assert.equal(await scalar(rc, 'SELECT v FROM t'), 0);
  for (let i = 0; i < 10; i++) await db.query('UPDATE t SET v = v + 1');
  await db.query('VACUUM');
  assert.equal(chainLength(store(db, 't').slots[0]!), 1);
  assert.equal(await scalar(rc, 'SELECT v FROM t'), 10);
  await rc.query('COMMIT');
  await db.close();
});

test('an uncommitted update on top of a collected chain survives VACUUM and rolls back', async () => {
  const db = await openDb('CREATE TABLE t (id int PRIMARY KEY, v int); INSERT INTO t VALUES (1, 0)');
  for (let i = 0; i < 5; i++) await db.query('UPDATE t SET v = v + 1');
  const w = db.session();
  await w.query('BEGIN');
  await w.query('UPDATE t SET v = 100');
  await db.query('VACUUM');
  const slot = store(db, 't').slots[0]!;
  assert.equal(chainLength(slot), 2, 'the uncommitted head and the committed version under it');
  assert.equal(await scalar(db, 'SELECT v FROM t'), 5);
  await w.query('ROLLBACK');
  assert.equal(chainLength(slot), 1);
  assert.equal(await scalar(db, 'SELECT v FROM t'), 5);
  await db.query('UPDATE t SET v = 6');
  assert.equal(await scalar(db, 'SELECT v FROM t'), 6);
  await db.close();
});

test('deleted rows are freed and compacted; their keys can be reused', async () => {
  const db = await openDb('CREATE TABLE t (id int PRIMARY KEY, v int)');
  await db.query('INSERT INTO t SELECT g, g FROM generate_series(1, 100) g');
  await db.query('DELETE FROM t WHERE id <= 90');
  const st = store(db, 't');
  await db.query('VACUUM t');
  assert.equal(st.slots.length, 10);
  assert.equal(liveSlots(st).length, 10);
  assert.equal(st.deadSlots, 0);
  assert.equal(st.indexes[0]!.size, 10, 'index entries of freed rows are dropped');
  await db.query('INSERT INTO t VALUES (1, 1)');
  assert.equal(await scalar(db, 'SELECT count(*)::int FROM t'), 11);
  assert.equal(await scalar(db, 'SELECT v FROM t WHERE id = 95'), 95);
  await db.close();
});

test('a delete is kept while an older snapshot can still see the row', async () => {
  const db = await openDb('CREATE TABLE t (id int PRIMARY KEY, v int); INSERT INTO t VALUES (1, 1), (2, 2)');
  const reader = db.session();
  await reader.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
  assert.equal(await scalar(reader, 'SELECT count(*)::int FROM t'), 2);
  await db.query('DELETE FROM t WHERE id = 1');
  await db.query('VACUUM');
  assert.deepEqual(await column(reader, 'SELECT v FROM t ORDER BY id'), [1, 2]);
  assert.equal(await scalar(reader, 'SELECT v FROM t WHERE id = 1'), 1);
  await reader.query('COMMIT');
  await db.query('VACUUM');
  assert.equal(store(db, 't').slots.length, 1);
  await db.close();
});

test('index entries of old keys are dropped once no version carries them', async () => {
  const db = await openDb('CREATE TABLE t (id int PRIMARY KEY, v int); INSERT INTO t VALUES (1, 0)');
  for (let k = 2; k <= 20; k++) await db.query(`UPDATE t SET id = ${k} WHERE id = ${k - 1}`);
  await db.query('VACUUM');
  const st = store(db, 't');
  assert.equal(st.indexes[0]!.size, 1);
  assert.equal(st.indexes[0]!.lookup(20), st.slots[0]);
  await db.query('INSERT INTO t VALUES (1, 1)');
  assert.deepEqual(await column(db, 'SELECT id FROM t ORDER BY id'), [1, 20]);
  await db.close();
});

test('aborted inserts leave dead slots that vacuum compacts away', async () => {
  const db = await openDb('CREATE TABLE t (id int PRIMARY KEY)');
  const s = db.session();
  await s.query('BEGIN');
  await s.query('INSERT INTO t SELECT g FROM generate_series(1, 50) g');
  await s.query('ROLLBACK');
  const st = store(db, 't');
  assert.equal(liveSlots(st).length, 0);
  assert.equal(st.indexes[0]!.size, 0);
  await db.query('VACUUM t');
  assert.equal(st.slots.length, 0);
  await db.query('INSERT INTO t VALUES (1)');
  assert.equal(await scalar(db, 'SELECT count(*)::int FROM t'), 1);
  await db.close();
});

test('VACUUM cannot run inside a transaction block', async () => {
  const db = await openDb('CREATE TABLE t (v int)');
  const s = db.session();
  await s.query('BEGIN');
  await rejectsWith(s.query('VACUUM'), '25001', /VACUUM cannot run inside a transaction block/);
  await s.query('ROLLBACK');
  assert.equal((await s.query('VACUUM t')).command, 'VACUUM');
  await db.close();
});

test('GC after interleaved sessions keeps every reader correct', async () => {
  const db = await openDb('CREATE TABLE t (id int PRIMARY KEY, v int)');
  await db.query('INSERT INTO t SELECT g, 0 FROM generate_series(1, 10) g');
  const readers: { s: ReturnType<Oxibase['session']>; sum: number }[] = [];
  for (let round = 0; round < 5; round++) {
    const s = db.session();
    await s.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    const sum = Number(await scalar(s, 'SELECT sum(v)::int FROM t'));
    readers.push({ s, sum });
    for (let i = 0; i < 30; i++) await db.query(`UPDATE t SET v = v + 1 WHERE id = ${(i % 10) + 1}`);
    await db.query('VACUUM');
  }
  for (const r of readers) {
    assert.equal(Number(await scalar(r.s, 'SELECT sum(v)::int FROM t')), r.sum);
    await r.s.query('COMMIT');
  }
  assert.deepEqual(readers.map((r) => r.sum), [0, 30, 60, 90, 120]);
  await db.query('VACUUM');
  for (const slot of store(db, 't').slots) assert.equal(chainLength(slot), 1);
  await db.close();
});
