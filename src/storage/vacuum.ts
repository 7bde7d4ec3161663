/**
 * Garbage collection of old versions. Given the horizon (the oldest commit seq any snapshot may
 * still use), a version is garbage once a newer version of its row was committed at or before the
 * horizon; a row is garbage once its deletion was. Surviving old versions are "frozen" (their
 * creator replaced by FROZEN_TXN) so finished transaction objects can be freed.
 *
 * Only slots written by transactions that committed at or before the horizon are visited, so the
 * work is proportional to the writes, not to the table size.
 */
import { FROZEN_TXN, TxnState } from '../txn/txn.ts';
import { storedEntryOf, type TableStore } from './table-store.ts';
import type { RowSlot, Version } from './version.ts';

export interface VacuumStats {
  readonly slotsVisited: number;
  readonly versionsFreed: number;
  readonly rowsFreed: number;
}

function committedBy(seq: number, horizon: number): boolean {
  return seq !== 0 && seq <= horizon;
}

/** Trims one chain; returns [versionsFreed, rowFreed]. */
function vacuumSlot(table: TableStore, slot: RowSlot, horizon: number): [number, boolean] {
  let v: Version | null = slot.head;
  while (v !== null) {
    const x = v.xmin;
    if (x.state === TxnState.COMMITTED && committedBy(x.commitSeq, horizon)) break;
    v = v.prev;
  }
  if (v === null) return [0, false];
  // `v` is what every snapshot at or after the horizon sees; older versions are unreachable.
  let freed = 0;
  const dropped: Version[] = [];
  for (let old = v.prev; old !== null; old = old.prev) {
    dropped.push(old);
    freed++;
  }
  v.prev = null;
  if (v.xmin !== FROZEN_TXN) v.xmin = FROZEN_TXN;
  const x = v.xmax;
  let rowFreed = false;
  if (x !== null) {
    if (v.lockOnly) {
      if (!x.isActive) { v.xmax = null; v.lockOnly = false; }
    } else if (x.state === TxnState.COMMITTED && committedBy(x.commitSeq, horizon) && slot.head === v) {
      slot.head = null;
      dropped.push(v);
      freed++;
      rowFreed = true;
      table.deadSlots++;
    }
  }
  if (dropped.length > 0) {
    for (const index of table.indexes) {
      for (const d of dropped) {
        const key = storedEntryOf(index, d.values);
        if (key === null) continue;
        let kept = false;
        for (let c = slot.head; c !== null; c = c.prev) {
          if (storedEntryOf(index, c.values) === key) { kept = true; break; }
        }
        if (!kept) index.remove(key, slot, d.values);
      }
    }
  }
  return [freed, rowFreed];
}

export function vacuumSlots(batches: Map<TableStore, RowSlot[]>[], horizon: number): VacuumStats {
  let slotsVisited = 0;
  let versionsFreed = 0;
  let rowsFreed = 0;
  const touched = new Set<TableStore>();
  for (const batch of batches) {
    for (const [table, slots] of batch) {
      touched.add(table);
      for (const slot of slots) {
        if (slot.head === null) continue;
        slotsVisited++;
        const [freed, rowFreed] = vacuumSlot(table, slot, horizon);
        versionsFreed += freed;
        if (rowFreed) rowsFreed++;
      }
    }
  }
  for (const table of touched) {
    if (table.deadSlots > 64 && table.deadSlots * 4 > table.slots.length) table.compact();
  }
  return { slotsVisited, versionsFreed, rowsFreed };
}

/** Full pass over a table (VACUUM t): every slot, not only recently written ones. */
export function vacuumTable(table: TableStore, horizon: number): VacuumStats {
  const stats = vacuumSlots([new Map([[table, table.slots.slice()]])], horizon);
  table.compact();
  return stats;
}
