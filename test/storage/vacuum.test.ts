/**
 * Vacuum: trims chains below the horizon, freezes survivors, frees rows whose delete committed at
 * or before the horizon (dropping index entries no remaining version carries), keeps what newer
 * snapshots need, clears finished lock-only xmax, and the transaction manager's horizon and
 * periodic GC.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FROZEN_TXN, WriteKind } from '../../src/txn/txn.ts';
import { slotsByTable, vacuumSlots, vacuumTable } from '../../src/storage/vacuum.ts';
import { begin, chainLength, manager, rows, uniqueTable } from './helpers.ts';
import type { TxnManager } from '../../src/txn/txn-manager.ts';
import { TableStore } from '../../src/storage/table-store.ts';
import { TxnManager as Manager } from '../../src/txn/txn-manager.ts';
import { createSimEnv } from '../../src/env/sim-env.ts';
import { Limits } from '../../src/limits.ts';
import type { RowSlot } from '../../src/storage/version.ts';

async function update(tm: TxnManager, store: TableStore, slot: RowSlot, values: unknown[]): Promise<void> {
  const t = begin(tm);
  const s = tm.statementSnapshot(t);
  store.update(t, s, slot, store.visible(slot, s)!, values);
  await tm.commit(t);
}

/** A row inserted by its own committed transaction. */
async function insertCommitted(tm: TxnManager, store: TableStore, values: unknown[]): Promise<RowSlot> {
  const t = begin(tm);
  const slot = store.insert(t, tm.statementSnapshot(t).cmdId, values);
  await tm.commit(t);
  return slot;
}

test('vacuumTable trims a chain to the version visible at the horizon and freezes it', async () => {
  const tm = manager();
  const store = uniqueTable();
  const slot = await insertCommitted(tm, store, [1, 0]);
  for (let i = 1; i <= 5; i++) await update(tm, store, slot, [1, i]);
  assert.equal(chainLength(slot), 6);
  const stats = vacuumTable(store, tm.horizon());
  assert.equal(stats.versionsFreed, 5);
  assert.equal(stats.rowsFreed, 0);
  assert.equal(chainLength(slot), 1);
  assert.equal(slot.head!.xmin, FROZEN_TXN);
  assert.deepEqual(slot.head!.values, [1, 5]);
  const r = begin(tm, 'repeatable read');
  assert.deepEqual(rows(store, tm.statementSnapshot(r)), [[1, 5]]);
  tm.abort(r);
});

test('vacuum leaves the versions it drops holding neither their transactions nor their rows', async () => {
  // A dropped version can outlive its chain in the old generation; whatever it still pointed
  // to would survive every minor GC with it (releaseVersion in src/storage/version.ts).
  const tm = manager();
  const store = uniqueTable();
  const slot = await insertCommitted(tm, store, [1, 0]);
  const dropped = [];
  for (let i = 1; i <= 3; i++) {
    await update(tm, store, slot, [1, i]);
    dropped.push(slot.head!);
  }
  const survivor = dropped.pop()!;
  vacuumTable(store, tm.horizon());
  // The survivor moved into the slot, which is the row's only version again (foldIntoSlot).
  assert.equal(slot.head, slot as unknown);
  assert.equal(chainLength(slot), 1);
  assert.equal(slot.head!.values, survivor.values);
  assert.deepEqual(survivor.values, [1, 3]);
  for (const v of dropped) {
    assert.equal(v.xmin, FROZEN_TXN);
    assert.equal(v.xmax, null);
    assert.equal(v.prev, null);
    assert.equal(v.values.length, 0);
  }
});

