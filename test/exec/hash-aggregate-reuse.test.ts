/**
 * A plain aggregation compiles its node once (hash-aggregate.ts, PlainTemplate) and keeps only
 * its folding state per execution: a prepared aggregate run again and again, with DISTINCT and
 * ORDER BY aggregates beside shared-state ones, must give each execution its own groups and
 * argument arrays; so must an execution that starts inside another one of the same node (a
 * recursive SQL function whose aggregate's argument calls it again).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { Oxibase } from '../../src/index.ts';

const ROWS = Array.from({ length: 60 }, (_, i) => ({ g: i % 4, x: (i * 37) % 23 }));

test('a prepared aggregate run repeatedly starts each execution from empty groups', async () => {
  const db = await Oxibase.open('memory://');
  await db.exec('CREATE TABLE t (g int, x int)');
  await db.exec(`INSERT INTO t VALUES ${ROWS.map((r) => `(${r.g}, ${r.x})`).join(', ')}`);
  const grouped = await db.prepare(
    "SELECT g, count(*)::int, sum(x)::int, avg(x)::float8, count(DISTINCT x)::int, string_agg(x::text, ',' ORDER BY x) " +
    'FROM t WHERE x >= $1 GROUP BY g ORDER BY g');
  const single = await db.prepare('SELECT count(*)::int, avg(x)::float8, max(x) FROM t WHERE x >= $1 AND x < $2');
  for (const from of [0, 5, 22, 23, 5, 0]) {
    const want = [0, 1, 2, 3].map((g) => ROWS.filter((r) => r.g === g && r.x >= from).map((r) => r.x))
      .map((xs, g) => [g, xs] as const).filter(([, xs]) => xs.length > 0)
      .map(([g, xs]) => {
        const sorted = [...xs].sort((a, b) => a - b);
        const sum = xs.reduce((a, b) => a + b, 0);
        return [g, xs.length, sum, sum / xs.length, new Set(xs).size, sorted.join(',')];
      });
    const got = (await grouped.queryArrays([from])).rows;
    assert.equal(got.length, want.length, `x >= ${from}`);
    got.forEach((row, i) => {
      const w = want[i]!;
      assert.deepEqual([row[0], row[1], row[2], row[4], row[5]], [w[0], w[1], w[2], w[4], w[5]], `x >= ${from}`);
      assert.ok(Math.abs((row[3] as number) - (w[3] as number)) < 1e-9);
    });
    const xs = ROWS.filter((r) => r.x >= from && r.x < from + 7).map((r) => r.x);
    const [count, avg, max] = (await single.queryArrays([from, from + 7])).rows[0]!;
    assert.equal(count, xs.length);
    assert.equal(max, xs.length === 0 ? null : Math.max(...xs));
    if (xs.length === 0) assert.equal(avg, null);
    else assert.ok(Math.abs((avg as number) - xs.reduce((a, b) => a + b, 0) / xs.length) < 1e-9);
  }
  await db.close();
});

test('an aggregation that starts inside another execution of the same node keeps its own state', async () => {
  const db = await Oxibase.open('memory://');
  await db.exec('CREATE TABLE t (x int); INSERT INTO t VALUES (1), (2), (3)');
  // r(n) = sum over t of (x + r(n - 1)) = 6 + 3 r(n - 1): 6, 24, 78, 240.
  await db.exec(`CREATE FUNCTION r(n int) RETURNS bigint LANGUAGE sql AS
    'SELECT CASE WHEN n <= 0 THEN 0 ELSE (SELECT sum(x + r(n - 1)) FROM t) END'`);
  const rows = (await db.queryArrays('SELECT r(1)::int, r(2)::int, r(3)::int, r(4)::int')).rows;
  assert.deepEqual(rows, [[6, 24, 78, 240]]);
  await db.close();
});
