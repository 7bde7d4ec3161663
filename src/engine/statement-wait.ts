/**
 * The asynchronous waits of a running statement, all interruptible (src/exec/interrupts.ts):
 * resuming a query that yielded its time slice, and waiting for the holder of a row or table
 * lock. Cancel, terminate and statement_timeout end them with the error PostgreSQL gives.
 */
import { DbError } from '../errors/index.ts';
import type { Timers, TimerHandle } from '../env/index.ts';
import { interruptError, timeoutError, type Interrupts } from '../exec/interrupts.ts';
import type { Suspension } from '../exec/suspension.ts';

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
