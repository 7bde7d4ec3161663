/**
 * The asynchronous waits of a running statement, all interruptible (src/exec/interrupts.ts):
 * resuming a query that yielded its time slice, and waiting for the holder of a row or table
 * lock. Cancel, terminate and statement_timeout end them with the error PostgreSQL gives.
 */
import { DbError } from '../errors/index.ts';
import type { Timers, TimerHandle } from '../env/index.ts';
import { interruptError, timeoutError, type Interrupts } from '../exec/interrupts.ts';
import { isSuspension, type Suspension } from '../exec/suspension.ts';
import type { Statement } from '../sql/ast.ts';
import type { SqlType } from '../types/sql-type.ts';
import type { Txn } from '../txn/txn.ts';
import { beginWait, endWait, isLockWait, rowHolder } from '../txn/lock-wait.ts';
import { toDbError } from '../errors/index.ts';
import type { StatementResult } from './dml/statement-env.ts';
import type { Mark, Session } from './session.ts';
import { durationMs } from './settings.ts';
import { executeStatement, type StatementContext } from './statement-exec.ts';

/** How Session.runInTxn's synchronous first attempt ended when the general path takes over. */
export type FirstAttempt = { readonly mark: Mark; readonly error: unknown } | { readonly mark: Mark; readonly result: StatementResult };

/**
 * Continues a query that yielded: one event-loop turn at a time, so other connections run and a
 * cancel can arrive; returns its result once its rows are complete.
 */
export async function resumeSuspended(s: Suspension, ix: Interrupts, timers: Timers): Promise<unknown> {
  try {
    for (;;) {
      await new Promise<void>((resolve) => { timers.nextTurn(resolve); });
      ix.poll();
      ix.startSlice();
      try {
        return s.finish!(s.step());
      } catch (e) {
        if (e !== s) throw e;
      }
    }
  } finally {
    s.abandon();
  }
}

/** Waits for a lock holder to finish; lock_timeout (ms, 0 = none), statement_timeout and cancel end the wait. */
export async function waitForHolder(done: Promise<void>, lockMs: number, ix: Interrupts, timers: Timers): Promise<void> {
  ix.poll();
  const statementMs = ix.remainingMs();
  const limitMs = lockMs > 0 ? Math.min(lockMs, statementMs) : statementMs;
  let handle: TimerHandle | null = null;
  const stop = new Promise<never>((_, reject) => {
    if (limitMs !== Infinity) {
      const err = lockMs > 0 && lockMs <= statementMs
        ? new DbError('lock_not_available', 'canceling statement due to lock timeout') : timeoutError();
      handle = timers.after(() => reject(err), Math.max(0, limitMs));
    }
    ix.wake = () => reject(interruptError(ix.reason ?? 'cancel'));
  });
  // The holder usually finishes first: keep the losing promise from reporting an unhandled rejection.
  stop.catch(() => undefined);
  try {
    await Promise.race([done, stop]);
  } finally {
    ix.wake = null;
    if (handle !== null) timers.cancel(handle);
  }
}

/**
 * The general path of Session.runInTxn, starting from the outcome of its synchronous first
 * attempt: resumes a suspended query, waits out pg_sleep, and after a lock wait (deadlock check,
 * lock_timeout) rolls the statement back to its start and runs it again.
 */
export async function runStatementAsync(
  session: Session, stmt: Statement, text: string, params: readonly unknown[], execute: Extract<Statement, { kind: 'Execute' }> | null,
  paramTypes: (SqlType | null)[], implicit: boolean, txn: Txn, first: FirstAttempt | null,
): Promise<StatementResult> {
  for (;;) {
    const mark = first?.mark ?? session.mark(txn);
    let result: StatementResult;
    try {
      const ix = session.interrupts;
      if (first !== null) {
        const f = first;
        first = null;
        if ('error' in f) {
          if (!isSuspension(f.error)) throw f.error;
          result = await resume(session, f.error);
        } else {
          result = f.result;
        }
      } else {
        const sc: StatementContext = { session, txn, text, params, execute, paramTypes };
        ix.suspendable = ix.sliceMs > 0;
        ix.sleepMs = 0; // a statement re-run after a lock wait sleeps once
        try {
          result = executeStatement(stmt, sc);
        } catch (e) {
          if (!isSuspension(e)) throw e;
          result = await resume(session, e);
        }
      }
      // pg_sleep: the statement computed its result; now it waits, without blocking others.
      if (ix.sleepMs > 0) {
        const ms = ix.sleepMs;
        ix.sleepMs = 0;
        await ix.sleep(ms, session.db.env.timers);
      }
    } catch (e) {
      if (session.txn !== txn) {
        // A procedure committed (src/routines/call.ts): what it committed stays; the
        // transaction it was running in is rolled back whole.
        if (session.txn !== null) session.abortTxn(session.txn);
        throw toDbError(e);
      }
      session.rollbackTo(txn, mark);
      if (isLockWait(e)) {
        // Wait for the holder; if another waiter took the row meanwhile, wait for that one.
        for (let holder: Txn | null = e.holder; holder !== null && holder.isActive;) {
          try {
            beginWait(txn, holder);
          } catch (dl) {
            session.failStatement(txn, implicit);
            throw dl;
          }
          try {
            await waitFor(session, holder.done);
          } catch (timeout) {
            endWait(txn);
            session.failStatement(txn, implicit);
            throw timeout;
          }
          endWait(txn);
          holder = e.slot === null ? null : rowHolder(e.slot, txn);
        }
        continue;
      }
      session.failStatement(txn, implicit);
      throw toDbError(e);
    }
    // Outside the statement's error handling: a failed commit aborts the whole transaction.
    // A procedure that committed runs on in a new transaction: commit that one.
    if (implicit && session.txn !== null) await session.commitTxn(session.txn);
    return result;
  }
}

function resume(session: Session, s: Suspension): Promise<StatementResult> {
  return resumeSuspended(s, session.interrupts, session.db.env.timers) as Promise<StatementResult>;
}

function waitFor(session: Session, done: Promise<void>): Promise<void> {
  return waitForHolder(done, durationMs(session.setting('lock_timeout') ?? '0') ?? 0, session.interrupts, session.db.env.timers);
}
