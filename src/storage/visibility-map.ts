/**
 * The visibility map of a table store: for each chunk of row ids, whether every row in it is
 * visible to every snapshot, and then how many rows the chunk holds. PostgreSQL keeps a bit per
 * heap page for the same purpose (index-only scans, VACUUM); here it lets COUNT(*) add up whole
 * chunks instead of checking each row's versions, which costs a pointer chase per row.
 *
 * A chunk is all-visible when each of its slots has a head version that is frozen (created by
 * FROZEN_TXN, see vacuum.ts) and not deleted or locked: such a version is the one every snapshot
 * sees, including AS OF snapshots, which never reach back past the last vacuum horizon.
 *
 * Invariants:
 * - Slots are kept in row-id order (TableStore.restoreSlot keeps recovery's out-of-order commits
 *   sorted), so a chunk's slots are one run of consecutive positions.
 * - A known count is only ever stale towards "unknown": every write to a slot (insert, update,
 *   delete, row lock, undo, row freed) forgets its chunk first. Changes that only make rows more
 *   visible (freezing, clearing a finished lock) leave the map alone; the next count that walks
 *   the chunk records it again.
 * - Recovery rebuilds chains before any session runs, while the map is still empty.
 */
import { FROZEN_TXN } from '../txn/txn.ts';
import type { RowSlot } from './version.ts';

/** Row ids per chunk: 1 << CHUNK_SHIFT. */
const CHUNK_SHIFT = 10;

/** Marks a chunk whose rows have not all been seen all-visible since its last write. */
const UNKNOWN = -1;

export class VisibilityMap {
  /** Per chunk: its number of slots while all are all-visible, else UNKNOWN. */
  private counts: number[] = [];

  /** The chunk of a row id. */
  static chunkOf(rowId: number): number {
    return rowId >>> CHUNK_SHIFT;
  }

  /** The chunk's row count when all its rows are all-visible, else -1. */
  allVisibleCount(chunk: number): number {
    return chunk < this.counts.length ? this.counts[chunk]! : UNKNOWN;
  }

  /** Records that the `count` slots of `chunk` are all all-visible. */
  setAllVisible(chunk: number, count: number): void {
    const counts = this.counts;
    while (counts.length <= chunk) counts.push(UNKNOWN);
    counts[chunk] = count;
  }

  /** Forgets what is known of `chunk` (its rows were packed: none of its slots remain). */
  forget(chunk: number): void {
    if (chunk < this.counts.length) this.counts[chunk] = UNKNOWN;
  }

  /** Forgets the chunk of a slot that is about to change. */
  touch(slot: RowSlot): void {
    const c = VisibilityMap.chunkOf(slot.rowId);
    if (c < this.counts.length) this.counts[c] = UNKNOWN;
  }

  /**
   * Verifies the header's invariants against the slots (row-id order, and every known chunk all
   * frozen, live and unlocked, with its count); throws on the first breach. For tests.
   */
  checkIntegrity(slots: readonly RowSlot[]): void {
    const seen = new Map<number, number>();
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i]!;
      if (i > 0 && slots[i - 1]!.rowId >= slot.rowId) throw new Error(`visibility map: slots out of row-id order at ${i}`);
      const c = VisibilityMap.chunkOf(slot.rowId);
      seen.set(c, (seen.get(c) ?? 0) + 1);
      if (this.allVisibleCount(c) < 0) continue;
      const h = slot.head;
      if (h === null || h.xmin !== FROZEN_TXN || h.xmax !== null) throw new Error(`visibility map: row ${slot.rowId} of all-visible chunk ${c} is not`);
    }
    for (let c = 0; c < this.counts.length; c++) {
      const k = this.counts[c]!;
      if (k >= 0 && k !== (seen.get(c) ?? 0)) throw new Error(`visibility map: chunk ${c} counted ${k} rows, holds ${seen.get(c) ?? 0}`);
    }
  }
}
