/**
 * Moving-aggregate window frames (src/exec/operators/window.ts): running and sliding aggregates
 * computed incrementally must equal the per-row definition, which a correlated subquery over
 * the same partition and frame spells out. Covers ROWS / RANGE / GROUPS frames, peers, NULL
 * arguments, FILTER and aggregates without an inverse (min/max, rebuilt per row).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { Oxibase } from '../../src/index.ts';

async function setup(): Promise<Oxibase> {
  const db = await Oxibase.open('memory://');
  await db.exec(`CREATE TABLE w (id int PRIMARY KEY, p int, o int, v int);
    INSERT INTO w SELECT g, g % 3, g / 4, CASE WHEN g % 7 = 0 THEN NULL ELSE (g * 37) % 23 END FROM generate_series(1, 120) g`);
  return db;
}

async function pairs(db: Oxibase, windowed: string, naive: string): Promise<void> {
  const a = (await db.queryArrays(`SELECT id, ${windowed} FROM w ORDER BY id`)).rows;
  const b = (await db.queryArrays(`SELECT id, ${naive} FROM w AS x ORDER BY id`)).rows;
  assert.deepEqual(a, b, windowed);
}

test('running aggregates (frame from the partition start) equal the per-row definition', async () => {
  const db = await setup();
  await pairs(db, 'sum(v) OVER (PARTITION BY p ORDER BY id)',
    '(SELECT sum(v) FROM w y WHERE y.p = x.p AND y.id <= x.id)');
  // RANGE with peers: rows sharing `o` share the frame end.
  await pairs(db, 'count(v) OVER (PARTITION BY p ORDER BY o)',
    '(SELECT count(v) FROM w y WHERE y.p = x.p AND y.o <= x.o)');
  await pairs(db, 'avg(v) OVER (PARTITION BY p ORDER BY o)',
    '(SELECT avg(v) FROM w y WHERE y.p = x.p AND y.o <= x.o)');
  await pairs(db, 'max(v) OVER (ORDER BY id)', '(SELECT max(v) FROM w y WHERE y.id <= x.id)');
  await pairs(db, 'sum(v) FILTER (WHERE v > 10) OVER (PARTITION BY p ORDER BY id)',
    '(SELECT sum(v) FROM w y WHERE y.p = x.p AND y.id <= x.id AND y.v > 10)');
  await db.close();
});

test('arguments are evaluated only for rows that feed the aggregate (FILTER, frames never reached)', async () => {
  const db = await setup();
  // 1/(v - v) fails for every row with a v, but FILTER keeps those rows out: PostgreSQL never
  // evaluates the argument for them, so neither may the window operator.
  const filtered = await db.queryArrays('SELECT sum(1 / (v - v)) FILTER (WHERE v IS NULL) OVER (PARTITION BY p ORDER BY id) FROM w');
  assert.ok(filtered.rows.every((r) => r[0] === null));
  // An unsorted window (no PARTITION BY / ORDER BY) reads arguments by position as well.
  await pairs(db, 'sum(v) OVER ()', '(SELECT sum(v) FROM w)');
  await pairs(db, 'count(v) OVER (ORDER BY o DESC)', '(SELECT count(v) FROM w y WHERE y.o >= x.o)');
  await db.close();
});

test('sliding frames use the inverse transition, or rebuild without one', async () => {
  const db = await setup();
  await pairs(db, 'sum(v) OVER (PARTITION BY p ORDER BY id ROWS BETWEEN 2 PRECEDING AND 1 FOLLOWING)',
    `(SELECT sum(v) FROM (SELECT v, row_number() OVER (ORDER BY id) AS rn FROM w y WHERE y.p = x.p) s
      WHERE rn BETWEEN (SELECT count(*) FROM w z WHERE z.p = x.p AND z.id <= x.id) - 2
        AND (SELECT count(*) FROM w z WHERE z.p = x.p AND z.id <= x.id) + 1)`);
  await pairs(db, 'count(*) OVER (PARTITION BY p ORDER BY o RANGE BETWEEN 1 PRECEDING AND CURRENT ROW)',
    '(SELECT count(*) FROM w y WHERE y.p = x.p AND y.o BETWEEN x.o - 1 AND x.o)');
  await pairs(db, 'min(v) OVER (PARTITION BY p ORDER BY o RANGE BETWEEN CURRENT ROW AND 2 FOLLOWING)',
    '(SELECT min(v) FROM w y WHERE y.p = x.p AND y.o BETWEEN x.o AND x.o + 2)');
  await pairs(db, 'sum(v) OVER (PARTITION BY p ORDER BY o GROUPS BETWEEN 1 PRECEDING AND 1 FOLLOWING)',
    `(SELECT sum(v) FROM w y WHERE y.p = x.p AND y.o IN (
      SELECT DISTINCT o FROM w z WHERE z.p = x.p AND z.o BETWEEN x.o - 1 AND x.o + 1))`);
  // A frame ending before it starts is empty: NULL sum, zero count.
  const empty = await db.queryArrays(
    'SELECT sum(v) OVER (ORDER BY id ROWS BETWEEN 3 PRECEDING AND 5 PRECEDING), count(v) OVER (ORDER BY id ROWS BETWEEN 3 PRECEDING AND 5 PRECEDING) FROM w LIMIT 1');
  assert.deepEqual(empty.rows, [[null, 0]]);
  await db.close();
});

test('LIMIT moves below projections and into UNION ALL branches', async () => {
  const db = await setup();
  const plan = async (sql: string): Promise<string> =>
    (await db.queryArrays(`EXPLAIN (COSTS OFF) ${sql}`)).rows.map((r) => String(r[0])).join('\n');
  assert.match(await plan('SELECT id FROM w UNION ALL SELECT id FROM w LIMIT 5'),
    /Limit\n {2}->  Append\n {8}->  Limit\n[\s\S]*->  Limit\n/);
  assert.deepEqual((await db.queryArrays('SELECT id FROM w UNION ALL SELECT id FROM w LIMIT 3 OFFSET 119')).rows,
    [[120], [1], [2]]);
  assert.deepEqual((await db.queryArrays('SELECT id * 2, v FROM w ORDER BY v DESC NULLS LAST, id LIMIT 2')).rows,
    [[36, 22], [82, 22]]);
  // Set-returning functions multiply rows: the LIMIT stays above them.
  assert.deepEqual((await db.queryArrays('SELECT id, generate_series(1, 2) FROM w LIMIT 3')).rows, [[1, 1], [1, 2], [2, 1]]);
  await db.close();
});
