/**
 * Calling a user routine: find the calling session, compile the body once per (oid, version) and
 * database, enforce the call-depth limit, and run it with the session's RoutineHost.
 *
 * Invariants:
 * - A routine runs only inside a session's statement (its ExecContext's hooks carry the session).
 *   Constant folding at bind time has no session: the call throws there and stays unfolded.
 * - The compiled cache holds one CompiledRoutine per routine oid; a different definition object
 *   (CREATE OR REPLACE, or a catalog decoded after restart) recompiles lazily and disposes the old.
 * - Errors leaving a routine are DbErrors carrying where they came from (`where`).
 */
import { DbError, toDbError } from '../errors/index.ts';
import type { RoutineDef } from '../catalog/routines.ts';
import { inputArgs, outputArgs } from '../catalog/routines.ts';
import type { EvalContext } from '../functions/registry.ts';
import type { ExecContext } from '../exec/exec-context.ts';
import { findLanguage } from '../scripting/registry.ts';
import '../scripting/languages.ts';
import type { CompiledRoutine, EventTriggerCall, RoutineLimits, RoutineSource, TriggerCall } from '../scripting/language.ts';
import { Limits } from '../limits.ts';
import { isLockWait } from '../txn/lock-wait.ts';
import type { Session } from '../engine/session.ts';
import type { Database } from '../engine/database.ts';
import { typeOf, Oid, Types } from '../types/sql-type.ts';
import { hostFor, type SessionRoutineHost } from './host.ts';
import { conformResult } from './values.ts';

interface CacheEntry {
  readonly def: RoutineDef;
  readonly compiled: CompiledRoutine;
}

const compiledByDb = new WeakMap<Database, Map<number, CacheEntry>>();

/** The session a statement runs in, or null (bind-time constant folding, unit contexts). */
export function sessionOf(ctx: EvalContext): Session | null {
  const hooks = (ctx as Partial<ExecContext>).session;
  const owner = hooks?.owner;
  return owner === undefined ? null : owner as Session;
}

/** The compiled body of `def` for `db`, compiling on first use or after a replace. */
export function compiledFor(db: Database, def: RoutineDef, session: Session | null): CompiledRoutine {
  let cache = compiledByDb.get(db);
  if (cache === undefined) compiledByDb.set(db, (cache = new Map()));
  const hit = cache.get(def.oid);
  if (hit !== undefined && hit.def === def) return hit.compiled;
  const compiled = compileRoutine(def, session);
  if (hit !== undefined) hit.compiled.dispose();
  cache.set(def.oid, { def, compiled });
  return compiled;
}

/** Drops the compiled body of a dropped routine. */
export function forgetCompiled(db: Database, oid: number): void {
  const cache = compiledByDb.get(db);
  const hit = cache?.get(oid);
  if (hit === undefined) return;
  hit.compiled.dispose();
  cache!.delete(oid);
}

/** The language's view of a routine. */
export function routineSource(def: RoutineDef, limits: RoutineLimits): RoutineSource {
  const ins = inputArgs(def);
  const outs = outputArgs(def);
  const isProcedure = def.kind === 'procedure';
  let outColumns = def.outColumns;
  if (outColumns === null && isProcedure && outs.length > 0) {
    outColumns = outs.map((a, i) => ({ name: a.name ?? `column${i + 1}`, type: a.type }));
  }
  let returnType = def.returnType;
  if (isProcedure) returnType = outs.length > 0 ? typeOf(Oid.record) : null;
  if (returnType !== null && returnType.oid === Oid.void) returnType = null;
  if (def.trigger === 'event') {
    // An event trigger function is called like a function of (TG_EVENT, TG_TAG) in languages
    // without a dedicated entry point: every language then sees PostgreSQL's two variables.
    return {
      name: `${def.schema}.${def.name}`, language: def.language, body: def.body,
      // SQL-family languages fold identifiers to lower case; scripts see the upper-case names.
      argNames: def.language === 'plpgsql' || def.language === 'sql' ? ['tg_event', 'tg_tag'] : ['TG_EVENT', 'TG_TAG'], argTypes: [Types.text, Types.text], returnType: null,
      returnsSet: false, outColumns: null, isTrigger: false, isProcedure: false, limits,
    };
  }
  return {
    name: `${def.schema}.${def.name}`,
    language: def.language,
    body: def.body,
    argNames: ins.map((a) => a.name),
    argTypes: ins.map((a) => a.type),
    returnType,
    returnsSet: def.returnsSet,
    outColumns,
    isTrigger: def.trigger === 'row',
    isProcedure,
    limits,
  };
}

/** Per-call limits: the routine's SET clauses over the session's settings. */
export function routineLimits(def: RoutineDef, session: Session | null): RoutineLimits {
  const get = (name: string): string | null => {
    for (const [k, v] of def.config) if (k === name) return v;
    return session?.setting(name) ?? null;
  };
  const cpu = Number(get('oxibase.cpu_limit_ms') ?? 0);
  const mem = Number(get('oxibase.memory_limit_mb') ?? 0);
  return {
    cpuMillis: Number.isFinite(cpu) && cpu > 0 ? cpu : 0,
    memoryBytes: Number.isFinite(mem) && mem > 0 ? Math.floor(mem * 1024 * 1024) : 0,
  };
}

