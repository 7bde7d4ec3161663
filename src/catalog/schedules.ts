/**
 * Scheduled jobs (CREATE SCHEDULE): catalog definitions. The scheduler (src/scheduler/) reads them
 * from the committed catalog; DDL replaces them copy-on-write like every catalog object.
 */

export interface ScheduleDef {
  readonly kind: 'schedule';
  readonly oid: number;
  /** Unique per database (schedules live outside schemas, like event triggers). */
  readonly name: string;
  /** The cron expression as written (src/scheduler/cron.ts). */
  readonly cron: string;
  /** IANA or fixed zone the cron fields are read in. */
  readonly timeZone: string;
  readonly enabled: boolean;
  /** The CALL statement run at each firing, as SQL text. */
  readonly command: string;
  /** Role the command runs as: the schedule's creator. */
  readonly owner: string;
}
