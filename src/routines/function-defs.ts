/**
 * User routines as the binder's FunctionDefs, so they resolve and execute exactly like built-ins:
 * a scalar function is a ScalarFunctionDef, a SETOF / TABLE function or one with several OUT
 * arguments a TableFunctionDef (usable in FROM), an aggregate an AggregateDef whose transition and
 * final functions are user routines.
 *
 * Invariants:
 * - One FunctionDef per RoutineDef object (WeakMap): plans cached against a catalog version keep
 *   calling the definition they were bound with.
 * - DEFAULT expressions are bound once, against the built-ins; constant ones also feed named
 *   notation (argDefaults), the others are evaluated per call.
 * - EXECUTE privilege: checkRoutineExecute() is the single hook where a call is bound (roles).
 */
import { DbError } from '../errors/index.ts';
import type { Catalog } from '../catalog/catalog.ts';
import { inputArgs, type RoutineDef } from '../catalog/routines.ts';
import type {
  AggregateDef, EvalContext, FunctionDef, ScalarFunctionDef, TableFunctionDef,
} from '../functions/registry.ts';
import { builtinRegistry } from '../functions/index.ts';
import { BindContext, QueryState } from '../plan/binder/bind-context.ts';
import { bindExpr } from '../plan/binder/bind-expr.ts';
import { coerce } from '../plan/binder/coerce-expr.ts';
import { compileExpr } from '../exec/compile-expr.ts';
import type { ExecContext } from '../exec/exec-context.ts';
import { SqlArray } from '../types/array.ts';
import { inputFunction } from '../types/text-io.ts';
import { Oid, typeOf, type SqlType } from '../types/sql-type.ts';
import type { TypeContext } from '../types/context.ts';
import { parseExpression } from '../sql/index.ts';
import { Catalog as CatalogClass } from '../catalog/catalog.ts';
import { invokeRoutine } from './invoke.ts';
import { checkRoutineExecute as authCheckExecute } from '../auth/privileges.ts';
import { sqlInliner } from './inline-sql.ts';
import { conformResult } from './values.ts';

const defs = new WeakMap<RoutineDef, FunctionDef>();

/** Routines whose EXECUTE privilege a statement (its EvalContext) has already passed. */
const executeChecked = new WeakMap<object, Set<RoutineDef>>();

/**
 * EXECUTE on a user routine, for the statement's current role: checked on the first call of a
 * routine in a statement (then remembered for that statement, so a call per row costs a lookup).
 */
export function checkRoutineExecute(ctx: EvalContext, routine: RoutineDef): void {
  const catalog = ctx.catalog;
  if (!(catalog instanceof CatalogClass)) return;
  let seen = executeChecked.get(ctx);
  if (seen !== undefined && seen.has(routine)) return;
  authCheckExecute(catalog, ctx.user, routine, routine.kind === 'procedure' ? 'procedure' : 'function');
  if (seen === undefined) executeChecked.set(ctx, (seen = new Set()));
  seen.add(routine);
}

export function routineFunctionDef(def: RoutineDef): FunctionDef {
  let fd = defs.get(def);
  if (fd === undefined) {
    fd = def.kind === 'aggregate' ? aggregateDef(def)
      : def.returnsSet || def.outColumns !== null ? tableDef(def) : scalarDef(def);
    defs.set(def, fd);
  }
  return fd;
}

const FOLD_TYPES: TypeContext = { timeZone: 'UTC', nowMicros: 0, extraFloatDigits: 1, intervalStyle: 'postgres' };

interface ArgShape {
  readonly types: SqlType[];
  readonly names: string[] | undefined;
  readonly minArgs: number;
  readonly variadic: boolean;
  readonly constDefaults: unknown[];
  /** Default evaluators by input position (null where none). */
  readonly defaults: (((ctx: ExecContext) => unknown) | null)[];
}

/** Binds the DEFAULT expressions (validated at CREATE; see src/engine/ddl/routines-create.ts). */
export function argShape(def: RoutineDef): ArgShape {
  const ins = inputArgs(def);
  const variadic = ins.length > 0 && ins[ins.length - 1]!.mode === 'variadic';
  const types = ins.map((a, i) => (variadic && i === ins.length - 1 ? a.type.elem ?? a.type : a.type));
  const names = ins.every((a) => a.name !== null) ? ins.map((a) => a.name!) : undefined;
  let minArgs = ins.length;
  while (minArgs > 0 && ins[minArgs - 1]!.default !== null) minArgs--;
  if (variadic && minArgs === ins.length) minArgs--;
  const constDefaults: unknown[] = [];
  const defaults: (((ctx: ExecContext) => unknown) | null)[] = [];
  ins.forEach((a, i) => {
    if (a.default === null) { constDefaults.push(null); defaults.push(null); return; }
    const b = bindDefault(a.default.text, a.type);
    if (b.k === 'const') {
      const v = b.value;
      constDefaults.push(v);
      defaults.push(() => v);
    } else {
      constDefaults.push(null);
      const f = compileExpr(b);
      defaults.push((ctx) => f([], ctx));
    }
    void i;
  });
  return { types, names, minArgs, variadic, constDefaults, defaults };
}

/** Binds a DEFAULT expression to the argument type (built-in functions only, no columns). */
export function bindDefault(text: string, type: SqlType): ReturnType<typeof bindExpr> {
  const bc = new BindContext({
    catalog: emptyCatalog(), searchPath: ['pg_catalog'], registry: builtinRegistry(), paramTypes: [], types: FOLD_TYPES,
  });
  const expr = parseExpression(text);
  return coerce(bindExpr(expr, null, bc, new QueryState()), type, 'assignment', bc, expr.loc);
}

