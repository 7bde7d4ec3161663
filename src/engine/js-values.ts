/**
 * Conversion between JavaScript values (the embedded API) and the engine's value representation.
 * Inbound (parameters): natural JS values are accepted for each SQL type, and strings always go
 * through the type's input function, exactly like text-format wire parameters. Outbound (results):
 * see the mapping documented in src/api/types.ts.
 */
import { DbError } from '../errors/index.ts';
import type { TypeContext } from '../types/context.ts';
import { inputFunction, outputFunction } from '../types/text-io.ts';
import { Oid, formatType, type SqlType } from '../types/sql-type.ts';
import { canonInt8, parseInt8 } from '../types/int.ts';
import { NumericValue, parseNumeric } from '../types/numeric.ts';
import { SqlArray } from '../types/array.ts';
import { Jsonb } from '../types/json.ts';
import { jsToJsonb, jsonbToJs } from '../types/jsonb-ops.ts';
import { findCast } from '../types/cast.ts';
import { Interval } from '../types/interval.ts';
import { applyNumericTypmod } from '../types/numeric.ts';

function badParam(v: unknown, type: SqlType, index: number): DbError {
  return new DbError('invalid_parameter_value',
    `invalid value for parameter $${index + 1} of type ${formatType(type)}: ${describe(v)}`);
}

function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'bigint') return `${v}n`;
  if (v instanceof Date) return `Date(${Number.isNaN(v.getTime()) ? 'Invalid' : v.toISOString()})`;
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/** Converts one API parameter to the engine representation of `type`. */
export function fromJs(v: unknown, type: SqlType, ctx: TypeContext, index: number): unknown {
  if (v === null || v === undefined) return null;
  if (type.elem !== null) {
    if (Array.isArray(v)) return new SqlArray(v.map((x) => fromJs(x, type.elem!, ctx, index)));
    if (v instanceof SqlArray) return v;
  }
  if (typeof v === 'string') {
    if (type.oid === Oid.unknown) return v;
    return inputFunction(type)(v, ctx);
  }
  switch (type.oid) {
    case Oid.bool:
      if (typeof v === 'boolean') return v;
      break;
    case Oid.int2:
    case Oid.int4:
    case Oid.int8: {
      if (typeof v === 'number' && Number.isInteger(v)) {
        // In range, the text round trip would return the number itself (int8 is a JS number when
        // it is a safe integer; `+ 0` turns -0 into 0 as the parser does). Out of range: the text
        // path raises PostgreSQL's error.
        const lim = type.oid === Oid.int2 ? 32767 : type.oid === Oid.int4 ? 2147483647 : Number.MAX_SAFE_INTEGER;
        if (v <= lim && v >= (type.oid === Oid.int8 ? -lim : -lim - 1)) return v + 0;
        return fromJs(String(v), type, ctx, index);
      }
      if (typeof v === 'bigint') return type.oid === Oid.int8 ? canonInt8(parseInt8(String(v))) : fromJs(String(v), type, ctx, index);
      if (typeof v === 'boolean') return v ? 1 : 0;
      break;
    }
    case Oid.numeric:
      if (typeof v === 'number' || typeof v === 'bigint') {
        const n = parseNumeric(String(v));
        return type.typmod >= 0 ? applyNumericTypmod(n, type.typmod) : n;
      }
      if (v instanceof NumericValue) return v;
      break;
    case Oid.float4:
    case Oid.float8:
      if (typeof v === 'number') return type.oid === Oid.float4 ? Math.fround(v) : v;
      if (typeof v === 'bigint') return Number(v);
      break;
    case Oid.date:
    case Oid.timestamp:
    case Oid.timestamptz:
    case Oid.time:
      if (v instanceof Date) {
        if (Number.isNaN(v.getTime())) throw badParam(v, type, index);
        // A Date is an instant: convert as timestamptz, then cast to the target type.
        const micros = v.getTime() * 1000;
        if (type.oid === Oid.timestamptz) return micros;
        const cast = findCast({ oid: Oid.timestamptz, typmod: -1, elem: null }, type, 'explicit');
        return cast ? cast(micros, ctx) : micros;
      }
      break;
    case Oid.json:
      return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? Number(x) : x));
    case Oid.jsonb:
      if (v instanceof Jsonb) return v;
      return jsToJsonb(v);
    case Oid.bytea:
      if (v instanceof Uint8Array) return v;
      break;
    case Oid.interval:
      if (v instanceof Interval) return v;
      break;
    case Oid.unknown:
    case Oid.text:
    case Oid.varchar:
    case Oid.bpchar:
    case Oid.name:
      if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return fromJs(String(v), type, ctx, index);
      if (v instanceof Date) return fromJs(v.toISOString(), type, ctx, index);
      break;
    default:
      break;
  }
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') {
    return inputFunction(type)(String(v), ctx);
  }
  throw badParam(v, type, index);
}

/** The JS type a parameter suggests when the statement does not determine it ($1 alone). */
export function jsTypeOid(v: unknown): number {
  if (typeof v === 'number') return Number.isInteger(v) ? (Math.abs(v) <= 2147483647 ? Oid.int4 : Oid.int8) : Oid.float8;
  if (typeof v === 'bigint') return Oid.int8;
  if (typeof v === 'boolean') return Oid.bool;
  if (v instanceof Date) return Oid.timestamptz;
  if (v instanceof Uint8Array) return Oid.bytea;
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) return Oid.jsonb;
  return Oid.text;
}

/** Converts an engine value of `type` to the API's JS representation. */
export function toJs(v: unknown, type: SqlType, ctx: TypeContext): unknown {
  if (v === null || v === undefined) return null;
  if (type.elem !== null) {
    if (v instanceof SqlArray) return v.elems.map((e) => toJs(e, type.elem!, ctx));
    return v;
  }
  switch (type.oid) {
    case Oid.bool: case Oid.int2: case Oid.int4: case Oid.int8: case Oid.float4: case Oid.float8:
    case Oid.text: case Oid.varchar: case Oid.bpchar: case Oid.name: case Oid.uuid: case Oid.bytea: case Oid.oid:
      return v;
    case Oid.json:
      return JSON.parse(v as string);
    case Oid.jsonb:
      return jsonbToJs(v as Jsonb);
    case Oid.record:
      if (type.row !== undefined) return outputFunction(type)(v, ctx);
      return Array.isArray(v) ? `(${v.map((x) => (x === null ? '' : String(x))).join(',')})` : v;
    default:
      return outputFunction(type)(v, ctx);
  }
}
