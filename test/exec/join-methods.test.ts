/**
 * Hash join, merge join and nested loop (src/exec/operators/{hash-join,merge-join,
 * nested-loop-join}.ts) as chosen by the join planner: EXPLAIN shows each for a representative
 * query, and all three return identical rows on the same data for every join kind, with
 * duplicate keys on both sides and NULL keys (which never match).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { Oxibase } from '../../src/index.ts';

async function setup(): Promise<Oxibase> {
  const db = await Oxibase.open('memory://');
  await db.query('CREATE TABLE l(k int, k2 int, v int)');
  await db.query('CREATE TABLE r(k int, k2 int, w int)');
  await db.query(`INSERT INTO l VALUES (1, 1, 10), (1, 2, 11), (1, 1, 12), (2, 1, 20), (NULL, 1, 30),
    (4, NULL, 40), (5, 1, 50), (NULL, NULL, 60), (7, 1, 70)`);
  await db.query(`INSERT INTO r VALUES (1, 1, 100), (1, 1, 101), (1, 2, 102), (3, 1, 300), (NULL, 1, 400),
    (4, NULL, 410), (5, 1, 500), (5, 1, 501), (NULL, NULL, 600), (8, 1, 800)`);
  return db;
}

async function plan(db: Oxibase, sql: string): Promise<string> {
  return (await db.queryArrays(`EXPLAIN ${sql}`)).rows.map((r) => String(r[0])).join('\n');
}

const sorted = (rows: unknown[][]): string[] => rows.map((r) => JSON.stringify(r)).sort();

const KINDS = ['JOIN', 'LEFT JOIN', 'RIGHT JOIN', 'FULL JOIN'];

/** The same join written three ways, each steering the planner to one method. */
function variants(kind: string, extra: string): Record<string, string> {
  const cols = 'SELECT x.k, x.k2, x.v, y.k, y.k2, y.w FROM';
  return {
    'Merge': `${cols} (SELECT * FROM l ORDER BY k, k2) x ${kind} (SELECT * FROM r ORDER BY k, k2) y ON x.k = y.k${extra}`,
    'Hash': `${cols} l x ${kind} r y ON x.k = y.k${extra}`,
    // Equalities written as two inequalities give the planner no hash or merge key.
    'Nested Loop': `${cols} l x ${kind} r y ON x.k <= y.k AND x.k >= y.k${extra.replace(/x\.k2 = y\.k2/, 'x.k2 <= y.k2 AND x.k2 >= y.k2')}`,
  };
}

test('each join method is chosen for its representative query', async () => {
  const db = await setup();
  const v = variants('JOIN', '');
  const merge = await plan(db, v['Merge']!);
  assert.match(merge, /Merge Join/, merge);
  assert.match(merge, /Merge Cond: \(l\.k = r\.k\)/, merge);
  assert.doesNotMatch(merge, /Hash Join|Nested Loop/, merge);
  const hash = await plan(db, v['Hash']!);
  assert.match(hash, /Hash Join/, hash);
  assert.doesNotMatch(hash, /Merge Join|Nested Loop/, hash);
  const nl = await plan(db, v['Nested Loop']!);
  assert.match(nl, /Nested Loop/, nl);
  assert.doesNotMatch(nl, /Merge Join|Hash Join/, nl);
  // Unordered inputs keep the hash join the default.
  const unordered = await plan(db, 'SELECT * FROM (SELECT * FROM l ORDER BY v) x JOIN r ON x.k = r.k');
  assert.match(unordered, /Hash Join/, unordered);
  await db.close();
});

for (const kind of KINDS) {
  for (const extra of ['', ' AND x.k2 = y.k2', ' AND x.v * 10 < y.w']) {
    test(`${kind}${extra ? ` ON ...${extra}` : ''}: merge, hash and nested loop agree`, async () => {
      const db = await setup();
      const v = variants(kind, extra);
      const results: Record<string, string[]> = {};
      for (const [method, sql] of Object.entries(v)) {
        const p = await plan(db, sql);
        assert.ok(p.includes(method === 'Nested Loop' ? 'Nested Loop' : `${method} `), `${method}:\n${p}`);
        results[method] = sorted((await db.queryArrays(sql)).rows);
      }
      assert.ok(results['Hash']!.length > 0);
      assert.deepEqual(results['Merge'], results['Hash']);
      assert.deepEqual(results['Nested Loop'], results['Hash']);
      await db.close();
    });
  }
}

test('a merge join on two keys and its ordered output feeds a second merge join', async () => {
  const db = await setup();
  const sql = `SELECT x.k, x.k2, y.w, z.w FROM (SELECT * FROM l ORDER BY k, k2) x
    JOIN (SELECT * FROM r ORDER BY k, k2) y ON x.k = y.k AND x.k2 = y.k2
    JOIN (SELECT * FROM r ORDER BY k) z ON z.k = x.k`;
  const p = await plan(db, sql);
  assert.equal(p.match(/Merge Join/g)?.length, 2, p);
  assert.match(p, /Merge Cond: \(\(l\.k = r\.k\) AND \(l\.k2 = r\.k2\)\)/, p);
  const merged = (await db.queryArrays(sql)).rows;
  // Merge output stays ordered on the key.
  const keys = merged.map((r) => r[0] as number);
  assert.deepEqual(keys, [...keys].sort((a, b) => a - b));
  const hashed = (await db.queryArrays(`SELECT x.k, x.k2, y.w, z.w FROM l x JOIN r y ON x.k = y.k AND x.k2 = y.k2
    JOIN r z ON z.k = x.k`)).rows;
  assert.deepEqual(sorted(merged), sorted(hashed));
  await db.close();
});

test('merge join over larger inputs with many duplicates matches the hash join', async () => {
  const db = await Oxibase.open('memory://');
  await db.query('CREATE TABLE a(k int, v int)');
  await db.query('CREATE TABLE b(k int, w int)');
  await db.query('INSERT INTO a SELECT CASE WHEN g % 13 = 0 THEN NULL ELSE g % 50 END, g FROM generate_series(1, 3000) g');
  await db.query('INSERT INTO b SELECT CASE WHEN g % 11 = 0 THEN NULL ELSE g % 70 END, g FROM generate_series(1, 2000) g');
  for (const kind of KINDS) {
    const m = `SELECT count(*), sum(x.v), sum(y.w), count(x.k), count(y.k) FROM (SELECT * FROM a ORDER BY k) x ${kind} (SELECT * FROM b ORDER BY k) y ON x.k = y.k`;
    const h = `SELECT count(*), sum(x.v), sum(y.w), count(x.k), count(y.k) FROM a x ${kind} b y ON x.k = y.k`;
    assert.match(await plan(db, m), /Merge/);
    assert.deepEqual((await db.queryArrays(m)).rows, (await db.queryArrays(h)).rows, kind);
  }
  await db.close();
});
