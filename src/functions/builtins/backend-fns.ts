/**
 * Server process functions: pg_backend_pid, pg_cancel_backend, pg_terminate_backend, pg_notify and
 * pg_sleep (pg_sleep_for, pg_sleep_until).
 *
 * Invariants:
 *  - The backends are reached only through the EvalContext's `backend` (the session's view of the
 *    wire server's registry, src/engine/backends.ts); embedded sessions see only themselves.
 *  - pg_sleep never blocks the process: it adds to the statement's sleep, which the session waits
 *    (interruptibly, through the Env's timers) when the statement has computed its result. So
 *    `SELECT pg_sleep(1), clock_timestamp()` reads the clock before the sleep, unlike PostgreSQL.
 */
import { defineScalar, type EvalContext, type FunctionRegistry } from '../registry.ts';
import { DbError } from '../../errors/index.ts';
import { Types } from '../../types/sql-type.ts';
import type { Interval } from '../../types/interval.ts';

const { int4, bool, float8, interval, timestamptz } = Types;
const VOID = Types.void;

/** One backend as pg_stat_activity shows it. */
export interface BackendActivity {
  readonly pid: number;
  readonly user: string;
  readonly applicationName: string;
  readonly clientAddr: string | null;
  readonly clientPort: number | null;
  readonly backendStartMicros: number;
  /** active, idle, idle in transaction, idle in transaction (aborted). */
  readonly state: string;
  readonly query: string;
  readonly queryStartMicros: number | null;
  readonly xactStartMicros: number | null;
  readonly stateChangeMicros: number | null;
}

/** What a statement may know and do about server backends. */
export interface BackendControl {
  /** This session's backend pid. */
  pid(): number;
  /** Every backend (for pg_stat_activity). */
  list(): BackendActivity[];
  /**
   * Cancels the running statement of / terminates backend `pid`; false when there is none. Raises
   * 42501 when the current user may not signal it (src/engine/backends.ts).
   */
  signal(pid: number, kind: 'cancel' | 'terminate'): boolean;
  /** pg_notify: queues a notification of this session's transaction (delivered at commit). */
  notify(channel: string, payload: string): void;
}

/** The parts of the execution context these functions use (ExecContext provides them). */
interface BackendContext extends EvalContext {
  readonly backend?: BackendControl;
  readonly interrupts?: { sleepMs: number };
  readonly session?: { notice(severity: 'WARNING', message: string): void };
}

export function backendOf(ctx: EvalContext): BackendControl | null {
  return (ctx as BackendContext).backend ?? null;
}

/** Longest single sleep (PostgreSQL sleeps in chunks too; this bounds the timer). */
const SLEEP_MS_MAX = 24 * 3600 * 1000;

/** void's one value (PostgreSQL's void is not NULL: it prints as an empty string). */
const VOID_VALUE = '';

function addSleep(ctx: EvalContext, ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) return VOID_VALUE;
  const ix = (ctx as BackendContext).interrupts;
  if (ix === undefined) throw new DbError('feature_not_supported', 'pg_sleep is not available here');
  ix.sleepMs = Math.min(SLEEP_MS_MAX, ix.sleepMs + ms);
  return VOID_VALUE;
}

function signal(ctx: EvalContext, pid: number, kind: 'cancel' | 'terminate'): boolean {
  const b = backendOf(ctx);
  if (b === null || !b.signal(pid, kind)) {
    (ctx as BackendContext).session?.notice('WARNING', `PID ${pid} is not a PostgreSQL backend process`);
    return false;
  }
  return true;
}

export function registerBackendFunctions(reg: FunctionRegistry): void {
  reg.add(defineScalar({
    name: 'pg_backend_pid', args: [], returns: int4, volatility: 'stable',
    impl: (_a, ctx) => backendOf(ctx)?.pid() ?? 0,
  }));
  reg.add(defineScalar({
    name: 'pg_cancel_backend', args: [int4], returns: bool, volatility: 'volatile',
    impl: (a, ctx) => signal(ctx, a[0] as number, 'cancel'),
  }));
  reg.add(defineScalar({
    name: 'pg_terminate_backend', args: [int4], returns: bool, volatility: 'volatile',
    impl: (a, ctx) => signal(ctx, a[0] as number, 'terminate'),
  }));
  reg.add(defineScalar({
    name: 'pg_terminate_backend', args: [int4, Types.int8], returns: bool, volatility: 'volatile',
    impl: (a, ctx) => {
      if (Number(a[1]) < 0) throw new DbError('numeric_value_out_of_range', '"timeout" must not be negative');
      return signal(ctx, a[0] as number, 'terminate');
    },
  }));
  reg.add(defineScalar({
    name: 'pg_notify', args: [Types.text, Types.text], returns: VOID, volatility: 'volatile', strict: false,
    impl: (a, ctx) => {
      const channel = a[0] as string | null;
      if (channel === null || channel === '') throw new DbError('invalid_parameter_value', 'channel name cannot be empty');
      if (channel.length >= 64) throw new DbError('invalid_parameter_value', 'channel name too long');
      const payload = (a[1] as string | null) ?? '';
      if (payload.length >= 8000) throw new DbError('invalid_parameter_value', 'payload string too long');
      backendOf(ctx)?.notify(channel, payload);
      return VOID_VALUE;
    },
  }));
  reg.add(defineScalar({
    name: 'pg_sleep', args: [float8], returns: VOID, volatility: 'volatile',
    impl: (a, ctx) => addSleep(ctx, (a[0] as number) * 1000),
  }));
  reg.add(defineScalar({
    name: 'pg_sleep_for', args: [interval], returns: VOID, volatility: 'volatile',
    impl: (a, ctx) => {
      const iv = a[0] as Interval;
      return addSleep(ctx, ((iv.months * 30 + iv.days) * 86_400_000_000 + iv.micros) / 1000);
    },
  }));
  reg.add(defineScalar({
    name: 'pg_sleep_until', args: [timestamptz], returns: VOID, volatility: 'volatile',
    impl: (a, ctx) => addSleep(ctx, ((a[0] as number) - ctx.env.clock.nowMicros()) / 1000),
  }));
}
