/**
 * The B+tree's node layout and leaf cursor (btree.ts holds the tree algorithms). A node keeps its
 * entries (or separators) as parallel arrays of keys, slots and source rows, not as one object
 * per entry: an index entry costs three array cells instead of a 48-byte object, an allocation
 * per insert and one more object for every GC to trace.
 */
import type { Row, RowSlot } from './version.ts';

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

/** An entry read out of a node (cursors on cold paths, tests, bulk-build input). */
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

export function btreeEntry(key: unknown, slot: RowSlot, src: Row | null): BTreeEntry {
  return new Entry(key, slot, src);
}

export class BNode {
  readonly leaf: boolean;
  /** Leaf: the entries' keys. Inner: the separators' keys (children.length - 1 of them). */
  keys: unknown[];
  /** The slot of each entry or separator (ties between equal keys go by row id). */
  slots: RowSlot[];
  /** Leaf: each entry's source row. Inner: empty. */
  srcs: (Row | null)[];
  readonly children: BNode[];
  next: BNode | null = null;
  prev: BNode | null = null;

  constructor(leaf: boolean, keys: unknown[], slots: RowSlot[], srcs: (Row | null)[], children: BNode[]) {
    this.leaf = leaf;
    this.keys = keys;
    this.slots = slots;
    this.srcs = srcs;
    this.children = children;
  }
}

/** Orders a node position's separator or entry before (true) or after a sought place. */
export type SeekBefore = (key: unknown, slot: RowSlot) => boolean;

/**
 * A position in the leaf chain (leaf + index); `leaf === null` means past either end. While
 * `leaf` is not null the position holds an entry, read through key / slot / src.
 */
export class BTreeCursor {
  leaf: BNode | null;
  pos: number;

  constructor(leaf: BNode | null, pos: number) {
    this.leaf = leaf;
    this.pos = pos;
  }

  /** The entry under the cursor as an object, or null at the end (allocates: not for hot loops). */
  get entry(): BTreeEntry | null {
    const leaf = this.leaf;
    if (leaf === null || this.pos < 0 || this.pos >= leaf.keys.length) return null;
    return new Entry(leaf.keys[this.pos], leaf.slots[this.pos]!, leaf.srcs[this.pos]!);
  }

  get key(): unknown {
    return this.leaf!.keys[this.pos];
  }

  get slot(): RowSlot {
    return this.leaf!.slots[this.pos]!;
  }

  get src(): Row | null {
    return this.leaf!.srcs[this.pos]!;
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

/**
 * Inserts `x` at `i` of a node array. A loop, not splice: nodes hold at most the fanout + 1
 * items, and the splice builtin's call cost was most of an insert's time into a warm tree (each
 * entry is three arrays now).
 */
export function insertAt<T>(a: T[], i: number, x: T): void {
  let j = a.length;
  if (i === j) {
    a.push(x);
    return;
  }
  a.push(a[j - 1]!);
  for (j--; j > i; j--) a[j] = a[j - 1]!;
  a[i] = x;
}

/** Removes the item at `i` of a node array (the loop counterpart of insertAt). */
export function removeAt<T>(a: T[], i: number): void {
  const last = a.length - 1;
  for (let j = i; j < last; j++) a[j] = a[j + 1]!;
  a.pop();
}
