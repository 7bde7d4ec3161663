/**
 * What an aggregation compiles from its node (aggregate runtimes: compiled arguments, FILTER,
 * DISTINCT key, ORDER BY; the plain path's template) and the groups it folds into. The template
 * is built once per node: plans are immutable, so only the folding state (hash-aggregate.ts)
 * belongs to an execution.
 */
import type { AggregateNode } from '../../plan/plan-nodes.ts';
import type { BoundAggregate, BoundExpr, BoundSortKey } from '../../plan/bound-expr.ts';
import type { Row } from '../../storage/version.ts';
import { comparatorFor, hashKeyFor } from '../../types/compare.ts';
import { Oid } from '../../types/sql-type.ts';
import { compileExpr, compilePredicate, type Evaluator } from '../compile-expr.ts';
import type { ExecContext } from '../exec-context.ts';
import { newRow } from '../new-row.ts';

export interface AggRuntime {
  readonly agg: BoundAggregate;
  readonly args: Evaluator[];
  readonly filter: ((row: Row, ctx: ExecContext) => boolean) | null;
  /** Buffered (sorted at the end) when ORDER BY / WITHIN GROUP is used. */
  readonly buffered: boolean;
  readonly sortEvals: Evaluator[];
  /** The sort applied to buffered rows: the aggregate's ORDER BY, or its arguments for DISTINCT. */
  readonly orderBy: readonly BoundSortKey[];
  readonly distinctKey: ((vals: unknown[]) => unknown) | null;
  /** The input column a one-argument aggregate reads as it is (-1: an expression). */
  readonly argCol: number;
  /**
   * The earlier aggregate whose state this one finishes instead of folding its own (the same
   * transition over the same column: sum(x) with avg(x)); -1 when it folds its own.
   */
  stateFrom: number;
}

export interface Group {
  readonly keys: unknown[];
  readonly states: unknown[];
  readonly seen: (Set<unknown> | null)[];
  readonly buffers: (unknown[][] | null)[];
}

/**
 * What plain GROUP BY compiles from its node: the same for every execution (the node is
 * immutable), so built once per node rather than per execution. A statement run thousands of
 * times (speedtest 07's 5,000 one-row aggregates) rebuilt it each time: compiled arguments,
 * runtimes, the shared-state pass and the batch-mode tests were most of its setup.
 */
export interface PlainTemplate {
  readonly keyEvals: Evaluator[];
  readonly keyParts: ((v: unknown) => unknown)[];
  readonly aggs: AggRuntime[];
  /** Aggregates stepped directly (no FILTER / DISTINCT / ORDER BY). */
  readonly simple: boolean[];
  /** The input column a single group key reads as it is (-1: an expression or several keys). */
  readonly keyCol: number;
  /** One int2/int4 key: groups of small keys go through PlainState.dense. */
  readonly denseKeys: boolean;
  /** Every aggregate folds whole batches without arguments (SELECT count(*) FROM t). */
  readonly batchOnly: boolean;
  /** Every aggregate steps whole batches of at most one argument (foldBatch). */
  readonly byBatch: boolean;
  readonly shared: SharedParts;
}

const plainTemplates = new WeakMap<AggregateNode, PlainTemplate>();

/** The node's plain-aggregation template, built on its first execution. */
export function plainTemplateOf(node: AggregateNode): PlainTemplate {
  let tpl = plainTemplates.get(node);
  if (tpl === undefined) plainTemplates.set(node, (tpl = plainTemplate(node)));
  return tpl;
}

const SMALL_INT_OIDS: ReadonlySet<number> = new Set([Oid.int2, Oid.int4]);

/** Arguments of count(*): never stored by a step function. Also the keys of the one group without GROUP BY. */
export const NO_ARGS: unknown[] = [];

/**
 * Points each plain one-column aggregate at the first earlier one with the same named transition
 * over the same input column (AggregateDef.transition): only that one folds, and both finish
 * from its state. Only for aggregates without FILTER / DISTINCT / ORDER BY, whose state is the
 * transition's alone.
 */
function shareStates(aggs: AggRuntime[]): void {
  for (let a = 1; a < aggs.length; a++) {
    const rt = aggs[a]!;
    const def = rt.agg.def;
    if (def.transition === undefined || rt.argCol < 0 || !plainAggregate(rt)) continue;
    for (let b = 0; b < a; b++) {
      const other = aggs[b]!;
      if (other.stateFrom >= 0 || other.argCol !== rt.argCol || !plainAggregate(other)) continue;
      const od = other.agg.def;
      if (od.transition !== def.transition || od.step !== def.step) continue;
      rt.stateFrom = b;
      break;
    }
  }
}

function plainAggregate(rt: AggRuntime): boolean {
  return rt.filter === null && rt.distinctKey === null && !rt.buffered && !rt.agg.def.orderedSet;
}

