/**
 * Runs one statement inside a transaction (synchronously): builds the binder and execution
 * contexts, then dispatches on the statement kind to queries, DML, DDL and utility statements.
 * Transaction control and the retry-on-lock-wait loop live in Session; this file never awaits.
 *
 * Queries and DML go through the session's plan cache (plan-cache.ts, runCacheable below): a hit
 * skips binding and planning and only converts the parameters and builds the ExecContext.
 */
import { runAlterSchedule, runCreateSchedule, runDropSchedule } from './ddl/schedules.ts';
import { DbError } from '../errors/index.ts';
import type { Statement } from '../sql/ast.ts';
import type { Txn } from '../txn/txn.ts';
import type { SqlType } from '../types/sql-type.ts';
import { Types } from '../types/sql-type.ts';
import { BindContext, QueryState } from '../plan/binder/bind-context.ts';
import { bindExpr } from '../plan/binder/bind-expr.ts';
import { coerce } from '../plan/binder/coerce-expr.ts';
import { compileExpr } from '../exec/compile-expr.ts';
import { outputFunction } from '../types/text-io.ts';
import { bindQuery } from '../plan/binder/bind-select.ts';
import { Scope } from '../plan/binder/scope.ts';
import { ExecContext, type SessionHooks } from '../exec/exec-context.ts';
import { executeAll } from '../exec/executor.ts';
import { executeTop } from '../exec/suspension.ts';
import type { Row } from '../storage/version.ts';
import { bindDmlStatement, bindQueryStatement, firstDataModifyingKind, hasDataModifyingCte } from './dml/with-clause.ts';
import type { BoundStatement } from './dml/statement-env.ts';
import type { Catalog } from '../catalog/catalog.ts';
import type { FunctionRegistry } from '../functions/registry.ts';
import type { TypeContext } from '../types/context.ts';
import type { Snapshot } from '../txn/txn.ts';
import type { PlanEntry, PlannedEstimate, ReusableEnvHandle } from './plan-cache.ts';
import { RowWriter } from './dml/row-writer.ts';
import { resultOf, type StatementEnv, type StatementResult } from './dml/statement-env.ts';
import type { DdlContext } from './ddl/ddl-context.ts';
import { runCreateTable, runCreateTableAs } from './ddl/create-table.ts';
import { runAlterTable, runRename } from './ddl/alter-table.ts';
import { runDrop } from './ddl/drop.ts';
import {
  runAlterSequence, runComment, runCreateIndex, runCreateSchema, runCreateSequence, runCreateView, runTruncate,
} from './ddl/misc-ddl.ts';
import { runExplain } from './explain.ts';
import { runUtility, UTILITY_KINDS } from './utility.ts';
import { runReindex } from './ddl/create-index.ts';
import { fromJs, jsTypeOid } from './js-values.ts';
import { typeOf } from '../types/sql-type.ts';
import type { Session } from './session.ts';
import { routineRegistry } from '../routines/user-registry.ts';
import { ROUTINE_KINDS, runRoutineStatement } from '../routines/statements.ts';
import { withEventTriggers } from '../routines/event-triggers.ts';
import { backendControl } from './backends.ts';
import { checkNeeds, checkSequenceCall } from '../auth/privileges.ts';
import { checkDdlPrivileges } from '../auth/ddl-checks.ts';
import { runAuthDdl } from '../auth/auth-exec.ts';
import { withDefaultPrivileges } from '../auth/grant-exec.ts';
import { CURSOR_KINDS, runCursorStatement } from './cursors.ts';

export interface StatementContext {
  readonly session: Session;
  readonly txn: Txn;
  readonly text: string;
  readonly params: readonly unknown[];
  /** Set when running a prepared statement through EXECUTE (its arguments are SQL expressions). */
  readonly execute: Extract<Statement, { kind: 'Execute' }> | null;
  /** Declared parameter types (wire protocol Parse / PREPARE); null entries are inferred. */
  readonly paramTypes: (SqlType | null)[];
  /**
   * Statements run by a routine (src/routines/host.ts): parameters with a declared type are
   * already engine values (no API conversion), and the routine's argument names resolve as $n.
   */
  readonly engineParams?: boolean;
  readonly paramNames?: BindContext['paramNames'];
  /**
   * The transaction began for this statement (autocommit): the statement starts when it did,
   * as statement_timestamp() = transaction_timestamp() in PostgreSQL, without another clock read.
   */
  readonly implicitTxn?: boolean;
}

