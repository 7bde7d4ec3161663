/**
 * An in-memory B+tree of index entries (key + row slot), ordered by a caller-supplied key
 * comparator and then by the slot's row id, so duplicate keys are fine and every entry is unique.
 * The tree does not look inside keys: the index decides whether an entry's key is a tuple of key
 * values or, for a one-column index, the value itself (btree-index.ts).
 *
 * Shape: inner nodes hold separators and children; leaves hold entries and are doubly linked, so
 * range scans walk leaves in either direction without going back up the tree. Node layout and
 * the cursor are in btree-node.ts.
 *
 * Invariants (checked by `checkIntegrity`, run by the property tests):
 * - every leaf is at the same depth; entries within a node are strictly increasing;
 * - for inner separators s[i]: every entry of child i < s[i] <= every entry of child i+1
 *   (a separator is not updated when the entry it was copied from is deleted; the inequality
 *   still holds, which is all a search needs);
 * - every node but the root holds at least MIN entries (or children); the root leaf may be empty;
 * - the leaf chain visits every entry once, in order.
 *
 * Insert and delete are O(log n) (split on overflow, borrow-or-merge on underflow).
 */
import type { Row, RowSlot } from './version.ts';
import { BNode, BTreeCursor, insertAt, removeAt, type BTreeEntry, type SeekBefore } from './btree-node.ts';

export { BTreeCursor, btreeEntry, type BTreeEntry, type SeekBefore } from './btree-node.ts';

/** Orders two entry keys (negative, zero, positive). */
export type KeyCompare = (a: unknown, b: unknown) => number;

/** Entries per node: wide enough for shallow trees, small enough for cheap in-node shifting. */
export const BTREE_FANOUT = 64;
const MAX = BTREE_FANOUT;
const MIN = MAX >> 1;
/** Entries (or children) per node of a bulk build: room left for later inserts, as a fill factor. */
const BUILD_FILL = Math.floor(MAX * 0.9);
/**
 * insertSorted merges and rebuilds when the batch holds at least MERGE_MIN_BATCH entries and one
 * per MERGE_TREE_RATIO entries of the tree: a merge touches every entry once (a comparison and
 * three array stores), an insert descends the tree and shifts half a node, several times dearer.
 */
const MERGE_MIN_BATCH = 64;
const MERGE_TREE_RATIO = 4;

/**
 * Node sizes for `items` entries (or children) spread evenly over as few nodes as BUILD_FILL
 * allows, each holding at least MIN (a single node may hold fewer: it is the root).
 */
function buildSizes(items: number): number[] {
  let nodes = Math.max(1, Math.ceil(items / BUILD_FILL));
  while (nodes > 1 && Math.floor(items / nodes) < MIN) nodes--;
  const sizes: number[] = [];
  for (let i = 0; i < nodes; i++) sizes.push(Math.floor((items * (i + 1)) / nodes) - Math.floor((items * i) / nodes));
  return sizes;
}

/** The separator and new right sibling a split hands to the parent. */
interface Split {
  readonly key: unknown;
  readonly slot: RowSlot;
  readonly right: BNode;
}

export class BTree {
  private root: BNode = new BNode(true, [], [], [], []);
  private count = 0;
  /**
   * Number of distinct keys (entries equal under the key comparator count once), kept only when
   * the tree was asked to (countKeys): comparing each insert or delete with its two neighbours
   * costs two key comparisons, which an index that has its own count does not need.
   */
  private keyCount = 0;
  private readonly countKeys: boolean;
  /** Bumped by every insert and delete: open cursors re-seek when it moved (see RangeScan). */
  version = 0;
  /**
   * At least the largest row id of any entry (-1: none yet); deletes leave it. A batch whose row
   * ids are all above it sorts after every tree entry of an equal key, so insertSorted's merge
   * breaks ties without reading the slots (a random read each, on a tree of old-generation
   * objects, where a column of repeated keys meets one on nearly every comparison).
   */
  private maxRowId = -1;
  private readonly cmpKey: KeyCompare;

