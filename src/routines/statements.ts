/**
 * Dispatch of the routine statements (functions, procedures, aggregates, CALL, DO, triggers,
 * event triggers) from the statement executor.
 */
import type { Statement } from '../sql/ast.ts';
import { DbError } from '../errors/index.ts';
import type { StatementContext } from '../engine/statement-exec.ts';
import type { StatementResult } from '../engine/dml/statement-env.ts';
import { runCreateFunction, runDropFunction } from '../engine/ddl/routines-create.ts';
import { runCreateTrigger, runDropTrigger } from '../engine/ddl/triggers-ddl.ts';
import { runCall, runDo } from './call.ts';
import {
  runAlterEventTrigger, runAlterTableTrigger, runCreateAggregate, runCreateEventTrigger, runDropEventTrigger,
} from '../engine/ddl/routines-more.ts';
import { runAlterRoutine } from '../engine/ddl/routines-alter.ts';

export const ROUTINE_KINDS: ReadonlySet<Statement['kind']> = new Set<Statement['kind']>([
  'CreateFunction', 'DropFunction', 'Call', 'Do', 'CreateTrigger', 'DropTrigger', 'CreateAggregate',
  'CreateEventTrigger', 'AlterEventTrigger', 'DropEventTrigger', 'AlterTableTrigger', 'AlterRoutine',
]);

/** Statements here that change the catalog (refused in read-only transactions). */
const DDL: ReadonlySet<Statement['kind']> = new Set<Statement['kind']>([
  'CreateFunction', 'DropFunction', 'CreateTrigger', 'DropTrigger', 'CreateAggregate', 'CreateEventTrigger',
  'AlterEventTrigger', 'DropEventTrigger', 'AlterTableTrigger', 'AlterRoutine',
]);

export function runRoutineStatement(stmt: Statement, sc: StatementContext): StatementResult {
  if (sc.txn.readOnly && DDL.has(stmt.kind)) {
    throw new DbError('read_only_sql_transaction', 'cannot execute this statement in a read-only transaction');
  }
  const rc = { session: sc.session, txn: sc.txn, text: sc.text };
  switch (stmt.kind) {
    case 'CreateFunction': return runCreateFunction(stmt, rc);
    case 'DropFunction': return runDropFunction(stmt, rc);
    case 'Call': return runCall(stmt, sc);
    case 'Do': return runDo(stmt, sc);
    case 'CreateTrigger': return runCreateTrigger(stmt, rc);
    case 'DropTrigger': return runDropTrigger(stmt, rc);
    case 'CreateAggregate': return runCreateAggregate(stmt, rc);
    case 'CreateEventTrigger': return runCreateEventTrigger(stmt, rc);
    case 'AlterEventTrigger': return runAlterEventTrigger(stmt, rc);
    case 'DropEventTrigger': return runDropEventTrigger(stmt, rc);
    case 'AlterTableTrigger': return runAlterTableTrigger(stmt, rc);
    case 'AlterRoutine': return runAlterRoutine(stmt, rc);
    default: throw new DbError('internal_error', `not a routine statement: ${stmt.kind}`);
  }
}