function statementStartMicros(sc: StatementContext): number {
  return sc.implicitTxn === true ? sc.txn.startMicros : sc.session.db.env.clock.nowMicros();
}

const WRITE_KINDS = new Set(['Insert', 'Update', 'Delete', 'Truncate']);

/** One hooks object per session: every member reads the session live, so it can be shared. */
const hooksBySession = new WeakMap<Session, SessionHooks>();

export function hooks(session: Session): SessionHooks {
  let h = hooksBySession.get(session);
  if (h === undefined) {
    h = makeHooks(session);
    hooksBySession.set(session, h);
  }
  return h;
}

function makeHooks(session: Session): SessionHooks {
  return {
    setting: (n) => session.setting(n),
    resolveSequence: (n) => session.resolveSequence(n),
    nextval: (s) => { checkSequenceCall(session.catalog, session.user, s, 'nextval'); return session.sequences.nextval(s); },
    currval: (s) => { checkSequenceCall(session.catalog, session.user, s, 'currval'); return session.sequences.currval(s); },
    setval: (s, v, c) => { checkSequenceCall(session.catalog, session.user, s, 'setval'); return session.sequences.setval(s, v, c); },
    lastval: () => session.sequences.lastval(),
    notice: (sev, msg) => session.notice(sev, '00000', msg),
    owner: session,
    interrupts: session.interrupts,
    backend: backendControl(session),
  };
}

/** Builds the contexts a statement runs with. Parameters are converted after binding. */
export function makeEnv(sc: StatementContext, catalogOverride?: Catalog): {
  bc: BindContext; ctx: () => ExecContext; finishParams: () => void; env: () => StatementEnv;
} {
  const { session, txn } = sc;
  const db = session.db;
  const snapshot = db.txns.statementSnapshot(txn);
  const types = session.typeContext(txn);
  const searchPath = session.searchPath();
  const catalog = catalogOverride ?? session.catalog;
  const paramTypes: (SqlType | null)[] = sc.paramTypes.slice();
  const bc = new BindContext({ catalog, searchPath, registry: routineRegistry(db.registry, catalog, searchPath), paramTypes, types });
  bc.paramNames = sc.paramNames ?? null;
  const values: unknown[] = [];
  let ctx: ExecContext | null = null;
  const finishParams = (): void => {
    for (let i = 0; i < Math.max(sc.params.length, paramTypes.length); i++) {
      const v = sc.params[i];
      const t = paramTypes[i] ?? typeOf(jsTypeOid(v));
      if (paramTypes[i] == null) paramTypes[i] = t;
      values[i] = sc.engineParams === true && sc.paramTypes[i] != null ? (v ?? null) : fromJs(v, t, types, i);
    }
  };
  const getCtx = (): ExecContext => {
    if (ctx === null) {
      ctx = newExecContext(sc, snapshot, types, searchPath, values, catalog);
    }
    return ctx;
  };
  return {
    bc, ctx: getCtx, finishParams,
    env: () => ({ catalog, bc, ctx: getCtx(), writer: new RowWriter(catalog, bc.registry, getCtx()) }),
  };
}

