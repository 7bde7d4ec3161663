/**
 * CREATE / ALTER / DROP SCHEDULE (Oxibase extension):
 *   CREATE [OR REPLACE] SCHEDULE [IF NOT EXISTS] name CRON 'expr' [TIME ZONE 'zone'] [ENABLED | DISABLED] CALL proc(...)
 *   ALTER SCHEDULE [IF EXISTS] name { CRON 'expr' | TIME ZONE 'zone' | ENABLE | DISABLE | CALL proc(...) | RENAME TO new }
 *   DROP SCHEDULE [IF EXISTS] name [, ...]
 * The cron text is checked when the statement runs (src/scheduler/cron.ts), not here.
 */
import type { AlterScheduleStmt, CreateScheduleStmt, DropScheduleStmt, ScheduleCommand } from '../ast.ts';
import type { Parser } from './parser.ts';
import { parseCall } from './routines.ts';

function parseCommand(p: Parser): ScheduleCommand {
  const start = p.loc;
  p.expectKw('call');
  const call = parseCall(p, start);
  return { call, text: p.sql.slice(start, p.prevEnd) };
}

function parseTimeZone(p: Parser): string | null {
  if (p.acceptKws('time', 'zone') || p.acceptKw('timezone')) return p.stringConst();
  return null;
}

/** After CREATE SCHEDULE. */
export function parseCreateSchedule(p: Parser, orReplace: boolean, loc: number): CreateScheduleStmt {
  const ifNotExists = p.acceptKws('if', 'not', 'exists');
  const name = p.colId();
  p.expectKw('cron');
  const cron = p.stringConst();
  const timeZone = parseTimeZone(p);
  let enabled = true;
  if (p.acceptKw('disabled')) enabled = false;
  else p.acceptKw('enabled');
  const command = parseCommand(p);
  return { kind: 'CreateSchedule', orReplace, ifNotExists, name, cron, timeZone, enabled, command, loc };
}

/** After ALTER SCHEDULE. */
export function parseAlterSchedule(p: Parser, loc: number): AlterScheduleStmt {
  const ifExists = p.acceptKws('if', 'exists');
  const name = p.colId();
  let action: AlterScheduleStmt['action'];
  if (p.acceptKw('cron')) action = { kind: 'cron', cron: p.stringConst() };
  else if (p.acceptKw('enable')) action = { kind: 'enable', enabled: true };
  else if (p.acceptKw('disable')) action = { kind: 'enable', enabled: false };
  else if (p.acceptKws('rename', 'to')) action = { kind: 'rename', newName: p.colId() };
  else if (p.isKw('call')) action = { kind: 'command', command: parseCommand(p) };
  else {
    const tz = parseTimeZone(p);
    if (tz === null) throw p.error();
    action = { kind: 'timeZone', timeZone: tz };
  }
  return { kind: 'AlterSchedule', ifExists, name, action, loc };
}

/** After DROP SCHEDULE. */
export function parseDropSchedule(p: Parser, loc: number): DropScheduleStmt {
  const ifExists = p.acceptKws('if', 'exists');
  const names = [p.colId()];
  while (p.acceptPunct(',')) names.push(p.colId());
  return { kind: 'DropSchedule', ifExists, names, loc };
}
