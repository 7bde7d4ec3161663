/**
 * CREATE AGGREGATE, event trigger DDL (CREATE / ALTER / DROP EVENT TRIGGER) and ALTER TABLE ...
 * ENABLE | DISABLE TRIGGER.
 *
 * An aggregate's transition function is looked up as sfunc(stype, argtypes...) and its final
 * function as finalfunc(stype), exactly (PostgreSQL's lookup_agg_function rules, without
 * polymorphism); both may be written in any language.
 */
import { DbError } from '../../errors/index.ts';
import type {
  AlterEventTriggerStmt, AlterTableTriggerStmt, CreateAggregateStmt, CreateEventTriggerStmt, DropEventTriggerStmt,
  ObjectName, TypeName,
} from '../../sql/ast.ts';
import {
  inputArgs, putRoutine, routinesNamed, type EventTriggerDef, type EventTriggerEvent, type RoutineDef,
} from '../../catalog/routines.ts';
import { undefinedRelation, type Catalog } from '../../catalog/catalog.ts';
import { resolveTypeName } from '../../plan/binder/type-names.ts';
import { formatType, type SqlType } from '../../types/sql-type.ts';
import { inputFunction } from '../../types/text-io.ts';
import { visibleRoutines } from '../../routines/user-registry.ts';
import { resultOf, type StatementResult } from '../dml/statement-env.ts';
import type { RoutineDdlContext } from './routines-create.ts';

function findFunction(catalog: Catalog, name: ObjectName, searchPath: readonly string[], types: readonly SqlType[]): RoutineDef | undefined {
  const cands = name.schema !== null ? routinesNamed(catalog, name.schema, name.name) : visibleRoutines(catalog, name.name, searchPath);
  return cands.find((r) => r.kind === 'function' && inputArgs(r).length === types.length &&
    inputArgs(r).every((a, i) => a.type.oid === types[i]!.oid));
}

function describeCall(name: ObjectName, types: readonly SqlType[]): string {
  return `${name.schema !== null ? `${name.schema}.` : ''}${name.name}(${types.map(formatType).join(', ')})`;
}

export function runCreateAggregate(stmt: CreateAggregateStmt, rc: RoutineDdlContext): StatementResult {
  const { session, txn } = rc;
  const searchPath = session.searchPath();
  const catalog = session.catalogForDdl(txn);
  const schema = catalog.creationSchema(stmt.name, searchPath);
  const opts = new Map<string, CreateAggregateStmt['options'][number]>();
  for (const o of stmt.options) {
    if (opts.has(o.name)) throw new DbError('syntax_error', 'conflicting or redundant options', { position: o.loc + 1 });
    if (!['sfunc', 'stype', 'finalfunc', 'initcond', 'parallel'].includes(o.name)) {
      throw new DbError('feature_not_supported', `aggregate attribute "${o.name}" is not supported yet`, { position: o.loc + 1 });
    }
    opts.set(o.name, o);
  }
  const sfuncOpt = opts.get('sfunc');
  const stypeOpt = opts.get('stype');
  if (stypeOpt === undefined) throw new DbError('invalid_function_definition', 'aggregate stype must be specified');
  if (sfuncOpt === undefined) throw new DbError('invalid_function_definition', 'aggregate sfunc must be specified');
  const stype = resolveTypeName(stypeOpt.value as TypeName);
  const argTypes = stmt.params.map((p) => resolveTypeName(p.type));
  const sfName = sfuncOpt.value as ObjectName;
  const sfunc = findFunction(catalog, sfName, searchPath, [stype, ...argTypes]);
  if (sfunc === undefined) {
    throw new DbError('undefined_function', `function ${describeCall(sfName, [stype, ...argTypes])} does not exist`, { position: sfuncOpt.loc + 1 });
  }
  if (sfunc.returnType?.oid !== stype.oid) {
    throw new DbError('datatype_mismatch', `return type of transition function ${sfName.name} is not ${formatType(stype)}`);
  }
  let finalfunc: RoutineDef | null = null;
  const ffOpt = opts.get('finalfunc');
  if (ffOpt !== undefined) {
    const ffName = ffOpt.value as ObjectName;
    finalfunc = findFunction(catalog, ffName, searchPath, [stype]) ?? null;
    if (finalfunc === null) {
      throw new DbError('undefined_function', `function ${describeCall(ffName, [stype])} does not exist`, { position: ffOpt.loc + 1 });
    }
  }
  const initOpt = opts.get('initcond');
  const initcond = initOpt === undefined ? null : String(initOpt.value);
  if (initcond !== null) {
    try {
      inputFunction(stype)(initcond, session.typeContext(txn));
    } catch (e) {
      if (e instanceof DbError) e.position = initOpt!.loc + 1;
      throw e;
    }
  }
  const existing = routinesNamed(catalog, schema, stmt.name.name).find((r) =>
    inputArgs(r).length === argTypes.length && inputArgs(r).every((a, i) => a.type.oid === argTypes[i]!.oid));
  if (existing !== undefined && !(stmt.orReplace && existing.kind === 'aggregate')) {
    throw new DbError('duplicate_function', `function "${stmt.name.name}(${argTypes.map(formatType).join(', ')})" already exists with same argument types`);
  }
  const def: RoutineDef = {
    kind: 'aggregate', oid: existing?.oid ?? catalog.allocOid(), schema, name: stmt.name.name, owner: session.user,
    args: stmt.params.map((p, i) => ({ name: p.name, type: argTypes[i]!, mode: 'in', default: null })),
    returnType: finalfunc?.returnType ?? stype, returnsSet: false, outColumns: null, trigger: null, language: 'internal',
    body: '', volatility: 'immutable', strict: false, securityDefiner: false, config: [],
    aggregate: { sfunc: sfunc.oid, stype, finalfunc: finalfunc?.oid ?? null, initcond },
    version: (existing?.version ?? 0) + 1, comment: existing?.comment ?? null,
  };
  putRoutine(catalog, def);
  return resultOf('CREATE AGGREGATE', 0);
}