/** Compiles a body with its language; a missing language is 42704 as PostgreSQL. */
export function compileRoutine(def: RoutineDef, session: Session | null): CompiledRoutine {
  const lang = findLanguage(def.language);
  if (lang === undefined) {
    throw new DbError('undefined_object', `language "${def.language}" does not exist`);
  }
  return lang.compile(routineSource(def, routineLimits(def, session)));
}

/** Calls a function or procedure with evaluated input arguments. */
export function invokeRoutine(def: RoutineDef, args: readonly unknown[], ctx: EvalContext): unknown {
  const session = sessionOf(ctx);
  if (session === null) {
    throw new DbError('feature_not_supported', `function ${def.name} needs a session to run`);
  }
  const host = hostFor(session);
  const out = withCall(host, def, ctx as ExecContext, () => compiledFor(session.db, def, session).call(args, host));
  // The SQL language casts its own results; other languages' scalar results are checked here.
  if (def.language === 'sql' || def.kind !== 'function' || def.returnsSet || def.outColumns !== null || def.returnType === null ||
    def.returnType.oid === Oid.void) return out;
  return conformResult(out, def.returnType, ctx.types, `function ${def.name}`);
}

/** Calls a trigger function. */
export function invokeTrigger(def: RoutineDef, call: TriggerCall, ctx: ExecContext): readonly unknown[] | null {
  const session = sessionOf(ctx);
  if (session === null) throw new DbError('internal_error', 'trigger fired outside a session');
  const host = hostFor(session);
  return withCall(host, def, ctx, () => {
    const compiled = compiledFor(session.db, def, session);
    if (compiled.callTrigger === undefined) {
      throw new DbError('feature_not_supported', `language ${def.language} does not support trigger functions`);
    }
    return compiled.callTrigger(call, host);
  });
}

/** Calls an event trigger function. */
export function invokeEventTrigger(def: RoutineDef, call: EventTriggerCall, session: Session): void {
  const host = hostFor(session);
  withCall(host, def, null, () => {
    const compiled = compiledFor(session.db, def, session);
    if (compiled.callEventTrigger !== undefined) compiled.callEventTrigger(call, host);
    else compiled.call([call.event, call.tag], host);
  });
}

/** Runs one routine call frame: depth limit, the executing context, error context. */
function withCall<T>(host: SessionRoutineHost, def: RoutineDef, ctx: ExecContext | null, fn: () => T): T {
  if (host.depth >= Limits.routineCallDepthMax) {
    throw new DbError('statement_too_complex', 'stack depth limit exceeded', {
      hint: `Routine calls are nested more than ${Limits.routineCallDepthMax} deep (runaway recursion?).`,
    });
  }
  const outer = host.current;
  host.depth++;
  if (ctx !== null && ctx.txn !== undefined) host.current = ctx;
  const restore = def.config.length === 0 ? null : applyConfig(host.session, def);
  const outerVolatility = host.volatility;
  const outerRoutine = host.routine;
  host.routine = `${def.schema}.${def.name}`;
  host.volatility = def.kind === 'procedure' ? 'volatile' : def.volatility;
  // SECURITY DEFINER: statements inside run as the routine's owner (current_user, privileges).
  const caller = host.session.user;
  if (def.securityDefiner) host.session.user = def.owner;
  try {
    return fn();
  } catch (e) {
    // A lock wait unwinds to the session, which waits and re-runs the whole statement.
    if (isLockWait(e)) throw e;
    const err = toDbError(e);
    const frame = `${def.kind === 'procedure' ? 'procedure' : 'function'} ${def.schema}.${def.name}`;
    err.where = err.where === undefined ? frame : `${err.where}\n${frame}`;
    // A position points into the routine's own SQL, not into the caller's statement.
    err.position = undefined;
    throw err;
  } finally {
    host.session.user = caller;
    host.volatility = outerVolatility;
    host.routine = outerRoutine;
    if (restore !== null) restore();
    host.depth--;
    host.current = outer;
  }
}

/**
 * A routine's SET clauses (other than Oxibase's per-call limits, read at compile time) take
 * effect for the duration of each call, like PostgreSQL's proconfig; the caller's values return.
 */
function applyConfig(session: Session, def: RoutineDef): (() => void) | null {
  const saved: [string, string | null][] = [];
  for (const [name, value] of def.config) {
    if (name === 'oxibase.cpu_limit_ms' || name === 'oxibase.memory_limit_mb') continue;
    saved.push([name, session.setting(name)]);
    session.setSetting(name, value, false);
  }
  if (saved.length === 0) return null;
  return () => {
    for (let i = saved.length - 1; i >= 0; i--) session.setSetting(saved[i]![0], saved[i]![1], false);
  };
}
