/**
 * Queryable.prepare: a statement parsed once and run with different parameters on the session it
 * was prepared on, through the plan cache; errors of the text at prepare time, errors of a run at
 * run time, and schema changes between runs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Oxibase } from '../../src/index.ts';
import { fails } from '../engine/helpers.ts';

test('a prepared statement runs with each call\'s parameters and gives what query gives', async () => {
  const db = await Oxibase.open('memory://');
  await db.exec("CREATE TABLE t (id int PRIMARY KEY, name text, v numeric); INSERT INTO t SELECT g, 'n' || g, g * 1.5 FROM generate_series(1, 50) g");
  const get = await db.prepare('SELECT id, name, v FROM t WHERE id = $1');
  assert.equal(get.sql, 'SELECT id, name, v FROM t WHERE id = $1');
  for (const id of [1, 7, 50, 51]) {
    assert.deepEqual(await get.queryArrays([id]), await db.queryArrays('SELECT id, name, v FROM t WHERE id = $1', [id]));
    assert.deepEqual((await get.query([id])).rows, (await db.query('SELECT id, name, v FROM t WHERE id = $1', [id])).rows);
  }
  assert.deepEqual((await get.query<{ name: string; v: string }>([7])).rows, [{ id: 7, name: 'n7', v: '10.5' }]);
  // Writes: the command tag and row count come back as from query.
  const upd = await db.prepare('UPDATE t SET name = $2 WHERE id <= $1');
  const r = await upd.query([3, 'low']);
  assert.equal(r.command, 'UPDATE');
  assert.equal(r.rowCount, 3);
  assert.equal(r.commandTag, 'UPDATE 3');
  assert.deepEqual((await db.queryArrays("SELECT count(*) FROM t WHERE name = 'low'")).rows, [[3]]);
  await db.close();
});

test('runs reuse the cached plan, and a schema change makes a new one', async () => {
  const db = await Oxibase.open('memory://');
  await db.exec('CREATE TABLE t (a int, b int); INSERT INTO t VALUES (1, 10), (2, 20)');
  const cache = (db as unknown as { main: { inner: { planCache: { hits: number } } } }).main.inner.planCache;
  const sel = await db.prepare('SELECT * FROM t WHERE a >= $1 ORDER BY a');
  await sel.queryArrays([1]);
  const hits = cache.hits;
  await sel.queryArrays([2]);
  await sel.queryArrays([1]);
  assert.equal(cache.hits, hits + 2, 'the second and third runs hit the plan cache');
  await db.exec('ALTER TABLE t ADD COLUMN c text DEFAULT \'x\'');
  const after = await sel.queryArrays([2]);
  assert.deepEqual(after.fields.map((f) => f.name), ['a', 'b', 'c']);
  assert.deepEqual(after.rows, [[2, 20, 'x']]);
  await db.exec('DROP TABLE t');
  await fails(sel.queryArrays([1]), '42P01', 'relation "t" does not exist');
  await db.close();
});

test('the text is checked at prepare: syntax errors with their position, one statement only', async () => {
  const db = await Oxibase.open('memory://');
  const e = await fails(db.prepare('SELECT * FORM t'), '42601');
  assert.equal(e.position, 'SELECT * '.length + 1);
  const two = await fails(db.prepare('SELECT 1; SELECT 2'), '42601', 'cannot insert multiple commands into a prepared statement');
  assert.equal(two.position, 'SELECT 1; '.length + 1);
  await fails(db.prepare('  '), '42601', 'syntax error at end of input');
  // Binding happens at the first run: an unknown table is a run-time error, as in query().
  const later = await db.prepare('SELECT * FROM missing');
  await fails(later.queryArrays(), '42P01');
  await db.close();
});

test('a prepared statement belongs to its session: its transaction, its failed block, its end', async () => {
  const db = await Oxibase.open('memory://');
  await db.exec('CREATE TABLE t (i int)');
  const s = db.session();
  const ins = await s.prepare('INSERT INTO t VALUES ($1)');
  await s.query('BEGIN');
  await ins.query([1]);
  await ins.query([2]);
  assert.deepEqual((await db.queryArrays('SELECT count(*) FROM t')).rows, [[0]], 'not visible before COMMIT');
  await s.query('ROLLBACK');
  assert.deepEqual((await s.queryArrays('SELECT count(*) FROM t')).rows, [[0]]);
  // A syntax error while preparing inside a block fails the block, as a Parse message does.
  await s.query('BEGIN');
  await fails(s.prepare('INSERT INTO t VALUE (1)'), '42601');
  await fails(ins.query([3]), '25P02');
  await s.query('ROLLBACK');
  await ins.query([4]);
  assert.deepEqual((await s.queryArrays('SELECT i FROM t')).rows, [[4]]);
  await s.close();
  await fails(ins.query([5]), '57P01', 'the session is closed');
  await fails(s.prepare('SELECT 1'), '57P01');
  // exec too (it ran on a closed session before).
  await fails(s.exec('SELECT 1; SELECT 2'), '57P01', 'the session is closed');
  await db.close();
});
