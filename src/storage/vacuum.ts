/**
 * Garbage collection of old versions. Given the horizon (the oldest commit seq any snapshot may
 * still use), a version is garbage once a newer version of its row was committed at or before the
 * horizon; a row is garbage once its deletion was. Surviving old versions are "frozen" (their
 * creator replaced by FROZEN_TXN) so finished transaction objects can be freed.
 *
 * Only slots written by transactions that committed at or before the horizon are visited, so the
 * work is proportional to the writes, not to the table size.
 */
import { FROZEN_TXN, WriteKind } from '../txn/txn.ts';
import { chainHasKey, storedEntryOf } from './row-index.ts';
import type { TableStore } from './table-store.ts';
import { committedBy, foldIntoSlot, releaseVersion, type RowSlot, type Version } from './version.ts';

export interface VacuumStats {
  readonly slotsVisited: number;
  readonly versionsFreed: number;
  readonly rowsFreed: number;
}

/** A slot to visit and the table it belongs to (a transaction's WriteEntry is one). */
export interface SlotRef {
  readonly table: TableStore;
  readonly slot: RowSlot;
}

/** Slots of one table: the compact form of a large write log. */
export interface TableSlots {
  readonly table: TableStore;
  readonly slots: readonly RowSlot[];
  /** The log only inserted into this table (a bulk load or an append): its rows may be packed. */
  readonly insertsOnly?: boolean;
}

/** What GC visits for one committed transaction: its write log, or that log by table. */
export type GcBatch = readonly SlotRef[] | TableSlots;

/**
 * Removes the index entries of `dropped`, a version leaving `slot`'s chain, except the keys a
 * version still in the chain also has (they share the entry).
 */
function dropEntries(table: TableStore, slot: RowSlot, dropped: Version): void {
  const values = dropped.values;
  for (const index of table.indexes) {
    const key = storedEntryOf(index, values);
    if (key !== null && !chainHasKey(slot, index, key)) index.remove(key, slot, values);
  }
}

/** Set in vacuumSlot's result when the row itself was freed; the rest counts freed versions. */
const ROW_FREED = 1;

/** Trims one chain; returns versionsFreed * 2, plus ROW_FREED when the row was freed. */
function vacuumSlot(table: TableStore, slot: RowSlot, horizon: number): number {
  let v: Version | null = slot.head;
  while (v !== null) {
    const x = v.xmin;
    if (committedBy(x, horizon)) break;
    v = v.prev;
  }
  if (v === null) return 0;
  // `v` is what every snapshot at or after the horizon sees; older versions are unreachable.
  const firstOld = v.prev;
  v.prev = null;
  if (v.xmin !== FROZEN_TXN) v.xmin = FROZEN_TXN;
  const x = v.xmax;
  let rowFreed = false;
  if (x !== null) {
    if (v.lockOnly) {
      if (!x.isActive) { v.xmax = null; v.lockOnly = false; }
    } else if (committedBy(x, horizon) && slot.head === v) {
      table.vm.touch(slot);
      slot.head = null;
      rowFreed = true;
      table.deadSlots++;
    }
  }
  // The dropped versions: `v` itself when the row is freed, then the chain below it. Walked in
  // place rather than gathered into an array: an UPDATE's commit drops one version, and an array
  // for it was most of what a single-row update's garbage collection allocated.
  let freed = 0;
  for (let d: Version | null = rowFreed ? v : firstOld; d !== null;) {
    const next: Version | null = d === v ? firstOld : d.prev;
    dropEntries(table, slot, d);
    releaseVersion(d);
    freed++;
    d = next;
  }
  // The slot's own version was the chain's oldest, so it is released by now: take in the survivor.
  if (!rowFreed && slot.head === v && v.prev === null && v.xmax === null) foldIntoSlot(slot, v);
  return freed * 2 + (rowFreed ? ROW_FREED : 0);
}

/**
 * Trims the chains of the batches' slots. With `pack` (TxnManager.mayPackRows), a table that a
 * large write log (a TableSlots batch) only inserted into then packs its leading cold rows
 * (packCold).
 */
export function vacuumSlots(batches: readonly GcBatch[], horizon: number, pack = false): VacuumStats {
  let slotsVisited = 0;
  let versionsFreed = 0;
  let rowsFreed = 0;
  const touched = new Set<TableStore>();
  const bulk = new Set<TableStore>();
  const visit = (table: TableStore, slot: RowSlot): void => {
    if (slot.head === null) return;
    slotsVisited++;
    const r = vacuumSlot(table, slot, horizon);
    versionsFreed += r >> 1;
    rowsFreed += r & ROW_FREED;
  };
  for (const batch of batches) {
    if (isSlotRefs(batch)) {
      for (let i = 0; i < batch.length; i++) {
        const { table, slot } = batch[i]!;
        touched.add(table);
        visit(table, slot);
      }
    } else {
      touched.add(batch.table);
      // A table a large log updated or deleted in is being worked on: packing it now would only
      // be undone by its next write (each one unpacks the whole table). VACUUM still packs it.
      if (batch.insertsOnly === true) bulk.add(batch.table);
      for (const slot of batch.slots) visit(batch.table, slot);
    }
  }
  for (const table of touched) {
    if (table.deadSlots > 64 && table.deadSlots * 4 > table.hot.length) table.compact();
  }
  if (pack) for (const table of bulk) table.packCold(horizon);
  return { slotsVisited, versionsFreed, rowsFreed };
}

/**
 * Full pass over a table (VACUUM t): every slot, not only recently written ones; then, with
 * `pack`, packs its leading cold rows.
 */
export function vacuumTable(table: TableStore, horizon: number, pack = false): VacuumStats {
  const stats = vacuumSlots([{ table, slots: table.hot.slice() }], horizon, false);
  table.compact();
  if (pack) table.packCold(horizon);
  return stats;
}

/** True for a write log (slot by slot), false for slots by table. */
export function isSlotRefs(b: GcBatch): b is readonly SlotRef[] {
  return Array.isArray(b);
}

/** A large write log by table, without its entries (what GC needs of it is table and slot). */
export function slotsByTable(writes: readonly (SlotRef & { readonly kind?: number })[]): TableSlots[] {
  const byTable = new Map<TableStore, RowSlot[]>();
  const changed = new Set<TableStore>();
  // Entries come in runs of one table (a statement writes one table at a time): look a table up
  // when the run changes, not once per entry.
  let table: TableStore | null = null;
  let list: RowSlot[] = [];
  let inserting = true;
  for (let i = 0; i < writes.length; i++) {
    const w = writes[i]!;
    if (w.table !== table) {
      if (!inserting) changed.add(table!);
      table = w.table;
      const known = byTable.get(table);
      if (known === undefined) byTable.set(table, (list = []));
      else list = known;
      inserting = true;
    }
    list.push(w.slot);
    if (w.kind !== WriteKind.INSERT) inserting = false;
  }
  if (!inserting) changed.add(table!);
  return [...byTable].map(([t, slots]) => ({ table: t, slots, insertsOnly: !changed.has(t) }));
}
