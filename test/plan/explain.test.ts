/**
 * EXPLAIN output (src/engine/explain.ts, src/plan/deparse.ts): PostgreSQL-style node labels,
 * cost/rows/width annotations, conditions and keys deparsed from the bound expressions, and the
 * ANALYZE annotations and summary lines.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { Oxibase } from '../../src/index.ts';

async function setup(): Promise<Oxibase> {
  const db = await Oxibase.open('memory://');
  await db.query('CREATE TABLE t1(a int PRIMARY KEY, b int, s text)');
  await db.query('CREATE TABLE t2(c int, d int)');
  await db.query("INSERT INTO t1 SELECT g, g % 7, 'x' || g FROM generate_series(1, 50) g");
  await db.query('INSERT INTO t2 SELECT g, g % 5 FROM generate_series(1, 50) g');
  return db;
}

async function explain(db: Oxibase, sql: string, opts = '(COSTS OFF)'): Promise<string[]> {
  return (await db.queryArrays(`EXPLAIN ${opts} ${sql}`)).rows.map((r) => String(r[0]));
}

test('scan filter, index condition and parameters are deparsed', async () => {
  const db = await setup();
  assert.deepEqual(await explain(db, "SELECT * FROM t1 WHERE b > 1 AND s <> 'x'"), [
    'Seq Scan on t1',
    "  Filter: ((b > 1) AND (s <> 'x'::text))",
  ]);
  assert.deepEqual(await explain(db, 'SELECT b FROM t1 WHERE a = $1'), [
    'Index Scan using t1_pkey on t1',
    '  Index Cond: (a = $1)',
  ]);
  assert.deepEqual(await explain(db, 'SELECT b FROM t1 WHERE a = 5 AND b + 1 > 2'), [
    'Index Scan using t1_pkey on t1',
    '  Index Cond: (a = 5)',
    '  Filter: ((b + 1) > 2)',
  ]);
  await db.close();
});

test('join conditions are qualified, hash build side sits under Hash', async () => {
  const db = await setup();
  assert.deepEqual(await explain(db, 'SELECT * FROM t1 JOIN t2 ON a = c AND b < d'), [
    'Hash Join',
    '  Hash Cond: (t1.a = t2.c)',
    '  Join Filter: (t1.b < t2.d)',
    '  ->  Seq Scan on t1',
    '  ->  Hash',
    '        ->  Seq Scan on t2',
  ]);
  assert.deepEqual(await explain(db, 'SELECT * FROM t1 x LEFT JOIN t2 ON x.a < c'), [
    'Nested Loop Left Join',
    '  Join Filter: (x.a < t2.c)',
    '  ->  Seq Scan on t1 x',
    '  ->  Seq Scan on t2',
  ]);
  assert.deepEqual(await explain(db, 'SELECT * FROM (SELECT * FROM t1 ORDER BY a) x FULL JOIN (SELECT * FROM t2 ORDER BY c) y ON x.a = y.c'), [
    'Merge Full Join',
    '  Merge Cond: (t1.a = t2.c)',
    '  ->  Sort',
    '        Sort Key: t1.a',
    '        ->  Seq Scan on t1',
    '  ->  Sort',
    '        Sort Key: t2.c',
    '        ->  Seq Scan on t2',
  ]);
  await db.close();
});

test('sort keys, group keys, HAVING filter, limits and grouping sets', async () => {
  const db = await setup();
  assert.deepEqual(await explain(db, 'SELECT b, count(*) FROM t1 GROUP BY b HAVING count(*) > 1 ORDER BY b DESC, 2 NULLS FIRST'), [
    'Sort',
    '  Sort Key: b DESC, count(*) NULLS FIRST',
    '  ->  HashAggregate',
    '        Group Key: b',
    '        Filter: (count(*) > 1)',
    '        ->  Seq Scan on t1',
  ]);
  assert.deepEqual(await explain(db, 'SELECT a FROM t1 ORDER BY b + a LIMIT 3'), [
    'Limit',
    '  ->  Sort',
    '        Sort Key: (b + a)',
    '        ->  Seq Scan on t1',
  ]);
  assert.deepEqual(await explain(db, 'SELECT a, b, sum(a) FROM t1 GROUP BY ROLLUP (a, b)'), [
    'MixedAggregate',
    '  Hash Key: a, b',
    '  Hash Key: a',
    '  Group Key: ()',
    '  ->  Seq Scan on t1',
  ]);
  assert.deepEqual(await explain(db, 'SELECT 1'), ['Result']);
  await db.close();
});

test('cost annotations and EXPLAIN ANALYZE', async () => {
  const db = await setup();
  const plain = await explain(db, 'SELECT * FROM t1 JOIN t2 ON a = c ORDER BY a LIMIT 3', '');
  assert.match(plain[0]!, /^Limit {2}\(cost=\d+\.\d\d\.\.\d+\.\d\d rows=3 width=\d+\)$/, plain.join('\n'));
  assert.ok(plain.some((l) => /Seq Scan on t2 {2}\(cost=0\.00\.\.\d+\.\d\d rows=50 width=8\)/.test(l)), plain.join('\n'));
  const analyzed = await explain(db, 'SELECT * FROM t1 JOIN t2 ON a = c ORDER BY a LIMIT 3', 'ANALYZE');
  const text = analyzed.join('\n');
  assert.match(analyzed[0]!, /^Limit {2}\(cost=.*\) \(actual time=\d+\.\d{3}\.\.\d+\.\d{3} rows=3 loops=1\)$/, text);
  assert.match(text, /Hash Join .*\(actual time=.* rows=50 loops=1\)/, text);
  assert.match(text, /Sort Method: top-N heapsort/, text);
  assert.match(analyzed.at(-2)!, /^Planning Time: \d+\.\d{3} ms$/);
  assert.match(analyzed.at(-1)!, /^Execution Time: \d+\.\d{3} ms$/);
  await db.close();
});

test('EXPLAIN of INSERT, UPDATE and DELETE shows the write over the plan feeding it', async () => {
  const db = await setup();
  await db.query('CREATE INDEX t2_c ON t2(c)');
  assert.deepEqual(await explain(db, 'DELETE FROM t2 WHERE c > 10 AND c < 20'), [
    'Delete on t2',
    '  ->  Index Scan using t2_c on t2',
    '        Index Cond: ((c > 10) AND (c < 20))',
  ]);
  assert.deepEqual(await explain(db, 'UPDATE t1 x SET b = b + 1 WHERE a = 7'), [
    'Update on t1 x',
    '  ->  Index Scan using t1_pkey on t1 x',
    '        Index Cond: (a = 7)',
  ]);
  assert.deepEqual(await explain(db, "UPDATE t1 SET b = 0 WHERE s LIKE '%5'"), [
    'Update on t1',
    '  ->  Seq Scan on t1',
    "        Filter: (s ~~ '%5'::text)",
  ]);
  assert.deepEqual(await explain(db, "INSERT INTO t1 VALUES (100, 1, 'y')"), ['Insert on t1', '  ->  Result']);
  assert.deepEqual(await explain(db, 'INSERT INTO t1 VALUES (101, 1), (102, 2) ON CONFLICT (a) DO UPDATE SET b = excluded.b'), [
    'Insert on t1',
    '  Conflict Resolution: UPDATE',
    '  Conflict Arbiter Indexes: t1_pkey',
    '  ->  Values Scan on "*VALUES*"',
  ]);
  assert.deepEqual(await explain(db, 'INSERT INTO t2 SELECT a, b FROM t1 WHERE a < 5'), [
    'Insert on t2',
    '  ->  Index Scan using t1_pkey on t1',
    '        Index Cond: (a < 5)',
  ]);
  // Plain EXPLAIN only plans: nothing was written.
  assert.equal((await db.queryArrays('SELECT count(*) FROM t1')).rows[0]![0], 50);
  assert.equal((await db.queryArrays('SELECT count(*) FROM t2 WHERE c > 10 AND c < 20')).rows[0]![0], 9);
  const costed = await explain(db, 'DELETE FROM t2 WHERE d = 1', '');
  const scanCost = /Seq Scan on t2 {2}\(cost=(\d+\.\d\d\.\.\d+\.\d\d) rows=\d+ width=\d+\)/.exec(costed[1]!);
  assert.ok(scanCost, costed.join('\n'));
  assert.equal(costed[0], `Delete on t2  (cost=${scanCost[1]} rows=0 width=0)`);
  await db.close();
});

test('EXPLAIN ANALYZE of a write runs it; a read-only transaction refuses that but not plain EXPLAIN', async () => {
  const db = await setup();
  const analyzed = await explain(db, 'DELETE FROM t1 WHERE a <= 10 RETURNING a', '(ANALYZE, COSTS OFF)');
  const text = analyzed.join('\n');
  assert.match(analyzed[0]!, /^Delete on t1 \(actual time=\d+\.\d{3}\.\.\d+\.\d{3} rows=0 loops=1\)$/, text);
  assert.match(analyzed[1]!, /^ {2}-> {2}Index Scan using t1_pkey on t1 \(actual time=.* rows=10 loops=1\)$/, text);
  assert.match(analyzed.at(-1)!, /^Execution Time: \d+\.\d{3} ms$/);
  assert.equal((await db.queryArrays('SELECT count(*) FROM t1')).rows[0]![0], 40);
  // Listed rows are evaluated by the insert itself: their Result shows no run of its own.
  const inserted = await explain(db, "INSERT INTO t1 VALUES (1, 1, 'z')", '(ANALYZE, COSTS OFF, SUMMARY OFF)');
  assert.match(inserted[0]!, /^Insert on t1 \(actual time=.* rows=0 loops=1\)$/, inserted.join('\n'));
  assert.equal(inserted[1], '  ->  Result');
  assert.equal((await db.queryArrays('SELECT s FROM t1 WHERE a = 1')).rows[0]![0], 'z');
  await db.query('BEGIN READ ONLY');
  assert.deepEqual(await explain(db, 'UPDATE t2 SET d = 0'), ['Update on t2', '  ->  Seq Scan on t2']);
  await assert.rejects(explain(db, 'UPDATE t2 SET d = 0', 'ANALYZE'), (e: { code?: string }) => e.code === '25006');
  await db.query('ROLLBACK');
  await assert.rejects(explain(db, 'WITH d AS (DELETE FROM t2 RETURNING c) SELECT count(*) FROM d'), (e: { code?: string }) => e.code === '0A000');
  assert.equal((await db.queryArrays('SELECT count(*) FROM t2 WHERE d = 0')).rows[0]![0], 10);
  await db.close();
});
