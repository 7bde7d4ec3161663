/**
 * Join methods for two inputs and their row estimates:
 *  - Merge Join when both inputs provably arrive sorted ascending on (a prefix of) the equality
 *    keys (`outputOrdering`: a Sort node's keys, carried up through Filter, Limit, Distinct,
 *    Materialize (CTE) and column-reference projections, and the key order of an earlier merge
 *    join): one linear pass, no hash table, and the output stays ordered on the key.
 *  - Hash Join (build on the right input) otherwise for equality keys; the join planner
 *    (join-order.ts) tries both inputs as the build side and keeps the cheaper plan.
 *  - Nested Loop for no equality; an index nested loop (per outer row, an index lookup on the
 *    inner table through the access-path chooser) when that is cheaper.
 *  - `mergeForOrderBy`: a query ORDER BY on the join key over large inputs sorts both inputs and
 *    merges instead of sorting the joined rows.
 * Row estimates: rows(left) × rows(right) × the equi-join selectivity of each key pair
 * (src/plan/stats/selectivity.ts) × the residual's selectivity; semi joins keep the fraction of
 * left rows with a partner (min(1, nd_right / nd_left)), anti joins the rest.
 */
import type { BoundExpr, BoundSortKey, Comparator } from '../bound-expr.ts';
import { children as columnsUsedChildren } from '../bound-expr.ts';
import { columnsUsed, remapColumns } from '../expr-rewrite.ts';
import type { JoinKind, OutputColumn, PlanNode, SortNode } from '../plan-nodes.ts';
import { exprKey } from './grouping.ts';
import { comparatorFor } from '../../types/compare.ts';
import { Types } from '../../types/sql-type.ts';
import { estimateDistinct, eqJoinSelectivity, estimateSelectivity, planOrigin, type ColumnOrigin } from '../stats/selectivity.ts';

export function hasSubquery(e: BoundExpr): boolean {
  if (e.k === 'subquery') return true;
  let found = false;
  const walk = (x: BoundExpr): void => {
    if (found) return;
    if (x.k === 'subquery') { found = true; return; }
    columnsUsedChildren(x).forEach(walk);
  };
  walk(e);
  return found;
}


/** Splits an equality between the two sides of a join into a pair of keys (left, right). */
export function equiKey(e: BoundExpr, inLeft: (c: number) => boolean, inRight: (c: number) => boolean): [BoundExpr, BoundExpr] | null {
  if (e.k !== 'cmp' || e.op !== '=') return null;
  if (hasSubquery(e)) return null;
  const l = columnsUsed(e.left);
  const r = columnsUsed(e.right);
  if (l.size === 0 || r.size === 0) return null;
  const all = (s: Set<number>, f: (c: number) => boolean): boolean => [...s].every(f);
  if (all(l, inLeft) && all(r, inRight)) return [e.left, e.right];
  if (all(l, inRight) && all(r, inLeft)) return [e.right, e.left];
  return null;
}

export function andOf(parts: BoundExpr[]): BoundExpr | null {
  return parts.length === 0 ? null : parts.length === 1 ? parts[0]! : { k: 'and', type: Types.bool, args: parts };
}

/**
 * The ordering a plan's output provably has, most significant key first (expressions over the
 * plan's output columns); empty when unknown.
 */
export function outputOrdering(p: PlanNode): readonly BoundSortKey[] {
  switch (p.node) {
    case 'Sort':
      return p.keys;
    case 'Filter': case 'Limit': case 'Distinct': case 'Materialize':
      return outputOrdering(p.input);
    case 'Project': {
      const inner = outputOrdering(p.input);
      const out: BoundSortKey[] = [];
      for (const k of inner) {
        const key = exprKey(k.expr);
        const at = p.exprs.findIndex((e) => exprKey(e) === key);
        if (at < 0) break;
        out.push({ ...k, expr: { k: 'col', type: k.expr.type, index: at, levelsUp: 0 } });
      }
      return out;
    }
    case 'MergeJoin': {
      const asc = (e: BoundExpr, i: number): BoundSortKey => ({ expr: e, desc: false, nullsFirst: false, cmp: p.cmps[i]! });
      if (p.kind === 'inner' || p.kind === 'left' || p.kind === 'semi' || p.kind === 'anti') return p.leftKeys.map(asc);
      if (p.kind === 'right') {
        const w = p.left.columns.length;
        return p.rightKeys.map((e, i) => asc(remapColumns(e, (c) => c + w), i));
      }
      return [];
    }
    default:
      return [];
  }
}

