/**
 * B+tree and B-tree index: seeded property tests against a sorted array (random inserts and
 * deletes with duplicates, integrity after every step), range scans in both directions with
 * inclusive/exclusive/open bounds, DESC / NULLS FIRST column orders, and scans that survive
 * changes to the tree between steps, and bulk builds (CREATE INDEX) of every shape of tree.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BTree, btreeEntry } from '../../src/storage/btree.ts';
import { BTreeIndex, prefixComparator, type KeyColumnOrder } from '../../src/storage/btree-index.ts';
import { newRowSlot, newVersion, type RowSlot } from '../../src/storage/version.ts';
import { FROZEN_TXN } from '../../src/txn/txn.ts';
import { SeededRandom } from '../../src/env/seeded-random.ts';
import { comparatorFor } from '../../src/types/compare.ts';
import { Types } from '../../src/types/sql-type.ts';
import { HashIndex } from '../../src/storage/row-index.ts';

const slots: RowSlot[] = [];
function slot(id: number): RowSlot {
  while (slots.length <= id) slots.push(newRowSlot(slots.length, newVersion([slots.length], FROZEN_TXN, 0, null)));
  return slots[id]!;
}

const num = (a: unknown, b: unknown): number => (a as number) - (b as number);
const asc: KeyColumnOrder = { cmp: num, desc: false, nullsFirst: false };

function modelCmp(a: [number, number], b: [number, number]): number {
  return a[0] - b[0] || a[1] - b[1];
}

for (const seed of [1, 2, 3, 4]) {
  test(`random inserts and deletes match a sorted array (seed ${seed})`, () => {
    const rnd = new SeededRandom(seed);
    const tree = new BTree(num, true);
    let model: [number, number][] = [];
    const keyRange = seed % 2 === 0 ? 50 : 5000;
    for (let step = 0; step < 6000; step++) {
      const del = model.length > 0 && rnd.nextU32() % 100 < (step < 3000 ? 30 : 70);
      if (del) {
        const [k, id] = model[rnd.nextU32() % model.length]!;
        assert.equal(tree.delete(k, slot(id)), true);
        model = model.filter((e) => !(e[0] === k && e[1] === id));
        assert.equal(tree.delete(k, slot(id)), false, 'deleting twice finds nothing');
      } else {
        const k = rnd.nextU32() % keyRange;
        const id = rnd.nextU32() % 3000;
        const had = model.some((e) => e[0] === k && e[1] === id);
        assert.equal(tree.insert(k, slot(id)), !had);
        if (!had) model.push([k, id]);
      }
      if (step % 500 === 0 || step > 5900) tree.checkIntegrity();
    }
    tree.checkIntegrity();
    model.sort(modelCmp);
    const got: [number, number][] = [];
    for (const c = tree.first(); c.entry !== null; c.forward()) got.push([c.entry.key as number, c.entry.slot.rowId]);
    assert.deepEqual(got, model);
    const back: [number, number][] = [];
    for (const c = tree.last(); c.entry !== null; c.backward()) back.push([c.entry.key as number, c.entry.slot.rowId]);
    assert.deepEqual(back, model.slice().reverse());
    assert.equal(tree.size, model.length);
    assert.equal(tree.distinctKeys, new Set(model.map((e) => e[0])).size);
  });
}

test('a bulk build is a valid tree of every size, in order both ways, and takes later changes', () => {
  const rnd = new SeededRandom(9);
  for (const n of [0, 1, 31, 32, 57, 58, 63, 64, 65, 100, 114, 115, 3249, 3250, 20_000]) {
    const tree = new BTree(num, true);
    const model: [number, number][] = [];
    for (let i = 0; i < n; i++) model.push([rnd.nextU32() % 1000, i]);
    model.sort(modelCmp);
    tree.build(model.map(([k, id]) => btreeEntry(k, slot(id), null)));
    tree.checkIntegrity();
    assert.equal(tree.size, n);
    const got: [number, number][] = [];
    for (const c = tree.first(); c.entry !== null; c.forward()) got.push([c.entry.key as number, c.entry.slot.rowId]);
    assert.deepEqual(got, model, `n=${n}`);
    const back: [number, number][] = [];
    for (const c = tree.last(); c.entry !== null; c.backward()) back.push([c.entry.key as number, c.entry.slot.rowId]);
    assert.deepEqual(back, model.slice().reverse());
    // Inserts and deletes after the build keep every invariant.
    for (let i = 0; i < 300; i++) tree.insert(rnd.nextU32() % 1000, slot(n + i));
    for (let i = 0; i < Math.min(n, 300); i++) assert.equal(tree.delete(model[i]![0], slot(model[i]![1])), true);
    tree.checkIntegrity();
    assert.equal(tree.size, n + 300 - Math.min(n, 300));
  }
});

test('deleting everything leaves an empty, valid tree', () => {
  const tree = new BTree(num);
  for (let i = 0; i < 2000; i++) tree.insert(i % 97, slot(i));
  for (let i = 1999; i >= 0; i -= 2) tree.delete(i % 97, slot(i));
  tree.checkIntegrity();
  for (let i = 0; i < 2000; i += 2) tree.delete(i % 97, slot(i));
  tree.checkIntegrity();
  assert.equal(tree.size, 0);
  assert.equal(tree.first().entry, null);
  assert.equal(tree.last().entry, null);
});

/** An index over the row's first columns; `scalar`: entries hold a one-column key as the value itself. */
function index(cols: KeyColumnOrder[], scalar = false): BTreeIndex {
  const key = (r: unknown[]) => JSON.stringify(r);
  if (scalar) return new BTreeIndex('i', false, key, key, (r) => r[0] ?? null, cols, true);
  return new BTreeIndex('i', false, key, key, (r) => r.slice(0, cols.length), cols);
}

