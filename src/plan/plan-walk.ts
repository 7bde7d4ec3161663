/**
 * Walks over plan trees and the expressions inside them: used to decide whether a subquery is
 * correlated (reads a column of an enclosing query) and by EXPLAIN.
 */
import type { BoundExpr } from './bound-expr.ts';
import { children } from './bound-expr.ts';
import type { PlanNode } from './plan-nodes.ts';

export function planInputs(p: PlanNode): PlanNode[] {
  switch (p.node) {
    case 'SeqScan': case 'IndexScan': case 'Values': case 'OneRow': case 'FunctionScan':
      return [];
    case 'Filter': case 'Project': case 'Aggregate': case 'Sort': case 'Limit': case 'Distinct':
    case 'Materialize': case 'Window':
      return [p.input];
    case 'NestedLoopJoin': case 'HashJoin': case 'MergeJoin': case 'SetOp':
      return [p.left, p.right];
    case 'RecursiveUnion':
      return [p.base, p.recursive];
  }
}

export function planExprs(p: PlanNode): BoundExpr[] {
  switch (p.node) {
    case 'SeqScan': return [...(p.filter ? [p.filter] : []), ...(p.asOf ? [p.asOf.expr] : [])];
    case 'IndexScan': return [...p.keys, ...(p.filter ? [p.filter] : [])];
    case 'Values': return p.rows.flat();
    case 'OneRow': return [];
    case 'Filter': return [p.predicate];
    case 'Project': return [...p.exprs];
    case 'NestedLoopJoin': return p.condition ? [p.condition] : [];
    case 'HashJoin': case 'MergeJoin': return [...p.leftKeys, ...p.rightKeys, ...(p.residual ? [p.residual] : [])];
    case 'Aggregate':
      return [...p.groupKeys, ...p.aggregates.flatMap((a) => [...a.args, ...(a.filter ? [a.filter] : []), ...a.orderBy.map((k) => k.expr)])];
    case 'Sort': return p.keys.map((k) => k.expr);
    case 'Limit': return [...(p.limit ? [p.limit] : []), ...(p.offset ? [p.offset] : []), ...(p.withTies ?? []).map((k) => k.expr)];
    case 'Distinct': return p.on ? [...p.on] : [];
    case 'SetOp': case 'Materialize': case 'RecursiveUnion': return [];
    case 'FunctionScan': return [...p.args];
    case 'Window':
      return [...p.partitionBy, ...p.orderBy.map((k) => k.expr), ...p.functions.flatMap((f) => f.args)];
  }
}

/**
 * Does the plan read columns `depth` or more levels out? Column refs inside nested subqueries
 * count relative to their own nesting, so the depth grows as we descend into them. A lateral
 * join's right side reads its left side through the outer stack too, one level deeper.
 */
export function planReferencesOuter(p: PlanNode, depth = 1): boolean {
  for (const e of planExprs(p)) if (exprReferences(e, depth)) return true;
  if (p.node === 'NestedLoopJoin' && p.lateral) {
    return planReferencesOuter(p.left, depth) || planReferencesOuter(p.right, depth + 1);
  }
  for (const c of planInputs(p)) if (planReferencesOuter(c, depth)) return true;
  return false;
}

function exprReferences(e: BoundExpr, depth: number): boolean {
  if (e.k === 'col') return e.levelsUp >= depth;
  if (e.k === 'subquery') {
    if (e.left?.some((l) => exprReferences(l, depth))) return true;
    return planReferencesOuter(e.plan, depth + 1);
  }
  return children(e).some((c) => exprReferences(c, depth));
}
