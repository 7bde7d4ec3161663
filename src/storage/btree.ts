/**
 * An in-memory B+tree of index entries (key + row slot), ordered by a caller-supplied key
 * comparator and then by the slot's row id, so duplicate keys are fine and every entry is unique.
 * The tree does not look inside keys: the index decides whether an entry's key is a tuple of key
 * values or, for a one-column index, the value itself (btree-index.ts).
 *
 * Shape: inner nodes hold separators and children; leaves hold entries and are doubly linked, so
 * range scans walk leaves in either direction without going back up the tree.
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

/** Orders two entry keys (negative, zero, positive). */
export type KeyCompare = (a: unknown, b: unknown) => number;

/** Entries per node: wide enough for shallow trees, small enough for cheap splice. */
export const BTREE_FANOUT = 64;
const MAX = BTREE_FANOUT;
const MIN = MAX >> 1;
/** Entries (or children) per node of a bulk build: room left for later inserts, as a fill factor. */
const BUILD_FILL = Math.floor(MAX * 0.9);

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

export interface BTreeEntry {
  /** The key the tree orders by (its comparator's domain). */
  readonly key: unknown;
  readonly slot: RowSlot;
  /**
   * The stored row (version values) the entry was made from. A reader whose visible version has
   * these very values knows the entry is exact and skips re-checking the key.
   */
  readonly src: Row | null;
}

class Entry implements BTreeEntry {
  readonly key: unknown;
  readonly slot: RowSlot;
  readonly src: Row | null;
  constructor(key: unknown, slot: RowSlot, src: Row | null) {
    this.key = key;
    this.slot = slot;
    this.src = src;
  }
}

/** A new entry: a class instance, allocated young like the slot and row it points to (see version.ts). */
export function btreeEntry(key: unknown, slot: RowSlot, src: Row | null): BTreeEntry {
  return new Entry(key, slot, src);
}

class BNode {
  readonly leaf: boolean;
  /** Leaf: the entries. Inner: the separators (children.length - 1 of them). */
  keys: BTreeEntry[];
  readonly children: BNode[];
  next: BNode | null = null;
  prev: BNode | null = null;

  constructor(leaf: boolean, keys: BTreeEntry[], children: BNode[]) {
    this.leaf = leaf;
    this.keys = keys;
    this.children = children;
  }
}

/** A position in the leaf chain (leaf + index); `leaf === null` means past either end. */
export class BTreeCursor {
  leaf: BNode | null;
  pos: number;

  constructor(leaf: BNode | null, pos: number) {
    this.leaf = leaf;
    this.pos = pos;
  }

  /** The entry under the cursor, or null at the end. */
  get entry(): BTreeEntry | null {
    return this.leaf === null ? null : (this.leaf.keys[this.pos] ?? null);
  }

  forward(): void {
    const leaf = this.leaf;
    if (leaf === null) return;
    if (++this.pos < leaf.keys.length) return;
    let n = leaf.next;
    while (n !== null && n.keys.length === 0) n = n.next;
    this.leaf = n;
    this.pos = 0;
  }

  backward(): void {
    const leaf = this.leaf;
    if (leaf === null) return;
    if (--this.pos >= 0) return;
    let n = leaf.prev;
    while (n !== null && n.keys.length === 0) n = n.prev;
    this.leaf = n;
    this.pos = n === null ? 0 : n.keys.length - 1;
  }
}

export class BTree {
  private root: BNode = new BNode(true, [], []);
  private count = 0;
  /**
   * Number of distinct keys (entries equal under the key comparator count once), kept only when
   * the tree was asked to (countKeys): comparing each insert or delete with its two neighbours
   * costs two key comparisons, which an index that has its own count does not need.
   */
  private keyCount = 0;
  private readonly countKeys: boolean;
  /** Bumped by every insert and delete: open cursors re-seek when it moved (see BTreeScan). */
  version = 0;
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

  private cmp(a: BTreeEntry, b: BTreeEntry): number {
    const c = this.cmpKey(a.key, b.key);
    return c !== 0 ? c : a.slot.rowId - b.slot.rowId;
  }

  /** Adds an entry; false when an equal entry (same key and slot) is already there. */
  insert(key: unknown, slot: RowSlot, src: Row | null = null): boolean {
    const e = btreeEntry(key, slot, src);
    const split = this.insertInto(this.root, e);
    if (split === false) return false;
    if (split !== null) this.root = new BNode(false, [split.sep], [this.root, split.right]);
    this.count++;
    this.version++;
    return true;
  }

