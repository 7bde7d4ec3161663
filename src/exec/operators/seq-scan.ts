/**
 * Sequential scan: visits every row slot of a table and emits the version visible to the
 * statement's snapshot (or an AS OF snapshot). Emits stored arrays as they are (no copy) unless the
 * row predates added columns, in which case it is widened with their missing values.
 */
import type { SeqScanNode } from '../../plan/plan-nodes.ts';
import type { Row } from '../../storage/version.ts';
import { visibleVersion } from '../../storage/version.ts';
import type { Snapshot } from '../../txn/txn.ts';
import { compilePredicate } from '../compile-expr.ts';
import type { ExecContext } from '../exec-context.ts';
import { BATCH_ROWS, type Operator } from '../operator.ts';
import { widenRow } from './widen-row.ts';
import { asOfSnapshot } from './as-of.ts';
import { withRowRef } from '../row-ref.ts';
import { PENDING } from '../interrupts.ts';
import type { RowSlot } from '../../storage/version.ts';

export class SeqScanOperator implements Operator {
  private readonly node: SeqScanNode;
  private readonly ctx: ExecContext;
  private readonly snapshot: Snapshot;
  private readonly filter: ((row: Row, ctx: ExecContext) => boolean) | null;
  private readonly width: number;
  private pos = 0;
  /** Rows the consumer discards anyway (Operator.skipRows); null when it gave no test. */
  private skip: ((row: Row) => boolean) | null = null;
  /**
   * The last slot visited and the last one holding a version this scan saw: when the statement
   * yielded (interrupts.ts) a commit may have compacted the slot array meanwhile; a slot with a
   * version visible to this snapshot is never removed, so the scan finds its place again by it.
   */
  private lastSlot: RowSlot | null = null;
  private lastSeen: RowSlot | null = null;

  constructor(node: SeqScanNode, ctx: ExecContext) {
    this.node = node;
    this.ctx = ctx;
    this.snapshot = node.asOf ? asOfSnapshot(node.asOf, ctx) : ctx.snapshot;
    this.filter = node.filter ? compilePredicate(node.filter) : null;
    this.width = node.table.nextAttnum;
    const reads = ctx.txn.reads;
    if (reads !== null && node.asOf === null) reads.scannedTables.add(node.table.store);
  }

  next(): Row[] | null {
    const store = this.node.table.store;
    const slots = store.slots;
    const snap = this.snapshot;
    const filter = this.filter;
    const ctx = this.ctx;
    const width = this.width;
    const ix = ctx.interrupts;
    if (ix.takeYield()) return PENDING;
    let pos = this.pos;
    if (pos > 0 && pos <= slots.length && slots[pos - 1] !== this.lastSlot) pos = this.refind(slots);
    let slot: RowSlot | null = null;
    let lastSeen: RowSlot | null = null;
    let yielded = false;
    const { lockRows, emitRef } = this.node;
    const skip = this.skip;
    const end = slots.length;
    // The batch is allocated at the most it can hold and trimmed after: grown by push it was
    // reallocated about nine times on its way to 1,024 rows (26 kB of garbage per batch).
    const room = Math.max(0, Math.min(BATCH_ROWS, end - pos));
    const out: Row[] = new Array(room);
    let k = 0;
    while (pos < end && k < room) {
      if (ix.tickDue() && k === 0 && ix.takeYield()) { yielded = true; break; }
      slot = slots[pos++]!;
      const v = visibleVersion(slot, snap);
      if (v === null) continue;
      lastSeen = slot;
      let row = v.values;
      if (row.length < width) row = widenRow(row, this.node.table);
      if (filter !== null && !filter(row, ctx)) continue;
      if (skip !== null && skip(row)) continue;
      if (lockRows) store.lock(ctx.txn, snap, slot, v);
      out[k++] = emitRef ? withRowRef(row, width, slot, v) : row;
    }
    this.pos = pos;
    if (lastSeen !== null) this.lastSeen = lastSeen;
    if (slot !== null) this.lastSlot = slot;
    if (yielded) return PENDING;
    if (k === 0) return pos >= slots.length ? null : this.next();
    if (k < room) out.length = k;
    return out;
  }

  /** Rows that lock or carry a RowRef are for a writer above, which must see every one. */
  skipRows(skip: (row: Row) => boolean): boolean {
    if (this.node.lockRows || this.node.emitRef) return false;
    this.skip = skip;
    return true;
  }

  /** A plain scan from the start counts through the table's visibility map (COUNT(*)). */
  countRows(): number | null {
    const node = this.node;
    // AS OF snapshots may be older than the horizon the count freezes at.
    if (this.pos !== 0 || this.filter !== null || this.skip !== null || node.lockRows || node.emitRef || node.asOf !== null) return null;
    const ctx = this.ctx;
    const ix = ctx.interrupts;
    const snap = this.snapshot;
    const horizon = Math.min(ctx.txnManager.horizon(), snap.seq);
    const n = node.table.store.countVisible(snap, horizon, (rows) => { ix.tickRows(rows); });
    this.pos = Number.MAX_SAFE_INTEGER;
    return n;
  }

  /** Position after `lastSeen` in a compacted slot array (order is kept by compaction). */
  private refind(slots: readonly RowSlot[]): number {
    const seen = this.lastSeen;
    if (seen === null) return 0;
    for (let i = Math.min(this.pos, slots.length) - 1; i >= 0; i--) if (slots[i] === seen) return i + 1;
    return 0;
  }

  close(): void {
    this.pos = Number.MAX_SAFE_INTEGER;
  }
}
