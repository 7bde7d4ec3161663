/**
 * Subquery decorrelation: a top-level WHERE conjunct `EXISTS (...)`, `NOT EXISTS (...)`,
 * `x IN (SELECT ...)` / `x = ANY (SELECT ...)` or `x NOT IN (SELECT ...)` becomes a semi or anti
 * join of the outer rows with the subquery's rows (PostgreSQL's pull_up_sublinks), so it runs as
 * one hash join instead of one subquery execution per outer row.
 *
 * The subquery must be a plain filter over its FROM plan: Projects, Filters, DISTINCT and an
 * ORDER BY are looked through (none changes which rows exist); an aggregate, LIMIT, window or
 * set operation keeps the subquery as it is. Its correlated conjuncts `inner = outer` become the
 * join keys, any other correlated conjunct the join's residual; what remains must not read the
 * outer query.
 *
 * NULL semantics: EXISTS / NOT EXISTS and IN in WHERE (where NULL counts as false) are exactly
 * semi and anti joins. NOT IN is not: one NULL among the subquery's values makes it NULL for every
 * row, and a NULL left value matches nothing yet is not "not in" a non-empty set. NOT IN becomes a
 * null-aware anti join (HashJoinNode.nullAware: no rows when the inner side has a NULL key, every
 * row when it is empty, else rows whose key is non-null and unmatched) when it is uncorrelated
 * with one column; a correlated NOT IN only when both sides are provably non-null; otherwise it
 * stays a subquery.
 */
import type { BoundExpr } from '../bound-expr.ts';
import { conjuncts as splitAnd, mapChildren } from '../expr-rewrite.ts';
import type { PlanNode } from '../plan-nodes.ts';
import { planReferencesOuter } from '../plan-walk.ts';
import { Types } from '../../types/sql-type.ts';
import { comparatorFor } from '../../types/compare.ts';
import { andOf, hasSubquery } from './join-methods.ts';
import { filterPlan } from './join-planner.ts';

/** A WHERE conjunct turned into a semi/anti join. Outer expressions use the canonical layout. */
export interface Decorrelated {
  readonly kind: 'semi' | 'anti';
  readonly nullAware: boolean;
  /** The subquery's rows, reading nothing of the outer query. */
  readonly inner: PlanNode;
  /** Pairs of equal keys: over the outer (canonical) row and over the inner plan's rows. */
  readonly outerKeys: readonly BoundExpr[];
  readonly innerKeys: readonly BoundExpr[];
  /**
   * Remaining correlated condition over (outer canonical row ++ inner row), inner columns starting
   * at `outerWidth`; null when none.
   */
  readonly residual: BoundExpr | null;
  readonly outerWidth: number;
}

type SubqueryExpr = Extract<BoundExpr, { k: 'subquery' }>;

/** Replaces level-0 column `j` with `exprs[j]` (moving an expression below a projection). */
function substitute(e: BoundExpr, exprs: readonly BoundExpr[]): BoundExpr | null {
  if (hasSubquery(e)) return null;
  let ok = true;
  const walk = (x: BoundExpr): BoundExpr => {
    if (x.k === 'col') {
      if (x.levelsUp !== 0) return x;
      const r = exprs[x.index];
      if (r === undefined) { ok = false; return x; }
      return r;
    }
    return mapChildren(x, walk);
  };
  const out = walk(e);
  return ok ? out : null;
}

/** Whether `e` reads level-`depth` columns only at levels in `allowed` (no subqueries). */
function levelsUsed(e: BoundExpr): Set<number> {
  const out = new Set<number>();
  const walk = (x: BoundExpr): void => {
    if (x.k === 'col') { out.add(x.levelsUp); return; }
    mapChildren(x, (c) => { walk(c); return c; });
  };
  walk(e);
  return out;
}

/** Outer (level-1) references become level 0 (canonical), inner level-0 ones shift by `w`. */
function pullUp(e: BoundExpr, w: number): BoundExpr {
  if (e.k === 'col') {
    if (e.levelsUp === 1) return { ...e, levelsUp: 0 };
    if (e.levelsUp === 0) return { ...e, index: e.index + w };
    return { ...e, levelsUp: e.levelsUp - 1 };
  }
  return mapChildren(e, (c) => pullUp(c, w));
}