test('a writer holding a version that vacuum folded into its slot acts on the slot', async () => {
  // A statement can take a row (RowRef) before vacuum folds its version into the slot and write
  // it after: the write must neither fail as a concurrent change nor lose the chain.
  const tm = manager();
  const store = uniqueTable();
  const slot = await insertCommitted(tm, store, [1, 0]);
  await update(tm, store, slot, [1, 1]);
  const t = begin(tm);
  const snap = tm.statementSnapshot(t);
  const held = store.visible(slot, snap)!;
  assert.notEqual(held, slot as unknown);
  vacuumTable(store, tm.horizon());
  assert.equal(slot.head, slot as unknown);
  const next = store.update(t, snap, slot, held, [1, 2]);
  assert.ok(next !== null);
  assert.equal(next.prev, slot as unknown);
  await tm.commit(t);
  const r = begin(tm, 'repeatable read');
  assert.deepEqual(rows(store, tm.statementSnapshot(r)), [[1, 2]]);
  tm.abort(r);
  // And the same for a delete through a folded version.
  await update(tm, store, slot, [1, 3]);
  const d = begin(tm);
  const dsnap = tm.statementSnapshot(d);
  const heldD = store.visible(slot, dsnap)!;
  vacuumTable(store, tm.horizon());
  assert.equal(store.delete(d, dsnap, slot, heldD), true);
  await tm.commit(d);
  const r2 = begin(tm, 'repeatable read');
  assert.deepEqual(rows(store, tm.statementSnapshot(r2)), []);
  tm.abort(r2);
});

test('the horizon stops at the oldest open snapshot; versions it needs survive', async () => {
  const tm = manager();
  const store = uniqueTable();
  const slot = await insertCommitted(tm, store, [1, 0]);
  await update(tm, store, slot, [1, 1]);
  const old = begin(tm, 'repeatable read');
  const os = tm.statementSnapshot(old);
  assert.equal(tm.horizon(), os.seq);
  await update(tm, store, slot, [1, 2]);
  await update(tm, store, slot, [1, 3]);
  vacuumTable(store, tm.horizon());
  assert.equal(chainLength(slot), 3, 'v3, v2 and the v1 the old snapshot sees');
  assert.deepEqual(rows(store, tm.statementSnapshot(old)), [[1, 1]]);
  tm.abort(old);
  assert.equal(tm.horizon(), tm.currentSeq);
  vacuumTable(store, tm.horizon());
  assert.equal(chainLength(slot), 1);
});

test('pins hold the horizon like snapshots', async () => {
  const tm = manager();
  const store = uniqueTable();
  const slot = await insertCommitted(tm, store, [1, 0]);
  const pinned = tm.currentSeq;
  tm.pin(pinned);
  tm.pin(pinned);
  await update(tm, store, slot, [1, 1]);
  assert.equal(tm.horizon(), pinned);
  tm.unpin(pinned);
  assert.equal(tm.horizon(), pinned, 'pinned twice');
  tm.unpin(pinned);
  assert.equal(tm.horizon(), tm.currentSeq);
});

test('a committed delete frees the row and its index entries; an uncommitted head is kept', async () => {
  const tm = manager();
  const store = uniqueTable();
  const t0 = begin(tm);
  const s0 = tm.statementSnapshot(t0);
  const gone = store.insert(t0, s0.cmdId, [1, 'gone']);
  const busy = store.insert(t0, s0.cmdId, [2, 'busy']);
  await tm.commit(t0);
  const d = begin(tm);
  const ds = tm.statementSnapshot(d);
  store.delete(d, ds, gone, store.visible(gone, ds)!);
  await tm.commit(d);
  const w = begin(tm);
  const ws = tm.statementSnapshot(w);
  store.update(w, ws, busy, store.visible(busy, ws)!, [3, 'busy2']);
  const stats = vacuumSlots([[{ table: store, slot: gone }, { table: store, slot: busy }]], tm.horizon());
  assert.equal(stats.rowsFreed, 1);
  assert.equal(gone.head, null);
  assert.equal(store.indexes[0]!.lookup(1), undefined);
  assert.equal(chainLength(busy), 2, 'the uncommitted version and the one below it');
  assert.equal(store.indexes[0]!.lookup(2), busy, 'older snapshots still find key 2');
  await tm.commit(w);
  vacuumTable(store, tm.horizon());
  assert.equal(store.indexes[0]!.lookup(2), undefined);
  assert.equal(store.indexes[0]!.lookup(3), busy);
  assert.equal(store.slots.length, 1, 'vacuumTable compacts');
});