export function executeStatement(stmt: Statement, sc: StatementContext): StatementResult {
  // Only the session's top-level query may run in time slices (src/exec/interrupts.ts); statements
  // run from inside it (routines, EXECUTE) find the token already taken.
  const ix = sc.session.interrupts;
  const top = ix.suspendable;
  ix.suspendable = false;
  if (sc.txn.readOnly && (WRITE_KINDS.has(stmt.kind) || isDdl(stmt))) {
    throw new DbError('read_only_sql_transaction', `cannot execute ${commandName(stmt)} in a read-only transaction`);
  }
  const cteWrite = 'with' in stmt ? firstDataModifyingKind(stmt.with) : null;
  if (sc.txn.readOnly && cteWrite !== null) {
    throw new DbError('read_only_sql_transaction', `cannot execute ${cteWrite.toUpperCase()} in a read-only transaction`);
  }
  if (sc.txn.readOnly && stmt.kind === 'Select' && stmt.locking.length > 0) {
    const strength = stmt.locking[0]!.strength === 'update' || stmt.locking[0]!.strength === 'no_key_update' ? 'UPDATE' : 'SHARE';
    throw new DbError('read_only_sql_transaction', `cannot execute SELECT FOR ${strength} in a read-only transaction`);
  }
  if (sc.execute !== null) return executePrepared(stmt, sc);
  if (ROUTINE_KINDS.has(stmt.kind)) return withEventTriggers(stmt, sc, commandName(stmt), () => runRoutineStatement(stmt, sc));
  if (CURSOR_KINDS.has(stmt.kind)) return runCursorStatement(stmt, sc.session, sc.txn, (q) => executeStatement(q, { ...sc, execute: null }));
  if (UTILITY_KINDS.has(stmt.kind)) return runUtility(stmt, sc);
  if (isDdl(stmt)) {
    return withEventTriggers(stmt, sc, commandName(stmt), () => withDefaultPrivileges(() => sc.session.catalog, () => runDdl(stmt, sc)));
  }
  switch (stmt.kind) {
    case 'Select':
    case 'SetOperation':
    case 'Values':
    case 'Insert':
    case 'Update':
    case 'Delete':
      return runCacheable(stmt, sc, top);
    case 'Explain':
      return runExplain(stmt, sc);
    default:
      throw new DbError('feature_not_supported', `${commandName(stmt)} is not supported yet`, { position: stmt.loc + 1 });
  }
}

type CacheableStmt = Extract<Statement, { kind: 'Select' | 'SetOperation' | 'Values' | 'Insert' | 'Update' | 'Delete' }>;

/**
 * Queries and DML, through the session's plan cache. Entries are keyed by catalog identity, so
 * the cache also serves a transaction with uncommitted DDL: its private catalog is a copy no
 * later DDL edits (each DDL statement copies again), and no other session can look it up (the
 * cache is per session). A COPY after TRUNCATE in one transaction then binds its INSERT once.
 */
function runCacheable(stmt: CacheableStmt, sc: StatementContext, top: boolean): StatementResult {
  const { session, txn } = sc;
  const db = session.db;
  const catalog = session.catalog;
  const cachePlan = !session.oneShot.has(stmt);
  // The snapshot comes first (it bumps the command id even when binding then fails), as before.
  const snapshot = db.txns.statementSnapshot(txn);
  const types = session.typeContext(txn);
  const searchPath = session.searchPath();
  const hit = session.planCache.lookup(stmt, catalog, searchPath, types, sc.paramTypes);
  if (hit !== null) {
    checkNeeds(catalog, session.user, hit.needs ?? []);
    return runEntry(hit, sc, snapshot, types, searchPath, top);
  }
  const probe = new TypesProbe(types);
  const paramTypes: (SqlType | null)[] = sc.paramTypes.slice();
  const bc = new BindContext({ catalog, searchPath, registry: routineRegistry(db.registry, catalog, searchPath), paramTypes, types: probe });
  bc.paramNames = sc.paramNames ?? null;
  const isQuery = stmt.kind === 'Select' || stmt.kind === 'SetOperation' || stmt.kind === 'Values';
  if (isQuery && !hasDataModifyingCte(stmt.with)) {
    const q = bindQuery(stmt, new Scope(null), bc);
    checkNeeds(catalog, session.user, bc.privilegeNeeds);
    if (cachePlan && !probe.readNow) {
      session.planCache.store(stmt, entryOf(sc, catalog, searchPath, types, paramTypes, bc, q.plan, q.columns, null, null));
    }
    const ctx = newExecContext(sc, snapshot, types, searchPath, convertParams(sc.params, paramTypes, types, sc));
    return selectResult(q.columns, executeTop(q.plan, ctx, top, (rows) => selectResult(q.columns, rows)));
  }
  // DML (and a query with data-modifying CTEs) binds the whole statement, CTEs included, before
  // running anything; parameters are converted lazily, the first time the execution context is
  // needed, when every parameter type the binder could infer is known.
  const env = new ReusableEnv(catalog, bc, bc.registry);
  env.point(sc, snapshot, types, searchPath, paramTypes);
  let entry: PlanEntry | null = null;
  try {
    const bound = isQuery ? bindQueryStatement(stmt as Extract<CacheableStmt, { kind: 'Select' | 'SetOperation' | 'Values' }>, env)
      : bindDmlStatement(stmt as Extract<CacheableStmt, { kind: 'Insert' | 'Update' | 'Delete' }>, env);
    env.binding = false;
    checkNeeds(catalog, session.user, bc.privilegeNeeds);
    if (cachePlan && !probe.readNow && !env.touchedWhileBinding) {
      entry = entryOf(sc, catalog, searchPath, types, paramTypes, bc, null, null, bound, env);
      entry.busy = true;
      session.planCache.store(stmt, entry);
    }
    return bound.run();
  } finally {
    env.release();
    if (entry !== null) entry.busy = false;
  }
}

