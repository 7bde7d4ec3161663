/**
 * Binding of function calls and generic operators: registry lookup and overload resolution, STRICT
 * constant folding, aggregates (collected into the query state and replaced by references), window
 * functions, SQL value functions (CURRENT_DATE, CURRENT_USER ...) and the sequence functions that
 * need the session (nextval, currval, setval, lastval).
 */
import { DbError } from '../../errors/index.ts';
import type { Expr, FuncCall, SqlValueFunc } from '../../sql/ast.ts';
import type { AggregateDef, FunctionDef, ScalarFunctionDef } from '../../functions/registry.ts';
import { comparatorFor } from '../../types/compare.ts';
import { type SqlType, Types } from '../../types/sql-type.ts';
import type { BoundAggregate, BoundExpr, BoundSortKey } from '../bound-expr.ts';
import { isConstant } from '../bound-expr.ts';
import type { BindContext, QueryState } from './bind-context.ts';
import { bindExpr } from './bind-expr.ts';
import { coerce, resolveUnknown } from './coerce-expr.ts';
import { ambiguousFunction, noSuchFunction, noSuchOperator, resolveOverload } from './resolve-function.ts';
import type { Scope } from './scope.ts';
import { bindSequenceCall, SEQUENCE_FUNCTIONS } from './bind-sequence.ts';
import { bindWindowCall, WINDOW_ONLY_FUNCTIONS } from './bind-window.ts';

function returnType(def: FunctionDef & { returns: SqlType | ((t: readonly SqlType[]) => SqlType) }, argTypes: readonly SqlType[]): SqlType {
  return typeof def.returns === 'function' ? def.returns(argTypes) : def.returns;
}

function resolveScalar(
  name: string, args: BoundExpr[], bc: BindContext, loc: number, isOperator: boolean,
): BoundExpr {
  const candidates = bc.registry.lookup(name).filter((d): d is ScalarFunctionDef => d.kind === 'scalar');
  const actual = args.map((a) => a.type);
  const matches = resolveOverload(candidates, actual);
  if (matches.length === 0) {
    throw isOperator ? noSuchOperator(name, actual, loc) : noSuchFunction(name, actual, loc);
  }
  if (matches.length > 1) {
    if (isOperator) {
      throw new DbError('ambiguous_function', `operator is not unique: ${noSuchOperator(name, actual, loc).message.slice(24)}`,
        { position: loc + 1, hint: 'Could not choose a best candidate operator. You might need to add explicit type casts.' });
    }
    throw ambiguousFunction(name, actual, loc);
  }
  const { def, argTypes } = matches[0]!;
  const coerced = args.map((a, i) => coerce(a, argTypes[i]!, 'implicit', bc, loc));
  const call: BoundExpr = { k: 'call', type: returnType(def, argTypes), fn: def, args: coerced, argTypes };
  if (def.volatility !== 'immutable') {
    if (def.volatility === 'volatile') bc.volatile = true;
    return call;
  }
  return fold(call, bc);
}

/** Evaluates an immutable call of constants at bind time; errors are left for run time. */
function fold(call: Extract<BoundExpr, { k: 'call' }>, bc: BindContext): BoundExpr {
  if (!call.args.every(isConstant) || !call.args.every((a) => a.k === 'const')) return call;
  const vals = call.args.map((a) => (a as { value: unknown }).value);
  if (call.fn.strict && vals.some((v) => v === null)) return { k: 'const', type: call.type, value: null };
  try {
    const ctx = foldContext(bc);
    return { k: 'const', type: call.type, value: call.fn.impl(vals, ctx, call.argTypes) ?? null };
  } catch {
    return call;
  }
}

function foldContext(bc: BindContext): import('../../functions/registry.ts').EvalContext {
  // Immutable functions must not touch the environment, so a context without one is enough.
  return {
    get env(): never { throw new Error('immutable function used the environment'); },
    types: bc.types,
    txnStartMicros: bc.types.nowMicros,
    statementStartMicros: bc.types.nowMicros,
    setting: () => null,
    user: '',
    database: '',
    searchPath: bc.searchPath,
  };
}

