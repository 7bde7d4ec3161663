/**
 * The embedded API: `Oxibase.open(dsn)` returns a database handle whose `query`/`exec` run on a
 * default session; `session()` opens independent sessions; `transaction(fn)` runs `fn` in its own
 * session inside BEGIN ... COMMIT (ROLLBACK if it throws).
 */
import { DbError } from '../errors/index.ts';
import { createNodeEnv, type Env } from '../env/index.ts';
import { Database } from '../engine/database.ts';
import { planScript, runScript } from '../engine/shaped-script.ts';
import { openDurable } from '../engine/durable.ts';
import type { Session as EngineSession } from '../engine/session.ts';
import { fieldsOf, toArrays, toQueryResult } from './results.ts';
import { findRelation, listRelations } from './describe.ts';
import type {
  ArrayResult, PreparedStatement, Queryable, QueryResult, RelationDescription, Session, TransactionOptions,
} from './types.ts';
import type { StatementResult } from '../engine/dml/statement-env.ts';
import type { Statement } from '../sql/ast.ts';
import { onlyStatement } from '../sql/index.ts';

export interface OpenOptions {
  /** The environment (clock, randomness, files...); defaults to the real Node environment. */
  readonly env?: Env;
  /** Session user for sessions opened through this handle. */
  readonly user?: string;
  /** Database name reported by current_database(). */
  readonly database?: string;
  /** File databases: `full` (default; ack after fsync), `normal` (fsync every syncIntervalMs), `off`. */
  readonly syncMode?: 'full' | 'normal' | 'off';
  /** `normal` mode: the longest time between fsyncs (the loss window on an OS crash). */
  readonly syncIntervalMs?: number;
  /** File databases: start a background checkpoint after this many WAL bytes (default 64 MiB). */
  readonly checkpointEveryBytes?: number;
  /** File databases: WAL segment size (default 16 MiB). */
  readonly segmentBytes?: number;
  /** History kept for AS OF queries, in ms (SET history_retention changes it too). */
  readonly historyRetentionMs?: number;
}

/**
 * Applies `f` to a value that may still be pending, without a promise hop when it is not. `arg`
 * is passed on to `f`, so a hot caller needs no closure to carry it.
 */
function then<T, U, A = undefined>(v: T | Promise<T>, f: (x: T, arg: A) => U, arg?: A): U | Promise<U> {
  return v instanceof Promise ? v.then((x) => f(x, arg as A)) : f(v, arg as A);
}

/** A statement result as queryArrays returns it. */
function arrayResult(r: StatementResult, inner: EngineSession): ArrayResult {
  return { rows: toArrays(r, inner), fields: fieldsOf(r), rowCount: r.rowCount, command: r.command };
}

/** Queryable.prepare's statement: the parsed statement, run on its session each time. */
class PreparedHandle implements PreparedStatement {
  readonly sql: string;
  private readonly inner: EngineSession;
  private readonly stmt: Statement;
  /** The statement's own text (without surrounding blanks and `;`), as executeSql passes it. */
  private readonly text: string;

  constructor(inner: EngineSession, sql: string, stmt: Statement, text: string) {
    this.inner = inner;
    this.sql = sql;
    this.stmt = stmt;
    this.text = text;
  }

  query<R = Record<string, unknown>>(params: readonly unknown[] = []): Promise<QueryResult<R>> {
    return this.inner.runCall(preparedObjects, this, params) as Promise<QueryResult<R>>;
  }

  queryArrays(params: readonly unknown[] = []): Promise<ArrayResult> {
    return this.inner.runCall(preparedArrays, this, params);
  }

  /** @internal The engine session it runs on. */
  get session(): EngineSession {
    return this.inner;
  }

  /** @internal Runs the statement on its session (inside the session's run). */
  execute(params: readonly unknown[]): StatementResult | Promise<StatementResult> {
    this.inner.checkOpen();
    return this.inner.executeStatement(this.stmt, this.text, params);
  }
}

// PreparedHandle's runs, as plain functions of (handle, params): no closures per execution.
function preparedObjects(h: PreparedHandle, params: readonly unknown[]): QueryResult | Promise<QueryResult> {
  return then(h.execute(params), sessionQueryResult, h.session);
}

function preparedArrays(h: PreparedHandle, params: readonly unknown[]): ArrayResult | Promise<ArrayResult> {
  return then(h.execute(params), arrayResult, h.session);
}

/** A statement result as query returns it, with the session's notices. */
function sessionQueryResult(r: StatementResult, inner: EngineSession): QueryResult {
  return toQueryResult(r, inner, inner.notices);
}

/** Parses the one statement of `sql` for prepare (a syntax error fails an open block, as any). */
function prepareOn(inner: EngineSession, sql: string): PreparedStatement {
  inner.checkOpen();
  const p = onlyStatement(sql, inner.parse(sql));
  return new PreparedHandle(inner, sql, p.stmt, sql.slice(p.start, p.end));
}

class SessionHandle implements Session {
  readonly inner: EngineSession;

  constructor(inner: EngineSession) {
    this.inner = inner;
  }

  get transactionStatus(): Session['transactionStatus'] {
    return this.inner.transactionStatus;
  }

