/**
 * The one small interface every engine adapter implements, so a workload is written once and run
 * on every engine. Adapters drive each engine through its own natural embedded API (prepared
 * statements where it has them). SQL handed to an adapter uses `$1..$n` placeholders, numbered in
 * the order the parameters are passed; adapters whose engine wants `?` rewrite them.
 *
 * Invariants: `query` returns rows as positional arrays; `prepare` returns a handle that may be
 * run many times; `bulkLoad` is the engine's fastest natural path for loading generated data and
 * is never timed as a workload (it only builds the data sets).
 */

/** Which SQL text a workload should hand to an engine. */
export type Dialect = 'postgres' | 'sqlite' | 'duckdb' | 'alasql';

/** Column kinds for bulk loading (DuckDB's appender needs them; the rest ignore most of it). */
export type ColumnKind = 'int' | 'float' | 'text' | 'date';

export interface PreparedStatement {
  /** Runs a statement that returns no rows (INSERT/UPDATE/DELETE). */
  run(params: readonly unknown[]): Promise<void>;
  /** Runs a query and returns its rows as arrays. */
  all(params: readonly unknown[]): Promise<unknown[][]>;
  close(): Promise<void>;
}

export interface Engine {
  /** Stable id used on the command line and in the JSON ('oxibase', 'sqlite', ...). */
  readonly id: string;
  /** Human label with the version, e.g. 'SQLite 3.54.1 (better-sqlite3)'. */
  readonly label: string;
  readonly dialect: Dialect;
  /** Runs one or more statements (no parameters, results discarded). */
  exec(sql: string): Promise<void>;
  query(sql: string, params?: readonly unknown[]): Promise<unknown[][]>;
  prepare(sql: string): Promise<PreparedStatement>;
  /** Loads rows into an existing table as fast as the engine's natural API allows. */
  /**
   * Bytes of data the engine itself reports holding, for engines whose storage lives in a native
   * or wasm arena that process counters cannot attribute; null where the JS heap delta is right.
   */
  memoryBytes(): Promise<number | null>;
  bulkLoad(table: string, kinds: readonly ColumnKind[], rows: readonly (readonly unknown[])[]): Promise<void>;
  close(): Promise<void>;
}

/** Opens an engine, or returns a reason it is not available here. */
export interface EngineFactory {
  readonly id: string;
  readonly label: string;
  open(): Promise<Engine | string>;
}

/** Rewrites `$1..$n` placeholders to `?` (the parameters must be used in order, each once). */
export function toQuestionMarks(sql: string): string {
  return sql.replace(/\$\d+/g, '?');
}

/** Splits rows into chunks of at most `size` rows (for multi-row INSERT statements). */
export function* chunks<T>(rows: readonly T[], size: number): Generator<readonly T[]> {
  for (let start = 0; start < rows.length; start += size) yield rows.slice(start, start + size);
}

/** Renders a JS value as an SQL literal (numbers, strings, null) for generated load statements. */
export function sqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'NULL';
  if (typeof value === 'bigint') return value.toString();
  return `'${String(value).replace(/'/g, "''")}'`;
}