/** A cache hit: convert the parameters with the types binding inferred, then run. */
function runEntry(
  e: PlanEntry, sc: StatementContext, snapshot: Snapshot, types: TypeContext, searchPath: readonly string[], top: boolean,
): StatementResult {
  if (e.plan !== null) {
    const columns = e.columns;
    const ctx = newExecContext(sc, snapshot, types, searchPath, convertParams(sc.params, e.paramTypes, types, sc));
    return selectResult(columns, executeTop(e.plan, ctx, top, (rows) => selectResult(columns, rows)));
  }
  const env = e.env as ReusableEnv;
  e.busy = true;
  env.point(sc, snapshot, types, searchPath, e.paramTypes);
  try {
    return e.bound!.run();
  } finally {
    env.release();
    e.busy = false;
  }
}

function selectResult(columns: PlanEntry['columns'], rows: Row[]): StatementResult {
  return resultOf('SELECT', rows.length, columns, rows, `SELECT ${rows.length}`);
}

function entryOf(
  sc: StatementContext, catalog: Catalog, searchPath: readonly string[], types: TypeContext, paramTypes: readonly (SqlType | null)[],
  bc: BindContext, plan: PlanEntry['plan'], columns: PlanEntry['columns'], bound: BoundStatement | null, env: ReusableEnv | null,
): PlanEntry {
  const estimates: PlannedEstimate[] = [];
  for (const oid of bc.relationsUsed) {
    const rel = catalog.byOid.get(oid);
    if (rel?.kind === 'table') estimates.push({ store: rel.store, rows: rel.store.rowEstimate, stats: rel.store.stats });
  }
  return {
    catalog, searchPath, timeZone: types.timeZone, extraFloatDigits: types.extraFloatDigits, intervalStyle: types.intervalStyle,
    scanDisabled: types.scanDisabled ?? 0,
    declared: sc.paramTypes.slice(), paramTypes: paramTypes.slice(), estimates, plan, columns, bound, env, busy: false,
    needs: bc.privilegeNeeds,
  };
}

/** API / wire parameters to engine values: declared or inferred type, else the JS value's type. */
function convertParams(params: readonly unknown[], paramTypes: readonly (SqlType | null)[], types: TypeContext, sc: StatementContext): unknown[] {
  const n = params.length > paramTypes.length ? params.length : paramTypes.length;
  const values: unknown[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const v = params[i];
    if (sc.engineParams === true && sc.paramTypes[i] != null) { values[i] = v ?? null; continue; }
    const t = paramTypes[i] ?? typeOf(jsTypeOid(v));
    values[i] = fromJs(v, t, types, i);
  }
  return values;
}

function newExecContext(
  sc: StatementContext, snapshot: Snapshot, types: TypeContext, searchPath: readonly string[], params: unknown[],
  catalog: Catalog = sc.session.catalog,
): ExecContext {
  const { session, txn } = sc;
  const db = session.db;
  return new ExecContext(db.env, types, txn, snapshot, db.txns, params, hooks(session), session.user, db.name, searchPath,
    statementStartMicros(sc), catalog);
}

/**
 * The binder's view of the TypeContext: records whether binding read the transaction start time
 * ('now'::timestamp, 'today'::date fold it into the plan), which makes the plan uncacheable.
 */
class TypesProbe implements TypeContext {
  readonly timeZone: string;
  readonly extraFloatDigits: number;
  readonly intervalStyle: TypeContext['intervalStyle'];
  readonly catalogScope: TypeContext['catalogScope'];
  readonly scanDisabled: number;
  private readonly inner: TypeContext;
  readNow = false;

