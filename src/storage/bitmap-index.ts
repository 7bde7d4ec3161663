/**
 * The bitmap index: for each distinct key, a bitmap of the row ids carrying it. Meant for
 * low-cardinality columns (status, flags, categories): a few keys each covering many rows, so a
 * key's rows are a compact bit array, and conditions on several bitmap-indexed columns combine
 * with word-wise AND / OR (BitmapAnd / BitmapOr) before any row is read.
 *
 * Entries follow the store's rules like every RowIndex: added per version key, kept when a key
 * changes (readers re-check), removed by vacuum and undo.
 */
import type { IndexKey, IndexKind, KeyFn, RowIndex } from './row-index.ts';
import { TidBitmap } from './tid-bitmap.ts';
import type { Row, RowSlot } from './version.ts';

export class BitmapIndex implements RowIndex {
  readonly name: string;
  readonly kind: IndexKind = 'bitmap';
  readonly unique: boolean;
  readonly keyOf: KeyFn;
  readonly entryOf: KeyFn;
  private readonly bitmaps = new Map<IndexKey, TidBitmap>();
  /** Rows per key, so a key whose last row goes is dropped without counting bits. */
  private readonly counts = new Map<IndexKey, number>();
  /** Slots by row id, shared by every key's bitmap. */
  private slots: (RowSlot | undefined)[] = [];

  constructor(name: string, unique: boolean, keyOf: KeyFn, entryOf: KeyFn) {
    this.name = name;
    this.unique = unique;
    this.keyOf = keyOf;
    this.entryOf = entryOf;
  }

  add(key: IndexKey, slot: RowSlot, _row?: Row): void {
    let bm = this.bitmaps.get(key);
    if (bm === undefined) this.bitmaps.set(key, (bm = new TidBitmap(new Uint32Array(8), this.slots)));
    if (bm.has(slot.rowId)) return;
    bm.add(slot);
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  remove(key: IndexKey, slot: RowSlot, _row?: Row): void {
    const bm = this.bitmaps.get(key);
    if (bm === undefined) return;
    const id = slot.rowId;
    if (!bm.has(id)) return;
    bm.words[id >>> 5]! &= ~(1 << (id & 31));
    const left = (this.counts.get(key) ?? 1) - 1;
    if (left > 0) {
      this.counts.set(key, left);
    } else {
      this.bitmaps.delete(key);
      this.counts.delete(key);
    }
  }

  lookup(key: IndexKey): readonly RowSlot[] | RowSlot | undefined {
    const bm = this.bitmaps.get(key);
    if (bm === undefined) return undefined;
    const slots = bm.toSlots();
    return slots.length === 0 ? undefined : slots.length === 1 ? slots[0] : slots;
  }

  /** A copy of the bitmap of one key (empty when absent), for bitmap scans to combine. */
  bitmapOf(key: IndexKey): TidBitmap {
    const bm = this.bitmaps.get(key);
    if (bm === undefined) return new TidBitmap();
    return new TidBitmap(bm.words.slice(), this.slots);
  }

  clear(): void {
    this.bitmaps.clear();
    this.counts.clear();
    this.slots = [];
  }

  get size(): number {
    return this.bitmaps.size;
  }
}
