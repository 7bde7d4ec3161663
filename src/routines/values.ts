/**
 * Engine values at the routine boundary: the SQL type of an engine-representation value (for
 * parameters a routine passes without declaring their types; strings are left to inference), and
 * the check of a value a language returned (conformResult).
 */
import { formatType, Oid, typeOf, type SqlType } from '../types/sql-type.ts';
import type { TypeContext } from '../types/context.ts';
import { inputFunction } from '../types/text-io.ts';
import { canonInt8 } from '../types/int.ts';
import { DbError } from '../errors/index.ts';
import { NumericValue } from '../types/numeric.ts';
import { Jsonb } from '../types/json.ts';
import { Interval } from '../types/interval.ts';
import { SqlArray } from '../types/array.ts';

export function engineTypeOf(v: unknown): SqlType | null {
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) return typeOf(Oid.float8);
    return typeOf(Math.abs(v) <= 2147483647 ? Oid.int4 : Oid.int8);
  }
  if (typeof v === 'bigint') return typeOf(Oid.int8);
  if (typeof v === 'boolean') return typeOf(Oid.bool);
  if (v instanceof NumericValue) return typeOf(Oid.numeric);
  if (v instanceof Jsonb) return typeOf(Oid.jsonb);
  if (v instanceof Interval) return typeOf(Oid.interval);
  if (v instanceof Uint8Array) return typeOf(Oid.bytea);
  if (v instanceof SqlArray) {
    const first = v.elems.find((e) => e !== null);
    const elem = first === undefined ? typeOf(Oid.text) : engineTypeOf(first) ?? typeOf(Oid.text);
    return elem.elem === null ? typeOf(arrayOid(elem.oid)) : null;
  }
  return null;
}

function arrayOid(elem: number): number {
  switch (elem) {
    case Oid.int4: return Oid._int4;
    case Oid.int8: return Oid._int8;
    case Oid.float8: return Oid._float8;
    case Oid.bool: return Oid._bool;
    case Oid.numeric: return Oid._numeric;
    default: return Oid._text;
  }
}

/**
 * Checks (and where PostgreSQL's assignment rules allow, converts) a value a non-SQL language
 * returned for a result of type `type`: languages are meant to return engine values, but a wrong
 * shape must not reach a table. Text converts through the type's input function, JS numbers to
 * numeric / int8, and anything else that does not fit is 42804 with the declared type.
 */
export function conformResult(v: unknown, type: SqlType, types: TypeContext, what: string): unknown {
  if (v === null || v === undefined) return null;
  if (type.elem !== null) {
    if (v instanceof SqlArray) return v;
    if (typeof v === 'string') return inputFunction(type)(v, types);
    throw mismatch(v, type, what);
  }
  switch (type.oid) {
    case Oid.int2: case Oid.int4: case Oid.oid:
      if (typeof v === 'number' && Number.isInteger(v)) return inputRange(v, type, types);
      if (typeof v === 'bigint' || typeof v === 'string') return inputFunction(type)(String(v), types);
      break;
    case Oid.int8:
      if (typeof v === 'number' && Number.isInteger(v)) return Number.isSafeInteger(v) ? v + 0 : inputFunction(type)(String(v), types);
      if (typeof v === 'bigint') return canonInt8(v);
      if (typeof v === 'string') return inputFunction(type)(v, types);
      break;
    case Oid.float4: case Oid.float8:
      if (typeof v === 'number') return type.oid === Oid.float4 ? Math.fround(v) : v;
      if (typeof v === 'bigint') return Number(v);
      if (typeof v === 'string') return inputFunction(type)(v, types);
      break;
    case Oid.numeric:
      if (v instanceof NumericValue) return v;
      if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'string') return inputFunction(type)(String(v), types);
      break;
    case Oid.bool:
      if (typeof v === 'boolean') return v;
      if (typeof v === 'string') return inputFunction(type)(v, types);
      break;
    case Oid.text: case Oid.varchar: case Oid.bpchar: case Oid.name:
      if (typeof v === 'string') return type.typmod >= 0 ? inputFunction(type)(v, types) : v;
      if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
      break;
    case Oid.date: case Oid.time: case Oid.timestamp: case Oid.timestamptz:
      if (typeof v === 'number') return v;
      if (typeof v === 'string') return inputFunction(type)(v, types);
      break;
    case Oid.jsonb:
      if (v instanceof Jsonb) return v;
      if (typeof v === 'string') return inputFunction(type)(v, types);
      break;
    case Oid.interval:
      if (v instanceof Interval) return v;
      if (typeof v === 'string') return inputFunction(type)(v, types);
      break;
    case Oid.bytea:
      if (v instanceof Uint8Array) return v;
      break;
    default:
      return v;
  }
  throw mismatch(v, type, what);
}

function inputRange(v: number, type: SqlType, types: TypeContext): number {
  const max = type.oid === Oid.int2 ? 32767 : type.oid === Oid.oid ? 4294967295 : 2147483647;
  const min = type.oid === Oid.oid ? 0 : -max - 1;
  return v >= min && v <= max ? v + 0 : inputFunction(type)(String(v), types) as number;
}

function mismatch(v: unknown, type: SqlType, what: string): DbError {
  const shape = v instanceof Object ? v.constructor.name : typeof v;
  return new DbError('datatype_mismatch', `${what} returned a value of JavaScript type ${shape} where ${formatType(type)} was expected`);
}
