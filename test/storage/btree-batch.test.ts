/**
 * Batched index maintenance: BTree.insertSorted (a sorted batch merged into the tree and the tree
 * rebuilt, or inserted entry by entry) against a sorted-array model, and BTreeIndex's held-back
 * entries (add() defers, every read files them first) against a model under random adds,
 * removes and reads, with rows in and out of row-id order so both the radix and the comparator
 * orders are taken, and batches of text keys (the engine's string order where it is code-point
 * order) against textCompare.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BTree } from '../../src/storage/btree.ts';
import { BTreeIndex, type KeyColumnOrder } from '../../src/storage/btree-index.ts';
import { newRowSlot, newVersion, type RowSlot } from '../../src/storage/version.ts';
import { FROZEN_TXN } from '../../src/txn/txn.ts';
import { SeededRandom } from '../../src/env/seeded-random.ts';
import { textCompare } from '../../src/types/text.ts';

const slots: RowSlot[] = [];
function slot(id: number): RowSlot {
  while (slots.length <= id) slots.push(newRowSlot(slots.length, newVersion([slots.length], FROZEN_TXN, 0, null)));
  return slots[id]!;
}

const num = (a: unknown, b: unknown): number => (a as number) - (b as number);
type Entry = { key: number; id: number; src: unknown[] };
const byEntry = (a: Entry, b: Entry): number => a.key - b.key || a.id - b.id;

function contents(tree: BTree): Entry[] {
  const out: Entry[] = [];
  tree.forEach((key, s, src) => out.push({ key: key as number, id: s.rowId, src: src! }));
  return out;
}

test('insertSorted merges or inserts a sorted batch: duplicates dropped, the tree\'s entry kept', () => {
  const rnd = new SeededRandom(21);
  // Tree sizes and batch sizes on both sides of the merge threshold (64 entries, a quarter of the tree).
  const shapes: [number, number][] = [[0, 1], [0, 500], [10, 3], [10, 63], [300, 64], [300, 75], [300, 76],
    [1000, 100], [1000, 250], [1000, 251], [5000, 5000], [3, 9000]];
  for (const [n, m] of shapes) {
    const tree = new BTree(num, true);
    const model = new Map<string, Entry>();
    const keyRange = 1 + (rnd.nextU32() % 3 === 0 ? 20 : 5 * (n + m));
    for (let i = 0; i < n; i++) {
      const e: Entry = { key: rnd.nextU32() % keyRange, id: rnd.nextU32() % (2 * (n + m)), src: ['tree'] };
      if (tree.insert(e.key, slot(e.id), e.src)) model.set(`${e.key}/${e.id}`, e);
    }
    const batch: Entry[] = [];
    const existing = [...model.values()];
    for (let i = 0; i < m; i++) {
      const r = rnd.nextU32() % 10;
      // Some equal an entry already in the tree, some repeat an earlier batch entry.
      const base = r === 0 && existing.length > 0 ? existing[rnd.nextU32() % existing.length]!
        : r === 1 && batch.length > 0 ? batch[rnd.nextU32() % batch.length]! : null;
      const e: Entry = base !== null ? { key: base.key, id: base.id, src: ['batch', i] }
        : { key: rnd.nextU32() % keyRange, id: rnd.nextU32() % (2 * (n + m)), src: ['batch', i] };
      batch.push(e);
      const k = `${e.key}/${e.id}`;
      if (!model.has(k)) model.set(k, e);
    }
    const order = Int32Array.from(batch.keys()).sort((a, b) => byEntry(batch[a]!, batch[b]!) || a - b);
    tree.insertSorted(batch.map((e) => e.key), batch.map((e) => slot(e.id)), batch.map((e) => e.src), order);
    tree.checkIntegrity();
    const want = [...model.values()].sort(byEntry);
    assert.deepEqual(contents(tree), want, `n=${n} m=${m}`);
    assert.equal(tree.size, want.length);
    assert.equal(tree.distinctKeys, new Set(want.map((e) => e.key)).size, `distinct keys n=${n} m=${m}`);
    // The rebuilt tree takes ordinary changes.
    for (let i = 0; i < 200; i++) tree.insert(rnd.nextU32() % keyRange, slot(3 * (n + m) + i), null);
    for (const e of want.slice(0, 100)) assert.equal(tree.delete(e.key, slot(e.id)), true);
    tree.checkIntegrity();
  }
});

test('merges of batches with newer rows, older rows and both keep key, then row id order under ties', () => {
  const rnd = new SeededRandom(33);
  const tree = new BTree(num, true);
  const model = new Map<string, Entry>();
  let nextId = 0;
  const file = (batch: Entry[]): void => {
    assert.ok(tree.mergesBatch(batch.length), 'every batch is merged');
    const order = Int32Array.from(batch.keys()).sort((a, b) => byEntry(batch[a]!, batch[b]!) || a - b);
    tree.insertSorted(batch.map((e) => e.key), batch.map((e) => slot(e.id)), batch.map((e) => e.src), order);
    for (const e of batch) if (!model.has(`${e.key}/${e.id}`)) model.set(`${e.key}/${e.id}`, e);
    tree.checkIntegrity();
    assert.deepEqual(contents(tree), [...model.values()].sort(byEntry));
  };
  // Eight keys: nearly every comparison of the merge is a tie.
  const fresh = (m: number): Entry[] => Array.from({ length: m }, (_, i) => ({ key: rnd.nextU32() % 8, id: nextId++, src: ['new', i] }));
  for (let round = 0; round < 6; round++) {
    const batch = fresh(300 + round * 200);
    // The same row filed twice under one key (two versions of it): one entry.
    batch.push({ ...batch[batch.length - 1]!, src: ['again'] });
    file(batch);
  }
  // Rows already in the tree under other keys (an UPDATE's new entries): older row ids.
  const old = [...model.values()].filter((_, i) => i % 2 === 0).map((e) => ({ key: (e.key + 3) % 8, id: e.id, src: ['updated'] }));
  file(old);
  // The newest row's entries deleted: the tree's largest row id is now below its bound; a batch
  // between the two still sorts by row id.
  const newest = nextId - 1;
  for (const e of [...model.values()].filter((x) => x.id === newest)) {
    assert.equal(tree.delete(e.key, slot(e.id)), true);
    model.delete(`${e.key}/${e.id}`);
  }
  file(fresh(2000));
});

function index(unique = false): BTreeIndex {
  const cols: KeyColumnOrder[] = [{ cmp: num, desc: false, nullsFirst: false }];
  const key = (r: unknown[]): string | null => (r[0] === null ? null : String(r[0]));
  return new BTreeIndex('i', unique, key, key, (r) => r[0] ?? null, cols, true);
}

function scanAll(ix: BTreeIndex, lo: number | null = null, hi: number | null = null): string[] {
  const s = ix.range(lo === null ? null : { vals: [lo], inclusive: true }, hi === null ? null : { vals: [hi], inclusive: false }, false);
  const out: string[] = [];
  for (let e = s.next(); e !== null; e = s.next()) out.push(`${String(e.key)}/${e.slot.rowId}`);
  return out;
}

for (const seed of [1, 2, 3]) test(`held-back entries: every read sees every add, removes find them (seed ${seed})`, () => {
  const rnd = new SeededRandom(seed);
  const ix = index();
  const model = new Map<string, [number, number]>();
  let nextId = 0;
  const live: [number, number][] = [];
  for (let step = 0; step < 400; step++) {
    const op = rnd.nextU32() % 10;
    if (op < 5) {
      // A batch: fresh rows in row-id order (a bulk insert), or existing rows getting new keys in
      // any order (an UPDATE), with many equal keys; large batches take the radix order.
      const size = [1, 5, 70, 300, 5000][rnd.nextU32() % 5]!;
      const updates = rnd.nextU32() % 2 === 0 && live.length > 0;
      for (let i = 0; i < size; i++) {
        const id = updates ? live[rnd.nextU32() % live.length]![1] : nextId++;
        const key = rnd.nextU32() % (seed === 1 ? 8 : 4000);
        const k = `${key}/${id}`;
        ix.add(String(key), slot(id), [key]);
        if (!model.has(k)) { model.set(k, [key, id]); live.push([key, id]); }
      }
    } else if (op < 7 && live.length > 0) {
      // Removes, some of entries still held back.
      for (let i = 0; i < 1 + (rnd.nextU32() % 50) && live.length > 0; i++) {
        const at = rnd.nextU32() % live.length;
        const [key, id] = live[at]!;
        live[at] = live[live.length - 1]!;
        live.pop();
        ix.remove(String(key), slot(id), [key]);
        model.delete(`${key}/${id}`);
      }
    } else if (op === 7) {
      const lo = rnd.nextU32() % 4000;
      const want = [...model.values()].filter(([k]) => k >= lo && k < lo + 500).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([k, id]) => `${k}/${id}`);
      assert.deepEqual(scanAll(ix, lo, lo + 500), want, `step ${step}`);
    } else if (op === 8) {
      assert.equal(ix.entries, model.size);
      assert.equal(ix.size, new Set([...model.values()].map(([k]) => k)).size);
    } else {
      ix.flush();
      ix.checkIntegrity();
    }
  }
  ix.checkIntegrity();
  const want = [...model.values()].sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([k, id]) => `${k}/${id}`);
  assert.deepEqual(scanAll(ix), want);
});

test('a unique index probes its hash for every key added, filed in the tree or not', () => {
  const ix = index(true);
  for (let i = 0; i < 100; i++) ix.add(String(i * 3), slot(i), [i * 3]);
  assert.equal(ix.lookup('27'), slot(9));
  assert.equal(ix.lookup('28'), undefined);
  assert.deepEqual(scanAll(ix, 0, 10), ['0/0', '3/1', '6/2', '9/3']);
  // Cleared with entries still held back: none of them comes back.
  for (let i = 100; i < 120; i++) ix.add(String(i * 3), slot(i), [i * 3]);
  ix.clear();
  assert.equal(ix.lookup('303'), undefined);
  ix.add('5', slot(500), [5]);
  assert.deepEqual(scanAll(ix), ['5/500']);
  assert.equal(ix.entries, 1);
});

for (const desc of [false, true]) test(`a batch of text keys sorts in code-point order, ties by row id (${desc ? 'DESC' : 'ASC'})`, () => {
  const rnd = new SeededRandom(desc ? 8 : 7);
  // Below the surrogates, unit order is code-point order (the engine's `<` sorts the batch); the
  // second run adds units above them and an astral character (a surrogate pair), whose unit
  // order is not code-point order (U+E000 sorts below U+1F600, its first unit above it).
  for (const astral of [false, true]) {
    const alphabet = astral ? ['a', 'é', '\uD7FF', '\uE000', '\uFFFF', '\u{1F600}'] : ['a', 'b', 'é', '\uD7FF'];
    const cols: KeyColumnOrder[] = [{ cmp: (a, b) => textCompare(a as string, b as string), desc, nullsFirst: false, codePoint: true }];
    const key = (r: unknown[]): string => String(r[0]);
    const ix = new BTreeIndex('t', false, key, key, (r) => r[0] ?? null, cols, true);
    const model: [string, number][] = [];
    for (let i = 0; i < 3000; i++) {
      let s = 'key';
      for (let c = rnd.nextU32() % 4; c > 0; c--) s += alphabet[rnd.nextU32() % alphabet.length];
      // Rows updated in no row-id order, many sharing a key.
      const id = (i * 7919) % 3001;
      ix.add(s, slot(10_000 + id), [s]);
      model.push([s, 10_000 + id]);
    }
    model.sort((a, b) => (desc ? -1 : 1) * textCompare(a[0], b[0]) || a[1] - b[1]);
    const s = ix.range(null, null, false);
    const got: [string, number][] = [];
    for (let e = s.next(); e !== null; e = s.next()) got.push([e.key as string, e.slot.rowId]);
    ix.checkIntegrity();
    assert.deepEqual(got, model, `astral=${astral}`);
  }
});
