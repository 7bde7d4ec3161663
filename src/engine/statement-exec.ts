/**
 * Runs one statement inside a transaction (synchronously): builds the binder and execution
 * contexts, then dispatches on the statement kind to queries, DML, DDL and utility statements.
 * Transaction control and the retry-on-lock-wait loop live in Session; this file never awaits.
 */
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
import { bindDmlStatement, bindQueryStatement, firstDataModifyingKind, hasDataModifyingCte } from './dml/with-clause.ts';
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
import { fromJs, jsTypeOid } from './js-values.ts';
import { typeOf } from '../types/sql-type.ts';
import type { Session } from './session.ts';

export interface StatementContext {
  readonly session: Session;
  readonly txn: Txn;
  readonly text: string;
  readonly params: readonly unknown[];
  /** Set when running a prepared statement through EXECUTE (its arguments are SQL expressions). */
  readonly execute: Extract<Statement, { kind: 'Execute' }> | null;
  /** Declared parameter types (wire protocol Parse / PREPARE); null entries are inferred. */
  readonly paramTypes: (SqlType | null)[];
}

const WRITE_KINDS = new Set(['Insert', 'Update', 'Delete', 'Truncate']);

function hooks(session: Session): SessionHooks {
  return {
    setting: (n) => session.setting(n),
    resolveSequence: (n) => session.resolveSequence(n),
    nextval: (s) => session.nextval(s),
    currval: (s) => session.currval(s),
    setval: (s, v, c) => session.setval(s, v, c),
    lastval: () => session.lastval(),
    notice: (sev, msg) => session.notice(sev, '00000', msg),
  };
}

/** Builds the contexts a statement runs with. Parameters are converted after binding. */
export function makeEnv(sc: StatementContext, catalogOverride?: import('../catalog/catalog.ts').Catalog): {
  bc: BindContext; ctx: () => ExecContext; finishParams: () => void; env: () => StatementEnv;
} {
  const { session, txn } = sc;
  const db = session.db;
  const snapshot = db.txns.statementSnapshot(txn);
  const types = session.typeContext(txn);
  const searchPath = session.searchPath();
  const catalog = catalogOverride ?? session.catalog;
  const paramTypes: (SqlType | null)[] = sc.paramTypes.slice();
  const bc = new BindContext({ catalog, searchPath, registry: db.registry, paramTypes, types });
  const values: unknown[] = [];
  let ctx: ExecContext | null = null;
  const finishParams = (): void => {
    for (let i = 0; i < Math.max(sc.params.length, paramTypes.length); i++) {
      const v = sc.params[i];
      const t = paramTypes[i] ?? typeOf(jsTypeOid(v));
      if (paramTypes[i] == null) paramTypes[i] = t;
      values[i] = fromJs(v, t, types, i);
    }
  };
  const getCtx = (): ExecContext => {
    if (ctx === null) {
      ctx = new ExecContext({
        env: db.env, types, txn, snapshot, txnManager: db.txns, params: values, session: hooks(session),
        user: session.user, database: db.name, searchPath, statementStartMicros: db.env.clock.nowMicros(),
      });
    }
    return ctx;
  };
  return {
    bc, ctx: getCtx, finishParams,
    env: () => ({ catalog, bc, ctx: getCtx(), writer: new RowWriter(catalog, db.registry, getCtx()) }),
  };
}

export function executeStatement(stmt: Statement, sc: StatementContext): StatementResult {
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
  if (UTILITY_KINDS.has(stmt.kind)) return runUtility(stmt, sc);
  if (isDdl(stmt)) return runDdl(stmt, sc);
  const m = makeEnv(sc);
  switch (stmt.kind) {
    case 'Select':
    case 'SetOperation':
    case 'Values': {
      if (hasDataModifyingCte(stmt.with)) return bindQueryStatement(stmt, lazyEnv(m)).run();
      const q = bindQuery(stmt, new Scope(null), m.bc);
      m.finishParams();
      const ctx = m.ctx();
      const rows = executeAll(q.plan, ctx);
      return resultOf('SELECT', rows.length, q.columns, rows, `SELECT ${rows.length}`);
    }
    case 'Insert':
    case 'Update':
    case 'Delete':
      return runDml(stmt, m);
    case 'Explain':
      return runExplain(stmt, sc);
    default:
      throw new DbError('feature_not_supported', `${commandName(stmt)} is not supported yet`, { position: stmt.loc + 1 });
  }
}

/**
 * DML (and a query with data-modifying CTEs) binds the whole statement, CTEs included, before
 * running anything; parameters are converted lazily, the first time the execution context is
 * needed, when every parameter type the binder could infer is known.
 */
function runDml(stmt: Extract<Statement, { kind: 'Insert' | 'Update' | 'Delete' }>, m: ReturnType<typeof makeEnv>): StatementResult {
  return bindDmlStatement(stmt, lazyEnv(m)).run();
}

function lazyEnv(m: ReturnType<typeof makeEnv>): StatementEnv {
  let real: StatementEnv | null = null;
  const get = (): StatementEnv => {
    if (real === null) {
      m.finishParams();
      real = m.env();
    }
    return real;
  };
  return {
    get catalog() { return m.bc.catalog; },
    bc: m.bc,
    get ctx() { return get().ctx; },
    get writer() { return get().writer; },
  };
}

const DDL_KINDS = new Set([
  'CreateTable', 'CreateTableAs', 'AlterTable', 'Rename', 'CreateSchema', 'Drop', 'CreateView',
  'CreateSequence', 'AlterSequence', 'CreateIndex', 'Comment', 'Truncate',
]);

function isDdl(stmt: Statement): boolean {
  return DDL_KINDS.has(stmt.kind);
}

function runDdl(stmt: Statement, sc: StatementContext): StatementResult {
  const session = sc.session;
  const catalog = session.catalogForDdl(sc.txn);
  const m = makeEnv(sc, catalog);
  m.finishParams();
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
    case 'Comment': return runComment(stmt, dc);
    case 'Truncate': return runTruncate(stmt, dc);
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