test('a finished lock-only xmax is cleared; an active one is kept', async () => {
  const tm = manager();
  const store = uniqueTable();
  const t0 = begin(tm);
  const s0 = tm.statementSnapshot(t0);
  const a = store.insert(t0, s0.cmdId, [1, 'a']);
  const b = store.insert(t0, s0.cmdId, [2, 'b']);
  await tm.commit(t0);
  const l1 = begin(tm);
  const l1s = tm.statementSnapshot(l1);
  store.lock(l1, l1s, a, store.visible(a, l1s)!);
  await tm.commit(l1);
  const l2 = begin(tm);
  const l2s = tm.statementSnapshot(l2);
  store.lock(l2, l2s, b, store.visible(b, l2s)!);
  vacuumTable(store, tm.horizon());
  assert.equal(a.head!.xmax, null);
  assert.equal(b.head!.xmax, l2);
  assert.equal(b.head!.lockOnly, true);
  tm.abort(l2);
});

test('the manager runs GC every N commits over the slots those commits wrote', async () => {
  const tm = manager(4);
  const store = uniqueTable();
  const slot = await insertCommitted(tm, store, [1, 0]);
  for (let i = 1; i <= 3; i++) await update(tm, store, slot, [1, i]);
  assert.equal(chainLength(slot), 1, 'the 4th commit triggered GC');
  assert.ok(tm.lastVacuum !== null && tm.lastVacuum.versionsFreed === 3);
  await update(tm, store, slot, [1, 4]);
  assert.equal(chainLength(slot), 2);
  const stats = tm.vacuumNow();
  assert.equal(stats.slotsVisited, 1);
  assert.equal(chainLength(slot), 1);
});

/** A transaction that inserted 5,000 rows into one new table and 10 into another, not committed. */
function bulkInserts(tm: TxnManager) {
  const store = new TableStore(2);
  const other = new TableStore(3);
  const bulk = begin(tm);
  const cmd = tm.statementSnapshot(bulk).cmdId;
  const slots = Array.from({ length: 5000 }, (_, i) => store.insert(bulk, cmd, [i, 'x']));
  const few = Array.from({ length: 10 }, (_, i) => other.insert(bulk, cmd, [i, 'y']));
  return { store, other, bulk, slots, few };
}

test('a long log of inserts alone is collected at its commit without visiting its slots: its rows keep their transaction', async () => {
  const tm = manager();
  const { store, other, bulk, slots, few } = bulkInserts(tm);
  assert.ok(bulk.onlyInserts);
  assert.deepEqual(bulk.insertedTables, [store, other]);
  const before = tm.statementSnapshot(begin(tm));
  await tm.commit(bulk);
  assert.ok(tm.lastVacuum !== null, 'collected at this commit, not at the regular cadence');
  assert.equal(tm.lastVacuum.slotsVisited, 0, 'nothing to trim, nothing read again');
  // Another transaction is running (the snapshot above), so nothing packs yet.
  assert.equal(store.packedRows, 0);
  assert.ok(slots.every((s) => s.head!.xmin === bulk) && few.every((s) => s.head!.xmin === bulk), 'not frozen');
  // Visibility reads the committed transaction: a snapshot from before the commit does not see
  // the rows, one from after does.
  assert.equal(store.visible(slots[0]!, before), null);
  assert.equal(store.visible(slots[0]!, tm.statementSnapshot(begin(tm))), slots[0]);
});

test('a long log of inserts packs its tables once no transaction is running, and COUNT(*) freezes the rest', async () => {
  const tm = manager();
  const { store, other, bulk, slots } = bulkInserts(tm);
  await tm.commit(bulk);
  assert.equal(tm.lastVacuum?.slotsVisited, 0);
  // The table of the long log packed its complete chunks; the short table has none.
  assert.equal(store.packedRows, 4096);
  assert.deepEqual(store.hot, slots.slice(4096));
  assert.equal(other.packedRows, 0);
  assert.deepEqual(store.packed.flatMap((c) => Array.from({ length: c.length }, (_, i) => c.row(i))), slots.slice(0, 4096).map((s) => s.head!.values));
  // The slots left still name the transaction; a COUNT(*) walk freezes them as it counts.
  assert.ok(store.hot.every((s) => s.head!.xmin === bulk));
  const reader = begin(tm);
  assert.equal(store.countVisible(tm.statementSnapshot(reader), tm.horizon(), () => {}), 5000);
  assert.ok(store.hot.every((s) => s.head!.xmin === FROZEN_TXN));
});

