/**
 * HashIndex: single-slot and multi-slot keys, idempotent add, remove down to nothing, clear.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HashIndex } from '../../src/storage/row-index.ts';
import { newRowSlot, newVersion, type RowSlot } from '../../src/storage/version.ts';
import { FROZEN_TXN } from '../../src/txn/txn.ts';

function slot(id: number): RowSlot {
  return newRowSlot(id, newVersion([id], FROZEN_TXN, 0, null));
}

test('lookup returns one slot, then an array once a key has several', () => {
  const index = new HashIndex('i', false, (row) => row[0] as number);
  const [a, b, c] = [slot(1), slot(2), slot(3)];
  assert.equal(index.lookup(5), undefined);
  index.add(5, a);
  assert.equal(index.lookup(5), a);
  index.add(5, a);
  assert.equal(index.lookup(5), a, 'adding the same slot twice is a no-op');
  index.add(5, b);
  index.add(5, c);
  index.add(5, b);
  assert.deepEqual(index.lookup(5), [a, b, c]);
  assert.equal(index.size, 1);
  index.remove(5, b);
  assert.deepEqual(index.lookup(5), [a, c]);
  index.remove(5, a);
  assert.equal(index.lookup(5), c, 'back to a single slot');
  index.remove(5, a);
  assert.equal(index.lookup(5), c, 'removing an absent slot changes nothing');
  index.remove(5, c);
  assert.equal(index.lookup(5), undefined);
  assert.equal(index.size, 0);
});

test('keys of different JS types are distinct; clear empties the index', () => {
  const index = new HashIndex('i', true, (row) => row[0] as number);
  const [a, b, c] = [slot(1), slot(2), slot(3)];
  index.add(1, a);
  index.add('1', b);
  index.add(1n, c);
  assert.equal(index.lookup(1), a);
  assert.equal(index.lookup('1'), b);
  assert.equal(index.lookup(1n), c);
  assert.equal(index.size, 3);
  assert.equal(index.unique, true);
  assert.equal(index.keyOf([7]), 7);
  index.clear();
  assert.equal(index.size, 0);
  assert.equal(index.lookup(1), undefined);
  index.remove(9, a);
  assert.equal(index.size, 0);
});

test('small non-negative integer keys and all other keys behave alike, wherever they are kept', () => {
  // Integer keys below about twice the key count live in an array in front of the Map; keys past
  // it go to the Map and move into the array as it grows. Checked against a plain Map model over
  // random adds and removes of keys of every kind, with a deterministic generator.
  const index = new HashIndex('i', false, (row) => row[0] as number);
  const model = new Map<unknown, RowSlot[]>();
  const slots = Array.from({ length: 8 }, (_, i) => slot(i));
  let seed = 12345;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return Math.floor(seed / 65536) % n; // the LCG's high bits: its low bits cycle
  };
  const keyOf = (): number | string => {
    switch (rnd(6)) {
      case 0: return rnd(64); // small, soon in the array
      case 1: return 3000 + rnd(5000); // beyond the array until enough keys exist
      case 2: return -1 - rnd(10);
      case 3: return rnd(50) + 0.5;
      case 4: return `k${rnd(20)}`;
      default: return rnd(4000);
    }
  };
  const check = (k: unknown): void => {
    const want = model.get(k) ?? [];
    const got = index.lookup(k as number);
    const list = got === undefined ? [] : Array.isArray(got) ? got : [got];
    assert.deepEqual([...list].sort((a, b) => a.rowId - b.rowId), [...want].sort((a, b) => a.rowId - b.rowId), `key ${String(k)}`);
  };
  for (let step = 0; step < 20000; step++) {
    const k = keyOf();
    const s = slots[rnd(slots.length)]!;
    if (rnd(3) > 0) {
      index.add(k, s);
      const cur = model.get(k) ?? [];
      if (!cur.includes(s)) model.set(k, [...cur, s]);
    } else {
      index.remove(k, s);
      const cur = (model.get(k) ?? []).filter((x) => x !== s);
      if (cur.length === 0) model.delete(k);
      else model.set(k, cur);
    }
    check(k);
    if (step % 997 === 0) {
      assert.equal(index.size, model.size);
      for (const key of model.keys()) check(key);
      assert.deepEqual(new Set(index.keys()), new Set(model.keys()));
    }
  }
  assert.ok(model.size > 1000, `the run filled the index (${model.size} keys)`);
  // -0 is the key 0, as in a Map.
  index.add(0, slots[0]!);
  assert.equal(index.lookup(-0), index.lookup(0));
  index.clear();
  assert.equal(index.size, 0);
  assert.equal(index.lookup(5), undefined);
});
