/**
 * Access-path choice for a table scan: when the scan's filter pins every key column of an index
 * with `column = value` (value not reading the row: a constant, a parameter or an outer
 * reference), the scan becomes an index lookup and the remaining conjuncts stay as its filter.
 * Cost-based choice among several paths arrives with the planner issue; a full-key equality
 * lookup always beats a scan, so this rule is safe on its own.
 */
import type { BoundExpr } from '../bound-expr.ts';
import { columnsUsed, conjuncts } from '../expr-rewrite.ts';
import type { PlanNode } from '../plan-nodes.ts';
import { Types } from '../../types/sql-type.ts';

export function chooseAccessPath(plan: PlanNode): PlanNode {
  if (plan.node !== 'SeqScan' || plan.filter === null || plan.asOf !== null) return plan;
  const table = plan.table;
  if (table.indexes.length === 0) return plan;
  const parts = conjuncts(plan.filter);
  // attnum -> (value expression, conjunct index)
  const pinned = new Map<number, { value: BoundExpr; at: number }>();
  parts.forEach((c, at) => {
    if (c.k !== 'cmp' || c.op !== '=') return;
    const side = (col: BoundExpr, other: BoundExpr): void => {
      if (col.k === 'col' && col.levelsUp === 0 && columnsUsed(other).size === 0 && !hasVolatile(other)) {
        if (!pinned.has(col.index)) pinned.set(col.index, { value: other, at });
      }
    };
    side(c.left, c.right);
    side(c.right, c.left);
  });
  if (pinned.size === 0) return plan;
  let best = null;
  for (const idx of table.indexes) {
    if (idx.predicate !== null) continue;
    if (!idx.keys.every((k) => typeof k === 'number' && pinned.has(k))) continue;
    if (best === null || (idx.unique && !best.unique)) best = idx;
  }
  if (best === null) return plan;
  const keyAttnums = best.keys as number[];
  const keyTypes = keyAttnums.map((a) => table.columns.find((c) => c.attnum === a)!.type);
  const usedAt = new Set(keyAttnums.map((a) => pinned.get(a)!.at));
  const rest = parts.filter((_, i) => !usedAt.has(i));
  const keys = keyAttnums.map((a) => pinned.get(a)!.value);
  return {
    node: 'IndexScan', table, alias: plan.alias, index: best, keys, keyTypes,
    filter: rest.length === 0 ? null : rest.length === 1 ? rest[0]! : { k: 'and', type: Types.bool, args: rest },
    lockRows: plan.lockRows, emitRef: plan.emitRef, columns: plan.columns, estRows: best.unique ? 1 : 10,
  };
}

function hasVolatile(e: BoundExpr): boolean {
  if (e.k === 'runtime') return e.volatile;
  if (e.k === 'call') return e.fn.volatility === 'volatile' || e.args.some(hasVolatile);
  if (e.k === 'subquery') return true;
  return false;
}
