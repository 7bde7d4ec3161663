/**
 * CREATE [OR REPLACE] TRIGGER and DROP TRIGGER, with PostgreSQL's checks: the function must exist,
 * take no arguments and return `trigger` (42883 / 42P17); BEFORE / AFTER triggers go on tables,
 * INSTEAD OF triggers on views and only FOR EACH ROW; TRUNCATE triggers are statement-level.
 */
import { DbError } from '../../errors/index.ts';
import type { CreateTriggerStmt, DropTriggerStmt } from '../../sql/ast.ts';
import { findColumn } from '../../catalog/objects.ts';
import { routinesNamed, type TriggerDef } from '../../catalog/routines.ts';
import { undefinedRelation } from '../../catalog/catalog.ts';
import { visibleRoutines } from '../../routines/user-registry.ts';
import { resultOf, type StatementResult } from '../dml/statement-env.ts';
import type { RoutineDdlContext } from './routines-create.ts';

export function runCreateTrigger(stmt: CreateTriggerStmt, rc: RoutineDdlContext): StatementResult {
  const { session, txn } = rc;
  const searchPath = session.searchPath();
  const catalog = session.catalogForDdl(txn);
  if (stmt.constraint) {
    throw new DbError('feature_not_supported', 'constraint triggers are not supported yet', { position: stmt.loc + 1 });
  }
  if (stmt.oldTable !== null || stmt.newTable !== null) {
    throw new DbError('feature_not_supported', 'transition tables (REFERENCING) are not supported yet', { position: stmt.loc + 1 });
  }
  const rel = catalog.findRelation(stmt.table, searchPath);
  if (rel === undefined) throw undefinedRelation(stmt.table);
  const where = { position: stmt.table.loc + 1 };
  if (rel.kind !== 'table' && rel.kind !== 'view') {
    throw new DbError('wrong_object_type', `"${rel.name}" is not a table or view`, where);
  }
  if (rel.kind === 'view' && stmt.timing !== 'instead_of') {
    throw new DbError('wrong_object_type', `"${rel.name}" is a view`,
      { ...where, detail: 'Views cannot have row-level BEFORE or AFTER triggers.' });
  }
  if (rel.kind === 'table' && stmt.timing === 'instead_of') {
    throw new DbError('wrong_object_type', `"${rel.name}" is a table`, { ...where, detail: 'Tables cannot have INSTEAD OF triggers.' });
  }
  if (stmt.timing === 'instead_of' && stmt.forEach !== 'row') {
    throw new DbError('feature_not_supported', 'INSTEAD OF triggers must be FOR EACH ROW', { position: stmt.loc + 1 });
  }
  if (stmt.events.includes('truncate') && stmt.forEach === 'row') {
    throw new DbError('feature_not_supported', 'TRUNCATE FOR EACH ROW triggers are not supported', { position: stmt.loc + 1 });
  }
  if (stmt.when !== null && stmt.timing === 'instead_of') {
    throw new DbError('feature_not_supported', 'INSTEAD OF triggers cannot have WHEN conditions', { position: stmt.loc + 1 });
  }
  const fnName = stmt.function;
  const fns = (fnName.schema !== null ? routinesNamed(catalog, fnName.schema, fnName.name)
    : visibleRoutines(catalog, fnName.name, searchPath)).filter((r) => r.kind === 'function' && r.args.length === 0);
  const fn = fns[0];
  const fullFn = `${fnName.schema !== null ? `${fnName.schema}.` : ''}${fnName.name}`;
  if (fn === undefined) {
    throw new DbError('undefined_function', `function ${fullFn}() does not exist`, { position: fnName.loc + 1 });
  }
  if (fn.trigger !== 'row') {
    throw new DbError('invalid_object_definition', `function ${fullFn} must return type trigger`, { position: fnName.loc + 1 });
  }
  const updateColumns = stmt.updateColumns.map((name) => {
    const col = rel.kind === 'table' ? findColumn(rel, name) : undefined;
    if (col === undefined) {
      throw new DbError('undefined_column', `column "${name}" of relation "${rel.name}" does not exist`);
    }
    return col.attnum;
  });
  const existing = [...catalog.triggers.values()].find((t) => t.tableOid === rel.oid && t.name === stmt.name);
  if (existing !== undefined && !stmt.orReplace) {
    throw new DbError('duplicate_object', `trigger "${stmt.name}" for relation "${rel.name}" already exists`);
  }
  const def: TriggerDef = {
    oid: existing?.oid ?? catalog.allocOid(), name: stmt.name, tableOid: rel.oid,
    timing: stmt.timing, events: [...new Set(stmt.events)], updateColumns, level: stmt.forEach,
    when: stmt.when === null ? null : { text: stmt.whenSource ?? '', expr: stmt.when },
    functionOid: fn.oid, args: stmt.args, enabled: existing?.enabled ?? true,
  };
  catalog.triggers.set(def.oid, def);
  return resultOf('CREATE TRIGGER', 0);
}

export function runDropTrigger(stmt: DropTriggerStmt, rc: RoutineDdlContext): StatementResult {
  const { session, txn } = rc;
  const catalog = session.catalogForDdl(txn);
  const rel = catalog.findRelation(stmt.table, session.searchPath());
  if (rel === undefined) {
    if (stmt.ifExists) {
      session.notice('NOTICE', '00000', `relation "${stmt.table.name}" does not exist, skipping`);
      return resultOf('DROP TRIGGER', 0);
    }
    throw undefinedRelation(stmt.table);
  }
  const t = [...catalog.triggers.values()].find((x) => x.tableOid === rel.oid && x.name === stmt.name);
  if (t === undefined) {
    if (stmt.ifExists) {
      session.notice('NOTICE', '00000', `trigger "${stmt.name}" for relation "${rel.name}" does not exist, skipping`);
      return resultOf('DROP TRIGGER', 0);
    }
    throw new DbError('undefined_object', `trigger "${stmt.name}" for table "${rel.name}" does not exist`);
  }
  catalog.triggers.delete(t.oid);
  return resultOf('DROP TRIGGER', 0);
}
