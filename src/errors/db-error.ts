/**
 * DbError: the one error type the engine throws for anything a client should see. It carries a
 * PostgreSQL SQLSTATE code and, when the error points into SQL text, a 1-based character position
 * (PostgreSQL's convention, which psql and drivers use to draw the caret).
 */
import { SqlState, type SqlStateName } from './sqlstate.ts';

export interface DbErrorFields {
  detail?: string;
  hint?: string;
  /** 1-based character offset into the statement text. */
  position?: number;
  /** Names of the schema/table/column/constraint involved, as PostgreSQL reports them. */
  schema?: string;
  table?: string;
  column?: string;
  constraint?: string;
  /** Extra context lines (e.g. where inside a function body the error happened). */
  where?: string;
}

export class DbError extends Error {
  readonly code: string;
  readonly severity: 'ERROR' | 'FATAL' | 'PANIC';
  detail: string | undefined;
  hint: string | undefined;
  position: number | undefined;
  schema: string | undefined;
  table: string | undefined;
  column: string | undefined;
  constraint: string | undefined;
  where: string | undefined;

  constructor(state: SqlStateName, message: string, fields: DbErrorFields = {}) {
    super(message);
    this.name = 'DbError';
    this.code = SqlState[state];
    this.severity = 'ERROR';
    this.detail = fields.detail;
    this.hint = fields.hint;
    this.position = fields.position;
    this.schema = fields.schema;
    this.table = fields.table;
    this.column = fields.column;
    this.constraint = fields.constraint;
    this.where = fields.where;
  }

  /** Alias matching node-postgres' field name, so code written for pg reads the same. */
  get sqlstate(): string {
    return this.code;
  }
}

/** Constructs a DbError; a function so call sites read `throw err('division_by_zero', ...)`. */
export function err(state: SqlStateName, message: string, fields?: DbErrorFields): DbError {
  return new DbError(state, message, fields);
}

/** Attaches a position to an error thrown without one (e.g. by a cast deep in evaluation). */
export function withPosition(e: unknown, position: number | undefined): unknown {
  if (e instanceof DbError && e.position === undefined && position !== undefined) {
    e.position = position;
  }
  return e;
}

export function isDbError(e: unknown): e is DbError {
  return e instanceof DbError;
}

/**
 * Turns anything thrown while running a statement into a DbError, so a client always gets a
 * SQLSTATE: a JavaScript stack overflow is PostgreSQL's 54001, any other non-DbError is a bug in
 * Oxibase and reported as XX000 with the original error kept as `cause`.
 */
export function toDbError(e: unknown): DbError {
  if (e instanceof DbError) return e;
  if (e instanceof RangeError && /call stack/i.test(e.message)) {
    return new DbError('statement_too_complex', 'stack depth limit exceeded',
      { hint: 'The statement is nested too deeply.' });
  }
  const message = e instanceof Error ? e.message : String(e);
  const wrapped = new DbError('internal_error', `internal error: ${message}`);
  (wrapped as { cause?: unknown }).cause = e;
  return wrapped;
}
