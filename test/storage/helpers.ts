/**
 * Storage test fixtures: a transaction manager on a simulated clock and a table store with an
 * optional unique hash index on column 0, driven directly (no SQL).
 */
import { createSimEnv } from '../../src/env/index.ts';
import { TxnManager } from '../../src/txn/txn-manager.ts';
import type { Snapshot, Txn, IsolationLevel } from '../../src/txn/txn.ts';
import { TableStore } from '../../src/storage/table-store.ts';
import { HashIndex } from '../../src/storage/row-index.ts';
import { visibleVersion, type Row, type RowSlot } from '../../src/storage/version.ts';

export function manager(gcEveryCommits = 1_000_000): TxnManager {
  return new TxnManager({ clock: createSimEnv({ seed: 1 }).clock, gcEveryCommits });
}

export function uniqueTable(): TableStore {
  const store = new TableStore(1);
  const index = new HashIndex('t_pkey', true, (row) => (row[0] === null ? null : (row[0] as number)));
  store.setIndexes([index], [{ index, constraintName: 't_pkey', describe: (row) => `(id)=(${String(row[0])})` }]);
  return store;
}

export function begin(tm: TxnManager, iso: IsolationLevel = 'read committed'): Txn {
  return tm.begin(iso, false);
}

/** The rows `snap` sees, in slot order. */
export function rows(store: TableStore, snap: Snapshot): Row[] {
  const out: Row[] = [];
  for (const slot of store.slots) {
    const v = visibleVersion(slot, snap);
    if (v !== null) out.push(v.values);
  }
  return out;
}

export function chainLength(slot: RowSlot): number {
  let n = 0;
  for (let v = slot.head; v !== null; v = v.prev) n++;
  return n;
}
