/**
 * ANALYZE statistics (src/plan/stats/analyze.ts) on known distributions, as pg_stats and
 * pg_stat_user_tables show them, auto-analyze after enough changes, and deterministic sampling
 * under a seeded environment.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { Oxibase } from '../../src/index.ts';
import { createSimEnv } from '../../src/env/sim-env.ts';
import { fails } from '../engine/helpers.ts';

interface StatsRow {
  attname: string;
  null_frac: number;
  avg_width: number;
  n_distinct: number;
  most_common_vals: string | null;
  most_common_freqs: number[] | null;
  histogram_bounds: string | null;
}

async function stats(db: Oxibase, table: string): Promise<Map<string, StatsRow>> {
  const r = await db.query<StatsRow>(
    'SELECT attname, null_frac, avg_width, n_distinct, most_common_vals, most_common_freqs, histogram_bounds '
    + 'FROM pg_stats WHERE tablename = $1 ORDER BY attname', [table]);
  return new Map(r.rows.map((row) => [row.attname, row]));
}

function near(actual: number, expected: number, tolerance: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} not within ${tolerance} of ${expected}`);
}

test('ANALYZE on a small table: unique, skewed, nullable and text columns', async () => {
  const db = await Oxibase.open('memory://');
  await db.exec(`CREATE TABLE t (id int, skew int, maybe int, name text);
    INSERT INTO t SELECT g, CASE WHEN g % 2 = 0 THEN 0 ELSE g % 50 END, CASE WHEN g % 4 = 0 THEN NULL ELSE g END,
      'name' || (g % 10) FROM generate_series(1, 1000) g;
    ANALYZE t`);
  const s = await stats(db, 't');
  const id = s.get('id')!;
  assert.equal(id.null_frac, 0);
  assert.equal(id.n_distinct, -1);
  assert.equal(id.most_common_vals, null);
  assert.equal(id.avg_width, 4);
  const bounds = id.histogram_bounds!.slice(1, -1).split(',').map(Number);
  assert.equal(bounds.length, 101);
  assert.equal(bounds[0], 1);
  assert.equal(bounds.at(-1), 1000);
  near(bounds[50]!, 500, 10, 'median bound');
  const skew = s.get('skew')!;
  assert.match(skew.most_common_vals!, /^\{0,/);
  near(skew.most_common_freqs![0]!, 0.5, 1e-6, 'frequency of 0');
  const maybe = s.get('maybe')!;
  near(maybe.null_frac, 0.25, 1e-6, 'null fraction');
  near(maybe.n_distinct, -0.75, 1e-6, 'n_distinct of a unique nullable column');
  const name = s.get('name')!;
  assert.equal(name.n_distinct, 10);
  assert.equal(name.avg_width, 6);
  assert.equal(name.most_common_freqs!.length, 10);
  await db.close();
});

test('text histograms and MCVs order by code point, with or without characters beyond the BMP', async () => {
  const db = await Oxibase.open('memory://');
  await db.exec(`CREATE TABLE h (s text, r text);
    INSERT INTO h SELECT 'k' || lpad(g::text, 4, '0'), 'v' || (g % 7) FROM generate_series(1, 300) g;
    ANALYZE h`);
  let s = (await stats(db, 'h')).get('s')!;
  let bounds = s.histogram_bounds!.slice(1, -1).split(',');
  assert.equal(bounds.length, 101);
  assert.deepEqual([bounds[0], bounds[50], bounds.at(-1)], ['k0001', 'k0150', 'k0300']);
  assert.deepEqual(bounds, [...bounds].sort());
  // 7 values seen about 43 times each: all are MCVs, most frequent first (v1..v6 have 43, v0 42).
  const r = (await stats(db, 'h')).get('r')!;
  assert.equal(r.most_common_vals, '{v1,v2,v3,v4,v5,v6,v0}');
  // U+FFFF sorts below U+1F600 by code point, though its UTF-16 unit is above the surrogate pair's.
  await db.exec(`INSERT INTO h (s) VALUES (E'\\uFFFF'), (E'\\U0001F600'); ANALYZE h`);
  s = (await stats(db, 'h')).get('s')!;
  bounds = s.histogram_bounds!.slice(1, -1).split(',');
  assert.deepEqual([bounds[0], bounds.at(-1)], ['k0001', '\u{1F600}']);
  await db.close();
});

test('numeric columns: -0 equals 0, NaN sorts last, and a bigint8 among plain numbers still sorts by value', async () => {
  const db = await Oxibase.open('memory://');
  // int8 values past 2^53 are bigints: the column mixes them with plain numbers, and the
  // gathering switches from the number array to the generic one part way through.
  await db.exec(`CREATE TABLE m (a int8, f float8);
    INSERT INTO m VALUES (5, 'NaN'), (9007199254740993, -0.0), (2, 0), (9007199254740993, 'NaN'), (-3, 1.5), (NULL, NULL), (2, 7);
    ANALYZE m`);
  const s = await stats(db, 'm');
  const a = s.get('a')!;
  near(a.null_frac, 1 / 7, 1e-6, 'null fraction of a');
  // 2 and 9007199254740993 appear twice each (ties in value order); -3 and 5 once.
  assert.equal(a.most_common_vals, '{2,9007199254740993}');
  assert.equal(a.histogram_bounds, '{-3,5}');
  const f = s.get('f')!;
  // -0 and 0 are one value seen twice, NaN another; 1.5 and 7 once each.
  near(f.n_distinct, -4 / 7, 1e-6, 'n_distinct of f');
  assert.equal(f.most_common_vals, '{0,NaN}');
  assert.equal(f.histogram_bounds, '{1.5,7}');
  await db.close();
});

test('ANALYZE samples large tables and estimates n_distinct', async () => {
  const db = await Oxibase.open('memory://', { env: createSimEnv({ seed: 7 }) });
  await db.exec(`CREATE TABLE big (id int, grp int, cat int);
    INSERT INTO big SELECT g, g % 1000, g % 10 FROM generate_series(1, 60000) g;
    ANALYZE big`);
  const s = await stats(db, 'big');
  // 60,000 distinct ids sampled 30,000: the Haas-Stokes estimate says unique.
  assert.equal(s.get('id')!.n_distinct, -1);
  near(s.get('grp')!.n_distinct, 1000, 50, 'grp n_distinct');
  assert.equal(s.get('cat')!.n_distinct, 10);
  for (const f of s.get('cat')!.most_common_freqs!) near(f, 0.1, 0.02, 'cat frequency');
  const t = (await db.query<{ reltuples: number }>("SELECT reltuples FROM pg_class WHERE relname = 'big'")).rows[0]!;
  assert.equal(t.reltuples, 60000);
  await db.close();
});

test('sampling is deterministic under a seeded environment', async () => {
  const run = async (): Promise<unknown[]> => {
    const db = await Oxibase.open('memory://', { env: createSimEnv({ seed: 42 }) });
    await db.exec(`CREATE TABLE r (v int); INSERT INTO r SELECT (g * 7919) % 50000 FROM generate_series(1, 40000) g; ANALYZE r`);
    const rows = (await db.queryArrays("SELECT n_distinct, histogram_bounds FROM pg_stats WHERE tablename = 'r'")).rows;
    await db.close();
    return rows;
  };
  assert.deepEqual(await run(), await run());
});

test('ANALYZE with a column list, unknown names, and VACUUM ANALYZE', async () => {
  const db = await Oxibase.open('memory://');
  await db.exec('CREATE TABLE c (a int, b int); INSERT INTO c SELECT g, g FROM generate_series(1, 10) g');
  await db.exec('ANALYZE c (a)');
  assert.deepEqual([...(await stats(db, 'c')).keys()], ['a']);
  await fails(db.exec('ANALYZE c (nope)'), '42703', /column "nope" of relation "c" does not exist/);
  await fails(db.exec('ANALYZE nope'), '42P01');
  await db.exec('VACUUM ANALYZE c');
  assert.deepEqual([...(await stats(db, 'c')).keys()], ['a', 'b']);
  await db.close();
});

test('auto-analyze refreshes statistics after 50 + 10% of the rows changed', async () => {
  const db = await Oxibase.open('memory://');
  // No minimum interval between automatic analyzes, so each threshold crossing shows at once.
  await db.exec("SET autovacuum_naptime = 0");
  await db.exec('CREATE TABLE a (v int)');
  const state = async (): Promise<{ n_live_tup: number; n_mod_since_analyze: number; auto: boolean; manual: boolean }> =>
    (await db.query<{ n_live_tup: number; n_mod_since_analyze: number; auto: boolean; manual: boolean }>(
      "SELECT n_live_tup, n_mod_since_analyze, last_autoanalyze IS NOT NULL AS auto, last_analyze IS NOT NULL AS manual "
      + "FROM pg_stat_user_tables WHERE relname = 'a'")).rows[0]!;
  await db.exec('INSERT INTO a SELECT g FROM generate_series(1, 40) g');
  assert.deepEqual(await state(), { n_live_tup: 40, n_mod_since_analyze: 40, auto: false, manual: false });
  await db.exec('INSERT INTO a SELECT g FROM generate_series(41, 1000) g');
  assert.deepEqual(await state(), { n_live_tup: 1000, n_mod_since_analyze: 0, auto: true, manual: false });
  // Threshold now 50 + 100: 120 changes do not trigger, 40 more do.
  await db.exec('UPDATE a SET v = v + 1 WHERE v <= 120');
  assert.equal((await state()).n_mod_since_analyze, 120);
  await db.exec('DELETE FROM a WHERE v > 960');
  const after = await state();
  assert.equal(after.n_mod_since_analyze, 0);
  assert.equal(after.n_live_tup, 960);
  await db.exec('ANALYZE a');
  assert.equal((await state()).manual, true);
  await db.close();
});

test('auto-analyze waits autovacuum_naptime between runs, then runs once enough more rows changed', async () => {
  const sim = createSimEnv({ seed: 3 });
  const db = await Oxibase.open('memory://', { env: sim });
  const modSince = async (): Promise<number> =>
    (await db.query<{ n: number }>("SELECT n_mod_since_analyze AS n FROM pg_stat_user_tables WHERE relname = 'w'")).rows[0]!.n;
  await db.exec('CREATE TABLE w (id int, v int)');
  await db.exec('INSERT INTO w SELECT g, g FROM generate_series(1, 1000) g');
  assert.equal(await modSince(), 0, 'the first load is analyzed at once');
  // Threshold 50 + 100 rows, but the last analysis is younger than the 10 s naptime.
  await db.exec('UPDATE w SET v = v + 1 WHERE id <= 200');
  assert.equal(await modSince(), 200);
  sim.clock.micros += 11_000_000;
  // Past the naptime: the next check comes after 1% of the table (at least 50 rows) more.
  await db.exec('UPDATE w SET v = v + 1 WHERE id <= 10');
  assert.equal(await modSince(), 210, 'no re-check before 50 more changes');
  await db.exec('UPDATE w SET v = v + 1 WHERE id <= 40');
  assert.equal(await modSince(), 0);
  await db.close();
});

test('a due auto-analyze runs at the next read of the statistics, over what is committed then', async () => {
  const sim = createSimEnv({ seed: 5 });
  const db = await Oxibase.open('memory://', { env: sim });
  await db.exec('CREATE TABLE d (v int)');
  const start = sim.clock.micros;
  await db.exec('INSERT INTO d SELECT g FROM generate_series(1, 1000) g');
  // The commit only marks the analysis due; later commits (below the threshold) still count.
  sim.clock.micros += 5_000_000;
  await db.exec('INSERT INTO d SELECT 0 FROM generate_series(1, 100) g');
  const st = (await db.queryArrays(
    "SELECT n_mod_since_analyze, (extract(epoch FROM last_autoanalyze) * 1000000)::int8 FROM pg_stat_user_tables WHERE relname = 'd'")).rows[0]!;
  assert.equal(Number(st[0]), 0);
  assert.equal(Number(st[1]), start + 5_000_000, 'analyzed when read, not at the first commit');
  // The statistics describe both loads: 0 is the most common value (100 of 1,100 rows).
  const mcv = (await db.queryArrays("SELECT most_common_vals FROM pg_stats WHERE tablename = 'd' AND attname = 'v'")).rows[0]![0];
  assert.equal(String(mcv), '{0}');
  // Planning reads them too: a new load past the threshold (and the naptime) is analyzed by the
  // next EXPLAIN.
  sim.clock.micros += 11_000_000;
  await db.exec('INSERT INTO d SELECT 7 FROM generate_series(1, 500) g');
  const rows = Number(/rows=(\d+)/.exec(String((await db.queryArrays('EXPLAIN SELECT * FROM d WHERE v = 7')).rows[0]![0]))![1]);
  assert.ok(rows >= 400 && rows <= 600, `estimated ${rows} rows with v = 7`);
  await db.close();
});

test('new statistics make cached plans replan', async () => {
  const db = await Oxibase.open('memory://');
  await db.exec('CREATE TABLE p (id int, v int); INSERT INTO p SELECT g, g % 10 FROM generate_series(1, 100) g');
  const s = db.session();
  const cache = (s as unknown as { inner: { planCache: { hits: number; stale: number } } }).inner.planCache;
  const q = 'SELECT count(*) FROM p WHERE v = $1';
  await s.query(q, [1]);
  await s.query(q, [1]);
  const hits = cache.hits;
  assert.ok(hits >= 1);
  const stale = cache.stale;
  await s.query('ANALYZE p');
  assert.deepEqual((await s.query(q, [1])).rows, [{ count: 10 }]);
  assert.equal(cache.stale, stale + 1);
  await s.query(q, [1]);
  assert.equal(cache.hits, hits + 1);
  // An auto-analyze a commit made due runs at the cached plan's check, which then replans.
  await s.query('SET autovacuum_naptime = 0');
  await s.query('INSERT INTO p SELECT g, 1 FROM generate_series(101, 300) g');
  assert.deepEqual((await s.query(q, [1])).rows, [{ count: 210 }]);
  assert.equal(cache.stale, stale + 2);
  await s.close();
  await db.close();
});
