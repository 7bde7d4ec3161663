/**
 * The index interface the table store maintains, and its first implementation: a hash index from a
 * key (computed from one or more columns) to the row slots that have, or had, a version with that
 * key. Entries are not removed when a key changes; readers re-check the key on the version they
 * see, and vacuum drops entries no version carries any more. B-tree and bitmap indexes (issue 5)
 * implement the same interface.
 */
import type { Row, RowSlot } from './version.ts';

/** Maps a row to its index key, or null when the row is not indexed (a NULL key column). */
export type KeyFn = (row: Row) => IndexKey | null;
export type IndexKey = string | number | boolean | bigint;

export interface RowIndex {
  readonly name: string;
  readonly unique: boolean;
  readonly keyOf: KeyFn;
  add(key: IndexKey, slot: RowSlot): void;
  remove(key: IndexKey, slot: RowSlot): void;
  /** Slots that may carry the key (callers re-check visibility and the key). */
  lookup(key: IndexKey): readonly RowSlot[] | RowSlot | undefined;
  clear(): void;
  readonly size: number;
}

export class HashIndex implements RowIndex {
  readonly name: string;
  readonly unique: boolean;
  readonly keyOf: KeyFn;
  private readonly map = new Map<IndexKey, RowSlot | RowSlot[]>();

  constructor(name: string, unique: boolean, keyOf: KeyFn) {
    this.name = name;
    this.unique = unique;
    this.keyOf = keyOf;
  }

  add(key: IndexKey, slot: RowSlot): void {
    const cur = this.map.get(key);
    if (cur === undefined) {
      this.map.set(key, slot);
    } else if (Array.isArray(cur)) {
      if (!cur.includes(slot)) cur.push(slot);
    } else if (cur !== slot) {
      this.map.set(key, [cur, slot]);
    }
  }

  remove(key: IndexKey, slot: RowSlot): void {
    const cur = this.map.get(key);
    if (cur === undefined) return;
    if (Array.isArray(cur)) {
      const i = cur.indexOf(slot);
      if (i >= 0) cur.splice(i, 1);
      if (cur.length === 1) this.map.set(key, cur[0]!);
      else if (cur.length === 0) this.map.delete(key);
    } else if (cur === slot) {
      this.map.delete(key);
    }
  }

  lookup(key: IndexKey): readonly RowSlot[] | RowSlot | undefined {
    return this.map.get(key);
  }

  clear(): void {
    this.map.clear();
  }

  get size(): number {
    return this.map.size;
  }
}
