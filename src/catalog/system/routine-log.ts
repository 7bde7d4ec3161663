/**
 * The routine log: what routines reported through RoutineHost.log / print (oxibase.log, RAISE,
 * console.log), kept in memory per database as a bounded ring (Limits.routineLogEntriesMax), and
 * readable as pg_catalog.oxibase_routine_log. It is diagnostics, not data: not transactional (a
 * rolled-back routine's messages stay, like PostgreSQL's server log) and not persisted.
 */
import { Limits } from '../../limits.ts';
import type { SysContext, SystemRelation } from './sys-relation.ts';
import { cols, T } from './sys-relation.ts';
import { Oid, typeOf } from '../../types/sql-type.ts';

export interface RoutineLogEntry {
  /** µs since the epoch (Env clock). */
  readonly at: number;
  readonly session: number;
  readonly user: string;
  readonly level: string;
  readonly message: string;
  readonly routine: string | null;
}

interface Ring {
  readonly entries: RoutineLogEntry[];
  next: number;
}

const logs = new WeakMap<object, Ring>();

/** Appends to the log of `owner` (a Database), dropping the oldest entry when full. */
export function appendLogEntry(owner: object, entry: RoutineLogEntry): void {
  let ring = logs.get(owner);
  if (ring === undefined) logs.set(owner, (ring = { entries: [], next: 0 }));
  if (ring.entries.length < Limits.routineLogEntriesMax) ring.entries.push(entry);
  else {
    ring.entries[ring.next] = entry;
    ring.next = (ring.next + 1) % Limits.routineLogEntriesMax;
  }
}

/** Entries oldest first. */
export function logEntries(owner: object): RoutineLogEntry[] {
  const ring = logs.get(owner);
  if (ring === undefined) return [];
  return [...ring.entries.slice(ring.next), ...ring.entries.slice(0, ring.next)];
}

/** The database behind a running statement (its session hooks carry the session). */
function ownerOf(sc: SysContext): object | null {
  const hooks = (sc.eval as { session?: { owner?: { db?: object } } }).session;
  return hooks?.owner?.db ?? null;
}

export const routineLogRelation: SystemRelation = {
  schema: 'pg_catalog', name: 'oxibase_routine_log',
  columns: cols([
    ['logged_at', typeOf(Oid.timestamptz)], ['pid', T.int4], ['usename', T.name], ['level', T.text], ['message', T.text],
    ['routine', T.text],
  ]),
  rows: (sc) => {
    const owner = ownerOf(sc);
    if (owner === null) return [];
    return logEntries(owner).map((e) => [e.at, e.session, e.user, e.level, e.message, e.routine]);
  },
};

/** One run of a schedule (src/routines/scheduler.ts). */
export interface ScheduleRunEntry {
  readonly schedule: string;
  /** The minute the run was due (µs since the epoch). */
  readonly scheduledFor: number;
  readonly startedAt: number;
  readonly finishedAt: number;
  readonly status: 'succeeded' | 'failed' | 'skipped';
  readonly message: string | null;
}

const runs = new WeakMap<object, ScheduleRunEntry[]>();

/** Records a run, keeping the newest Limits.routineLogEntriesMax. */
export function appendScheduleRun(owner: object, entry: ScheduleRunEntry): void {
  let list = runs.get(owner);
  if (list === undefined) runs.set(owner, (list = []));
  list.push(entry);
  if (list.length > Limits.routineLogEntriesMax) list.shift();
}

export const scheduleRunsRelation: SystemRelation = {
  schema: 'pg_catalog', name: 'oxibase_schedule_runs',
  columns: cols([
    ['schedule', T.name], ['scheduled_for', typeOf(Oid.timestamptz)], ['started_at', typeOf(Oid.timestamptz)],
    ['finished_at', typeOf(Oid.timestamptz)], ['status', T.text], ['message', T.text],
  ]),
  rows: (sc) => {
    const owner = ownerOf(sc);
    if (owner === null) return [];
    return (runs.get(owner) ?? []).map((r) => [r.schedule, r.scheduledFor, r.startedAt, r.finishedAt, r.status, r.message]);
  },
};

export const schedulesRelation: SystemRelation = {
  schema: 'pg_catalog', name: 'oxibase_schedules',
  columns: cols([['oid', T.oid], ['name', T.name], ['cron', T.text], ['call', T.text], ['owner', T.name], ['enabled', T.bool]]),
  rows: ({ catalog }) => [...catalog.schedules.values()].map((s) => [s.oid, s.name, s.cron, s.call, s.owner, s.enabled]),
};
