/**
 * stringOrder (multikey quicksort of index key batches) against a comparison sort by `<` then id,
 * on keys built to share long prefixes, repeat, end inside one another and be empty.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stringOrder } from '../../src/types/string-order.ts';

/** A small deterministic generator (the test must not depend on Math.random). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

function reference(keys: readonly string[], ids: readonly number[], desc: boolean): number[] {
  const order = keys.map((_, i) => i);
  return order.sort((a, b) => {
    const x = keys[a]!;
    const y = keys[b]!;
    if (x !== y) return (x < y ? -1 : 1) * (desc ? -1 : 1);
    return ids[a]! - ids[b]!;
  });
}

const ALPHABET = ['a', 'b', 'ab', ' ', 'Z', 'é', '\u4e2d', '\u00ff', '0', 'aaaa'];

test('stringOrder sorts like < with ties by id, both directions, on every size', () => {
  const rnd = lcg(7);
  for (const n of [0, 1, 2, 3, 11, 12, 13, 40, 257, 3000]) {
    for (let round = 0; round < 4; round++) {
      const keys: string[] = [];
      for (let i = 0; i < n; i++) {
        // Shared prefixes and duplicates are the interesting cases: draw from few short parts.
        let s = round % 2 === 0 ? 'common prefix ' : '';
        const parts = Math.floor(rnd() * 4);
        for (let p = 0; p < parts; p++) s += ALPHABET[Math.floor(rnd() * ALPHABET.length)]!;
        keys.push(s);
      }
      // Ids not in position order, as entries that arrive out of row-id order.
      const ids = keys.map((_, i) => (i * 7919) % (n + 13));
      for (const desc of [false, true]) {
        const got = Array.from(stringOrder(keys, Float64Array.from(ids), desc));
        assert.deepEqual(got, reference(keys, ids, desc), `n=${n} round=${round} desc=${desc}`);
        // Without ids, equal keys keep their positions' order.
        const byPosition = Array.from(stringOrder(keys, null, desc));
        assert.deepEqual(byPosition, reference(keys, keys.map((_, i) => i), desc), `n=${n} round=${round} desc=${desc} (no ids)`);
      }
    }
  }
});

test('stringOrder handles a long shared prefix without deep recursion', () => {
  // One partition level per shared character: 30,000 levels would overflow a recursive sort.
  const stem = 'x'.repeat(30_000);
  const tails = ['b', '', 'a', 'b', 'ac', 'a', 'c', 'ba'];
  const keys = [''];
  for (let i = 0; i < 40; i++) keys.push(stem + tails[i % tails.length]!);
  const ids = keys.map((_, i) => keys.length - i);
  assert.deepEqual(Array.from(stringOrder(keys, ids, false)), reference(keys, ids, false));
  assert.deepEqual(Array.from(stringOrder(keys, ids, true)), reference(keys, ids, true));
});
