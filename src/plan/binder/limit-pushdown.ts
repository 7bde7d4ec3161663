/**
 * LIMIT pushdown: a constant LIMIT moves below the work it makes unnecessary.
 *  - Through a projection: `Limit(Sort(Project(x)))` (ORDER BY ... LIMIT) becomes
 *    `Project(Limit(Sort(x)))` with the sort keys rewritten over x, and `Limit(Project(x))`
 *    becomes `Project(Limit(x))`, so the select list is computed for the rows returned only
 *    (PostgreSQL projects after its Limit too). Not through set-returning functions (they change
 *    the row count) or volatile expressions (their evaluation count would change).
 *  - Into UNION ALL branches: each branch needs at most limit + offset rows, so each gets its own
 *    Limit (under a top-N sort that keeps only those rows, or stopping the branch's scan early).
 * The LIMIT node itself stays on top, so results are unchanged.
 */
import type { BoundExpr, BoundSortKey } from '../bound-expr.ts';
import { mapChildren } from '../expr-rewrite.ts';
import type { LimitNode, PlanNode, ProjectNode } from '../plan-nodes.ts';
import { hasSubquery } from './join-methods.ts';
import { Types } from '../../types/sql-type.ts';

/** limit + offset when both are constants (null offset = 0); null otherwise. */
function constRows(l: LimitNode): number | null {
  if (l.limit === null || l.limit.k !== 'const' || typeof l.limit.value !== 'number') return null;
  if (l.offset === null) return l.limit.value;
  if (l.offset.k !== 'const' || typeof l.offset.value !== 'number') return null;
  return l.limit.value + l.offset.value;
}

function pure(e: BoundExpr): boolean {
  if (e.k === 'srf' || e.k === 'subquery') return false;
  if (e.k === 'runtime' && e.volatile) return false;
  if (e.k === 'call' && e.fn.volatility === 'volatile') return false;
  let ok = true;
  mapChildren(e, (c) => {
    if (ok && !pure(c)) ok = false;
    return c;
  });
  return ok;
}

/** A projection the LIMIT may move below: every expression deterministic, one row per row. */
function movable(p: PlanNode): p is ProjectNode {
  return p.node === 'Project' && p.exprs.every(pure);
}

/** An expression over the projection's output rewritten over its input. */
function through(e: BoundExpr, exprs: readonly BoundExpr[]): BoundExpr | null {
  if (hasSubquery(e)) return null;
  let ok = true;
  const walk = (x: BoundExpr): BoundExpr => {
    if (x.k === 'col' && x.levelsUp === 0) {
      const r = exprs[x.index];
      if (r === undefined) { ok = false; return x; }
      return r;
    }
    return mapChildren(x, walk);
  };
  const out = walk(e);
  return ok ? out : null;
}

/** Applies the pushdown rules to a freshly built Limit node. */
export function pushLimitDown(limit: LimitNode): PlanNode {
  const rows = constRows(limit);
  if (rows === null || limit.withTies !== null) return limit;
  const input = limit.input;
  if (input.node === 'Sort' && movable(input.input)) {
    const proj = input.input;
    const keys: BoundSortKey[] = [];
    for (const k of input.keys) {
      const e = through(k.expr, proj.exprs);
      if (e === null) return limit;
      keys.push({ ...k, expr: e });
    }
    const sort: PlanNode = { ...input, input: proj.input, keys, columns: proj.input.columns, estRows: input.estRows };
    const inner: PlanNode = { ...limit, input: sort, columns: proj.input.columns };
    return { ...proj, input: inner, estRows: limit.estRows };
  }
  if (movable(input)) {
    const inner: PlanNode = { ...limit, input: pushLimitDownInto(input.input, rows), columns: input.input.columns };
    return { ...input, input: inner, estRows: limit.estRows };
  }
  if (input.node === 'SetOp') return { ...limit, input: pushLimitDownInto(input, rows) };
  return limit;
}

/** Caps UNION ALL branches at `rows` rows each (recursively through nested UNION ALLs). */
function pushLimitDownInto(p: PlanNode, rows: number): PlanNode {
  if (p.node !== 'SetOp' || p.op !== 'union' || !p.all) return p;
  const cap = (branch: PlanNode): PlanNode => {
    if (branch.node === 'SetOp') return pushLimitDownInto(branch, rows);
    if (branch.node === 'Sort' && (branch.limit < 0 || branch.limit > rows)) return { ...branch, limit: rows, estRows: Math.min(branch.estRows, rows) };
    const value: BoundExpr = { k: 'const', type: Types.int8, value: rows };
    const l: LimitNode = {
      node: 'Limit', input: branch, limit: value, offset: null, withTies: null, columns: branch.columns,
      estRows: Math.min(branch.estRows, rows),
    };
    return pushLimitDown(l);
  };
  return { ...p, left: cap(p.left), right: cap(p.right), estRows: Math.min(p.estRows, 2 * rows) };
}
