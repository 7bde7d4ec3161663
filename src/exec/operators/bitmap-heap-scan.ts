/**
 * Bitmap Heap Scan: builds a row-id bitmap from its Bitmap Index Scans (B-tree ranges, hash
 * probes or bitmap-index keys), combines them with BitmapAnd / BitmapOr, then visits the rows in
 * table order, each once, re-checking the index conditions (`indexQuals`: a bitmap forgets which
 * key a row was found under, and index entries may be stale) and applying the filter.
 */
import type { BitmapTree, IndexScanNode } from '../../plan/plan-nodes.ts';
import { BitmapIndex } from '../../storage/bitmap-index.ts';
import { BTreeIndex } from '../../storage/btree-index.ts';
import { TidBitmap } from '../../storage/tid-bitmap.ts';
import type { Row, RowSlot } from '../../storage/version.ts';
import { compilePredicate, evaluateOnce } from '../compile-expr.ts';
import type { ExecContext } from '../exec-context.ts';
import { BATCH_ROWS, type Operator } from '../operator.ts';
import { btreeProbes, probeKeys, SlotVisitor } from './index-probe.ts';
import type { BoundExpr } from '../../plan/bound-expr.ts';
import { Types } from '../../types/sql-type.ts';

export class BitmapHeapScanOperator implements Operator {
  private readonly node: IndexScanNode;
  private readonly ctx: ExecContext;
  private readonly visitor: SlotVisitor;
  private slots: RowSlot[] | null = null;
  private pos = 0;

  constructor(node: IndexScanNode, ctx: ExecContext) {
    this.node = node;
    this.ctx = ctx;
    const quals: BoundExpr[] = [...node.indexQuals, ...(node.filter ? [node.filter] : [])];
    const check = quals.length === 0 ? null : quals.length === 1 ? quals[0]! : { k: 'and' as const, type: Types.bool, args: quals };
    this.visitor = new SlotVisitor(node, ctx, check === null ? null : compilePredicate(check));
  }

  next(): Row[] | null {
    if (this.slots === null) {
      const vals = this.node.keys.map((k) => evaluateOnce(k, this.ctx));
      const reads = this.ctx.txn.reads;
      if (reads !== null) reads.scannedTables.add(this.node.table.store);
      this.slots = bitmapOf(this.node.bitmap!, vals).toSlots();
    }
    const slots = this.slots;
    const out: Row[] = [];
    while (this.pos < slots.length && out.length < BATCH_ROWS) {
      const row = this.visitor.visit(slots[this.pos++]!, null, null, null);
      if (row !== null) out.push(row);
    }
    return out.length > 0 ? out : null;
  }

  close(): void {
    this.slots = [];
  }
}

/** The rows a bitmap tree selects (a superset: entries may be stale; the heap scan re-checks). */
export function bitmapOf(tree: BitmapTree, vals: readonly unknown[]): TidBitmap {
  if (tree.op !== 'index') {
    let acc: TidBitmap | null = null;
    for (const c of tree.children) {
      const bm = bitmapOf(c, vals);
      if (acc === null) acc = bm;
      else if (tree.op === 'and') acc.and(bm);
      else acc.or(bm);
    }
    return acc ?? new TidBitmap();
  }
  const index = tree.index;
  const rt = index.runtime;
  if (rt instanceof BTreeIndex) {
    const bm = new TidBitmap();
    for (const p of btreeProbes(rt, tree.conds, vals)) {
      const scan = rt.range(p.lower, p.upper, false);
      for (let e = scan.next(); e !== null; e = scan.next()) bm.add(e.slot);
    }
    return bm;
  }
  const keys = probeKeys(index, tree.conds, vals);
  if (rt instanceof BitmapIndex) {
    let acc: TidBitmap | null = null;
    for (const k of keys) {
      const bm = rt.bitmapOf(k);
      if (acc === null) acc = bm;
      else acc.or(bm);
    }
    return acc ?? new TidBitmap();
  }
  const bm = new TidBitmap();
  for (const k of keys) {
    const hit = rt.lookup(k);
    if (hit === undefined) continue;
    if (Array.isArray(hit)) for (const s of hit as RowSlot[]) bm.add(s);
    else bm.add(hit as RowSlot);
  }
  return bm;
}
