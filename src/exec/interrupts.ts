/**
 * Interrupting a running statement (PostgreSQL's CHECK_FOR_INTERRUPTS) and letting it yield the
 * event loop.
 *
 * One `Interrupts` object belongs to a session and is shared by every ExecContext of its statements
 * (nested ones included). Hot loops of the executor call `tick()` per row: a countdown, so the
 * clock is read only every `POLL_ROWS` rows. `poll()` throws 57014 when the statement was
 * cancelled (CancelRequest, pg_cancel_backend), 57P01 when its backend is being terminated, and
 * 57014 when `statement_timeout` has passed; deadlines use the Env's monotonic clock, so tests
 * under SimEnv are deterministic.
 *
 * Yielding: execution is synchronous, so a CancelRequest arriving on another connection is only
 * seen when the event loop runs. A top-level query of a server session runs in time slices
 * (`sliceMs`): when a slice is over, `poll()` sets `yieldDue`, the next leaf scan returns the
 * `PENDING` batch instead of rows, the operators on the way up pass it on (they keep their state),
 * and the driver (`Suspension`, executor.ts) unwinds to the session, which awaits one event-loop
 * turn and resumes pulling from the same operator tree. Only plans made of operators that pass
 * PENDING on are run this way (`yieldSafe`); elsewhere (`noYield` > 0: subqueries, materialized
 * CTEs, DML) leaves never return it, and interrupts still apply through `poll()`.
 *
 * Invariant: a leaf returns PENDING at most once per `yieldDue` (it clears the flag), so an
 * operator that treated PENDING as an ordinary empty batch would lose a yield, never loop.
 */
import { DbError } from '../errors/index.ts';
import type { Clock, Timers } from '../env/index.ts';
import type { Row } from '../storage/version.ts';

/** Rows processed between two polls (one clock read per poll when a deadline is set). */
export const POLL_ROWS = 1024;

/** The batch a leaf returns instead of rows when the statement should yield (see above). */
export const PENDING: Row[] = Object.freeze([]) as unknown as Row[];

export type InterruptReason = 'cancel' | 'terminate';

export class Interrupts {
  private readonly clock: Clock;
  /** Set asynchronously (another connection, a signal): the running statement must stop. */
  reason: InterruptReason | null = null;
  /** Monotonic ms at which statement_timeout expires (Infinity: none). */
  deadlineMs = Infinity;
  /** Length of a time slice before a yieldable query yields (0: never yield). */
  sliceMs = 0;
  /** Monotonic ms at which the current slice ends. */
  yieldAtMs = Infinity;
  /** The slice is over: the next leaf that may yield returns PENDING. */
  yieldDue = false;
  /** > 0 while running something that cannot be suspended (subquery, CTE materialization, DML). */
  noYield = 0;
  /** The next top-level query may run in slices (consumed by the first statement that reads it). */
  suspendable = false;
  /** pg_sleep time requested by the running statement, slept (interruptibly) when it ends. */
  sleepMs = 0;
  /** Nesting of Session.executeStatement calls (the deadline is set by the outermost). */
  depth = 0;
  /** Wakes an interruptible wait (pg_sleep, lock wait) when an interrupt arrives. */
  wake: (() => void) | null = null;
  private countdown = POLL_ROWS;

  constructor(clock: Clock) {
    this.clock = clock;
  }

  /** Per-row check in hot loops: cheap countdown, polls every POLL_ROWS calls. */
  tick(): void {
    if (--this.countdown <= 0) this.poll();
  }

  /** tick() for `n` rows at once (loops that handle rows in blocks). */
  tickRows(n: number): void {
    this.countdown -= n;
    if (this.countdown <= 0) this.poll();
  }

  /** tick() for leaves that may yield: true when a poll just found a yield due. */
  tickDue(): boolean {
    return --this.countdown <= 0 && this.poll();
  }

