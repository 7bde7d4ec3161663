/**
 * What committed transactions left for garbage collection, waiting for the horizon to pass them,
 * sorted by how soon it is worth collecting (GcKind). The transaction manager decides when to
 * collect which kinds (txn-manager.ts, scheduleGc); vacuum.ts does the collecting.
 */
import type { TableStore } from '../storage/table-store.ts';
import { isSlotRefs, slotsByTable, type GcBatch, type TableSlots } from '../storage/vacuum.ts';
import type { RowSlot } from '../storage/version.ts';
import type { WriteEntry } from './txn.ts';

/**
 * Write logs at least this long are kept for GC as slot lists by table rather than as their
 * entries: a bulk load's million entries would otherwise stay alive until the next collection.
 */
export const COMPACT_WRITES = 1024;

const NO_SLOTS: readonly RowSlot[] = Object.freeze([]);

/** Kinds of pending garbage, as bits so a collection can ask for several. */
export const GcKind = {
  /** A short write log: collected with the regular cadence (every few dozen commits). */
  SMALL: 1,
  /**
   * A long log that only inserted into some table: collected as soon as the horizon passes it,
   * so its rows freeze and pack (TableStore.packCold) instead of surviving as slots into the old
   * generation.
   */
  BULK_LOAD: 2,
  /**
   * A long log that updated or deleted (a big DELETE): collected when the process is idle, as
   * PostgreSQL leaves it to a later (auto)vacuum, unless too much of it piles up.
   */
  LARGE: 4,
} as const;
export type GcKind = (typeof GcKind)[keyof typeof GcKind];
export const ALL_GC_KINDS = GcKind.SMALL | GcKind.BULK_LOAD | GcKind.LARGE;

interface PendingGc {
  readonly seq: number;
  /** The committed transaction's write log, or (a long one) its slots by table. */
  batches: readonly GcBatch[];
  readonly kind: GcKind;
  /** Slots the entry holds (a short log's entries); the LARGE backlog counts them. */
  slots: number;
}

export class GcQueue {
  private pending: PendingGc[] = [];
  /** Pending BULK_LOAD entries. */
  private bulkLoads = 0;
  /** Slots of the pending LARGE entries. */
  private largeSlots = 0;

  /** Queues commit `seq`'s write log (non-empty; the queue keeps a short one as it is). */
  add(seq: number, writes: readonly WriteEntry[]): GcKind {
    if (writes.length < COMPACT_WRITES) {
      this.pending.push({ seq, batches: [writes], kind: GcKind.SMALL, slots: writes.length });
      return GcKind.SMALL;
    }
    const byTable = slotsByTable(writes);
    const kind = byTable.some((b) => b.insertsOnly === true) ? GcKind.BULK_LOAD : GcKind.LARGE;
    this.pending.push({ seq, batches: byTable, kind, slots: writes.length });
    if (kind === GcKind.BULK_LOAD) this.bulkLoads++;
    else this.largeSlots += writes.length;
    return kind;
  }

  /**
   * Queues a long log (at least COMPACT_WRITES entries) that only inserted, into `tables`, as
   * BULK_LOAD without its slots: there is nothing in it to trim, and its rows need no freezing
   * for anyone to see them (visibility reads the committed transaction), so collecting it only
   * packs those tables. Reading the log again to list and freeze its slots, two passes over rows
   * long promoted to the old generation, took 2-3.5 ms of a 25,000-row commit into an indexed
   * table. The rows keep their transaction until a COUNT(*) walk, a VACUUM or a write freezes
   * them.
   */
  addInserts(seq: number, tables: readonly TableStore[]): void {
    const batches: TableSlots[] = tables.map((table) => ({ table, slots: NO_SLOTS, insertsOnly: true }));
    this.pending.push({ seq, batches, kind: GcKind.BULK_LOAD, slots: 0 });
    this.bulkLoads++;
  }

  /** Queues garbage recovery found (replayed transactions still inside the retained history). */
  restore(seq: number, batches: readonly GcBatch[]): void {
    this.pending.push({ seq, batches, kind: GcKind.SMALL, slots: 0 });
  }

  get hasBulkLoads(): boolean {
    return this.bulkLoads > 0;
  }

  get hasLarge(): boolean {
    return this.largeSlots > 0;
  }

  /** Slots of the LARGE entries not collected yet. */
  get largeBacklog(): number {
    return this.largeSlots;
  }

  /** Removes and returns, in commit order, the batches of entries at or below `horizon` of the `kinds`. */
  take(horizon: number, kinds: number): GcBatch[] {
    const ready: GcBatch[] = [];
    const rest: PendingGc[] = [];
    for (const p of this.pending) {
      if (p.seq > horizon || (p.kind & kinds) === 0) {
        rest.push(p);
        continue;
      }
      for (const b of p.batches) ready.push(b);
      if (p.kind === GcKind.BULK_LOAD) this.bulkLoads--;
      else if (p.kind === GcKind.LARGE) this.largeSlots -= p.slots;
    }
    if (ready.length > 0) this.pending = rest;
    return ready;
  }

  /**
   * Forgets the garbage of `stores`, whose tables a committed DROP (or rewrite) took out of the
   * catalog. Trimming their chains would free nothing that does not go with the store, while the
   * queue holding their slots keeps every row of them alive: with LARGE logs waiting for an idle
   * moment that a busy loop never gives, dropped tables piled up in memory. Skipping GC is always
   * safe: it only ever trims what no snapshot sees.
   */
  forgetTables(stores: readonly TableStore[]): void {
    const gone = new Set(stores);
    let kept = 0;
    for (const p of this.pending) {
      const batches: GcBatch[] = [];
      let changed = false;
      for (const b of p.batches) {
        if (isSlotRefs(b)) {
          // A short write log as its transaction left it, which may have written several tables.
          if (!b.some((w) => gone.has(w.table))) batches.push(b);
          else {
            changed = true;
            const rest = b.filter((w) => !gone.has(w.table));
            if (rest.length > 0) batches.push(rest);
          }
        } else if (gone.has(b.table)) changed = true;
        else batches.push(b);
      }
      if (changed) {
        const slots = batchSlots(batches);
        if (p.kind === GcKind.LARGE) this.largeSlots -= p.slots - slots;
        p.batches = batches;
        p.slots = slots;
      }
      if (batches.length === 0) {
        if (p.kind === GcKind.BULK_LOAD) this.bulkLoads--;
        continue;
      }
      this.pending[kept++] = p;
    }
    this.pending.length = kept;
  }

  clear(): void {
    this.pending = [];
    this.bulkLoads = 0;
    this.largeSlots = 0;
  }
}

function batchSlots(batches: readonly GcBatch[]): number {
  let n = 0;
  for (const b of batches) n += isSlotRefs(b) ? b.length : b.slots.length;
  return n;
}
