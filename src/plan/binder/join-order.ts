/**
 * Cost-based join order for the items of one connected group of a FROM list (inner joins):
 *  - up to DP_ITEMS_MAX items: dynamic programming over subsets (PostgreSQL's standard join
 *    search, bushy trees included): the cheapest plan for every subset, built from the cheapest
 *    plans of each split into two subsets linked by a conjunct (cross products only where no
 *    linked split exists);
 *  - beyond that: greedy operator ordering, repeatedly joining the linked pair whose join is
 *    cheapest.
 * Every join of two sub-plans tries both sides as the hash build side, a merge join when both
 * arrive sorted, and an index nested loop (an index lookup on the inner table per outer row)
 * when the inner side is a single table with an index on the join key. Costs come from
 * src/plan/cost/cost-model.ts over row estimates from src/plan/stats/selectivity.ts.
 *
 * Row layout: a sub-plan's rows hold its items' columns in execution order; `placed` records
 * where each item starts, so conjuncts (over the canonical layout) are remapped on the way.
 */
import type { BoundExpr } from '../bound-expr.ts';
import { mapChildren, remapColumns } from '../expr-rewrite.ts';
import type { OutputColumn, PlanNode } from '../plan-nodes.ts';
import { planReferencesOuter } from '../plan-walk.ts';
import { Types } from '../../types/sql-type.ts';
import { comparatorFor } from '../../types/compare.ts';
import { CostModel } from '../cost/cost-model.ts';
import { estimateSelectivity, scanOrigin, tableRows } from '../stats/selectivity.ts';
import type { FromItem } from './bind-from.ts';
import { chooseAccessPath } from './access-path.ts';
import { andOf, equiKey, hasSubquery, joinRows, makeJoin } from './join-methods.ts';

/** Largest group planned exhaustively (PostgreSQL's join_collapse_limit / geqo_threshold-ish). */
export const DP_ITEMS_MAX = 8;

export interface Placed {
  readonly item: FromItem;
  /** Where the item's first column sits in the sub-plan's rows. */
  readonly at: number;
}

/** A sub-plan joining the items in `mask`. */
export interface Rel {
  readonly plan: PlanNode;
  readonly placed: readonly Placed[];
  readonly width: number;
  readonly mask: number;
}

/** A WHERE conjunct reading several items (`mask`), over the canonical layout. */
export interface JoinConjunct {
  readonly expr: BoundExpr;
  readonly mask: number;
}

/** Where canonical column `c` sits in a sub-plan's rows (or `c` itself when no item holds it). */
export function positionIn(placed: readonly Placed[], c: number): number {
  for (const p of placed) if (c >= p.item.offset && c < p.item.offset + p.item.width) return p.at + (c - p.item.offset);
  return c;
}

function inItems(placed: readonly Placed[], c: number): boolean {
  for (const p of placed) if (c >= p.item.offset && c < p.item.offset + p.item.width) return true;
  return false;
}

/** Column references one more level out (the expression moves into a LATERAL inner side). */
function raiseLevels(e: BoundExpr): BoundExpr | null {
  if (hasSubquery(e)) return null;
  const walk = (x: BoundExpr): BoundExpr => (x.k === 'col' ? { ...x, levelsUp: x.levelsUp + 1 } : mapChildren(x, walk));
  return walk(e);
}

export class JoinSearch {
  readonly model = new CostModel();
  private readonly conjuncts: readonly JoinConjunct[];

  constructor(conjuncts: readonly JoinConjunct[]) {
    this.conjuncts = conjuncts;
  }

  private cost(p: PlanNode): number {
    return this.model.of(p).total;
  }

  /** Whether some conjunct links `a` and `b`. */
  linked(a: number, b: number): boolean {
    for (const c of this.conjuncts) if ((c.mask & a) !== 0 && (c.mask & b) !== 0 && (c.mask & ~(a | b)) === 0) return true;
    return false;
  }

  /** The cheapest plan joining `a` and `b` (both orders, every applicable method). */
  join(a: Rel, b: Rel): Rel {
    const x = this.joinOrdered(a, b);
    const y = this.joinOrdered(b, a);
    return this.cost(y.plan) < this.cost(x.plan) ? y : x;
  }

  /** Joins with `a` as the outer (probe) side and `b` as the inner (build) side. */
  private joinOrdered(a: Rel, b: Rel): Rel {
    const placed = [...a.placed, ...b.placed.map((p) => ({ item: p.item, at: p.at + a.width }))];
    const mask = a.mask | b.mask;
    const keysL: BoundExpr[] = [];
    const keysR: BoundExpr[] = [];
    const residual: BoundExpr[] = [];
    const inLeft = (c: number): boolean => inItems(a.placed, c);
    const inRight = (c: number): boolean => inItems(b.placed, c);
    for (const c of this.conjuncts) {
      if ((c.mask & ~mask) !== 0 || (c.mask & ~a.mask) === 0 || (c.mask & ~b.mask) === 0) continue;
      const key = equiKey(c.expr, inLeft, inRight);
      if (key) {
        keysL.push(remapColumns(key[0], (i) => positionIn(a.placed, i)));
        keysR.push(remapColumns(key[1], (i) => positionIn(b.placed, i)));
      } else {
        residual.push(remapColumns(c.expr, (i) => positionIn(placed, i)));
      }
    }
    const cols: OutputColumn[] = [...a.plan.columns, ...b.plan.columns];
    const res = andOf(residual);
    let plan = makeJoin('inner', a.plan, b.plan, keysL, keysR, res, cols);
    const inl = this.indexNestedLoop(a, b, keysL, keysR, res, cols);
    if (inl !== null && this.cost(inl) < this.cost(plan)) plan = inl;
    return { plan, placed, width: a.width + b.width, mask };
  }

