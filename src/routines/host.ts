/**
 * RoutineHost over a Session: what a routine body sees of its caller. Statements run synchronously
 * in the session's current transaction (so a caller's rollback undoes them), through the normal
 * statement executor and the session's plan cache; subtransactions are savepoint marks; log()
 * becomes a NoticeResponse and a row of the in-memory routine log.
 *
 * Invariants:
 * - One host per session (stable identity, so languages may cache prepared statements per host).
 * - A statement run by a routine never commits; transaction control is allowed only where the
 *   caller made the host non-atomic (CALL outside a transaction block), see src/routines/call.ts.
 */
import { DbError } from '../errors/index.ts';
import { parse } from '../sql/index.ts';
import type { Statement } from '../sql/ast.ts';
import type { SqlType } from '../types/sql-type.ts';
import type { TypeContext } from '../types/context.ts';
import type { Env } from '../env/index.ts';
import type { ExecContext } from '../exec/exec-context.ts';
import type {
  HostPrepared, HostQueryResult, LogLevel, RoutineHost,
} from '../scripting/language.ts';
import type { Session } from '../engine/session.ts';
import { commandName, executeStatement } from '../engine/statement-exec.ts';
import { appendRoutineLog } from './routine-log.ts';
import { describeStatement } from './describe.ts';
import { engineTypeOf } from './values.ts';

const hosts = new WeakMap<Session, SessionRoutineHost>();

/** Statements a STABLE / IMMUTABLE routine may run (PostgreSQL rejects writes there, 0A000). */
const READ_ONLY_KINDS: ReadonlySet<Statement['kind']> = new Set<Statement['kind']>([
  'Select', 'SetOperation', 'Values', 'Show', 'Explain',
]);

export function hostFor(session: Session): SessionRoutineHost {
  let h = hosts.get(session);
  if (h === undefined) hosts.set(session, (h = new SessionRoutineHost(session)));
  return h;
}

/** Transaction control a CALL outside a transaction block lets its procedure use. */
export interface NonAtomicControl {
  commit(): void;
  rollback(): void;
}

export class SessionRoutineHost implements RoutineHost {
  readonly session: Session;
  /** Routine frames currently on the stack (src/routines/invoke.ts enforces the limit). */
  depth = 0;
  /** The execution context of the innermost statement that called a routine (cancel checks). */
  current: ExecContext | null = null;
  /** Qualified name of the innermost running routine (the routine log's `routine`). */
  routine: string | null = null;
  /** Volatility of the innermost running routine: STABLE / IMMUTABLE ones may not write. */
  volatility: 'immutable' | 'stable' | 'volatile' = 'volatile';
  /** Set by CALL for a procedure that may COMMIT / ROLLBACK; null = atomic context. */
  nonAtomic: NonAtomicControl | null = null;
  private readonly parsed = new Map<string, readonly { stmt: Statement; text: string }[]>();

  constructor(session: Session) {
    this.session = session;
  }

  get env(): Env {
    return this.session.db.env;
  }

  get types(): TypeContext {
    // The running statement's context (hot: languages convert every value through it).
    return this.current?.types ?? this.session.typeContext(this.session.txn);
  }

  query(sql: string, params: readonly unknown[] = [], paramTypes: readonly SqlType[] = []): HostQueryResult {
    const stmts = this.parseText(sql);
    if (stmts.length === 0) return { command: 'EMPTY', rowCount: 0, fields: [], rows: [] };
    if (params.length > 0 && stmts.length > 1) {
      throw new DbError('syntax_error', 'cannot insert multiple commands into a prepared statement');
    }
    const types = params.map((v, i) => paramTypes[i] ?? (typeof v === 'string' || v === null ? null : engineTypeOf(v)));
    let last: HostQueryResult | null = null;
    for (const s of stmts) last = this.run(s.stmt, s.text, params, types, null);
    return last!;
  }

  private parseText(sql: string): readonly { stmt: Statement; text: string }[] {
    let hit = this.parsed.get(sql);
    if (hit === undefined) {
      hit = parse(sql).map((p) => ({ stmt: p.stmt, text: sql.slice(p.start, p.end) }));
      // Bounded: scripts that build SQL text dynamically must not grow the session without limit.
      if (this.parsed.size >= 256) this.parsed.delete(this.parsed.keys().next().value!);
      this.parsed.set(sql, hit);
    }
    return hit;
  }

  prepare(sql: string, paramTypes: readonly SqlType[] = []): HostPrepared {
    return this.prepareWith(sql, paramTypes, null);
  }

  prepareNamed(sql: string, paramTypes: readonly SqlType[], argNames: readonly (string | null)[], routineName?: string): HostPrepared {
    const names = new Map<string, number>();
    argNames.forEach((n, i) => { if (n !== null && !names.has(n)) names.set(n, i); });
    return this.prepareWith(sql, paramTypes, names.size === 0 ? null : { routine: routineName ?? '', names });
  }