/** Binds a generic operator (or, with `asFunction`, a function by name) over bound args. */
export function bindOperator(op: string, args: BoundExpr[], bc: BindContext, loc: number, asFunction = false): BoundExpr {
  return resolveScalar(op, args, bc, loc, !asFunction);
}

export function bindFuncCall(ast: FuncCall, scope: Scope | null, bc: BindContext, qs: QueryState): BoundExpr {
  const name = ast.name[ast.name.length - 1]!;
  if (ast.name.length > 2 || (ast.name.length === 2 && ast.name[0] !== 'pg_catalog')) {
    throw noSuchFunction(ast.name.join('.'), [], ast.loc);
  }
  if (ast.over !== null || WINDOW_ONLY_FUNCTIONS.has(name)) return bindWindowCall(ast, name, scope, bc, qs);
  if (SEQUENCE_FUNCTIONS.has(name)) {
    return bindSequenceCall(name, ast.args.map((a) => bindExpr(a, scope, bc, qs)), bc, ast.loc);
  }
  const defs = bc.registry.lookup(name);
  if (defs.some((d) => d.kind === 'aggregate')) {
    const agg = bindAggregate(ast, name, scope, bc, qs);
    if (agg !== null) return agg;
  }
  if (ast.star) throw noSuchFunction(name, [], ast.loc);
  if (ast.distinct || ast.orderBy.length > 0 || ast.filter !== null || ast.withinGroup !== null) {
    // PostgreSQL looks the function up first: an unknown name or signature is 42883 "function
    // ... does not exist"; only a function that exists but is no aggregate gets 42809.
    const args = ast.args.map((a) => bindExpr(a.kind === 'NamedArg' ? a.value : a, scope, bc, qs));
    if (!defs.some((d) => d.kind === 'table')) resolveScalar(name, args, bc, ast.loc, false);
    throw new DbError('wrong_object_type',
      `${ast.distinct ? 'DISTINCT' : ast.filter ? 'FILTER' : 'ORDER BY'} specified, but ${name} is not an aggregate function`,
      { position: ast.loc + 1 });
  }
  if (defs.some((d) => d.kind === 'table') && !defs.some((d) => d.kind === 'scalar')) {
    throw new DbError('feature_not_supported',
      `set-returning function ${name}() is only supported in FROM`, { position: ast.loc + 1 });
  }
  const args = ast.args.map((a) => bindExpr(a.kind === 'NamedArg' ? a.value : a, scope, bc, qs));
  return resolveScalar(name, args, bc, ast.loc, false);
}

/** Binds an aggregate call, records it in the query state and returns a reference to it. */
export function bindAggregateCall(
  ast: FuncCall, name: string, scope: Scope | null, bc: BindContext, qs: QueryState,
): { agg: BoundAggregate } | null {
  if (qs.inAggregate) {
    throw new DbError('grouping_error', 'aggregate function calls cannot be nested', { position: ast.loc + 1 });
  }
  qs.inAggregate = true;
  try {
    const isOrderedSet = ast.withinGroup !== null;
    const direct = ast.args.map((a) => bindExpr(a.kind === 'NamedArg' ? a.value : a, scope, bc, qs));
    const sortKeys = (isOrderedSet ? ast.withinGroup! : ast.orderBy).map((s) => bindSortKey(s.expr, s.direction, s.nulls, scope, bc, qs));
    const argsForResolution = isOrderedSet ? [...direct, ...sortKeys.map((k) => k.expr)] : direct;
    const candidates = bc.registry.lookup(name).filter((d): d is AggregateDef => d.kind === 'aggregate');
    const actual = argsForResolution.map((a) => a.type);
    const matches = resolveOverload(candidates, actual);
    if (matches.length === 0) {
      if (!candidates.length) return null;
      throw noSuchFunction(name, actual, ast.loc);
    }
    if (matches.length > 1) throw ambiguousFunction(name, actual, ast.loc);
    const { def, argTypes } = matches[0]!;
    const coerced = argsForResolution.map((a, i) => coerce(a, argTypes[i]!, 'implicit', bc, ast.loc));
    const filter = ast.filter ? bindFilter(ast.filter, scope, bc, qs) : null;
    const nDirect = isOrderedSet ? direct.length : coerced.length;
    const agg: BoundAggregate = {
      def,
      args: isOrderedSet ? coerced.slice(0, nDirect) : coerced,
      argTypes,
      distinct: ast.distinct,
      filter,
      orderBy: isOrderedSet
        ? sortKeys.map((k, i) => ({ ...k, expr: coerced[nDirect + i]! }))
        : sortKeys,
      type: returnType(def, argTypes),
    };
    return { agg };
  } finally {
    qs.inAggregate = false;
  }
}

