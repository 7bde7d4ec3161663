/**
 * Turning an index scan's conditions (plan-nodes IndexColumnCond, values evaluated once per
 * execution) into what the index structures take: equality keys for hash probes, and
 * (lower, upper) bounds over key prefixes, one pair per probe, for B-tree range scans. Also the
 * per-row visit every index-driven scan shares: visibility, key re-check, filter, lock, RowRef.
 */
import type { IndexDef } from '../../catalog/objects.ts';
import type { IndexColumnCond, IndexScanNode } from '../../plan/plan-nodes.ts';
import type { RangeBound } from '../../storage/btree-index.ts';
import { BTreeIndex } from '../../storage/btree-index.ts';
import type { BTreeEntry } from '../../storage/btree.ts';
import type { IndexKey } from '../../storage/row-index.ts';
import { type Row, type RowSlot, visibleVersion } from '../../storage/version.ts';
import type { ExecContext } from '../exec-context.ts';
import { withRowRef } from '../row-ref.ts';
import { widenRow } from './widen-row.ts';

/** One B-tree probe: the bounds of one contiguous stretch of the index. */
export interface Probe {
  readonly lower: RangeBound | null;
  readonly upper: RangeBound | null;
}

/**
 * The equality prefixes the conditions produce: one per combination of IN values (several IN
 * conditions multiply). Returns null when a value is NULL (`x = NULL` matches nothing).
 */
function prefixes(conds: readonly IndexColumnCond[], vals: readonly unknown[], limit: number): unknown[][] | null {
  let out: unknown[][] = [[]];
  for (let i = 0; i < limit; i++) {
    const c = conds[i]!;
    if (c.kind === 'null') {
      for (const p of out) p.push(null);
    } else if (c.kind === 'eq') {
      const v = vals[c.at] ?? null;
      if (v === null) return null;
      for (const p of out) p.push(v);
    } else {
      const list: unknown[] = [];
      for (let j = 0; j < c.count; j++) {
        const v = vals[c.at + j] ?? null;
        if (v !== null) list.push(v);
      }
      if (list.length === 0) return null;
      const next: unknown[][] = [];
      for (const p of out) for (const v of list) next.push(extended(p, v));
      out = next;
    }
  }
  return out;
}

/** Equality keys for a hash probe (every key part pinned by eq / in), deduplicated. */
export function probeKeys(index: IndexDef, conds: readonly IndexColumnCond[], vals: readonly unknown[]): IndexKey[] {
  const ps = prefixes(conds, vals, conds.length);
  if (ps === null) return [];
  const keys = new Set<IndexKey>();
  for (const p of ps) {
    const k = index.codec.ofValues(p);
    if (k !== null) keys.add(k);
  }
  return [...keys];
}

/** `p` and then `v`, in an array of exactly that length (a spread allocates room for more). */
function extended(p: readonly unknown[], v: unknown): unknown[] {
  const out = new Array<unknown>(p.length + 1);
  for (let i = 0; i < p.length; i++) out[i] = p[i];
  out[p.length] = v;
  return out;
}

/** The one empty prefix of a probe with no equality conditions. */
const NO_PREFIX: readonly (readonly unknown[])[] = [[]];

/**
 * B-tree probes in index order (reverse them for a backward scan), sorted by prefix so IN
 * probes do not overlap. Empty when a condition value is NULL.
 */
