/**
 * Grouped queries: after aggregation, expressions above the Aggregate node may only read group
 * keys and aggregate results. `toGroupedRefs` rewrites a bound expression accordingly, replacing
 * sub-expressions equal to a GROUP BY key with references to that key's output column and
 * aggregate references with the aggregate's output column, and rejects bare columns with 42803.
 *
 * GROUPING(args) is resolved here too: every argument must equal a GROUP BY expression; with
 * grouping sets the call reads the Aggregate's bitmask column (the last column after the
 * aggregates), with a plain GROUP BY it is the constant 0. A GROUPING call that reaches
 * `windowRefs` unresolved belongs to a query that is not grouped at all (42803).
 */
import { DbError } from '../../errors/index.ts';
import type { BoundExpr } from '../bound-expr.ts';
import type { QueryState } from './bind-context.ts';
import { Types } from '../../types/sql-type.ts';
import { mapChildren, remapPlanOuter } from '../expr-rewrite.ts';

/** Subqueries never match each other structurally: each gets a distinct key. */
let uniqueSubquery = 0;

/** A structural key: equal keys mean the expressions compute the same value from a row. */
export function exprKey(e: BoundExpr): string {
  switch (e.k) {
    case 'const': return `c${e.type.oid}:${String(e.value)}`;
    case 'param': return `p${e.index}`;
    case 'col': return `v${e.levelsUp}.${e.index}`;
    case 'aggref': return `a${e.index}`;
    case 'call': return `f${e.fn.name}(${e.args.map(exprKey).join(',')})`;
    case 'cast': return `cast${e.type.oid}.${e.type.typmod}(${exprKey(e.arg)})`;
    case 'cmp': return `(${exprKey(e.left)}${e.op}${exprKey(e.right)})`;
    case 'subquery': return `sub${uniqueSubquery++}`;
    case 'runtime': return `r${e.name}(${e.args.map(exprKey).join(',')})`;
    case 'srf': return `s${e.fn.name}(${e.args.map(exprKey).join(',')})`;
    default: {
      const kids: string[] = [];
      mapChildren(e, (c) => { kids.push(exprKey(c)); return c; });
      return `${e.k}[${kids.join(',')}]`;
    }
  }
}

/**
 * The query level each bound GROUPING call belongs to: its aggregate count (final by the time the
 * grouped rewrite runs) tells whether the Aggregate node carries a grouping-bitmask column.
 */
const groupingOwner = new WeakMap<BoundExpr, QueryState>();

export function noteGroupingCall(e: BoundExpr, qs: QueryState): void {
  groupingOwner.set(e, qs);
}

function groupingArgsError(loc: number): DbError {
  return new DbError('grouping_error',
    'arguments to GROUPING must be grouping expressions of the associated query level', { position: loc + 1 });
}

function resolveGrouping(e: Extract<BoundExpr, { k: 'grouping' }>, g: GroupContext): BoundExpr {
  const bits: number[] = [];
  const args: BoundExpr[] = [];
  for (const a of e.args) {
    const hit = g.keys.get(exprKey(a));
    if (hit === undefined) throw groupingArgsError(e.loc);
    bits.push(hit);
    args.push({ k: 'col', type: a.type, index: hit, levelsUp: 0 });
  }
  const qs = groupingOwner.get(e);
  // The Aggregate's columns: group keys, aggregates, then the bitmask when grouping sets are used.
  const hasSets = qs !== undefined ? g.windowBase === g.nGroup + qs.aggregates.length + 1 : false;
  if (!hasSets) return { k: 'const', type: Types.int4, value: 0 };
  const mask: BoundExpr = { k: 'col', type: Types.int4, index: g.windowBase - 1, levelsUp: 0 };
  return { ...e, args, mask, bits, nKeys: g.nGroup };
}

export interface GroupContext {
  readonly keys: Map<string, number>;
  readonly nGroup: number;
  /** Output position of window function i (negative aggref index -1-i), or -1 when none. */
  readonly windowBase: number;
  readonly clause: string;
}

export function toGroupedRefs(e: BoundExpr, g: GroupContext, loc: number): BoundExpr {
  const hit = g.keys.get(exprKey(e));
  if (hit !== undefined) return { k: 'col', type: e.type, index: hit, levelsUp: 0 };
  switch (e.k) {
    case 'aggref':
      if (e.index < 0) return { k: 'col', type: e.type, index: g.windowBase + (-e.index - 1), levelsUp: 0 };
      return { k: 'col', type: e.type, index: g.nGroup + e.index, levelsUp: 0 };
    case 'grouping':
      return e.mask !== null ? e : resolveGrouping(e, g);
    case 'col':
      if (e.levelsUp > 0) return e;
      throw new DbError('grouping_error',
        `column must appear in the GROUP BY clause or be used in an aggregate function`, { position: loc + 1 });
    case 'subquery': {
      if (!e.correlated) return { ...e, left: e.left ? e.left.map((l) => toGroupedRefs(l, g, loc)) : null };
      // A correlated subquery reads the grouped row: its level-1 references must be group keys.
      const plan = remapPlanOuter(e.plan, (i) => {
        const k = g.keys.get(`v0.${i}`);
        if (k === undefined) {
          throw new DbError('grouping_error',
            'subquery uses ungrouped column from outer query', { position: loc + 1 });
        }
        return k;
      });
      return { ...e, plan, left: e.left ? e.left.map((l) => toGroupedRefs(l, g, loc)) : null };
    }
    default:
      return mapChildren(e, (c) => toGroupedRefs(c, g, loc));
  }
}

/** Rewrites window references (negative aggref indexes) to the Window node's output columns. */
export function windowRefs(e: BoundExpr, windowBase: number): BoundExpr {
  if (e.k === 'aggref' && e.index < 0) return { k: 'col', type: e.type, index: windowBase + (-e.index - 1), levelsUp: 0 };
  if (e.k === 'col' || e.k === 'const' || e.k === 'param' || e.k === 'aggref') return e;
  if (e.k === 'grouping' && e.mask === null) throw groupingArgsError(e.loc);
  return mapChildren(e, (c) => windowRefs(c, windowBase));
}