  /**
   * Replaces the contents with `entries`, which must be in order and distinct: leaves are filled
   * left to right and each level above is built from the one below, as PostgreSQL's btbuild does
   * after its sort. O(n) against O(n log n) inserts, and leaves end up 90% full, not half.
   */
  build(entries: readonly BTreeEntry[]): void {
    const n = entries.length;
    if (n === 0) {
      this.clear();
      return;
    }
    let level: BNode[] = [];
    let at = 0;
    for (const size of buildSizes(n)) {
      const leaf = new BNode(true, entries.slice(at, at + size), []);
      const prev = level[level.length - 1];
      if (prev !== undefined) {
        prev.next = leaf;
        leaf.prev = prev;
      }
      level.push(leaf);
      at += size;
    }
    // The smallest entry under each node of the level: the separators one level up.
    let lowest = level.map((node) => node.keys[0]!);
    while (level.length > 1) {
      const up: BNode[] = [];
      const upLowest: BTreeEntry[] = [];
      at = 0;
      for (const size of buildSizes(level.length)) {
        up.push(new BNode(false, lowest.slice(at + 1, at + size), level.slice(at, at + size)));
        upLowest.push(lowest[at]!);
        at += size;
      }
      level = up;
      lowest = upLowest;
    }
    this.root = level[0]!;
    this.count = n;
    if (this.countKeys) {
      let keys = 1;
      for (let i = 1; i < n; i++) if (this.cmpKey(entries[i - 1]!.key, entries[i]!.key) !== 0) keys++;
      this.keyCount = keys;
    }
    this.version++;
  }

  /** Orders two entries as the tree does (key, then row id). */
  compareEntries(a: BTreeEntry, b: BTreeEntry): number {
    return this.cmp(a, b);
  }

  /** Removes the entry with this key and slot; false when there is none. */
  delete(key: unknown, slot: RowSlot): boolean {
    const found = this.deleteFrom(this.root, btreeEntry(key, slot, null));
    if (!found) return false;
    const root = this.root;
    if (!root.leaf && root.children.length === 1) this.root = root.children[0]!;
    this.count--;
    this.version++;
    return true;
  }

  clear(): void {
    this.root = new BNode(true, [], []);
    this.count = 0;
    this.keyCount = 0;
    this.version++;
  }

  /** Cursor at the first entry after `e` in scan direction (re-positioning after changes). */
  seekAfter(e: BTreeEntry, backward: boolean): BTreeCursor {
    if (!backward) return this.seek((x) => this.cmp(x, e) <= 0);
    const c = this.seek((x) => this.cmp(x, e) < 0);
    if (c.leaf === null) return this.last();
    c.backward();
    return c;
  }

