/**
 * Join planning for a query's FROM items: pushes single-item WHERE conjuncts into the items (where
 * the access-path chooser can turn `pk = $1` into an index lookup), joins items greedily so that
 * each new item is connected to the ones joined so far by an equality (hash join) when possible,
 * and applies every other conjunct as soon as the items it reads are joined. The result has the
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

/**
 * Plans a comma-separated FROM list with the WHERE clause. Returns the plan (canonical layout)
 * and the conjuncts that could not be placed (none, normally).
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
  const anyLateral = items.some((it) => it.lateral);
  const order: number[] = [];
  const remaining = new Set(items.map((_, i) => i));
  const pick = (): number => {
    if (order.length === 0 || anyLateral) return Math.min(...remaining);
    const joined = new Set(order);
    for (const cand of [...remaining].sort((a, b) => a - b)) {
      for (let i = 0; i < pending.length; i++) {
        if (used[i]) continue;
        const set = itemSets[i]!;
        if (set.has(cand) && [...set].some((s) => joined.has(s)) && [...set].every((s) => s === cand || joined.has(s))) return cand;
      }
    }
    return Math.min(...remaining);
  };
  let placed: Placed[] = [];
  let plan: PlanNode | null = null;
  let curWidth = 0;
  while (remaining.size > 0) {
    const idx = pick();
    remaining.delete(idx);
    order.push(idx);
    const it = items[idx]!;
    const rightPlan = plans[idx]!;
    if (plan === null) {
      placed = [{ item: it, at: 0 }];
      plan = rightPlan;
      curWidth = it.width;
      continue;
    }
    const prevPlaced = placed;
    const nextPlaced = [...placed, { item: it, at: curWidth }];
    const toCurrent = (c: number): number => {
      for (const p of nextPlaced) if (c >= p.item.offset && c < p.item.offset + p.item.width) return p.at + (c - p.item.offset);
      return c;
    };
    const joinedSet = new Set(order);
    const inLeft = (c: number): boolean => prevPlaced.some((p) => c >= p.item.offset && c < p.item.offset + p.item.width);
    const inRight = (c: number): boolean => c >= it.offset && c < it.offset + it.width;
    const keysL: BoundExpr[] = [];
    const keysR: BoundExpr[] = [];
    const residual: BoundExpr[] = [];
    for (let i = 0; i < pending.length; i++) {
      if (used[i]) continue;
      const set = itemSets[i]!;
      if (![...set].every((s) => joinedSet.has(s))) continue;
      used[i] = true;
      const key = it.lateral ? null : equiKey(pending[i]!, inLeft, inRight);
      if (key) {
        keysL.push(remapColumns(key[0], toCurrent));
        keysR.push(remapColumns(key[1], (c) => c - it.offset));
      } else {
        residual.push(remapColumns(pending[i]!, toCurrent));
      }
    }
    const cols: OutputColumn[] = [...plan.columns, ...rightPlan.columns];
    const res = residual.length === 0 ? null : residual.length === 1 ? residual[0]! : { k: 'and' as const, type: Types.bool, args: residual };
    if (keysL.length > 0) {
      plan = {
        node: 'HashJoin', kind: 'inner', left: plan, right: rightPlan, leftKeys: keysL, rightKeys: keysR,
        keyTypes: keysL.map((k) => k.type), residual: res, columns: cols, estRows: Math.max(plan.estRows, rightPlan.estRows),
      };
    } else {
      plan = {
        node: 'NestedLoopJoin', kind: 'inner', left: plan, right: rightPlan, condition: res, lateral: it.lateral,
        columns: cols, estRows: plan.estRows * rightPlan.estRows,
      };
    }
    placed = nextPlaced;
    curWidth += it.width;
  }
  // Conjuncts reading no FROM item (constants, params, outer references).
  for (let i = 0; i < pending.length; i++) {
    if (!used[i]) {
      plan = filterPlan(plan!, remapColumns(pending[i]!, (c) => {
        for (const p of placed) if (c >= p.item.offset && c < p.item.offset + p.item.width) return p.at + (c - p.item.offset);
        return c;
      }));
    }
  }
  const inOrder = order.every((v, i) => v === i);
  if (inOrder) return plan!;
  // Restore the canonical layout.
  const exprs: BoundExpr[] = [];
  const columns = [];
  for (let c = 0; c < width; c++) {
    let at = -1;
    for (const p of placed) if (c >= p.item.offset && c < p.item.offset + p.item.width) at = p.at + (c - p.item.offset);
    const col = plan!.columns[at] ?? { name: '?', type: Types.text };
    exprs.push({ k: 'col', type: col.type, index: at, levelsUp: 0 });
    columns.push(col);
  }
  return { node: 'Project', input: plan!, exprs, columns, estRows: plan!.estRows };
}
