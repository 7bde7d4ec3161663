/**
 * The value mapping between the engine's representation (src/types/sql-type.ts) and the plain
 * values script languages see, shared by the JavaScript, TypeScript and Python runtimes:
 *
 *   bool -> boolean; int2/int4/float4/float8/oid -> number; int8 -> number, or bigint beyond
 *   2^53; numeric -> number (like PL/v8; cast to text in SQL where every digit matters);
 *   text/varchar/bpchar/name/uuid -> string; date/timestamp/timestamptz -> Date (an instant;
 *   timestamp and date are read as UTC); json/jsonb -> parsed value; bytea -> Uint8Array;
 *   arrays -> arrays; anything else -> its PostgreSQL text form.
 *
 * Going back, fromJs (src/engine/js-values.ts) applies, so a string is always read by the type's
 * input function and a mismatch is a clear 22P02/22023-class error naming the routine. Converters
 * are built once per routine (compile time): call() never switches on a type.
 */
import { DbError } from '../errors/index.ts';
import type { TypeContext } from '../types/context.ts';
import { Oid, formatType, type SqlType } from '../types/sql-type.ts';
import { SqlArray } from '../types/array.ts';
import { NumericValue } from '../types/numeric.ts';
import type { Jsonb } from '../types/json.ts';
import { jsonbToJs } from '../types/jsonb-ops.ts';
import { outputFunction } from '../types/text-io.ts';
import { fromJs } from '../engine/js-values.ts';
import type { FieldInfo, RoutineSource } from './language.ts';
import { errorWithCode } from './errors.ts';
import { newRow } from '../exec/new-row.ts';

/** Engine value -> script value. */
export type ToScript = (v: unknown, ctx: TypeContext) => unknown;
/** Script value -> engine value; throws a DbError when the value does not fit. */
export type FromScript = (v: unknown, ctx: TypeContext) => unknown;

const MS_PER_DAY = 86_400_000;

const identity: ToScript = (v) => v;

/** The converter from the engine representation of `type` to a script value. */
export function toScriptConverter(type: SqlType): ToScript {
  if (type.elem !== null) {
    const elem = toScriptConverter(type.elem);
    return (v, ctx) => (v instanceof SqlArray ? v.elems.map((e) => (e === null ? null : elem(e, ctx))) : v);
  }
  switch (type.oid) {
    case Oid.bool: case Oid.int2: case Oid.int4: case Oid.int8: case Oid.float4: case Oid.float8:
    case Oid.text: case Oid.varchar: case Oid.bpchar: case Oid.name: case Oid.uuid: case Oid.bytea:
    case Oid.oid: case Oid.unknown:
      return identity;
    case Oid.numeric:
      return (v) => (v instanceof NumericValue ? v.value.toNumber() : v);
    case Oid.date:
      return (v) => new Date((v as number) * MS_PER_DAY);
    case Oid.timestamp:
    case Oid.timestamptz:
      return (v) => new Date(Math.trunc((v as number) / 1000));
    case Oid.json:
      return (v) => JSON.parse(v as string);
    case Oid.jsonb:
      return (v) => jsonbToJs(v as Jsonb);
    case Oid.record:
      return (v) => (Array.isArray(v) ? v.map((x) => (x === null ? null : String(x))) : v);
    default: {
      const out = outputFunction(type);
      return (v, ctx) => out(v, ctx);
    }
  }
}

/** Wraps fromJs so a failure names the routine and what was being converted. */
export function fromScriptConverter(type: SqlType, routine: string, what: string): FromScript {
  const describe = `${what} of ${routine} (type ${formatType(type)})`;
  return (v, ctx) => {
    if (v === null || v === undefined) return null;
    if (typeof v === 'number' && !Number.isFinite(v) && !acceptsNonFinite(type)) {
      throw new DbError('datatype_mismatch', `cannot convert ${String(v)} to ${describe}`);
    }
    try {
      return fromJs(v, type, ctx, 0);
    } catch (e) {
      if (!(e instanceof DbError)) throw e;
      // 22023 is fromJs' "not a value of this kind"; anything else (22P02, 22003...) is the
      // input function's own error and keeps its code.
      if (e.code === '22023') throw new DbError('datatype_mismatch', `cannot convert ${preview(v)} to ${describe}`);
      throw errorWithCode(e.code, `${e.message} (converting to ${describe})`);
    }
  };
}

function acceptsNonFinite(type: SqlType): boolean {
  return type.oid === Oid.float4 || type.oid === Oid.float8 || type.oid === Oid.numeric;
}

