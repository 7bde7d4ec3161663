/**
 * Join planning for a query's FROM items: pushes single-item WHERE conjuncts into the items (where
 * the access-path chooser can turn `pk = $1` into an index lookup), splits the items into groups
 * linked by conjuncts, joins each group greedily so that each new item is connected to the ones
 * joined so far by an equality (hash join) when possible, applies every other conjunct as soon as
 * the items it reads are joined, and cross-joins the groups smallest first. The result has the
 * canonical row layout (items in written order) whatever order was executed.
 */
import type { BoundExpr } from '../bound-expr.ts';
import { columnsUsed, conjuncts as splitAnd, remapColumns } from '../expr-rewrite.ts';
import type { JoinKind, OutputColumn, PlanNode } from '../plan-nodes.ts';
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
  if (keysL.length > 0) {
    return {
      node: 'HashJoin', kind, left: lp, right: rp, leftKeys: keysL, rightKeys: keysR,
      keyTypes: keysL.map((k) => k.type), residual: res, columns: cols, estRows: est,
    };
  }
  return { node: 'NestedLoopJoin', kind, left: lp, right: rp, condition: res, lateral: false, columns: cols, estRows: lp.estRows * rp.estRows };
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
    ? {
      node: 'HashJoin', kind: 'inner', left, right: rightPlan, leftKeys: keysL, rightKeys: keysR,
      keyTypes: keysL.map((k) => k.type), residual: res, columns: cols, estRows: Math.max(left.estRows, rightPlan.estRows),
    }
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
