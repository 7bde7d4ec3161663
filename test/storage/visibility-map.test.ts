/**
 * The visibility map (src/storage/visibility-map.ts): COUNT(*) through it must equal counting the
 * rows each snapshot sees, whatever the mix of concurrent writes, aborts, row locks, old snapshots
 * and vacuums; recovery keeps slots in row-id order; and COUNT(*) in SQL agrees with a count that
 * reads every row.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Oxibase } from '../../src/index.ts';
import { TableStore } from '../../src/storage/table-store.ts';
import { newVersion, type RowSlot } from '../../src/storage/version.ts';
import { vacuumTable } from '../../src/storage/vacuum.ts';
import { FROZEN_TXN, type Snapshot, type Txn } from '../../src/txn/txn.ts';
import { LockWait } from '../../src/txn/lock-wait.ts';
import { DbError } from '../../src/errors/index.ts';
import type { Session } from '../../src/engine/session.ts';
import { begin, manager, rows, uniqueTable } from './helpers.ts';
import type { TxnManager } from '../../src/txn/txn-manager.ts';

const noPoll = (): void => {};

/** A small deterministic generator (the test must replay the same way). */
function lcg(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
}

/** A table of `rows` rows (keys 0..rows-1) inserted by one committed transaction. */
async function loaded(rows: number): Promise<{ tm: TxnManager; store: TableStore }> {
  const tm = manager();
  const store = uniqueTable();
  const t0 = begin(tm);
  const cmd = tm.statementSnapshot(t0).cmdId;
  for (let i = 0; i < rows; i++) store.insert(t0, cmd, [i, 0]);
  await tm.commit(t0);
  return { tm, store };
}

test('countVisible equals the rows each snapshot sees under random concurrent writes and vacuums', async () => {
  for (const seed of [1, 2, 3]) {
    const rnd = lcg(seed);
    // Enough rows for several chunks, loaded and frozen so most chunks start all-visible.
    const { tm, store } = await loaded(5000);
    // Seed 1 leaves the load to be frozen by the counts themselves.
    if (seed !== 1) vacuumTable(store, tm.horizon());
    let nextKey = 5000;
    const open: { txn: Txn; snap: Snapshot }[] = [];
    const count = (snap: Snapshot): number => store.countVisible(snap, Math.min(tm.horizon(), snap.seq), noPoll);
    const check = (): void => {
      store.vm.checkIntegrity(store.slots);
      for (const o of open) {
        // A READ COMMITTED statement takes a new snapshot; a REPEATABLE READ one keeps its own.
        const snap = o.txn.isolation === 'read committed' ? tm.statementSnapshot(o.txn) : o.snap;
        assert.equal(count(snap), rows(store, snap).length, `seed ${seed}`);
      }
      const r = begin(tm);
      const s = tm.statementSnapshot(r);
      assert.equal(count(s), rows(store, s).length, `seed ${seed}`);
      tm.abort(r);
    };
    check();
    for (let step = 0; step < 400; step++) {
      const op = rnd(10);
      if (op < 2 || open.length === 0) {
        const txn = begin(tm, rnd(2) === 0 ? 'read committed' : 'repeatable read');
        open.push({ txn, snap: tm.statementSnapshot(txn) });
      } else if (op < 7) {
        const o = open[rnd(open.length)]!;
        o.snap = tm.statementSnapshot(o.txn);
        const slot = store.slots[rnd(store.slots.length)]!;
        try {
          const seen = store.visible(slot, o.snap);
          const kind = rnd(4);
          if (kind === 0) store.insert(o.txn, o.snap.cmdId, [nextKey++, step]);
          else if (seen === null) continue;
          else if (kind === 1) store.update(o.txn, o.snap, slot, seen, [seen.values[0], step]);
          else if (kind === 2) store.delete(o.txn, o.snap, slot, seen);
          else store.lock(o.txn, o.snap, slot, seen);
        } catch (e) {
          if (!(e instanceof LockWait) && !(e instanceof DbError)) throw e;
        }
        o.snap = tm.statementSnapshot(o.txn);
      } else if (op < 9) {
        const o = open.splice(rnd(open.length), 1)[0]!;
        if (rnd(3) === 0) tm.abort(o.txn);
        else {
          try {
            await tm.commit(o.txn);
          } catch (e) {
            if (!(e instanceof DbError)) throw e;
          }
        }
      } else {
        vacuumTable(store, tm.horizon());
      }
      check();
    }
    for (const o of open) tm.abort(o.txn);
    vacuumTable(store, tm.horizon());
    open.length = 0;
    check();
  }
});