let empty: Catalog | null = null;
function emptyCatalog(): Catalog {
  return (empty ??= CatalogClass.initial('oxibase'));
}

/** The full input argument list of a call: trailing defaults filled in, VARIADIC packed. */
function completeArgs(shape: ArgShape, args: unknown[], ctx: EvalContext): unknown[] {
  const n = shape.defaults.length;
  if (shape.variadic) {
    const fixed = args.slice(0, n - 1);
    for (let i = fixed.length; i < n - 1; i++) fixed.push(shape.defaults[i]!(ctx as ExecContext));
    fixed.push(args.length >= n ? new SqlArray(args.slice(n - 1)) : new SqlArray([]));
    return fixed;
  }
  if (args.length >= n) return args;
  const out = args.slice();
  for (let i = args.length; i < n; i++) {
    const d = shape.defaults[i];
    out.push(d ? d(ctx as ExecContext) : null);
  }
  return out;
}

function scalarDef(def: RoutineDef): ScalarFunctionDef {
  const shape = argShape(def);
  const returns = def.returnType ?? typeOf(Oid.void);
  const inline = sqlInliner(def);
  return {
    kind: 'scalar', name: def.name, args: shape.types, variadic: shape.variadic, minArgs: shape.minArgs, returns,
    strict: def.strict, volatility: def.volatility,
    impl: (args, ctx) => {
      checkRoutineExecute(ctx, def);
      return invokeRoutine(def, completeArgs(shape, args, ctx), ctx) ?? null;
    },
    ...(shape.names ? { argNames: shape.names, argDefaults: shape.constDefaults } : {}),
    ...(inline !== undefined && !shape.variadic ? { inline } : {}),
  };
}

function tableDef(def: RoutineDef): TableFunctionDef {
  const shape = argShape(def);
  const columns = def.outColumns ?? [{ name: def.name, type: def.returnType ?? typeOf(Oid.void) }];
  const multi = def.outColumns !== null;
  return {
    kind: 'table', name: def.name, args: shape.types, variadic: shape.variadic, minArgs: shape.minArgs,
    columns: () => columns, strict: def.strict, volatility: def.volatility,
    rows: (args, ctx) => {
      checkRoutineExecute(ctx, def);
      const r = invokeRoutine(def, completeArgs(shape, args, ctx), ctx);
      if (r === null || r === undefined) return [];
      const rows = !def.returnsSet ? [multi ? asRow(r, columns.length, def) : [r]]
        : !Array.isArray(r) ? notRows(def)
          : multi ? r.map((row) => asRow(row, columns.length, def)) : r.map((v) => [v ?? null]);
      if (def.language === 'sql') return rows;
      const what = `function ${def.name}`;
      return rows.map((row) => row.map((v, i) => conformResult(v, columns[i]!.type, ctx.types, what)));
    },
  };
}

function notRows(def: RoutineDef): never {
  throw new DbError('datatype_mismatch', `set-returning function ${def.name} did not return an array of rows`);
}

function asRow(v: unknown, width: number, def: RoutineDef): unknown[] {
  if (!Array.isArray(v) || v.length !== width) {
    throw new DbError('datatype_mismatch', `function ${def.name} returned a row that does not match its ${width} result columns`);
  }
  return v.map((x) => x ?? null);
}

/** Group state of a user aggregate: boxed, because INITCOND needs the statement's TypeContext. */
interface AggState {
  started: boolean;
  value: unknown;
}

function aggregateDef(def: RoutineDef): AggregateDef {
  const parts = def.aggregate!;
  const shape = argShape(def);
  const catalogOf = (ctx: EvalContext): Catalog => ctx.catalog as Catalog;
  const routine = (ctx: EvalContext, oid: number): RoutineDef => {
    const r = catalogOf(ctx).routines.get(oid);
    if (r === undefined) throw new DbError('undefined_function', `function with OID ${oid} does not exist`);
    return r;
  };
  const start = (st: AggState, ctx: EvalContext): void => {
    if (st.started) return;
    st.started = true;
    st.value = parts.initcond === null ? null : inputFunction(parts.stype)(parts.initcond, ctx.types);
  };
  return {
    kind: 'aggregate', name: def.name, args: shape.types, variadic: false, minArgs: shape.types.length,
    returns: def.returnType ?? parts.stype,
    strict: false,
    init: () => ({ started: false, value: null } satisfies AggState),
    step: (state, args, ctx) => {
      const st = state as AggState;
      start(st, ctx);
      const sfunc = routine(ctx, parts.sfunc);
      if (sfunc.strict) {
        if (args.some((a) => a === null)) return st;
        // PostgreSQL: a strict transition function with a NULL initial state takes the first
        // non-null input as the state.
        if (st.value === null && parts.initcond === null) { st.value = args[0] ?? null; return st; }
        if (st.value === null) return st;
      }
      st.value = invokeRoutine(sfunc, [st.value, ...args], ctx) ?? null;
      return st;
    },
    final: (state, ctx) => {
      const st = state as AggState;
      start(st, ctx);
      if (parts.finalfunc === null) return st.value;
      const ffunc = routine(ctx, parts.finalfunc);
      if (ffunc.strict && st.value === null) return null;
      return invokeRoutine(ffunc, [st.value], ctx) ?? null;
    },
  };
}
