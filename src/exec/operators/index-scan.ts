/**
 * Index point lookup: evaluates the key expressions once, looks the key up in a hash/unique index,
 * and emits the visible versions that still carry that key (an index may point at slots whose
 * newer versions changed the key).
 */
import type { IndexScanNode } from '../../plan/plan-nodes.ts';
import type { Row, RowSlot } from '../../storage/version.ts';
import { visibleVersion } from '../../storage/version.ts';
import { compileExpr, compilePredicate } from '../compile-expr.ts';
import type { ExecContext } from '../exec-context.ts';
import type { Operator } from '../operator.ts';
import { widenRow } from './widen-row.ts';
import { RowRef } from '../row-ref.ts';

export class IndexScanOperator implements Operator {
  private readonly node: IndexScanNode;
  private readonly ctx: ExecContext;
  private done = false;

  constructor(node: IndexScanNode, ctx: ExecContext) {
    this.node = node;
    this.ctx = ctx;
  }

  next(): Row[] | null {
    if (this.done) return null;
    this.done = true;
    const { node, ctx } = this;
    const values = node.keys.map((k) => compileExpr(k)([], ctx));
    const index = node.index.runtime;
    const key = node.index.codec.ofValues(values);
    if (key === null) return null;
    const reads = ctx.txn.reads;
    if (reads !== null) reads.keys.add(`${node.index.oid}:${String(key)}`);
    const hit = index.lookup(key);
    if (hit === undefined) return null;
    const slots: readonly RowSlot[] = Array.isArray(hit) ? (hit as RowSlot[]).slice() : [hit as RowSlot];
    const filter = node.filter ? compilePredicate(node.filter) : null;
    const width = node.table.nextAttnum;
    const out: Row[] = [];
    for (const slot of slots) {
      const v = visibleVersion(slot, ctx.snapshot);
      if (v === null) continue;
      let row = v.values;
      if (row.length < width) row = widenRow(row, node.table);
      if (index.keyOf(row) !== key) continue;
      if (filter !== null && !filter(row, ctx)) continue;
      if (reads !== null) reads.slots.add(slot);
      if (node.lockRows) node.table.store.lock(ctx.txn, ctx.snapshot, slot, v);
      if (node.emitRef) {
        row = row.slice();
        row.push(new RowRef(slot, v));
      }
      out.push(row);
    }
    return out.length > 0 ? out : null;
  }

  close(): void {
    this.done = true;
  }
}
