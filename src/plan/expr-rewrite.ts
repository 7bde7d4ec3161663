/**
 * Structural rewrites of bound expressions: remapping column positions (when the planner joins
 * FROM items in a different order than written) and collecting which positions an expression reads.
 */
import type { BoundExpr } from './bound-expr.ts';

/** Rewrites every level-0 column reference through `map` (old position -> new position). */
export function remapColumns(e: BoundExpr, map: (i: number) => number): BoundExpr {
  switch (e.k) {
    case 'col':
      return e.levelsUp === 0 ? { ...e, index: map(e.index) } : e;
    case 'const': case 'param': case 'aggref':
      return e;
    case 'call': return { ...e, args: e.args.map((a) => remapColumns(a, map)) };
    case 'and': case 'or': case 'coalesce': case 'minmax': case 'row': case 'runtime': case 'srf':
      return { ...e, args: e.args.map((a) => remapColumns(a, map)) } as BoundExpr;
    case 'cast': case 'not': case 'istest': case 'field':
      return { ...e, arg: remapColumns(e.arg, map) } as BoundExpr;
    case 'cmp': case 'distinct': case 'nullif':
      return { ...e, left: remapColumns(e.left, map), right: remapColumns(e.right, map) } as BoundExpr;
    case 'case':
      return { ...e, whens: e.whens.map((w) => ({ cond: remapColumns(w.cond, map), result: remapColumns(w.result, map) })), else: remapColumns(e.else, map) };
    case 'inlist':
      return { ...e, arg: remapColumns(e.arg, map), list: e.list.map((a) => remapColumns(a, map)) };
    case 'subquery':
      // Correlated subqueries read the enclosing row through the outer stack; the row pushed is
      // the (remapped) current row, so their level-1 references must follow the same map.
      return { ...e, left: e.left ? e.left.map((a) => remapColumns(a, map)) : null, plan: e.correlated ? remapPlanOuter(e.plan, map) : e.plan };
    case 'quantarray':
      return { ...e, left: remapColumns(e.left, map), array: remapColumns(e.array, map) };
    case 'array':
      return { ...e, elems: e.elems.map((a) => remapColumns(a, map)) };
    case 'subscript':
      return { ...e, arg: remapColumns(e.arg, map), lower: e.lower ? remapColumns(e.lower, map) : null, upper: e.upper ? remapColumns(e.upper, map) : null };
    case 'grouping':
      return { ...e, args: e.args.map((a) => remapColumns(a, map)), mask: e.mask ? remapColumns(e.mask, map) : null };
  }
}

/** Remaps references `depth` levels out inside a subquery plan. */
function remapOuter(e: BoundExpr, map: (i: number) => number, depth: number): BoundExpr {
  if (e.k === 'col') return e.levelsUp === depth ? { ...e, index: map(e.index) } : e;
  if (e.k === 'subquery') {
    return { ...e, left: e.left ? e.left.map((a) => remapOuter(a, map, depth)) : null, plan: remapPlanOuter(e.plan, map, depth + 1) };
  }
  return mapChildren(e, (c) => remapOuter(c, map, depth));
}

import type { PlanNode } from './plan-nodes.ts';

