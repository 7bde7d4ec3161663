/**
 * pg_catalog.oxibase_schedules: the scheduled jobs of the statement's catalog, with the next time
 * each fires (computed from the statement's clock, so a simulated clock gives simulated times).
 * Their runs are in the ordinary table oxibase.schedule_runs (src/scheduler/scheduler.ts).
 */
import { Oid, typeOf } from '../../types/sql-type.ts';
import { resolveZone } from '../../types/timezone.ts';
import { nextFiring, parseCron } from '../../scheduler/cron.ts';
import { cols, T, type SystemRelation } from './sys-relation.ts';

export const oxibaseSchedules: SystemRelation = {
  schema: 'pg_catalog', name: 'oxibase_schedules',
  columns: cols([
    ['oid', T.oid], ['name', T.name], ['cron', T.text], ['time_zone', T.text], ['enabled', T.bool],
    ['command', T.text], ['owner', T.name], ['next_run', typeOf(Oid.timestamptz)],
  ]),
  rows: (sc) => {
    const now = sc.eval.env.clock.nowMicros();
    return [...sc.catalog.schedules.values()].map((s) => {
      const zone = resolveZone(s.timeZone);
      const next = s.enabled && zone !== null ? nextFiring(parseCron(s.cron), now, zone) : null;
      return [s.oid, s.name, s.cron, s.timeZone, s.enabled, s.command, s.owner, next];
    });
  },
};
