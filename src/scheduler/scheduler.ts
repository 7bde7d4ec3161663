/**
 * The job scheduler: fires the committed catalog's enabled schedules at their cron times and
 * records every run in the table oxibase.schedule_runs (created on first use, so it is an ordinary,
 * durable, queryable table).
 *
 * Time comes only from the Env (wall clock for cron fields, one timer for the earliest due job), so
 * a simulated environment drives it deterministically with `timers.advance`. Like cron, firings
 * missed while the database was closed are not replayed; a job still running when it is due again
 * is not started twice (the overlapping firing is recorded as 'skipped').
 */
import type { ScheduleDef } from '../catalog/schedules.ts';
import type { TimerHandle } from '../env/index.ts';
import type { Database } from '../engine/database.ts';
import type { Session } from '../engine/session.ts';
import { toDbError } from '../errors/index.ts';
import { resolveZone } from '../types/timezone.ts';
import { Limits } from '../limits.ts';
import { nextFiring, parseCron } from './cron.ts';

/** Where runs are recorded. */
export const RUNS_SCHEMA = 'oxibase';
export const RUNS_TABLE = 'schedule_runs';

const RUNS_DDL = [
  `CREATE SCHEMA IF NOT EXISTS ${RUNS_SCHEMA}`,
  `CREATE TABLE IF NOT EXISTS ${RUNS_SCHEMA}.${RUNS_TABLE} (
    run_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    schedule text NOT NULL,
    scheduled_at timestamptz NOT NULL,
    started_at timestamptz NOT NULL,
    finished_at timestamptz NOT NULL,
    status text NOT NULL,
    sqlstate text,
    message text)`,
];

const RECORD_RUN = `INSERT INTO ${RUNS_SCHEMA}.${RUNS_TABLE}
  (schedule, scheduled_at, started_at, finished_at, status, sqlstate, message)
  VALUES ($1, to_timestamp($2::float8 / 1000000), to_timestamp($3::float8 / 1000000), to_timestamp($4::float8 / 1000000), $5, $6, $7)`;

interface Armed {
  readonly def: ScheduleDef;
  /** Next firing, UTC µs; null when the expression can never fire. */
  next: number | null;
}

export class Scheduler {
  private readonly db: Database;
  private armed = new Map<string, Armed>();
  private readonly running = new Set<string>();
  private readonly inFlight = new Set<Promise<void>>();
  private timer: TimerHandle | null = null;
  private started = false;

  constructor(db: Database) {
    this.db = db;
  }

  /** Starts firing the committed catalog's schedules (after open/recovery). */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.refresh();
  }

  /** Re-reads the committed catalog (called whenever a catalog is installed). */
  refresh(): void {
    if (!this.started) return;
    const now = this.db.env.clock.nowMicros();
    const next = new Map<string, Armed>();
    for (const def of this.db.catalog.schedules.values()) {
      if (!def.enabled) continue;
      const prev = this.armed.get(def.name);
      // Unchanged definitions keep their due time: re-planning from "now" could skip a firing
      // that is due but not yet handled.
      next.set(def.name, prev !== undefined && prev.def === def ? prev : { def, next: firingAfter(def, now) });
    }
    this.armed = next;
    this.arm();
  }

  /** Stops the timer and waits for running jobs (database close). */
  async stop(): Promise<void> {
    this.started = false;
    if (this.timer !== null) this.db.env.timers.cancel(this.timer);
    this.timer = null;
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  /** The next firing of each armed schedule (UTC µs), for introspection and tests. */
  nextFirings(): ReadonlyMap<string, number | null> {
    return new Map([...this.armed].map(([name, a]) => [name, a.next]));
  }

  private arm(): void {
    const timers = this.db.env.timers;
    if (this.timer !== null) timers.cancel(this.timer);
    this.timer = null;
    let earliest = Infinity;
    for (const a of this.armed.values()) if (a.next !== null && a.next < earliest) earliest = a.next;
    if (earliest === Infinity) return;
    const delayMs = Math.max(0, Math.ceil((earliest - this.db.env.clock.nowMicros()) / 1000));
    // Long waits are split: a timer far in the future is re-planned against the clock anyway.
    this.timer = timers.after(() => this.tick(), Math.min(delayMs, Limits.schedulerMaxSleepMs));
  }

  private tick(): void {
    this.timer = null;
    if (!this.started || this.db.closed) return;
    const now = this.db.env.clock.nowMicros();
    for (const a of this.armed.values()) {
      if (a.next === null || a.next > now) continue;
      const due = a.next;
      a.next = firingAfter(a.def, Math.max(now, due));
      this.launch(a.def, due);
    }
    this.arm();
  }

  private launch(def: ScheduleDef, scheduledMicros: number): void {
    const p = this.run(def, scheduledMicros).finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  private async run(def: ScheduleDef, scheduledMicros: number): Promise<void> {
    const clock = this.db.env.clock;
    let session: Session;
    try {
      session = this.db.newSession(def.owner);
    } catch {
      return; // the database is closing
    }
    const started = clock.nowMicros();
    let status = 'succeeded';
    let sqlstate: string | null = null;
    let message: string | null = null;
    try {
      if (this.running.has(def.name)) {
        status = 'skipped';
        message = 'the previous run was still running';
      } else {
        this.running.add(def.name);
        try {
          await session.execute(def.command);
        } catch (e) {
          const err = toDbError(e);
          status = 'failed';
          sqlstate = err.code;
          message = err.message;
          if (session.txn !== null) await session.execute('ROLLBACK').catch(() => undefined);
        } finally {
          this.running.delete(def.name);
        }
      }
      await this.record(session, [def.name, scheduledMicros, started, clock.nowMicros(), status, sqlstate, message]);
    } finally {
      await session.close();
    }
  }

  private async record(session: Session, params: unknown[]): Promise<void> {
    try {
      if (this.db.catalog.getRelation(RUNS_SCHEMA, RUNS_TABLE) === undefined) {
        for (const ddl of RUNS_DDL) await session.execute(ddl);
      }
      await session.execute(RECORD_RUN, params);
    } catch {
      // Recording is best effort: a concurrent DDL conflict or a dropped table must not take the
      // scheduler down; the job itself has already run (or failed) in its own transaction.
    }
  }
}

function firingAfter(def: ScheduleDef, afterMicros: number): number | null {
  const zone = resolveZone(def.timeZone);
  if (zone === null) return null;
  return nextFiring(parseCron(def.cron), afterMicros, zone);
}
