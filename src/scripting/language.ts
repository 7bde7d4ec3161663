/**
 * The contract between the engine and the languages routine bodies are written in (JavaScript,
 * TypeScript, Python, PL/pgSQL, SQL). The engine owns the catalog, argument binding, privileges and
 * the transaction; a language owns compiling a body once and running it many times.
 *
 * Values crossing this boundary are in the engine's runtime representation (src/types/sql-type.ts:
 * int8 number|bigint, NumericValue, µs timestamps, SqlArray...). A language that wants native
 * values for its scripts converts at its edge (src/engine/js-values.ts has the API mapping), and
 * precomputes those converters at compile time because call() is the hot path.
 */
import type { Env } from '../env/index.ts';
import type { SqlType } from '../types/sql-type.ts';
import type { TypeContext } from '../types/context.ts';

/** A column of a query result or of a row type. */
export interface FieldInfo {
  readonly name: string;
  readonly type: SqlType;
}

/** What a statement run from inside a routine produced. */
export interface HostQueryResult {
  /** Command tag word (SELECT, INSERT, UPDATE, ...). */
  readonly command: string;
  /** Rows affected (DML) or returned (SELECT). */
  readonly rowCount: number;
  readonly fields: readonly FieldInfo[];
  /** Rows in engine representation, one array per row aligned with `fields`. */
  readonly rows: readonly (readonly unknown[])[];
}

/** A statement prepared once by a routine and run many times (PL/pgSQL expressions, SPI-style plans). */
export interface HostPrepared {
  readonly fields: readonly FieldInfo[];
  /** Types of $1..$n as inferred or given at prepare time. */
  readonly paramTypes: readonly SqlType[];
  run(params: readonly unknown[]): HostQueryResult;
}

/** Severity levels of oxibase.log / RAISE; 'exception' is not here: that is a thrown DbError. */
export type LogLevel = 'debug' | 'log' | 'info' | 'notice' | 'warning';

/**
 * The calling session as a routine sees it.
 *
 * Errors: query / prepare / subtransaction throw DbErrors, and also the engine's LockWait (not a
 * DbError) when a row is held by another transaction; a language must let anything that is not a
 * DbError thrown by a host method propagate unchanged (the session waits and re-runs the
 * statement), and must not turn it into a script-level exception. Every method runs inside the caller's transaction and
 * with the routine's effective role (SECURITY DEFINER switches it), so a rollback of the caller
 * undoes everything a routine wrote.
 */
export interface RoutineHost {
  readonly env: Env;
  readonly types: TypeContext;
  /** Runs one SQL statement with $n parameters (engine-representation values). */
  query(sql: string, params?: readonly unknown[], paramTypes?: readonly SqlType[]): HostQueryResult;
  /** Parses and plans once; paramTypes fixes $n types (unknown ones are inferred). */
  prepare(sql: string, paramTypes?: readonly SqlType[]): HostPrepared;
  /**
   * Optional (added by the engine side): like prepare, but a bare identifier that names no column
   * in scope resolves to the parameter of that name (`argNames[i]` is $i+1), and so does
   * `routineName.arg`. This is how SQL and PL/pgSQL bodies refer to arguments by name.
   */
  prepareNamed?(sql: string, paramTypes: readonly SqlType[], argNames: readonly (string | null)[],
    routineName?: string): HostPrepared;
  /** Sends a notice to the client and records it in the routine log (oxibase.log, RAISE NOTICE). */
  log(level: LogLevel, message: string, detail?: { sqlstate?: string; hint?: string; detail?: string }): void;
  /** Captured standard output of the script (print(), console.log). */
  print(text: string): void;
  /**
   * Runs `fn` in a subtransaction: on a thrown error everything it did is rolled back and the error
   * rethrown (PL/pgSQL EXCEPTION blocks, Python try around oxibase.query).
   */
  subtransaction<T>(fn: () => T): T;
  /** Throws 57014 when the statement was cancelled or its statement_timeout has passed. */
  checkInterrupt(): void;
}

