/**
 * Routine statements beyond the PostgreSQL core grammar already in utility.ts: CREATE AGGREGATE,
 * event triggers, ALTER TABLE ... ENABLE / DISABLE TRIGGER, and Oxibase's schedules
 * (CREATE SCHEDULE name CRON '...' CALL proc(...)).
 */
import type { ObjectName, TypeName } from './common.ts';
import type { FuncCall } from './expr.ts';
import type { FunctionParam, FunctionSignature } from './ddl.ts';

/** One `NAME = value` of CREATE AGGREGATE (name lower-cased). */
export interface AggregateOption {
  readonly kind: 'AggregateOption';
  readonly name: string;
  /** A function name (SFUNC, FINALFUNC ...), a type (STYPE), or text (INITCOND, PARALLEL ...). */
  readonly value: ObjectName | TypeName | string;
  readonly loc: number;
}

export interface CreateAggregateStmt {
  readonly kind: 'CreateAggregate';
  readonly orReplace: boolean;
  readonly name: ObjectName;
  readonly params: readonly FunctionParam[];
  readonly options: readonly AggregateOption[];
  readonly loc: number;
}

export interface CreateEventTriggerStmt {
  readonly kind: 'CreateEventTrigger';
  readonly name: string;
  /** ddl_command_start | ddl_command_end | sql_drop (lower case, as written). */
  readonly event: string;
  /** WHEN TAG IN ('CREATE TABLE', ...), upper-cased; empty = any. */
  readonly tags: readonly string[];
  readonly function: ObjectName;
  readonly loc: number;
}

/** ALTER EVENT TRIGGER name ENABLE | DISABLE. */
export interface AlterEventTriggerStmt {
  readonly kind: 'AlterEventTrigger';
  readonly name: string;
  readonly enable: boolean;
  readonly loc: number;
}

export interface DropEventTriggerStmt {
  readonly kind: 'DropEventTrigger';
  readonly ifExists: boolean;
  readonly name: string;
  readonly behavior: 'default' | 'restrict' | 'cascade';
  readonly loc: number;
}

/** ALTER TABLE name ENABLE | DISABLE TRIGGER name | ALL | USER. */
export interface AlterTableTriggerStmt {
  readonly kind: 'AlterTableTrigger';
  readonly table: ObjectName;
  readonly ifExists: boolean;
  readonly enable: boolean;
  /** Trigger name, or null for ALL / USER (every trigger: there are no internal ones). */
  readonly trigger: string | null;
  readonly loc: number;
}

/** One change of ALTER FUNCTION / PROCEDURE / ROUTINE / AGGREGATE. */
export type AlterRoutineAction =
  | { readonly kind: 'rename'; readonly name: string }
  | { readonly kind: 'owner'; readonly role: string }
  | { readonly kind: 'schema'; readonly schema: string }
  /** volatility / strict / security / set (as RoutineOption values of CREATE FUNCTION). */
  | { readonly kind: 'options'; readonly options: readonly { readonly name: string; readonly value: boolean | string | readonly string[] }[] }
  | { readonly kind: 'reset'; readonly name: string };

export interface AlterRoutineStmt {
  readonly kind: 'AlterRoutine';
  readonly objectType: 'function' | 'procedure' | 'routine' | 'aggregate';
  readonly signature: FunctionSignature;
  readonly action: AlterRoutineAction;
  readonly loc: number;
}
