/**
 * Firing event triggers around DDL: ddl_command_start before the command, sql_drop after a DROP
 * and ddl_command_end after the command succeeded (in the same transaction: an error in an event
 * trigger aborts the command, as in PostgreSQL). Event trigger DDL itself does not fire them, nor
 * do TRUNCATE, CALL and DO.
 */
import type { Statement } from '../sql/ast.ts';
import type { EventTriggerDef, EventTriggerEvent } from '../catalog/routines.ts';
import type { StatementContext } from '../engine/statement-exec.ts';
import type { StatementResult } from '../engine/dml/statement-env.ts';
import { invokeEventTrigger } from './invoke.ts';

const NOT_FIRING = new Set<Statement['kind']>([
  'CreateEventTrigger', 'AlterEventTrigger', 'DropEventTrigger', 'Truncate', 'Call', 'Do',
]);

const DROPS = new Set<Statement['kind']>(['Drop', 'DropFunction', 'DropTrigger']);

export function withEventTriggers(stmt: Statement, sc: StatementContext, generic: string, run: () => StatementResult): StatementResult {
  if (sc.session.catalog.eventTriggers.size === 0 || NOT_FIRING.has(stmt.kind)) return run();
  const tag = tagOf(stmt, generic);
  fire(sc, 'ddl_command_start', tag);
  const result = run();
  if (DROPS.has(stmt.kind)) fire(sc, 'sql_drop', tag);
  fire(sc, 'ddl_command_end', tag);
  return result;
}

function fire(sc: StatementContext, event: EventTriggerEvent, tag: string): void {
  const catalog = sc.session.catalog;
  const list: EventTriggerDef[] = [...catalog.eventTriggers.values()]
    .filter((t) => t.enabled && t.event === event && (t.tags.length === 0 || t.tags.includes(tag)))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const t of list) {
    const fn = catalog.routines.get(t.functionOid);
    if (fn !== undefined) invokeEventTrigger(fn, { event, tag }, sc.session);
  }
}

/** PostgreSQL's command tag where the generic statement name differs. */
function tagOf(stmt: Statement, generic: string): string {
  switch (stmt.kind) {
    case 'CreateFunction': return stmt.isProcedure ? 'CREATE PROCEDURE' : 'CREATE FUNCTION';
    case 'DropFunction': return `DROP ${stmt.objectType.toUpperCase()}`;
    case 'AlterTableTrigger': return 'ALTER TABLE';
    case 'AlterRoutine': return `ALTER ${stmt.objectType === 'procedure' ? 'PROCEDURE' : stmt.objectType === 'aggregate' ? 'AGGREGATE' : 'FUNCTION'}`;
    default: return generic;
  }
}
