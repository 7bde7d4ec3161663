/**
 * LANGUAGE sql: a body of one or more SQL statements run in order in the caller's transaction.
 * Arguments are reachable as $1..$n and by name (a column of the same name wins, as in
 * PostgreSQL; `fname.arg` qualifies). The result is the last statement's: its first row for a
 * scalar function (NULL when it returns no row), every row for SETOF / RETURNS TABLE, nothing for
 * a procedure without OUT arguments or a `void` function.
 *
 * Invariants:
 * - The body is parsed once, at compile time (CREATE FUNCTION reports syntax errors); each call
 *   only runs the prepared statements.
 * - Result values are converted to the declared type (assignment casts); a final statement whose
 *   type cannot be converted is 42P13, as PostgreSQL's check_sql_fn_retval.
 */
import { DbError } from '../errors/index.ts';
import { parse } from '../sql/index.ts';
import type { ParsedStatement } from '../sql/ast.ts';
import { findCast } from '../types/cast.ts';
import { formatType, type SqlType } from '../types/sql-type.ts';
import type { TypeContext } from '../types/context.ts';
import type {
  CompiledRoutine, FieldInfo, HostPrepared, HostQueryResult, LanguageHandler, RoutineHost, RoutineSource,
} from './language.ts';

const RETURNING_KINDS = new Set(['Insert', 'Update', 'Delete']);
const QUERY_KINDS = new Set(['Select', 'SetOperation', 'Values']);

export const sqlLanguage: LanguageHandler = {
  names: ['sql'],
  trusted: true,
  compile(source: RoutineSource): CompiledRoutine {
    if (source.isTrigger) {
      throw new DbError('feature_not_supported', 'SQL functions cannot return type trigger');
    }
    const statements = parseBody(source);
    checkFinalStatement(source, statements);
    return new SqlRoutine(source, statements.map((p) => source.body.slice(p.start, p.end)));
  },
};

function parseBody(source: RoutineSource): ParsedStatement[] {
  try {
    return parse(source.body);
  } catch (e) {
    if (e instanceof DbError && e.position !== undefined) {
      const { line, column } = lineColumn(source.body, e.position - 1);
      e.message = `${e.message} (line ${line}, column ${column} of the body of SQL function "${source.name}")`;
      e.position = undefined;
    }
    throw e;
  }
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) { line++; start = i + 1; }
  }
  return { line, column: offset - start + 1 };
}

function checkFinalStatement(source: RoutineSource, statements: readonly ParsedStatement[]): void {
  const wantsResult = source.returnType !== null;
  if (!wantsResult) return;
  const last = statements[statements.length - 1];
  const ok = last !== undefined && (QUERY_KINDS.has(last.stmt.kind) ||
    (RETURNING_KINDS.has(last.stmt.kind) && (last.stmt as { returning?: readonly unknown[] | null }).returning != null &&
      ((last.stmt as { returning: readonly unknown[] }).returning.length > 0)));
  if (!ok) {
    throw new DbError('invalid_function_definition',
      `return type mismatch in function declared to return ${formatType(source.returnType!)}`,
      { detail: "Function's final statement must be SELECT or INSERT/UPDATE/DELETE RETURNING." });
  }
}

/** A compiled SQL body: statement texts, prepared per host (session) on first use. */
class SqlRoutine implements CompiledRoutine {
  private readonly source: RoutineSource;
  private readonly texts: readonly string[];
  private readonly prepared = new WeakMap<RoutineHost, HostPrepared[]>();

  constructor(source: RoutineSource, texts: readonly string[]) {
    this.source = source;
    this.texts = texts;
  }

  call(args: readonly unknown[], host: RoutineHost): unknown {
    const stmts = this.statementsFor(host);
    let last: HostQueryResult | null = null;
    for (const p of stmts) {
      host.checkInterrupt();
      last = p.run(args);
    }
    return this.result(last, host.types);
  }

  private statementsFor(host: RoutineHost): HostPrepared[] {
    let list = this.prepared.get(host);
    if (list === undefined) {
      const { argTypes, argNames } = this.source;
      const named = host.prepareNamed;
      list = this.texts.map((t) => (named !== undefined
        ? named.call(host, t, argTypes, argNames, this.source.name.slice(this.source.name.lastIndexOf('.') + 1))
        : host.prepare(t, argTypes)));
      this.prepared.set(host, list);
    }
    return list;
  }

  private result(last: HostQueryResult | null, types: TypeContext): unknown {
    const s = this.source;
    // void functions and procedures without OUT arguments return nothing.
    if (s.returnType === null) return null;
    if (last === null) return s.returnsSet ? [] : null;
    const convertRow = rowConverter(s, last.fields, types);
    if (s.returnsSet) return last.rows.map((r) => convertRow(r));
    const first = last.rows[0];
    return first === undefined ? null : convertRow(first);
  }

  dispose(): void { /* statements hold no resources beyond the session's plan cache */ }
}

/** Converts one result row to the declared result: a scalar, or a row array for OUT/TABLE columns. */
function rowConverter(s: RoutineSource, fields: readonly FieldInfo[], types: TypeContext): (r: readonly unknown[]) => unknown {
  if (s.outColumns !== null) {
    const cols = s.outColumns;
    if (fields.length !== cols.length) throw mismatch(s, fields);
    const casts = cols.map((c, i) => castFor(s, fields[i]!.type, c.type, fields));
    return (r) => r.map((v, i) => (v === null ? null : casts[i]!(v, types)));
  }
  if (fields.length !== 1) throw mismatch(s, fields);
  const cast = castFor(s, fields[0]!.type, s.returnType!, fields);
  return (r) => (r[0] === null || r[0] === undefined ? null : cast(r[0], types));
}

function castFor(s: RoutineSource, from: SqlType, to: SqlType, fields: readonly FieldInfo[]):
  (v: unknown, t: TypeContext) => unknown {
  if (from.oid === to.oid && from.typmod === to.typmod) return (v) => v;
  const fn = findCast(from, to, 'assignment');
  if (fn === null) throw mismatch(s, fields);
  return fn;
}

function mismatch(s: RoutineSource, fields: readonly FieldInfo[]): DbError {
  const declared = s.outColumns !== null ? 'record' : formatType(s.returnType!);
  const actual = fields.length === 1 ? formatType(fields[0]!.type) : `record (${fields.map((f) => formatType(f.type)).join(', ')})`;
  return new DbError('invalid_function_definition',
    `return type mismatch in function declared to return ${declared}`,
    { detail: `Final statement returns ${actual}.`, where: `SQL function "${s.name}"` });
}