  constructor(cmpKey: KeyCompare, countKeys = false) {
    this.cmpKey = cmpKey;
    this.countKeys = countKeys;
  }

  get size(): number {
    return this.count;
  }

  /** Number of distinct keys; only kept when the tree was built with countKeys. */
  get distinctKeys(): number {
    if (!this.countKeys) throw new Error('btree: distinct keys are not counted for this tree');
    return this.keyCount;
  }

  /** Orders two entries as the tree does (key, then row id). */
  compare(ak: unknown, as: RowSlot, bk: unknown, bs: RowSlot): number {
    const c = this.cmpKey(ak, bk);
    return c !== 0 ? c : as.rowId - bs.rowId;
  }

  /** Adds an entry; false when an equal entry (same key and slot) is already there. */
  insert(key: unknown, slot: RowSlot, src: Row | null = null): boolean {
    if (slot.rowId > this.maxRowId) this.maxRowId = slot.rowId;
    const split = this.insertInto(this.root, key, slot, src);
    if (split === false) return false;
    if (split !== null) this.root = new BNode(false, [split.key], [split.slot], [], [this.root, split.right]);
    this.count++;
    this.version++;
    return true;
  }

  /** True when insertSorted would merge a batch of `m` entries rather than insert them one by one. */
  mergesBatch(m: number): boolean {
    return this.count === 0 || (m >= MERGE_MIN_BATCH && m * MERGE_TREE_RATIO >= this.count);
  }

  /**
   * Adds the entries at positions order[0], order[1], ... of the parallel arrays, which must put
   * them in tree order (duplicates allowed); an entry equal to one already in the tree (or to an
   * earlier one of the batch) is dropped, as insert() drops it. A batch that is large against the
   * tree is merged with the tree's entries and the tree rebuilt bottom-up (O(n + m), leaves 90%
   * full); a small one is inserted entry by entry, in order, so consecutive descents share nodes.
   * `slotsInIdOrder`: the caller knows `slots` is in row-id order (its ends are the lowest and
   * highest row ids), which saves reading every slot's row id again.
   */
  insertSorted(
    keys: readonly unknown[], slots: readonly RowSlot[], srcs: readonly (Row | null)[], order: ArrayLike<number>,
    slotsInIdOrder = false,
  ): void {
    const m = order.length;
    const n = this.count;
    if (!this.mergesBatch(m)) {
      for (let i = 0; i < m; i++) {
        const at = order[i]!;
        this.insert(keys[at], slots[at]!, srcs[at]!);
      }
      return;
    }
    let lowId = Infinity;
    let highId = -1;
    if (slotsInIdOrder && slots.length > 0) {
      lowId = slots[0]!.rowId;
      highId = slots[slots.length - 1]!.rowId;
    } else {
      for (let i = 0; i < m; i++) {
        const id = slots[order[i]!]!.rowId;
        if (id < lowId) lowId = id;
        if (id > highId) highId = id;
      }
    }
    const after = lowId > this.maxRowId;
    const outKeys = new Array<unknown>(n + m);
    const outSlots = new Array<RowSlot>(n + m);
    const outSrcs = new Array<Row | null>(n + m);
    let w = 0;
    let j = 0;
    // Tree entries are distinct, and a batch entry equal to one is met (c === 0) before that one
    // is written; so only a batch entry written last can equal the next batch entry. Among equals
    // the tree's entry is kept (with its src), as insert() keeps it. (The comparator is called
    // through `this`: a local copy of it made this loop a quarter slower.)
    let lastFromBatch = false;
    for (let leaf: BNode | null = this.firstLeaf(); leaf !== null; leaf = leaf.next) {
      const lk = leaf.keys;
      const ls = leaf.slots;
      const lr = leaf.srcs;
      for (let li = 0; li < lk.length; li++) {
        const k = lk[li];
        const s = ls[li]!;
        for (; j < m; j++) {
          const at = order[j]!;
          let c = this.cmpKey(keys[at], k);
          if (c === 0) c = after ? 1 : slots[at]!.rowId - s.rowId;
          if (c > 0) break;
          if (c === 0 || (lastFromBatch && this.compare(outKeys[w - 1], outSlots[w - 1]!, keys[at], slots[at]!) === 0)) continue;
          outKeys[w] = keys[at];
          outSlots[w] = slots[at]!;
          outSrcs[w] = srcs[at]!;
          w++;
          lastFromBatch = true;
        }
        outKeys[w] = k;
        outSlots[w] = s;
        outSrcs[w] = lr[li]!;
        w++;
        lastFromBatch = false;
      }
    }
    for (; j < m; j++) {
      const at = order[j]!;
      if (lastFromBatch && this.compare(outKeys[w - 1], outSlots[w - 1]!, keys[at], slots[at]!) === 0) continue;
      outKeys[w] = keys[at];
      outSlots[w] = slots[at]!;
      outSrcs[w] = srcs[at]!;
      w++;
      lastFromBatch = true;
    }
    outKeys.length = w;
    outSlots.length = w;
    outSrcs.length = w;
    const maxRowId = Math.max(this.maxRowId, highId);
    this.buildFrom(outKeys, outSlots, outSrcs);
    this.maxRowId = maxRowId;
  }

