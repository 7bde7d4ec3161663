/**
 * Bound (typed, resolved) expressions: what the binder produces from AST expressions and the
 * expression compiler turns into closures. Every node knows its result type; column references are
 * positions in the input row (or in an enclosing query's row, `levelsUp` > 0, for correlated
 * subqueries). Immutable, so plans holding them can be cached and shared.
 */
import type { SqlType } from '../types/sql-type.ts';
import type { AggregateDef, ScalarFunctionDef, TableFunctionDef } from '../functions/registry.ts';
import type { PlanNode } from './plan-nodes.ts';

export type CastFn = (value: unknown, ctx: import('../types/context.ts').TypeContext) => unknown;
export type Comparator = (a: unknown, b: unknown) => number;

export type CompareOp = '=' | '<>' | '<' | '>' | '<=' | '>=';

/** Each comparison with its operands swapped (`a < b` is `b > a`). */
export const COMMUTED: Readonly<Record<CompareOp, CompareOp>> = { '=': '=', '<>': '<>', '<': '>', '>': '<', '<=': '>=', '>=': '<=' };

export type BoundExpr =
  | { readonly k: 'const'; readonly type: SqlType; readonly value: unknown }
  | { readonly k: 'param'; readonly type: SqlType; readonly index: number }
  | { readonly k: 'col'; readonly type: SqlType; readonly index: number; readonly levelsUp: number }
  | { readonly k: 'call'; readonly type: SqlType; readonly fn: ScalarFunctionDef;
      readonly args: readonly BoundExpr[]; readonly argTypes: readonly SqlType[] }
  | { readonly k: 'cast'; readonly type: SqlType; readonly arg: BoundExpr; readonly fn: CastFn;
      readonly loc: number }
  | { readonly k: 'cmp'; readonly type: SqlType; readonly op: CompareOp; readonly left: BoundExpr;
      readonly right: BoundExpr; readonly cmp: Comparator }
  | { readonly k: 'and' | 'or'; readonly type: SqlType; readonly args: readonly BoundExpr[] }
  | { readonly k: 'not'; readonly type: SqlType; readonly arg: BoundExpr }
  | { readonly k: 'istest'; readonly type: SqlType; readonly test: 'null' | 'true' | 'false' | 'unknown';
      readonly negated: boolean; readonly arg: BoundExpr }
  | { readonly k: 'distinct'; readonly type: SqlType; readonly negated: boolean;
      readonly left: BoundExpr; readonly right: BoundExpr; readonly cmp: Comparator }
  | { readonly k: 'case'; readonly type: SqlType; readonly whens: readonly { cond: BoundExpr; result: BoundExpr }[];
      readonly else: BoundExpr }
  | { readonly k: 'coalesce'; readonly type: SqlType; readonly args: readonly BoundExpr[] }
  | { readonly k: 'nullif'; readonly type: SqlType; readonly left: BoundExpr; readonly right: BoundExpr;
      readonly cmp: Comparator }
  | { readonly k: 'minmax'; readonly type: SqlType; readonly greatest: boolean;
      readonly args: readonly BoundExpr[]; readonly cmp: Comparator }
  | { readonly k: 'inlist'; readonly type: SqlType; readonly negated: boolean; readonly arg: BoundExpr;
      readonly list: readonly BoundExpr[]; readonly cmp: Comparator }
  | { readonly k: 'subquery'; readonly type: SqlType; readonly mode: SubqueryMode;
      readonly plan: PlanNode; readonly correlated: boolean;
      /** For in/any/all: the left operand and the comparison to apply. */
      readonly left: readonly BoundExpr[] | null; readonly op: CompareOp | null;
      readonly cmps: readonly Comparator[] | null; readonly negated: boolean }
  | { readonly k: 'quantarray'; readonly type: SqlType; readonly all: boolean; readonly op: CompareOp;
      readonly left: BoundExpr; readonly array: BoundExpr; readonly cmp: Comparator }
  | { readonly k: 'aggref'; readonly type: SqlType; readonly index: number }
  | { readonly k: 'row'; readonly type: SqlType; readonly args: readonly BoundExpr[] }
  | { readonly k: 'array'; readonly type: SqlType; readonly elems: readonly BoundExpr[] }
  /** (arg).name on a composite value: field `index` of its row; NULL when the value is NULL. */
  | { readonly k: 'field'; readonly type: SqlType; readonly arg: BoundExpr; readonly index: number }
  | { readonly k: 'subscript'; readonly type: SqlType; readonly arg: BoundExpr;
      readonly lower: BoundExpr | null; readonly upper: BoundExpr | null; readonly slice: boolean }
  /**
   * GROUPING(args): as bound, `mask` is null and `args` read the pre-aggregation row; the grouped
   * rewrite (grouping.ts) turns `args` into references to the group-key columns, `mask` into the
   * Aggregate's grouping-bitmask column and `bits` into each argument's group-key index. A mask
   * still null at run time means GROUPING outside a grouped query (42803).
   */
  | { readonly k: 'grouping'; readonly type: SqlType; readonly args: readonly BoundExpr[];
      readonly mask: BoundExpr | null; readonly bits: readonly number[]; readonly nKeys: number;
      readonly loc: number }
  /**
   * A set-returning function call in a select list (PostgreSQL 10+ ProjectSet semantics): only
   * the Project operator evaluates it, producing one output row per element; several SRFs of one
   * Project run in lockstep, the shorter ones padded with NULL. A function with several result
   * columns (OUT parameters, RETURNS TABLE) yields one composite value per row (`composite`).
   */
  | { readonly k: 'srf'; readonly type: SqlType; readonly fn: TableFunctionDef;
      readonly args: readonly BoundExpr[]; readonly argTypes: readonly SqlType[]; readonly composite: boolean }
  /** A value computed by the session at run time (nextval, currval, setting reads). */
  | { readonly k: 'runtime'; readonly type: SqlType; readonly name: string; readonly volatile: boolean;
      readonly args: readonly BoundExpr[];
      readonly fn: (args: unknown[], ctx: import('../exec/exec-context.ts').ExecContext) => unknown };