export function btreeProbes(rt: BTreeIndex, conds: readonly IndexColumnCond[], vals: readonly unknown[]): Probe[] {
  const last = conds[conds.length - 1];
  const range = last !== undefined && last.kind === 'range' ? last : null;
  const eqCount = range === null ? conds.length : conds.length - 1;
  let uniq: readonly (readonly unknown[])[];
  if (eqCount === 0) {
    // A range on the first column alone (the usual `k >= $1 AND k < $2`): one probe, no prefix.
    uniq = NO_PREFIX;
  } else {
    const ps = prefixes(conds, vals, eqCount);
    if (ps === null) return [];
    if (ps.length > 1) {
      // IN lists: probes in index order, each prefix once.
      const cmp = rt.comparePrefix;
      ps.sort((a, b) => cmp(a, b));
      uniq = ps.filter((p, i) => i === 0 || cmp(p, ps[i - 1]!) !== 0);
    } else {
      uniq = ps;
    }
  }
  if (range === null) return uniq.map((p) => (p.length === 0 ? { lower: null, upper: null } : { lower: { vals: p, inclusive: true }, upper: { vals: p, inclusive: true } }));
  const col = rt.columns[eqCount]!;
  const lo = range.lower === null ? undefined : (vals[range.lower.at] ?? null);
  const hi = range.upper === null ? undefined : (vals[range.upper.at] ?? null);
  if (lo === null || hi === null) return [];
  if (lo !== undefined && hi !== undefined) {
    const c = col.cmp(lo, hi);
    if (c > 0 || (c === 0 && !(range.lower!.inclusive && range.upper!.inclusive))) return [];
  }
  // In index order a DESC column starts at the high value.
  const startVal = col.desc ? hi : lo;
  const startIncl = col.desc ? range.upper?.inclusive : range.lower?.inclusive;
  const endVal = col.desc ? lo : hi;
  const endIncl = col.desc ? range.lower?.inclusive : range.upper?.inclusive;
  return uniq.map((p) => {
    let lower: RangeBound | null;
    let upper: RangeBound | null;
    if (startVal !== undefined) lower = { vals: extended(p, startVal), inclusive: startIncl ?? true };
    else if (col.nullsFirst) lower = { vals: extended(p, null), inclusive: false };
    else lower = p.length === 0 ? null : { vals: p, inclusive: true };
    if (endVal !== undefined) upper = { vals: extended(p, endVal), inclusive: endIncl ?? true };
    else if (!col.nullsFirst) upper = { vals: extended(p, null), inclusive: false };
    else upper = p.length === 0 ? null : { vals: p, inclusive: true };
    return { lower, upper };
  });
}

/**
 * Visits one slot found through an index: the version the snapshot sees, re-checked against the
 * entry when it is not the version the entry was made from (keys change without removing old
 * entries; a partial index's predicate may no longer hold), then the filter, row lock and RowRef.
 * Returns the row to emit, or null.
 */
export class SlotVisitor {
  private readonly node: IndexScanNode;
  private readonly ctx: ExecContext;
  private readonly filter: ((row: Row, ctx: ExecContext) => boolean) | null;
  private readonly width: number;

  constructor(node: IndexScanNode, ctx: ExecContext, filter: ((row: Row, ctx: ExecContext) => boolean) | null) {
    this.node = node;
    this.ctx = ctx;
    this.filter = filter;
    this.width = node.table.nextAttnum;
  }

  /** `entry` (B-tree) or `key` (hash / bitmap probe): what the row must still carry. */
  visit(slot: RowSlot, entry: BTreeEntry | null, key: IndexKey | null, index: IndexDef | null): Row | null {
    const ctx = this.ctx;
    const v = visibleVersion(slot, ctx.snapshot);
    if (v === null) return null;
    let row = v.values;
    if (index !== null && (entry === null || entry.src !== row)) {
      const rt = index.runtime;
      if (entry !== null) {
        if (rt.entryOf(row) === null) return null;
        if ((rt as BTreeIndex).compareEntry(entry, index.codec.valuesOf(row)) !== 0) return null;
      } else if (rt.keyOf(row) !== key) {
        return null;
      }
    }
    if (row.length < this.width) row = widenRow(row, this.node.table);
    if (this.filter !== null && !this.filter(row, ctx)) return null;
    const reads = ctx.txn.reads;
    if (reads !== null) reads.slots.add(slot);
    if (this.node.lockRows) this.node.table.store.lock(ctx.txn, ctx.snapshot, slot, v);
    return this.node.emitRef ? withRowRef(row, this.width, slot, v) : row;
  }
}
