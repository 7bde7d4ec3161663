/**
 * PostgreSQL's condition names (plerrcodes.h) to SQLSTATE codes, for EXCEPTION WHEN, RAISE
 * condition_name and USING ERRCODE. The engine's own table (src/errors/sqlstate.ts) supplies
 * most names; the rest are codes Oxibase never raises itself but users may RAISE and catch.
 */
import { DbError, type DbErrorFields } from '../errors/index.ts';
import { SqlState, type SqlStateName } from '../errors/sqlstate.ts';

const EXTRA: Record<string, string> = {
  sql_statement_not_yet_complete: '03000',
  string_data_length_mismatch: '22026',
  trim_error: '22027',
  invalid_escape_character: '22019',
  indicator_overflow: '22022',
  floating_point_exception: '22P01',
  zero_length_character_string: '2200F',
  most_specific_type_mismatch: '2200G',
  invalid_indicator_parameter_value: '22010',
  null_value_not_allowed: '22004',
  exclusion_violation: '23P01',
  invalid_schema_definition: '42P15',
  duplicate_cursor: '42P03',
  undefined_schema: '3F000',
  warning_deprecated_feature: '01P01',
  invalid_grantor: '0L000',
  external_routine_exception: '38000',
  object_not_in_prerequisite_state: '55000',
  insufficient_resources: '53000',
  out_of_memory: '53200',
  disk_full: '53100',
  too_many_connections: '53300',
};

const byName = new Map<string, string>();
const nameByCode = new Map<string, SqlStateName>();
for (const [name, code] of Object.entries(SqlState)) {
  byName.set(name, code);
  if (!nameByCode.has(code)) nameByCode.set(code, name as SqlStateName);
}
for (const [name, code] of Object.entries(EXTRA)) if (!byName.has(name)) byName.set(name, code);

/** The SQLSTATE of a condition name, or null when PostgreSQL has no such condition. */
export function conditionCode(name: string): string | null {
  return byName.get(name.toLowerCase()) ?? null;
}

/** A five-character SQLSTATE of digits and upper-case letters. */
export function isValidSqlState(code: string): boolean {
  return /^[0-9A-Z]{5}$/.test(code);
}

/**
 * Whether an error with `code` is caught by a handler condition: equal codes, or the handler
 * names a class (xx000), which catches every code of the class, as in PostgreSQL.
 */
export function conditionMatches(handler: string, code: string): boolean {
  if (handler === 'OTHERS') return code !== SqlState.query_canceled && code !== SqlState.assert_failure;
  if (handler === code) return true;
  return handler.endsWith('000') && code.startsWith(handler.slice(0, 2));
}

/** A DbError carrying any SQLSTATE (RAISE SQLSTATE '...' may name codes Oxibase never raises). */
export function errorWithCode(code: string, message: string, fields?: DbErrorFields): DbError {
  const name = nameByCode.get(code);
  if (name !== undefined) return new DbError(name, message, fields);
  const e = new DbError('raise_exception', message, fields);
  Object.defineProperty(e, 'code', { value: code, enumerable: true });
  return e;
}
