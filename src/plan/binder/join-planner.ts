/**
 * Join planning for a query's FROM items: pushes single-item WHERE conjuncts into the items (where
 * the access-path chooser can turn `pk = $1` into an index lookup, and the selectivity estimator
 * sizes them), splits the items into groups linked by conjuncts, orders the joins of each group
 * by cost (join-order.ts: dynamic programming up to 8 items, greedy beyond), applies every other
 * conjunct as soon as the items it reads are joined, and cross-joins the groups smallest first.
 * The result has the canonical row layout (items in written order) whatever order executed.
 * Explicit INNER JOINs are planned the same way; outer joins keep their written order (their
 * sides are planned independently, single-side ON conjuncts pushed where that is valid).
 * Join methods and row estimates: join-methods.ts.
 */
import type { BoundExpr } from '../bound-expr.ts';
import { columnsUsed, conjuncts as splitAnd, remapColumns } from '../expr-rewrite.ts';
import type { JoinKind, OutputColumn, PlanNode } from '../plan-nodes.ts';
import { Types } from '../../types/sql-type.ts';
import { CostModel } from '../cost/cost-model.ts';
import type { FromItem } from './bind-from.ts';
import { chooseAccessPath } from './access-path.ts';
import { estimateScanRows, estimateSelectivity, planOrigin } from '../stats/selectivity.ts';
import { andOf, equiKey, hasSubquery, makeJoin } from './join-methods.ts';
import { columnNullable, decorrelate, type Decorrelated } from './decorrelate.ts';
import { accessPathsBelow, pushPredicate } from './predicate-pushdown.ts';
import { DP_ITEMS_MAX, JoinSearch, positionIn, type JoinConjunct, type Placed, type Rel } from './join-order.ts';

export { mergeForOrderBy, outputOrdering } from './join-methods.ts';

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

/**
 * Applies `pred` to `plan` with its row estimate: into a scan's filter, or (`push`) down through
 * a derived table's or view's plan (predicate-pushdown.ts), else as a Filter above it.
 */
export function filterPlan(plan: PlanNode, pred: BoundExpr, push = true): PlanNode {
  if (push && plan.node !== 'SeqScan') {
    const pushed = pushPredicate(plan, pred, filterHere);
    if (pushed !== null) return pushed;
  }
  return filterHere(plan, pred);
}

function filterHere(plan: PlanNode, pred: BoundExpr): PlanNode {
  if (plan.node === 'SeqScan' && !hasSubquery(pred)) {
    const filter = plan.filter ? { k: 'and' as const, type: Types.bool, args: [plan.filter, pred] } : pred;
    // Estimated over the whole filter, so that bounds pushed one by one pair up as ranges.
    return { ...plan, filter, estRows: Math.max(1, estimateScanRows(plan.table, filter)) };
  }
  const estRows = Math.max(1, plan.estRows * estimateSelectivity(pred, planOrigin(plan)));
  return { node: 'Filter', input: plan, predicate: pred, columns: plan.columns, estRows };
}

