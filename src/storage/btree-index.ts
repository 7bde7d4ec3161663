/**
 * The B-tree index: an ordered RowIndex. Entries (key tuple, slot) live in a B+tree ordered by the
 * index's column order (each column ASC or DESC, NULLS FIRST or LAST, values compared with the
 * engine's SQL ordering from types/compare.ts), which serves range, prefix and ordered scans.
 * Equality probes (uniqueness checks, foreign keys, ON CONFLICT) go through a hash of the entry
 * key beside the tree: O(1) instead of O(log n), for the price of one map entry per key.
 *
 * Like the hash index, entries are added for every version's key and not removed when a key
 * changes; scans re-check visibility and the key on the version they see, and vacuum removes
 * entries no version carries any more.
 */
import { BTree, BTreeEntry, type BTreeCursor, type TupleCompare } from './btree.ts';
import { RADIX_MIN_ROWS, radixOrder } from '../types/radix-order.ts';
import { HashIndex, type IndexKey, type IndexKind, type KeyFn, type RowIndex } from './row-index.ts';
import type { Row, RowSlot } from './version.ts';

/** How one key column is ordered. */
export interface KeyColumnOrder {
  /** Total order on non-null values. */
  readonly cmp: (a: unknown, b: unknown) => number;
  readonly desc: boolean;
  readonly nullsFirst: boolean;
}

/** One end of a range: a key prefix and whether entries equal to it on that prefix are inside. */
export interface RangeBound {
  readonly vals: readonly unknown[];
  readonly inclusive: boolean;
}

/** Compares the first `vals.length` columns of a key with a bound's prefix. */
export type PrefixCompare = (key: readonly unknown[], prefix: readonly unknown[]) => number;

/** Builds the comparator of key prefixes for the given column orders. */
export function prefixComparator(cols: readonly KeyColumnOrder[]): PrefixCompare {
  const n = cols.length;
  const cmps = cols.map((c) => c.cmp);
  const desc = cols.map((c) => c.desc);
  const nullsFirst = cols.map((c) => c.nullsFirst);
  if (n === 1) return oneColumnComparator(cols[0]!);
  return (a, b) => {
    const k = b.length < n ? b.length : n;
    for (let i = 0; i < k; i++) {
      const x = a[i] ?? null;
      const y = b[i] ?? null;
      let c: number;
      if (x === null || y === null) {
        if (x === y) continue;
        c = (x === null) === nullsFirst[i] ? -1 : 1;
      } else {
        c = cmps[i]!(x, y);
        if (c === 0) continue;
        if (desc[i]) c = -c;
      }
      return c;
    }
    return 0;
  };
}

/**
 * prefixComparator for a one-column key: two plain numbers (every type stored as a JS number
 * orders numerically) compare inline, the comparison B-tree inserts and probes make most.
 */
function oneColumnComparator(col: KeyColumnOrder): PrefixCompare {
  const { cmp, desc, nullsFirst } = col;
  const lt = desc ? 1 : -1;
  return (a, b) => {
    if (b.length === 0) return 0;
    const x = a[0] ?? null;
    const y = b[0] ?? null;
    if (typeof x === 'number' && typeof y === 'number') {
      if (x < y) return lt;
      if (x > y) return -lt;
      if (x === y) return 0;
      // NaN: the type's comparator places it.
    }
    if (x === null || y === null) {
      if (x === y) return 0;
      return (x === null) === nullsFirst ? -1 : 1;
    }
    const c = cmp(x, y);
    return desc && c !== 0 ? -c : c;
  };
}

export class BTreeIndex implements RowIndex {
  readonly name: string;
  readonly kind: IndexKind = 'btree';
  readonly unique: boolean;
  readonly keyOf: KeyFn;
  readonly entryOf: KeyFn;
  readonly columns: readonly KeyColumnOrder[];
  readonly comparePrefix: PrefixCompare;
  private readonly valuesOf: (row: Row) => unknown[];
  private readonly tree: BTree;
  private readonly eq: HashIndex;

  constructor(
    name: string, unique: boolean, keyOf: KeyFn, entryOf: KeyFn, valuesOf: (row: Row) => unknown[],
    columns: readonly KeyColumnOrder[],
  ) {
    this.name = name;
    this.unique = unique;
    this.keyOf = keyOf;
    this.entryOf = entryOf;
    this.valuesOf = valuesOf;
    this.columns = columns;
    this.comparePrefix = prefixComparator(columns);
    const cmp = this.comparePrefix;
    const full: TupleCompare = (a, b) => cmp(a, b);
    this.tree = new BTree(full);
    this.eq = new HashIndex(name, unique, keyOf, entryOf);
  }

  add(key: IndexKey, slot: RowSlot, row: Row): void {
    this.eq.add(key, slot);
    this.tree.insert(this.valuesOf(row), slot, row);
  }