export function remapPlanOuter(p: PlanNode, map: (i: number) => number, depth = 1): PlanNode {
  const r = (e: BoundExpr): BoundExpr => remapOuter(e, map, depth);
  const rp = (c: PlanNode): PlanNode => remapPlanOuter(c, map, depth);
  switch (p.node) {
    case 'SeqScan': return { ...p, filter: p.filter ? r(p.filter) : null, asOf: p.asOf ? { ...p.asOf, expr: r(p.asOf.expr) } : null };
    case 'IndexScan': return { ...p, keys: p.keys.map(r), filter: p.filter ? r(p.filter) : null, indexQuals: p.indexQuals.map(r) };
    case 'Values': return { ...p, rows: p.rows.map((row) => row.map(r)) };
    case 'OneRow': return p;
    case 'Filter': return { ...p, input: rp(p.input), predicate: r(p.predicate) };
    case 'Project': return { ...p, input: rp(p.input), exprs: p.exprs.map(r) };
    case 'NestedLoopJoin':
      return { ...p, left: rp(p.left), right: p.lateral ? remapPlanOuter(p.right, map, depth + 1) : rp(p.right), condition: p.condition ? r(p.condition) : null };
    case 'HashJoin': return { ...p, left: rp(p.left), right: rp(p.right), leftKeys: p.leftKeys.map(r), rightKeys: p.rightKeys.map(r), residual: p.residual ? r(p.residual) : null };
    case 'MergeJoin': return { ...p, left: rp(p.left), right: rp(p.right), leftKeys: p.leftKeys.map(r), rightKeys: p.rightKeys.map(r), residual: p.residual ? r(p.residual) : null };
    case 'Aggregate':
      return { ...p, input: rp(p.input), groupKeys: p.groupKeys.map(r), aggregates: p.aggregates.map((a) => ({ ...a, args: a.args.map(r), filter: a.filter ? r(a.filter) : null, orderBy: a.orderBy.map((k) => ({ ...k, expr: r(k.expr) })) })) };
    case 'Sort': return { ...p, input: rp(p.input), keys: p.keys.map((k) => ({ ...k, expr: r(k.expr) })) };
    case 'Limit': return { ...p, input: rp(p.input), limit: p.limit ? r(p.limit) : null, offset: p.offset ? r(p.offset) : null };
    case 'Distinct': return { ...p, input: rp(p.input), on: p.on ? p.on.map(r) : null };
    case 'SetOp': return { ...p, left: rp(p.left), right: rp(p.right) };
    case 'RecursiveUnion': return { ...p, base: rp(p.base), recursive: rp(p.recursive) };
    case 'FunctionScan': return { ...p, args: p.args.map(r) };
    case 'Materialize': return { ...p, input: rp(p.input) };
    case 'Window':
      return { ...p, input: rp(p.input), partitionBy: p.partitionBy.map(r), orderBy: p.orderBy.map((k) => ({ ...k, expr: r(k.expr) })), functions: p.functions.map((f) => ({ ...f, args: f.args.map(r) })) };
  }
}

function mapChildren(e: BoundExpr, f: (c: BoundExpr) => BoundExpr): BoundExpr {
  switch (e.k) {
    case 'col': case 'const': case 'param': case 'aggref': return e;
    case 'call': return { ...e, args: e.args.map(f) };
    case 'and': case 'or': case 'coalesce': case 'minmax': case 'row': case 'runtime': case 'srf':
      return { ...e, args: e.args.map(f) } as BoundExpr;
    case 'cast': case 'not': case 'istest': case 'field': return { ...e, arg: f(e.arg) } as BoundExpr;
    case 'cmp': case 'distinct': case 'nullif': return { ...e, left: f(e.left), right: f(e.right) } as BoundExpr;
    case 'case': return { ...e, whens: e.whens.map((w) => ({ cond: f(w.cond), result: f(w.result) })), else: f(e.else) };
    case 'inlist': return { ...e, arg: f(e.arg), list: e.list.map(f) };
    case 'subquery': return { ...e, left: e.left ? e.left.map(f) : null };
    case 'quantarray': return { ...e, left: f(e.left), array: f(e.array) };
    case 'array': return { ...e, elems: e.elems.map(f) };
    case 'subscript': return { ...e, arg: f(e.arg), lower: e.lower ? f(e.lower) : null, upper: e.upper ? f(e.upper) : null };
    case 'grouping': return { ...e, args: e.args.map(f), mask: e.mask ? f(e.mask) : null };
  }
}

export { mapChildren };

/** Positions of level-0 columns an expression reads (including inside correlated subqueries). */
export function columnsUsed(e: BoundExpr, out: Set<number> = new Set(), depth = 0): Set<number> {
  if (e.k === 'col') {
    if (e.levelsUp === depth) out.add(e.index);
    return out;
  }
  if (e.k === 'subquery') {
    e.left?.forEach((l) => columnsUsed(l, out, depth));
    if (e.correlated) planColumnsUsed(e.plan, out, depth + 1);
    return out;
  }
  mapChildren(e, (c) => { columnsUsed(c, out, depth); return c; });
  return out;
}

import { planExprs, planInputs } from './plan-walk.ts';

function planColumnsUsed(p: PlanNode, out: Set<number>, depth: number): void {
  for (const e of planExprs(p)) columnsUsed(e, out, depth);
  for (const c of planInputs(p)) {
    planColumnsUsed(c, out, p.node === 'NestedLoopJoin' && p.lateral && c === p.right ? depth + 1 : depth);
  }
}

/** Splits an AND tree into its conjuncts. */
export function conjuncts(e: BoundExpr): BoundExpr[] {
  if (e.k === 'and') return e.args.flatMap(conjuncts);
  return [e];
}