  private firstLeaf(): BNode {
    let n = this.root;
    while (!n.leaf) n = n.children[0]!;
    return n;
  }

  /** buildFrom() over entry objects (tests). */
  build(entries: readonly BTreeEntry[]): void {
    this.buildFrom(entries.map((e) => e.key), entries.map((e) => e.slot), entries.map((e) => e.src));
    this.maxRowId = entries.reduce((max, e) => Math.max(max, e.slot.rowId), -1);
  }

  /**
   * Replaces the contents with the entries of the parallel arrays, which must be in tree order
   * and distinct: leaves are filled left to right (each a slice of the arrays) and each level
   * above is built from the one below, as PostgreSQL's btbuild does after its sort. O(n) against
   * O(n log n) inserts, and leaves end up 90% full, not half.
   */
  private buildFrom(keys: readonly unknown[], slots: readonly RowSlot[], srcs: readonly (Row | null)[]): void {
    const n = keys.length;
    if (n === 0) {
      this.clear();
      return;
    }
    let level: BNode[] = [];
    let at = 0;
    for (const size of buildSizes(n)) {
      const leaf = new BNode(true, keys.slice(at, at + size), slots.slice(at, at + size), srcs.slice(at, at + size), []);
      const prev = level[level.length - 1];
      if (prev !== undefined) {
        prev.next = leaf;
        leaf.prev = prev;
      }
      level.push(leaf);
      at += size;
    }
    let lowKeys = level.map((node) => node.keys[0]);
    let lowSlots = level.map((node) => node.slots[0]!);
    while (level.length > 1) {
      const up: BNode[] = [];
      const upKeys: unknown[] = [];
      const upSlots: RowSlot[] = [];
      at = 0;
      for (const size of buildSizes(level.length)) {
        up.push(new BNode(false, lowKeys.slice(at + 1, at + size), lowSlots.slice(at + 1, at + size), [], level.slice(at, at + size)));
        upKeys.push(lowKeys[at]);
        upSlots.push(lowSlots[at]!);
        at += size;
      }
      level = up;
      lowKeys = upKeys;
      lowSlots = upSlots;
    }
    this.root = level[0]!;
    this.count = n;
    if (this.countKeys) {
      let distinct = 1;
      for (let i = 1; i < n; i++) if (this.cmpKey(keys[i - 1], keys[i]) !== 0) distinct++;
      this.keyCount = distinct;
    }
    this.version++;
  }

  /** Removes the entry with this key and slot; false when there is none. */
  delete(key: unknown, slot: RowSlot): boolean {
    const found = this.deleteFrom(this.root, key, slot);
    if (!found) return false;
    const root = this.root;
    if (!root.leaf && root.children.length === 1) this.root = root.children[0]!;
    this.count--;
    this.version++;
    return true;
  }

  clear(): void {
    this.root = new BNode(true, [], [], [], []);
    this.maxRowId = -1;
    this.count = 0;
    this.keyCount = 0;
    this.version++;
  }