/** A routine's signature and body as the catalog stores it, handed to a language to compile. */
export interface RoutineSource {
  /** Qualified name for messages and stack traces (schema.name). */
  readonly name: string;
  /** Normalized language name (js, ts, python, plpgsql, sql). */
  readonly language: string;
  readonly body: string;
  /** Input argument names (null for unnamed ones), in call order. */
  readonly argNames: readonly (string | null)[];
  readonly argTypes: readonly SqlType[];
  /** Result type; null for procedures without OUT arguments and for `void`. */
  readonly returnType: SqlType | null;
  /** RETURNS SETOF / RETURNS TABLE. */
  readonly returnsSet: boolean;
  /** Columns of RETURNS TABLE(...) or of OUT arguments; null for a scalar result. */
  readonly outColumns: readonly FieldInfo[] | null;
  /** RETURNS trigger. */
  readonly isTrigger: boolean;
  readonly isProcedure: boolean;
  /** Effective per-call limits (function settings over global settings). */
  readonly limits: RoutineLimits;
}

export interface RoutineLimits {
  /** CPU time per call in ms (0 = unlimited); exceeding it raises 57014. */
  readonly cpuMillis: number;
  /** Heap limit of the routine's sandbox in bytes (0 = unlimited); exceeding it raises 53200. */
  readonly memoryBytes: number;
}

/** What a trigger function receives besides its (text) arguments. */
export interface TriggerCall {
  readonly name: string;
  /** TG_WHEN */
  readonly when: 'BEFORE' | 'AFTER' | 'INSTEAD OF';
  /** TG_LEVEL */
  readonly level: 'ROW' | 'STATEMENT';
  /** TG_OP */
  readonly op: 'INSERT' | 'UPDATE' | 'DELETE' | 'TRUNCATE';
  readonly tableSchema: string;
  readonly tableName: string;
  readonly columns: readonly FieldInfo[];
  /** Row images aligned with `columns`; null where the event has none. */
  readonly oldRow: readonly unknown[] | null;
  readonly newRow: readonly unknown[] | null;
  /** TG_ARGV */
  readonly args: readonly string[];
}

/** What an event trigger function receives (TG_EVENT, TG_TAG). Added by the engine side. */
export interface EventTriggerCall {
  /** ddl_command_start | ddl_command_end | sql_drop */
  readonly event: string;
  /** The command tag, e.g. 'CREATE TABLE'. */
  readonly tag: string;
}

/**
 * A compiled body. call() is the hot path: no parsing, no interpreter start-up.
 * Scalar functions return one value; set-returning ones an array of values (or of row arrays when
 * `outColumns` is set); procedures with OUT arguments a row array; triggers a row array (the
 * possibly modified NEW/OLD) or null to skip the row.
 */
export interface CompiledRoutine {
  call(args: readonly unknown[], host: RoutineHost): unknown;
  /** Trigger entry point; present when the source was compiled with isTrigger. */
  callTrigger?(trigger: TriggerCall, host: RoutineHost): readonly unknown[] | null;
  /** Event trigger entry point (RETURNS event_trigger); optional, added by the engine side. */
  callEventTrigger?(event: EventTriggerCall, host: RoutineHost): void;
  /**
   * Optional batched entry point for scalar calls: one result per argument row. The engine uses it
   * where rows are available in batches (projection over a scan) to amortize the boundary crossing.
   */
  callBatch?(argRows: readonly (readonly unknown[])[], host: RoutineHost): unknown[];
  /** Frees interpreter resources (after DROP/REPLACE, or cache eviction). */
  dispose(): void;
}

/** A language: compiles bodies. */
export interface LanguageHandler {
  /** Names accepted in LANGUAGE (lower case), the first one canonical. */
  readonly names: readonly string[];
  /**
   * PostgreSQL's trusted-language model: a trusted language is sandboxed and any role with USAGE
   * may create functions in it; an untrusted one only superusers.
   */
  readonly trusted: boolean;
  /**
   * Checks and compiles a body. Errors are DbErrors (42601 syntax_error / 42P13 invalid_function_
   * definition) whose message gives the line and column inside the body.
   */
  compile(source: RoutineSource): CompiledRoutine;
}