/** Merge keys: the longest prefix of both inputs' orderings that pairs up join keys, ascending. */
function mergeKeys(
  left: readonly BoundSortKey[], right: readonly BoundSortKey[],
  keysL: readonly BoundExpr[], keysR: readonly BoundExpr[],
): { order: number[]; cmps: Comparator[] } {
  const order: number[] = [];
  const cmps: Comparator[] = [];
  const lk = keysL.map(exprKey);
  const rk = keysR.map(exprKey);
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const l = left[i]!;
    const r = right[i]!;
    if (l.desc || r.desc) break;
    const lKey = exprKey(l.expr);
    const rKey = exprKey(r.expr);
    const j = lk.findIndex((k, n) => k === lKey && rk[n] === rKey && !order.includes(n));
    if (j < 0) break;
    order.push(j);
    cmps.push(l.cmp);
  }
  return { order, cmps };
}

/** Origin of the columns of a join's concatenated row (left columns, then right columns). */
export function concatOrigin(left: PlanNode, right: PlanNode): ColumnOrigin {
  const l = planOrigin(left);
  const r = planOrigin(right);
  const w = left.columns.length;
  return (i) => (i < w ? l(i) : r(i - w));
}

/**
 * Estimated output rows of a join of `left` and `right` on `keysL[i] = keysR[i]` (over each side's
 * own columns) plus `residual` (over the concatenated row).
 */
export function joinRows(
  kind: JoinKind, left: PlanNode, right: PlanNode, keysL: readonly BoundExpr[], keysR: readonly BoundExpr[],
  residual: BoundExpr | null,
): number {
  const lr = Math.max(1, left.estRows);
  const rr = Math.max(1, right.estRows);
  const lo = planOrigin(left);
  const ro = planOrigin(right);
  const residualSel = estimateSelectivity(residual, concatOrigin(left, right));
  if (kind === 'semi' || kind === 'anti') {
    // Fraction of left rows with at least one partner (eqjoinsel_semi): nd_r / nd_l, capped.
    let frac = keysL.length === 0 ? 0.5 : 1;
    for (let i = 0; i < keysL.length; i++) {
      const ndl = estimateDistinct(keysL[i]!, lo, lr);
      const ndr = estimateDistinct(keysR[i]!, ro, rr);
      frac = Math.min(frac, Math.min(1, ndr / ndl));
    }
    frac *= residual === null ? 1 : Math.max(residualSel, 0.1);
    return Math.max(1, kind === 'semi' ? lr * frac : lr * (1 - frac));
  }
  let sel = residualSel;
  for (let i = 0; i < keysL.length; i++) sel *= eqJoinSelectivity(keysL[i]!, keysR[i]!, lo, ro, lr, rr);
  const inner = lr * rr * sel;
  switch (kind) {
    case 'left': return Math.max(inner, lr);
    case 'right': return Math.max(inner, rr);
    case 'full': return Math.max(inner, lr, rr);
    default: return Math.max(1, inner);
  }
}

/** A join on `keysL = keysR` (none: a nested loop on `residual`), with its row estimate. */
export function makeJoin(
  kind: JoinKind, left: PlanNode, right: PlanNode, keysL: BoundExpr[], keysR: BoundExpr[],
  residual: BoundExpr | null, columns: OutputColumn[], lateral = false,
): PlanNode {
  const estRows = joinRows(kind, left, right, keysL, keysR, residual);
  if (keysL.length > 0 && !lateral) return equiJoin(kind, left, right, keysL, keysR, residual, columns, estRows);
  let condition = residual;
  if (keysL.length > 0) {
    // A LATERAL right side reads the left row: no hash table over it, the keys become conditions.
    const w = left.columns.length;
    const eqs: BoundExpr[] = keysL.map((k, j) => ({
      k: 'cmp', type: Types.bool, op: '=', left: k, right: remapColumns(keysR[j]!, (c) => c + w), cmp: comparatorFor(k.type),
    }));
    condition = andOf(residual === null ? eqs : [...eqs, residual]);
  }
  return { node: 'NestedLoopJoin', kind, left, right, condition, lateral, columns, estRows };
}

