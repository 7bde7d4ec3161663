/**
 * CALL procedure(args) and DO $$ ... $$ [LANGUAGE l].
 *
 * CALL resolves among procedures like a function call (overloads, named arguments, defaults);
 * as in PostgreSQL 14+, the argument list covers OUT parameters too (pass NULL for them), and a
 * procedure with OUT / INOUT parameters returns one row of their values.
 *
 * A CALL or DO that is not inside a transaction block (and not itself called from a routine) is
 * non-atomic: its body may COMMIT / ROLLBACK, which ends the transaction and starts a new one.
 * Anywhere else COMMIT / ROLLBACK in a body is 2D000 invalid_transaction_termination.
 */
import { DbError } from '../errors/index.ts';
import type { CallStmt, DoStmt } from '../sql/ast.ts';
import { BindContext, QueryState } from '../plan/binder/bind-context.ts';
import { bindExpr } from '../plan/binder/bind-expr.ts';
import { compileExpr } from '../exec/compile-expr.ts';
import { FunctionRegistry, type ScalarFunctionDef } from '../functions/registry.ts';
import type { RoutineDef } from '../catalog/routines.ts';
import { outputArgs } from '../catalog/routines.ts';
import { findLanguage } from '../scripting/registry.ts';
import '../scripting/languages.ts';
import { Oid, typeOf } from '../types/sql-type.ts';
import type { StatementContext } from '../engine/statement-exec.ts';
import { makeEnv } from '../engine/statement-exec.ts';
import { resultOf, type StatementResult } from '../engine/dml/statement-env.ts';
import { argShape, checkRoutineExecute } from './function-defs.ts';
import { visibleRoutines } from './user-registry.ts';
import { routinesNamed } from '../catalog/routines.ts';
import { invokeRoutine, routineLimits } from './invoke.ts';
import { hostFor } from './host.ts';

/** Procedures as callable definitions: every argument (OUT included) is a call position. */
function procedureDef(def: RoutineDef): ScalarFunctionDef {
  const shape = argShape({ ...def, args: def.args.map((a) => (a.mode === 'out' ? { ...a, mode: 'in' as const } : a)) });
  const outs = outputArgs(def);
  const isInput = def.args.map((a) => a.mode !== 'out');
  return {
    kind: 'scalar', name: def.name, args: shape.types, variadic: shape.variadic, minArgs: shape.minArgs,
    returns: outs.length > 0 ? typeOf(Oid.record) : typeOf(Oid.void), strict: def.strict, volatility: 'volatile',
    impl: (args, ctx) => {
      checkRoutineExecute(ctx, def);
      const full = args.slice();
      for (let i = full.length; i < def.args.length; i++) full.push(shapeDefault(shape, i, ctx));
      const inputs = full.filter((_v, i) => isInput[i]);
      return invokeRoutine(def, inputs, ctx) ?? null;
    },
    ...(shape.names ? { argNames: shape.names, argDefaults: shape.constDefaults } : {}),
  };
}

function shapeDefault(shape: ReturnType<typeof argShape>, i: number, ctx: Parameters<ScalarFunctionDef['impl']>[1]): unknown {
  const d = shape.defaults[i];
  return d ? d(ctx as never) : null;
}

export function runCall(stmt: CallStmt, sc: StatementContext): StatementResult {
  const { session } = sc;
  const call = stmt.call;
  const name = call.name[call.name.length - 1]!;
  const schema = call.name.length === 2 ? call.name[0]! : null;
  const catalog = session.catalog;
  const candidates = (schema !== null ? routinesNamed(catalog, schema, name) : visibleRoutines(catalog, name, session.searchPath()));
  const procedures = candidates.filter((r) => r.kind === 'procedure');
  if (procedures.length === 0 && candidates.length > 0) {
    throw new DbError('wrong_object_type', `${name}(${''}) is not a procedure`,
      { hint: 'To call a function, use SELECT.', position: call.loc + 1 });
  }
  const registry = new FunctionRegistry();
  const byDef = new Map<ScalarFunctionDef, RoutineDef>();
  for (const p of procedures) {
    const d: ScalarFunctionDef = { ...procedureDef(p), name: call.name.join('.') };
    byDef.set(d, p);
    registry.add(d);
  }
  const m = makeEnv(sc);
  const bc = new BindContext({ catalog, searchPath: m.bc.searchPath, registry, paramTypes: m.bc.paramTypes, types: m.bc.types });
  let bound;
  try {
    bound = bindExpr(call, null, bc, new QueryState());
  } catch (e) {
    if (e instanceof DbError && e.code === '42883') {
      e.message = e.message.replace(/^function /, 'procedure ');
      e.hint = 'No procedure matches the given name and argument types. You might need to add explicit type casts.';
    }
    throw e;
  }
  m.finishParams();
  const ctx = m.ctx();
  const host = hostFor(session);
  const nonAtomic = !session.inBlock && host.depth === 0;
  const saved = host.nonAtomic;
  if (nonAtomic) host.nonAtomic = session.procedureTransactionControl();
  let value: unknown;
  try {
    value = compileExpr(bound)([], ctx);
  } finally {
    host.nonAtomic = saved;
  }
  const def = bound.k === 'call' ? byDef.get(bound.fn as ScalarFunctionDef) : undefined;
  const outs = def === undefined ? [] : outputArgs(def);
  if (outs.length === 0) return resultOf('CALL', 0);
  const cols = outs.map((a, i) => ({ name: a.name ?? `column${i + 1}`, type: a.type }));
  const row = Array.isArray(value) ? value.map((v) => v ?? null) : [value ?? null];
  if (row.length !== cols.length) {
    throw new DbError('datatype_mismatch', `procedure ${name} returned ${row.length} values for ${cols.length} output arguments`);
  }
  return resultOf('CALL', 1, cols, [row]);
}

export function runDo(stmt: DoStmt, sc: StatementContext): StatementResult {
  const { session } = sc;
  const language = (stmt.language ?? 'plpgsql').toLowerCase();
  const handler = findLanguage(language);
  if (handler === undefined) {
    throw new DbError('undefined_object', `language "${language}" does not exist`, { position: stmt.loc + 1 });
  }
  const def: RoutineDef = {
    kind: 'procedure', oid: 0, schema: 'pg_temp', name: 'inline_code_block', owner: session.user, args: [],
    returnType: null, returnsSet: false, outColumns: null, trigger: null, language: handler.names[0]!, body: stmt.code,
    volatility: 'volatile', strict: false, securityDefiner: false, config: [], aggregate: null, version: 1, comment: null,
  };
  const compiled = handler.compile({
    name: 'inline_code_block', language: def.language, body: stmt.code, argNames: [], argTypes: [], returnType: null,
    returnsSet: false, outColumns: null, isTrigger: false, isProcedure: true, limits: routineLimits(def, session),
  });
  const m = makeEnv(sc);
  m.finishParams();
  const ctx = m.ctx();
  const host = hostFor(session);
  const saved = host.nonAtomic;
  if (!session.inBlock && host.depth === 0) host.nonAtomic = session.procedureTransactionControl();
  const outerCtx = host.current;
  host.current = ctx;
  host.depth++;
  try {
    compiled.call([], host);
  } finally {
    host.depth--;
    host.current = outerCtx;
    host.nonAtomic = saved;
    compiled.dispose();
  }
  return resultOf('DO', 0);
}
