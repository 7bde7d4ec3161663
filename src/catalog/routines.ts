/**
 * Catalog definitions of user routines (functions, procedures, aggregates), triggers and event
 * triggers, and their lookups. Like every catalog object they are immutable: CREATE OR REPLACE
 * builds a new definition (with `version` + 1) and puts it in the transaction's catalog copy, so
 * routine DDL is transactional. Compiled bodies are cached outside the catalog, keyed by the
 * definition object (src/routines/compiled-cache.ts).
 *
 * Invariants:
 * - oids are unique across relations, routines and triggers (one allocator, Catalog.allocOid).
 * - Two routines in one schema never share a name and input argument types (overloads differ).
 * - A trigger names its table and function by oid; dropping either drops or refuses the trigger.
 */
import type { Catalog } from './catalog.ts';
import type { StoredExpr } from './objects.ts';
import type { SqlType } from '../types/sql-type.ts';

export type RoutineKind = 'function' | 'procedure' | 'aggregate';
export type ArgMode = 'in' | 'out' | 'inout' | 'variadic';

/** One declared argument. OUT arguments are part of the result, not of the call. */
export interface RoutineArg {
  readonly name: string | null;
  readonly type: SqlType;
  readonly mode: ArgMode;
  /** DEFAULT expression (its text and parse); only trailing input arguments have one. */
  readonly default: StoredExpr | null;
}

/** CREATE AGGREGATE parts: the transition and final functions by oid. */
export interface AggregateParts {
  readonly sfunc: number;
  readonly stype: SqlType;
  readonly finalfunc: number | null;
  /** INITCOND text, converted to `stype` when a group starts; null = NULL state. */
  readonly initcond: string | null;
}

export interface RoutineDef {
  readonly kind: RoutineKind;
  readonly oid: number;
  readonly schema: string;
  readonly name: string;
  readonly owner: string;
  readonly args: readonly RoutineArg[];
  /** Result type: the scalar type, the element type of SETOF, record for TABLE/OUT rows; null = void. */
  readonly returnType: SqlType | null;
  readonly returnsSet: boolean;
  /** RETURNS TABLE(...) columns or the OUT/INOUT arguments (more than one); null for a scalar. */
  readonly outColumns: readonly { readonly name: string; readonly type: SqlType }[] | null;
  /** RETURNS trigger / event_trigger. */
  readonly trigger: 'row' | 'event' | null;
  /** Canonical language name (js, ts, python, plpgsql, sql, internal for aggregates). */
  readonly language: string;
  readonly body: string;
  readonly volatility: 'immutable' | 'stable' | 'volatile';
  readonly strict: boolean;
  readonly securityDefiner: boolean;
  /** SET name = value clauses, applied around each call (oxibase.cpu_limit_ms ...). */
  readonly config: readonly (readonly [string, string])[];
  readonly aggregate: AggregateParts | null;
  /** Bumped by CREATE OR REPLACE: compiled bodies are cached per (oid, version). */
  readonly version: number;
  readonly comment: string | null;
}

export type TriggerEvent = 'insert' | 'update' | 'delete' | 'truncate';

export interface TriggerDef {
  readonly oid: number;
  readonly name: string;
  readonly tableOid: number;
  readonly timing: 'before' | 'after' | 'instead_of';
  readonly events: readonly TriggerEvent[];
  /** UPDATE OF columns (attnums); empty = any column. */
  readonly updateColumns: readonly number[];
  readonly level: 'row' | 'statement';
  readonly when: StoredExpr | null;
  readonly functionOid: number;
  readonly args: readonly string[];
  readonly enabled: boolean;
}

export type EventTriggerEvent = 'ddl_command_start' | 'ddl_command_end' | 'sql_drop';

export interface EventTriggerDef {
  readonly oid: number;
  readonly name: string;
  readonly event: EventTriggerEvent;
  /** WHEN TAG IN (...) filter, upper case; empty = every command. */
  readonly tags: readonly string[];
  readonly functionOid: number;
  readonly owner: string;
  readonly enabled: boolean;
}

/** Input arguments (IN, INOUT, VARIADIC): what a call passes. */
export function inputArgs(def: RoutineDef): RoutineArg[] {
  return def.args.filter((a) => a.mode !== 'out');
}

/** Output arguments (OUT, INOUT): the columns of a procedure's or function's row result. */
export function outputArgs(def: RoutineDef): RoutineArg[] {
  return def.args.filter((a) => a.mode === 'out' || a.mode === 'inout');
}

/** Identity of a signature within a schema: name and input argument type oids. */
export function signatureKey(name: string, argTypes: readonly SqlType[]): string {
  return `${name}(${argTypes.map((t) => t.oid).join(',')})`;
}

/** Routines named `name` in `schema`, by kind filter. */
export function routinesNamed(catalog: Catalog, schema: string, name: string): RoutineDef[] {
  const out: RoutineDef[] = [];
  for (const r of byName(catalog).get(name) ?? []) if (r.schema === schema) out.push(r);
  return out;
}

/** Every routine named `name` (any schema), for binder lookup through the search path. */
export function routinesByName(catalog: Catalog, name: string): readonly RoutineDef[] {
  if (catalog.routines.size === 0) return NONE;
  return byName(catalog).get(name) ?? NONE;
}

const NONE: readonly RoutineDef[] = [];

/**
 * Name index over a routines map, rebuilt when the map's content changes. Catalog copies share
 * the index until one of them is edited (putRoutine/removeRoutine drop it).
 */
const nameIndex = new WeakMap<Map<number, RoutineDef>, Map<string, RoutineDef[]>>();

function byName(catalog: Catalog): Map<string, RoutineDef[]> {
  let idx = nameIndex.get(catalog.routines);
  if (idx === undefined) {
    idx = new Map();
    for (const r of catalog.routines.values()) {
      let list = idx.get(r.name);
      if (list === undefined) idx.set(r.name, (list = []));
      list.push(r);
    }
    nameIndex.set(catalog.routines, idx);
  }
  return idx;
}

export function putRoutine(catalog: Catalog, def: RoutineDef): void {
  catalog.routines.set(def.oid, def);
  nameIndex.delete(catalog.routines);
}

export function removeRoutine(catalog: Catalog, def: RoutineDef): void {
  catalog.routines.delete(def.oid);
  nameIndex.delete(catalog.routines);
}

/** Removes a routine with the triggers, event triggers and aggregates that use it (CASCADE). */
export function dropRoutineInCatalog(catalog: Catalog, def: RoutineDef): void {
  for (const t of [...catalog.triggers.values()]) if (t.functionOid === def.oid) catalog.triggers.delete(t.oid);
  for (const t of [...catalog.eventTriggers.values()]) if (t.functionOid === def.oid) catalog.eventTriggers.delete(t.oid);
  for (const a of [...catalog.routines.values()]) {
    if (a.aggregate !== null && (a.aggregate.sfunc === def.oid || a.aggregate.finalfunc === def.oid)) removeRoutine(catalog, a);
  }
  removeRoutine(catalog, def);
}

/** Triggers of a table, in firing order (PostgreSQL fires same-timing triggers by name). */
export function tableTriggers(catalog: Catalog, tableOid: number): TriggerDef[] {
  if (catalog.triggers.size === 0) return [];
  const out: TriggerDef[] = [];
  for (const t of catalog.triggers.values()) if (t.tableOid === tableOid) out.push(t);
  out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return out;
}

/** Qualified display name: schema.name(argtypes) is built by callers that know type names. */
export function qualifiedName(def: { schema: string; name: string }): string {
  return `${def.schema}.${def.name}`;
}