interface Peeled {
  /** The subquery's FROM plan without the peeled filters. */
  readonly base: PlanNode;
  /** Conjuncts peeled off (over the base's rows). */
  readonly conds: BoundExpr[];
  /** The subquery's output columns as expressions over the base's rows. */
  readonly outputs: readonly BoundExpr[] | null;
}

/** Looks through Project / Filter / Distinct / Sort down to a scan or a plan with no outer refs. */
function peel(plan: PlanNode): Peeled | null {
  let outputs: BoundExpr[] | null = null;
  const conds: BoundExpr[] = [];
  let p = plan;
  for (;;) {
    if (p.node === 'Project') {
      if (p.exprs.some((e) => e.k === 'srf')) return null;
      const next: BoundExpr[] = [];
      for (const e of outputs ?? p.columns.map((c, i): BoundExpr => ({ k: 'col', type: c.type, index: i, levelsUp: 0 }))) {
        const s = substitute(e, p.exprs);
        if (s === null) return null;
        next.push(s);
      }
      outputs = next;
      p = p.input;
    } else if (p.node === 'Filter') {
      // Filter conditions over p.input rows (same layout as p's).
      conds.push(...splitAnd(p.predicate));
      p = p.input;
    } else if (p.node === 'Distinct' || p.node === 'Sort') {
      if (p.node === 'Distinct' && p.on !== null) return null;
      p = p.input;
    } else {
      break;
    }
  }
  if (p.node === 'SeqScan') {
    if (p.asOf !== null || p.lockRows) return null;
    if (p.filter !== null) conds.push(...splitAnd(p.filter));
    return { base: { ...p, filter: null, estRows: Math.max(1, p.table.store.rowEstimate) }, conds, outputs };
  }
  if (p.node === 'IndexScan') {
    if (p.lockRows || p.index.keys.some((k) => typeof k !== 'number')) return null;
    // Undo the lookup: its key equalities are conditions again (they may read the outer row).
    p.index.keys.forEach((attnum, i) => {
      const col: BoundExpr = { k: 'col', type: p.keyTypes[i]!, index: attnum as number, levelsUp: 0 };
      conds.push({ k: 'cmp', type: Types.bool, op: '=', left: col, right: p.keys[i]!, cmp: comparatorFor(p.keyTypes[i]!) });
    });
    if (p.filter !== null) conds.push(...splitAnd(p.filter));
    const base: PlanNode = {
      node: 'SeqScan', table: p.table, alias: p.alias, filter: null, asOf: null, lockRows: false, emitRef: false,
      columns: p.columns, estRows: Math.max(1, p.table.store.rowEstimate),
    };
    return { base, conds, outputs };
  }
  if (planReferencesOuter(p)) return null;
  return { base: p, conds, outputs };
}

/** Splits `cond` (over base rows, may read level 1) into a key pair, or null. */
function keyPair(c: BoundExpr): { inner: BoundExpr; outer: BoundExpr } | null {
  if (c.k !== 'cmp' || c.op !== '=' || hasSubquery(c)) return null;
  const l = levelsUsed(c.left);
  const r = levelsUsed(c.right);
  const only = (s: Set<number>, lvl: number): boolean => s.size === 1 && s.has(lvl);
  if (only(l, 0) && only(r, 1)) return { inner: c.left, outer: c.right };
  if (only(l, 1) && only(r, 0)) return { inner: c.right, outer: c.left };
  return null;
}

/**
 * Tries to turn one WHERE conjunct into a semi/anti join; null when it is not of a supported
 * shape. `outerNullable(e)` says whether an outer expression may be NULL (for NOT IN).
 */
