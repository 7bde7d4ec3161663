/**
 * Packed chunks: the compact, column-wise form of a table's cold rows.
 *
 * A row kept as slots costs a slot object (96 bytes), a values array (about 80) and a boxed
 * number per float (16) before its data: some 240 bytes for a row of two ints, a short text and
 * a float. Rows that every snapshot sees and nothing is changing are packed instead, one chunk
 * per visibility-map chunk of row ids: each column in one typed array where its values allow it
 * (int32 values in an Int32Array, other numbers in a Float64Array, strings of a few distinct
 * values as a dictionary and a byte per row, other Latin-1 strings in one string with their end
 * offsets, NULLs in a bitmap beside them), or else in a plain array of the values themselves.
 * The same row then costs about 42 bytes, and a scan reads each column sequentially instead of
 * chasing four objects per row.
 *
 * A packed row has no slot and no version: it is frozen (created by FROZEN_TXN), live and
 * unlocked, so every snapshot that can still be taken sees it as it is (TableStore.packCold
 * only packs such rows). Anything that needs the row's slot (a write, a row lock, an index)
 * unpacks the table first (TableStore.slots); a chunk itself never changes once built.
 *
 * Invariants (checkIntegrity): row ids strictly ascending within a chunk, every row the same
 * width, the chunk's ids inside one visibility-map chunk, each joined text column's offsets in
 * order and ending its text, and each dictionary code inside its dictionary.
 */
import { FROZEN_TXN } from '../txn/txn.ts';
import { newInsertedSlot, type Row, type RowSlot } from './version.ts';

/** The strings of one text column, NULLs aside (the column's NULL bitmap marks those). */
interface StringColumn {
  readonly length: number;
  at(i: number): string;
  /** The integrity check: the encoding is consistent. */
  wellFormed(): boolean;
}

/**
 * A column of strings in one flat string: value i is text[ends[i - 1], ends[i]) (from 0 for the
 * first). Each value kept alone costs a string object (12 bytes of header, rounded up to 8) and
 * a 4-byte pointer on top of its characters: 24 of a 20-character value's 44 bytes. Here it costs
 * its characters and an end offset (2 bytes while the chunk's text stays under 64 KiB).
 * Reading a value allocates a substring (V8 slices one of 13 characters or more, sharing the
 * chunk's text): a write copies it into a string of its own (ownedString), and a value handed
 * to the application keeps the chunk's text alive while the application holds it.
 */
class TextColumn implements StringColumn {
  readonly text: string;
  readonly ends: Uint16Array | Uint32Array;
  constructor(text: string, ends: Uint16Array | Uint32Array) {
    this.text = text;
    this.ends = ends;
  }
  get length(): number {
    return this.ends.length;
  }
  at(i: number): string {
    const ends = this.ends;
    return this.text.substring(i === 0 ? 0 : ends[i - 1]!, ends[i]!);
  }
  wellFormed(): boolean {
    const ends = this.ends;
    for (let i = 1; i < ends.length; i++) if (ends[i]! < ends[i - 1]!) return false;
    return ends.length === 0 || ends[ends.length - 1] === this.text.length;
  }
}

/**
 * A column of few distinct strings (flags, statuses, categories): each distinct value once, and a
 * byte per row. Reading returns the stored string itself: no substring, nothing allocated.
 */
class DictColumn implements StringColumn {
  readonly dict: readonly string[];
  readonly codes: Uint8Array;
  constructor(dict: readonly string[], codes: Uint8Array) {
    this.dict = dict;
    this.codes = codes;
  }
  get length(): number {
    return this.codes.length;
  }
  at(i: number): string {
    return this.dict[this.codes[i]!]!;
  }
  wellFormed(): boolean {
    for (let i = 0; i < this.codes.length; i++) if (this.codes[i]! >= this.dict.length) return false;
    return true;
  }
}

