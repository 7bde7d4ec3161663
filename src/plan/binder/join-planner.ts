/**
 * Join planning for a query's FROM items: pushes single-item WHERE conjuncts into the items (where
 * the access-path chooser can turn `pk = $1` into an index lookup), splits the items into groups
 * linked by conjuncts, joins each group greedily so that each new item is connected to the ones
 * joined so far by an equality when possible, applies every other conjunct as soon as the items
 * it reads are joined, and cross-joins the groups smallest first. The result has the canonical
 * row layout (items in written order) whatever order was executed.
 *
 * Join method (hash join, merge join, nested loop) for two inputs:
 *  - No equality conjunct between the sides (or a LATERAL right side): Nested Loop; the
 *    condition, if any, is evaluated per pair.
 *  - Equality conjuncts, and both inputs provably arrive sorted ascending on (a prefix of) the
 *    join keys: Merge Join on those keys (remaining equalities become residual). "Provably
 *    sorted" is `outputOrdering`: a Sort node's keys, carried up through Filter, Limit,
 *    Distinct, Materialize (CTE) and column-reference projections, and the key order of an
 *    earlier merge join. Typical sources: subqueries or CTEs with ORDER BY on the key, chains of
 *    merge joins on one key. The merge then costs one linear pass with no hash table to build
 *    and its output stays ordered on the key for the joins and sorts above it.
 *  - Otherwise: Hash Join (build on the right input), the default for unordered inputs: adding
 *    sorts to enable a merge costs O(n log n) against the hash join's O(n), so it only pays when
 *    the order is needed anyway. `mergeForOrderBy` implements that case for a query ORDER BY on
 *    the join key over large inputs (sort both inputs, merge, drop the top Sort); the SELECT
 *    binder calls it with its Sort node.
 */
import type { BoundExpr, BoundSortKey, Comparator } from '../bound-expr.ts';
import { columnsUsed, conjuncts as splitAnd, remapColumns } from '../expr-rewrite.ts';
import type { JoinKind, OutputColumn, PlanNode, SortNode } from '../plan-nodes.ts';
import { exprKey } from './grouping.ts';
import { comparatorFor } from '../../types/compare.ts';
import { Types } from '../../types/sql-type.ts';
import type { FromItem } from './bind-from.ts';
import { chooseAccessPath } from './access-path.ts';

interface Placed {
  readonly item: FromItem;
  /** Where the item's first column sits in the current (execution-order) row. */
  readonly at: number;
}

function itemsOf(cols: Set<number>, items: readonly FromItem[]): Set<number> {
  const out = new Set<number>();
  for (const c of cols) {
    for (let i = 0; i < items.length; i++) {
      const it = items[i]!;
      if (c >= it.offset && c < it.offset + it.width) { out.add(i); break; }
    }
  }
  return out;
}