const EVENTS: ReadonlySet<string> = new Set(['ddl_command_start', 'ddl_command_end', 'sql_drop']);

export function runCreateEventTrigger(stmt: CreateEventTriggerStmt, rc: RoutineDdlContext): StatementResult {
  const { session, txn } = rc;
  const catalog = session.catalogForDdl(txn);
  if (!EVENTS.has(stmt.event)) {
    throw new DbError('syntax_error', `unrecognized event name "${stmt.event}"`, { position: stmt.loc + 1 });
  }
  if ([...catalog.eventTriggers.values()].some((t) => t.name === stmt.name)) {
    throw new DbError('duplicate_object', `event trigger "${stmt.name}" already exists`);
  }
  const fns = (stmt.function.schema !== null ? routinesNamed(catalog, stmt.function.schema, stmt.function.name)
    : visibleRoutines(catalog, stmt.function.name, session.searchPath())).filter((r) => r.kind === 'function' && r.args.length === 0);
  const fn = fns[0];
  if (fn === undefined) {
    throw new DbError('undefined_function', `function ${stmt.function.name}() does not exist`, { position: stmt.function.loc + 1 });
  }
  if (fn.trigger !== 'event') {
    throw new DbError('invalid_object_definition', `function ${stmt.function.name} must return type event_trigger`);
  }
  const def: EventTriggerDef = {
    oid: catalog.allocOid(), name: stmt.name, event: stmt.event as EventTriggerEvent, tags: stmt.tags,
    functionOid: fn.oid, owner: session.user, enabled: true,
  };
  catalog.eventTriggers.set(def.oid, def);
  return resultOf('CREATE EVENT TRIGGER', 0);
}

function findEventTrigger(catalog: Catalog, name: string): EventTriggerDef | undefined {
  return [...catalog.eventTriggers.values()].find((t) => t.name === name);
}

export function runAlterEventTrigger(stmt: AlterEventTriggerStmt, rc: RoutineDdlContext): StatementResult {
  const catalog = rc.session.catalogForDdl(rc.txn);
  const t = findEventTrigger(catalog, stmt.name);
  if (t === undefined) throw new DbError('undefined_object', `event trigger "${stmt.name}" does not exist`);
  catalog.eventTriggers.set(t.oid, { ...t, enabled: stmt.enable });
  return resultOf('ALTER EVENT TRIGGER', 0);
}

export function runDropEventTrigger(stmt: DropEventTriggerStmt, rc: RoutineDdlContext): StatementResult {
  const catalog = rc.session.catalogForDdl(rc.txn);
  const t = findEventTrigger(catalog, stmt.name);
  if (t === undefined) {
    if (stmt.ifExists) {
      rc.session.notice('NOTICE', '00000', `event trigger "${stmt.name}" does not exist, skipping`);
      return resultOf('DROP EVENT TRIGGER', 0);
    }
    throw new DbError('undefined_object', `event trigger "${stmt.name}" does not exist`);
  }
  catalog.eventTriggers.delete(t.oid);
  return resultOf('DROP EVENT TRIGGER', 0);
}

export function runAlterTableTrigger(stmt: AlterTableTriggerStmt, rc: RoutineDdlContext): StatementResult {
  const catalog = rc.session.catalogForDdl(rc.txn);
  const rel = catalog.findRelation(stmt.table, rc.session.searchPath());
  if (rel === undefined || (rel.kind !== 'table' && rel.kind !== 'view')) {
    if (stmt.ifExists) {
      rc.session.notice('NOTICE', '00000', `relation "${stmt.table.name}" does not exist, skipping`);
      return resultOf('ALTER TABLE', 0);
    }
    if (rel === undefined) throw undefinedRelation(stmt.table);
    throw new DbError('wrong_object_type', `"${rel.name}" is not a table`);
  }
  const mine = [...catalog.triggers.values()].filter((t) => t.tableOid === rel.oid && (stmt.trigger === null || t.name === stmt.trigger));
  if (stmt.trigger !== null && mine.length === 0) {
    throw new DbError('undefined_object', `trigger "${stmt.trigger}" for table "${rel.name}" does not exist`);
  }
  for (const t of mine) catalog.triggers.set(t.oid, { ...t, enabled: stmt.enable });
  return resultOf('ALTER TABLE', 0);
}
