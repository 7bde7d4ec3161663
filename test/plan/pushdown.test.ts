/**
 * Predicate pushdown into views and derived tables (src/plan/binder/predicate-pushdown.ts):
 * conditions reach the base scans (and their indexes) through projections, UNION ALL, DISTINCT
 * and GROUP BY keys, and stop at LIMIT and aggregates; results are unchanged.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { Oxibase } from '../../src/index.ts';

async function setup(): Promise<Oxibase> {
  const db = await Oxibase.open('memory://');
  await db.exec(`CREATE TABLE t (a int PRIMARY KEY, b int);
    INSERT INTO t SELECT g, g % 10 FROM generate_series(1, 1000) g;
    CREATE VIEW v AS SELECT a, b * 2 AS b2 FROM t;
    CREATE VIEW g AS SELECT b, count(*) AS n FROM t GROUP BY b`);
  return db;
}

async function plan(db: Oxibase, sql: string): Promise<string> {
  return (await db.queryArrays(`EXPLAIN (COSTS OFF) ${sql}`)).rows.map((r) => String(r[0])).join('\n');
}

test('conditions on views reach the table and its index', async () => {
  const db = await setup();
  assert.equal(await plan(db, 'SELECT * FROM v WHERE a = 5'), 'Index Scan using t_pkey on t\n  Index Cond: (a = 5)');
  assert.deepEqual((await db.queryArrays('SELECT * FROM v WHERE a = 5')).rows, [[5, 10]]);
  // A condition on a computed column is rewritten over the table's columns.
  assert.match(await plan(db, 'SELECT * FROM v WHERE b2 = 4'), /Seq Scan on t\n {2}Filter: \(\(b \* 2\) = 4\)/);
  assert.equal((await db.queryArrays('SELECT count(*) FROM v WHERE b2 = 4')).rows[0]![0], 100);
  await db.close();
});

test('through UNION ALL, DISTINCT and group keys; not through LIMIT or aggregates', async () => {
  const db = await setup();
  const u = 'SELECT count(*) FROM (SELECT a, b FROM t UNION ALL SELECT b, a FROM t) u WHERE a = 7';
  assert.match(await plan(db, u), /Append\n\s+->  Index Scan using t_pkey on t\n\s+Index Cond: \(t\.a = 7\)\n\s+->  Seq Scan on t\n\s+Filter: \(t\.b = 7\)/);
  assert.deepEqual((await db.queryArrays(u)).rows, [[101]]);
  assert.match(await plan(db, 'SELECT * FROM g WHERE b = 3 AND n > 1'), /Filter: \(count\(\*\) > 1\)\n\s+->  Seq Scan on t\n\s+Filter: \(b = 3\)/);
  assert.deepEqual((await db.queryArrays('SELECT * FROM g WHERE b = 3 AND n > 1')).rows, [[3, 100]]);
  assert.match(await plan(db, 'SELECT * FROM (SELECT DISTINCT b FROM t) d WHERE b < 2'), /Seq Scan on t\n\s+Filter: \(b < 2\)/);
  // LIMIT decides which rows exist: the condition stays above it.
  const lim = 'SELECT * FROM (SELECT a FROM t ORDER BY a LIMIT 5) l WHERE a > 3';
  assert.doesNotMatch(await plan(db, lim), /Seq Scan on t\n\s+Filter/);
  assert.deepEqual((await db.queryArrays(lim)).rows, [[4], [5]]);
  await db.close();
});
