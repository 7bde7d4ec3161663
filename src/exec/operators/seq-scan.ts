/**
 * Sequential scan: reads a table's packed rows (storage/packed-chunk.ts), which every snapshot
 * sees, then visits its row slots and emits the version visible to the statement's snapshot (or an
 * AS OF snapshot). Emits stored arrays as they are (no copy) unless the row predates added columns,
 * in which case it is widened with their missing values; packed rows come as fresh arrays holding
 * the columns the plan reads (src/plan/scan-columns.ts), NULL in the others.
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
import { firstAbove, type PackedChunk } from '../../storage/packed-chunk.ts';
import { columnMask, scanColumns } from '../../plan/scan-columns.ts';
import { PackedPrefilter } from './packed-prefilter.ts';

export class SeqScanOperator implements Operator {
  private readonly node: SeqScanNode;
  private readonly ctx: ExecContext;
  private readonly snapshot: Snapshot;
  private readonly filter: ((row: Row, ctx: ExecContext) => boolean) | null;
  private readonly width: number;
  /** Rows the consumer discards anyway (Operator.skipRows); null when it gave no test. */
  private skip: ((row: Row) => boolean) | null = null;
  /** Whether rows go to a writer above (locked or carrying a RowRef): they need their slots. */
  private readonly needSlots: boolean;
  /**
   * Where the scan stands: in the packed chunks it started on (`chunks[chunk]`, row `inChunk`),
   * then at `pos` in the slot array. When the store's layout changed since (a pause let a commit
   * pack or compact rows, or a writer unpack them), the scan finds its place again from the id
   * of the last row it visited: rows stay in row-id order across every layout.
   */
  private chunks: readonly PackedChunk[] = [];
  private chunk = 0;
  private inChunk = 0;
  private pos = 0;
  private epoch = -1;
  private lastRowId = -1;
  private done = false;
  /** The array packed rows are read into before the filter and skip tests (nextPacked). */
  private scratch: Row | null = null;
  /** Columns of packed rows the plan reads (scan-columns.ts); null = all. */
  private readonly rowMask: Uint8Array | null;
  /** Columns the filter reads. */
  private readonly filterMask: Uint8Array;
  /**
   * Packed rows that must pass a test may be read in two steps: the columns the tests read
   * (`early`), then for rows that pass the rest of rowMask (`late`). Null early: all of rowMask
   * at once; null late: the tests read everything the plan does.
   */
  private early: Uint8Array | null = null;
  private late: Uint8Array | null = null;
  /** The filter's `column op number` conjuncts, tested on packed chunks' typed columns first. */
  private readonly prefilter: PackedPrefilter | null;
  /** Positions of the packed rows the prefilter passed (nextPacked). */
  private selection: Int32Array | null = null;

  constructor(node: SeqScanNode, ctx: ExecContext) {
    this.node = node;
    this.ctx = ctx;
    this.snapshot = node.asOf ? asOfSnapshot(node.asOf, ctx) : ctx.snapshot;
    this.filter = node.filter ? compilePredicate(node.filter) : null;
    this.width = node.table.nextAttnum;
    this.needSlots = node.lockRows || node.emitRef;
    const cols = scanColumns(node);
    this.rowMask = cols.rows;
    this.filterMask = cols.filter;
    if (this.filter !== null) this.splitReads(cols.filter);
    // Rows kept as slots (indexed tables, scans for a writer) have no typed columns to test.
    this.prefilter = this.needSlots || node.table.store.packed.length === 0 ? null : PackedPrefilter.of(node.filter, ctx.params);
    const reads = ctx.txn.reads;
    if (reads !== null && node.asOf === null) reads.scannedTables.add(node.table.store);
  }

  next(): Row[] | null {
    if (this.done) return null;
    const ix = this.ctx.interrupts;
    if (ix.takeYield()) return PENDING;
    const store = this.node.table.store;
    // A writer above needs slots: asking for them unpacks packed rows (TableStore.slots).
    const slots = this.needSlots ? store.slots : store.hot;
    if (store.layoutEpoch !== this.epoch) this.relocate(store.packed, slots, store.layoutEpoch);
    if (this.chunk < this.chunks.length) {
      const out = this.nextPacked();
      if (out !== null) return out;
    }
    return this.nextHot(slots);
  }

  /**
   * A batch of packed rows, or null when the packed ones are done. With a filter or a consumer's
   * skip test, each row is first read into one scratch array and only the rows that pass are
   * copied out: a selective scan allocates for what it returns, not for what it reads.
   */
  private nextPacked(): Row[] | null {
    const chunks = this.chunks;
    const filter = this.filter;
    const skip = this.skip;
    const ctx = this.ctx;
    const width = this.width;
    const out: Row[] = new Array(BATCH_ROWS);
    let k = 0;
    while (k < BATCH_ROWS && this.chunk < chunks.length) {
      const chunk = chunks[this.chunk]!;
      const from = this.inChunk;
      const n = Math.min(BATCH_ROWS - k, chunk.length - from);
      const to = from + n;
      this.inChunk = to;
      this.lastRowId = chunk.rowIdAt(to - 1);
      if (to === chunk.length) { this.chunk++; this.inChunk = 0; }
      const rowMask = this.rowMask;
      if (filter === null && skip === null && chunk.width >= width) {
        chunk.materialize(from, to, out, k, rowMask);
        k += n;
      } else {
        const sel = this.prefilter === null ? null : (this.selection ??= new Int32Array(BATCH_ROWS));
        const passed = sel === null ? -1 : this.prefilter!.select(chunk, from, to, sel);
        if (passed >= 0) {
          k = this.readSelected(chunk, sel!, passed, out, k);
        } else {
          let scratch = this.scratch;
          if (scratch === null || scratch.length !== chunk.width) scratch = this.scratch = new Array(chunk.width).fill(null);
          // Two steps only where the columns left for later would allocate (joined text): for
          // others a second pass over the row costs more than reading them for every row.
          const split = this.late !== null && chunk.allocatesIn(this.late);
          const early = split ? this.early : rowMask;
          const late = split ? this.late : null;
          for (let i = from; i < to; i++) {
            chunk.read(i, scratch, early);
            let row = scratch;
            if (row.length < width) row = widenRow(row, this.node.table);
            if (filter !== null && !filter(row, ctx)) continue;
            if (skip !== null && skip(row)) continue;
            if (late !== null) chunk.read(i, row, late);
            out[k++] = row === scratch ? scratch.slice() : row;
          }
        }
      }
      ctx.interrupts.tickRows(n);
      // A scan whose filter passes nothing for long still lets other sessions run.
      if (k === 0 && ctx.interrupts.takeYield()) return PENDING;
    }
    if (k === 0) return null;
    out.length = k;
    return out;
  }

  /**
   * Appends to out (from k) the chunk's rows at sel[0..count), the ones the prefilter passed, that
   * also pass the filter's other conjuncts and the skip test; returns the new k. Few rows pass a
   * selective filter, so each is read straight into its own array (no scratch row and copy).
   */
  private readSelected(chunk: PackedChunk, sel: Int32Array, count: number, out: Row[], k: number): number {
    const residual = this.prefilter!.residual;
    const skip = this.skip;
    const ctx = this.ctx;
    const table = this.node.table;
    const width = this.width;
    for (let j = 0; j < count; j++) {
      let row = chunk.row(sel[j]!, this.rowMask);
      if (row.length < width) row = widenRow(row, table);
      if (residual !== null && !residual(row, ctx)) continue;
      if (skip !== null && skip(row)) continue;
      out[k++] = row;
    }
    return k;
  }

  private nextHot(slots: readonly RowSlot[]): Row[] | null {
    const store = this.node.table.store;
    const snap = this.snapshot;
    const filter = this.filter;
    const ctx = this.ctx;
    const width = this.width;
    const ix = ctx.interrupts;
    let pos = this.pos;
    let slot: RowSlot | null = null;
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
      let row = v.values;
      if (row.length < width) row = widenRow(row, this.node.table);
      if (filter !== null && !filter(row, ctx)) continue;
      if (skip !== null && skip(row)) continue;
      if (lockRows) store.lock(ctx.txn, snap, slot, v);
      out[k++] = emitRef ? withRowRef(row, width, slot, v) : row;
    }
    this.pos = pos;
    if (slot !== null) this.lastRowId = slot.rowId;
    if (yielded) return PENDING;
    if (k === 0) {
      if (pos >= slots.length) { this.done = true; return null; }
      return this.next();
    }
    if (k < room) out.length = k;
    return out;
  }

  /** Finds the first row after lastRowId in the store's current layout. */
  private relocate(chunks: readonly PackedChunk[], slots: readonly RowSlot[], epoch: number): void {
    this.epoch = epoch;
    this.chunks = chunks;
    const after = this.lastRowId;
    let c = 0;
    while (c < chunks.length && chunks[c]!.lastRowId <= after) c++;
    this.chunk = c;
    this.inChunk = c < chunks.length ? chunks[c]!.positionAfter(after) : 0;
    this.pos = firstAbove(slots.length, (i) => slots[i]!.rowId, after);
  }

  /** Rows that lock or carry a RowRef are for a writer above, which must see every one. */
  skipRows(skip: (row: Row) => boolean, reads?: ReadonlySet<number>): boolean {
    if (this.needSlots) return false;
    this.skip = skip;
    if (reads === undefined) {
      this.early = null;
      this.late = null;
    } else {
      const tested = columnMask(reads, this.width);
      for (let c = 0; c < this.filterMask.length; c++) tested[c]! |= this.filterMask[c]!;
      this.splitReads(tested);
    }
    return true;
  }

  /** Packed rows read `tested` columns first and the rest of rowMask only for rows that pass. */
  private splitReads(tested: Uint8Array): void {
    const rows = this.rowMask;
    const width = Math.max(this.width, tested.length, rows?.length ?? 0);
    const late = new Uint8Array(width);
    let rest = 0;
    for (let c = 0; c < width; c++) rest += late[c] = (rows === null || rows[c] === 1) && tested[c] !== 1 ? 1 : 0;
    this.early = tested;
    this.late = rest > 0 ? late : null;
  }

  /** A plain scan from the start counts through the table's visibility map (COUNT(*)). */
  countRows(): number | null {
    const node = this.node;
    // AS OF snapshots may be older than the horizon the count freezes at.
    if (this.lastRowId !== -1 || this.done || this.filter !== null || this.skip !== null || this.needSlots || node.asOf !== null) return null;
    const ctx = this.ctx;
    const ix = ctx.interrupts;
    const snap = this.snapshot;
    const horizon = Math.min(ctx.txnManager.horizon(), snap.seq);
    const n = node.table.store.countVisible(snap, horizon, (rows) => { ix.tickRows(rows); });
    this.done = true;
    return n;
  }

  close(): void {
    this.done = true;
  }
}