  /** Calls `fn` for every entry in order. */
  forEach(fn: (key: unknown, slot: RowSlot, src: Row | null) => void): void {
    for (let n: BNode | null = this.firstLeaf(); n !== null; n = n.next) {
      const { keys, slots, srcs } = n;
      for (let i = 0; i < keys.length; i++) fn(keys[i], slots[i]!, srcs[i]!);
    }
  }

  /** Cursor at the first entry after (key, slot) in scan direction (re-positioning after changes). */
  seekAfter(key: unknown, slot: RowSlot, backward: boolean): BTreeCursor {
    if (!backward) return this.seek((k, s) => this.compare(k, s, key, slot) <= 0);
    const c = this.seek((k, s) => this.compare(k, s, key, slot) < 0);
    if (c.leaf === null) return this.last();
    c.backward();
    return c;
  }

  /**
   * Cursor at the first entry for which `before(key, slot)` is false; `before` must be true for a
   * (possibly empty) prefix of the entries and false after it.
   */
  seek(before: SeekBefore): BTreeCursor {
    let n = this.root;
    while (!n.leaf) {
      let lo = 0;
      let hi = n.keys.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (before(n.keys[mid], n.slots[mid]!)) lo = mid + 1;
        else hi = mid;
      }
      n = n.children[lo]!;
    }
    let lo = 0;
    let hi = n.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (before(n.keys[mid], n.slots[mid]!)) lo = mid + 1;
      else hi = mid;
    }
    const c = new BTreeCursor(n, lo - 1);
    c.forward();
    return c;
  }

  /** Cursor at the last entry for which `after(key, slot)` is false (`after`: false...true). */
  seekLast(after: SeekBefore): BTreeCursor {
    const c = this.seek((k, s) => !after(k, s));
    if (c.leaf === null) return this.last();
    c.backward();
    return c;
  }

  first(): BTreeCursor {
    const c = new BTreeCursor(this.firstLeaf(), -1);
    c.forward();
    return c;
  }

  last(): BTreeCursor {
    let n = this.root;
    while (!n.leaf) n = n.children[n.children.length - 1]!;
    const c = new BTreeCursor(n, n.keys.length);
    c.backward();
    return c;
  }

  /** Index of the first entry >= (key, slot) in a node (binary search). */
  private lowerBound(n: BNode, key: unknown, slot: RowSlot): number {
    const keys = n.keys;
    const slots = n.slots;
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.compare(keys[mid], slots[mid]!, key, slot) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Child holding (key, slot): the number of separators <= it. */
  private childFor(n: BNode, key: unknown, slot: RowSlot): number {
    const keys = n.keys;
    const slots = n.slots;
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.compare(keys[mid], slots[mid]!, key, slot) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Returns false (duplicate), null (no split) or the new right sibling and its separator. */
  private insertInto(n: BNode, key: unknown, slot: RowSlot, src: Row | null): Split | null | false {
    if (n.leaf) {
      const i = this.lowerBound(n, key, slot);
      if (i < n.keys.length && this.compare(n.keys[i], n.slots[i]!, key, slot) === 0) return false;
      if (this.countKeys && !this.keyBeside(n, i - 1, i, key)) this.keyCount++;
      insertAt(n.keys, i, key);
      insertAt(n.slots, i, slot);
      insertAt(n.srcs, i, src);
      if (n.keys.length <= MAX) return null;
      // Both halves get arrays of their exact size: splice would leave the left one its full
      // backing store, which under ascending inserts (a serial key) is never filled again.
      const { keys, slots, srcs } = n;
      const right = new BNode(true, keys.slice(MIN), slots.slice(MIN), srcs.slice(MIN), []);
      n.keys = keys.slice(0, MIN);
      n.slots = slots.slice(0, MIN);
      n.srcs = srcs.slice(0, MIN);
      right.next = n.next;
      if (right.next !== null) right.next.prev = right;
      right.prev = n;
      n.next = right;
      return { key: right.keys[0], slot: right.slots[0]!, right };
    }
    const ci = this.childFor(n, key, slot);
    const split = this.insertInto(n.children[ci]!, key, slot, src);
    if (split === null || split === false) return split;
    insertAt(n.keys, ci, split.key);
    insertAt(n.slots, ci, split.slot);
    insertAt(n.children, ci + 1, split.right);
    if (n.children.length <= MAX) return null;
    // Inner split: the middle separator moves up.
    const mid = n.keys.length >> 1;
    const sepKey = n.keys[mid];
    const sepSlot = n.slots[mid]!;
    const right = new BNode(false, n.keys.slice(mid + 1), n.slots.slice(mid + 1), [], n.children.splice(mid + 1));
    n.keys.length = mid;
    n.slots.length = mid;
    return { key: sepKey, slot: sepSlot, right };
  }

  /**
   * True when the entry at `left` or at `right` of leaf `n` (either may lie in a neighbouring leaf:
   * -1 is the previous leaf's last, keys.length the next leaf's first) has key `key`.
   */
  private keyBeside(n: BNode, left: number, right: number, key: unknown): boolean {
    if (left >= 0) {
      if (this.cmpKey(n.keys[left], key) === 0) return true;
    } else {
      // Not keys[-1]: a negative index is a property lookup on the array, off the fast path.
      let p = n.prev;
      while (p !== null && p.keys.length === 0) p = p.prev;
      if (p !== null && this.cmpKey(p.keys[p.keys.length - 1], key) === 0) return true;
    }
    if (right < n.keys.length) return this.cmpKey(n.keys[right], key) === 0;
    let q = n.next;
    while (q !== null && q.keys.length === 0) q = q.next;
    return q !== null && this.cmpKey(q.keys[0], key) === 0;
  }

  private deleteFrom(n: BNode, key: unknown, slot: RowSlot): boolean {
    if (n.leaf) {
      const i = this.lowerBound(n, key, slot);
      if (i >= n.keys.length || this.compare(n.keys[i], n.slots[i]!, key, slot) !== 0) return false;
      if (this.countKeys && !this.keyBeside(n, i - 1, i + 1, key)) this.keyCount--;
      removeAt(n.keys, i);
      removeAt(n.slots, i);
      removeAt(n.srcs, i);
      return true;
    }
    const ci = this.childFor(n, key, slot);
    const child = n.children[ci]!;
    if (!this.deleteFrom(child, key, slot)) return false;
    const size = child.leaf ? child.keys.length : child.children.length;
    if (size < MIN) this.rebalance(n, ci);
    return true;
  }

  /** Fixes an underfull child `ci` of `parent`: borrow from a sibling, else merge with one. */
  private rebalance(parent: BNode, ci: number): void {
    const child = parent.children[ci]!;
    const left = ci > 0 ? parent.children[ci - 1]! : null;
    const right = ci + 1 < parent.children.length ? parent.children[ci + 1]! : null;
    const sizeOf = (x: BNode): number => (x.leaf ? x.keys.length : x.children.length);
    if (left !== null && sizeOf(left) > MIN) {
      if (child.leaf) {
        child.keys.unshift(left.keys.pop());
        child.slots.unshift(left.slots.pop()!);
        child.srcs.unshift(left.srcs.pop()!);
        parent.keys[ci - 1] = child.keys[0];
        parent.slots[ci - 1] = child.slots[0]!;
      } else {
        child.keys.unshift(parent.keys[ci - 1]);
        child.slots.unshift(parent.slots[ci - 1]!);
        parent.keys[ci - 1] = left.keys.pop();
        parent.slots[ci - 1] = left.slots.pop()!;
        child.children.unshift(left.children.pop()!);
      }
      return;
    }
    if (right !== null && sizeOf(right) > MIN) {
      if (child.leaf) {
        child.keys.push(right.keys.shift());
        child.slots.push(right.slots.shift()!);
        child.srcs.push(right.srcs.shift()!);
        parent.keys[ci] = right.keys[0];
        parent.slots[ci] = right.slots[0]!;
      } else {
        child.keys.push(parent.keys[ci]);
        child.slots.push(parent.slots[ci]!);
        parent.keys[ci] = right.keys.shift();
        parent.slots[ci] = right.slots.shift()!;
        child.children.push(right.children.shift()!);
      }
      return;
    }
    if (left !== null) this.merge(parent, ci - 1);
    else if (right !== null) this.merge(parent, ci);
  }

  /** Merges child i+1 of `parent` into child i. */
  private merge(parent: BNode, i: number): void {
    const a = parent.children[i]!;
    const b = parent.children[i + 1]!;
    if (a.leaf) {
      a.keys = a.keys.concat(b.keys);
      a.slots = a.slots.concat(b.slots);
      a.srcs = a.srcs.concat(b.srcs);
      a.next = b.next;
      if (b.next !== null) b.next.prev = a;
    } else {
      // The separator comes down between the two halves (wrapped: a tuple key is one element).
      a.keys = a.keys.concat([parent.keys[i]], b.keys);
      a.slots = a.slots.concat([parent.slots[i]!], b.slots);
      for (const c of b.children) a.children.push(c);
    }
    parent.keys.splice(i, 1);
    parent.slots.splice(i, 1);
    parent.children.splice(i + 1, 1);
  }

  /** Verifies every invariant in the header; throws with a description on the first breach. */
  checkIntegrity(): void {
    let leafDepth = -1;
    let counted = 0;
    type Bound = { readonly k: unknown; readonly s: RowSlot } | null;
    const cmpAt = (n: BNode, i: number, b: NonNullable<Bound>): number => this.compare(n.keys[i], n.slots[i]!, b.k, b.s);
    const walk = (n: BNode, depth: number, lo: Bound, hi: Bound): void => {
      if (n.slots.length !== n.keys.length || n.srcs.length !== (n.leaf ? n.keys.length : 0)) {
        throw new Error('btree: parallel arrays of different lengths');
      }
      if (n !== this.root) {
        const size = n.leaf ? n.keys.length : n.children.length;
        if (size < MIN) throw new Error(`btree: node below minimum (${size})`);
      }
      for (let i = 1; i < n.keys.length; i++) {
        if (cmpAt(n, i - 1, { k: n.keys[i], s: n.slots[i]! }) >= 0) throw new Error('btree: keys out of order');
      }
      if (n.leaf) {
        if (leafDepth === -1) leafDepth = depth;
        if (leafDepth !== depth) throw new Error('btree: leaves at different depths');
        for (let i = 0; i < n.keys.length; i++) {
          if (lo !== null && cmpAt(n, i, lo) < 0) throw new Error('btree: entry below its separator');
          if (hi !== null && cmpAt(n, i, hi) >= 0) throw new Error('btree: entry above its separator');
        }
        counted += n.keys.length;
        return;
      }
      if (n.children.length !== n.keys.length + 1) throw new Error('btree: children/separators mismatch');
      const sep = (i: number): Bound => ({ k: n.keys[i], s: n.slots[i]! });
      n.children.forEach((c, i) => walk(c, depth + 1, i === 0 ? lo : sep(i - 1), i < n.keys.length ? sep(i) : hi));
    };
    walk(this.root, 0, null, null);
    if (counted !== this.count) throw new Error(`btree: size ${this.count} but ${counted} entries`);
    let chained = 0;
    let distinct = 0;
    let prevKey: unknown = undefined;
    let prevSlot: RowSlot | null = null;
    for (const c = this.first(); c.leaf !== null; c.forward()) {
      const k = c.key;
      const s = c.slot;
      if (prevSlot !== null && this.compare(prevKey, prevSlot, k, s) >= 0) throw new Error('btree: leaf chain out of order');
      if (prevSlot === null || this.cmpKey(prevKey, k) !== 0) distinct++;
      prevKey = k;
      prevSlot = s;
      chained++;
    }
    if (chained !== this.count) throw new Error('btree: leaf chain misses entries');
    if (this.countKeys && distinct !== this.keyCount) {
      throw new Error(`btree: ${this.keyCount} distinct keys counted but ${distinct} in the tree`);
    }
  }
}
