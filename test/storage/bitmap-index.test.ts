/**
 * Bitmap index and row-id bitmaps: per-key bitmaps follow adds and removes (a key disappears with
 * its last row), AND / OR combine word by word across bitmaps of different sizes, and slots come
 * back in row-id order, each once. Checked against sets on seeded random data.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BitmapIndex } from '../../src/storage/bitmap-index.ts';
import { TidBitmap } from '../../src/storage/tid-bitmap.ts';
import { newRowSlot, newVersion, type RowSlot } from '../../src/storage/version.ts';
import { FROZEN_TXN } from '../../src/txn/txn.ts';
import { SeededRandom } from '../../src/env/seeded-random.ts';

const slots = Array.from({ length: 3000 }, (_, i) => newRowSlot(i, newVersion([i], FROZEN_TXN, 0, null)));
const ids = (bm: TidBitmap): number[] => bm.toSlots().map((s) => s.rowId);

test('per-key bitmaps follow adds and removes', () => {
  const ix = new BitmapIndex('b', false, (r) => r[0] as string, (r) => r[0] as string);
  const rnd = new SeededRandom(5);
  const model = new Map<string, Set<number>>();
  for (let i = 0; i < 5000; i++) {
    const key = `k${rnd.nextU32() % 4}`;
    const id = rnd.nextU32() % 3000;
    const set = model.get(key) ?? new Set<number>();
    if (rnd.nextU32() % 3 === 0) {
      ix.remove(key, slots[id]!);
      set.delete(id);
    } else {
      ix.add(key, slots[id]!);
      set.add(id);
    }
    if (set.size === 0) model.delete(key);
    else model.set(key, set);
  }
  assert.equal(ix.size, model.size);
  for (const [key, set] of model) {
    assert.deepEqual(ids(ix.bitmapOf(key)), [...set].sort((a, b) => a - b));
    const hit = ix.lookup(key);
    const got = hit === undefined ? [] : Array.isArray(hit) ? (hit as RowSlot[]).map((s) => s.rowId) : [(hit as RowSlot).rowId];
    assert.deepEqual(got, [...set].sort((a, b) => a - b));
  }
  assert.deepEqual(ids(ix.bitmapOf('absent')), []);
});

test('AND / OR of bitmaps of different sizes match set algebra', () => {
  const rnd = new SeededRandom(8);
  for (let round = 0; round < 20; round++) {
    const a = new TidBitmap();
    const b = new TidBitmap();
    const sa = new Set<number>();
    const sb = new Set<number>();
    for (let i = 0; i < 200; i++) {
      const x = rnd.nextU32() % (round % 2 === 0 ? 3000 : 100);
      const y = rnd.nextU32() % 3000;
      a.add(slots[x]!); sa.add(x);
      b.add(slots[y]!); sb.add(y);
    }
    const and = new TidBitmap(a.words.slice(), a.slots.slice());
    and.and(b);
    assert.deepEqual(ids(and), [...sa].filter((x) => sb.has(x)).sort((p, q) => p - q));
    const or = new TidBitmap(a.words.slice(), a.slots.slice());
    or.or(b);
    assert.deepEqual(ids(or), [...new Set([...sa, ...sb])].sort((p, q) => p - q));
    assert.equal(or.count(), new Set([...sa, ...sb]).size);
  }
});
