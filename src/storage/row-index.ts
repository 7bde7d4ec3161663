/**
 * The index interface the table store maintains, and the hash index: a map from an entry key
 * (computed from one or more columns or expressions) to the row slots that have, or had, a version
 * with that key. Entries are not removed when a key changes; readers re-check the key on the
 * version they see, and vacuum drops entries no version carries any more. The B-tree
 * (btree-index.ts) and bitmap (bitmap-index.ts) indexes implement the same interface.
 */
import type { Row, RowSlot } from './version.ts';

/** Maps a row to its index key, or null when the row is not indexed (a NULL key column). */
export type KeyFn = (row: Row) => IndexKey | null;
export type IndexKey = string | number | boolean | bigint;

/** Which structure an index is (small-integer tag for the executor's dispatch). */
export type IndexKind = 'hash' | 'btree' | 'bitmap';

export interface RowIndex {
  readonly name: string;
  readonly kind: IndexKind;
  readonly unique: boolean;
  /** Equality key (uniqueness checks, point lookups); null: the row is not subject to them. */
  readonly keyOf: KeyFn;
  /** Entry key the store maintains (NULL parts encoded); null: the row is not covered. */
  readonly entryOf: KeyFn;
  /** Adds an entry for `slot` under `key` (= entryOf(row)). */
  add(key: IndexKey, slot: RowSlot, row: Row): void;
  /**
   * Optional: fills an empty index with entries for every (keys[i], slots[i], rows[i]) at once
   * (CREATE INDEX); faster than adding them one by one. Same result as clear() then add() each.
   */
  addAll?(keys: readonly IndexKey[], slots: readonly RowSlot[], rows: readonly Row[]): void;
  /** Removes the entry for `slot` under `key` (= entryOf(row)). */
  remove(key: IndexKey, slot: RowSlot, row: Row): void;
  /** Slots that may carry the key (callers re-check visibility and the key). */
  lookup(key: IndexKey): readonly RowSlot[] | RowSlot | undefined;
  clear(): void;
  readonly size: number;
}

export class HashIndex implements RowIndex {
  readonly name: string;
  readonly kind: IndexKind = 'hash';
  readonly unique: boolean;
  readonly keyOf: KeyFn;
  readonly entryOf: KeyFn;
  private readonly map = new Map<IndexKey, RowSlot | RowSlot[]>();

  constructor(name: string, unique: boolean, keyOf: KeyFn, entryOf: KeyFn = keyOf) {
    this.name = name;
    this.unique = unique;
    this.keyOf = keyOf;
    this.entryOf = entryOf;
  }

  add(key: IndexKey, slot: RowSlot, _row?: Row): void {
    const cur = this.map.get(key);
    if (cur === undefined) {
      this.map.set(key, slot);
    } else if (Array.isArray(cur)) {
      if (!cur.includes(slot)) cur.push(slot);
    } else if (cur !== slot) {
      this.map.set(key, [cur, slot]);
    }
  }

  remove(key: IndexKey, slot: RowSlot, _row?: Row): void {
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

  /** Every entry key with its slots (bitmap scans over all keys, tests). */
  keys(): IterableIterator<IndexKey> {
    return this.map.keys();
  }
}
