/**
 * Column-wise prefiltering of packed rows (src/exec/operators/packed-prefilter.ts): a scan tests
 * its filter's `column op number` conjuncts on the chunks' typed arrays before reading rows. Every
 * query runs on a packed table and on a copy kept as slots (an index keeps it unpacked), and must
 * give the same rows: NULLs, NaN and infinities, -0, <>, constants on the left, parameters,
 * ranges folded from several conjuncts, residual conjuncts, columns a chunk cannot type, and
 * chunks packed before a column was added.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Oxibase } from '../../src/index.ts';
import type { TableDef } from '../../src/catalog/objects.ts';
import { PackedPrefilter } from '../../src/exec/operators/packed-prefilter.ts';
import type { BoundExpr } from '../../src/plan/bound-expr.ts';

const ROWS = 3000;

async function load(db: Oxibase, name: string): Promise<void> {
  await db.exec(`CREATE TABLE ${name} (id int, k int, f float8, big int8, d date, n numeric, t text)`);
  // f: NaN, ±Infinity, -0 and NULL among ordinary values; big: beyond int32; n: numeric (not a
  // number in storage, never prefiltered).
  await db.exec(`INSERT INTO ${name} SELECT g, g % 100,
                   CASE WHEN g % 97 = 0 THEN 'NaN'::float8 WHEN g % 89 = 0 THEN 'Infinity'::float8
                        WHEN g % 83 = 0 THEN '-Infinity'::float8 WHEN g % 79 = 0 THEN '-0'::float8
                        WHEN g % 71 = 0 THEN NULL ELSE (g % 200) * 0.5 END,
                   CASE WHEN g % 11 = 0 THEN NULL ELSE g::int8 * 10000000 END,
                   date '2020-01-01' + g % 400, g % 50, 'row ' || g
                 FROM generate_series(0, ${ROWS - 1}) g`);
}

const QUERIES: [string, unknown[]][] = [
  ['SELECT id FROM T WHERE k = 7', []],
  ['SELECT id FROM T WHERE k <> 7 AND k < 10', []],
  ['SELECT id FROM T WHERE 7 < k AND k <= 9', []],
  ['SELECT id FROM T WHERE k >= 5 AND k > 5 AND k < 8 AND k <= 7', []],
  ['SELECT id FROM T WHERE k = 5 AND k = 6', []],
  ['SELECT id FROM T WHERE k <= 7 AND k < 7 AND k >= 5 AND k > 5', []],
  ['SELECT id, f FROM T WHERE f > 90', []],
  ['SELECT id, f FROM T WHERE f >= 99.5', []],
  ['SELECT id, f FROM T WHERE f < 0.5', []],
  ['SELECT id, f FROM T WHERE f <= 0', []],
  ['SELECT id, f FROM T WHERE f = 0', []],
  ['SELECT id, f FROM T WHERE f <> 3 AND f > 98', []],
  ['SELECT id, f FROM T WHERE f > 10 AND f < 10.5', []],
  ['SELECT id, f FROM T WHERE f >= $1 AND f < $2', [20, 21]],
  ['SELECT id, f FROM T WHERE f < $1', [-1]],
  ['SELECT id, f FROM T WHERE f > $1', [1e308]],
  ['SELECT id, f FROM T WHERE f <= \'Infinity\'', []],
  ['SELECT id, f FROM T WHERE f = \'NaN\'', []],
  ['SELECT id, f FROM T WHERE f <> \'NaN\' AND k = 3', []],
  ['SELECT id FROM T WHERE big > 20000000000 AND big < 20100000000', []],
  ['SELECT id FROM T WHERE big <> 10000000 AND id < 3', []],
  ['SELECT id FROM T WHERE d >= date \'2020-03-01\' AND d < date \'2020-03-03\'', []],
  ['SELECT id FROM T WHERE n = 7 AND k < 60', []],
  ['SELECT id FROM T WHERE k = 3 AND t LIKE \'%33\'', []],
  ['SELECT id FROM T WHERE k = 3 OR k = 4', []],
  ['SELECT id FROM T WHERE k < 2 AND (f > 50 OR f IS NULL)', []],
  ['SELECT count(*), sum(f) FROM T WHERE k BETWEEN 10 AND 12', []],
  ['SELECT id FROM T WHERE k = 1 ORDER BY f DESC NULLS LAST, id LIMIT 4', []],
  ['SELECT id, t FROM T WHERE id > $1 AND id <= $2', [2990, 2995]],
];

test('prefiltered scans of packed rows agree with rows kept as slots', async () => {
  const db = await Oxibase.open('memory://');
  try {
    await load(db, 'p');
    await load(db, 'u');
    await db.exec('CREATE INDEX u_t ON u (t)');
    const packed = (db.engine.catalog.getRelation('public', 'p') as TableDef).store;
    assert.ok(packed.packedRows >= 2048, 'p is packed');
    for (const [q, params] of QUERIES) {
      const sorted = /ORDER BY/.test(q) ? q : `${q} ORDER BY 1`;
      const onPacked = await db.queryArrays(sorted.replace(/\bT\b/g, 'p'), params);
      const onSlots = await db.queryArrays(sorted.replace(/\bT\b/g, 'u'), params);
      assert.deepEqual(onPacked.rows, onSlots.rows, q);
    }
    // One plan run with parameters that change which conjuncts become ranges (a NULL or NaN
    // parameter stays in the residual filter), so the cached residual must not leak across runs.
    const onP = await db.prepare('SELECT count(*), sum(k) FROM p WHERE f > $1 AND k < $2');
    const onU = await db.prepare('SELECT count(*), sum(k) FROM u WHERE f > $1 AND k < $2');
    for (const params of [[10, 50], [null, 50], [Number.NaN, 50], [10, null], [90, 99], [-1, 3]]) {
      assert.deepEqual((await onP.queryArrays(params)).rows, (await onU.queryArrays(params)).rows, JSON.stringify(params));
    }
    // Some queries must select rows at all, or the comparison proves little.
    const some = await db.queryArrays('SELECT count(*) FROM p WHERE f > 90');
    assert.ok(Number(some.rows[0]![0]) > 10);
    assert.ok(packed.packedRows >= 2048, 'reading did not unpack p');
  } finally {
    await db.close();
  }
});

test('chunks packed before a column was added, and chunks holding other values, fall back to the whole filter', async () => {
  const db = await Oxibase.open('memory://');
  try {
    await db.exec('CREATE TABLE w (id int, v int8)');
    await db.exec('INSERT INTO w SELECT g, g FROM generate_series(1, 2048) g');
    await db.exec('ALTER TABLE w ADD COLUMN x int DEFAULT 5');
    // A value beyond 2^53 makes v a column of bigints in the last chunk.
    await db.exec('INSERT INTO w SELECT g, CASE WHEN g = 4000 THEN 9007199254740993 ELSE g END, g % 3 FROM generate_series(2049, 4096) g');
    await db.exec('VACUUM w');
    const store = (db.engine.catalog.getRelation('public', 'w') as TableDef).store;
    assert.equal(store.packedRows, 4096, 'w is packed');
    const widths = new Set(store.packed.map((c) => c.width));
    assert.deepEqual([...widths].sort(), [2, 3], 'chunks of both widths');
    const r1 = await db.queryArrays('SELECT count(*) FROM w WHERE x = 5');
    assert.equal(Number(r1.rows[0]![0]), 2048);
    const r2 = await db.queryArrays('SELECT count(*) FROM w WHERE x = 2 AND id > 3000');
    assert.equal(Number(r2.rows[0]![0]), 365);
    const r3 = await db.queryArrays('SELECT id FROM w WHERE v > 9007199254740000 ORDER BY id');
    assert.deepEqual(r3.rows, [[4000]]);
    const r4 = await db.queryArrays('SELECT count(*) FROM w WHERE v >= 3990 AND v < 4010');
    assert.equal(Number(r4.rows[0]![0]), 19);
    const r5 = await db.queryArrays('SELECT count(*) FROM w WHERE v >= 1000 AND v < 1010 AND x = 5');
    assert.equal(Number(r5.rows[0]![0]), 10);
  } finally {
    await db.close();
  }
});

test('the prefilter takes number comparisons of columns and leaves the rest to the residual filter', () => {
  const int4 = { oid: 23 } as BoundExpr['type'];
  const bool = { oid: 16 } as BoundExpr['type'];
  const col = (index: number): BoundExpr => ({ k: 'col', type: int4, index, levelsUp: 0 });
  const num = (value: unknown): BoundExpr => ({ k: 'const', type: int4, value });
  const cmp = (op: '<' | '=' | '>', left: BoundExpr, right: BoundExpr): BoundExpr => ({ k: 'cmp', type: bool, op, left, right, cmp: (a, b) => Number(a) - Number(b) });
  assert.equal(PackedPrefilter.of(null, []), null);
  assert.equal(PackedPrefilter.of(cmp('=', col(0), col(1)), []), null, 'two columns');
  assert.equal(PackedPrefilter.of(cmp('=', col(0), num('7')), []), null, 'a string');
  assert.equal(PackedPrefilter.of(cmp('=', col(0), num(Number.NaN)), []), null, 'NaN');
  assert.equal(PackedPrefilter.of(cmp('<', col(0), { k: 'param', type: int4, index: 0 }), [null]), null, 'a NULL parameter');
  const only = PackedPrefilter.of(cmp('<', num(3), col(0)), []);
  assert.ok(only !== null && only.residual === null, 'a constant on the left, nothing left over');
  const mixed = PackedPrefilter.of({ k: 'and', type: bool, args: [cmp('>', col(0), num(1)), cmp('=', col(0), col(1))] }, []);
  assert.ok(mixed !== null && mixed.residual !== null, 'the column comparison is residual');
});