  private prepareWith(sql: string, paramTypes: readonly SqlType[], paramNames: ExecParamNames): HostPrepared {
    // Parsed once here, not through the session's parse cache: the AST is the plan-cache key, and
    // statements of routines with different argument names must not share plans.
    const stmts = parse(sql);
    if (stmts.length !== 1) {
      throw new DbError('syntax_error', 'cannot insert multiple commands into a prepared statement');
    }
    const stmt = stmts[0]!.stmt;
    const text = sql.slice(stmts[0]!.start, stmts[0]!.end);
    const host = this;
    let described: ReturnType<typeof describeStatement> | null = null;
    const describe = (): ReturnType<typeof describeStatement> =>
      (described ??= describeStatement(host.session, stmt, paramTypes, paramNames));
    return {
      get fields() { return describe().fields; },
      get paramTypes() { return describe().paramTypes; },
      run: (params) => host.run(stmt, text, params, paramTypes, paramNames),
    };
  }

  /** Runs one parsed statement in the current transaction. */
  run(stmt: Statement, text: string, params: readonly unknown[], paramTypes: readonly (SqlType | null)[],
    paramNames: ExecParamNames): HostQueryResult {
    this.checkInterrupt();
    if (stmt.kind === 'Transaction') return this.transactionControl(stmt);
    if (this.volatility !== 'volatile' && !READ_ONLY_KINDS.has(stmt.kind)) {
      throw new DbError('feature_not_supported', `${commandName(stmt)} is not allowed in a non-volatile function`);
    }
    const txn = this.session.txn;
    if (txn === null) throw new DbError('internal_error', 'routine statement outside a transaction');
    const r = executeStatement(stmt, {
      session: this.session, txn, text, params, execute: null, paramTypes: paramTypes.slice(),
      engineParams: true, paramNames,
    });
    return {
      command: r.command,
      rowCount: r.rowCount,
      fields: (r.columns ?? []).map((c) => ({ name: c.name, type: c.type })),
      rows: r.rows ?? [],
    };
  }

  /** PL/pgSQL's COMMIT statement (its TransactionControlHost). */
  commit(chain: boolean): void {
    this.endTransaction('commit', chain);
  }

  /** PL/pgSQL's ROLLBACK statement. */
  rollback(chain: boolean): void {
    this.endTransaction('rollback', chain);
  }

  private endTransaction(action: 'commit' | 'rollback', chain: boolean): void {
    const ctl = this.nonAtomic;
    if (ctl === null || this.depth > 1) {
      throw new DbError('invalid_transaction_termination', 'invalid transaction termination');
    }
    if (chain) throw new DbError('feature_not_supported', `${action.toUpperCase()} AND CHAIN is not supported inside a procedure`);
    if (action === 'commit') ctl.commit(); else ctl.rollback();
  }

  private transactionControl(stmt: Extract<Statement, { kind: 'Transaction' }>): HostQueryResult {
    if ((stmt.action === 'commit' || stmt.action === 'rollback') && !stmt.chain) {
      this.endTransaction(stmt.action, false);
      return { command: stmt.action.toUpperCase(), rowCount: 0, fields: [], rows: [] };
    }
    throw new DbError('feature_not_supported',
      `${stmt.action.replace('_', ' ').toUpperCase()} is not allowed inside a routine; use a subtransaction (exception block)`);
  }

  log(level: LogLevel, message: string, detail?: { sqlstate?: string; hint?: string; detail?: string }): void {
    const severity = level === 'warning' ? 'WARNING' : level === 'info' ? 'INFO' : level === 'notice' ? 'NOTICE' : null;
    // PostgreSQL sends DEBUG/LOG to the server log only (client_min_messages = notice).
    if (severity !== null) this.session.notice(severity, detail?.sqlstate ?? '00000', message, detail?.detail);
    appendRoutineLog(this.session.db, {
      at: this.env.clock.nowMicros(), session: this.session.id, user: this.session.user, level, message,
      routine: this.routine,
    });
  }

  print(text: string): void {
    appendRoutineLog(this.session.db, {
      at: this.env.clock.nowMicros(), session: this.session.id, user: this.session.user, level: 'print',
      message: text, routine: this.routine,
    });
  }

  subtransaction<T>(fn: () => T): T {
    const txn = this.session.txn;
    if (txn === null) throw new DbError('internal_error', 'subtransaction outside a transaction');
    const mark = this.session.subtransactionMark(txn);
    try {
      return fn();
    } catch (e) {
      this.session.rollbackSubtransaction(txn, mark);
      throw e;
    }
  }

  checkInterrupt(): void {
    // Cancel, terminate and statement_timeout of the statement that called the routine.
    this.current?.checkInterrupts();
  }
}

type ExecParamNames = { readonly routine: string; readonly names: ReadonlyMap<string, number> } | null;