function bindAggregate(ast: FuncCall, name: string, scope: Scope | null, bc: BindContext, qs: QueryState): BoundExpr | null {
  if (qs.noAggClause !== null) {
    throw new DbError('grouping_error', `aggregate functions are not allowed in ${qs.noAggClause}`, { position: ast.loc + 1 });
  }
  const bound = bindAggregateCall(ast, name, scope, bc, qs);
  if (bound === null) return null;
  qs.aggregates.push(bound.agg);
  return { k: 'aggref', type: bound.agg.type, index: qs.aggregates.length - 1 };
}

function bindFilter(e: Expr, scope: Scope | null, bc: BindContext, qs: QueryState): BoundExpr {
  const f = bindExpr(e, scope, bc, qs);
  return f.type.oid === Types.bool.oid ? f : coerce(f, Types.bool, 'implicit', bc, e.loc);
}

export function bindSortKey(
  e: Expr, direction: 'default' | 'asc' | 'desc', nulls: 'default' | 'first' | 'last',
  scope: Scope | null, bc: BindContext, qs: QueryState,
): BoundSortKey {
  const expr = resolveUnknown(bindExpr(e, scope, bc, qs), bc, e.loc);
  return sortKeyFor(expr, direction, nulls, e.loc);
}

export function sortKeyFor(
  expr: BoundExpr, direction: 'default' | 'asc' | 'desc', nulls: 'default' | 'first' | 'last', loc: number,
): BoundSortKey {
  const desc = direction === 'desc';
  let cmp;
  try {
    cmp = comparatorFor(expr.type);
  } catch (e) {
    if (e instanceof DbError && e.position === undefined) e.position = loc + 1;
    throw e;
  }
  return { expr, desc, nullsFirst: nulls === 'default' ? desc : nulls === 'first', cmp };
}

export function bindSqlValueFunc(ast: SqlValueFunc, bc: BindContext): BoundExpr {
  switch (ast.fn) {
    case 'current_user':
    case 'user':
    case 'current_role':
    case 'session_user':
    case 'system_user':
      return { k: 'runtime', type: Types.name, name: ast.fn, volatile: false, args: [], fn: (_a, ctx) => ctx.user };
    case 'current_schema':
      return { k: 'runtime', type: Types.name, name: ast.fn, volatile: false, args: [], fn: (_a, ctx) => ctx.searchPath.find((s) => s !== 'pg_catalog') ?? null };
    case 'current_catalog':
      return { k: 'runtime', type: Types.name, name: ast.fn, volatile: false, args: [], fn: (_a, ctx) => ctx.database };
    default: {
      const args: BoundExpr[] = ast.precision === null ? [] : [{ k: 'const', type: Types.int4, value: ast.precision }];
      return bindOperator(ast.fn, args, bc, ast.loc, true);
    }
  }
}
