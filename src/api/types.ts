/**
 * The public types of the embedded API (`import { Oxibase } from 'oxibase'`). Later layers (the
 * servers, the CLI, scripting) use exactly this contract.
 *
 * Value mapping (documented in docs/api.md):
 *   bool -> boolean; int2/int4 -> number; int8 -> number when within ±(2^53-1), else bigint;
 *   numeric -> string (exact, e.g. '12.50'); float4/float8 -> number; text types -> string;
 *   date -> string 'YYYY-MM-DD'; time -> string 'HH:MM:SS[.ffffff]';
 *   timestamp -> string 'YYYY-MM-DD HH:MM:SS[.ffffff]'; timestamptz -> string with offset in the
 *   session TimeZone (strings keep PostgreSQL's microsecond precision, which Date cannot);
 *   interval -> string in PostgreSQL's format; json/jsonb -> parsed JS value; uuid -> string;
 *   bytea -> Uint8Array; arrays -> JS arrays of the element mapping; NULL -> null.
 * Parameters accept the same shapes, plus Date for date/time types, number/bigint/string for
 * numerics, and plain objects/arrays for json/jsonb.
 */

export interface FieldInfo {
  /** Column name as the result labels it. */
  readonly name: string;
  /** PostgreSQL type OID (see src/types/sql-type.ts). */
  readonly typeOid: number;
  /** SQL type name as format_type prints it, e.g. 'integer', 'character varying(20)'. */
  readonly type: string;
}

export interface QueryResult<R = Record<string, unknown>> {
  /** Result rows as objects keyed by column name (later duplicate names win, as in node-postgres). */
  readonly rows: R[];
  readonly fields: readonly FieldInfo[];
  /** Rows returned (SELECT) or affected (INSERT/UPDATE/DELETE...). */
  readonly rowCount: number;
  /** The command tag's verb: 'SELECT', 'INSERT', 'UPDATE', 'CREATE TABLE', 'BEGIN', ... */
  readonly command: string;
  /** The full PostgreSQL command tag, e.g. 'INSERT 0 3', 'SELECT 2'. */
  readonly commandTag: string;
  /** Notices raised while running the statement (RAISE NOTICE, warnings). */
  readonly notices: readonly Notice[];
}

export interface Notice {
  readonly severity: 'NOTICE' | 'WARNING' | 'INFO' | 'DEBUG' | 'LOG';
  readonly code: string;
  readonly message: string;
  readonly detail?: string;
  readonly hint?: string;
}

export type TransactionIsolation = 'read committed' | 'repeatable read' | 'serializable';

export interface TransactionOptions {
  isolation?: TransactionIsolation;
  readOnly?: boolean;
}

/** Anything that runs SQL: a database (its default session) or a session. */
export interface Queryable {
  /**
   * Runs SQL and returns the result of its last statement. With parameters ($1..$n) the text must
   * be a single statement.
   */
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
  /** Runs one or more statements separated by ';' and returns every statement's result. */
  exec(sql: string): Promise<QueryResult[]>;
  /** Returns rows as arrays (positional) instead of objects: faster and duplicate-name safe. */
  queryArrays(sql: string, params?: readonly unknown[]): Promise<ArrayResult>;
  /**
   * Parses one statement now, to run it many times with different parameters on this session (a
   * driver's prepared statement). A syntax error is reported here, with its position.
   */
  prepare(sql: string): Promise<PreparedStatement>;
}

/** queryArrays' result: rows as positional arrays. */
export interface ArrayResult {
  readonly rows: unknown[][];
  readonly fields: readonly FieldInfo[];
  readonly rowCount: number;
  readonly command: string;
}

/**
 * A statement parsed once (Queryable.prepare). Each run skips the text lookup and parse; the plan
 * is cached with the statement and made again when the schema or settings it depends on change.
 * Nothing to close: it lives as long as it is referenced.
 */
export interface PreparedStatement {
  /** The statement's text. */
  readonly sql: string;
  query<R = Record<string, unknown>>(params?: readonly unknown[]): Promise<QueryResult<R>>;
  queryArrays(params?: readonly unknown[]): Promise<ArrayResult>;
}

/** A column as \d shows it. */
export interface ColumnDescription {
  readonly name: string;
  readonly type: string;
  readonly nullable: boolean;
  readonly default: string | null;
  readonly identity: 'always' | 'by default' | null;
  readonly generated: string | null;
}

export interface RelationDescription {
  readonly schema: string;
  readonly name: string;
  readonly kind: 'table' | 'view' | 'sequence' | 'index' | 'materialized view';
  readonly owner: string;
  readonly columns: readonly ColumnDescription[];
  /** Index definitions as CREATE INDEX text, with flags. */
  readonly indexes: readonly { name: string; definition: string; primary: boolean; unique: boolean }[];
  /** Constraints as PostgreSQL prints them, e.g. 'CHECK (price > 0)', 'FOREIGN KEY (a) REFERENCES t(id)'. */
  readonly constraints: readonly { name: string; type: 'p' | 'u' | 'c' | 'f'; definition: string }[];
  /** Tables whose foreign keys reference this one (\d shows "Referenced by"). */
  readonly referencedBy: readonly { table: string; constraint: string; definition: string }[];
  /** View definition text, for views. */
  readonly viewDefinition: string | null;
  readonly comment: string | null;
}

/** An independent session: its own transaction state, settings and prepared statements. */
export interface Session extends Queryable {
  /** 'idle' | 'in transaction' | 'in failed transaction' (PostgreSQL's ReadyForQuery I/T/E). */
  readonly transactionStatus: 'idle' | 'in transaction' | 'in failed transaction';
  /** Runs `fn` in a transaction: commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** Catalog introspection for tools (psql-like \d): relations visible on the search path. */
  listRelations(kinds?: readonly RelationDescription['kind'][]): Promise<RelationDescription[]>;
  /** Describes one relation by (optionally schema-qualified) name; null if none. */
  describeRelation(name: string): Promise<RelationDescription | null>;
  /** Ends the session, rolling back an open transaction. */
  close(): Promise<void>;
}
