/**
 * The B-tree index: an ordered RowIndex. Entries (key tuple, slot) live in a B+tree ordered by the
 * index's column order (each column ASC or DESC, NULLS FIRST or LAST, values compared with the
 * engine's SQL ordering from types/compare.ts), which serves range, prefix and ordered scans.
 * Equality probes (uniqueness checks, foreign keys, ON CONFLICT) go through a hash of the entry
 * key beside the tree: O(1) instead of O(log n), for the price of one map entry per key. A
 * unique index keeps that hash from the start (every write checks it); a non-unique one builds it
 * from the tree the first time something looks a key up, and the executor's equality scans walk
 * the tree instead, so an index that only serves scans costs no map entry per row and a non-unique
 * CREATE INDEX builds no map. The tree counts its distinct keys for the planner meanwhile.
 *
 * An entry's key is the tuple of its key values, except in a one-column index without INCLUDE
 * columns, where it is the value itself: one array fewer per entry (56 bytes and an allocation
 * per row inserted into a table with a primary key). `compareEntry` and `entryValue` read either.
 *
 * Like the hash index, entries are added for every version's key and not removed when a key
 * changes; scans re-check visibility and the key on the version they see, and vacuum removes
 * entries no version carries any more.
 */
import { BTree, type BTreeCursor, type BTreeEntry, type KeyCompare } from './btree.ts';
import { RADIX_MIN_ROWS, radixOrder } from '../types/radix-order.ts';
import { allCodeUnitOrdered } from '../types/text.ts';
import { stringOrder } from '../types/string-order.ts';
import { HashIndex, type IndexKey, type IndexKind, type KeyFn, type RowIndex } from './row-index.ts';
import type { Row, RowSlot } from './version.ts';

/** How one key column is ordered. */
export interface KeyColumnOrder {
  /** Total order on non-null values. */
  readonly cmp: (a: unknown, b: unknown) => number;
  readonly desc: boolean;
  readonly nullsFirst: boolean;
  /**
   * True when `cmp` is code-point order of strings (text, varchar: compare.ts ordersByCodePoint),
   * which JS's own `<` matches on strings without surrogates (sorting a batch of keys).
   */
  readonly codePoint?: boolean;
}

/** One end of a range: a key prefix and whether entries equal to it on that prefix are inside. */
export interface RangeBound {
  readonly vals: readonly unknown[];
  readonly inclusive: boolean;
}

/** Compares the first `vals.length` columns of a key with a bound's prefix. */
export type PrefixCompare = (key: readonly unknown[], prefix: readonly unknown[]) => number;

/** Compares an entry's key with a bound's prefix (as PrefixCompare does for a key tuple). */
export type EntryCompare = (entry: BTreeEntry, prefix: readonly unknown[]) => number;

/** Compares an entry key (a tuple, or the value itself for a scalar index) with a prefix. */
export type KeyPrefixCompare = (key: unknown, prefix: readonly unknown[]) => number;