  constructor(inner: TypeContext) {
    this.inner = inner;
    this.timeZone = inner.timeZone;
    this.extraFloatDigits = inner.extraFloatDigits;
    this.intervalStyle = inner.intervalStyle;
    this.catalogScope = inner.catalogScope;
    this.scanDisabled = inner.scanDisabled ?? 0;
  }

  get nowMicros(): number {
    this.readNow = true;
    return this.inner.nowMicros;
  }
}

const NOTHING: readonly never[] = [];

/**
 * The StatementEnv a DML statement is bound with. Bound DML closures read `env.ctx` / `env.writer`
 * when they run, so a cached BoundStatement is re-pointed at each execution's context here. A
 * binder that touches them while binding would capture one execution's context: such a statement
 * is not cached (`touchedWhileBinding`).
 */
class ReusableEnv implements StatementEnv, ReusableEnvHandle {
  readonly catalog: Catalog;
  readonly bc: BindContext;
  private readonly registry: FunctionRegistry;
  // The execution it is pointed at: fields rather than a closure over them, which every
  // statement allocated.
  private sc: StatementContext | null = null;
  private snapshot: Snapshot | null = null;
  private types: TypeContext | null = null;
  private searchPath: readonly string[] = NOTHING;
  private paramTypes: readonly (SqlType | null)[] = NOTHING;
  private ctxNow: ExecContext | null = null;
  private writerNow: RowWriter | null = null;
  binding = true;
  touchedWhileBinding = false;

  constructor(catalog: Catalog, bc: BindContext, registry: FunctionRegistry) {
    this.catalog = catalog;
    this.bc = bc;
    this.registry = registry;
  }

  /**
   * Points the environment at one execution; its context is built on first use, with the
   * parameters converted to `paramTypes` (complete once binding is).
   */
  point(sc: StatementContext, snapshot: Snapshot, types: TypeContext, searchPath: readonly string[], paramTypes: readonly (SqlType | null)[]): void {
    this.sc = sc;
    this.snapshot = snapshot;
    this.types = types;
    this.searchPath = searchPath;
    this.paramTypes = paramTypes;
    this.ctxNow = null;
    this.writerNow = null;
  }

  get ctx(): ExecContext {
    if (this.binding) this.touchedWhileBinding = true;
    if (this.ctxNow === null) {
      const sc = this.sc;
      if (sc === null) throw new DbError('internal_error', 'statement environment used outside an execution');
      const types = this.types!;
      this.ctxNow = newExecContext(sc, this.snapshot!, types, this.searchPath, convertParams(sc.params, this.paramTypes, types, sc));
    }
    return this.ctxNow;
  }

  get writer(): RowWriter {
    if (this.writerNow === null) this.writerNow = new RowWriter(this.catalog, this.registry, this.ctx);
    return this.writerNow;
  }

  release(): void {
    this.sc = null;
    this.snapshot = null;
    this.types = null;
    this.searchPath = NOTHING;
    this.paramTypes = NOTHING;
    this.ctxNow = null;
    this.writerNow = null;
  }
}

const DDL_KINDS = new Set([
  'CreateTable', 'CreateTableAs', 'AlterTable', 'Rename', 'CreateSchema', 'Drop', 'CreateView',
  'CreateSequence', 'AlterSequence', 'CreateIndex', 'Comment', 'Truncate', 'Reindex',
  'CreateSchedule', 'AlterSchedule', 'DropSchedule',
]);

function isDdl(stmt: Statement): boolean {
  return DDL_KINDS.has(stmt.kind);
}