  /**
   * An index nested loop: for each row of `a`, an index lookup on `b`'s table with the join keys
   * as outer references (a LATERAL inner side). Null when `b` is not a plain single-table scan or
   * no index covers the keys.
   */
  private indexNestedLoop(
    a: Rel, b: Rel, keysL: readonly BoundExpr[], keysR: readonly BoundExpr[], residual: BoundExpr | null, cols: OutputColumn[],
  ): PlanNode | null {
    if (keysL.length === 0 || b.placed.length !== 1) return null;
    const scan = b.plan;
    if (scan.node !== 'SeqScan' || scan.asOf !== null || scan.table.indexes.length === 0 || b.placed[0]!.item.lateral) return null;
    if (planReferencesOuter(scan)) return null;
    const eqs: BoundExpr[] = [];
    for (let j = 0; j < keysL.length; j++) {
      const inner = keysR[j]!;
      const outer = raiseLevels(keysL[j]!);
      if (inner.k !== 'col' || inner.levelsUp !== 0 || outer === null || hasSubquery(keysL[j]!)) continue;
      // Both sides of the equality have its common type, so the inner column's comparator fits.
      eqs.push({ k: 'cmp', type: Types.bool, op: '=', left: inner, right: outer, cmp: comparatorFor(inner.type) });
    }
    if (eqs.length === 0) return null;
    const filter = andOf(scan.filter === null ? eqs : [scan.filter, ...eqs]);
    const probe = chooseAccessPath({ ...scan, filter });
    if (probe.node !== 'IndexScan') return null;
    // Rows per lookup: the table's rows through the key equalities and the scan's own filter.
    const perLookup = Math.max(1, tableRows(scan.table) * estimateSelectivity(filter, scanOrigin(scan.table)));
    const right: PlanNode = { ...probe, estRows: perLookup };
    // The keys the index does not use stay in its filter; nothing else is left to check.
    const estRows = joinRows('inner', a.plan, b.plan, keysL, keysR, residual);
    return { node: 'NestedLoopJoin', kind: 'inner', left: a.plan, right, condition: residual, lateral: true, columns: cols, estRows };
  }

  /**
   * Dynamic programming over the subsets of `rels` (at most DP_ITEMS_MAX of them). Like
   * PostgreSQL, only splits linked by a conjunct are joined; a cross product is considered only
   * when no such plan exists (conjuncts over three or more items can leave none).
   */
  dynamic(rels: readonly Rel[]): Rel {
    return this.subsets(rels, false) ?? this.subsets(rels, true)!;
  }

  private subsets(rels: readonly Rel[], allowCross: boolean): Rel | undefined {
    const n = rels.length;
    const best = new Map<number, Rel>();
    // Local subset bits -> global item mask.
    const globalOf = (local: number): number => {
      let m = 0;
      for (let i = 0; i < n; i++) if (local & (1 << i)) m |= rels[i]!.mask;
      return m;
    };
    rels.forEach((r, i) => best.set(1 << i, r));
    const full = (1 << n) - 1;
    for (let size = 2; size <= n; size++) {
      for (let s = 1; s <= full; s++) {
        if (popcount(s) !== size) continue;
        let winner: Rel | null = null;
        let winnerLinked = false;
        const low = s & -s;
        // Each unordered split once: the part holding the lowest bit is `l`.
        for (let l = (s - 1) & s; l > 0; l = (l - 1) & s) {
          if ((l & low) === 0) continue;
          const r = s ^ l;
          const lr = best.get(l);
          const rr = best.get(r);
          if (lr === undefined || rr === undefined) continue;
          const isLinked = this.linked(globalOf(l), globalOf(r));
          if (!isLinked && (!allowCross || winnerLinked)) continue;
          const cand = this.join(lr, rr);
          if (winner === null || (isLinked && !winnerLinked) || this.cost(cand.plan) < this.cost(winner.plan)) {
            winner = cand;
            winnerLinked = isLinked;
          }
        }
        if (winner !== null) best.set(s, winner);
      }
    }
    return best.get(full);
  }

  /** Greedy operator ordering: join the linked pair with the cheapest result until one is left. */
  greedy(start: readonly Rel[]): Rel {
    const rels = [...start];
    while (rels.length > 1) {
      let pick: { i: number; j: number; rel: Rel; linked: boolean } | null = null;
      for (let i = 0; i < rels.length; i++) {
        for (let j = i + 1; j < rels.length; j++) {
          const isLinked = this.linked(rels[i]!.mask, rels[j]!.mask);
          if (pick !== null && pick.linked && !isLinked) continue;
          const rel = this.join(rels[i]!, rels[j]!);
          if (pick === null || (isLinked && !pick.linked) || this.cost(rel.plan) < this.cost(pick.rel.plan)) {
            pick = { i, j, rel, linked: isLinked };
          }
        }
      }
      const p = pick!;
      rels.splice(p.j, 1);
      rels.splice(p.i, 1, p.rel);
    }
    return rels[0]!;
  }
}

function popcount(x: number): number {
  let c = 0;
  while (x !== 0) { x &= x - 1; c++; }
  return c;
}