/** Most distinct values a dictionary column holds (codes are bytes). */
const DICT_VALUES_MAX = 256;

/** Characters outside Latin-1 would make the whole chunk's text two bytes a character. */
const WIDE_CHAR = /[^\u0000-\u00ff]/;

/**
 * How one column's values are kept: typed when they allow it, else as they are; null for a text
 * column (its StringColumn sits beside, so reading a number column never tests for text) and for
 * a column with no value but NULL.
 */
type ColumnData = Int32Array | Float64Array | unknown[] | null;

/** NULL bits of a typed column, one per row (null = the column has no NULL in this chunk). */
type NullBits = Uint8Array | null;

/** Whether bit i of a NULL bitmap is set (row i is NULL). */
export function isNullAt(bits: Uint8Array, i: number): boolean {
  return (bits[i >> 3]! & (1 << (i & 7))) !== 0;
}

interface Encoded {
  readonly data: ColumnData;
  readonly text: StringColumn | null;
  readonly nulls: NullBits;
}

/** The tightest form for column `c` of `rows`. */
function encodeColumn(rows: readonly Row[], c: number): Encoded {
  const n = rows.length;
  let ints = true;
  let numbers = true;
  let strings = true;
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    const v = rows[i]![c];
    if (v === null) { nulls++; continue; }
    if (typeof v === 'number') {
      strings = false;
      // -0 is a double: an Int32Array would give it back as 0.
      if (ints && ((v | 0) !== v || Object.is(v, -0))) ints = false;
    } else {
      numbers = false;
      if (typeof v !== 'string') strings = false;
    }
    if (!numbers && !strings) return { data: rows.map((r) => r[c]), text: null, nulls: null };
  }
  if (nulls === n) return { data: null, text: null, nulls: null };
  const bits = nulls > 0 ? new Uint8Array((n + 7) >> 3) : null;
  if (numbers) {
    const data = ints ? new Int32Array(n) : new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = rows[i]![c];
      if (v === null) bits![i >> 3]! |= 1 << (i & 7);
      else data[i] = v as number;
    }
    return { data, text: null, nulls: bits };
  }
  return encodeText(rows, c, bits);
}

/** Strings (and NULLs): a dictionary, else one joined string, else the values as they are. */
function encodeText(rows: readonly Row[], c: number, bits: Uint8Array | null): Encoded {
  const text = dictionaryOf(rows, c) ?? joinedText(rows, c);
  if (text === null) return { data: rows.map((r) => r[c]), text: null, nulls: null };
  const n = rows.length;
  for (let i = 0; i < n; i++) if (rows[i]![c] === null) bits![i >> 3]! |= 1 << (i & 7);
  return { data: null, text, nulls: bits };
}

/** A dictionary column when the values repeat enough (at most 256 distinct, 4+ rows each on average). */
function dictionaryOf(rows: readonly Row[], c: number): DictColumn | null {
  const n = rows.length;
  const limit = Math.min(DICT_VALUES_MAX, n >> 2);
  const codeOf = new Map<string, number>();
  const codes = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = rows[i]![c] as string | null;
    if (v === null) continue;
    let code = codeOf.get(v);
    if (code === undefined) {
      if (codeOf.size >= limit) return null;
      codeOf.set(v, (code = codeOf.size));
    }
    codes[i] = code;
  }
  return new DictColumn([...codeOf.keys()], codes);
}