/** The entries' key values, in scan order (a one-column key as its value). */
function scan(ix: BTreeIndex, lo: [unknown[], boolean] | null, hi: [unknown[], boolean] | null, backward = false): unknown[] {
  const s = ix.range(lo && { vals: lo[0], inclusive: lo[1] }, hi && { vals: hi[0], inclusive: hi[1] }, backward);
  const out: unknown[] = [];
  for (let e = s.next(); e !== null; e = s.next()) out.push(ix.columns.length === 1 ? ix.entryValue(e, 0) : [ix.entryValue(e, 0), ix.entryValue(e, 1)]);
  return out;
}

test('addAll (CREATE INDEX) builds the index adding the entries one by one would, radix or comparator', () => {
  const rnd = new SeededRandom(5);
  const desc: KeyColumnOrder = { cmp: num, desc: true, nullsFirst: true };
  const text: KeyColumnOrder = { cmp: (a, b) => ((a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0), desc: false, nullsFirst: false };
  const cases: { cols: KeyColumnOrder[]; n: number; value: (i: number) => unknown[] }[] = [
    { cols: [asc], n: 6000, value: () => [(rnd.nextU32() % 2000) - 1000] },
    { cols: [desc], n: 6000, value: () => [((rnd.nextU32() % 2000) - 1000) / 4] },
    { cols: [asc], n: 6000, value: (i) => [i % 97 === 0 ? null : rnd.nextU32() % 50] },
    { cols: [asc], n: 500, value: () => [rnd.nextU32() % 50] },
    { cols: [text, asc], n: 5000, value: () => [`k${rnd.nextU32() % 300}`, rnd.nextU32() % 3] },
  ];
  for (const { cols, n, value } of cases) {
    const keys: string[] = [];
    const ss: RowSlot[] = [];
    const rows: unknown[][] = [];
    for (let i = 0; i < n; i++) {
      // Some slots carry two versions: the same key twice (one entry) or two keys.
      const versions = i % 10 === 0 ? [value(i), value(i)] : i % 10 === 1 ? [value(i)] : [value(i)];
      if (i % 10 === 1) versions.push(versions[0]!.slice());
      for (const row of versions) {
        keys.push(JSON.stringify(row));
        ss.push(slot(i));
        rows.push(row);
      }
    }
    for (const scalar of cols.length === 1 ? [false, true] : [false]) {
      const bulk = index(cols, scalar);
      bulk.addAll(keys, ss, rows);
      const oneByOne = index(cols, scalar);
      // Each entry filed at once (flush), so the reference goes through the tree's own insert.
      for (let i = 0; i < rows.length; i++) {
        oneByOne.add(keys[i]!, ss[i]!, rows[i]!);
        oneByOne.flush();
      }
      bulk.checkIntegrity();
      assert.equal(bulk.entries, oneByOne.entries);
      const entriesOf = (ix: BTreeIndex): unknown[] => {
        const out: unknown[] = [];
        const sc = ix.range(null, null, false);
        for (let e = sc.next(); e !== null; e = sc.next()) out.push([e.key, e.slot.rowId, e.src]);
        return out;
      };
      const got = entriesOf(bulk);
      assert.deepEqual(got, entriesOf(oneByOne));
      if (scalar) assert.ok(got.every((e) => !Array.isArray((e as unknown[])[0])), 'scalar entries hold the value, not a tuple');
      assert.equal(bulk.size, oneByOne.size);
      for (const k of keys.slice(0, 50)) assert.deepEqual(bulk.lookup(k), oneByOne.lookup(k));
    }
  }
});

for (const scalar of [false, true]) test(`range scans: bounds inclusive, exclusive and open, both directions, against a filter (${scalar ? 'scalar' : 'tuple'} keys)`, () => {
  const rnd = new SeededRandom(9);
  const ix = index([asc], scalar);
  const vals: number[] = [];
  for (let i = 0; i < 3000; i++) {
    const v = rnd.nextU32() % 400;
    vals.push(v);
    ix.add(JSON.stringify([v]), slot(i), [v]);
  }
  ix.checkIntegrity();
  const sorted = vals.slice().sort((a, b) => a - b);
  for (let t = 0; t < 200; t++) {
    const a = rnd.nextU32() % 420 - 10;
    const b = a + (rnd.nextU32() % 60);
    const li = rnd.nextU32() % 2 === 0;
    const ui = rnd.nextU32() % 2 === 0;
    const open = rnd.nextU32() % 5;
    const lo: [unknown[], boolean] | null = open === 0 ? null : [[a], li];
    const hi: [unknown[], boolean] | null = open === 1 ? null : [[b], ui];
    const expect = sorted.filter((v) => (lo === null || (li ? v >= a : v > a)) && (hi === null || (ui ? v <= b : v < b)));
    assert.deepEqual(scan(ix, lo, hi), expect, `forward ${JSON.stringify([lo, hi])}`);
    assert.deepEqual(scan(ix, lo, hi, true), expect.slice().reverse(), `backward ${JSON.stringify([lo, hi])}`);
  }
});

test('composite prefix bounds, DESC and NULLS FIRST orders', () => {
  const cols: KeyColumnOrder[] = [{ cmp: num, desc: false, nullsFirst: false }, { cmp: num, desc: true, nullsFirst: true }];
  const ix = index(cols);
  let id = 0;
  const rows: [number | null, number | null][] = [];
  for (const a of [1, 2, 3, null]) {
    for (const b of [null, 5, 1, 3]) {
      rows.push([a, b]);
      ix.add(JSON.stringify([a, b]), slot(id++), [a, b]);
    }
  }
  // a = 2: b descending, NULL first.
  assert.deepEqual(scan(ix, [[2], true], [[2], true]), [[2, null], [2, 5], [2, 3], [2, 1]]);
  // a = 2 AND b < 5 (desc: values below 5 come after it in index order), NULLs excluded by the caller.
  assert.deepEqual(scan(ix, [[2, 5], false], [[2], true]), [[2, 3], [2, 1]]);
  // NULLs of the first column sort last.
  assert.deepEqual(scan(ix, [[3], false], null), [[null, null], [null, 5], [null, 3], [null, 1]]);
  assert.deepEqual(scan(ix, [[null], true], [[null], true]).length, 4, 'IS NULL is an equality prefix');
  const cmp = prefixComparator(cols);
  assert.ok(cmp([1, 5], [1, 3]) < 0, 'DESC column: 5 before 3');
  assert.ok(cmp([1, null], [1, 9]) < 0, 'NULLS FIRST');
  assert.equal(cmp([1, 7], [1]), 0, 'a shorter bound compares its prefix only');
});

for (const scalar of [false, true]) test(`a range scan continues correctly when the tree changes between steps (${scalar ? 'scalar' : 'tuple'} keys)`, () => {
  const ix = index([asc], scalar);
  for (let i = 0; i < 1000; i++) ix.add(JSON.stringify([i]), slot(i), [i]);
  const s = ix.range({ vals: [100], inclusive: true }, { vals: [900], inclusive: false }, false);
  const seen: number[] = [];
  for (let e = s.next(); e !== null; e = s.next()) {
    const v = ix.entryValue(e, 0) as number;
    seen.push(v);
    // Write behind and ahead of the cursor, as an UPDATE scanning its own table would.
    if (v % 10 === 0) {
      ix.remove(JSON.stringify([v - 1]), slot(v - 1), [v - 1]);
      ix.add(JSON.stringify([v + 5000]), slot(v), [v + 5000]);
      if (v + 3 < 900) ix.remove(JSON.stringify([v + 3]), slot(v + 3), [v + 3]);
    }
  }
  const expect: number[] = [];
  for (let v = 100; v < 900; v++) if (!(v % 10 === 3)) expect.push(v);
  assert.deepEqual(seen, expect);
  ix.checkIntegrity();
});

test('a one-column key compares like the column comparator, with NULL, NaN, -0 and infinities', () => {
  const values: unknown[] = [null, NaN, -0, 0, 1.5, -1.5, Infinity, -Infinity, 7, 7, 2 ** 53];
  const floatCmp = comparatorFor(Types.float8);
  for (const desc of [false, true]) {
    for (const nullsFirst of [false, true]) {
      const col: KeyColumnOrder = { cmp: floatCmp, desc, nullsFirst };
      const one = prefixComparator([col]);
      // The general comparator over the key plus a second, constant column orders the same way.
      const two = prefixComparator([col, { cmp: floatCmp, desc: false, nullsFirst: false }]);
      for (const x of values) {
        for (const y of values) {
          assert.equal(Math.sign(one([x], [y])), Math.sign(two([x, 0], [y, 0])), `${String(x)} vs ${String(y)} desc=${desc} nullsFirst=${nullsFirst}`);
        }
        assert.equal(one([x], []), 0, 'an empty prefix matches everything');
      }
    }
  }
});

test('a non-unique index builds its equality hash from the tree on first lookup, then keeps it', () => {
  const rnd = new SeededRandom(12);
  for (const scalar of [false, true]) {
    const ix = index([asc], scalar);
    const model = new HashIndex('m', false, (r) => JSON.stringify([r[0]]));
    const live = new Map<number, unknown[]>();
    const step = (n: number): void => {
      for (let i = 0; i < n; i++) {
        const id = rnd.nextU32() % 400;
        const old = live.get(id);
        if (old !== undefined && rnd.nextU32() % 3 === 0) {
          ix.remove(JSON.stringify([old[0]]), slot(id), old);
          model.remove(JSON.stringify([old[0]]), slot(id));
          live.delete(id);
        } else if (old === undefined) {
          const row = [rnd.nextU32() % 60];
          ix.add(JSON.stringify(row), slot(id), row);
          model.add(JSON.stringify(row), slot(id));
          live.set(id, row);
        }
      }
    };
    const sorted = (h: readonly RowSlot[] | RowSlot | undefined): number[] =>
      (h === undefined ? [] : Array.isArray(h) ? (h as RowSlot[]) : [h as RowSlot]).map((x) => x.rowId).sort((a, b) => a - b);
    step(3000);
    assert.equal(ix.hashed, false, 'no hash before a lookup');
    assert.equal(ix.size, model.size, 'the tree counts distinct keys');
    for (let k = 0; k < 60; k++) assert.deepEqual(sorted(ix.lookup(JSON.stringify([k]))), sorted(model.lookup(JSON.stringify([k]))), `key ${k}`);
    assert.equal(ix.hashed, true);
    step(3000);
    assert.equal(ix.size, model.size);
    for (let k = 0; k < 60; k++) assert.deepEqual(sorted(ix.lookup(JSON.stringify([k]))), sorted(model.lookup(JSON.stringify([k]))), `key ${k} after more changes`);
    ix.clear();
    assert.equal(ix.hashed, false, 'clear drops the built hash');
    assert.equal(ix.size, 0);
    ix.checkIntegrity();
  }
});
