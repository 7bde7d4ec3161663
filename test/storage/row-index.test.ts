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
