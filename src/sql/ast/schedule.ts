/**
 * Oxibase's scheduled jobs: CREATE / ALTER / DROP SCHEDULE (src/scheduler/ runs them).
 */
import type { CallStmt } from './utility.ts';

/** What a schedule runs: a CALL statement, kept as parsed and as its source text. */
export interface ScheduleCommand {
  readonly call: CallStmt;
  readonly text: string;
}

export interface CreateScheduleStmt {
  readonly kind: 'CreateSchedule';
  /** OR REPLACE: an existing schedule of that name takes the new definition (and keeps its oid). */
  readonly orReplace: boolean;
  readonly ifNotExists: boolean;
  readonly name: string;
  readonly cron: string;
  /** TIME ZONE 'zone'; null = the creating session's TimeZone. */
  readonly timeZone: string | null;
  readonly enabled: boolean;
  readonly command: ScheduleCommand;
  readonly loc: number;
}

export type AlterScheduleAction =
  | { readonly kind: 'cron'; readonly cron: string }
  | { readonly kind: 'timeZone'; readonly timeZone: string }
  | { readonly kind: 'enable'; readonly enabled: boolean }
  | { readonly kind: 'command'; readonly command: ScheduleCommand }
  | { readonly kind: 'rename'; readonly newName: string };

export interface AlterScheduleStmt {
  readonly kind: 'AlterSchedule';
  readonly ifExists: boolean;
  readonly name: string;
  readonly action: AlterScheduleAction;
  readonly loc: number;
}

export interface DropScheduleStmt {
  readonly kind: 'DropSchedule';
  readonly ifExists: boolean;
  readonly names: readonly string[];
  readonly loc: number;
}
