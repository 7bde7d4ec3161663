/**
 * Packed chunks: the compact, column-wise form of a table's cold rows.
 *
 * A row kept as slots costs a slot object (96 bytes), a values array (about 80) and a boxed
 * number per float (16) before its data: some 240 bytes for a row of two ints, a short text and
 * a float. Rows that every snapshot sees and nothing is changing are packed instead, one chunk
 * per visibility-map chunk of row ids: each column in one typed array where its values allow it
 * (int32 values in an Int32Array, other numbers in a Float64Array, NULLs in a bitmap beside it),
 * or else in a plain array of the values themselves. The same row then costs about 67 bytes,
 * most of it the text, and a scan reads each column sequentially instead of chasing four objects
 * per row.
 *
 * A packed row has no slot and no version: it is frozen (created by FROZEN_TXN), live and
 * unlocked, so every snapshot that can still be taken sees it as it is (TableStore.packCold
 * only packs such rows). Anything that needs the row's slot (a write, a row lock, an index)
 * unpacks the table first (TableStore.slots); a chunk itself never changes once built.
 *
 * Invariants (checkIntegrity): row ids strictly ascending within a chunk, every row the same
 * width, and the chunk's ids inside one visibility-map chunk.
 */
import { FROZEN_TXN } from '../txn/txn.ts';
import { newInsertedSlot, type Row, type RowSlot } from './version.ts';

/** How one column's values are kept: typed when they allow it, else as they are. */
type ColumnData = Int32Array | Float64Array | unknown[] | null;

/** NULL bits of a typed column, one per row (null = the column has no NULL in this chunk). */
type NullBits = Uint8Array | null;

function isNullAt(bits: Uint8Array, i: number): boolean {
  return (bits[i >> 3]! & (1 << (i & 7))) !== 0;
}

/** The tightest form for column `c` of `rows`: null when every value is NULL. */
function encodeColumn(rows: readonly Row[], c: number): { data: ColumnData; nulls: NullBits } {
  const n = rows.length;
  let ints = true;
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    const v = rows[i]![c];
    if (v === null) { nulls++; continue; }
    if (typeof v !== 'number') return { data: rows.map((r) => r[c]), nulls: null };
    // -0 is a double: an Int32Array would give it back as 0.
    if (ints && ((v | 0) !== v || Object.is(v, -0))) ints = false;
  }
  if (nulls === n) return { data: null, nulls: null };
  const data = ints ? new Int32Array(n) : new Float64Array(n);
  const bits = nulls > 0 ? new Uint8Array((n + 7) >> 3) : null;
  for (let i = 0; i < n; i++) {
    const v = rows[i]![c];
    if (v === null) bits![i >> 3]! |= 1 << (i & 7);
    else data[i] = v as number;
  }
  return { data, nulls: bits };
}

/** The first position in [0, count) whose id (`idAt`, ascending) is above `rowId`; count if none. */
export function firstAbove(count: number, idAt: (i: number) => number, rowId: number): number {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (idAt(mid) <= rowId) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class PackedChunk {
  /** Rows in the chunk. */
  readonly length: number;
  /** Values per row (every row of a chunk has the same). */
  readonly width: number;
  readonly firstRowId: number;
  readonly lastRowId: number;
  /** Row ids, ascending; null when they run consecutively from firstRowId. */
  private readonly ids: Float64Array | null;
  private readonly cols: ColumnData[];
  private readonly nulls: NullBits[];

  private constructor(rows: readonly Row[], ids: readonly number[]) {
    const n = rows.length;
    this.length = n;
    this.width = rows[0]!.length;
    this.firstRowId = ids[0]!;
    this.lastRowId = ids[n - 1]!;
    this.ids = this.lastRowId - this.firstRowId + 1 === n ? null : Float64Array.from(ids);
    this.cols = [];
    this.nulls = [];
    for (let c = 0; c < this.width; c++) {
      const { data, nulls } = encodeColumn(rows, c);
      this.cols.push(data);
      this.nulls.push(nulls);
    }
  }

  /**
   * Packs the live head versions of `slots` (row-id order, all frozen, live, unlocked, one
   * version each and of one width: the caller checks).
   */
  static pack(slots: readonly RowSlot[]): PackedChunk {
    const rows = new Array<Row>(slots.length);
    const ids = new Array<number>(slots.length);
    for (let i = 0; i < slots.length; i++) {
      rows[i] = slots[i]!.head!.values;
      ids[i] = slots[i]!.rowId;
    }
    return new PackedChunk(rows, ids);
  }

  rowIdAt(i: number): number {
    const ids = this.ids;
    return ids === null ? this.firstRowId + i : ids[i]!;
  }

  /** Position of the first row whose id is above `rowId` (length when none is). */
  positionAfter(rowId: number): number {
    if (rowId < this.firstRowId) return 0;
    const ids = this.ids;
    if (ids === null) return Math.min(this.length, rowId - this.firstRowId + 1);
    return firstAbove(ids.length, (i) => ids[i]!, rowId);
  }

  /** Writes row `i`'s values into `row` (at least `width` long): a scan's scratch row. */
  read(i: number, row: Row): void {
    const cols = this.cols;
    const nulls = this.nulls;
    for (let c = 0; c < cols.length; c++) {
      const data = cols[c]!;
      if (data === null) { row[c] = null; continue; }
      const bits = nulls[c]!;
      row[c] = bits !== null && isNullAt(bits, i) ? null : data[i];
    }
  }

  /**
   * Materializes rows [from, to) into out[at...] as fresh arrays. Row by row: filling a column at
   * a time from a template copy measured 1.6x slower (a builtin call per row, and keyed stores
   * that change each row's element kind as the columns go by).
   */
  materialize(from: number, to: number, out: Row[], at: number): void {
    for (let i = from; i < to; i++) out[at++] = this.row(i);
  }

  /** Row `i` as a fresh array. */
  row(i: number): Row {
    const row: Row = new Array(this.width);
    this.read(i, row);
    return row;
  }

  /** Writes the rows as frozen slots, each its own only version, from out[at]; returns the end. */
  unpackInto(out: RowSlot[], at: number): number {
    for (let i = 0; i < this.length; i++) out[at++] = newInsertedSlot(this.rowIdAt(i), this.row(i), FROZEN_TXN, 0);
    return at;
  }

  /** What breaks the chunk's invariants, or null (wal/integrity.ts). */
  problem(chunkOf: (rowId: number) => number): string | null {
    if (this.length === 0) return 'is empty';
    for (let i = 1; i < this.length; i++) {
      if (this.rowIdAt(i) <= this.rowIdAt(i - 1)) return `has row ids out of order at ${i}`;
    }
    if (chunkOf(this.firstRowId) !== chunkOf(this.lastRowId)) return 'spans two visibility-map chunks';
    for (let c = 0; c < this.width; c++) {
      const data = this.cols[c];
      if (data !== null && data!.length !== this.length) return `has a column ${c} of ${data!.length} values for ${this.length} rows`;
    }
    return null;
  }
}
