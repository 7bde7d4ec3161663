/**
 * Predicate pushdown into derived tables and views: a condition on a FROM item that is a
 * subquery (or a view, bound the same way) moves down through the subquery's plan to where it
 * can filter earliest, ideally into the base table scan (where the access-path chooser can turn
 * it into an index lookup). It passes through:
 *  - Project: the condition is rewritten over the projection's input, when every projected
 *    expression it reads is deterministic (no set-returning, volatile or subquery expressions);
 *  - Filter, Sort and whole-row DISTINCT, which commute with a filter;
 *  - UNION ALL: a copy goes to each branch;
 *  - Aggregate (plain GROUP BY, no grouping sets): when it reads group keys only, it filters
 *    the groups' input rows instead (PostgreSQL pushes such HAVING-like quals below too).
 * It stops at LIMIT, window functions, DISTINCT ON, set operations that deduplicate, CTE scans
 * (Materialize: shared by every reference) and joins (the subquery's join planner already
 * placed its own conditions). Conditions containing subqueries are not moved.
 */
import type { BoundExpr } from '../bound-expr.ts';
import { mapChildren } from '../expr-rewrite.ts';
import type { PlanNode } from '../plan-nodes.ts';
import { chooseAccessPath } from './access-path.ts';
import { hasSubquery } from './join-methods.ts';

function deterministic(e: BoundExpr): boolean {
  if (e.k === 'srf' || e.k === 'subquery' || e.k === 'aggref' || e.k === 'grouping') return false;
  if (e.k === 'runtime' && e.volatile) return false;
  if (e.k === 'call' && e.fn.volatility === 'volatile') return false;
  let ok = true;
  mapChildren(e, (c) => {
    if (ok && !deterministic(c)) ok = false;
    return c;
  });
  return ok;
}

/** `pred` over a node's output rewritten over its input through `exprs`; null when unsafe. */
function substitute(pred: BoundExpr, exprs: readonly BoundExpr[]): BoundExpr | null {
  let ok = true;
  const walk = (x: BoundExpr): BoundExpr => {
    if (!ok) return x;
    if (x.k === 'col' && x.levelsUp === 0) {
      const r = exprs[x.index];
      if (r === undefined || !deterministic(r)) { ok = false; return x; }
      return r;
    }
    return mapChildren(x, walk);
  };
  const out = walk(pred);
  return ok ? out : null;
}

/**
 * Pushes `pred` (over `plan`'s output) as deep as it can go; returns the new plan, or null when
 * it cannot enter `plan` at all (the caller then filters above it). `apply` filters a plan that
 * the condition cannot pass (a scan takes it into its filter).
 */
export function pushPredicate(plan: PlanNode, pred: BoundExpr, apply: (p: PlanNode, e: BoundExpr) => PlanNode): PlanNode | null {
  if (hasSubquery(pred)) return null;
  const down = (p: PlanNode, e: BoundExpr): PlanNode => pushPredicate(p, e, apply) ?? apply(p, e);
  switch (plan.node) {
    case 'Project': {
      if (plan.exprs.some((e) => e.k === 'srf')) return null;
      const inner = substitute(pred, plan.exprs);
      if (inner === null) return null;
      const input = down(plan.input, inner);
      return { ...plan, input, estRows: input.estRows };
    }
    case 'Filter': case 'Sort': {
      const input = down(plan.input, pred);
      return { ...plan, input, estRows: Math.min(plan.estRows, input.estRows) };
    }
    case 'Distinct': {
      if (plan.on !== null) return null;
      const input = down(plan.input, pred);
      return { ...plan, input, estRows: Math.min(plan.estRows, input.estRows) };
    }
    case 'SetOp': {
      if (plan.op !== 'union' || !plan.all) return null;
      const left = down(plan.left, pred);
      const right = down(plan.right, pred);
      return { ...plan, left, right, estRows: left.estRows + right.estRows };
    }
    case 'Aggregate': {
      if (plan.groupingSets !== null || plan.groupKeys.length === 0) return null;
      const n = plan.groupKeys.length;
      // Only group-key columns (the first n outputs) may be read.
      const keysOnly = plan.groupKeys.map((k) => k);
      let readsAgg = false;
      const walk = (x: BoundExpr): BoundExpr => {
        if (x.k === 'col' && x.levelsUp === 0 && x.index >= n) readsAgg = true;
        return mapChildren(x, walk);
      };
      walk(pred);
      if (readsAgg) return null;
      const inner = substitute(pred, keysOnly);
      if (inner === null) return null;
      const input = down(plan.input, inner);
      return { ...plan, input };
    }
    default:
      return null;
  }
}

/** Index access paths for scans a pushed-down condition reached (below projections etc.). */
export function accessPathsBelow(plan: PlanNode): PlanNode {
  switch (plan.node) {
    case 'SeqScan':
      return chooseAccessPath(plan);
    case 'Project': case 'Filter': case 'Sort': case 'Distinct': case 'Aggregate': {
      const input = accessPathsBelow(plan.input);
      return input === plan.input ? plan : { ...plan, input };
    }
    case 'SetOp': {
      if (plan.op !== 'union' || !plan.all) return plan;
      const left = accessPathsBelow(plan.left);
      const right = accessPathsBelow(plan.right);
      return left === plan.left && right === plan.right ? plan : { ...plan, left, right };
    }
    default:
      return plan;
  }
}