  query<R = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
    return this.inner.run(() => then(this.inner.executeSql(sql, params), (results): QueryResult<R> => {
      const last = results[results.length - 1];
      if (last === undefined) {
        return { rows: [], fields: [], rowCount: 0, command: '', commandTag: '', notices: [...this.inner.notices] };
      }
      return toQueryResult<R>(last, this.inner, this.inner.notices);
    }));
  }

  exec(sql: string): Promise<QueryResult[]> {
    return this.inner.run(() => {
      const inner = this.inner;
      inner.checkOpen();
      // Each statement's result with its own notices (the next statement starts a new list).
      return runScript(inner, sql, planScript(inner, sql), (r) => toQueryResult(r, inner, inner.notices));
    });
  }

  queryArrays(sql: string, params: readonly unknown[] = []): Promise<ArrayResult> {
    return this.inner.run(() => then(this.inner.executeSql(sql, params), (results) => {
      const last = results[results.length - 1];
      return last === undefined ? { rows: [], fields: [], rowCount: 0, command: '' } : arrayResult(last, this.inner);
    }));
  }

  prepare(sql: string): Promise<PreparedStatement> {
    return this.inner.run(() => prepareOn(this.inner, sql));
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    const modes = [
      options.isolation ? `ISOLATION LEVEL ${options.isolation.toUpperCase()}` : '',
      options.readOnly ? 'READ ONLY' : '',
    ].filter(Boolean).join(' ');
    await this.query(`BEGIN ${modes}`);
    let result: T;
    try {
      result = await fn(this);
    } catch (e) {
      if (this.inner.txn !== null) await this.query('ROLLBACK');
      throw e;
    }
    if (this.inner.failed) {
      await this.query('ROLLBACK');
      throw new DbError('in_failed_sql_transaction', 'the transaction failed and was rolled back');
    }
    await this.query('COMMIT');
    return result;
  }

  async listRelations(kinds?: readonly RelationDescription['kind'][]): Promise<RelationDescription[]> {
    return listRelations(this.inner.catalog, this.inner.searchPath(), kinds);
  }

  async describeRelation(name: string): Promise<RelationDescription | null> {
    return findRelation(this.inner.catalog, this.inner.searchPath(), name);
  }

  close(): Promise<void> {
    return this.inner.run(() => this.inner.close());
  }
}

export class Oxibase implements Queryable {
  /** The engine instance (for the servers and tools built on top of the API). */
  readonly engine: Database;
  private readonly main: SessionHandle;
  private readonly user: string | undefined;

  private constructor(engine: Database, user: string | undefined) {
    this.engine = engine;
    this.user = user;
    this.main = new SessionHandle(engine.newSession(user));
  }

  /**
   * Opens a database. `memory://` (or `memory:`) is an in-memory database. File databases
   * (`file:///abs/dir` or a directory path) arrive with durability.
   */
  static async open(dsn = 'memory://', options: OpenOptions = {}): Promise<Oxibase> {
    const env = options.env ?? createNodeEnv();
    const dir = parseDsn(dsn);
    const engine = new Database({ env, name: options.database ?? 'oxibase', user: options.user ?? 'oxibase' });
    if (dir !== null) {
      await openDurable(engine, dir, {
        syncMode: options.syncMode, syncIntervalMs: options.syncIntervalMs,
        checkpointEveryBytes: options.checkpointEveryBytes, segmentBytes: options.segmentBytes,
        historyRetentionMs: options.historyRetentionMs,
      });
    } else if (options.historyRetentionMs !== undefined) {
      engine.txns.retentionMicros = options.historyRetentionMs * 1000;
    }
    engine.scheduler.start();
    return new Oxibase(engine, options.user);
  }

  /** Opens an independent session (own transaction state, settings, prepared statements). */
  session(): Session {
    return new SessionHandle(this.engine.newSession(this.user));
  }

  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
    return this.main.query<R>(sql, params);
  }

  exec(sql: string): Promise<QueryResult[]> {
    return this.main.exec(sql);
  }

  queryArrays(sql: string, params?: readonly unknown[]): Promise<ArrayResult> {
    return this.main.queryArrays(sql, params);
  }

  /** Prepares a statement on the database's default session (see Queryable.prepare). */
  prepare(sql: string): Promise<PreparedStatement> {
    return this.main.prepare(sql);
  }

  /** Runs `fn` in a transaction on a fresh session; commits on success, rolls back on throw. */
  async transaction<T>(fn: (tx: Queryable) => Promise<T>, options?: TransactionOptions): Promise<T> {
    const s = this.session() as SessionHandle;
    try {
      return await s.transaction(fn, options);
    } finally {
      await s.close();
    }
  }

  async close(): Promise<void> {
    await this.engine.close();
  }
}

/** The data directory a DSN names, or null for an in-memory database. */
export function parseDsn(dsn: string): string | null {
  const d = dsn.trim();
  if (d === 'memory://' || d === 'memory:' || d === ':memory:' || d === 'memory') return null;
  if (d.startsWith('file://')) {
    const path = decodeURIComponent(d.slice('file://'.length));
    if (!path.startsWith('/')) {
      throw new DbError('invalid_parameter_value', `file DSN must name an absolute path: ${dsn}`,
        { hint: 'Use file:///absolute/dir or a plain directory path.' });
    }
    return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(d)) {
    throw new DbError('invalid_parameter_value', `unsupported DSN scheme: ${dsn}`);
  }
  if (d === '') throw new DbError('invalid_parameter_value', 'empty DSN');
  return d.length > 1 && d.endsWith('/') ? d.slice(0, -1) : d;
}