/** One string of every value (NULL as empty) with end offsets; null beyond Latin-1. */
function joinedText(rows: readonly Row[], c: number): TextColumn | null {
  const n = rows.length;
  const parts: string[] = new Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const v = (rows[i]![c] as string | null) ?? '';
    parts[i] = v;
    total += v.length;
  }
  const text = parts.join('');
  if (WIDE_CHAR.test(text)) return null;
  const ends = total < 0x10000 ? new Uint16Array(n) : new Uint32Array(n);
  let end = 0;
  for (let i = 0; i < n; i++) ends[i] = end += parts[i]!.length;
  return new TextColumn(text, ends);
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
  private readonly texts: (StringColumn | null)[];
  private readonly nulls: NullBits[];

  private constructor(rows: readonly Row[], ids: readonly number[]) {
    const n = rows.length;
    this.length = n;
    this.width = rows[0]!.length;
    this.firstRowId = ids[0]!;
    this.lastRowId = ids[n - 1]!;
    this.ids = this.lastRowId - this.firstRowId + 1 === n ? null : Float64Array.from(ids);
    this.cols = [];
    this.texts = [];
    this.nulls = [];
    for (let c = 0; c < this.width; c++) {
      const { data, text, nulls } = encodeColumn(rows, c);
      this.cols.push(data);
      this.texts.push(text);
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

  /**
   * Writes row `i`'s values into `row` (at least `width` long): a scan's scratch row. With a
   * mask, only the columns it marks (others are left as they are): a scan skips the columns its
   * plan never reads, and reads the ones its filter needs before the others.
   */
  read(i: number, row: Row, mask: Uint8Array | null = null): void {
    const cols = this.cols;
    for (let c = 0; c < cols.length; c++) {
      if (mask !== null && mask[c] !== 1) continue;
      const data = cols[c]!;
      const bits = this.nulls[c]!;
      if (bits !== null && isNullAt(bits, i)) row[c] = null;
      else if (data !== null) row[c] = data[i];
      else row[c] = this.texts[c]?.at(i) ?? null;
    }
  }

  /**
   * Materializes rows [from, to) into out[at...] as fresh arrays (columns outside `mask` NULL).
   * Row by row: filling a column at a time from a template copy measured 1.6x slower (a builtin
   * call per row, and keyed stores that change each row's element kind as the columns go by).
   */
  materialize(from: number, to: number, out: Row[], at: number, mask: Uint8Array | null = null): void {
    for (let i = from; i < to; i++) out[at++] = this.row(i, mask);
  }

  /** Column `c` as a typed array (no value but numbers and NULLs), else null. */
  numbers(c: number): Int32Array | Float64Array | null {
    const data = this.cols[c];
    return data instanceof Int32Array || data instanceof Float64Array ? data : null;
  }

  /** Column `c`'s NULL bits (bit i set: row i is NULL); null when no row of the chunk is. */
  nullBits(c: number): Uint8Array | null {
    return this.nulls[c] ?? null;
  }

  /**
   * Whether reading a column `mask` marks allocates (a joined text column's substrings): only
   * then is it worth reading those columns after a filter, for the rows that pass.
   */
  allocatesIn(mask: Uint8Array): boolean {
    const texts = this.texts;
    for (let c = 0; c < texts.length; c++) if (mask[c] === 1 && texts[c] instanceof TextColumn) return true;
    return false;
  }

  /**
   * Row `i` as a fresh array (columns outside `mask` NULL): read()'s loop with the NULLs written
   * in the same pass (a NULL-filling pass before read() cost a sixth more per row).
   */
  row(i: number, mask: Uint8Array | null = null): Row {
    const cols = this.cols;
    const row: Row = new Array(cols.length);
    for (let c = 0; c < cols.length; c++) {
      const data = cols[c]!;
      const bits = this.nulls[c]!;
      if ((mask !== null && mask[c] !== 1) || (bits !== null && isNullAt(bits, i))) row[c] = null;
      else if (data !== null) row[c] = data[i];
      else row[c] = this.texts[c]?.at(i) ?? null;
    }
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
      const data = this.cols[c] ?? this.texts[c];
      if (data !== null && data!.length !== this.length) return `has a column ${c} of ${data!.length} values for ${this.length} rows`;
      if (!(this.texts[c]?.wellFormed() ?? true)) return `has a text column ${c} whose offsets or codes do not fit its values`;
    }
    return null;
  }
}