  /** Builds the index from scratch (CREATE INDEX): the entries are sorted and the tree built bottom-up. */
  addAll(keys: readonly IndexKey[], slots: readonly RowSlot[], rows: readonly Row[]): void {
    this.clear();
    const n = rows.length;
    const vals: unknown[][] = new Array(n);
    for (let i = 0; i < n; i++) {
      this.eq.add(keys[i]!, slots[i]!);
      vals[i] = this.valuesOf(rows[i]!);
    }
    const tree = this.tree;
    let entries: BTreeEntry[];
    const order = this.numericOrder(vals);
    if (order !== null) {
      // Stable, so ties stay in slot (row id) order: the tree's own order.
      entries = new Array(n);
      for (let i = 0; i < n; i++) {
        const at = order[i]!;
        entries[i] = new BTreeEntry(vals[at]!, slots[at]!, rows[at]!);
      }
    } else {
      entries = new Array(n);
      for (let i = 0; i < n; i++) entries[i] = new BTreeEntry(vals[i]!, slots[i]!, rows[i]!);
      entries.sort((a, b) => tree.compareEntries(a, b));
    }
    // Versions of one row with the same key make equal entries; the tree holds one of them.
    let w = 0;
    for (let r = 0; r < entries.length; r++) {
      if (w === 0 || tree.compareEntries(entries[w - 1]!, entries[r]!) !== 0) entries[w++] = entries[r]!;
    }
    entries.length = w;
    tree.build(entries);
  }

  /**
   * A one-column index over plain numbers (no NULL, no NaN) sorts by radix rather than through
   * the comparator. Entries come in slot order, which is row-id order (table-store.ts).
   */
  private numericOrder(vals: readonly unknown[][]): ArrayLike<number> | null {
    const n = vals.length;
    if (this.columns.length !== 1 || n < RADIX_MIN_ROWS) return null;
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = vals[i]![0];
      if (typeof v !== 'number' || v !== v) return null;
      keys[i] = v;
    }
    return radixOrder([keys], [this.columns[0]!.desc], n);
  }

  remove(key: IndexKey, slot: RowSlot, row: Row): void {
    this.eq.remove(key, slot);
    this.tree.delete(this.valuesOf(row), slot);
  }

  lookup(key: IndexKey): readonly RowSlot[] | RowSlot | undefined {
    return this.eq.lookup(key);
  }

  clear(): void {
    this.eq.clear();
    this.tree.clear();
  }

  /** Number of distinct entry keys (as the hash index reports). */
  get size(): number {
    return this.eq.size;
  }

  /** Number of (key, slot) entries in the tree. */
  get entries(): number {
    return this.tree.size;
  }

  /**
   * Iterates entries between two bounds in index order (or backwards). A null bound is open.
   * The scan reads the live tree: callers consume it before the table changes (the executor
   * collects a batch of slots at a time within one statement step).
   */
  range(lower: RangeBound | null, upper: RangeBound | null, backward: boolean): RangeScan {
    const cmp = this.comparePrefix;
    if (!backward) {
      const c = lower === null
        ? this.tree.first()
        : this.tree.seek(lower.inclusive ? (e) => cmp(e.vals, lower.vals) < 0 : (e) => cmp(e.vals, lower.vals) <= 0);
      return new RangeScan(this.tree, c, upper, false, cmp);
    }
    const c = upper === null
      ? this.tree.last()
      : this.tree.seekLast(upper.inclusive ? (e) => cmp(e.vals, upper.vals) > 0 : (e) => cmp(e.vals, upper.vals) >= 0);
    return new RangeScan(this.tree, c, lower, true, cmp);
  }

  checkIntegrity(): void {
    this.tree.checkIntegrity();
  }
}

/**
 * A running range scan: yields entries until the far bound is passed. It survives changes to the
 * tree between calls (a statement that writes the table it scans): when the tree's version moved,
 * it re-seeks just past the last entry it returned instead of trusting its leaf position.
 */
export class RangeScan {
  private readonly tree: BTree;
  private cursor: BTreeCursor;
  private readonly stop: RangeBound | null;
  private readonly backward: boolean;
  private readonly cmp: PrefixCompare;
  private version: number;
  private last: BTreeEntry | null = null;

  constructor(tree: BTree, cursor: BTreeCursor, stop: RangeBound | null, backward: boolean, cmp: PrefixCompare) {
    this.tree = tree;
    this.cursor = cursor;
    this.stop = stop;
    this.backward = backward;
    this.cmp = cmp;
    this.version = tree.version;
  }

  next(): BTreeEntry | null {
    if (this.tree.version !== this.version) {
      this.version = this.tree.version;
      if (this.last !== null && this.cursor.leaf !== null) this.cursor = this.tree.seekAfter(this.last, this.backward);
    }
    const e = this.cursor.entry;
    if (e === null) return null;
    const stop = this.stop;
    if (stop !== null) {
      const c = this.cmp(e.vals, stop.vals);
      if (this.backward ? (stop.inclusive ? c < 0 : c <= 0) : (stop.inclusive ? c > 0 : c >= 0)) {
        this.cursor.leaf = null;
        return null;
      }
    }
    if (this.backward) this.cursor.backward();
    else this.cursor.forward();
    this.last = e;
    return e;
  }
}
