/**
 * A set of row slots as a bitmap over row ids (PostgreSQL's TIDBitmap): the currency of bitmap
 * scans. Index scans fill one each, BitmapAnd / BitmapOr combine them word by word, and the
 * bitmap heap scan visits the slots in row-id order (the table's physical order), each once.
 */
import type { RowSlot } from './version.ts';

export class TidBitmap {
  words: Uint32Array;
  /** Slot of each row id set in `words` (sparse; entries for cleared bits may linger). */
  slots: (RowSlot | undefined)[];

  constructor(words: Uint32Array = new Uint32Array(8), slots: (RowSlot | undefined)[] = []) {
    this.words = words;
    this.slots = slots;
  }

  add(slot: RowSlot): void {
    const id = slot.rowId;
    const w = id >>> 5;
    if (w >= this.words.length) {
      let n = this.words.length * 2;
      while (n <= w) n *= 2;
      const grown = new Uint32Array(n);
      grown.set(this.words);
      this.words = grown;
    }
    this.words[w]! |= 1 << (id & 31);
    this.slots[id] = slot;
  }

  has(rowId: number): boolean {
    const w = rowId >>> 5;
    return w < this.words.length && (this.words[w]! & (1 << (rowId & 31))) !== 0;
  }

  /** This ∩ other (in place). */
  and(other: TidBitmap): void {
    const a = this.words;
    const b = other.words;
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) a[i]! &= b[i]!;
    a.fill(0, n);
  }

  /** This ∪ other (in place). */
  or(other: TidBitmap): void {
    const b = other.words;
    if (b.length > this.words.length) {
      const grown = new Uint32Array(b.length);
      grown.set(this.words);
      this.words = grown;
    }
    const a = this.words;
    const theirs = other.slots;
    const mine = this.slots === theirs ? null : this.slots;
    for (let i = 0; i < b.length; i++) {
      const add = b[i]! & ~a[i]!;
      a[i]! |= b[i]!;
      if (mine === null || add === 0) continue;
      for (let bit = 0; bit < 32; bit++) {
        if ((add & (1 << bit)) !== 0) mine[i * 32 + bit] = theirs[i * 32 + bit];
      }
    }
  }

  /** Number of row ids in the set. */
  count(): number {
    let n = 0;
    for (let w of this.words) {
      while (w !== 0) {
        w &= w - 1;
        n++;
      }
    }
    return n;
  }

  /** The slots in row-id order. */
  toSlots(): RowSlot[] {
    const out: RowSlot[] = [];
    const words = this.words;
    for (let i = 0; i < words.length; i++) {
      let w = words[i]!;
      while (w !== 0) {
        const bit = 31 - Math.clz32(w & -w);
        w &= w - 1;
        const s = this.slots[i * 32 + bit];
        if (s !== undefined) out.push(s);
      }
    }
    return out;
  }
}
