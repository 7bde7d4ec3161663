/**
 * Errors raised by script runtimes. A script may throw any SQLSTATE (`throw {sqlstate: '23505',
 * message}` in JavaScript, `raise oxibase.Error('...', sqlstate='23505')` in Python), which is not
 * necessarily one of the names in src/errors/sqlstate.ts, so these helpers build a DbError and
 * then set the code; everything else about the error is the engine's usual DbError.
 */
import { DbError, type DbErrorFields } from '../errors/index.ts';
import { SqlState, type SqlStateName } from '../errors/sqlstate.ts';

const SQLSTATE_RE = /^[0-9A-Z]{5}$/;

const nameByCode = new Map<string, SqlStateName>(
  (Object.entries(SqlState) as [SqlStateName, string][]).map(([name, code]) => [code, name]));

/** True when `code` is a well-formed SQLSTATE (five digits or upper-case letters). */
export function isSqlState(code: unknown): code is string {
  return typeof code === 'string' && SQLSTATE_RE.test(code);
}

/** A DbError with an arbitrary (well-formed) SQLSTATE; unknown codes keep their text. */
export function errorWithCode(code: string, message: string, fields?: DbErrorFields): DbError {
  const name = nameByCode.get(code);
  const e = new DbError(name ?? 'raise_exception', message, fields);
  if (name === undefined) (e as { code: string }).code = code;
  return e;
}

/** Where inside a routine body something happened: 1-based line and column. */
export interface BodyPosition {
  readonly line: number;
  readonly column: number;
}

/** The PostgreSQL-style context line for an error inside a routine body. */
export function whereLine(language: string, routine: string, pos: BodyPosition | null, fn?: string): string {
  const at = pos === null ? '' : ` line ${pos.line}, column ${pos.column}`;
  const inFn = fn !== undefined && fn !== '' ? ` (in ${fn})` : '';
  return `${language} function ${routine}${at}${inFn}`;
}

/** A compile-time error (syntax error in a body) pointing into the body. */
export function compileError(language: string, routine: string, message: string, pos: BodyPosition | null): DbError {
  const at = pos === null ? '' : ` at line ${pos.line}, column ${pos.column}`;
  return new DbError('syntax_error', `${message}${at} of ${language} function ${routine}`, {
    where: whereLine(language, routine, pos),
  });
}

/** 57014 for a routine that ran past its CPU time limit. */
export function cpuLimitError(routine: string, cpuMillis: number): DbError {
  return new DbError('query_canceled',
    `canceling statement due to routine CPU time limit: ${routine} ran longer than ${cpuMillis} ms`,
    { hint: 'Raise the routine\'s cpu limit setting, or make the function do less work per call.' });
}

/** 53200 for a routine whose sandbox heap ran past its memory limit. */
export function memoryLimitError(routine: string, memoryBytes: number): DbError {
  return new DbError('out_of_memory', `out of memory in routine ${routine}`, {
    detail: `The routine's sandbox heap exceeded its limit of ${memoryBytes} bytes.`,
  });
}
