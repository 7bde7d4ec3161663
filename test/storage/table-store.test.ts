/**
 * TableStore unit tests, driven through the transaction manager without SQL: insert / update /
 * delete / lock, snapshot visibility (own commands, other transactions, commit order), conflict
 * signalling (LockWait for active holders, 40001 for changes after the snapshot), unique keys,
 * undo (abort and savepoint marks) and table-level DDL exclusion.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DbError } from '../../src/errors/index.ts';
import { LockWait } from '../../src/txn/lock-wait.ts';
import { TxnState } from '../../src/txn/txn.ts';
import { begin, chainLength, manager, rows, uniqueTable } from './helpers.ts';
import { HashIndex } from '../../src/storage/row-index.ts';

function catchIt(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return assert.fail('expected a throw');
}

test('an insert is visible to later commands of its transaction, and to others after commit', async () => {
  const tm = manager();
  const store = uniqueTable();
  const t1 = begin(tm);
  const s1 = tm.statementSnapshot(t1);
  store.insert(t1, s1.cmdId, [1, 'a']);
  assert.deepEqual(rows(store, s1), [], 'not visible to the command that inserted it');
  assert.deepEqual(rows(store, tm.statementSnapshot(t1)), [[1, 'a']]);
  const t2 = begin(tm, 'repeatable read');
  const s2 = tm.statementSnapshot(t2);
  assert.deepEqual(rows(store, s2), []);
  await tm.commit(t1);
  assert.equal(t1.state, TxnState.COMMITTED);
  assert.equal(store.rowEstimate, 1);
  assert.deepEqual(rows(store, tm.statementSnapshot(t2)), [], 'repeatable read keeps its snapshot');
  const t3 = begin(tm);
  assert.deepEqual(rows(store, tm.statementSnapshot(t3)), [[1, 'a']]);
  tm.abort(t2);
  tm.abort(t3);
});

test('update keeps the old version for older snapshots; delete hides the row', async () => {
  const tm = manager();
  const store = uniqueTable();
  const t0 = begin(tm);
  const slot = store.insert(t0, tm.statementSnapshot(t0).cmdId, [1, 'old']);
  await tm.commit(t0);
  const reader = begin(tm, 'repeatable read');
  const rs = tm.statementSnapshot(reader);
  const w = begin(tm);
  const ws = tm.statementSnapshot(w);
  const seen = store.visible(slot, ws)!;
  const nv = store.update(w, ws, slot, seen, [1, 'new']);
  assert.ok(nv !== null);
  assert.equal(slot.head, nv);
  assert.equal(nv.prev, seen);
  assert.equal(seen.xmax, w);
  assert.equal(store.update(w, ws, slot, seen, [1, 'again']), null, 'same command changes a row once');
  await tm.commit(w);
  assert.deepEqual(rows(store, tm.statementSnapshot(reader)), [[1, 'old']]);
  const d = begin(tm);
  const ds = tm.statementSnapshot(d);
  assert.equal(store.delete(d, ds, slot, store.visible(slot, ds)!), true);
  assert.deepEqual(rows(store, tm.statementSnapshot(d)), []);
  await tm.commit(d);
  assert.equal(store.rowEstimate, 0);
  assert.deepEqual(rows(store, tm.statementSnapshot(reader)), [[1, 'old']]);
  assert.equal(chainLength(slot), 2);
  tm.abort(reader);
});

test('writing a row held by an active transaction raises a LockWait naming the holder', async () => {
  const tm = manager();
  const store = uniqueTable();
  const t0 = begin(tm);
  const slot = store.insert(t0, tm.statementSnapshot(t0).cmdId, [1, 'x']);
  await tm.commit(t0);
  const a = begin(tm);
  const as = tm.statementSnapshot(a);
  store.update(a, as, slot, store.visible(slot, as)!, [1, 'a']);
  const b = begin(tm, 'repeatable read');
  const bs = tm.statementSnapshot(b);
  const seen = store.visible(slot, bs)!;
  const e = catchIt(() => store.update(b, bs, slot, seen, [1, 'b']));
  assert.ok(e instanceof LockWait);
  assert.equal(e.holder, a);
  assert.ok(catchIt(() => store.delete(b, bs, slot, seen)) instanceof LockWait);
  assert.ok(catchIt(() => store.lock(b, bs, slot, seen)) instanceof LockWait);
  assert.equal(b.writes.length, 0, 'a failed write logs nothing');
  await tm.commit(a);
  const err = catchIt(() => store.update(b, bs, slot, seen, [1, 'b']));
  assert.ok(err instanceof DbError);
  assert.equal(err.code, '40001');
  assert.equal(err.message, 'could not serialize access due to concurrent update');
  tm.abort(b);
});

test('a row deleted after the snapshot fails updates and deletes with 40001', async () => {
  const tm = manager();
  const store = uniqueTable();
  const t0 = begin(tm);
  const slot = store.insert(t0, tm.statementSnapshot(t0).cmdId, [1, 'x']);
  await tm.commit(t0);
  const rr = begin(tm, 'repeatable read');
  const rs = tm.statementSnapshot(rr);
  const seen = store.visible(slot, rs)!;
  const d = begin(tm);
  const ds = tm.statementSnapshot(d);
  store.delete(d, ds, slot, store.visible(slot, ds)!);
  await tm.commit(d);
  const e = catchIt(() => store.delete(rr, rs, slot, seen));
  assert.ok(e instanceof DbError);
  assert.equal(e.message, 'could not serialize access due to concurrent delete');
  assert.equal((catchIt(() => store.update(rr, rs, slot, seen, [1, 'y'])) as DbError).code, '40001');
  tm.abort(rr);
});

test('unique keys: duplicates fail with 23505, active holders raise LockWait, deleted keys are free', async () => {
  const tm = manager();
  const store = uniqueTable();
  const t0 = begin(tm);
  const slot = store.insert(t0, tm.statementSnapshot(t0).cmdId, [1, 'x']);
  await tm.commit(t0);
  const a = begin(tm);
  const e = catchIt(() => store.insert(a, tm.statementSnapshot(a).cmdId, [1, 'dup']));
  assert.ok(e instanceof DbError);
  assert.equal(e.code, '23505');
  assert.equal(e.message, 'duplicate key value violates unique constraint "t_pkey"');
  assert.equal(e.detail, 'Key (id)=(1) already exists.');
  assert.equal(store.slots.length, 1, 'nothing was added');
  store.insert(a, tm.statementSnapshot(a).cmdId, [2, 'a']);
  const b = begin(tm);
  const w = catchIt(() => store.insert(b, tm.statementSnapshot(b).cmdId, [2, 'b']));
  assert.ok(w instanceof LockWait && w.holder === a);
  // NULL keys are not indexed and never conflict.
  store.insert(b, tm.statementSnapshot(b).cmdId, [null, 'n1']);
  store.insert(b, tm.statementSnapshot(b).cmdId, [null, 'n2']);
  tm.abort(a);
  store.insert(b, tm.statementSnapshot(b).cmdId, [2, 'b']);
  const bs = tm.statementSnapshot(b);
  store.delete(b, bs, slot, store.visible(slot, bs)!);
  store.insert(b, tm.statementSnapshot(b).cmdId, [1, 'reborn']);
  await tm.commit(b);
  const c = begin(tm);
  assert.deepEqual(rows(store, tm.statementSnapshot(c)).map((r) => r[1]).sort(), ['b', 'n1', 'n2', 'reborn']);
  tm.abort(c);
});

test('an update to a key another row has fails; to its own key or a fresh key succeeds', async () => {
  const tm = manager();
  const store = uniqueTable();
  const t0 = begin(tm);
  const s0 = tm.statementSnapshot(t0);
  const one = store.insert(t0, s0.cmdId, [1, 'a']);
  store.insert(t0, s0.cmdId, [2, 'b']);
  await tm.commit(t0);
  const t = begin(tm);
  const s = tm.statementSnapshot(t);
  const seen = store.visible(one, s)!;
  assert.equal((catchIt(() => store.update(t, s, one, seen, [2, 'a'])) as DbError).code, '23505');
  assert.ok(store.update(t, s, one, seen, [1, 'a2']) !== null);
  const s2 = tm.statementSnapshot(t);
  assert.ok(store.update(t, s2, one, store.visible(one, s2)!, [3, 'a3']) !== null);
  // Key 1 is free again inside the same transaction.
  store.insert(t, tm.statementSnapshot(t).cmdId, [1, 'new']);
  await tm.commit(t);
  const r = begin(tm);
  assert.deepEqual(rows(store, tm.statementSnapshot(r)).map((x) => x[0]).sort(), [1, 2, 3]);
  tm.abort(r);
});

test('abort undoes inserts, updates, deletes and locks, and their index entries', async () => {
  const tm = manager();
  const store = uniqueTable();
  const t0 = begin(tm);
  const s0 = tm.statementSnapshot(t0);
  const a = store.insert(t0, s0.cmdId, [1, 'a']);
  const b = store.insert(t0, s0.cmdId, [2, 'b']);
  const c = store.insert(t0, s0.cmdId, [3, 'c']);
  await tm.commit(t0);
  const heads = [a.head, b.head, c.head];
  const t = begin(tm);
  const s = tm.statementSnapshot(t);
  store.update(t, s, a, store.visible(a, s)!, [10, 'a2']);
  store.delete(t, s, b, store.visible(b, s)!);
  store.lock(t, s, c, store.visible(c, s)!);
  const ins = store.insert(t, s.cmdId, [4, 'd']);
  assert.equal(store.indexes[0]!.lookup(10), a);
  tm.abort(t);
  assert.equal(t.state, TxnState.ABORTED);
  assert.deepEqual([a.head, b.head, c.head], heads);
  for (const v of heads) {
    assert.equal(v!.xmax, null);
    assert.equal(v!.lockOnly, false);
  }
  assert.equal(ins.head, null);
  assert.equal(store.indexes[0]!.lookup(10), undefined);
  assert.equal(store.indexes[0]!.lookup(4), undefined);
  assert.equal(store.indexes[0]!.lookup(1), a);
  assert.equal(store.rowEstimate, 3);
  assert.equal(store.writers.length, 0, 'table-level registration released');
});

test('rollbackTo a write-log mark undoes only later writes', async () => {
  const tm = manager();
  const store = uniqueTable();
  const t = begin(tm);
  const s1 = tm.statementSnapshot(t);
  const kept = store.insert(t, s1.cmdId, [1, 'kept']);
  const mark = t.writes.length;
  const s2 = tm.statementSnapshot(t);
  store.update(t, s2, kept, store.visible(kept, s2)!, [1, 'changed']);
  store.insert(t, s2.cmdId, [2, 'gone']);
  tm.rollbackTo(t, mark);
  assert.equal(t.writes.length, mark);
  assert.deepEqual(rows(store, tm.statementSnapshot(t)), [[1, 'kept']]);
  await tm.commit(t);
  const r = begin(tm);
  assert.deepEqual(rows(store, tm.statementSnapshot(r)), [[1, 'kept']]);
  tm.abort(r);
});

test('a lock followed by an update keeps the lock when only the update is undone', async () => {
  const tm = manager();
  const store = uniqueTable();
  const t0 = begin(tm);
  const slot = store.insert(t0, tm.statementSnapshot(t0).cmdId, [1, 'x']);
  await tm.commit(t0);
  const t = begin(tm);
  const s = tm.statementSnapshot(t);
  const v = store.visible(slot, s)!;
  assert.equal(store.lock(t, s, slot, v), true);
  assert.equal(store.lock(t, s, slot, v), true, 'relocking is a no-op');
  assert.equal(t.writes.length, 1);
  const mark = t.writes.length;
  const s2 = tm.statementSnapshot(t);
  store.update(t, s2, slot, store.visible(slot, s2)!, [1, 'y']);
  tm.rollbackTo(t, mark);
  assert.equal(v.xmax, t);
  assert.equal(v.lockOnly, true);
  const other = begin(tm);
  const os = tm.statementSnapshot(other);
  assert.ok(catchIt(() => store.update(other, os, slot, v, [1, 'z'])) instanceof LockWait);
  await tm.commit(t);
  assert.ok(store.update(other, os, slot, v, [1, 'z']) !== null, 'a finished lock does not block');
  await tm.commit(other);
});

test('DDL exclusion: DDL waits for writers, writers wait for DDL', async () => {
  const tm = manager();
  const store = uniqueTable();
  const w = begin(tm);
  store.insert(w, tm.statementSnapshot(w).cmdId, [1, 'x']);
  const ddl = begin(tm);
  const e = catchIt(() => store.enterDdl(ddl));
  assert.ok(e instanceof LockWait && e.holder === w);
  await tm.commit(w);
  store.enterDdl(ddl);
  assert.equal(store.ddlOwner, ddl);
  const w2 = begin(tm);
  assert.ok(catchIt(() => store.insert(w2, tm.statementSnapshot(w2).cmdId, [2, 'y'])) instanceof LockWait);
  store.enterDdl(ddl);
  store.insert(ddl, tm.statementSnapshot(ddl).cmdId, [3, 'own']);
  tm.abort(ddl);
  assert.equal(store.ddlOwner, null);
  store.insert(w2, tm.statementSnapshot(w2).cmdId, [2, 'y']);
  await tm.commit(w2);
});

test('compact drops dead slots and keeps live ones in order', async () => {
  const tm = manager();
  const store = uniqueTable();
  const t = begin(tm);
  for (let i = 0; i < 6; i++) store.insert(t, tm.statementSnapshot(t).cmdId, [i, String(i)]);
  tm.abort(t);
  assert.equal(store.deadSlots, 6);
  const t2 = begin(tm);
  store.insert(t2, tm.statementSnapshot(t2).cmdId, [1, 'live']);
  await tm.commit(t2);
  store.compact();
  assert.equal(store.slots.length, 1);
  assert.equal(store.deadSlots, 0);
  assert.equal(store.indexes[0]!.lookup(1), store.slots[0]);
});

test('setIndexes builds a new index from every version in the chains and keeps the ones it maintains', async () => {
  const tm = manager();
  const store = uniqueTable();
  const t0 = begin(tm);
  const slot = store.insert(t0, tm.statementSnapshot(t0).cmdId, [1, 'x']);
  await tm.commit(t0);
  const t1 = begin(tm);
  const s1 = tm.statementSnapshot(t1);
  store.update(t1, s1, slot, store.visible(slot, s1)!, [2, 'x']);
  await tm.commit(t1);
  // A new runtime (CREATE INDEX, REINDEX) is built from every version; one the store already
  // maintains is left as it is.
  const kept = store.indexes[0]!;
  const index = new HashIndex('t_k', false, (row) => (row[0] === null ? null : (row[0] as number)));
  store.setIndexes([kept, index], store.uniques);
  assert.equal(store.indexes[0], kept);
  assert.equal(index.lookup(1), slot, 'old key kept for older snapshots');
  assert.equal(index.lookup(2), slot);
  assert.equal(kept.lookup(2), slot);
});