export function decorrelate(
  conj: BoundExpr, outerWidth: number, outerNullable: (e: BoundExpr) => boolean,
): Decorrelated | null {
  let e = conj;
  let negated = false;
  if (e.k === 'not') { negated = true; e = e.arg; }
  if (e.k !== 'subquery') return null;
  const sq: SubqueryExpr = e;
  let kind: 'semi' | 'anti';
  if (sq.mode === 'exists') kind = negated ? 'anti' : 'semi';
  else if (sq.mode === 'in' || (sq.mode === 'any' && sq.op === '=')) {
    const not = sq.negated !== negated;
    kind = not ? 'anti' : 'semi';
  } else if (sq.mode === 'all' && sq.op === '<>' && !negated) {
    kind = 'anti';
  } else {
    return null;
  }
  const peeled = peel(sq.plan);
  if (peeled === null) return null;
  const innerKeys: BoundExpr[] = [];
  const outerKeys: BoundExpr[] = [];
  const residual: BoundExpr[] = [];
  const local: BoundExpr[] = [];
  for (const c of peeled.conds) {
    const levels = levelsUsed(c);
    if (![...levels].some((l) => l >= 1) && !hasSubquery(c)) { local.push(c); continue; }
    if (hasSubquery(c) || [...levels].some((l) => l > 1)) return null;
    const kp = keyPair(c);
    if (kp !== null) {
      innerKeys.push(kp.inner);
      outerKeys.push(pullUp(kp.outer, 0));
    } else {
      residual.push(pullUp(c, outerWidth));
    }
  }
  const correlatedKeys = innerKeys.length;
  const isIn = sq.mode !== 'exists';
  if (isIn) {
    const outs = peeled.outputs ?? peeled.base.columns.map((c, i): BoundExpr => ({ k: 'col', type: c.type, index: i, levelsUp: 0 }));
    const lefts = sq.left ?? [];
    if (lefts.length !== outs.length || lefts.some((l) => hasSubquery(l) || levelsUsed(l).has(1))) return null;
    for (let i = 0; i < lefts.length; i++) {
      const out = outs[i]!;
      if ([...levelsUsed(out)].some((l) => l >= 1)) return null;
      outerKeys.push(lefts[i]!);
      innerKeys.push(out);
    }
  }
  let nullAware = false;
  if (kind === 'anti' && isIn) {
    const lefts = sq.left ?? [];
    const innerNonNull = innerKeys.slice(correlatedKeys).every((k) => innerNotNull(k, peeled.base));
    const outerNonNull = lefts.every((l) => !outerNullable(l));
    if (!(innerNonNull && outerNonNull)) {
      // Null-aware only where the whole inner set is one set: uncorrelated, one column.
      if (correlatedKeys > 0 || residual.length > 0 || lefts.length !== 1) return null;
      nullAware = true;
    }
  }
  let inner = peeled.base;
  for (const c of local) inner = filterPlan(inner, c);
  if (planReferencesOuter(inner)) return null;
  return { kind, nullAware, inner, outerKeys, innerKeys, residual: andOf(residual), outerWidth };
}

/** A key over the inner base rows that is a NOT NULL column of the scanned table. */
function innerNotNull(k: BoundExpr, base: PlanNode): boolean {
  let x = k;
  while (x.k === 'cast') x = x.arg;
  if (x.k !== 'col' || x.levelsUp !== 0 || base.node !== 'SeqScan') return false;
  const idx = x.index;
  return base.table.columns.some((c) => c.attnum === idx && c.notNull);
}

/**
 * Whether output column `i` of `plan` may hold NULL: false only for a NOT NULL table column passed
 * through scans, filters, projections and the non-null-extended sides of joins.
 */
export function columnNullable(plan: PlanNode, i: number): boolean {
  switch (plan.node) {
    case 'SeqScan': case 'IndexScan':
      return !plan.table.columns.some((c) => c.attnum === i && c.notNull);
    case 'Filter': case 'Sort': case 'Limit': case 'Distinct': case 'Materialize':
      return columnNullable(plan.input, i);
    case 'Project': {
      const e = plan.exprs[i];
      return e === undefined || e.k !== 'col' || e.levelsUp !== 0 || columnNullable(plan.input, e.index);
    }
    case 'NestedLoopJoin': case 'HashJoin': case 'MergeJoin': {
      const w = plan.left.columns.length;
      if (i < w) return plan.kind === 'right' || plan.kind === 'full' || columnNullable(plan.left, i);
      return plan.kind === 'left' || plan.kind === 'full' || columnNullable(plan.right, i - w);
    }
    default:
      return true;
  }
}
