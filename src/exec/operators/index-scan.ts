/**
 * Index Scan / Index Only Scan: evaluates the condition values once, then either probes the
 * equality map (every key part pinned: a hash index, or a B-tree's key hash) or walks B-tree
 * ranges, one per probe, forwards or backwards. Rows stream out in batches that start small and
 * grow, so `ORDER BY ... LIMIT n` over an ordered scan reads about n entries. Each slot is
 * checked by SlotVisitor (visibility, key re-check, filter). Bitmap Heap Scans (mode 'bitmap')
 * are BitmapHeapScanOperator's.
 *
 * Serializable transactions record what they read for conflict detection: the exact keys of a
 * point probe, or the whole table for a range (coarse, like a sequential scan, but safe).
 */
import type { IndexScanNode } from '../../plan/plan-nodes.ts';
import { BTreeIndex, type RangeScan } from '../../storage/btree-index.ts';
import type { IndexKey } from '../../storage/row-index.ts';
import type { Row, RowSlot } from '../../storage/version.ts';
import { compilePredicate, evaluateOnce } from '../compile-expr.ts';
import type { ExecContext } from '../exec-context.ts';
import { BATCH_ROWS, type Operator } from '../operator.ts';
import { btreeProbes, probeKeys, SlotVisitor, type Probe } from './index-probe.ts';

const FIRST_BATCH_ROWS = 16;
/** Scratch tuple for single-key probes (ofValues does not keep it). */
const POINT: unknown[] = [null];
/** probeHash's result while nothing matched (never handed out: an empty probe returns null). */
const NO_ROWS: Row[] = Object.freeze([]) as unknown as Row[];

/** True when every key column is pinned by equality: the probe is one key (no IN lists, no ranges). */
function pinsEveryKey(node: IndexScanNode): boolean {
  const conds = node.conds;
  if (conds.length !== node.index.keys.length) return false;
  for (let i = 0; i < conds.length; i++) if (conds[i]!.kind !== 'eq') return false;
  return true;
}

export class IndexScanOperator implements Operator {
  private readonly node: IndexScanNode;
  private readonly ctx: ExecContext;
  private readonly visitor: SlotVisitor;
  private started = false;
  private done = false;
  private batch = FIRST_BATCH_ROWS;
  private probes: Probe[] = [];
  private probeAt = 0;
  private scan: RangeScan | null = null;

  constructor(node: IndexScanNode, ctx: ExecContext) {
    this.node = node;
    this.ctx = ctx;
    this.visitor = new SlotVisitor(node, ctx, node.filter ? compilePredicate(node.filter) : null);
  }

  next(): Row[] | null {
    if (this.done) return null;
    if (!this.started) {
      this.started = true;
      const rows = this.start();
      if (rows !== null) {
        this.done = true;
        return rows.length > 0 ? rows : null;
      }
    }
    return this.nextRange();
  }

  /** Evaluates the conditions; runs a hash probe to completion (returns its rows), else null. */
  private start(): Row[] | null {
    const { node, ctx } = this;
    const keys = node.keys;
    const vals = new Array<unknown>(keys.length);
    for (let i = 0; i < keys.length; i++) vals[i] = evaluateOnce(keys[i]!, ctx);
    const rt = node.index.runtime;
    const reads = ctx.txn.reads;
    // A B-tree without its equality hash (non-unique, never looked up) answers equality from the
    // tree rather than building the hash; a serializable transaction still probes it, to record
    // the exact keys it read instead of the whole table.
    if (!(rt instanceof BTreeIndex) || (!node.backward && pinsEveryKey(node) && (rt.hashed || reads !== null))) {
      return this.probeHash(vals);
    }
    if (reads !== null) reads.scannedTables.add(node.table.store);
    this.probes = btreeProbes(rt, node.conds, vals);
    if (node.backward) this.probes.reverse();
    return null;
  }

  private probeHash(vals: unknown[]): Row[] {
    const conds = this.node.conds;
    if (conds.length === 1 && conds[0]!.kind === 'eq') {
      // The common point lookup (pk = $1): one key, without an array or iterator around it.
      const v = vals[conds[0]!.at] ?? null;
      if (v === null) return NO_ROWS;
      POINT[0] = v;
      const key = this.node.index.codec.ofValues(POINT);
      return key === null ? NO_ROWS : this.probeKey(key, NO_ROWS);
    }
    let out: Row[] = NO_ROWS;
    for (const key of probeKeys(this.node.index, conds, vals)) out = this.probeKey(key, out);
    return out;
  }

  /** Visits the slots under `key`, appending the rows to emit to `out` (returned, maybe new). */
  private probeKey(key: IndexKey, out: Row[]): Row[] {
    const index = this.node.index;
    const reads = this.ctx.txn.reads;
    if (reads !== null) reads.keys.add(`${index.oid}:${String(key)}`);
    const hit = index.runtime.lookup(key);
    if (hit === undefined) return out;
    if (!Array.isArray(hit)) {
      // One row (a unique key). Its result is a one-element array: a first push would allocate
      // room for 17 rows.
      const row = this.visitor.visit(hit as RowSlot, null, key, index);
      if (row !== null) {
        if (out === NO_ROWS) out = [row];
        else out.push(row);
      }
      return out;
    }
    if (out === NO_ROWS) out = [];
    // Copy: visiting may lock rows, and a lock never changes the index, but be safe.
    const slots = (hit as RowSlot[]).slice();
    for (const slot of slots) {
      const row = this.visitor.visit(slot, null, key, index);
      if (row !== null) out.push(row);
    }
    return out;
  }

  private nextRange(): Row[] | null {
    const rt = this.node.index.runtime as BTreeIndex;
    const out: Row[] = [];
    const want = this.batch;
    if (this.batch < BATCH_ROWS) this.batch *= 4;
    while (out.length < want) {
      if (this.scan === null) {
        const p = this.probes[this.probeAt++];
        if (p === undefined) {
          this.done = true;
          break;
        }
        this.scan = rt.range(p.lower, p.upper, this.node.backward);
      }
      const e = this.scan.next();
      if (e === null) {
        this.scan = null;
        continue;
      }
      const row = this.visitor.visit(e.slot, e, null, this.node.index);
      if (row !== null) out.push(row);
    }
    if (out.length > 0) return out;
    return this.done ? null : this.nextRange();
  }

  close(): void {
    this.done = true;
    this.scan = null;
  }
}
