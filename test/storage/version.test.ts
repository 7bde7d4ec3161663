/**
 * visibleVersion: the snapshot rule (own writes by command id, others by commit seq), walking the
 * chain to the version a snapshot sees, deletes by own and other transactions, lock-only xmax.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FROZEN_TXN, Snapshot, Txn, TxnState } from '../../src/txn/txn.ts';
import { chainShapeProblem, foldIntoSlot, newInsertedSlot, newRowSlot, newVersion, resolveVersion, visibleVersion } from '../../src/storage/version.ts';

function committed(id: number, seq: number): Txn {
  const t = new Txn(id, 'read committed', false, 0);
  t.commitSeq = seq;
  t.finish(TxnState.COMMITTED);
  return t;
}

test('a version is visible iff its creator committed at or before the snapshot', () => {
  const me = new Txn(10, 'read committed', false, 0);
  const c5 = committed(1, 5);
  const v = newVersion(['a'], c5, 0, null);
  const slot = newRowSlot(0, v);
  assert.equal(visibleVersion(slot, new Snapshot(4, me, 1)), null);
  assert.equal(visibleVersion(slot, new Snapshot(5, me, 1)), v);
  const active = new Txn(2, 'read committed', false, 0);
  const slot2 = newRowSlot(1, newVersion(['b'], active, 0, null));
  assert.equal(visibleVersion(slot2, new Snapshot(100, me, 1)), null, 'uncommitted: commitSeq 0');
  active.commitSeq = 6;
  active.state = TxnState.COMMITTING;
  assert.equal(visibleVersion(slot2, new Snapshot(5, me, 1)), null);
  const frozen = newRowSlot(2, newVersion(['f'], FROZEN_TXN, 0, null));
  assert.notEqual(visibleVersion(frozen, new Snapshot(0, me, 1)), null, 'frozen versions are visible to all');
});

test('own writes are visible from the next command on', () => {
  const me = new Txn(10, 'read committed', false, 0);
  const v = newVersion(['mine'], me, 3, null);
  const slot = newRowSlot(0, v);
  assert.equal(visibleVersion(slot, new Snapshot(0, me, 3)), null);
  assert.equal(visibleVersion(slot, new Snapshot(0, me, 4)), v);
  const other = new Txn(11, 'read committed', false, 0);
  assert.equal(visibleVersion(slot, new Snapshot(1000, other, 4)), null);
});

test('the chain is walked to the newest version the snapshot sees; deletes hide rows', () => {
  const me = new Txn(10, 'read committed', false, 0);
  const c1 = committed(1, 1);
  const c2 = committed(2, 2);
  const v1 = newVersion([1], c1, 0, null);
  const v2 = newVersion([2], c2, 0, v1);
  v1.xmax = c2;
  const slot = newRowSlot(0, v2);
  assert.equal(visibleVersion(slot, new Snapshot(1, me, 1)), v1);
  assert.equal(visibleVersion(slot, new Snapshot(2, me, 1)), v2);
  // Deleted by a later committed transaction: visible only before the delete.
  const c3 = committed(3, 3);
  v2.xmax = c3;
  assert.equal(visibleVersion(slot, new Snapshot(2, me, 1)), v2);
  assert.equal(visibleVersion(slot, new Snapshot(3, me, 1)), null);
  // Deleted by me in command 5: still visible to command 5, gone from command 6.
  v2.xmax = me;
  v2.cmax = 5;
  assert.equal(visibleVersion(slot, new Snapshot(3, me, 5)), v2);
  assert.equal(visibleVersion(slot, new Snapshot(3, me, 6)), null);
  // A lock-only xmax never hides the row.
  v2.lockOnly = true;
  assert.equal(visibleVersion(slot, new Snapshot(3, me, 6)), v2);
  slot.head = null;
  assert.equal(visibleVersion(slot, new Snapshot(3, me, 6)), null, 'a dead slot shows nothing');
});

test('a slot is its own first version; chainShapeProblem finds chains vacuum could not have left', () => {
  const c5 = committed(1, 5);
  const me = new Txn(10, 'read committed', false, 0);
  const slot = newInsertedSlot(0, ['a'], c5, 0);
  assert.equal(slot.head, slot);
  assert.equal(visibleVersion(slot, new Snapshot(5, me, 1)), slot);
  assert.equal(chainShapeProblem(slot), null);
  // An update hangs the new version in front of the slot's own.
  const next = newVersion(['b'], c5, 1, slot);
  slot.xmax = c5;
  slot.head = next;
  assert.equal(chainShapeProblem(slot), null);
  // Folding the survivor back: the slot holds it and the old version points the writer there.
  foldIntoSlot(slot, next);
  assert.equal(slot.head, slot);
  assert.deepEqual(slot.values, ['b']);
  assert.equal(resolveVersion(next), slot);
  assert.equal(resolveVersion(slot), slot);
  assert.equal(chainShapeProblem(slot), null);
  // Broken shapes: a folded version still in a chain; the slot's own version not the oldest.
  slot.head = newVersion(['c'], c5, 2, next);
  assert.match(chainShapeProblem(slot) ?? '', /folded/);
  const other = newInsertedSlot(1, ['x'], c5, 0);
  other.prev = newVersion(['older'], c5, 0, null);
  assert.match(chainShapeProblem(other) ?? '', /older than the slot/);
});
