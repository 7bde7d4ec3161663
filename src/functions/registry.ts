/**
 * The built-in function registry: scalar functions, aggregates and set-returning functions, looked
 * up by name and resolved by argument types the way PostgreSQL does (exact match, then implicit
 * casts, preferring fewer casts and preferred types; unknown-typed literals match anything).
 *
 * Function modules register themselves through `defineScalar` / `defineAggregate` /
 * `defineTableFunction` into a FunctionRegistry; `builtinRegistry()` builds the shared one once.
 * Implementations receive already-evaluated argument values in the runtime representation of
 * src/types/sql-type.ts and must not keep references to the args array.
 */
import type { SqlType } from '../types/sql-type.ts';
import type { TypeContext } from '../types/context.ts';
import type { Env } from '../env/index.ts';

export type Volatility = 'immutable' | 'stable' | 'volatile';

/**
 * What an implementation may use at run time. Everything nondeterministic comes from here (never
 * from globals): the statement/transaction clock, randomness and the session's settings.
 */
export interface EvalContext {
  readonly env: Env;
  readonly types: TypeContext;
  /** Transaction start time in µs (now(), CURRENT_TIMESTAMP). */
  readonly txnStartMicros: number;
  /** Statement start time in µs (statement_timestamp()). */
  readonly statementStartMicros: number;
  /** Reads a session setting (current_setting). Returns null when unknown. */
  setting(name: string): string | null;
  /** Session user name (current_user). */
  readonly user: string;
  /** Current database name. */
  readonly database: string;
  /** Schema search path, resolved (current_schema(), current_schemas()). */
  readonly searchPath: readonly string[];
  /**
   * The catalog version the running statement was bound against (a src/catalog Catalog; typed
   * opaquely so this layer does not depend on the catalog's). Catalog functions read the schema
   * through it; null where no statement is running (constant folding, unit tests).
   */
  readonly catalog: object | null;
}

/**
 * An argument type pattern: a concrete type, or a polymorphic placeholder resolved at call time
 * ('anyelement' = one consistent type across args, 'anyarray' = array of that type,
 * 'any' = anything, each arg independently, 'anynonarray', 'anycompatible' = common type of args).
 */
export type ArgType = SqlType | 'anyelement' | 'anyarray' | 'anynonarray' | 'any' | 'anycompatible' | 'anycompatiblearray';

/** Computes the result type from the resolved argument types (for polymorphic functions). */
export type ReturnTypeFn = (argTypes: readonly SqlType[]) => SqlType;

export interface ScalarFunctionDef {
  readonly kind: 'scalar';
  readonly name: string;
  readonly args: readonly ArgType[];
  /** When set, the last arg pattern repeats (e.g. concat(VARIADIC "any")). */
  readonly variadic: boolean;
  /** Minimum number of args when trailing ones have defaults (defaults to args.length). */
  readonly minArgs: number;
  readonly returns: SqlType | ReturnTypeFn;
  /** STRICT: returns NULL without calling impl when any argument is NULL. */
  readonly strict: boolean;
  readonly volatility: Volatility;
  /** args: evaluated values (NULLs included unless strict); argTypes: resolved types. */
  readonly impl: (args: unknown[], ctx: EvalContext, argTypes: readonly SqlType[]) => unknown;
  readonly description?: string;
  /**
   * PostgreSQL's parameter names (proargnames), index-aligned with `args`, for named notation
   * (make_interval(days => 2)). Functions without names accept positional calls only.
   */
  readonly argNames?: readonly string[];
  /**
   * Default values of the optional parameters (index-aligned with `args`; only positions at or
   * after `minArgs` are read). Needed when named notation skips an optional parameter that is
   * followed by a given one; trailing omitted ones are simply not passed (the impl defaults them).
   */
  readonly argDefaults?: readonly unknown[];
  /** "any" parameters keep the unknown type of untyped literals (pg_typeof('x') is unknown). */
  readonly keepsUnknown?: boolean;
  /**
   * The same function as `impl` for exactly two non-null arguments, without the argument array
   * (arithmetic operators): the expression compiler calls it on hot paths when present.
   */
  readonly binary?: (a: unknown, b: unknown) => unknown;
  /**
   * Optional inliner (simple user SQL functions, src/routines/inline-sql.ts): given the coerced
   * argument expressions and the BindContext, returns the bound expression to use instead of the
   * call, or null to keep the call. Typed opaquely: this layer does not know bound expressions.
   */
  readonly inline?: (args: readonly unknown[], bc: unknown) => unknown;
}

