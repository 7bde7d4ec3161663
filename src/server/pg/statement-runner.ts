/**
 * Runs one statement for a connection with PostgreSQL's transaction semantics on top of the
 * engine session:
 * - Implicit transaction blocks: the statements of one multi-statement Query, and the Executes
 *   of one extended-protocol batch up to Sync, run in a single transaction (the engine commits
 *   each statement on its own outside a block). The block is an engine BEGIN that the server
 *   ends with COMMIT (or ROLLBACK after an error); a BEGIN inside it turns it into an explicit
 *   block, as in PostgreSQL.
 * - LISTEN / UNLISTEN / NOTIFY are handled here (the engine does not execute them); notifications
 *   sent inside a transaction are delivered when it commits and dropped when it rolls back.
 * - A pending CancelRequest fails the next statement with 57014.
 *
 * Invariant: `implicitBlock` is true only while the session is inside the BEGIN this file issued.
 */
import { DbError } from '../../errors/index.ts';
import type { Statement, TransactionStmt } from '../../sql/ast.ts';
import type { SqlType } from '../../types/sql-type.ts';
import { resultOf, type StatementResult } from '../../engine/dml/statement-env.ts';
import type { PgConnection } from './connection.ts';

export class StatementRunner {
  private readonly conn: PgConnection;
  /** Inside a BEGIN issued by the server for an implicit transaction block. */
  implicitBlock = false;
  /** NOTIFYs of the open transaction, delivered at commit. */
  private pendingNotifies: { channel: string; payload: string }[] = [];

  constructor(conn: PgConnection) {
    this.conn = conn;
  }

  /** Opens an implicit block when the session is idle (before a batch's first statement). */
  async beginImplicit(): Promise<void> {
    const s = this.conn.session!;
    if (this.implicitBlock || s.txn !== null) return;
    await s.execute('BEGIN');
    this.implicitBlock = true;
  }

  /** Ends an implicit block: COMMIT, or ROLLBACK when `failed` or the block failed. */
  async endImplicit(failed: boolean): Promise<void> {
    if (!this.implicitBlock) return;
    this.implicitBlock = false;
    const s = this.conn.session!;
    if (s.txn === null) return;
    await this.finish(failed || s.failed ? 'ROLLBACK' : 'COMMIT');
  }

  private async finish(sql: 'COMMIT' | 'ROLLBACK'): Promise<void> {
    const s = this.conn.session!;
    await s.execute(sql);
    s.notices = [];
    this.afterTransactionEnd(sql === 'COMMIT');
  }

  async run(stmt: Statement, text: string, params: readonly unknown[], paramTypes: (SqlType | null)[]): Promise<StatementResult> {
    if (this.conn.cancelRequested) {
      this.conn.cancelRequested = false;
      throw new DbError('query_canceled', 'canceling statement due to user request');
    }
    this.conn.lastQuery = text;
    this.conn.queryStartMicros = this.conn.server.env.clock.nowMicros();
    const s = this.conn.session!;
    switch (stmt.kind) {
      case 'Transaction':
        return this.transaction(stmt, text);
      case 'Listen': case 'Unlisten': case 'Notify':
        if (s.failed) {
          throw new DbError('in_failed_sql_transaction', 'current transaction is aborted, commands ignored until end of transaction block');
        }
        return this.listenNotify(stmt);
      default: {
        const r = await s.executeStatement(stmt, text, params, paramTypes);
        // pg_notify in a statement that committed on its own.
        if (s.txn === null && this.pendingNotifies.length > 0) this.afterTransactionEnd(true);
        return r;
      }
    }
  }

  private async transaction(stmt: TransactionStmt, text: string): Promise<StatementResult> {
    const s = this.conn.session!;
    if (this.implicitBlock && (stmt.action === 'begin' || stmt.action === 'start')) {
      // BEGIN inside an implicit block makes it explicit: the client now owns it.
      this.implicitBlock = false;
      if (stmt.modes) s.setTransactionModes(stmt.modes.isolation ?? null, stmt.modes.readOnly ?? null);
      return resultOf(stmt.action === 'begin' ? 'BEGIN' : 'START TRANSACTION', 0);
    }
    if (this.implicitBlock) this.implicitBlock = false;
    const wasFailed = s.failed;
    const r = await s.executeStatement(stmt, text, []);
    if (s.txn === null && (stmt.action === 'commit' || stmt.action === 'rollback')) {
      this.afterTransactionEnd(stmt.action === 'commit' && !wasFailed);
    }
    return r;
  }

  private listenNotify(stmt: Extract<Statement, { kind: 'Listen' | 'Unlisten' | 'Notify' }>): StatementResult {
    const conn = this.conn;
    switch (stmt.kind) {
      case 'Listen':
        conn.channels.add(stmt.channel);
        return resultOf('LISTEN', 0);
      case 'Unlisten':
        if (stmt.channel === null) conn.channels.clear();
        else conn.channels.delete(stmt.channel);
        return resultOf('UNLISTEN', 0);
      case 'Notify': {
        const payload = stmt.payload ?? '';
        if (conn.session!.txn !== null) this.pendingNotifies.push({ channel: stmt.channel, payload });
        else conn.server.notify(conn.pid, stmt.channel, payload);
        return resultOf('NOTIFY', 0);
      }
    }
  }

  /** pg_notify: like NOTIFY, delivered when the running statement's transaction commits. */
  queueNotify(channel: string, payload: string): void {
    this.pendingNotifies.push({ channel, payload });
  }

  /** After COMMIT / ROLLBACK (or an aborted implicit transaction). */
  afterTransactionEnd(committed: boolean): void {
    const pending = this.pendingNotifies;
    if (pending.length === 0) return;
    this.pendingNotifies = [];
    if (!committed) return;
    const seen = new Set<string>();
    for (const n of pending) {
      // PostgreSQL folds duplicate (channel, payload) pairs of one transaction.
      const key = `${n.channel}\u0000${n.payload}`;
      if (seen.has(key)) continue;
      seen.add(key);
      this.conn.server.notify(this.conn.pid, n.channel, n.payload);
    }
  }

  /** An implicit (single-statement) transaction failed or the session went idle: drop NOTIFYs. */
  syncIdle(): void {
    if (this.conn.session?.txn === null && this.pendingNotifies.length > 0 && !this.implicitBlock) {
      this.pendingNotifies = [];
    }
  }
}