/** An equality join: merge join when both inputs arrive sorted on the keys, else hash join. */
export function equiJoin(
  kind: JoinKind, left: PlanNode, right: PlanNode, keysL: BoundExpr[], keysR: BoundExpr[],
  residual: BoundExpr | null, columns: OutputColumn[], estRows: number,
): PlanNode {
  if (kind === 'inner' || kind === 'left' || kind === 'right' || kind === 'full') {
    const { order, cmps } = mergeKeys(outputOrdering(left), outputOrdering(right), keysL, keysR);
    if (order.length > 0) {
      const w = left.columns.length;
      const rest: BoundExpr[] = [];
      keysL.forEach((k, j) => {
        if (order.includes(j)) return;
        rest.push({ k: 'cmp', type: Types.bool, op: '=', left: k, right: remapColumns(keysR[j]!, (c) => c + w), cmp: comparatorFor(k.type) });
      });
      if (residual !== null) rest.push(residual);
      return {
        node: 'MergeJoin', kind, left, right, leftKeys: order.map((j) => keysL[j]!), rightKeys: order.map((j) => keysR[j]!),
        cmps, residual: andOf(rest), columns, estRows,
      };
    }
  }
  return {
    node: 'HashJoin', kind, left, right, leftKeys: keysL, rightKeys: keysR,
    keyTypes: keysL.map((k) => k.type), residual, columns, estRows,
  };
}

/** Inputs at least this large (estimated rows) make sorting both for a merge worth it. */
const MERGE_FOR_ORDER_MIN_ROWS = 1000;

/**
 * A Sort over an inner/left hash join whose leading sort keys are the join's keys (ascending):
 * with both inputs large, sorting each input and merging yields the rows already in the wanted
 * order, so the top Sort goes away (two sorts of n/2 rows are cheaper than one of the joined
 * rows, and the merge needs no hash table). Looks through Filter and column-reference Project
 * nodes between the Sort and the join. Returns the Sort unchanged when the rule does not apply.
 */
export function mergeForOrderBy(sort: SortNode): PlanNode {
  const path: PlanNode[] = [];
  let p: PlanNode = sort.input;
  while (p.node === 'Filter' || (p.node === 'Project' && p.exprs.every((e) => e.k === 'col' && e.levelsUp === 0))) {
    path.push(p);
    p = p.input;
  }
  if (p.node !== 'HashJoin' || (p.kind !== 'inner' && p.kind !== 'left')) return sort;
  const join = p;
  if (join.left.estRows < MERGE_FOR_ORDER_MIN_ROWS || join.right.estRows < MERGE_FOR_ORDER_MIN_ROWS) return sort;
  // Sort keys as expressions over the join's output.
  const keys: BoundSortKey[] = [];
  for (const k of sort.keys) {
    let e: BoundExpr | null = k.expr;
    for (const n of path) {
      if (e === null) break;
      if (n.node === 'Project') {
        const col: BoundExpr = e;
        e = col.k === 'col' && col.levelsUp === 0 ? n.exprs[col.index] ?? null : null;
      }
    }
    if (e === null) break;
    keys.push({ ...k, expr: e });
  }
  const leftKeySet = join.leftKeys.map(exprKey);
  const used: number[] = [];
  for (const k of keys) {
    const j = leftKeySet.indexOf(exprKey(k.expr));
    if (j < 0 || k.desc || k.nullsFirst || used.includes(j)) break;
    used.push(j);
  }
  if (used.length === 0) return sort;
  // Every sort key must be covered by the merge order, else the top Sort is still needed.
  if (used.length < sort.keys.length) return sort;
  const sortOn = (input: PlanNode, exprs: readonly BoundExpr[]): PlanNode => ({
    node: 'Sort', input, limit: -1, columns: input.columns, estRows: input.estRows,
    keys: exprs.map((e) => ({ expr: e, desc: false, nullsFirst: false, cmp: comparatorFor(e.type) })),
  });
  const order = [...used, ...join.leftKeys.map((_, j) => j).filter((j) => !used.includes(j))];
  const left = sortOn(join.left, order.map((j) => join.leftKeys[j]!));
  const right = sortOn(join.right, order.map((j) => join.rightKeys[j]!));
  let plan = equiJoin(join.kind, left, right, [...join.leftKeys], [...join.rightKeys], join.residual, [...join.columns], join.estRows);
  if (plan.node !== 'MergeJoin') return sort;
  // The merge output is in the wanted order; a Limit above (top-N) simply stops pulling early.
  for (let i = path.length - 1; i >= 0; i--) plan = { ...path[i]!, input: plan } as PlanNode;
  return plan;
}