/** Builds the comparator of key prefixes for the given column orders. */
export function prefixComparator(cols: readonly KeyColumnOrder[]): PrefixCompare {
  const n = cols.length;
  const cmps = cols.map((c) => c.cmp);
  const desc = cols.map((c) => c.desc);
  const nullsFirst = cols.map((c) => c.nullsFirst);
  if (n === 1) {
    const one = valueComparator(cols[0]!);
    return (a, b) => (b.length === 0 ? 0 : one(a[0] ?? null, b[0] ?? null));
  }
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
 * Orders two values (NULL included) of one key column. Two plain numbers (every type stored as a
 * JS number orders numerically) compare inline: the comparison B-tree inserts and probes make most.
 */
export function valueComparator(col: KeyColumnOrder): KeyCompare {
  const { cmp, desc, nullsFirst } = col;
  const lt = desc ? 1 : -1;
  return (x, y) => {
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
  /** Orders an entry against a bound's prefix, whichever form its key has. */
  readonly compareEntry: EntryCompare;
  /** compareEntry on the key alone. */
  private readonly compareKey: KeyPrefixCompare;
  /** Entries hold their one key value itself, not a tuple of it. */
  private readonly scalar: boolean;
  private readonly entryKeyOf: (row: Row) => unknown;
  private readonly tree: BTree;
  /** The equality hash: always there for a unique index, built on first lookup otherwise. */
  private eq: HashIndex | null;
  /**
   * Entries added but not yet in the tree, in the order added (parallel arrays, as in a node).
   * Every read of the tree moves them in first (flush), so no reader can tell they were held
   * back; what the wait buys is order: a batch sorted once and merged into the tree (or inserted
   * in key order) instead of one random descent and node shift per row. The table flushes its
   * indexes when a transaction that wrote it ends. The hash, which uniqueness checks probe, is
   * never behind.
   */
  private pendingKeys: unknown[] = [];
  private pendingSlots: (RowSlot | null)[] = [];
  private pendingSrcs: (Row | null)[] = [];
  /**
   * Entries held back: the first pendingCount items of the arrays. The arrays are reused from
   * flush to flush (a single-row write flushes one entry per commit; new arrays each time were
   * three allocations per row), and replaced when a big batch grew them.
   */
  private pendingCount = 0;

  /**
   * `entryKeyOf(row)` is the key an entry stores: the tuple of key values (INCLUDE values may
   * follow; they are never compared) or, when `scalar`, the single key value.
   */
  constructor(
    name: string, unique: boolean, keyOf: KeyFn, entryOf: KeyFn, entryKeyOf: (row: Row) => unknown,
    columns: readonly KeyColumnOrder[], scalar = false,
  ) {
    if (scalar && columns.length !== 1) throw new Error('btree index: a scalar key needs exactly one column');
    this.name = name;
    this.unique = unique;
    this.keyOf = keyOf;
    this.entryOf = entryOf;
    this.entryKeyOf = entryKeyOf;
    this.columns = columns;
    this.scalar = scalar;
    const cmp = prefixComparator(columns);
    this.comparePrefix = cmp;
    let compareKey: KeyPrefixCompare;
    if (scalar) {
      const one = valueComparator(columns[0]!);
      compareKey = (k, p) => (p.length === 0 ? 0 : one(k, p[0] ?? null));
      this.tree = new BTree(one, !unique);
    } else {
      compareKey = (k, p) => cmp(k as readonly unknown[], p);
      this.tree = new BTree((a, b) => cmp(a as readonly unknown[], b as readonly unknown[]), !unique);
    }
    this.compareKey = compareKey;
    this.compareEntry = (e, p) => compareKey(e.key, p);
    this.eq = unique ? new HashIndex(name, unique, keyOf, entryOf) : null;
  }

  /** True while equality lookups are a hash probe (a unique index, or a hash already built). */
  get hashed(): boolean {
    return this.eq !== null;
  }

  /** The equality hash, built from the tree's entries when missing. */
  private hash(): HashIndex {
    const eq = this.eq;
    if (eq !== null) return eq;
    const built = new HashIndex(this.name, this.unique, this.keyOf, this.entryOf);
    this.flush();
    this.tree.forEach((_key, slot, src) => {
      // An entry's key is entryOf(its row) when it was added (add's contract); a stale row's
      // key expression may fail now (storedEntryOf in table-store.ts): nothing can probe for it.
      let key: IndexKey | null;
      try {
        key = src === null ? null : this.entryOf(src);
      } catch {
        key = null;
      }
      if (key !== null) built.add(key, slot);
    });
    this.eq = built;
    return built;
  }

  /** Key part `i` of an entry. */
  entryValue(e: BTreeEntry, i: number): unknown {
    return this.scalar ? (i === 0 ? e.key : undefined) : (e.key as readonly unknown[])[i];
  }

  add(key: IndexKey, slot: RowSlot, row: Row): void {
    this.eq?.add(key, slot);
    const n = this.pendingCount++;
    this.pendingKeys[n] = this.entryKeyOf(row);
    this.pendingSlots[n] = slot;
    this.pendingSrcs[n] = row;
  }

  /** Moves the entries add() held back into the tree (see pendingKeys). */
  flush(): void {
    const m = this.pendingCount;
    if (m === 0) return;
    this.pendingCount = 0;
    const tree = this.tree;
    if (m === 1) {
      // A single-row write's commit: no sort, no array calls.
      tree.insert(this.pendingKeys[0], this.pendingSlots[0]!, this.pendingSrcs[0]!);
      this.pendingKeys[0] = null;
      this.pendingSlots[0] = null;
      this.pendingSrcs[0] = null;
      return;
    }
    // The tree copies what it keeps, so the arrays themselves serve when they hold just the batch.
    const whole = this.pendingKeys.length === m;
    const keys = whole ? this.pendingKeys : this.pendingKeys.slice(0, m);
    const slots = (whole ? this.pendingSlots : this.pendingSlots.slice(0, m)) as RowSlot[];
    const srcs = whole ? this.pendingSrcs : this.pendingSrcs.slice(0, m);
    const idOrdered = inRowIdOrder(slots);
    const radix = idOrdered ? this.numericOrder(keys) : null;
    if (radix !== null || tree.mergesBatch(m)) {
      tree.insertSorted(keys, slots, srcs, radix ?? this.comparatorOrder(keys, slots), idOrdered);
    } else {
      // A comparison sort of a few entries into a big tree costs about what it would save.
      for (let i = 0; i < m; i++) tree.insert(keys[i], slots[i]!, srcs[i]!);
    }
    if (this.pendingKeys.length > PENDING_REUSE_MAX) {
      this.pendingKeys = [];
      this.pendingSlots = [];
      this.pendingSrcs = [];
    } else {
      // Let the rows go (a deleted row's version must not stay reachable from here).
      this.pendingKeys.fill(null, 0, m);
      this.pendingSlots.fill(null, 0, m);
      this.pendingSrcs.fill(null, 0, m);
    }
  }

  /** Builds the index from scratch (CREATE INDEX): the entries are sorted and the tree built bottom-up. */
  addAll(keys: readonly IndexKey[], slots: readonly RowSlot[], rows: readonly Row[]): void {
    this.clear();
    const n = rows.length;
    const entryKeys: unknown[] = new Array(n);
    const eq = this.eq;
    for (let i = 0; i < n; i++) {
      eq?.add(keys[i]!, slots[i]!);
      entryKeys[i] = this.entryKeyOf(rows[i]!);
    }
    // Versions of one row with the same key make equal entries; the tree keeps one of them.
    const idOrdered = inRowIdOrder(slots);
    const order = (idOrdered ? this.numericOrder(entryKeys) : null) ?? this.comparatorOrder(entryKeys, slots);
    this.tree.insertSorted(entryKeys, slots, rows, order, idOrdered);
  }

  private comparatorOrder(entryKeys: readonly unknown[], slots: readonly RowSlot[]): Int32Array {
    const tree = this.tree;
    const n = entryKeys.length;
    if (this.nativeStringOrder(entryKeys)) {
      // Code-unit order is the column's order here: a string sort, not textCompare through the
      // column comparator.
      const ids = new Float64Array(n);
      for (let i = 0; i < n; i++) ids[i] = slots[i]!.rowId;
      return stringOrder(entryKeys as readonly string[], ids, this.columns[0]!.desc);
    }
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    return order.sort((a, b) => tree.compare(entryKeys[a], slots[a]!, entryKeys[b], slots[b]!));
  }

  /** A one-column code-point-ordered key whose values are all strings that `<` orders right. */
  private nativeStringOrder(entryKeys: readonly unknown[]): boolean {
    return this.scalar && this.columns[0]!.codePoint === true && allCodeUnitOrdered(entryKeys);
  }

  /**
   * A one-column index over plain numbers (no NULL, no NaN) sorts by radix rather than through
   * the comparator. The radix order is stable, so ties keep their positions: the tree's order
   * only for entries in row-id order (inRowIdOrder).
   */
  private numericOrder(entryKeys: readonly unknown[]): ArrayLike<number> | null {
    const n = entryKeys.length;
    if (this.columns.length !== 1 || n < RADIX_MIN_ROWS) return null;
    const scalar = this.scalar;
    if (typeof (scalar ? entryKeys[0] : (entryKeys[0] as readonly unknown[])[0]) !== 'number') return null;
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = scalar ? entryKeys[i] : (entryKeys[i] as readonly unknown[])[0];
      if (typeof v !== 'number' || v !== v) return null;
      keys[i] = v;
    }
    return radixOrder([keys], [this.columns[0]!.desc], n);
  }

  remove(key: IndexKey, slot: RowSlot, row: Row): void {
    this.eq?.remove(key, slot);
    this.flush();
    this.tree.delete(this.entryKeyOf(row), slot);
  }

  lookup(key: IndexKey): readonly RowSlot[] | RowSlot | undefined {
    return this.hash().lookup(key);
  }

  clear(): void {
    if (this.unique) this.eq!.clear();
    else this.eq = null;
    this.pendingCount = 0;
    this.pendingKeys = [];
    this.pendingSlots = [];
    this.pendingSrcs = [];
    this.tree.clear();
  }

  /** Number of distinct entry keys (as the hash index reports). */
  get size(): number {
    if (this.eq !== null) return this.eq.size;
    this.flush();
    return this.tree.distinctKeys;
  }

  /** Number of (key, slot) entries in the tree. */
  get entries(): number {
    this.flush();
    return this.tree.size;
  }

  /**
   * Iterates entries between two bounds in index order (or backwards). A null bound is open.
   * The scan reads the live tree: callers consume it before the table changes (the executor
   * collects a batch of slots at a time within one statement step).
   */
  range(lower: RangeBound | null, upper: RangeBound | null, backward: boolean): RangeScan {
    this.flush();
    const cmp = this.compareKey;
    if (!backward) {
      const c = lower === null
        ? this.tree.first()
        : this.tree.seek(lower.inclusive ? (k) => cmp(k, lower.vals) < 0 : (k) => cmp(k, lower.vals) <= 0);
      return new RangeScan(this.tree, c, upper, false, cmp);
    }
    const c = upper === null
      ? this.tree.last()
      : this.tree.seekLast(upper.inclusive ? (k) => cmp(k, upper.vals) > 0 : (k) => cmp(k, upper.vals) >= 0);
    return new RangeScan(this.tree, c, lower, true, cmp);
  }

  checkIntegrity(): void {
    this.flush();
    this.tree.checkIntegrity();
  }
}

/** Held-back entry arrays longer than this are dropped after a flush rather than reused. */
const PENDING_REUSE_MAX = 1024;

/**
 * True when the slots' row ids never decrease: a table's slots, rows inserted in order (equal ids
 * are versions of one row); not rows updated in any order.
 */
function inRowIdOrder(slots: readonly RowSlot[]): boolean {
  for (let i = 1; i < slots.length; i++) if (slots[i - 1]!.rowId > slots[i]!.rowId) return false;
  return true;
}

/** The entry a RangeScan hands out: one object per scan, refilled by every next(). */
class EntryView implements BTreeEntry {
  key: unknown = null;
  slot: RowSlot = null as unknown as RowSlot;
  src: Row | null = null;
}

/**
 * A running range scan: yields entries until the far bound is passed. It survives changes to the
 * tree between calls (a statement that writes the table it scans): when the tree's version moved,
 * it re-seeks just past the last entry it returned instead of trusting its leaf position. The
 * entry next() returns is valid until the following call (it is refilled, not allocated).
 */
export class RangeScan {
  private readonly tree: BTree;
  private cursor: BTreeCursor;
  private readonly stop: RangeBound | null;
  private readonly backward: boolean;
  private readonly cmp: KeyPrefixCompare;
  private version: number;
  private readonly view = new EntryView();
  /** Whether `view` holds an entry already returned (the re-seek point). */
  private started = false;

  constructor(tree: BTree, cursor: BTreeCursor, stop: RangeBound | null, backward: boolean, cmp: KeyPrefixCompare) {
    this.tree = tree;
    this.cursor = cursor;
    this.stop = stop;
    this.backward = backward;
    this.cmp = cmp;
    this.version = tree.version;
  }

  next(): BTreeEntry | null {
    const view = this.view;
    if (this.tree.version !== this.version) {
      this.version = this.tree.version;
      if (this.started && this.cursor.leaf !== null) this.cursor = this.tree.seekAfter(view.key, view.slot, this.backward);
    }
    const cursor = this.cursor;
    if (cursor.leaf === null) return null;
    const key = cursor.key;
    const stop = this.stop;
    if (stop !== null) {
      const c = this.cmp(key, stop.vals);
      if (this.backward ? (stop.inclusive ? c < 0 : c <= 0) : (stop.inclusive ? c > 0 : c >= 0)) {
        cursor.leaf = null;
        return null;
      }
    }
    view.key = key;
    view.slot = cursor.slot;
    view.src = cursor.src;
    this.started = true;
    if (this.backward) cursor.backward();
    else cursor.forward();
    return view;
  }
}
