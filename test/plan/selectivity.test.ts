/**
 * Selectivity estimates (src/plan/stats/selectivity.ts) on known distributions, read from
 * EXPLAIN's row estimates after ANALYZE, against the true counts, and PostgreSQL's defaults
 * without statistics.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { Oxibase } from '../../src/index.ts';
import { createSimEnv } from '../../src/env/sim-env.ts';

async function setup(analyze: boolean): Promise<Oxibase> {
  const db = await Oxibase.open('memory://', { env: createSimEnv({ seed: 3 }) });
  await db.exec(`CREATE TABLE t (u int, skew int, maybe int, name text, flag bool);
    INSERT INTO t SELECT g, CASE WHEN g % 2 = 0 THEN 0 ELSE g % 100 END, CASE WHEN g % 5 = 0 THEN NULL ELSE g % 20 END,
      'n' || lpad((g % 1000)::text, 4, '0'), g % 4 = 0 FROM generate_series(1, 10000) g`);
  if (analyze) await db.exec('ANALYZE t');
  return db;
}

async function estimate(db: Oxibase, where: string): Promise<number> {
  const first = String((await db.queryArrays(`EXPLAIN SELECT * FROM t WHERE ${where}`)).rows[0]![0]);
  return Number(/rows=(\d+)/.exec(first)![1]);
}

async function actual(db: Oxibase, where: string): Promise<number> {
  return Number((await db.queryArrays(`SELECT count(*) FROM t WHERE ${where}`)).rows[0]![0]);
}

/** The estimate is within `rel` of the true count (or `abs` rows for small counts). */
async function close(db: Oxibase, where: string, rel: number, abs = 5): Promise<void> {
  const [e, a] = [await estimate(db, where), await actual(db, where)];
  assert.ok(Math.abs(e - a) <= Math.max(abs, rel * a), `${where}: estimated ${e}, actual ${a}`);
}

test('equality, inequality and ranges use MCVs and the histogram', async () => {
  const db = await setup(true);
  await close(db, 'skew = 0', 0.02);           // the most common value
  await close(db, 'skew = 37', 0.5);           // a rare value: the non-MCV share
  await close(db, 'skew <> 0', 0.05);
  await close(db, 'u < 2500', 0.05);
  await close(db, 'u >= 9000', 0.05);
  await close(db, 'u BETWEEN 100 AND 1099', 0.1);
  await close(db, 'u > 100 AND u < 200', 0.2, 20);
  await close(db, "name < 'n0100'", 0.1, 30);
  await close(db, 'u IN (1, 2, 3)', 0.1, 3);
  await close(db, 'skew IN (0, 1)', 0.05);
  await db.close();
});

test('NULL tests, booleans, LIKE, AND / OR / NOT', async () => {
  const db = await setup(true);
  await close(db, 'maybe IS NULL', 0.02);
  await close(db, 'maybe IS NOT NULL', 0.02);
  await close(db, 'flag', 0.05);
  await close(db, 'NOT flag', 0.05);
  await close(db, "name LIKE 'n01%'", 0.3, 30);
  await close(db, "name LIKE 'n0123'", 0.5, 10);
  // No prefix: the share of histogram entries that match. The heuristic alone (0.2 per literal
  // character) said 400 and 80 rows.
  await close(db, "name LIKE '%n0%'", 0.05, 30);
  await close(db, "name ILIKE '%N02%'", 0.3, 30);
  await close(db, 'skew = 0 AND u < 5000', 0.1);
  await close(db, 'skew = 0 OR u < 1000', 0.1);
  await close(db, 'NOT (u < 2500)', 0.05);
  await db.close();
});

test('without statistics PostgreSQL default selectivities apply', async () => {
  const db = await setup(false);
  // Auto-analyze has run after the load; drop its statistics to see the defaults.
  const rows = 10000;
  const est = async (w: string): Promise<number> => estimate(db, w);
  await db.exec('CREATE TABLE fresh (a int, b int)');
  await db.exec('INSERT INTO fresh SELECT g, g FROM generate_series(1, 40) g');
  const first = async (w: string): Promise<number> =>
    Number(/rows=(\d+)/.exec(String((await db.queryArrays(`EXPLAIN SELECT * FROM fresh WHERE ${w}`)).rows[0]![0]))![1]);
  // 40 rows, no statistics yet (below the auto-analyze threshold).
  assert.equal(await first('a = 1'), 1);
  assert.equal(await first('a < 10'), 13);
  assert.equal(await first('a IS NULL'), 1);
  assert.ok(await est('u = 5') <= 2, 'a unique-looking column');
  assert.ok(rows > 0);
  await db.close();
});
