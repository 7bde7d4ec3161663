/**
 * The schedule runner: one per Database, driven by the Env's clock and timers (so SimEnv tests
 * control it). It wakes at each minute boundary while the committed catalog has schedules, runs
 * every enabled schedule whose cron matches that minute as `CALL ...` in a fresh session of the
 * schedule's owner (its own transaction), and records each run in
 * pg_catalog.oxibase_schedule_runs.
 *
 * Invariants:
 * - At most one timer is armed; none while there are no schedules or after close.
 * - A schedule whose previous run has not finished is skipped (recorded as 'skipped'), so slow
 *   procedures never pile up.
 */
import type { TimerHandle } from '../env/index.ts';
import type { Database } from '../engine/database.ts';
import type { ScheduleDef } from '../catalog/routines.ts';
import { appendScheduleRun } from '../catalog/system/routine-log.ts';
import { cronMatches, parseCron, type Cron } from './cron.ts';

const MINUTE_MS = 60_000;

class Scheduler {
  private readonly db: Database;
  private timer: TimerHandle | null = null;
  private readonly running = new Set<number>();
  private readonly parsed = new Map<string, Cron>();

  constructor(db: Database) {
    this.db = db;
  }

  /**
   * Arms the timer for the next minute boundary when there is something to run. `force` arms it
   * anyway: CREATE SCHEDULE calls it before its transaction commits the schedule.
   */
  arm(force = false): void {
    if (this.timer !== null || this.db.closed || (this.db.catalog.schedules.size === 0 && !force)) return;
    const nowMs = Math.floor(this.db.env.clock.nowMicros() / 1000);
    const next = (Math.floor(nowMs / MINUTE_MS) + 1) * MINUTE_MS;
    this.timer = this.db.env.timers.after(() => this.tick(next), next - nowMs);
  }

  private tick(minuteMs: number): void {
    this.timer = null;
    if (this.db.closed) return;
    for (const s of this.db.catalog.schedules.values()) {
      if (!s.enabled || !cronMatches(this.cron(s.cron), minuteMs)) continue;
      if (this.running.has(s.oid)) {
        const now = this.db.env.clock.nowMicros();
        appendScheduleRun(this.db, { schedule: s.name, scheduledFor: minuteMs * 1000, startedAt: now, finishedAt: now,
          status: 'skipped', message: 'the previous run has not finished' });
        continue;
      }
      void this.run(s, minuteMs);
    }
    this.arm();
  }

  private cron(text: string): Cron {
    let c = this.parsed.get(text);
    if (c === undefined) this.parsed.set(text, (c = parseCron(text)));
    return c;
  }

  private async run(s: ScheduleDef, minuteMs: number): Promise<void> {
    this.running.add(s.oid);
    const clock = this.db.env.clock;
    const startedAt = clock.nowMicros();
    let status: 'succeeded' | 'failed' = 'succeeded';
    let message: string | null = null;
    try {
      const session = this.db.newSession(s.owner);
      try {
        await session.run(() => session.execute(`CALL ${s.call}`));
      } finally {
        await session.close();
      }
    } catch (e) {
      status = 'failed';
      message = e instanceof Error ? e.message : String(e);
    } finally {
      this.running.delete(s.oid);
    }
    appendScheduleRun(this.db, { schedule: s.name, scheduledFor: minuteMs * 1000, startedAt, finishedAt: clock.nowMicros(), status, message });
  }
}

const schedulers = new WeakMap<Database, Scheduler>();

/** Starts (or re-arms) the database's schedule runner; cheap when there are no schedules. */
export function startScheduler(db: Database, force = false): void {
  let s = schedulers.get(db);
  if (s === undefined) schedulers.set(db, (s = new Scheduler(db)));
  s.arm(force);
}