function runDdl(stmt: Statement, sc: StatementContext): StatementResult {
  const session = sc.session;
  const auth = runAuthDdl(stmt, sc);
  if (auth !== null) return auth;
  const catalog = session.catalogForDdl(sc.txn);
  const m = makeEnv(sc, catalog);
  m.finishParams();
  checkDdlPrivileges(stmt, catalog, session.user, m.bc.searchPath, session.db.name);
  const dc: DdlContext = {
    db: session.db, catalog, txn: sc.txn, searchPath: m.bc.searchPath, user: session.user, bc: m.bc, ctx: m.ctx(),
    onUndo: (fn) => session.onUndo(fn),
    notice: (msg, detail) => session.notice('NOTICE', noticeCode(msg), msg, detail),
  };
  switch (stmt.kind) {
    case 'CreateTable': return runCreateTable(stmt, dc);
    case 'CreateTableAs': return runCreateTableAs(stmt, dc);
    case 'AlterTable':
      if (stmt.objectType !== 'table') throw new DbError('feature_not_supported', `ALTER ${stmt.objectType.toUpperCase()} is not supported yet`, { position: stmt.loc + 1 });
      return runAlterTable(stmt, dc);
    case 'Rename': return runRename(stmt, dc);
    case 'CreateSchema': return runCreateSchema(stmt, dc);
    case 'Drop': return runDrop(stmt, dc);
    case 'CreateView': return runCreateView(stmt, dc);
    case 'CreateSequence': return runCreateSequence(stmt, dc);
    case 'AlterSequence': return runAlterSequence(stmt, dc);
    case 'CreateIndex': return runCreateIndex(stmt, dc);
    case 'Reindex': return runReindex(stmt, dc);
    case 'Comment': return runComment(stmt, dc);
    case 'Truncate': return runTruncate(stmt, dc);
    case 'CreateSchedule': return runCreateSchedule(stmt, dc);
    case 'AlterSchedule': return runAlterSchedule(stmt, dc);
    case 'DropSchedule': return runDropSchedule(stmt, dc);
    default:
      throw new DbError('internal_error', `unhandled DDL ${stmt.kind}`);
  }
}

/** EXECUTE name(args): evaluates the arguments, then runs the prepared statement with them. */
function executePrepared(stmt: Statement, sc: StatementContext): StatementResult {
  const exec = sc.execute!;
  const prepared = sc.session.prepared.get(exec.name)!;
  const declared = prepared.paramTypes;
  if (declared.length > 0 && exec.params.length !== declared.length) {
    throw new DbError('syntax_error', `wrong number of parameters for prepared statement "${exec.name}"`,
      { detail: `Expected ${declared.length} parameters but got ${exec.params.length}.`, position: exec.loc + 1 });
  }
  const m = makeEnv({ ...sc, execute: null, params: [] });
  const qs = new QueryState();
  const args = exec.params.map((a, i) => {
    const b = bindExpr(a, null, m.bc, qs);
    const t = declared[i] ?? null;
    return t ? coerce(b, t, 'assignment', m.bc, a.loc) : b;
  });
  m.finishParams();
  const ctx = m.ctx();
  const types = args.map((a, i) => declared[i] ?? (a.type.oid === Types.unknown.oid ? null : a.type));
  // Arguments travel as text when their type is known: exact for every type.
  const values = args.map((a, i) => {
    const v = compileExpr(a)([], ctx);
    const t = types[i] ?? null;
    return v === null || t === null ? v : outputFunction(t)(v, ctx.types);
  });
  return executeStatement(stmt, { ...sc, execute: null, params: values, paramTypes: types });
}

/** PostgreSQL reports "already exists, skipping" notices with the duplicate-object SQLSTATE. */
function noticeCode(message: string): string {
  if (/^schema ".*" already exists, skipping$/.test(message)) return '42P06';
  if (/already exists, skipping$/.test(message)) return '42P07';
  return '00000';
}

export function commandName(stmt: Statement): string {
  switch (stmt.kind) {
    case 'Select': case 'SetOperation': case 'Values': return 'SELECT';
    case 'Insert': return 'INSERT';
    case 'Update': return 'UPDATE';
    case 'Delete': return 'DELETE';
    case 'Truncate': return 'TRUNCATE TABLE';
    case 'CreateTable': return 'CREATE TABLE';
    case 'CreateTableAs': return 'CREATE TABLE AS';
    case 'AlterTable': return 'ALTER TABLE';
    case 'Drop': return `DROP ${stmt.objectType.toUpperCase().replace('_', ' ')}`;
    case 'CreateIndex': return 'CREATE INDEX';
    case 'CreateView': return 'CREATE VIEW';
    case 'CreateSequence': return 'CREATE SEQUENCE';
    case 'CreateSchema': return 'CREATE SCHEMA';
    default: return stmt.kind.replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase();
  }
}