export function runtimeFor(agg: BoundAggregate): AggRuntime {
  const orderBy = agg.orderBy.length > 0 || !agg.distinct ? agg.orderBy : distinctSortKeys(agg);
  const buffered = orderBy.length > 0;
  let distinctKey: AggRuntime['distinctKey'] = null;
  if (agg.distinct) {
    const parts = agg.argTypes.map((t) => hashKeyFor(t) as (v: unknown) => unknown);
    distinctKey = (vals) => vals.map((v, i) => (v === null ? '\u0000' : String(parts[i]!(v)))).join('\u0001');
  }
  return {
    agg,
    args: agg.args.map(compileExpr),
    filter: agg.filter ? compilePredicate(agg.filter) : null,
    buffered,
    sortEvals: orderBy.map((k) => compileExpr(k.expr)),
    orderBy,
    distinctKey,
    argCol: agg.args.length === 1 ? plainColumn(agg.args[0]!) : -1,
    stateFrom: -1,
  };
}

/**
 * PostgreSQL implements agg(DISTINCT x) by sorting the input on the arguments and skipping
 * duplicates, so order-sensitive aggregates see their inputs sorted: array_agg(DISTINCT x) is
 * {a,b}, not first-seen order. Arguments of a type without ordering keep first-seen order.
 */
function distinctSortKeys(agg: BoundAggregate): BoundSortKey[] {
  try {
    return agg.args.map((expr) => ({ expr, desc: false, nullsFirst: false, cmp: comparatorFor(expr.type) }));
  } catch {
    return [];
  }
}

/** An aggregate before `a` whose one argument is input column `col` as it is, or -1. */
export function sameColumnBefore(aggs: readonly AggRuntime[], a: number, col: number): number {
  for (let i = 0; i < a; i++) if (aggs[i]!.argCol === col) return i;
  return -1;
}

/** The input position of a plain column reference of this level, else -1. */
function plainColumn(e: BoundExpr): number {
  return e.k === 'col' && e.levelsUp === 0 ? e.index : -1;
}

/**
 * The parts of a group none of a node's aggregates writes: with no DISTINCT (or no ORDER BY)
 * aggregate, every group shares one all-null `seen` (`buffers`) array instead of its own.
 */
export interface SharedParts {
  readonly seen: readonly null[] | null;
  readonly buffers: readonly null[] | null;
}
const NO_SHARED: SharedParts = { seen: null, buffers: null };

function sharedParts(aggs: readonly AggRuntime[]): SharedParts {
  const nulls = aggs.map(() => null);
  return {
    seen: aggs.some((rt) => rt.distinctKey !== null) ? null : nulls,
    buffers: aggs.some((rt) => rt.buffered) ? null : nulls,
  };
}

export function newGroup(keys: unknown[], aggs: AggRuntime[], shared: SharedParts = NO_SHARED): Group {
  const states = new Array<unknown>(aggs.length);
  for (let a = 0; a < aggs.length; a++) {
    const rt = aggs[a]!;
    states[a] = rt.stateFrom >= 0 ? null : rt.agg.def.init(rt.agg.argTypes);
  }
  return {
    keys,
    states,
    seen: (shared.seen as (Set<unknown> | null)[] | null) ?? aggs.map((rt) => (rt.distinctKey !== null ? new Set<unknown>() : null)),
    buffers: (shared.buffers as (unknown[][] | null)[] | null) ?? aggs.map((rt) => (rt.buffered ? [] : null)),
  };
}

function plainTemplate(node: AggregateNode): PlainTemplate {
  const aggs = node.aggregates.map((a) => runtimeFor(a));
  shareStates(aggs);
  const simple = aggs.map(plainAggregate);
  const nKeys = node.groupKeys.length;
  const batchOnly = nKeys === 0 && aggs.length > 0 &&
    aggs.every((rt, a) => simple[a] && rt.args.length === 0 && rt.agg.def.stepRows !== undefined);
  return {
    keyEvals: node.groupKeys.map(compileExpr),
    keyParts: node.groupTypes.map((t) => hashKeyFor(t) as (v: unknown) => unknown),
    aggs,
    simple,
    keyCol: nKeys === 1 ? plainColumn(node.groupKeys[0]!) : -1,
    denseKeys: nKeys === 1 && SMALL_INT_OIDS.has(node.groupTypes[0]!.oid),
    batchOnly,
    byBatch: !batchOnly && aggs.length > 0 &&
      aggs.every((rt, a) => simple[a] && rt.args.length <= 1 && rt.agg.def.stepMany !== undefined),
    shared: sharedParts(aggs),
  };
}

/** An aggregate's argument array for one execution (count(*)'s: the shared empty one). */
export function scratchFor(rt: AggRuntime): unknown[] {
  return rt.args.length === 0 ? NO_ARGS : newRow(rt.args.length);
}