export type SubqueryMode = 'scalar' | 'exists' | 'in' | 'any' | 'all' | 'array';

/** An aggregate call collected while binding a grouped query. */
export interface BoundAggregate {
  readonly def: AggregateDef;
  readonly args: readonly BoundExpr[];
  readonly argTypes: readonly SqlType[];
  readonly distinct: boolean;
  readonly filter: BoundExpr | null;
  readonly orderBy: readonly BoundSortKey[];
  readonly type: SqlType;
}

export interface BoundSortKey {
  readonly expr: BoundExpr;
  readonly desc: boolean;
  readonly nullsFirst: boolean;
  readonly cmp: Comparator;
}

/** True when the expression reads nothing from rows, params or the session (foldable). */
export function isConstant(e: BoundExpr): boolean {
  switch (e.k) {
    case 'const':
      return true;
    case 'cast':
    case 'not':
    case 'istest':
    case 'field':
      return isConstant(e.arg);
    case 'call':
      return e.fn.volatility === 'immutable' && e.args.every(isConstant);
    case 'cmp':
    case 'distinct':
    case 'nullif':
      return isConstant(e.left) && isConstant(e.right);
    case 'and':
    case 'or':
    case 'coalesce':
    case 'minmax':
    case 'row':
      return e.args.every(isConstant);
    default:
      return false;
  }
}

/** Does the expression reference columns of an enclosing query (levelsUp > `depth`)? */
export function referencesOuter(e: BoundExpr, depth = 0): boolean {
  switch (e.k) {
    case 'col':
      return e.levelsUp > depth;
    case 'subquery':
      return e.correlated || (e.left?.some((l) => referencesOuter(l, depth)) ?? false);
    default:
      return children(e).some((c) => referencesOuter(c, depth));
  }
}

/** Direct child expressions (not descending into subquery plans). */
export function children(e: BoundExpr): readonly BoundExpr[] {
  switch (e.k) {
    case 'const': case 'param': case 'col': case 'aggref':
      return [];
    case 'call': case 'and': case 'or': case 'coalesce': case 'minmax': case 'row': case 'runtime': case 'srf':
      return e.args;
    case 'cast': case 'not': case 'istest': case 'field':
      return [e.arg];
    case 'cmp': case 'distinct': case 'nullif':
      return [e.left, e.right];
    case 'case':
      return [...e.whens.flatMap((w) => [w.cond, w.result]), e.else];
    case 'inlist':
      return [e.arg, ...e.list];
    case 'subquery':
      return e.left ?? [];
    case 'quantarray':
      return [e.left, e.array];
    case 'array':
      return e.elems;
    case 'subscript':
      return [e.arg, ...(e.lower ? [e.lower] : []), ...(e.upper ? [e.upper] : [])];
    case 'grouping':
      return e.mask ? [...e.args, e.mask] : e.args;
  }
}

/** Does the expression contain a set-returning function call (not looking into subqueries)? */
export function containsSrf(e: BoundExpr): boolean {
  return e.k === 'srf' || children(e).some(containsSrf);
}
