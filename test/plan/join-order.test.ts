/**
 * Cost-based join order and method (src/plan/binder/join-order.ts): star and chain queries over
 * tables of different sizes, read through EXPLAIN, with results checked against the same query
 * written in other orders.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { Oxibase } from '../../src/index.ts';

async function setup(): Promise<Oxibase> {
  const db = await Oxibase.open('memory://');
  await db.exec(`CREATE TABLE fact (id int PRIMARY KEY, s int, m int, v int);
    CREATE TABLE small (id int PRIMARY KEY, v int);
    CREATE TABLE mid (id int PRIMARY KEY, w int);
    INSERT INTO fact SELECT g, g % 10, g % 1000, g % 100 FROM generate_series(1, 20000) g;
    INSERT INTO small SELECT g, g % 3 FROM generate_series(0, 9) g;
    INSERT INTO mid SELECT g, g % 7 FROM generate_series(0, 999) g;
    ANALYZE`);
  return db;
}

async function explain(db: Oxibase, sql: string): Promise<string[]> {
  return (await db.queryArrays(`EXPLAIN (COSTS OFF) ${sql}`)).rows.map((r) => String(r[0]));
}

async function scalar(db: Oxibase, sql: string): Promise<unknown> {
  return (await db.queryArrays(sql)).rows[0]![0];
}

/** The scans of a plan in display order (outer side first, build sides after). */
function scans(plan: readonly string[]): string[] {
  return plan.filter((l) => /Scan/.test(l)).map((l) => /on (\w+)/.exec(l)![1]!);
}

test('star join: the fact table is probed, the filtered dimensions are hashed', async () => {
  const db = await setup();
  const orders = [
    'fact f, small s, mid m', 'small s, mid m, fact f', 'mid m, fact f, small s',
  ];
  const results = new Set<unknown>();
  for (const from of orders) {
    const sql = `SELECT count(*) FROM ${from} WHERE f.s = s.id AND f.m = m.id AND s.v = 1 AND m.w = 3`;
    const plan = await explain(db, sql);
    const text = plan.join('\n');
    assert.equal(plan.filter((l) => l.includes('Hash Join')).length, 2, text);
    // The big table is the probe side of both joins: first scan shown, never under a Hash.
    assert.equal(scans(plan)[0], 'fact', text);
    assert.ok(!/Hash\n\s+->\s+Seq Scan on fact/.test(text), text);
    results.add(await scalar(db, sql));
  }
  assert.deepEqual([...results], [await scalar(db,
    'SELECT count(*) FROM fact WHERE s IN (SELECT id FROM small WHERE v = 1) AND m IN (SELECT id FROM mid WHERE w = 3)')]);
  await db.close();
});

test('chain join: the most selective end starts and the order follows the links', async () => {
  const db = await setup();
  // small -> fact (by s) -> mid (by m): with small filtered to one row, an index nested loop or
  // hash joins must never cross-join small and mid.
  const sql = 'SELECT count(*) FROM mid m, fact f, small s WHERE m.id = f.m AND f.s = s.id AND s.id = 3';
  const plan = await explain(db, sql);
  assert.ok(!plan.some((l) => /Nested Loop$/.test(l.trim()) && !plan.join('\n').includes('Index')), plan.join('\n'));
  assert.equal(await scalar(db, sql), 2000);
  await db.close();
});

test('explicit inner joins are reordered and WHERE conditions reach their tables', async () => {
  const db = await setup();
  const sql = 'SELECT count(*) FROM mid m JOIN fact f ON f.m = m.id JOIN small s ON s.id = f.s WHERE m.w = 3 AND s.v = 2';
  const plan = await explain(db, sql);
  const text = plan.join('\n');
  assert.match(text, /Seq Scan on small s\n\s+Filter: \(s\.v = 2\)/, text);
  assert.match(text, /Seq Scan on mid m\n\s+Filter: \(m\.w = 3\)/, text);
  assert.equal(scans(plan)[0], 'fact', text);
  assert.equal(await scalar(db, sql), await scalar(db,
    'SELECT count(*) FROM fact f, mid m, small s WHERE f.m = m.id AND s.id = f.s AND m.w = 3 AND s.v = 2'));
  await db.close();
});

test('index nested loop when few outer rows meet a primary key', async () => {
  const db = await setup();
  const sql = 'SELECT f.v, s.v FROM small s JOIN fact f ON f.id = s.id * 100 + 1 WHERE s.v = 1 ORDER BY 1';
  const plan = await explain(db, sql);
  const text = plan.join('\n');
  assert.match(text, /Nested Loop\n\s+->  Seq Scan on small s[\s\S]*Index Scan using fact_pkey on fact f\n\s+Index Cond: \(f\.id = \(\(s\.id \* 100\) \+ 1\)\)/, text);
  const rows = (await db.queryArrays(sql)).rows;
  assert.deepEqual(rows, (await db.queryArrays(
    'SELECT f.v, s.v FROM small s, fact f WHERE (f.id = s.id * 100 + 1) IS TRUE AND s.v = 1 ORDER BY 1')).rows);
  assert.equal(rows.length, 3);
  // A big outer side prefers a hash join.
  assert.match((await explain(db, 'SELECT count(*) FROM fact a JOIN fact b ON b.id = a.m')).join('\n'), /Hash Join/);
  await db.close();
});

test('join estimates use the statistics', async () => {
  const db = await setup();
  const line = (await db.queryArrays('EXPLAIN SELECT * FROM fact f JOIN mid m ON f.m = m.id')).rows
    .map((r) => String(r[0])).find((l) => l.startsWith('Hash Join'))!;
  // 20,000 × 1,000 / max(1,000, 1,000) = 20,000 rows.
  const rows = Number(/rows=(\d+)/.exec(line)![1]);
  assert.ok(rows > 15000 && rows < 25000, line);
  await db.close();
});

test('outer joins hash the cheaper side (Hash Right Join) with the same results', async () => {
  const db = await setup();
  const sql = 'SELECT s.id, count(f.id) FROM small s LEFT JOIN fact f ON f.s = s.id AND f.v > s.v GROUP BY s.id ORDER BY 1';
  const text = (await explain(db, sql)).join('\n');
  assert.match(text, /Hash Right Join\n\s+Hash Cond: \(f\.s = s\.id\)\n\s+Join Filter: \(f\.v > s\.v\)\n\s+->  Seq Scan on fact f\n\s+->  Hash\n\s+->  Seq Scan on small s/, text);
  const naive = 'SELECT s.id, (SELECT count(*) FROM fact f WHERE f.s = s.id AND f.v > s.v) FROM small s ORDER BY 1';
  assert.deepEqual((await db.queryArrays(sql)).rows, (await db.queryArrays(naive)).rows);
  const full = 'SELECT count(*), count(f.id), count(s.id) FROM small s FULL JOIN fact f ON f.s = s.id + 5';
  assert.match((await explain(db, full)).join('\n'), /Hash Full Join/);
  assert.deepEqual((await db.queryArrays(full)).rows, [[20005, 20000, 10005]]);
  await db.close();
});