test('a long log that also updated, deleted or locked is visited and frozen at collection', async () => {
  const tm = manager();
  const store = new TableStore(2);
  const bulk = begin(tm);
  const cmd = tm.statementSnapshot(bulk).cmdId;
  const slots = Array.from({ length: 3000 }, (_, i) => store.insert(bulk, cmd, [i, 'x']));
  const snap = tm.statementSnapshot(bulk);
  assert.ok(store.delete(bulk, snap, slots[0]!, store.visible(slots[0]!, snap)!));
  assert.equal(bulk.onlyInserts, false);
  await tm.commit(bulk);
  tm.vacuumNow();
  assert.equal(tm.lastVacuum?.slotsVisited, 3000);
  assert.ok(slots.slice(1).every((s) => s.head!.xmin === FROZEN_TXN));
  assert.equal(slots[0]!.head, null, 'the deleted row is freed');
});

test('a long log that deletes is left to the regular cadence: its commit does not collect it', async () => {
  const tm = manager(3);
  const store = uniqueTable();
  const load = begin(tm);
  const cmd = tm.statementSnapshot(load).cmdId;
  const slots = Array.from({ length: 2000 }, (_, i) => store.insert(load, cmd, [i, 'x']));
  await tm.commit(load);
  assert.ok(tm.lastVacuum !== null && tm.lastVacuum.slotsVisited === 0, 'the bulk load was collected at its commit (nothing to visit)');
  const del = begin(tm);
  const snap = tm.statementSnapshot(del);
  for (const slot of slots.slice(0, 1500)) assert.ok(store.delete(del, snap, slot, store.visible(slot, snap)!));
  const collected = tm.lastVacuum;
  await tm.commit(del);
  assert.equal(tm.lastVacuum, collected, 'the delete waits');
  assert.ok(slots[0]!.head !== null, 'its rows are not freed yet');
  assert.equal(store.indexes[0]!.lookup(0), slots[0], 'nor their index entries');
  await insertCommitted(tm, store, [5000, 'y']); // the 3rd commit: the cadence collects
  assert.equal(tm.lastVacuum?.rowsFreed, 1500);
  assert.ok(slots.slice(0, 1500).every((s) => s.head === null));
  assert.equal(store.indexes[0]!.lookup(0), undefined);
});

/** `n` committed rows of `store`, inserted by one transaction (a bulk load). */
async function load(tm: TxnManager, store: TableStore, n: number, from = 0): Promise<RowSlot[]> {
  const t = begin(tm);
  const cmd = tm.statementSnapshot(t).cmdId;
  const slots = Array.from({ length: n }, (_, i) => store.insert(t, cmd, [from + i, 'x']));
  await tm.commit(t);
  return slots;
}

async function deleteAll(tm: TxnManager, store: TableStore, slots: readonly RowSlot[]): Promise<void> {
  const del = begin(tm);
  const snap = tm.statementSnapshot(del);
  for (const slot of slots) assert.ok(store.delete(del, snap, slot, store.visible(slot, snap)!));
  await tm.commit(del);
}

test('with timers, a long deleting log waits past the cadence for an idle turn, retried while a transaction holds it back', async () => {
  const env = createSimEnv({ seed: 7 });
  const tm = new Manager({ clock: env.clock, timers: env.timers, gcEveryCommits: 2 });
  const store = uniqueTable();
  const slots = await load(tm, store, 3500);
  await deleteAll(tm, store, slots.slice(0, 1500)); // the 2nd commit: the cadence runs, without it
  assert.equal(tm.lastVacuum?.rowsFreed, 0);
  assert.ok(slots[0]!.head !== null);
  env.timers.advance(0);
  assert.equal(tm.lastVacuum?.rowsFreed, 1500, 'collected on the next turn');
  assert.ok(slots.slice(0, 1500).every((s) => s.head === null));
  const reader = begin(tm, 'repeatable read');
  tm.statementSnapshot(reader); // its snapshot holds the horizon below the next delete
  await deleteAll(tm, store, slots.slice(1500));
  env.timers.advance(0);
  assert.ok(slots[1500]!.head !== null, 'the running transaction still sees the rows');
  await tm.commit(reader);
  env.timers.advance(Limits.gcIdleRetryMs);
  assert.equal(tm.lastVacuum?.rowsFreed, 2000, 'collected on the retry');
  assert.equal(env.timers.pendingCount, 0, 'nothing left to retry');
  tm.stop();
});