/** An aggregate, evaluated with a per-group state object. */
export interface AggregateDef {
  readonly kind: 'aggregate';
  readonly name: string;
  readonly args: readonly ArgType[];
  readonly variadic: boolean;
  readonly minArgs: number;
  readonly returns: SqlType | ReturnTypeFn;
  /** STRICT transition: rows where any argument is NULL are skipped (count(x), sum, avg...). */
  readonly strict: boolean;
  /** Creates the initial state for a group. */
  readonly init: (argTypes: readonly SqlType[]) => unknown;
  /**
   * Folds one row's arguments into the state; returns the new state (may mutate and return it).
   * `args` is valid during the call only: callers reuse the array, so keep values, not the array.
   */
  readonly step: (state: unknown, args: unknown[], ctx: EvalContext) => unknown;
  /** Produces the result from the state (state as init returned if no rows were folded). */
  readonly final: (state: unknown, ctx: EvalContext, argTypes: readonly SqlType[]) => unknown;
  /**
   * Optional: folds `n` rows at once, for an aggregate without arguments (count(*)): aggregation
   * without GROUP BY then adds whole input batches instead of stepping row by row.
   */
  readonly stepRows?: (state: unknown, n: number) => unknown;
  /**
   * Optional, for an aggregate of at most one argument whose `step` mutates its state in place:
   * folds `n` rows at once, row i's argument being `values[i]` (null: no argument) into the state
   * `states[i][slot]` (the states of row i's group). Skips NULL arguments itself when strict.
   * GROUP BY steps whole input batches through it, with no call per row.
   */
  readonly stepMany?: (states: readonly (readonly unknown[])[], slot: number, values: readonly unknown[] | null, n: number) => void;
  /** Optional inverse transition for moving window frames (`args` as in step). */
  readonly inverse?: (state: unknown, args: unknown[], ctx: EvalContext) => unknown;
  /** Ordered-set aggregate (percentile_cont ... WITHIN GROUP): direct args come first. */
  readonly orderedSet?: boolean;
  /**
   * Optional name of the transition (state, init and steps) this aggregate uses. Aggregates of
   * one query that name the same transition over the same input may fold one shared state per
   * group and differ only in `final`, as PostgreSQL shares compatible transition states (sum(x)
   * and avg(x) fold x once). Naming one promises that `final` leaves the state unchanged.
   */
  readonly transition?: string;
  readonly description?: string;
}

/** A set-returning function usable in FROM (generate_series, unnest, json_each...). */
export interface TableFunctionDef {
  readonly kind: 'table';
  readonly name: string;
  readonly args: readonly ArgType[];
  readonly variadic: boolean;
  readonly minArgs: number;
  /** Output columns (name, type) given the resolved argument types. */
  readonly columns: (argTypes: readonly SqlType[]) => readonly { name: string; type: SqlType }[];
  readonly strict: boolean;
  readonly volatility: Volatility;
  /** Produces rows (arrays of column values) for one call. */
  readonly rows: (args: unknown[], ctx: EvalContext, argTypes: readonly SqlType[]) => Iterable<unknown[]>;
  readonly description?: string;
}

export type FunctionDef = ScalarFunctionDef | AggregateDef | TableFunctionDef;

export class FunctionRegistry {
  private readonly byName = new Map<string, FunctionDef[]>();

  add(def: FunctionDef): void {
    const key = def.name.toLowerCase();
    let list = this.byName.get(key);
    if (!list) this.byName.set(key, (list = []));
    list.push(def);
  }

  /** Every overload registered under `name` (lower-case), possibly empty. */
  lookup(name: string): readonly FunctionDef[] {
    return this.byName.get(name) ?? [];
  }

  names(): IterableIterator<string> {
    return this.byName.keys();
  }

  get size(): number {
    let n = 0;
    for (const list of this.byName.values()) n += list.length;
    return n;
  }
}

type ScalarSpec = Omit<ScalarFunctionDef, 'kind' | 'variadic' | 'minArgs' | 'strict' | 'volatility'> &
  Partial<Pick<ScalarFunctionDef, 'variadic' | 'minArgs' | 'strict' | 'volatility'>>;
type AggregateSpec = Omit<AggregateDef, 'kind' | 'variadic' | 'minArgs' | 'strict'> &
  Partial<Pick<AggregateDef, 'variadic' | 'minArgs' | 'strict'>>;
type TableSpec = Omit<TableFunctionDef, 'kind' | 'variadic' | 'minArgs' | 'strict' | 'volatility'> &
  Partial<Pick<TableFunctionDef, 'variadic' | 'minArgs' | 'strict' | 'volatility'>>;

/** Scalar function with PostgreSQL's defaults: strict, immutable, fixed arity. */
export function defineScalar(spec: ScalarSpec): ScalarFunctionDef {
  return {
    kind: 'scalar',
    variadic: false,
    minArgs: spec.args.length,
    strict: true,
    volatility: 'immutable',
    ...spec,
  };
}

export function defineAggregate(spec: AggregateSpec): AggregateDef {
  return { kind: 'aggregate', variadic: false, minArgs: spec.args.length, strict: true, ...spec };
}

export function defineTableFunction(spec: TableSpec): TableFunctionDef {
  return {
    kind: 'table',
    variadic: false,
    minArgs: spec.args.length,
    strict: true,
    volatility: 'immutable',
    ...spec,
  };
}
