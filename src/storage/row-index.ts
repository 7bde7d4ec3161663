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
  /**
   * Optional: an index that holds added entries back to add them in bulk (BTreeIndex) moves them
   * into its structure now. Its reads do that themselves; the table calls this when a transaction
   * that wrote it ends, so the work is done by the writer, not by some later reader.
   */
  flush?(): void;
  /** Removes the entry for `slot` under `key` (= entryOf(row)). */
  remove(key: IndexKey, slot: RowSlot, row: Row): void;
  /** Slots that may carry the key (callers re-check visibility and the key). */
  lookup(key: IndexKey): readonly RowSlot[] | RowSlot | undefined;
  clear(): void;
  readonly size: number;
}

/**
 * The entry key of an already stored version, or null when its key expression fails on it (a
 * version written before ALTER COLUMN TYPE holds values of the old type; setIndexes skipped it,
 * so it has no entry). Undo and vacuum must not throw.
 */
export function storedEntryOf(index: RowIndex, row: Row): IndexKey | null {
  try {
    return index.entryOf(row);
  } catch {
    return null;
  }
}

/** True when a version in `slot`'s chain still has entry key `key` (its entry must stay). */
export function chainHasKey(slot: RowSlot, index: RowIndex, key: IndexKey): boolean {
  for (let v = slot.head; v !== null; v = v.prev) {
    if (storedEntryOf(index, v.values) === key) return true;
  }
  return false;
}

/** The slots under one key: one slot (the usual case) or several (versions, duplicates). */
type Entry = RowSlot | RowSlot[];

/** `cur` with `slot` added (arrays grow in place). */
function withSlot(cur: Entry | undefined, slot: RowSlot): Entry {
  if (cur === undefined) return slot;
  if (Array.isArray(cur)) {
    if (!cur.includes(slot)) cur.push(slot);
    return cur;
  }
  return cur === slot ? cur : [cur, slot];
}

/** `cur` without `slot` (arrays shrink in place); undefined once no slot is left. */
function withoutSlot(cur: Entry, slot: RowSlot): Entry | undefined {
  if (!Array.isArray(cur)) return cur === slot ? undefined : cur;
  const i = cur.indexOf(slot);
  if (i >= 0) cur.splice(i, 1);
  return cur.length === 1 ? cur[0]! : cur.length === 0 ? undefined : cur;
}

/** Dense keys may run this far past twice the key count (ids that start high, gaps). */
const DENSE_SLACK = 1024;

/**
 * A hash index. Keys that are small non-negative integers (serial ids, codes: most primary keys)
 * live in an array indexed by the key, in front of the Map: a probe is one array read instead of
 * a hash-table walk over several cache lines (a random primary-key UPDATE spent about a tenth of
 * its time in Map.get), and an entry costs 8 bytes instead of a Map entry's ~30.
 *
 * Invariant: a key below `dense.length` is never in the map. The array only grows, to a key below
 * twice the index's key count plus DENSE_SLACK, so at most about half of it is holes; keys beyond
 * that go to the map, and move into the array when it grows past them.
 */
export class HashIndex implements RowIndex {
  readonly name: string;
  readonly kind: IndexKind = 'hash';
  readonly unique: boolean;
  readonly keyOf: KeyFn;
  readonly entryOf: KeyFn;
  private readonly map = new Map<IndexKey, Entry>();
  private dense: (Entry | undefined)[] = [];
  private denseCount = 0;

  constructor(name: string, unique: boolean, keyOf: KeyFn, entryOf: KeyFn = keyOf) {
    this.name = name;
    this.unique = unique;
    this.keyOf = keyOf;
    this.entryOf = entryOf;
  }

  add(key: IndexKey, slot: RowSlot, _row?: Row): void {
    if (typeof key === 'number' && key >>> 0 === key) {
      const dense = this.dense;
      if (key >= dense.length && key < 2 * this.size + DENSE_SLACK) this.growDense(key + 1);
      if (key < dense.length) {
        const cur = dense[key];
        if (cur === undefined) this.denseCount++;
        dense[key] = withSlot(cur, slot);
        return;
      }
    }
    this.map.set(key, withSlot(this.map.get(key), slot));
  }

  remove(key: IndexKey, slot: RowSlot, _row?: Row): void {
    const dense = this.dense;
    if (typeof key === 'number' && key < dense.length && key >>> 0 === key) {
      const cur = dense[key];
      if (cur === undefined) return;
      const next = withoutSlot(cur, slot);
      dense[key] = next;
      if (next === undefined) this.denseCount--;
      return;
    }
    const cur = this.map.get(key);
    if (cur === undefined) return;
    const next = withoutSlot(cur, slot);
    if (next === undefined) this.map.delete(key);
    else if (next !== cur) this.map.set(key, next);
  }

  lookup(key: IndexKey): readonly RowSlot[] | RowSlot | undefined {
    const dense = this.dense;
    if (typeof key === 'number' && key < dense.length && key >>> 0 === key) return dense[key];
    return this.map.get(key);
  }

  clear(): void {
    this.map.clear();
    this.dense = [];
    this.denseCount = 0;
  }

  get size(): number {
    return this.map.size + this.denseCount;
  }

  /** Every entry key with its slots (bitmap scans over all keys, tests). */
  *keys(): IterableIterator<IndexKey> {
    const dense = this.dense;
    for (let k = 0; k < dense.length; k++) if (dense[k] !== undefined) yield k;
    yield* this.map.keys();
  }

  /** Extends the array to `length` keys, moving the map's entries for the new keys into it. */
  private growDense(length: number): void {
    const dense = this.dense;
    const map = this.map;
    // Pushed one by one, so the array keeps fast elements (a store far past its end would turn
    // it into a dictionary).
    for (let k = dense.length; k < length; k++) {
      let cur: Entry | undefined;
      if (map.size > 0) {
        cur = map.get(k);
        if (cur !== undefined) {
          map.delete(k);
          this.denseCount++;
        }
      }
      dense.push(cur);
    }
  }
}
