/**
 * Casts: PostgreSQL's pg_cast matrix plus its automatic pathways, as find_coercion_pathway()
 * resolves them.
 *
 * A cast from A to B exists at a level (implicit < assignment < explicit) and may be used in any
 * context at or above that level. Resolution order:
 *   1. same base type: implicit (only the typmod step, if any, runs);
 *   2. `unknown` (an untyped literal): implicit to everything, via the target's input function;
 *   3. an explicit pg_cast entry (the table below);
 *   4. array to array: elementwise, at the element cast's level;
 *   5. automatic I/O conversion: any type -> string type (text, varchar, bpchar, name) at
 *      assignment level; string type -> any type at explicit level.
 * After the base conversion, the target's typmod is applied (lengthCoercion); explicit casts
 * truncate varchar/bpchar silently, other contexts raise 22001 (PostgreSQL's rules).
 *
 * CastFns are never called with NULL: the caller handles NULL (every cast is strict).
 */
import { DbError } from '../errors/index.ts';
import { Oid, REG_TYPE_OIDS, formatType, sameType, typeInfo, typeOf, type SqlType } from './sql-type.ts';
import type { Int8 } from './int.ts';
import { toInt2, toInt4 } from './int.ts';
import {
  float8ToFloat4, float8ToInt2, float8ToInt4, float8ToInt8, int8ToFloat4, int8ToFloat8,
} from './float.ts';
import {
  numericFromFloat4, numericFromFloat8, numericFromInt, numericToFloat4, numericToFloat8,
  numericToInt2, numericToInt4, numericToInt8, parseNumeric, type NumericValue,
} from './numeric.ts';
import { boolToInt4, int4ToBool, parseBool } from './bool.ts';
import { bpcharTrim, nameTruncate, truncateChars } from './text.ts';
import { inputFunction, lengthCoercion, outputFunction, type ValueFn } from './text-io.ts';
import {
  dateToTimestamp, timestampToDate, timestampToTime, timestampToTimestamptz,
  timestamptzToTimestamp,
} from './datetime.ts';
import { Interval } from './interval.ts';
import { formatJsonb, jsonToJsonb, type Jsonb } from './json.ts';
import { formatArray, parseArray, type SqlArray } from './array.ts';

export type CastContext = 'implicit' | 'assignment' | 'explicit';
export type CastFn = ValueFn;

const IMPLICIT = 0;
const ASSIGNMENT = 1;
const EXPLICIT = 2;
type Level = 0 | 1 | 2;
const LEVEL_NAMES: readonly CastContext[] = ['implicit', 'assignment', 'explicit'];

function levelOf(context: CastContext): Level {
  return context === 'implicit' ? IMPLICIT : context === 'assignment' ? ASSIGNMENT : EXPLICIT;
}

const identity: CastFn = (v) => v;

// ---------------------------------------------------------------------------------------------
// The pg_cast table (base types, no typmods)
// ---------------------------------------------------------------------------------------------

interface CastEntry {
  readonly level: Level;
  readonly fn: CastFn;
}
const table = new Map<number, CastEntry>();
function key(from: number, to: number): number {
  return from * 65536 + to;
}
function def(from: number, to: number, level: Level, fn: CastFn): void {
  table.set(key(from, to), { level, fn });
}

const USECS_PER_DAY = 86_400_000_000;