test('deferred deleting logs are collected at a commit once they pile past the limit', async () => {
  const env = createSimEnv({ seed: 8 });
  const tm = new Manager({ clock: env.clock, timers: env.timers, gcEveryCommits: 1 });
  const store = new TableStore(1);
  const n = Limits.gcDeferredSlotsMax / 2;
  const a = await load(tm, store, n);
  await deleteAll(tm, store, a);
  assert.ok(a[0]!.head !== null, 'below the limit: deferred');
  const b = await load(tm, store, n, n);
  await deleteAll(tm, store, b); // the backlog reaches the limit: the next collection takes it all
  await load(tm, store, 1, 2 * n);
  assert.ok(a.every((s) => s.head === null) && b.every((s) => s.head === null));
  tm.stop();
  assert.equal(env.timers.pendingCount, 0, 'stop cancels the idle collection');
});

test('garbage of a dropped store is forgotten: collections visit only the other tables', async () => {
  const env = createSimEnv({ seed: 9 });
  const tm = new Manager({ clock: env.clock, timers: env.timers, gcEveryCommits: 100 });
  const dropped = new TableStore(1);
  const kept = new TableStore(2);
  const a = await load(tm, dropped, 1500);
  const b = await load(tm, kept, 1500);
  await deleteAll(tm, dropped, a.slice(0, 1200)); // long deleting logs: LARGE, deferred
  await deleteAll(tm, kept, b.slice(0, 1200));
  // A short log that deleted in both tables (SMALL, waiting for the cadence).
  const t = begin(tm);
  const snap = tm.statementSnapshot(t);
  assert.ok(dropped.delete(t, snap, a[1200]!, dropped.visible(a[1200]!, snap)!));
  assert.ok(kept.delete(t, snap, b[1200]!, kept.visible(b[1200]!, snap)!));
  await tm.commit(t);
  tm.forgetTables([dropped]);
  env.timers.advance(0);
  assert.equal(tm.lastVacuum?.slotsVisited, 1201, 'only the kept table\'s deleted slots');
  assert.equal(tm.lastVacuum?.rowsFreed, 1201);
  assert.ok(b.slice(0, 1201).every((s) => s.head === null));
  assert.ok(a.slice(0, 1201).every((s) => s.head !== null), 'the dropped store was not visited');
  tm.stop();
});

test('forgetting a dropped store takes its slots off the deferred backlog', async () => {
  const env = createSimEnv({ seed: 10 });
  const tm = new Manager({ clock: env.clock, timers: env.timers, gcEveryCommits: 1 });
  const dropped = new TableStore(1);
  const kept = new TableStore(2);
  const n = Limits.gcDeferredSlotsMax / 2;
  await deleteAll(tm, dropped, await load(tm, dropped, n));
  tm.forgetTables([dropped]);
  const b = await load(tm, kept, n);
  await deleteAll(tm, kept, b);
  await load(tm, kept, 1, n);
  // Counting the forgotten slots, the backlog would have reached the limit and been collected.
  assert.ok(b[0]!.head !== null, 'still below the limit: deferred');
  env.timers.advance(0);
  assert.ok(b.every((s) => s.head === null));
  tm.stop();
});

test('a long write log by table: slots in log order, insertsOnly only where the log never changed a row', () => {
  const [a, b, c] = [new TableStore(1), new TableStore(2), new TableStore(3)];
  const slot = (rowId: number): RowSlot => ({ rowId, head: null });
  const w = (table: TableStore, rowId: number, kind: number) => ({ table, slot: slot(rowId), kind });
  const log = [
    w(a, 1, WriteKind.INSERT), w(a, 2, WriteKind.INSERT), w(b, 1, WriteKind.INSERT),
    w(a, 3, WriteKind.INSERT), w(b, 2, WriteKind.DELETE), w(b, 3, WriteKind.INSERT),
    w(c, 1, WriteKind.INSERT), w(c, 1, WriteKind.UPDATE),
  ];
  const byTable = slotsByTable(log);
  assert.deepEqual(byTable.map((t) => [t.table, t.slots.map((s) => s.rowId), t.insertsOnly]),
    [[a, [1, 2, 3], true], [b, [1, 2, 3], false], [c, [1, 1], false]]);
});
