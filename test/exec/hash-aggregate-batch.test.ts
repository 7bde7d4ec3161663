/**
 * Hash aggregation folds whole input batches through an aggregate's stepMany when it can (plain
 * aggregates of at most one argument, each with a stepMany). A FILTER that always holds (but
 * that the planner cannot fold away: random() is volatile) keeps a query on the row-by-row
 * path, so each query is checked against the same query stepped row by row, over random data
 * with NULL keys and arguments, across many batches.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { Oxibase } from '../../src/index.ts';
import { SeededRandom } from '../../src/env/seeded-random.ts';

const AGGS = [
  'count(*)', 'count(x)', 'sum(x)', 'avg(x)', 'min(x)', 'max(x)', 'sum(i8)', 'avg(i8)',
  'sum(f)', 'avg(f)', 'min(f)', 'max(f)', 'min(s)', 'max(s)', 'count(s)', 'sum(x * 2 + 1)', 'max(f / 2)',
];

function rowByRow(agg: string): string {
  return `${agg} FILTER (WHERE random() >= 0)`;
}

test('batch folding gives what row-by-row stepping gives', async () => {
  const db = await Oxibase.open('memory://');
  await db.exec('CREATE TABLE t (k int, ks text, x int, i8 int8, f float8, s text)');
  const rnd = new SeededRandom(42);
  const pick = (n: number): number => Math.floor(rnd.next() * n);
  const rows: unknown[][] = [];
  for (let i = 0; i < 5000; i++) {
    rows.push([
      pick(10) === 0 ? null : pick(37),
      pick(10) === 0 ? null : `g${pick(7)}`,
      pick(5) === 0 ? null : pick(2000) - 1000,
      // Values past 2^53 in some groups: the sum leaves the exact-double range.
      pick(5) === 0 ? null : (pick(3) === 0 ? 9_007_199_254_740_000 + pick(1000) : pick(100)),
      pick(6) === 0 ? null : rnd.next() * 100 - 50,
      pick(4) === 0 ? null : `s${pick(500)}`,
    ]);
  }
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    const values = chunk.map((_, r) => `(${[1, 2, 3, 4, 5, 6].map((c) => `$${r * 6 + c}`).join(',')})`).join(',');
    await db.queryArrays(`INSERT INTO t VALUES ${values}`, chunk.flat());
  }
  for (const key of ['', 'k', 'ks', 'k % 5', 'ks, k % 3', 'k % 2, ks, x % 2']) {
    const group = key === '' ? '' : ` GROUP BY ${key}`;
    const lead = key === '' ? '' : `${key}, `;
    const order = key === '' ? '' : ' ORDER BY 1';
    const fast = (await db.queryArrays(`SELECT ${lead}${AGGS.join(', ')} FROM t${group}${order}`)).rows;
    const slow = (await db.queryArrays(`SELECT ${lead}${AGGS.map(rowByRow).join(', ')} FROM t${group}${order}`)).rows;
    assert.equal(fast.length, key === '' ? 1 : slow.length);
    assert.deepEqual(fast, slow, `GROUP BY ${key || '(none)'}`);
    // One aggregate without stepMany (numeric sum) keeps the whole query row by row.
    const mixed = (await db.queryArrays(`SELECT ${lead}sum(x::numeric), ${AGGS.join(', ')} FROM t${group}${order}`)).rows;
    const at = key === '' ? 0 : key.split(',').length;
    assert.deepEqual(mixed.map((r) => r.filter((_, i) => i !== at)), slow);
  }
  // Empty input: one group without GROUP BY (count 0, the rest NULL), none with it.
  const none = (await db.queryArrays(`SELECT ${AGGS.join(', ')} FROM t WHERE false`)).rows;
  assert.deepEqual(none, (await db.queryArrays(`SELECT ${AGGS.map(rowByRow).join(', ')} FROM t WHERE false`)).rows);
  assert.equal(none[0]![0], (await db.queryArrays('SELECT count(*) FROM t WHERE false')).rows[0]![0]);
  assert.deepEqual(none[0]!.slice(2, 6), [null, null, null, null]);
  assert.deepEqual((await db.queryArrays('SELECT k, sum(x) FROM t WHERE false GROUP BY k')).rows, []);
  await db.close();
});

test('batch folding raises float overflow like row-by-row stepping', async () => {
  const db = await Oxibase.open('memory://');
  await db.exec('CREATE TABLE o (k int, f float8); INSERT INTO o VALUES (1, 1e308), (1, 1e308), (2, 1)');
  await assert.rejects(db.query('SELECT k, sum(f) FROM o GROUP BY k'), { code: '22003' });
  await assert.rejects(db.query('SELECT sum(f) FROM o'), { code: '22003' });
  await db.close();
});

test('int keys: small non-negative keys, large and negative keys and NULL group alike', async () => {
  // int2/int4 keys below 65536 go through an array of groups in front of the hash table; the
  // same grouping by the key's text (hash table only) must agree, including the order groups
  // were first seen in.
  const db = await Oxibase.open('memory://');
  await db.exec('CREATE TABLE g (k int, s smallint, f float8)');
  const rnd = new SeededRandom(7);
  const pick = (n: number): number => Math.floor(rnd.next() * n);
  const keys = [0, 1, 2, 65535, 65536, 70000, -1, -65536, 2147483647, -2147483648, null];
  const rows: unknown[][] = [];
  for (let i = 0; i < 3000; i++) {
    const k = pick(3) === 0 ? keys[pick(keys.length)] : pick(300) * 211;
    rows.push([k, pick(8) === 0 ? null : pick(600) - 100, rnd.next() * 10]);
  }
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    const values = chunk.map((_, r) => `($${r * 3 + 1}, $${r * 3 + 2}, $${r * 3 + 3})`).join(',');
    await db.queryArrays(`INSERT INTO g VALUES ${values}`, chunk.flat());
  }
  for (const col of ['k', 's']) {
    const byInt = (await db.queryArrays(`SELECT ${col}, count(*), sum(f), max(f) FROM g GROUP BY ${col}`)).rows;
    const byText = (await db.queryArrays(`SELECT ${col}::text, count(*), sum(f), max(f) FROM g GROUP BY ${col}::text`)).rows;
    assert.deepEqual(byInt.map((r) => [r[0] === null ? null : String(r[0]), ...r.slice(1)]), byText, col);
    const distinct = new Set(rows.map((r) => r[col === 'k' ? 0 : 1]));
    assert.equal(byInt.length, distinct.size, col);
  }
});

test('aggregates sharing one transition over a column each finish from it, next to ones that cannot share', async () => {
  // sum(n) and avg(n) fold n once (AggregateDef.transition); a FILTER, DISTINCT or another
  // column keeps its own state. Each result must equal the aggregate computed alone.
  const db = await Oxibase.open('memory://');
  await db.exec(`CREATE TABLE n (g int, n numeric, x int, f float8);
    INSERT INTO n SELECT g % 4, CASE WHEN g % 11 = 0 THEN NULL WHEN g = 37 THEN 'Infinity' ELSE (g * 1.25)::numeric END,
      CASE WHEN g % 7 = 0 THEN NULL ELSE g END, g / 3.0 FROM generate_series(1, 200) g`);
  const together = ['sum(n)', 'avg(n)', 'avg(x)', 'sum(x) FILTER (WHERE g > 1)', 'sum(x)', 'avg(DISTINCT x)', 'sum(f)', 'avg(x + 0)', 'avg(f)', 'count(x)'];
  const all = (await db.queryArrays(`SELECT g, ${together.join(', ')} FROM n GROUP BY g ORDER BY g`)).rows;
  assert.equal(all.length, 4);
  for (let i = 0; i < together.length; i++) {
    const alone = (await db.queryArrays(`SELECT g, ${together[i]} FROM n GROUP BY g ORDER BY g`)).rows;
    assert.deepEqual(all.map((r) => [r[0], r[i + 1]]), alone, together[i]);
  }
  // Group 1 holds the Infinity: sum and avg both report it from the one state.
  assert.deepEqual(all[1]!.slice(1, 3).map(String), ['Infinity', 'Infinity']);
  await db.close();
});