// Integer tower.
def(Oid.int2, Oid.int4, IMPLICIT, identity);
def(Oid.int2, Oid.int8, IMPLICIT, identity);
def(Oid.int4, Oid.int8, IMPLICIT, identity);
def(Oid.int4, Oid.int2, ASSIGNMENT, (v) => toInt2(v as number));
def(Oid.int8, Oid.int2, ASSIGNMENT, (v) => toInt2(v as Int8));
def(Oid.int8, Oid.int4, ASSIGNMENT, (v) => toInt4(v as Int8));
for (const i of [Oid.int2, Oid.int4, Oid.int8]) {
  def(i, Oid.float4, IMPLICIT, (v) => int8ToFloat4(v as Int8));
  def(i, Oid.float8, IMPLICIT, (v) => int8ToFloat8(v as Int8));
  def(i, Oid.numeric, IMPLICIT, (v) => numericFromInt(v as Int8));
}
// Floats.
def(Oid.float4, Oid.float8, IMPLICIT, identity); // float4 values are exact doubles
def(Oid.float8, Oid.float4, ASSIGNMENT, (v) => float8ToFloat4(v as number));
for (const f of [Oid.float4, Oid.float8]) {
  def(f, Oid.int2, ASSIGNMENT, (v) => float8ToInt2(v as number));
  def(f, Oid.int4, ASSIGNMENT, (v) => float8ToInt4(v as number));
  def(f, Oid.int8, ASSIGNMENT, (v) => float8ToInt8(v as number));
}
def(Oid.float4, Oid.numeric, ASSIGNMENT, (v) => numericFromFloat4(v as number));
def(Oid.float8, Oid.numeric, ASSIGNMENT, (v) => numericFromFloat8(v as number));
// Numeric.
def(Oid.numeric, Oid.int2, ASSIGNMENT, (v) => numericToInt2(v as NumericValue));
def(Oid.numeric, Oid.int4, ASSIGNMENT, (v) => numericToInt4(v as NumericValue));
def(Oid.numeric, Oid.int8, ASSIGNMENT, (v) => numericToInt8(v as NumericValue));
def(Oid.numeric, Oid.float4, IMPLICIT, (v) => numericToFloat4(v as NumericValue));
def(Oid.numeric, Oid.float8, IMPLICIT, (v) => numericToFloat8(v as NumericValue));
// Booleans (explicit only), and bool -> text spelled 'true'/'false' (booltext), not 't'/'f'.
def(Oid.int4, Oid.bool, EXPLICIT, (v) => int4ToBool(v as number));
def(Oid.bool, Oid.int4, EXPLICIT, (v) => boolToInt4(v as boolean));
const boolText: CastFn = (v) => (v ? 'true' : 'false');
def(Oid.bool, Oid.text, ASSIGNMENT, boolText);
def(Oid.bool, Oid.varchar, ASSIGNMENT, boolText);
def(Oid.bool, Oid.bpchar, ASSIGNMENT, boolText);
// oid family.
def(Oid.int4, Oid.oid, IMPLICIT, (v) => (v as number) >>> 0);
def(Oid.int8, Oid.oid, IMPLICIT, (v) => int8ToOid(v as Int8));
def(Oid.int2, Oid.oid, IMPLICIT, (v) => (v as number) >>> 0);
def(Oid.oid, Oid.int4, ASSIGNMENT, (v) => (v as number) | 0);
def(Oid.oid, Oid.int8, ASSIGNMENT, identity);
// OID-alias types (pg_cast): binary-coercible with oid both ways, integers in implicitly (int8
// range-checked), out to int4/int8 at assignment level; text -> regclass is implicit (regclass(text)).
for (const r of REG_TYPE_OIDS) {
  def(Oid.oid, r, IMPLICIT, identity);
  def(r, Oid.oid, IMPLICIT, identity);
  def(Oid.int2, r, IMPLICIT, (v) => (v as number) >>> 0);
  def(Oid.int4, r, IMPLICIT, (v) => (v as number) >>> 0);
  def(Oid.int8, r, IMPLICIT, (v) => int8ToOid(v as Int8));
  def(r, Oid.int4, ASSIGNMENT, (v) => (v as number) | 0);
  def(r, Oid.int8, ASSIGNMENT, identity);
}
for (const s of [Oid.text, Oid.varchar]) {
  const regclassIn = inputFunction(typeOf(Oid.regclass));
  def(s, Oid.regclass, IMPLICIT, (v, ctx) => regclassIn(v as string, ctx));
}
// Character types. bpchar -> text/varchar/name strips trailing spaces (rtrim1).
const rtrim: CastFn = (v) => bpcharTrim(v as string);
const toName: CastFn = (v) => nameTruncate(v as string);
def(Oid.text, Oid.varchar, IMPLICIT, identity);
def(Oid.text, Oid.bpchar, IMPLICIT, identity);
def(Oid.text, Oid.name, IMPLICIT, toName);
def(Oid.varchar, Oid.text, IMPLICIT, identity);
def(Oid.varchar, Oid.bpchar, IMPLICIT, identity);
def(Oid.varchar, Oid.name, IMPLICIT, toName);
def(Oid.bpchar, Oid.text, IMPLICIT, rtrim);
def(Oid.bpchar, Oid.varchar, IMPLICIT, rtrim);
def(Oid.bpchar, Oid.name, IMPLICIT, (v) => nameTruncate(bpcharTrim(v as string)));
def(Oid.name, Oid.text, IMPLICIT, identity);
def(Oid.name, Oid.varchar, ASSIGNMENT, identity);
def(Oid.name, Oid.bpchar, ASSIGNMENT, identity);
def(Oid.char, Oid.text, IMPLICIT, identity);
def(Oid.text, Oid.char, ASSIGNMENT, (v) => truncateChars(v as string, 1));
// Date/time.
def(Oid.date, Oid.timestamp, IMPLICIT, (v) => dateToTimestamp(v as number));
def(Oid.date, Oid.timestamptz, IMPLICIT,
  (v, ctx) => timestampToTimestamptz(dateToTimestamp(v as number), ctx));
