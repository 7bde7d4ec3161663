/**
 * The per-session plan cache (src/engine/plan-cache.ts): repeated statements reuse their bound
 * plan, and every change binding depends on (catalog version, search_path, declared parameter
 * types, type settings) makes the next execution bind afresh. Transactions with uncommitted DDL
 * neither use nor fill the cache, and volatile functions still run per execution. Entries of an
 * older catalog do not keep a dropped table's rows alive.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { freedSoon } from '../freed.ts';
import { Oxibase, createSimEnv } from '../../src/index.ts';
import type { Session as EngineSession } from '../../src/engine/session.ts';
import type { PlanNode } from '../../src/plan/plan-nodes.ts';
import { Types } from '../../src/types/sql-type.ts';

type Handle = Awaited<ReturnType<Oxibase['session']>>;

function engineOf(s: Handle): EngineSession {
  return (s as unknown as { inner: EngineSession }).inner;
}

function counters(s: Handle): { hits: number; misses: number; stale: number } {
  const c = engineOf(s).planCache;
  return { hits: c.hits, misses: c.misses, stale: c.stale };
}

function planOf(s: Handle, sql: string): PlanNode | null {
  const inner = engineOf(s);
  const stmt = inner.parse(sql)[0]!.stmt;
  return inner.planCache.peek(stmt)?.plan ?? null;
}

function hasNode(plan: PlanNode | null, node: string): boolean {
  return plan !== null && JSON.stringify(plan, (k, v) => (k === 'table' || k === 'index' || typeof v === 'bigint' ? undefined : v)).includes(`"node":"${node}"`);
}

async function setup(): Promise<{ db: Oxibase; s: Handle }> {
  const db = await Oxibase.open('memory://');
  await db.exec('CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t VALUES (1, \'a\'), (2, \'b\'), (3, \'c\')');
  return { db, s: db.session() };
}

test('a repeated parameterized query hits the cache and returns per-execution results', async () => {
  const { db, s } = await setup();
  const sql = 'SELECT v FROM t WHERE id = $1';
  const before = counters(s);
  assert.deepEqual((await s.queryArrays(sql, [1])).rows, [['a']]);
  assert.deepEqual((await s.queryArrays(sql, [2])).rows, [['b']]);
  assert.deepEqual((await s.queryArrays(sql, [3])).rows, [['c']]);
  assert.deepEqual((await s.queryArrays(sql, [4])).rows, []);
  const after = counters(s);
  assert.equal(after.hits - before.hits, 3);
  assert.equal(after.misses - before.misses, 1);
  assert.ok(hasNode(planOf(s, sql), 'IndexScan'));
  await db.close();
});

test('INSERT, UPDATE and DELETE by key are cached and stay correct', async () => {
  const { db, s } = await setup();
  for (let i = 10; i < 20; i++) await s.query('INSERT INTO t VALUES ($1, $2)', [i, `n${i}`]);
  for (let i = 10; i < 20; i++) await s.query('UPDATE t SET v = $1 WHERE id = $2', [`u${i}`, i]);
  for (let i = 10; i < 15; i++) await s.query('DELETE FROM t WHERE id = $1', [i]);
  const r = await s.queryArrays('SELECT id, v FROM t WHERE id >= 10 ORDER BY id');
  assert.deepEqual(r.rows, [[15, 'u15'], [16, 'u16'], [17, 'u17'], [18, 'u18'], [19, 'u19']]);
  assert.equal(counters(s).hits, 22); // 25 executions of 3 statements
  // Errors from a cached statement leave the cache usable.
  await assert.rejects(s.query('INSERT INTO t VALUES ($1, $2)', [15, 'dup']), /duplicate key/);
  const ret = await s.query('INSERT INTO t VALUES ($1, $2) RETURNING id', [30, 'x']);
  assert.deepEqual(ret.rows, [{ id: 30 }]);
  await db.close();
});

test('ALTER TABLE ADD COLUMN: SELECT * shows the new column, in this and other sessions', async () => {
  const { db, s } = await setup();
  const other = db.session();
  const sql = 'SELECT * FROM t WHERE id = $1';
  assert.deepEqual((await s.query(sql, [1])).rows, [{ id: 1, v: 'a' }]);
  assert.deepEqual((await other.query(sql, [1])).rows, [{ id: 1, v: 'a' }]);
  await s.query('ALTER TABLE t ADD COLUMN w int DEFAULT 7');
  assert.deepEqual((await s.query(sql, [1])).rows, [{ id: 1, v: 'a', w: 7 }]);
  assert.deepEqual((await other.query(sql, [1])).rows, [{ id: 1, v: 'a', w: 7 }]);
  assert.ok(counters(other).stale >= 1);
  // A cached INSERT without a column list now needs three values.
  await s.query('INSERT INTO t VALUES ($1, $2)', [40, 'p']);
  await s.query('ALTER TABLE t ADD COLUMN z text');
  await assert.rejects(s.query('INSERT INTO t VALUES ($1, $2, $3, $4, $5)', [41, 'q', 1, 'z', 0]), /more expressions/);
  await s.query('INSERT INTO t VALUES ($1, $2)', [42, 'r']);
  assert.deepEqual((await s.query(sql, [42])).rows, [{ id: 42, v: 'r', w: 7, z: null }]);
  await db.close();
});

test('DROP and CREATE of a same-named table', async () => {
  const { db, s } = await setup();
  const sql = 'SELECT * FROM t';
  assert.equal((await s.query(sql)).rows.length, 3);
  await s.query('DROP TABLE t');
  await assert.rejects(s.query(sql), /does not exist/);
  await s.query('CREATE TABLE t (k text, n numeric)');
  await s.query("INSERT INTO t VALUES ('x', 1.5)");
  const r = await s.query(sql);
  assert.deepEqual(r.fields.map((f) => f.name), ['k', 'n']);
  assert.equal(r.rows.length, 1);
  await db.close();
});

test('CREATE INDEX makes the index path available to a cached query', async () => {
  const { db, s } = await setup();
  const sql = 'SELECT id FROM t WHERE v = $1';
  assert.deepEqual((await s.queryArrays(sql, ['b'])).rows, [[2]]);
  assert.ok(!hasNode(planOf(s, sql), 'IndexScan'));
  await s.query('CREATE INDEX t_v ON t (v)');
  assert.deepEqual((await s.queryArrays(sql, ['b'])).rows, [[2]]);
  assert.ok(hasNode(planOf(s, sql), 'IndexScan'));
  await db.close();
});

test('a search_path change resolves names again', async () => {
  const { db, s } = await setup();
  await s.exec("CREATE SCHEMA other; CREATE TABLE other.t (id int, v text); INSERT INTO other.t VALUES (1, 'other')");
  const sql = 'SELECT v FROM t WHERE id = $1';
  assert.deepEqual((await s.queryArrays(sql, [1])).rows, [['a']]);
  await s.query('SET search_path = other, public');
  assert.deepEqual((await s.queryArrays(sql, [1])).rows, [['other']]);
  await s.query('RESET search_path');
  assert.deepEqual((await s.queryArrays(sql, [1])).rows, [['a']]);
  await db.close();
});

test('declared parameter types are part of the key; open parameters follow each value', async () => {
  const { db, s } = await setup();
  const inner = engineOf(s);
  const sql = 'SELECT pg_typeof($1)::text';
  const typeOfRun = async (v: unknown, t: (typeof Types)[keyof typeof Types] | null): Promise<unknown> =>
    (await inner.execute(sql, [v], t === null ? [] : [t]))[0]!.rows![0]![0];
  assert.equal(await typeOfRun('5', Types.int4), 'integer');
  assert.equal(await typeOfRun('5', Types.text), 'text');
  assert.equal(await typeOfRun('5', Types.int4), 'integer');
  // No declared type: each execution converts by the JS value's type, as without a cache.
  for (const v of [1, 'x', 2.5, true]) {
    const fresh = await db.session().queryArrays('SELECT $1 = $1, $1', [v]);
    assert.deepEqual((await s.queryArrays('SELECT $1 = $1, $1', [v])).rows, fresh.rows);
  }
  // PREPARE / EXECUTE reuse the plan; argument types of EXECUTE select the entry.
  await s.query('PREPARE p(int) AS SELECT v FROM t WHERE id = $1');
  const before = counters(s).hits;
  assert.deepEqual((await s.queryArrays('EXECUTE p(1)')).rows, [['a']]);
  assert.deepEqual((await s.queryArrays('EXECUTE p(3)')).rows, [['c']]);
  assert.ok(counters(s).hits > before);
  await db.close();
});

test('uncommitted DDL caches under its private catalog: never stale, never seen by others', async () => {
  const { db, s } = await setup();
  const other = db.session();
  const sql = 'SELECT * FROM t WHERE id = $1';
  assert.deepEqual((await s.query(sql, [1])).rows, [{ id: 1, v: 'a' }]);
  await s.query('BEGIN');
  await s.query('ALTER TABLE t ADD COLUMN extra int DEFAULT 9');
  const hitsInTxn = counters(s).hits;
  assert.deepEqual((await s.query(sql, [1])).rows, [{ id: 1, v: 'a', extra: 9 }]);
  assert.deepEqual((await s.query(sql, [1])).rows, [{ id: 1, v: 'a', extra: 9 }]);
  assert.equal(counters(s).hits, hitsInTxn + 1, 'the second run reuses the plan bound under the private catalog');
  // Each DDL statement works on a fresh copy: the plan cached before it is not reused after it.
  await s.query('ALTER TABLE t ADD COLUMN more text DEFAULT \'m\'');
  assert.deepEqual((await s.query(sql, [1])).rows, [{ id: 1, v: 'a', extra: 9, more: 'm' }]);
  assert.deepEqual((await other.query(sql, [1])).rows, [{ id: 1, v: 'a' }]);
  await s.query('ROLLBACK');
  assert.deepEqual((await s.query(sql, [1])).rows, [{ id: 1, v: 'a' }]);
  assert.deepEqual((await other.query(sql, [1])).rows, [{ id: 1, v: 'a' }]);
  // Committed, the DDL reaches both sessions.
  await s.query('BEGIN');
  await s.query('ALTER TABLE t ADD COLUMN extra int DEFAULT 9');
  await s.query('COMMIT');
  assert.deepEqual((await other.query(sql, [1])).rows, [{ id: 1, v: 'a', extra: 9 }]);
  await db.close();
});

test('ROLLBACK TO SAVEPOINT over DDL does not reuse a plan of the rolled-back catalog', async () => {
  const { db, s } = await setup();
  const sql = 'SELECT * FROM t WHERE id = $1';
  await s.query('BEGIN');
  await s.query('ALTER TABLE t ADD COLUMN extra int DEFAULT 9');
  await s.query('SAVEPOINT a');
  await s.query('ALTER TABLE t DROP COLUMN v');
  assert.deepEqual((await s.query(sql, [1])).rows, [{ id: 1, extra: 9 }]);
  assert.deepEqual((await s.query(sql, [1])).rows, [{ id: 1, extra: 9 }]);
  await s.query('ROLLBACK TO SAVEPOINT a');
  assert.deepEqual((await s.query(sql, [1])).rows, [{ id: 1, v: 'a', extra: 9 }]);
  await s.query('ROLLBACK');
  assert.deepEqual((await s.query(sql, [1])).rows, [{ id: 1, v: 'a' }]);
  await db.close();
});

test('volatile functions and the transaction time still change per execution', async () => {
  const env = createSimEnv({ seed: 7 });
  const db = await Oxibase.open('memory://', { env });
  const s = db.session();
  await s.query('CREATE SEQUENCE q');
  const nv: unknown[] = [];
  for (let i = 0; i < 3; i++) nv.push((await s.queryArrays("SELECT nextval('q')")).rows[0]![0]);
  assert.deepEqual(nv, [1, 2, 3]);
  const rnd = new Set<unknown>();
  for (let i = 0; i < 3; i++) rnd.add((await s.queryArrays('SELECT random()')).rows[0]![0]);
  assert.equal(rnd.size, 3);
  for (const sql of ['SELECT now()', "SELECT 'now'::timestamptz", 'SELECT current_timestamp']) {
    const a = (await s.queryArrays(sql)).rows[0]![0] as Date;
    env.timers.advance(5000);
    const b = (await s.queryArrays(sql)).rows[0]![0] as Date;
    assert.notEqual(String(a), String(b), sql);
  }
  await db.close();
});

test('SET TimeZone changes folded constants of a cached statement', async () => {
  const { db, s } = await setup();
  const sql = "SELECT '2024-01-01 00:00:00+00'::timestamptz::text";
  assert.equal((await s.queryArrays(sql)).rows[0]![0], '2024-01-01 00:00:00+00');
  await s.query("SET TimeZone = 'Europe/Paris'");
  assert.equal((await s.queryArrays(sql)).rows[0]![0], '2024-01-01 01:00:00+01');
  await db.close();
});

test('a dropped table\'s rows are freed although statements that used it stay cached', async () => {
  const db = await Oxibase.open('memory://');
  const s = db.session();
  try {
    await s.query('CREATE TABLE big (id int PRIMARY KEY, v text)');
    await s.query("INSERT INTO big SELECT i, 'row number ' || i FROM generate_series(1, 2000) i");
    // Cached plans (and cached statement texts) that read and write the table, in two sessions.
    for (let i = 0; i < 3; i++) {
      await s.query('SELECT v FROM big WHERE id = $1', [i + 1]);
      await s.query('INSERT INTO big VALUES ($1, $2)', [5000 + i, 'x']);
      await db.exec(`UPDATE big SET v = 'y' WHERE id = ${i + 1}`);
    }
    const store = new WeakRef(db.engine.catalog.tables().find((t) => t.name === 'big')!.store);
    // The DROP's commit also takes the write logs queued for GC, which name the table, off the
    // queue.
    await s.query('DROP TABLE big');
    assert.ok(await freedSoon(store), 'the dropped table\'s store is still reachable');
  } finally {
    await s.close();
    await db.close();
  }
});
