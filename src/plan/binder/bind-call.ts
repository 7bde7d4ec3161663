/**
 * Binding of function calls and generic operators: registry lookup and overload resolution, STRICT
 * constant folding, aggregates (collected into the query state and replaced by references), window
 * functions, SQL value functions (CURRENT_DATE, CURRENT_USER ...) and the sequence functions that
 * need the session (nextval, currval, setval, lastval).
 */
import { DbError } from '../../errors/index.ts';
import type { Expr, FuncCall, SqlValueFunc } from '../../sql/ast.ts';
import type { AggregateDef, FunctionDef, ScalarFunctionDef, TableFunctionDef } from '../../functions/registry.ts';
import { comparatorFor } from '../../types/compare.ts';
import { formatType, recordType, type SqlType, Types } from '../../types/sql-type.ts';
import type { BoundAggregate, BoundExpr, BoundSortKey } from '../bound-expr.ts';
import { isConstant } from '../bound-expr.ts';
import type { BindContext, QueryState } from './bind-context.ts';
import { bindExpr } from './bind-expr.ts';
import { coerce, isUnknown, resolveUnknown } from './coerce-expr.ts';
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
  return finishScalar(matches[0]!.def, matches[0]!.argTypes, args, bc, loc);
}

function finishScalar(def: ScalarFunctionDef, resolved: SqlType[], args: BoundExpr[], bc: BindContext, loc: number): BoundExpr {
  // keepsUnknown: an untyped literal stays unknown for "any" parameters (pg_typeof('x')).
  const argTypes = def.keepsUnknown ? resolved.map((t, i) => isUnknown(args[i]!) ? Types.unknown : t) : resolved;
  const coerced = args.map((a, i) => coerce(a, argTypes[i]!, 'implicit', bc, loc));
  if (def.inline !== undefined) {
    const inlined = def.inline(coerced, bc) as BoundExpr | null;
    if (inlined !== null) return inlined;
  }
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
    catalog: bc.catalog,
  };
}

/** Binds a generic operator (or, with `asFunction`, a function by name) over bound args. */
export function bindOperator(op: string, args: BoundExpr[], bc: BindContext, loc: number, asFunction = false): BoundExpr {
  return resolveScalar(op, args, bc, loc, !asFunction);
}

export function bindFuncCall(ast: FuncCall, scope: Scope | null, bc: BindContext, qs: QueryState): BoundExpr {
  if (ast.name.length > 2) throw noSuchFunction(ast.name.join('.'), [], ast.loc);
  // schema.fn outside pg_catalog: the registry looks user routines up by the qualified name.
  const name = ast.name.length === 2 && ast.name[0] !== 'pg_catalog' ? ast.name.join('.') : ast.name[ast.name.length - 1]!;
  if (ast.over !== null || WINDOW_ONLY_FUNCTIONS.has(name)) return bindWindowCall(ast, name, scope, bc, qs);
  if ((name === 'txid_current' || name === 'pg_current_xact_id') && ast.args.length === 0) {
    // The running transaction's id: what AS OF TRANSACTION takes. Volatile per transaction.
    return { k: 'runtime', type: Types.int8, name, volatile: true, args: [], fn: (_a, ctx) => ctx.txn.id };
  }
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
    return bindSrfCall(ast, name, defs.filter((d): d is TableFunctionDef => d.kind === 'table'), scope, bc, qs);
  }
  if (ast.args.some((a) => a.kind === 'NamedArg')) return bindNamedCall(ast, name, scope, bc, qs);
  const args = ast.args.map((a) => bindExpr(a, scope, bc, qs));
  return resolveScalar(name, args, bc, ast.loc, false);
}

/**
 * Named (and mixed) notation, f(a, b => x): PostgreSQL's rules — positional arguments first, each
 * name once, names matched against the candidate's parameter names; a parameter left out must have
 * a default. Each candidate gets the arguments in its own parameter order; the usual overload
 * resolution then runs on each, and exactly one candidate must match.
 */
function bindNamedCall(ast: FuncCall, name: string, scope: Scope | null, bc: BindContext, qs: QueryState): BoundExpr {
  const positional: BoundExpr[] = [];
  const named: { name: string; expr: BoundExpr }[] = [];
  for (const a of ast.args) {
    if (a.kind === 'NamedArg') {
      if (named.some((n) => n.name === a.name)) {
        throw new DbError('syntax_error', `argument name "${a.name}" used more than once`, { position: a.loc + 1 });
      }
      named.push({ name: a.name, expr: bindExpr(a.value, scope, bc, qs) });
    } else {
      if (named.length > 0) {
        throw new DbError('syntax_error', 'positional argument cannot follow named argument', { position: a.loc + 1 });
      }
      positional.push(bindExpr(a, scope, bc, qs));
    }
  }
  const found: { def: ScalarFunctionDef; argTypes: SqlType[]; args: BoundExpr[] }[] = [];
  for (const def of bc.registry.lookup(name)) {
    if (def.kind !== 'scalar' || def.argNames === undefined || def.variadic) continue;
    const args = placeNamedArgs(def, positional, named);
    if (args === null) continue;
    for (const m of resolveOverload([def], args.map((a) => a.type))) found.push({ ...m, args });
  }
  const describe = [...positional.map((a) => formatType(a.type)), ...named.map((n) => `${n.name} => ${formatType(n.expr.type)}`)];
  if (found.length === 0) {
    throw new DbError('undefined_function', `function ${name}(${describe.join(', ')}) does not exist`, {
      position: ast.loc + 1,
      hint: 'No function matches the given name and argument types. You might need to add explicit type casts.',
    });
  }
  if (found.length > 1) {
    throw new DbError('ambiguous_function', `function ${name}(${describe.join(', ')}) is not unique`, {
      position: ast.loc + 1,
      hint: 'Could not choose a best candidate function. You might need to add explicit type casts.',
    });
  }
  const { def, argTypes, args } = found[0]!;
  return finishScalar(def, argTypes, args, bc, ast.loc);
}