  /**
   * Throws when the statement must stop; returns true when a yield is due (and the caller may
   * yield). Reads the clock only when a deadline or a slice is armed.
   */
  poll(): boolean {
    this.countdown = POLL_ROWS;
    if (this.reason !== null) throw interruptError(this.reason);
    if (this.deadlineMs !== Infinity || this.yieldAtMs !== Infinity) {
      const now = this.clock.monotonicMs();
      if (now >= this.deadlineMs) throw timeoutError();
      if (now >= this.yieldAtMs) this.yieldDue = true;
    }
    return this.yieldDue;
  }

  /** For leaves: true (and the flag cleared) when they should return PENDING now. */
  takeYield(): boolean {
    if (!this.yieldDue || this.noYield > 0) return false;
    this.yieldDue = false;
    return true;
  }

  /** Starts a new slice (after the statement yielded, or when it starts). */
  startSlice(): void {
    this.yieldDue = false;
    this.yieldAtMs = this.sliceMs > 0 ? this.clock.monotonicMs() + this.sliceMs : Infinity;
  }

  /** Called by the session when a top-level statement starts. */
  beginStatement(timeoutMs: number, suspendable: boolean): void {
    this.reason = this.reason === 'terminate' ? 'terminate' : null;
    this.deadlineMs = timeoutMs > 0 ? this.clock.monotonicMs() + timeoutMs : Infinity;
    this.suspendable = suspendable && this.sliceMs > 0;
    this.noYield = 0;
    this.sleepMs = 0;
    this.countdown = POLL_ROWS;
    this.startSlice();
  }

  /** Called when the top-level statement ended (successfully or not). */
  endStatement(): void {
    this.deadlineMs = Infinity;
    this.yieldAtMs = Infinity;
    this.yieldDue = false;
    this.suspendable = false;
    this.sleepMs = 0;
    if (this.reason === 'cancel') this.reason = null;
  }

  /** Asks the running statement to stop (from outside it: cancel, terminate). */
  interrupt(reason: InterruptReason): void {
    if (this.reason !== 'terminate') this.reason = reason;
    const w = this.wake;
    if (w !== null) { this.wake = null; w(); }
  }

  /** Milliseconds until statement_timeout (Infinity when none). */
  remainingMs(): number {
    return this.deadlineMs === Infinity ? Infinity : this.deadlineMs - this.clock.monotonicMs();
  }

  /**
   * Waits `ms` (pg_sleep), waking early for an interrupt; throws as poll() does. The wait goes
   * through the Env's timers (SimEnv drives it) in chunks of at most SLEEP_CHUNK_MS: `sleep` keeps
   * the process alive (an embedded caller awaits it) and cannot be cancelled, so a cancelled wait
   * leaves at most one short timer behind.
   */
  async sleep(ms: number, timers: Timers): Promise<void> {
    const until = this.clock.monotonicMs() + ms;
    for (;;) {
      this.poll();
      const now = this.clock.monotonicMs();
      if (now >= until) return;
      const wait = Math.max(0, Math.min(until, this.deadlineMs, now + SLEEP_CHUNK_MS) - now);
      await Promise.race([
        timers.sleep(wait),
        new Promise<void>((resolve) => { this.wake = resolve; }),
      ]);
      this.wake = null;
    }
  }
}

/** Longest timer of one pg_sleep step. */
const SLEEP_CHUNK_MS = 100;

export function interruptError(reason: InterruptReason): DbError {
  return reason === 'terminate'
    ? new DbError('admin_shutdown', 'terminating connection due to administrator command')
    : new DbError('query_canceled', 'canceling statement due to user request');
}

export function timeoutError(): DbError {
  return new DbError('query_canceled', 'canceling statement due to statement timeout');
}

/** For ExecContexts built without a session (unit tests, constant folding): never interrupts. */
export function inertInterrupts(clock: Clock): Interrupts {
  return new Interrupts(clock);
}