def(Oid.timestamp, Oid.date, ASSIGNMENT, (v) => timestampToDate(v as number));
def(Oid.timestamptz, Oid.date, ASSIGNMENT,
  (v, ctx) => timestampToDate(timestamptzToTimestamp(v as number, ctx)));
def(Oid.timestamp, Oid.timestamptz, IMPLICIT, (v, ctx) => timestampToTimestamptz(v as number, ctx));
def(Oid.timestamptz, Oid.timestamp, ASSIGNMENT, (v, ctx) => timestamptzToTimestamp(v as number, ctx));
def(Oid.timestamp, Oid.time, ASSIGNMENT, (v) => timestampToTime(v as number));
def(Oid.timestamptz, Oid.time, ASSIGNMENT,
  (v, ctx) => timestampToTime(timestamptzToTimestamp(v as number, ctx)));
def(Oid.time, Oid.interval, IMPLICIT, (v) => new Interval(0, 0, v as number));
def(Oid.interval, Oid.time, ASSIGNMENT, (v) => intervalToTime(v as Interval));
// JSON.
def(Oid.json, Oid.jsonb, ASSIGNMENT, (v) => jsonToJsonb(v as string));
def(Oid.jsonb, Oid.json, ASSIGNMENT, (v) => formatJsonb(v as Jsonb));
def(Oid.jsonb, Oid.bool, EXPLICIT, (v) => jsonbScalar(v as Jsonb, 'boolean', (t) => parseBool(t)));
def(Oid.jsonb, Oid.numeric, EXPLICIT, (v) => jsonbNumber(v as Jsonb, 'numeric'));
def(Oid.jsonb, Oid.int2, EXPLICIT, (v) => numericToInt2(jsonbNumber(v as Jsonb, 'smallint')));
def(Oid.jsonb, Oid.int4, EXPLICIT, (v) => numericToInt4(jsonbNumber(v as Jsonb, 'integer')));
def(Oid.jsonb, Oid.int8, EXPLICIT, (v) => numericToInt8(jsonbNumber(v as Jsonb, 'bigint')));
def(Oid.jsonb, Oid.float4, EXPLICIT, (v) => numericToFloat4(jsonbNumber(v as Jsonb, 'real')));
def(Oid.jsonb, Oid.float8, EXPLICIT,
  (v) => numericToFloat8(jsonbNumber(v as Jsonb, 'double precision')));

function int8ToOid(v: Int8): number {
  if (typeof v === 'bigint' || v < -2147483648 || v > 4294967295) {
    throw new DbError('numeric_value_out_of_range', 'OID out of range');
  }
  return v >>> 0;
}

/** interval_time(): the time-of-day part of the microseconds field, wrapped into [0, 24h). */
function intervalToTime(v: Interval): number {
  let us = v.micros % USECS_PER_DAY;
  if (us < 0) us += USECS_PER_DAY;
  return us + 0;
}

/** jsonb scalar -> SQL type, as PostgreSQL's jsonb_bool/jsonb_numeric ('cannot cast jsonb ...'). */
function jsonbScalar<T>(v: Jsonb, typeName: string, parse: (text: string) => T): T {
  const text = formatJsonb(v);
  const c = text.charCodeAt(0);
  let kind: string | null = null;
  if (c === 34) kind = 'string';
  else if (c === 123) kind = 'object';
  else if (c === 91) kind = 'array';
  else if (text === 'null') kind = 'null';
  else if (typeName === 'boolean' && text !== 'true' && text !== 'false') kind = 'numeric';
  else if (typeName !== 'boolean' && (text === 'true' || text === 'false')) kind = 'boolean';
  if (kind !== null) {
    throw new DbError('invalid_parameter_value', `cannot cast jsonb ${kind} to type ${typeName}`);
  }
  return parse(text);
}
function jsonbNumber(v: Jsonb, typeName: string): NumericValue {
  return jsonbScalar(v, typeName, (t) => parseNumeric(t));
}

// ---------------------------------------------------------------------------------------------
// Resolution
// ---------------------------------------------------------------------------------------------