  /**
   * Cursor at the first entry for which `before(entry)` is false; `before` must be true for a
   * (possibly empty) prefix of the entries and false after it.
   */
  seek(before: (e: BTreeEntry) => boolean): BTreeCursor {
    let n = this.root;
    while (!n.leaf) {
      let lo = 0;
      let hi = n.keys.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (before(n.keys[mid]!)) lo = mid + 1;
        else hi = mid;
      }
      n = n.children[lo]!;
    }
    let lo = 0;
    let hi = n.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (before(n.keys[mid]!)) lo = mid + 1;
      else hi = mid;
    }
    const c = new BTreeCursor(n, lo - 1);
    c.forward();
    return c;
  }

  /** Cursor at the last entry for which `after(entry)` is false (`after`: false...true). */
  seekLast(after: (e: BTreeEntry) => boolean): BTreeCursor {
    const c = this.seek((e) => !after(e));
    if (c.leaf === null) return this.last();
    c.backward();
    return c;
  }

  first(): BTreeCursor {
    let n = this.root;
    while (!n.leaf) n = n.children[0]!;
    const c = new BTreeCursor(n, -1);
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

  /** Index of the first key >= e in a node (binary search). */
  private lowerBound(keys: readonly BTreeEntry[], e: BTreeEntry): number {
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cmp(keys[mid]!, e) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Child holding e: the number of separators <= e. */
  private childFor(n: BNode, e: BTreeEntry): number {
    let lo = 0;
    let hi = n.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cmp(n.keys[mid]!, e) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Returns false (duplicate), null (no split) or the new right sibling and its separator. */
  private insertInto(n: BNode, e: BTreeEntry): { sep: BTreeEntry; right: BNode } | null | false {
    if (n.leaf) {
      const i = this.lowerBound(n.keys, e);
      const at = n.keys[i];
      if (at !== undefined && this.cmp(at, e) === 0) return false;
      if (this.countKeys && !this.keyBeside(n, i - 1, i, e.key)) this.keyCount++;
      n.keys.splice(i, 0, e);
      if (n.keys.length <= MAX) return null;
      const right = new BNode(true, n.keys.splice(MIN), []);
      right.next = n.next;
      if (right.next !== null) right.next.prev = right;
      right.prev = n;
      n.next = right;
      return { sep: right.keys[0]!, right };
    }
    const ci = this.childFor(n, e);
    const split = this.insertInto(n.children[ci]!, e);
    if (split === null || split === false) return split;
    n.keys.splice(ci, 0, split.sep);
    n.children.splice(ci + 1, 0, split.right);
    if (n.children.length <= MAX) return null;
    // Inner split: the middle separator moves up.
    const mid = n.keys.length >> 1;
    const sep = n.keys[mid]!;
    const right = new BNode(false, n.keys.slice(mid + 1), n.children.splice(mid + 1));
    n.keys.length = mid;
    return { sep, right };
  }

  /**
   * True when the entry at `left` or at `right` of leaf `n` (either may lie in a neighbouring leaf:
   * -1 is the previous leaf's last, keys.length the next leaf's first) has key `key`.
   */
  private keyBeside(n: BNode, left: number, right: number, key: unknown): boolean {
    let l: BTreeEntry | undefined;
    if (left >= 0) {
      l = n.keys[left];
    } else {
      // Not keys[-1]: a negative index is a property lookup on the array, off the fast path.
      let p = n.prev;
      while (p !== null && p.keys.length === 0) p = p.prev;
      l = p === null ? undefined : p.keys[p.keys.length - 1];
    }
    if (l !== undefined && this.cmpKey(l.key, key) === 0) return true;
    let r: BTreeEntry | undefined = n.keys[right];
    if (right >= n.keys.length) {
      let q = n.next;
      while (q !== null && q.keys.length === 0) q = q.next;
      r = q === null ? undefined : q.keys[0];
    }
    return r !== undefined && this.cmpKey(r.key, key) === 0;
  }

  private deleteFrom(n: BNode, e: BTreeEntry): boolean {
    if (n.leaf) {
      const i = this.lowerBound(n.keys, e);
      const at = n.keys[i];
      if (at === undefined || this.cmp(at, e) !== 0) return false;
      if (this.countKeys && !this.keyBeside(n, i - 1, i + 1, e.key)) this.keyCount--;
      n.keys.splice(i, 1);
      return true;
    }
    const ci = this.childFor(n, e);
    const child = n.children[ci]!;
    if (!this.deleteFrom(child, e)) return false;
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
        child.keys.unshift(left.keys.pop()!);
        parent.keys[ci - 1] = child.keys[0]!;
      } else {
        child.keys.unshift(parent.keys[ci - 1]!);
        parent.keys[ci - 1] = left.keys.pop()!;
        child.children.unshift(left.children.pop()!);
      }
      return;
    }
    if (right !== null && sizeOf(right) > MIN) {
      if (child.leaf) {
        child.keys.push(right.keys.shift()!);
        parent.keys[ci] = right.keys[0]!;
      } else {
        child.keys.push(parent.keys[ci]!);
        parent.keys[ci] = right.keys.shift()!;
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
    const sep = parent.keys[i]!;
    if (a.leaf) {
      a.keys = a.keys.concat(b.keys);
      a.next = b.next;
      if (b.next !== null) b.next.prev = a;
    } else {
      a.keys = a.keys.concat([sep], b.keys);
      for (const c of b.children) a.children.push(c);
    }
    parent.keys.splice(i, 1);
    parent.children.splice(i + 1, 1);
  }

  /** Verifies every invariant in the header; throws with a description on the first breach. */
  checkIntegrity(): void {
    let leafDepth = -1;
    let counted = 0;
    const walk = (n: BNode, depth: number, lo: BTreeEntry | null, hi: BTreeEntry | null): void => {
      if (n !== this.root) {
        const size = n.leaf ? n.keys.length : n.children.length;
        if (size < MIN) throw new Error(`btree: node below minimum (${size})`);
      }
      for (let i = 1; i < n.keys.length; i++) {
        if (this.cmp(n.keys[i - 1]!, n.keys[i]!) >= 0) throw new Error('btree: keys out of order');
      }
      if (n.leaf) {
        if (leafDepth === -1) leafDepth = depth;
        if (leafDepth !== depth) throw new Error('btree: leaves at different depths');
        for (const k of n.keys) {
          if (lo !== null && this.cmp(k, lo) < 0) throw new Error('btree: entry below its separator');
          if (hi !== null && this.cmp(k, hi) >= 0) throw new Error('btree: entry above its separator');
        }
        counted += n.keys.length;
        return;
      }
      if (n.children.length !== n.keys.length + 1) throw new Error('btree: children/separators mismatch');
      n.children.forEach((c, i) => walk(c, depth + 1, i === 0 ? lo : n.keys[i - 1]!, i < n.keys.length ? n.keys[i]! : hi));
    };
    walk(this.root, 0, null, null);
    if (counted !== this.count) throw new Error(`btree: size ${this.count} but ${counted} entries`);
    let chained = 0;
    let prev: BTreeEntry | null = null;
    for (const c = this.first(); c.entry !== null; c.forward()) {
      if (prev !== null && this.cmp(prev, c.entry) >= 0) throw new Error('btree: leaf chain out of order');
      prev = c.entry;
      chained++;
    }
    if (chained !== this.count) throw new Error('btree: leaf chain misses entries');
    if (this.countKeys) {
      let keys = 0;
      let last: BTreeEntry | null = null;
      for (const c = this.first(); c.entry !== null; c.forward()) {
        if (last === null || this.cmpKey(last.key, c.entry.key) !== 0) keys++;
        last = c.entry;
      }
      if (keys !== this.keyCount) throw new Error(`btree: ${this.keyCount} distinct keys counted but ${keys} in the tree`);
    }
  }
}
