/**
 * Plan shapes chosen by the join planner (src/plan/binder/join-planner.ts) and access-path choice,
 * read through EXPLAIN, plus the results those plans produce (canonical column layout whatever
 * the execution order).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { Oxibase } from '../../src/index.ts';

async function setup(): Promise<Oxibase> {
  const db = await Oxibase.open('memory://');
  await db.query('CREATE TABLE t1(a INTEGER PRIMARY KEY, b INTEGER)');
  await db.query('CREATE TABLE t2(c INTEGER, d INTEGER)');
  await db.query('CREATE TABLE t3(e INTEGER, f INTEGER)');
  await db.query('CREATE TABLE t4(g INTEGER, h INTEGER)');
  for (const t of ['t1', 't2', 't3', 't4']) {
    await db.query(`INSERT INTO ${t} SELECT g, g % 7 FROM generate_series(1, 50) g`);
  }
  return db;
}

async function explain(db: Oxibase, sql: string): Promise<string[]> {
  const r = await db.queryArrays(`EXPLAIN ${sql}`);
  return r.rows.map((row) => String(row[0]));
}

/** Indentation depth of a plan line ("->" lines are children of the line above them). */
function depth(line: string): number {
  return line.length - line.trimStart().length;
}

test('comma join on an equality is a hash join', async () => {
  const db = await setup();
  const plan = await explain(db, 'SELECT * FROM t1, t2 WHERE a = c');
  assert.ok(plan.some((l) => l.includes('Hash Join')), plan.join('\n'));
  assert.ok(!plan.some((l) => l.includes('Nested Loop')), plan.join('\n'));
  const r = await db.queryArrays('SELECT a, b, c, d FROM t1, t2 WHERE a = c AND a <= 3 ORDER BY a');
  assert.deepEqual(r.rows, [[1, 1, 1, 1], [2, 2, 2, 2], [3, 3, 3, 3]]);
  await db.close();
});

test('explicit JOIN ... ON with an equality is a hash join', async () => {
  const db = await setup();
  const plan = await explain(db, 'SELECT * FROM t1 JOIN t2 ON a = c AND d > 1');
  assert.ok(plan.some((l) => l.includes('Hash Join')), plan.join('\n'));
  await db.close();
});

test('primary key = constant is an index scan', async () => {
  const db = await setup();
  const plan = await explain(db, 'SELECT b FROM t1 WHERE a = 5');
  assert.ok(plan.some((l) => l.includes('Index Scan using t1_pkey on t1')), plan.join('\n'));
  const r = await db.queryArrays('SELECT b FROM t1 WHERE a = 5');
  assert.deepEqual(r.rows, [[5]]);
  await db.close();
});

test('non-equality join condition falls back to a nested loop', async () => {
  const db = await setup();
  const plan = await explain(db, 'SELECT * FROM t1, t2 WHERE a < c');
  assert.ok(plan.some((l) => l.includes('Nested Loop')), plan.join('\n'));
  const r = await db.queryArrays('SELECT count(*) FROM t1, t2 WHERE a < c');
  assert.deepEqual(r.rows, [[1225]]);
  await db.close();
});

test('items linked by conjuncts are joined before any cross product', async () => {
  const db = await setup();
  // t3 and t4 are linked (e = h); t1 and t2 stand alone. The hash join of t3/t4 must be one
  // input of a cross join, never a hash join whose probe side is already a cross product.
  const sql = 'SELECT * FROM t3, t1, t2, t4 WHERE b = 1 AND e = h AND d = 3';
  const plan = await explain(db, sql);
  const hashAt = plan.findIndex((l) => l.includes('Hash Join'));
  assert.ok(hashAt >= 0, plan.join('\n'));
  const below = plan.slice(hashAt + 1).filter((l) => depth(l) > depth(plan[hashAt]!));
  assert.ok(!below.some((l) => l.includes('Nested Loop')), plan.join('\n'));
  const scansBelow = below.filter((l) => l.includes('Seq Scan')).map((l) => l.trim());
  assert.deepEqual(scansBelow.map((l) => /on (t\d)/.exec(l)?.[1]).sort(), ['t3', 't4']);
  // Columns come back in written order (t3, t1, t2, t4) whatever order executed.
  const r = await db.queryArrays(`${sql} ORDER BY e, a, c, g LIMIT 2`);
  assert.deepEqual(r.rows, [[1, 1, 1, 1, 3, 3, 1, 1], [1, 1, 1, 1, 3, 3, 8, 1]]);
  const count = await db.queryArrays('SELECT count(*) FROM t3, t1, t2, t4 WHERE b = 1 AND e = h AND d = 3');
  // The cross product of the three independent parts, counted separately.
  const check = await db.queryArrays(
    'SELECT (SELECT count(*) FROM t1 WHERE b = 1) * (SELECT count(*) FROM t2 WHERE d = 3)'
    + ' * (SELECT count(*) FROM t3 JOIN t4 ON e = h)');
  assert.deepEqual(count.rows, check.rows);
  await db.close();
});

test('correlated scalar subquery in the select list', async () => {
  const db = await setup();
  const r = await db.queryArrays(
    'SELECT a, (SELECT count(*) FROM t1 AS x WHERE x.b < t1.b) FROM t1 WHERE a IN (1, 7, 13) ORDER BY a');
  // b = a % 7: 1 -> rows with b = 0 (7 of them); 7 -> b = 0 -> 0; 13 -> b = 6 -> all but b = 6.
  assert.deepEqual(r.rows, [[1, 7], [7, 0], [13, 43]]);
  const again = await db.queryArrays(
    'SELECT a FROM t1 WHERE b IN (SELECT x.d FROM t2 AS x WHERE x.c = t1.a + 1) ORDER BY a LIMIT 3');
  // d of row a+1 is (a+1) % 7, equal to a % 7 never: empty.
  assert.deepEqual(again.rows, []);
  await db.close();
});