function isStringType(oid: number): boolean {
  return oid === Oid.text || oid === Oid.varchar || oid === Oid.bpchar || oid === Oid.name;
}

/** The level at which a cast from `from` to `to` exists (typmods ignored), or null if none. */
function pathwayLevel(from: SqlType, to: SqlType): Level | null {
  if (from.oid === to.oid && (from.elem === null) === (to.elem === null)) {
    if (from.elem === null || to.elem === null) return IMPLICIT;
    return pathwayLevel(from.elem, to.elem);
  }
  if (from.oid === Oid.unknown) return IMPLICIT;
  const entry = table.get(key(from.oid, to.oid));
  if (entry !== undefined) return entry.level;
  if (from.elem !== null && to.elem !== null) {
    // Array coercion exists at the element pathway's level (I/O element casts included).
    return pathwayLevel(from.elem, to.elem);
  }
  if (!isIoCapable(from) || !isIoCapable(to)) return null;
  if (isStringType(to.oid)) return ASSIGNMENT;
  if (isStringType(from.oid)) return EXPLICIT;
  return null;
}

function isIoCapable(t: SqlType): boolean {
  if (t.elem !== null) return isIoCapable(t.elem);
  const info = typeInfo(t.oid);
  return info !== undefined && info.category !== 'P' && t.oid !== Oid.unknown;
}

/** The pg_cast context of the cast from `from` to `to`, or null when no cast exists. */
export function castContextOf(from: SqlType, to: SqlType): CastContext | null {
  const level = pathwayLevel(from, to);
  return level === null ? null : (LEVEL_NAMES[level] ?? null);
}

export function canCoerce(from: SqlType, to: SqlType, context: CastContext): boolean {
  const level = pathwayLevel(from, to);
  return level !== null && level <= levelOf(context);
}

/** The conversion from `from` to `to` usable in `context`, or null when there is none. */
export function findCast(from: SqlType, to: SqlType, context: CastContext): CastFn | null {
  const level = pathwayLevel(from, to);
  if (level === null || level > levelOf(context)) return null;
  const explicit = context === 'explicit';
  if (sameType(from, to)) return identity;
  const base = baseCast(from, to, explicit);
  const coerce = from.oid === to.oid && from.typmod === to.typmod ? null :
    lengthCoercion(to, explicit);
  if (coerce === null) return base;
  if (base === identity) return coerce;
  return (v, ctx) => coerce(base(v, ctx), ctx);
}

/** Like findCast, but raises PostgreSQL's 42846 error when there is no cast. */
export function requireCast(from: SqlType, to: SqlType, context: CastContext): CastFn {
  const fn = findCast(from, to, context);
  if (fn === null) {
    throw new DbError('cannot_coerce',
      `cannot cast type ${formatType(from)} to ${formatType(to)}`);
  }
  return fn;
}

function baseCast(from: SqlType, to: SqlType, explicit: boolean): CastFn {
  if (from.oid === to.oid && from.elem === null) return identity;
  const entry = table.get(key(from.oid, to.oid));
  if (entry !== undefined) return entry.fn;
  if (from.oid === Oid.unknown || (from.elem === null && isStringType(from.oid))) {
    // I/O conversion from text: the target's input function (its typmod is applied after).
    return inputFunction(to.elem === null ? typeOf(to.oid) : to) as CastFn;
  }
  if (from.elem !== null && to.elem !== null) return arrayCast(from.elem, to.elem, explicit);
  // I/O conversion to a string type.
  const output = outputFunction(from);
  if (to.oid === Oid.name) return (v, ctx) => nameTruncate(output(v, ctx));
  return output;
}

/**
 * Elementwise array cast. array.ts exposes parse/format only, so elements travel through their
 * text form: each element is re-parsed with the source input function and then cast. Correct
 * for every element type (output/input round-trips exactly); not the fastest path.
 */
function arrayCast(fromElem: SqlType, toElem: SqlType, explicit: boolean): CastFn {
  const elemCast = findCast(fromElem, toElem, explicit ? 'explicit' : 'assignment');
  if (elemCast === null) {
    throw new DbError('cannot_coerce',
      `cannot cast type ${formatType(fromElem)}[] to ${formatType(toElem)}[]`);
  }
  const out = outputFunction(fromElem);
  const inp = inputFunction(typeOf(fromElem.oid));
  return (v, ctx) => {
    const text = formatArray(v as SqlArray, (e: unknown) => out(e, ctx));
    return parseArray(text, toElem, (s: string) => elemCast(inp(s, ctx), ctx));
  };
}
