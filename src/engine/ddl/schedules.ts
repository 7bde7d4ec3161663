/**
 * CREATE / ALTER / DROP SCHEDULE: validate the cron expression and time zone now (so a bad one
 * fails at DDL time with its position, not silently at 3 a.m.) and store a ScheduleDef in the
 * transaction's catalog. The scheduler picks committed changes up when the catalog is installed.
 */
import { DbError, withPosition } from '../../errors/index.ts';
import type { AlterScheduleStmt, CreateScheduleStmt, DropScheduleStmt } from '../../sql/ast.ts';
import type { ScheduleDef } from '../../catalog/schedules.ts';
import { parseCron } from '../../scheduler/cron.ts';
import { zoneOrThrow } from '../../types/timezone.ts';
import { resultOf, type StatementResult } from '../dml/statement-env.ts';
import type { DdlContext } from './ddl-context.ts';

function checkCron(text: string, loc: number): void {
  try {
    parseCron(text);
  } catch (e) {
    throw withPosition(e, loc + 1);
  }
}

function checkZone(name: string, loc: number): string {
  try {
    return zoneOrThrow(name).name;
  } catch (e) {
    throw withPosition(e, loc + 1);
  }
}

function undefinedSchedule(name: string, loc: number): DbError {
  return new DbError('undefined_object', `schedule "${name}" does not exist`, { position: loc + 1 });
}

export function runCreateSchedule(stmt: CreateScheduleStmt, dc: DdlContext): StatementResult {
  const schedules = dc.catalog.schedules;
  const existing = schedules.get(stmt.name);
  if (existing !== undefined && !stmt.orReplace) {
    if (stmt.ifNotExists) {
      dc.notice(`schedule "${stmt.name}" already exists, skipping`);
      return resultOf('CREATE SCHEDULE', 0);
    }
    throw new DbError('duplicate_object', `schedule "${stmt.name}" already exists`, { position: stmt.loc + 1 });
  }
  checkCron(stmt.cron, stmt.loc);
  const timeZone = checkZone(stmt.timeZone ?? dc.ctx.types.timeZone, stmt.loc);
  const def: ScheduleDef = {
    kind: 'schedule', oid: existing?.oid ?? dc.catalog.allocOid(), name: stmt.name, cron: stmt.cron, timeZone,
    enabled: stmt.enabled, command: stmt.command.text, owner: dc.user,
  };
  schedules.set(def.name, def);
  return resultOf('CREATE SCHEDULE', 0);
}

export function runAlterSchedule(stmt: AlterScheduleStmt, dc: DdlContext): StatementResult {
  const schedules = dc.catalog.schedules;
  const cur = schedules.get(stmt.name);
  if (cur === undefined) {
    if (stmt.ifExists) {
      dc.notice(`schedule "${stmt.name}" does not exist, skipping`);
      return resultOf('ALTER SCHEDULE', 0);
    }
    throw undefinedSchedule(stmt.name, stmt.loc);
  }
  const a = stmt.action;
  let next: ScheduleDef;
  switch (a.kind) {
    case 'cron':
      checkCron(a.cron, stmt.loc);
      next = { ...cur, cron: a.cron };
      break;
    case 'timeZone':
      next = { ...cur, timeZone: checkZone(a.timeZone, stmt.loc) };
      break;
    case 'enable':
      next = { ...cur, enabled: a.enabled };
      break;
    case 'command':
      next = { ...cur, command: a.command.text };
      break;
    case 'rename':
      if (schedules.has(a.newName)) {
        throw new DbError('duplicate_object', `schedule "${a.newName}" already exists`, { position: stmt.loc + 1 });
      }
      schedules.delete(cur.name);
      next = { ...cur, name: a.newName };
      break;
  }
  schedules.set(next.name, next);
  return resultOf('ALTER SCHEDULE', 0);
}

export function runDropSchedule(stmt: DropScheduleStmt, dc: DdlContext): StatementResult {
  const schedules = dc.catalog.schedules;
  for (const name of stmt.names) {
    if (!schedules.has(name)) {
      if (stmt.ifExists) {
        dc.notice(`schedule "${name}" does not exist, skipping`);
        continue;
      }
      throw undefinedSchedule(name, stmt.loc);
    }
  }
  for (const name of stmt.names) schedules.delete(name);
  return resultOf('DROP SCHEDULE', 0);
}