/** Joins two items (explicit JOIN syntax) with an ON condition; canonical layout left ++ right. */
export function planJoin(kind: JoinKind, left: FromItem, right: FromItem, condition: BoundExpr | null, width: number): PlanNode {
  // Inner joins are commutable: plan them like a FROM list (cost-based order and method).
  if (kind === 'inner') return planFromList([left, right], condition, width);
  const cols = [...left.plan.columns, ...right.plan.columns];
  if (right.lateral) return makeJoin(kind, left.plan, right.plan, [], [], condition, cols, true);
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
    if (onlyRight && kind === 'left') {
      rp = filterPlan(rp, remapColumns(c, (i) => i - left.width));
      continue;
    }
    if (onlyLeft && kind === 'right') {
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
  const res = andOf(residual);
  const plan = makeJoin(kind, lp, rp, keysL, keysR, res, cols);
  return plan.node === 'HashJoin' ? swapBuildSide(plan, res) : plan;
}

/**
 * An outer hash join builds its hash table on the right input; when the left input is much
 * cheaper to hash, the mirrored join (LEFT ↔ RIGHT, FULL stays FULL) hashes the left one
 * instead, under a projection restoring the column order (PostgreSQL's Hash Right Join).
 */
function swapBuildSide(plan: Extract<PlanNode, { node: 'HashJoin' }>, residual: BoundExpr | null): PlanNode {
  if (plan.kind !== 'left' && plan.kind !== 'right' && plan.kind !== 'full') return plan;
  const lw = plan.left.columns.length;
  const rw = plan.right.columns.length;
  const mirrored = plan.kind === 'left' ? 'right' : plan.kind === 'right' ? 'left' : 'full';
  const swappedResidual = residual === null ? null : remapColumns(residual, (c) => (c < lw ? c + rw : c - lw));
  const swapped = makeJoin(mirrored, plan.right, plan.left, [...plan.rightKeys], [...plan.leftKeys], swappedResidual,
    [...plan.right.columns, ...plan.left.columns]);
  const model = new CostModel();
  if (swapped.node !== 'HashJoin' || model.of(swapped).total >= 0.9 * model.of(plan).total) return plan;
  const exprs: BoundExpr[] = plan.columns.map((c, i) => ({ k: 'col', type: c.type, index: i < lw ? rw + i : i - lw, levelsUp: 0 }));
  return { node: 'Project', input: swapped, exprs, columns: plan.columns, estRows: swapped.estRows };
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
 * A left-deep chain without cost search: with a LATERAL item, in written order (later items read
 * earlier ones); for very long FROM lists, each next item the lowest-numbered one linked to the
 * joined set by a conjunct. Each conjunct is applied as soon as all the items it reads are joined.
 */
function planChain(st: FromListState, group: readonly number[], keepOrder: boolean): Rel {
  const remaining = new Set(group);
  const joined = new Set<number>();
  const pick = (): number => {
    if (joined.size === 0 || keepOrder) return Math.min(...remaining);
    for (const cand of [...remaining].sort((a, b) => a - b)) {
      for (let i = 0; i < st.pending.length; i++) {
        if (st.used[i]) continue;
        const set = st.itemSets[i]!;
        if (set.has(cand) && [...set].some((x) => joined.has(x)) && [...set].every((x) => x === cand || joined.has(x))) return cand;
      }
    }
    return Math.min(...remaining);
  };
  let rel: Rel | null = null;
  while (remaining.size > 0) {
    const idx = pick();
    remaining.delete(idx);
    joined.add(idx);
    const it = st.items[idx]!;
    if (rel === null) {
      rel = { plan: st.plans[idx]!, placed: [{ item: it, at: 0 }], width: it.width, mask: 0 };
      continue;
    }
    rel = chainNext(st, rel, idx, joined);
  }
  return rel!;
}

/** Adds item `idx` to a chain, placing every conjunct that becomes evaluable. */
function chainNext(st: FromListState, rel: Rel, idx: number, joined: ReadonlySet<number>): Rel {
  const it = st.items[idx]!;
  const prevPlaced = rel.placed;
  const placed: Placed[] = [...prevPlaced, { item: it, at: rel.width }];
  const inLeft = (c: number): boolean => prevPlaced.some((p) => c >= p.item.offset && c < p.item.offset + p.item.width);
  const inRight = (c: number): boolean => c >= it.offset && c < it.offset + it.width;
  const keysL: BoundExpr[] = [];
  const keysR: BoundExpr[] = [];
  const residual: BoundExpr[] = [];
  for (let i = 0; i < st.pending.length; i++) {
    if (st.used[i]) continue;
    const set = st.itemSets[i]!;
    if (set.size === 0 || ![...set].every((x) => joined.has(x))) continue;
    st.used[i] = true;
    const key = it.lateral ? null : equiKey(st.pending[i]!, inLeft, inRight);
    if (key) {
      keysL.push(remapColumns(key[0], (c) => positionIn(placed, c)));
      keysR.push(remapColumns(key[1], (c) => c - it.offset));
    } else {
      residual.push(remapColumns(st.pending[i]!, (c) => positionIn(placed, c)));
    }
  }
  const cols: OutputColumn[] = [...rel.plan.columns, ...st.plans[idx]!.columns];
  const plan = makeJoin('inner', rel.plan, st.plans[idx]!, keysL, keysR, andOf(residual), cols, it.lateral);
  return { plan, placed, width: rel.width + it.width, mask: 0 };
}

/** Cost-based order for one linked group (join-order.ts); marks its conjuncts placed. */
function planGroup(st: FromListState, group: readonly number[], search: JoinSearch): Rel {
  const rels: Rel[] = group.map((idx) => ({
    plan: st.plans[idx]!, placed: [{ item: st.items[idx]!, at: 0 }], width: st.items[idx]!.width, mask: 1 << idx,
  }));
  const inGroup = new Set(group);
  for (let i = 0; i < st.pending.length; i++) {
    const set = st.itemSets[i]!;
    if (!st.used[i] && set.size > 1 && [...set].every((s) => inGroup.has(s))) st.used[i] = true;
  }
  if (rels.length === 1) return rels[0]!;
  return rels.length <= DP_ITEMS_MAX ? search.dynamic(rels) : search.greedy(rels);
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

/** Cross-joins two sub-plans (no conjunct links them); the right one's rows are kept once. */
function crossJoin(left: Rel, right: Rel): Rel {
  const placed = [...left.placed, ...right.placed.map((p) => ({ item: p.item, at: p.at + left.width }))];
  const plan = makeJoin('inner', left.plan, right.plan, [], [], null, [...left.plan.columns, ...right.plan.columns]);
  return { plan, placed, width: left.width + right.width, mask: left.mask | right.mask };
}

/**
 * Replaces inner-join items by the items they join (recursively), adding their ON conjuncts to
 * `pending`; offsets and conditions move to the enclosing row. The canonical layout is unchanged:
 * a join item's columns are its parts' columns in order.
 */
function flattenInnerJoins(items: readonly FromItem[], pending: BoundExpr[]): FromItem[] {
  const out: FromItem[] = [];
  const add = (it: FromItem, base: number): void => {
    const parts = it.innerParts;
    if (parts === undefined) {
      out.push(base === 0 ? it : { ...it, offset: it.offset + base });
      return;
    }
    const at = base + it.offset;
    for (const p of parts.items) add(p, at);
    if (parts.condition !== null) pending.push(...splitAnd(remapColumns(parts.condition, (c) => c + at)));
  };
  for (const it of items) add(it, 0);
  return out;
}

/** A decorrelated conjunct: pending index, the item it reads (-1: several or none), the join. */
interface SemiConjunct {
  readonly at: number;
  readonly item: number;
  readonly d: Decorrelated;
}

/** Decorrelates the top-level EXISTS / IN conjuncts it can, marking them placed. */
function decorrelateConjuncts(
  items: readonly FromItem[], pending: readonly BoundExpr[], width: number, used: boolean[], sets: readonly Set<number>[],
): SemiConjunct[] {
  const out: SemiConjunct[] = [];
  const nullable = (e: BoundExpr): boolean => {
    let x = e;
    while (x.k === 'cast') x = x.arg;
    if (x.k !== 'col' || x.levelsUp !== 0) return true;
    const c = x.index;
    const it = items.find((i) => c >= i.offset && c < i.offset + i.width);
    return it === undefined || columnNullable(it.plan, c - it.offset);
  };
  for (let i = 0; i < pending.length; i++) {
    const set = sets[i]!;
    if ([...set].some((s) => items[s]!.lateral)) continue;
    const d = decorrelate(pending[i]!, width, nullable);
    if (d === null) continue;
    used[i] = true;
    out.push({ at: i, item: set.size === 1 ? [...set][0]! : -1, d });
  }
  return out;
}

/** Joins `plan` (rows laid out by `map` from canonical columns) with a decorrelated subquery. */
function applySemiJoin(plan: PlanNode, d: Decorrelated, map: (c: number) => number): PlanNode {
  const w = plan.columns.length;
  const keysL = d.outerKeys.map((k) => remapColumns(k, map));
  const residual = d.residual === null ? null
    : remapColumns(d.residual, (c) => (c < d.outerWidth ? map(c) : w + (c - d.outerWidth)));
  const join = makeJoin(d.kind, plan, chooseAccessPath(d.inner), keysL, [...d.innerKeys], residual, [...plan.columns]);
  return d.nullAware && join.node === 'HashJoin' ? { ...join, nullAware: true } : join;
}

/** Masks are 32-bit: longer FROM lists are joined by linked-next chains without cost search. */
const MASK_ITEMS_MAX = 30;

/**
 * Plans a comma-separated FROM list with the WHERE clause; the result has the canonical layout.
 * Items linked by conjuncts are joined group by group in cost order; the groups, which share no
 * conjunct, are then cross-joined smallest first, so a cross product never multiplies a
 * half-joined group (select5-style `FROM t1, t2, ... WHERE a1=b2 AND c3=d4`).
 */
export function planFromList(written: readonly FromItem[], where: BoundExpr | null, width: number): PlanNode {
  const pending = where ? splitAnd(where) : [];
  const items = flattenInnerJoins(written, pending);
  if (items.length === 0) {
    let plan: PlanNode = { node: 'OneRow', columns: [], estRows: 1 };
    for (const c of pending) plan = filterPlan(plan, c);
    return plan;
  }
  const allSets = pending.map((c) => itemsOf(columnsUsed(c), items));
  const used = new Array<boolean>(pending.length).fill(false);
  // EXISTS / IN subqueries that become semi or anti joins (decorrelate.ts).
  const semis = decorrelateConjuncts(items, pending, width, used, allSets);
  // A decorrelated conjunct links nothing: its join is placed on its own.
  const itemSets = allSets.map((set, i) => (semis.some((x) => x.at === i) ? new Set<number>() : set));
  // Push single-item conjuncts down first.
  const plans = items.map((it) => it.plan);
  for (let i = 0; i < pending.length; i++) {
    const set = itemSets[i]!;
    if (set.size !== 1 || used[i]) continue;
    const idx = [...set][0]!;
    const it = items[idx]!;
    if (it.lateral && hasSubquery(pending[i]!)) continue;
    plans[idx] = filterPlan(plans[idx]!, remapColumns(pending[i]!, (c) => c - it.offset), !it.lateral);
    used[i] = true;
  }
  for (let i = 0; i < plans.length; i++) plans[i] = accessPathsBelow(plans[i]!);
  // Semi/anti joins reading one item apply to that item, before the join order is chosen.
  const late: Decorrelated[] = [];
  for (const x of semis) {
    if (x.item < 0) { late.push(x.d); continue; }
    const it = items[x.item]!;
    plans[x.item] = applySemiJoin(plans[x.item]!, x.d, (c) => c - it.offset);
  }
  const st: FromListState = { items, plans, pending, itemSets, used };
  let rels: Rel[];
  if (items.some((it) => it.lateral)) {
    rels = [planChain(st, items.map((_, i) => i), true)];
  } else if (items.length > MASK_ITEMS_MAX) {
    rels = connectedGroups(items.length, itemSets).map((g) => planChain(st, g, false));
  } else {
    const conjuncts: JoinConjunct[] = [];
    pending.forEach((expr, i) => {
      if (used[i] || itemSets[i]!.size < 2) return;
      let mask = 0;
      for (const s of itemSets[i]!) mask |= 1 << s;
      conjuncts.push({ expr, mask });
    });
    const search = new JoinSearch(conjuncts);
    rels = connectedGroups(items.length, itemSets).map((g) => planGroup(st, g, search));
  }
  // Stable sort: equal estimates keep written order.
  rels.sort((a, b) => a.plan.estRows - b.plan.estRows);
  let rel = rels[0]!;
  for (let k = 1; k < rels.length; k++) rel = crossJoin(rel, rels[k]!);
  let plan = rel.plan;
  for (const d of late) plan = applySemiJoin(plan, d, (c) => positionIn(rel.placed, c));
  // Conjuncts reading no FROM item (constants, params, outer references).
  for (let i = 0; i < pending.length; i++) {
    if (!used[i]) plan = filterPlan(plan, remapColumns(pending[i]!, (c) => positionIn(rel.placed, c)));
  }
  if (rel.placed.every((p) => p.at === p.item.offset)) return plan;
  // Restore the canonical layout.
  const exprs: BoundExpr[] = [];
  const columns = [];
  for (let c = 0; c < width; c++) {
    const at = positionIn(rel.placed, c);
    const col = plan.columns[at] ?? { name: '?', type: Types.text };
    exprs.push({ k: 'col', type: col.type, index: at, levelsUp: 0 });
    columns.push(col);
  }
  return { node: 'Project', input: plan, exprs, columns, estRows: plan.estRows };
}