function preview(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v);
  if (typeof v === 'bigint') return `${v}n`;
  if (Array.isArray(v)) return 'an array';
  if (v instanceof Date) return 'a Date';
  if (typeof v === 'object') return 'an object';
  return String(v);
}

/**
 * Row conversion for RETURNS TABLE / OUT columns and trigger rows: a script row is an object
 * keyed by column name (missing keys are NULL, unknown keys an error) or an array in column order.
 */
export function rowFromScriptConverter(columns: readonly FieldInfo[], routine: string):
  (v: unknown, ctx: TypeContext) => unknown[] {
  const convs = columns.map((c) => fromScriptConverter(c.type, routine, `column "${c.name}"`));
  const index = new Map(columns.map((c, i) => [c.name, i]));
  return (v, ctx) => {
    const out: unknown[] = newRow(columns.length);
    if (Array.isArray(v)) {
      if (v.length !== columns.length) {
        throw new DbError('datatype_mismatch',
          `returned row of ${routine} has ${v.length} columns, expected ${columns.length}`);
      }
      for (let i = 0; i < convs.length; i++) out[i] = convs[i]!(v[i], ctx);
      return out;
    }
    if (v === null || typeof v !== 'object') {
      throw new DbError('datatype_mismatch',
        `${routine} must return a row as an object or an array, not ${preview(v)}`);
    }
    for (const [key, x] of Object.entries(v)) {
      const i = index.get(key);
      if (i === undefined) {
        throw new DbError('undefined_column', `returned row of ${routine} has no column "${key}"`,
          { hint: `Columns are: ${columns.map((c) => c.name).join(', ')}.` });
      }
      out[i] = convs[i]!(x, ctx);
    }
    return out;
  };
}

/** Engine row -> object keyed by column name (trigger OLD/NEW, rows of oxibase.query). */
export function rowToScriptConverter(columns: readonly FieldInfo[]):
  (row: readonly unknown[], ctx: TypeContext) => Record<string, unknown> {
  const convs = columns.map((c) => toScriptConverter(c.type));
  const names = columns.map((c) => c.name);
  return (row, ctx) => {
    const o: Record<string, unknown> = {};
    for (let i = 0; i < names.length; i++) {
      const v = row[i];
      o[names[i]!] = v === null || v === undefined ? null : convs[i]!(v, ctx);
    }
    return o;
  };
}

/**
 * A query parameter from a script: its engine value and type, guessed from the JS value like the
 * embedded API does. Strings stay `unknown` so the statement decides their type ($1 = int_col).
 */
export function scriptParam(v: unknown, ctx: TypeContext): { value: unknown; type: SqlType } {
  if (v === null || v === undefined) return { value: null, type: unknownType };
  if (typeof v === 'string') return { value: v, type: unknownType };
  let oid: number;
  if (typeof v === 'number') oid = Number.isInteger(v) ? (Math.abs(v) <= 2147483647 ? Oid.int4 : Oid.int8) : Oid.float8;
  else if (typeof v === 'bigint') oid = Oid.int8;
  else if (typeof v === 'boolean') oid = Oid.bool;
  else if (v instanceof Date) oid = Oid.timestamptz;
  else if (v instanceof Uint8Array) oid = Oid.bytea;
  else oid = Oid.jsonb;
  const type: SqlType = { oid, typmod: -1, elem: null };
  return { value: fromJs(v, type, ctx, 0), type };
}

const unknownType: SqlType = { oid: Oid.unknown, typmod: -1, elem: null };

/**
 * The conversion of a script's result to what CompiledRoutine.call returns, fixed by the
 * signature: a value, an array of values or rows (SETOF/TABLE), a row (OUT columns), or null.
 */
export
function resultConverter(source: RoutineSource): (v: unknown, ctx: TypeContext) => unknown {
  if (source.isTrigger) return (v) => v;
  const rt = source.returnType;
  const cols = source.outColumns;
  if (source.returnsSet) {
    const each: FromScript = cols !== null
      ? rowFromScriptConverter(cols, source.name)
      : rt === null ? () => null : fromScriptConverter(rt, source.name, 'a row of the result');
    return (v, ctx) => (v as unknown[]).map((x) => each(x, ctx));
  }
  if (cols !== null) {
    const row = rowFromScriptConverter(cols, source.name);
    return (v, ctx) => (v === null || v === undefined ? null : row(v, ctx));
  }
  if (rt === null || rt.oid === Oid.void) return () => null;
  return fromScriptConverter(rt, source.name, 'the result');
}

