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
import type { RowSlot } from '../storage/version.ts';

export class LockWait {
  readonly holder: Txn;
  readonly what: string;
  /** The row waited for, when the wait is for one row (see rowHolder). */
  readonly slot: RowSlot | null;

  constructor(holder: Txn, what: string, slot: RowSlot | null = null) {
    this.holder = holder;
    this.what = what;
    this.slot = slot;
  }
}

/**
 * The active transaction other than `txn` that holds `slot` now (its newest version's creator or
 * locker), or null. When several transactions wait for one row and its holder ends, the first
 * to re-run takes the row; the others find it here and queue behind that one instead of each
 * re-running its statement only to meet the lock again (a hot row such as pgbench's branch).
 */
export function rowHolder(slot: RowSlot, txn: Txn): Txn | null {
  const head = slot.head;
  if (head === null) return null;
  if (head.xmin !== txn && head.xmin.isActive) return head.xmin;
  const x = head.xmax;
  return x !== null && x !== txn && x.isActive ? x : null;
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
