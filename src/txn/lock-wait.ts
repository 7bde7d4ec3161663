/**
 * Lock waits. Statements run synchronously; when one meets a row or table held by another active
 * transaction it throws a LockWait. The session catches it, rolls the statement back to its start,
 * waits for the holder to finish (after a deadlock check), and re-runs the statement. Under READ
 * COMMITTED the re-run takes a new snapshot, which gives PostgreSQL's behaviour for concurrent
 * UPDATEs (the second updater waits and then sees the first one's result); under REPEATABLE READ
 * and SERIALIZABLE the re-run finds the committed newer version and fails with 40001.
 */
import { DbError } from '../errors/index.ts';
import type { Txn } from './txn.ts';

export class LockWait {
  readonly holder: Txn;
  readonly what: string;

  constructor(holder: Txn, what: string) {
    this.holder = holder;
    this.what = what;
  }
}

export function isLockWait(e: unknown): e is LockWait {
  return e instanceof LockWait;
}

/**
 * Records that `waiter` waits for `holder`, failing with 40P01 if that closes a cycle in the
 * wait-for graph. Each transaction waits for at most one other, so the graph is a set of chains.
 */
export function beginWait(waiter: Txn, holder: Txn): void {
  let cur: Txn | null = holder;
  let steps = 0;
  while (cur !== null) {
    if (cur === waiter) {
      throw new DbError('deadlock_detected', 'deadlock detected', {
        detail: `Process waiting for transaction ${holder.id}; transaction ${holder.id} waits for ` +
          `transaction ${waiter.id}.`,
        hint: 'See server log for query details.',
      });
    }
    cur = cur.waitingFor;
    if (++steps > 1_000_000) break;
  }
  waiter.waitingFor = holder;
}

export function endWait(waiter: Txn): void {
  waiter.waitingFor = null;
}
