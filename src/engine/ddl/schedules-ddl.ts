/**
 * CREATE [OR REPLACE] SCHEDULE name CRON '...' CALL proc(...), ALTER SCHEDULE name ENABLE |
 * DISABLE | CRON '...', DROP SCHEDULE [IF EXISTS] name. Schedules are catalog objects (so they
 * are transactional and survive restarts); src/routines/scheduler.ts runs them.
 */
import { DbError } from '../../errors/index.ts';
import type { AlterScheduleStmt, CreateScheduleStmt, DropScheduleStmt } from '../../sql/ast.ts';
import type { Catalog } from '../../catalog/catalog.ts';
import type { ScheduleDef } from '../../catalog/routines.ts';
import { parseCron } from '../../routines/cron.ts';
import { startScheduler } from '../../routines/scheduler.ts';
import { resultOf, type StatementResult } from '../dml/statement-env.ts';
import type { RoutineDdlContext } from './routines-create.ts';

function findSchedule(catalog: Catalog, name: string): ScheduleDef | undefined {
  return [...catalog.schedules.values()].find((s) => s.name === name);
}

export function runCreateSchedule(stmt: CreateScheduleStmt, rc: RoutineDdlContext): StatementResult {
  parseCron(stmt.cron);
  const catalog = rc.session.catalogForDdl(rc.txn);
  const existing = findSchedule(catalog, stmt.name);
  if (existing !== undefined && !stmt.orReplace) {
    throw new DbError('duplicate_object', `schedule "${stmt.name}" already exists`);
  }
  const def: ScheduleDef = {
    oid: existing?.oid ?? catalog.allocOid(), name: stmt.name, cron: stmt.cron, call: stmt.callText,
    owner: rc.session.user, enabled: existing?.enabled ?? true,
  };
  catalog.schedules.set(def.oid, def);
  startScheduler(rc.session.db, true);
  return resultOf('CREATE SCHEDULE', 0);
}

export function runAlterSchedule(stmt: AlterScheduleStmt, rc: RoutineDdlContext): StatementResult {
  if (stmt.cron !== null) parseCron(stmt.cron);
  const catalog = rc.session.catalogForDdl(rc.txn);
  const s = findSchedule(catalog, stmt.name);
  if (s === undefined) throw new DbError('undefined_object', `schedule "${stmt.name}" does not exist`);
  catalog.schedules.set(s.oid, { ...s, enabled: stmt.enable ?? s.enabled, cron: stmt.cron ?? s.cron });
  startScheduler(rc.session.db, true);
  return resultOf('ALTER SCHEDULE', 0);
}

export function runDropSchedule(stmt: DropScheduleStmt, rc: RoutineDdlContext): StatementResult {
  const catalog = rc.session.catalogForDdl(rc.txn);
  const s = findSchedule(catalog, stmt.name);
  if (s === undefined) {
    if (stmt.ifExists) {
      rc.session.notice('NOTICE', '00000', `schedule "${stmt.name}" does not exist, skipping`);
      return resultOf('DROP SCHEDULE', 0);
    }
    throw new DbError('undefined_object', `schedule "${stmt.name}" does not exist`);
  }
  catalog.schedules.delete(s.oid);
  return resultOf('DROP SCHEDULE', 0);
}