test('a count freezes what vacuum would; a write forgets its chunk and the next count walks it again', async () => {
  const { tm, store } = await loaded(3000);
  const reader = (): Snapshot => tm.statementSnapshot(begin(tm));
  const count = (snap: Snapshot): number => store.countVisible(snap, Math.min(tm.horizon(), snap.seq), noPoll);
  assert.equal(count(reader()), 3000);
  assert.equal(store.vm.allVisibleCount(0), 1024, 'the walk froze the committed load and recorded the chunk');
  assert.equal(store.slots[0]!.head!.xmin, FROZEN_TXN);
  const w = begin(tm);
  const ws = tm.statementSnapshot(w);
  const slot = store.slots[10]!;
  store.delete(w, ws, slot, store.visible(slot, ws)!);
  assert.equal(store.vm.allVisibleCount(0), -1);
  assert.equal(count(reader()), 3000, 'an uncommitted delete is not seen by others');
  assert.equal(count(tm.statementSnapshot(w)), 2999, 'but by its own transaction');
  await tm.commit(w);
  assert.equal(count(reader()), 2999);
});

test('recovery keeps slots in row-id order when commits replay out of insert order', () => {
  const store = new TableStore(1);
  const ids = [0, 1, 3, 2, 4, 7, 5, 6];
  const slots: RowSlot[] = [];
  for (const id of ids) slots.push(store.restoreSlot(id, newVersion([id], FROZEN_TXN, 0, null)));
  assert.deepEqual(store.slots.map((s) => s.rowId), [0, 1, 2, 3, 4, 5, 6, 7]);
});

test('COUNT(*) agrees with a count that reads every row, across sessions and transactions', async () => {
  const db = await Oxibase.open('memory://');
  try {
    await db.exec('create table t (id int primary key, k int)');
    await db.exec('insert into t select g, g % 10 from generate_series(1, 20000) g');
    const full = 'select coalesce(sum(1), 0)::int8 as n from t';
    const counts = async (s: Session): Promise<[unknown, unknown]> => {
      const [a] = await s.execute('select count(*) from t');
      const [b] = await s.execute(full);
      return [a!.rows![0]![0], b!.rows![0]![0]];
    };
    const a = db.engine.newSession();
    const b = db.engine.newSession();
    assert.deepEqual(await counts(a), [20000, 20000]);
    await a.execute('begin');
    await a.execute('delete from t where k = 3');
    await a.execute('insert into t values (30001, 1), (30002, 2)');
    assert.deepEqual(await counts(a), [18002, 18002], 'its own writes');
    assert.deepEqual(await counts(b), [20000, 20000], 'not another session\'s uncommitted ones');
    await b.execute('begin isolation level repeatable read');
    assert.deepEqual(await counts(b), [20000, 20000]);
    await a.execute('commit');
    await a.execute('vacuum t');
    assert.deepEqual(await counts(b), [20000, 20000], 'a repeatable-read snapshot keeps its count');
    await b.execute('commit');
    assert.deepEqual(await counts(b), [18002, 18002]);
    await a.execute('begin');
    await a.execute('update t set k = k + 1 where id <= 5000');
    await a.execute('rollback');
    assert.deepEqual(await counts(a), [18002, 18002]);
  } finally {
    await db.close();
  }
});