function hasSubquery(e: BoundExpr): boolean {
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

import { children as columnsUsedChildren } from '../bound-expr.ts';

function filterPlan(plan: PlanNode, pred: BoundExpr): PlanNode {
  if (plan.node === 'SeqScan' && !hasSubquery(pred)) {
    const filter = plan.filter ? { k: 'and' as const, type: Types.bool, args: [plan.filter, pred] } : pred;
    return { ...plan, filter, estRows: Math.max(1, Math.ceil(plan.estRows / 3)) };
  }
  return { node: 'Filter', input: plan, predicate: pred, columns: plan.columns, estRows: Math.max(1, Math.ceil(plan.estRows / 3)) };
}

/** Splits an equality between the joined set (`leftCols`) and the new item into hash keys. */
function equiKey(e: BoundExpr, inLeft: (c: number) => boolean, inRight: (c: number) => boolean): [BoundExpr, BoundExpr] | null {
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

/** Joins two items (explicit JOIN syntax) with an ON condition; canonical layout left ++ right. */
export function planJoin(kind: JoinKind, left: FromItem, right: FromItem, condition: BoundExpr | null, width: number): PlanNode {
  const cols = [...left.plan.columns, ...right.plan.columns];
  if (right.lateral) {
    return { node: 'NestedLoopJoin', kind, left: left.plan, right: right.plan, condition, lateral: true, columns: cols, estRows: left.plan.estRows * 10 };
  }
  let lp = left.plan;
  let rp = right.plan;
  const keysL: BoundExpr[] = [];
  const keysR: BoundExpr[] = [];
  const residual: BoundExpr[] = [];
  const inLeft = (c: number): boolean => c < left.width;
  const inRight = (c: number): boolean => c >= left.width && c < width;
  for (const c of condition ? splitAnd(condition) : []) {
    const used = columnsUsed(c);
    const onlyRight = used.size > 0 && [...used].every(inRight);
    const onlyLeft = used.size > 0 && [...used].every(inLeft);
    if (onlyRight && (kind === 'inner' || kind === 'left')) {
      rp = filterPlan(rp, remapColumns(c, (i) => i - left.width));
      continue;
    }
    if (onlyLeft && (kind === 'inner' || kind === 'right')) {
      lp = filterPlan(lp, c);
      continue;
    }
    const key = equiKey(c, inLeft, inRight);
    if (key) {
      keysL.push(key[0]);
      keysR.push(remapColumns(key[1], (i) => i - left.width));
      continue;
    }
    residual.push(c);
  }
  lp = chooseAccessPath(lp);
  rp = chooseAccessPath(rp);
  const res = residual.length === 0 ? null : residual.length === 1 ? residual[0]! : { k: 'and' as const, type: Types.bool, args: residual };
  const est = Math.max(lp.estRows, rp.estRows);
  if (keysL.length > 0) return equiJoin(kind, lp, rp, keysL, keysR, res, cols, est);
  return { node: 'NestedLoopJoin', kind, left: lp, right: rp, condition: res, lateral: false, columns: cols, estRows: lp.estRows * rp.estRows };
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

/** An equality join: merge join when both inputs arrive sorted on the keys, else hash join. */
function equiJoin(
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

/** A left-deep join of some FROM items, with each item's position in the plan's rows. */
interface Chain {
  plan: PlanNode;
  placed: Placed[];
  width: number;
}

/** Where canonical column `c` sits in a chain's rows (or `c` itself when no item holds it). */
function positionIn(placed: readonly Placed[], c: number): number {
  for (const p of placed) if (c >= p.item.offset && c < p.item.offset + p.item.width) return p.at + (c - p.item.offset);
  return c;
}

function andOf(parts: BoundExpr[]): BoundExpr | null {
  return parts.length === 0 ? null : parts.length === 1 ? parts[0]! : { k: 'and', type: Types.bool, args: parts };
}

/** State shared while planning one FROM list: the WHERE conjuncts and which are placed. */
interface FromListState {
  readonly items: readonly FromItem[];
  readonly plans: readonly PlanNode[];
  readonly pending: readonly BoundExpr[];
  readonly itemSets: readonly Set<number>[];
  readonly used: boolean[];
}

/**
 * Joins the items of one connected group greedily: each next item is the lowest-numbered one
 * linked to the joined set by a conjunct (so equalities become hash joins), and every conjunct is
 * applied as soon as all the items it reads are joined.
 */
function planChain(st: FromListState, group: readonly number[], keepOrder: boolean): Chain {
  const remaining = new Set(group);
  const order: number[] = [];
  const pick = (): number => {
    if (order.length === 0 || keepOrder) return Math.min(...remaining);
    const joined = new Set(order);
    for (const cand of [...remaining].sort((a, b) => a - b)) {
      for (let i = 0; i < st.pending.length; i++) {
        if (st.used[i]) continue;
        const set = st.itemSets[i]!;
        if (set.has(cand) && [...set].some((s) => joined.has(s)) && [...set].every((s) => s === cand || joined.has(s))) return cand;
      }
    }
    return Math.min(...remaining);
  };
  let chain: Chain | null = null;
  while (remaining.size > 0) {
    const idx = pick();
    remaining.delete(idx);
    order.push(idx);
    const it = st.items[idx]!;
    const rightPlan = st.plans[idx]!;
    if (chain === null) {
      chain = { plan: rightPlan, placed: [{ item: it, at: 0 }], width: it.width };
      continue;
    }
    chain = joinNext(st, chain, idx, new Set(order));
  }
  return chain!;
}

/** Adds item `idx` to `chain`, placing every conjunct that becomes evaluable. */
function joinNext(st: FromListState, chain: Chain, idx: number, joinedSet: ReadonlySet<number>): Chain {
  const it = st.items[idx]!;
  const rightPlan = st.plans[idx]!;
  const prevPlaced = chain.placed;
  const nextPlaced = [...prevPlaced, { item: it, at: chain.width }];
  const toCurrent = (c: number): number => positionIn(nextPlaced, c);
  const inLeft = (c: number): boolean => prevPlaced.some((p) => c >= p.item.offset && c < p.item.offset + p.item.width);
  const inRight = (c: number): boolean => c >= it.offset && c < it.offset + it.width;
  const keysL: BoundExpr[] = [];
  const keysR: BoundExpr[] = [];
  const residual: BoundExpr[] = [];
  for (let i = 0; i < st.pending.length; i++) {
    if (st.used[i]) continue;
    const set = st.itemSets[i]!;
    if (set.size === 0 || ![...set].every((s) => joinedSet.has(s))) continue;
    st.used[i] = true;
    const key = it.lateral ? null : equiKey(st.pending[i]!, inLeft, inRight);
    if (key) {
      keysL.push(remapColumns(key[0], toCurrent));
      keysR.push(remapColumns(key[1], (c) => c - it.offset));
    } else {
      residual.push(remapColumns(st.pending[i]!, toCurrent));
    }
  }
  const left = chain.plan;
  const cols: OutputColumn[] = [...left.columns, ...rightPlan.columns];
  const res = andOf(residual);
  const plan: PlanNode = keysL.length > 0
    ? equiJoin('inner', left, rightPlan, keysL, keysR, res, cols, Math.max(left.estRows, rightPlan.estRows))
    : {
      node: 'NestedLoopJoin', kind: 'inner', left, right: rightPlan, condition: res, lateral: it.lateral,
      columns: cols, estRows: left.estRows * rightPlan.estRows,
    };
  return { plan, placed: nextPlaced, width: chain.width + it.width };
}

/** Groups FROM items linked (transitively) by conjuncts reading more than one of them. */
function connectedGroups(count: number, itemSets: readonly Set<number>[]): number[][] {
  const parent = Array.from({ length: count }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i]!;
    return i;
  };
  for (const set of itemSets) {
    const members = [...set];
    for (let k = 1; k < members.length; k++) {
      const a = find(members[0]!);
      const b = find(members[k]!);
      if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
    }
  }
  const groups = new Map<number, number[]>();
  for (let i = 0; i < count; i++) {
    const root = find(i);
    const g = groups.get(root) ?? [];
    g.push(i);
    groups.set(root, g);
  }
  return [...groups.values()];
}

/** Cross-joins two chains (no conjunct links them); the right one's rows are materialized once. */
function crossJoin(left: Chain, right: Chain): Chain {
  const placed = [...left.placed, ...right.placed.map((p) => ({ item: p.item, at: p.at + left.width }))];
  const plan: PlanNode = {
    node: 'NestedLoopJoin', kind: 'inner', left: left.plan, right: right.plan, condition: null, lateral: false,
    columns: [...left.plan.columns, ...right.plan.columns], estRows: left.plan.estRows * right.plan.estRows,
  };
  return { plan, placed, width: left.width + right.width };
}

/**
 * Plans a comma-separated FROM list with the WHERE clause; the result has the canonical layout.
 * Items linked by conjuncts are joined group by group (hash joins on equalities); the groups,
 * which share no conjunct, are then cross-joined smallest first, so a cross product never
 * multiplies a half-joined group (select5-style `FROM t1, t2, ... WHERE a1=b2 AND c3=d4`).
 * With a LATERAL item everything is one chain in written order (later items read earlier ones).
 */
export function planFromList(items: readonly FromItem[], where: BoundExpr | null, width: number): PlanNode {
  const pending = where ? splitAnd(where) : [];
  if (items.length === 0) {
    let plan: PlanNode = { node: 'OneRow', columns: [], estRows: 1 };
    for (const c of pending) plan = filterPlan(plan, c);
    return plan;
  }
  const itemSets = pending.map((c) => itemsOf(columnsUsed(c), items));
  const used = new Array<boolean>(pending.length).fill(false);
  // Push single-item conjuncts down first.
  const plans = items.map((it) => it.plan);
  for (let i = 0; i < pending.length; i++) {
    const set = itemSets[i]!;
    if (set.size !== 1) continue;
    const idx = [...set][0]!;
    const it = items[idx]!;
    if (it.lateral && hasSubquery(pending[i]!)) continue;
    plans[idx] = filterPlan(plans[idx]!, remapColumns(pending[i]!, (c) => c - it.offset));
    used[i] = true;
  }
  for (let i = 0; i < plans.length; i++) plans[i] = chooseAccessPath(plans[i]!);
  const st: FromListState = { items, plans, pending, itemSets, used };
  const anyLateral = items.some((it) => it.lateral);
  const groups = anyLateral ? [items.map((_, i) => i)] : connectedGroups(items.length, itemSets);
  const chains = groups.map((g) => planChain(st, g, anyLateral));
  // Stable sort: equal estimates keep written order.
  chains.sort((a, b) => a.plan.estRows - b.plan.estRows);
  let chain = chains[0]!;
  for (let k = 1; k < chains.length; k++) chain = crossJoin(chain, chains[k]!);
  let plan = chain.plan;
  // Conjuncts reading no FROM item (constants, params, outer references).
  for (let i = 0; i < pending.length; i++) {
    if (!used[i]) plan = filterPlan(plan, remapColumns(pending[i]!, (c) => positionIn(chain.placed, c)));
  }
  if (chain.placed.every((p) => p.at === p.item.offset)) return plan;
  // Restore the canonical layout.
  const exprs: BoundExpr[] = [];
  const columns = [];
  for (let c = 0; c < width; c++) {
    const at = positionIn(chain.placed, c);
    const col = plan.columns[at] ?? { name: '?', type: Types.text };
    exprs.push({ k: 'col', type: col.type, index: at, levelsUp: 0 });
    columns.push(col);
  }
  return { node: 'Project', input: plan, exprs, columns, estRows: plan.estRows };
}