/** The arguments in `def`'s parameter order, defaults filling gaps; null when they do not fit. */
function placeNamedArgs(
  def: ScalarFunctionDef, positional: readonly BoundExpr[], named: readonly { name: string; expr: BoundExpr }[],
): BoundExpr[] | null {
  const names = def.argNames!;
  if (positional.length > def.args.length) return null;
  const slots: (BoundExpr | undefined)[] = [...positional];
  for (const n of named) {
    const i = names.indexOf(n.name);
    if (i < 0 || i < positional.length) return null;
    slots[i] = n.expr;
  }
  let last = slots.length - 1;
  while (last >= 0 && slots[last] === undefined) last--;
  const out: BoundExpr[] = [];
  for (let i = 0; i <= last; i++) {
    const given = slots[i];
    if (given !== undefined) { out.push(given); continue; }
    const p = def.args[i]!;
    if (i < def.minArgs || def.argDefaults === undefined || typeof p === 'string') return null;
    out.push({ k: 'const', type: p, value: def.argDefaults[i] ?? null });
  }
  return out.length < def.minArgs ? null : out;
}

/** PostgreSQL's hint for set-returning functions where they cannot run. */
export const SRF_HINT = 'You might be able to move the set-returning function into a LATERAL FROM item.';

/**
 * A set-returning function outside FROM (SELECT unnest(a)): PostgreSQL's check_srf_call_placement
 * rejects it in clauses evaluated once per input row (WHERE, JOIN ON ...) and inside aggregates;
 * CASE / COALESCE reject it where they are bound. The Project operator expands it.
 */
function bindSrfCall(ast: FuncCall, name: string, defs: TableFunctionDef[], scope: Scope | null, bc: BindContext, qs: QueryState): BoundExpr {
  if (qs.inAggregate) {
    throw new DbError('feature_not_supported', 'aggregate function calls cannot contain set-returning function calls',
      { position: ast.loc + 1, hint: SRF_HINT });
  }
  if (qs.noAggClause !== null && qs.noAggClause !== 'GROUP BY') {
    throw new DbError('feature_not_supported', `set-returning functions are not allowed in ${qs.noAggClause}`, { position: ast.loc + 1 });
  }
  if (ast.args.some((a) => a.kind === 'NamedArg')) throw noSuchFunction(name, [], ast.loc);
  const args = ast.args.map((a) => bindExpr(a, scope, bc, qs));
  const actual = args.map((a) => a.type);
  const matches = resolveOverload(defs, actual);
  if (matches.length === 0) throw noSuchFunction(name, actual, ast.loc);
  if (matches.length > 1) throw ambiguousFunction(name, actual, ast.loc);
  const { def, argTypes } = matches[0]!;
  const cols = def.columns(argTypes);
  if (def.volatility === 'volatile') bc.volatile = true;
  const coerced = args.map((a, i) => coerce(a, argTypes[i]!, 'implicit', bc, ast.loc));
  const composite = cols.length !== 1;
  const type = composite ? recordType(cols.map((c) => ({ name: c.name, type: c.type }))) : cols[0]!.type;
  return { k: 'srf', type, fn: def, args: coerced, argTypes, composite };
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
        // The sort key was coerced to the aggregate's argument type (numeric -> float8 for
        // percentile_cont), so it must also be compared as that type.
        ? sortKeys.map((k, i) => ({ ...k, expr: coerced[nDirect + i]!, cmp: comparatorFor(coerced[nDirect + i]!.type) }))
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
      return { k: 'runtime', type: Types.name, name: ast.fn, volatile: false, args: [], fn: (_a, ctx) => ctx.user };
    case 'session_user':
    case 'system_user':
      // The session user survives SET ROLE (the session reports it as session_authorization).
      return { k: 'runtime', type: Types.name, name: ast.fn, volatile: false, args: [], fn: (_a, ctx) => ctx.setting('session_authorization') ?? ctx.user };
    case 'current_schema':
      return { k: 'runtime', type: Types.name, name: ast.fn, volatile: false, args: [], fn: (_a, ctx) => currentSchema(ctx.searchPath, bc) };
    case 'current_catalog':
      return { k: 'runtime', type: Types.name, name: ast.fn, volatile: false, args: [], fn: (_a, ctx) => ctx.database };
    default: {
      const args: BoundExpr[] = ast.precision === null ? [] : [{ k: 'const', type: Types.int4, value: ast.precision }];
      return bindOperator(ast.fn, args, bc, ast.loc, true);
    }
  }
}

/**
 * current_schema: the first schema of the search path that EXISTS (PostgreSQL skips "$user" when
 * there is no such schema, so the default path gives public). The session appends pg_catalog when
 * the path does not name it; that implicit entry does not count, as in fetch_search_path(false).
 */
function currentSchema(path: readonly string[], bc: BindContext): string | null {
  const explicit = path[path.length - 1] === 'pg_catalog' && path.indexOf('pg_catalog') === path.length - 1
    ? path.slice(0, -1) : path;
  return explicit.find((s) => bc.catalog.schemas.has(s)) ?? null;
}
