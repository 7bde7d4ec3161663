/**
 * A RoutineHost over a real Oxibase session, for testing PL/pgSQL without the engine's routine
 * wiring: the session sits in an open transaction block; query/prepare run statements through the
 * session's synchronous statement executor (and so its plan cache); subtransactions are
 * SAVEPOINT / ROLLBACK TO / RELEASE; log and print collect into arrays.
 *
 * Parameters arrive in engine representation and travel as text with their declared types (the
 * API's parameter path converts text through each type's input function, exactly).
 */
import { Database } from '../../src/engine/database.ts';
import type { Session } from '../../src/engine/session.ts';
import { executeStatement } from '../../src/engine/statement-exec.ts';
import { createSimEnv } from '../../src/env/index.ts';
import type {
  FieldInfo, HostPrepared, HostQueryResult, LogLevel, RoutineHost, RoutineSource, CompiledRoutine, TriggerCall,
} from '../../src/scripting/language.ts';
import type { TypeContext } from '../../src/types/context.ts';
import type { SqlType } from '../../src/types/sql-type.ts';
import { outputFunction } from '../../src/types/text-io.ts';
import { plpgsqlLanguage } from '../../src/plpgsql/index.ts';
import { DbError as DbErrorClass } from '../../src/errors/index.ts';
import type { Statement } from '../../src/sql/ast.ts';

export interface LogEntry {
  readonly level: LogLevel;
  readonly message: string;
  readonly detail?: { sqlstate?: string; hint?: string; detail?: string };
}

export class SessionHost implements RoutineHost {
  readonly db: Database;
  readonly session: Session;
  readonly logs: LogEntry[] = [];
  readonly printed: string[] = [];
  private savepointSeq = 0;
  private typesMemo: TypeContext | null = null;

  private constructor(db: Database, session: Session) {
    this.db = db;
    this.session = session;
  }

  /** A fresh in-memory database with a session inside BEGIN. */
  static async open(setupSql = ''): Promise<SessionHost> {
    const db = new Database({ env: createSimEnv({ seed: 1 }) });
    const session = db.newSession();
    if (setupSql !== '') await session.execute(setupSql);
    await session.execute('BEGIN');
    return new SessionHost(db, session);
  }

  get env(): Database['env'] {
    return this.db.env;
  }

  get types(): TypeContext {
    return this.typesMemo ??= this.session.typeContext(this.session.txn);
  }

  query(sql: string, params: readonly unknown[] = [], paramTypes: readonly SqlType[] = []): HostQueryResult {
    const parsed = this.session.parse(sql);
    if (parsed.length !== 1) throw new Error(`host.query expects one statement, got ${parsed.length}`);
    return this.run(parsed[0]!.stmt, sql, params, paramTypes);
  }

  prepare(sql: string, paramTypes: readonly SqlType[] = []): HostPrepared {
    const parsed = this.session.parse(sql);
    if (parsed.length !== 1) throw new Error(`host.prepare expects one statement, got ${parsed.length}`);
    const stmt = parsed[0]!.stmt;
    let fields: readonly FieldInfo[] = [];
    const run = (params: readonly unknown[]): HostQueryResult => {
      const r = this.run(stmt, sql, params, paramTypes);
      fields = r.fields;
      return r;
    };
    // Fields of the last run: binding without running is the engine host's job.
    return { get fields() { return fields; }, paramTypes, run };
  }

  private run(stmt: Statement, sql: string, params: readonly unknown[], paramTypes: readonly SqlType[]): HostQueryResult {
    const types = this.types;
    const texts = params.map((v, i) => {
      const t = paramTypes[i];
      return v === null || v === undefined || t === undefined ? v : outputFunction(t)(v, types);
    });
    const r = executeStatement(stmt, {
      session: this.session, txn: this.session.txn!, text: sql, params: texts, execute: null, paramTypes: paramTypes.slice(),
    });
    const fields = (r.columns ?? []).map((c) => ({ name: c.name, type: c.type }));
    return { command: r.command, rowCount: r.rowCount, fields, rows: r.rows ?? [] };
  }

  log(level: LogLevel, message: string, detail?: { sqlstate?: string; hint?: string; detail?: string }): void {
    this.logs.push(detail === undefined || Object.keys(detail).length === 0 ? { level, message } : { level, message, detail });
  }

  print(text: string): void {
    this.printed.push(text);
  }

  subtransaction<T>(fn: () => T): T {
    const name = `plpgsql_sp_${++this.savepointSeq}`;
    this.control(`SAVEPOINT ${name}`);
    try {
      const r = fn();
      this.control(`RELEASE SAVEPOINT ${name}`);
      return r;
    } catch (e) {
      this.control(`ROLLBACK TO SAVEPOINT ${name}`);
      this.control(`RELEASE SAVEPOINT ${name}`);
      throw e;
    }
  }

  /** Savepoint statements complete synchronously in Session's transaction control. */
  private control(sql: string): void {
    const stmt = this.session.parse(sql)[0]!.stmt;
    const r = this.session.executeStatement(stmt, sql, []);
    if (r instanceof Promise) throw new Error(`${sql} did not complete synchronously`);
  }

  checkInterrupt(): void {}

  /** Rows of a query as plain objects with engine values (for assertions). */
  rows(sql: string): Record<string, unknown>[] {
    const r = this.query(sql);
    return r.rows.map((row) => Object.fromEntries(r.fields.map((f, i) => [f.name, row[i]])));
  }

  /** Runs a call in a subtransaction so that a failing call leaves no partial writes behind. */
  isolated<T>(fn: () => T): T {
    return this.subtransaction(fn);
  }
}

/** A RoutineSource with defaults: a function of no arguments returning `returnType`. */
export function source(body: string, over: Partial<RoutineSource> = {}): RoutineSource {
  return {
    name: 'public.f', language: 'plpgsql', body, argNames: [], argTypes: [], returnType: null, returnsSet: false,
    outColumns: null, isTrigger: false, isProcedure: false, limits: { cpuMillis: 0, memoryBytes: 0 }, ...over,
  };
}

export function compile(body: string, over: Partial<RoutineSource> = {}): CompiledRoutine {
  return plpgsqlLanguage.compile(source(body, over));
}

/** A trigger event on `table` with the given row images (columns read from the table). */
export function triggerCall(host: SessionHost, table: string, op: TriggerCall['op'],
  rows: { old?: unknown[] | null; new?: unknown[] | null }, over: Partial<TriggerCall> = {}): TriggerCall {
  const columns = host.query(`SELECT * FROM ${table} LIMIT 0`).fields;
  return {
    name: 'trg', when: 'BEFORE', level: 'ROW', op, tableSchema: 'public', tableName: table, columns,
    oldRow: rows.old ?? null, newRow: rows.new ?? null, args: [], ...over,
  };
}

/** Runs `fn`, which must throw a DbError with SQLSTATE `code` (and matching message). */
export function throwsCode(fn: () => unknown, code: string, message?: string | RegExp): import('../../src/errors/index.ts').DbError {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof DbErrorClass)) throw e;
    if (e.code !== code) throw new Error(`expected ${code}, got ${e.code}: ${e.message}`);
    if (typeof message === 'string' && e.message !== message) throw new Error(`message: ${e.message}`);
    if (message instanceof RegExp && !message.test(e.message)) throw new Error(`message: ${e.message}`);
    return e;
  }
  throw new Error(`expected an error ${code}`);
}
