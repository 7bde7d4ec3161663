/**
 * The embedded API: `Oxibase.open(dsn)` returns a database handle whose `query`/`exec` run on a
 * default session; `session()` opens independent sessions; `transaction(fn)` runs `fn` in its own
 * session inside BEGIN ... COMMIT (ROLLBACK if it throws).
 */
import { DbError } from '../errors/index.ts';
import { createNodeEnv, type Env } from '../env/index.ts';
import { Database } from '../engine/database.ts';
import type { Session as EngineSession } from '../engine/session.ts';
import { fieldsOf, toArrays, toQueryResult } from './results.ts';
import { findRelation, listRelations } from './describe.ts';
import type {
  FieldInfo, Queryable, QueryResult, RelationDescription, Session, TransactionOptions,
} from './types.ts';

export interface OpenOptions {
  /** The environment (clock, randomness, files...); defaults to the real Node environment. */
  readonly env?: Env;
  /** Session user for sessions opened through this handle. */
  readonly user?: string;
  /** Database name reported by current_database(). */
  readonly database?: string;
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
    return this.inner.run(async () => {
      const results = await this.inner.execute(sql, params);
      const last = results[results.length - 1];
      if (last === undefined) {
        return { rows: [], fields: [], rowCount: 0, command: '', commandTag: '', notices: [...this.inner.notices] };
      }
      return toQueryResult<R>(last, this.inner, this.inner.notices);
    });
  }

  exec(sql: string): Promise<QueryResult[]> {
    return this.inner.run(async () => {
      const out: QueryResult[] = [];
      // Run statement by statement so notices attach to the statement that raised them.
      for (const p of this.inner.parse(sql)) {
        const r = await this.inner.executeStatement(p.stmt, sql.slice(p.start, p.end), []);
        out.push(toQueryResult(r, this.inner, this.inner.notices));
      }
      return out;
    });
  }

  queryArrays(sql: string, params: readonly unknown[] = []): Promise<{ rows: unknown[][]; fields: readonly FieldInfo[]; rowCount: number; command: string }> {
    return this.inner.run(async () => {
      const results = await this.inner.execute(sql, params);
      const last = results[results.length - 1];
      if (last === undefined) return { rows: [], fields: [], rowCount: 0, command: '' };
      return { rows: toArrays(last, this.inner), fields: fieldsOf(last), rowCount: last.rowCount, command: last.command };
    });
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
    const kind = parseDsn(dsn);
    if (kind !== 'memory') {
      throw new DbError('feature_not_supported',
        `file databases are not available yet (${dsn}); use memory:// until durability lands`);
    }
    const engine = new Database({ env, name: options.database ?? 'oxibase', user: options.user ?? 'oxibase' });
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

  queryArrays(sql: string, params?: readonly unknown[]): ReturnType<Queryable['queryArrays']> {
    return this.main.queryArrays(sql, params);
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

function parseDsn(dsn: string): 'memory' | 'file' {
  const d = dsn.trim();
  if (d === 'memory://' || d === 'memory:' || d === ':memory:' || d === 'memory') return 'memory';
  return 'file';
}
