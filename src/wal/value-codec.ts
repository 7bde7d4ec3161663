/**
 * Value codec: a compact, self-describing binary encoding of runtime values and rows (every value
 * representation listed in src/types/sql-type.ts). Rows are encoded without their column types, so
 * a row logged before an ALTER TABLE decodes the same after it.
 *
 * Tags (one byte each):
 *   0 NULL  1 false  2 true  3 int32 (zigzag varint)  4 float64  5 bigint (decimal text)
 *   6 string  7 bytea  8 numeric (text, scale)  9 interval (months, days, micros)
 *   10 jsonb (tree: tags 20..26)  11 array (ndim, dims, lbounds, elements)  12 undefined (hole)
 *
 * Invariants:
 *  1. decode(encode(v)) is equal to v in representation: same JS type, same class, -0 and NaN kept,
 *     int8 canonical form kept (bigint only outside the safe range).
 *  2. Encoding an unknown representation is a programmer error (assert), never silent loss.
 */
import { assert } from '../errors/index.ts';
import { NumericValue, Numeric } from '../types/numeric.ts';
import { Interval } from '../types/interval.ts';
import { Jsonb, JsonbNumber, JsonbObject, type JsonbValue } from '../types/json.ts';
import { SqlArray } from '../types/array.ts';
import { ByteReader, ByteWriter, CodecError } from './byte-io.ts';

const T_NULL = 0;
const T_FALSE = 1;
const T_TRUE = 2;
const T_INT = 3;
const T_F64 = 4;
const T_BIGINT = 5;
const T_STRING = 6;
const T_BYTES = 7;
const T_NUMERIC = 8;
const T_INTERVAL = 9;
const T_JSONB = 10;
const T_ARRAY = 11;
const T_UNDEFINED = 12;

const J_NULL = 20;
const J_FALSE = 21;
const J_TRUE = 22;
const J_STRING = 23;
const J_NUMBER = 24;
const J_ARRAY = 25;
const J_OBJECT = 26;

/** Nesting limit for jsonb trees and arrays (the JSON parser enforces a smaller one already). */
const NESTING_MAX = 2000;

export function encodeValue(w: ByteWriter, v: unknown): void {
  if (v === null) return w.u8(T_NULL);
  switch (typeof v) {
    case 'boolean': return w.u8(v ? T_TRUE : T_FALSE);
    case 'number':
      if ((v | 0) === v && !Object.is(v, -0)) {
        w.u8(T_INT);
        return w.varint(v);
      }
      w.u8(T_F64);
      return w.f64(v);
    case 'string':
      w.u8(T_STRING);
      return w.string(v);
    case 'bigint':
      w.u8(T_BIGINT);
      return w.string(v.toString());
    case 'undefined': return w.u8(T_UNDEFINED);
    default: break;
  }
  if (v instanceof Uint8Array) {
    w.u8(T_BYTES);
    return w.bytes(v);
  }
  if (v instanceof NumericValue) {
    w.u8(T_NUMERIC);
    w.string(v.value.toString());
    return w.varuint(v.scale);
  }
  if (v instanceof Interval) {
    w.u8(T_INTERVAL);
    w.varint(v.months);
    w.varint(v.days);
    return w.f64(v.micros);
  }
  if (v instanceof Jsonb) {
    w.u8(T_JSONB);
    return encodeJsonb(w, v.root, 0);
  }
  if (v instanceof SqlArray) {
    w.u8(T_ARRAY);
    w.varuint(v.dims.length);
    for (const d of v.dims) w.varuint(d);
    for (const l of v.lbounds) w.varint(l);
    w.varuint(v.elems.length);
    for (const e of v.elems) encodeValue(w, e);
    return;
  }
  assert(false, `value codec: unknown runtime value ${Object.prototype.toString.call(v)}`);
}

function encodeJsonb(w: ByteWriter, v: JsonbValue, depth: number): void {
  assert(depth < NESTING_MAX, 'jsonb nesting too deep to encode');
  if (v === null) return w.u8(J_NULL);
  if (v === true) return w.u8(J_TRUE);
  if (v === false) return w.u8(J_FALSE);
  if (typeof v === 'string') {
    w.u8(J_STRING);
    return w.string(v);
  }
  if (v instanceof JsonbNumber) {
    w.u8(J_NUMBER);
    return w.string(v.text);
  }
  if (Array.isArray(v)) {
    w.u8(J_ARRAY);
    w.varuint(v.length);
    for (const e of v) encodeJsonb(w, e, depth + 1);
    return;
  }
  assert(v instanceof JsonbObject, 'jsonb: unknown node');
  w.u8(J_OBJECT);
  w.varuint(v.keys.length);
  for (const k of v.keys) w.string(k);
  for (const e of v.values) encodeJsonb(w, e, depth + 1);
}

export function decodeValue(r: ByteReader): unknown {
  const tag = r.u8();
  switch (tag) {
    case T_NULL: return null;
    case T_FALSE: return false;
    case T_TRUE: return true;
    case T_INT: return r.varint();
    case T_F64: return r.f64();
    case T_BIGINT: return BigInt(r.string());
    case T_STRING: return r.string();
    case T_BYTES: return r.bytes();
    case T_NUMERIC: {
      const text = r.string();
      return new NumericValue(new Numeric(text), r.varuint());
    }
    case T_INTERVAL: {
      const months = r.varint();
      const days = r.varint();
      return new Interval(months, days, r.f64());
    }
    case T_JSONB: return new Jsonb(decodeJsonb(r, 0));
    case T_ARRAY: {
      const ndim = r.varuint();
      if (ndim > 64) throw new CodecError(`array with ${ndim} dimensions`);
      const dims: number[] = [];
      const lbounds: number[] = [];
      for (let i = 0; i < ndim; i++) dims.push(r.varuint());
      for (let i = 0; i < ndim; i++) lbounds.push(r.varint());
      const n = r.varuint();
      if (n > r.end - r.pos) throw new CodecError(`array of ${n} elements exceeds the data`);
      const elems: unknown[] = new Array(n);
      for (let i = 0; i < n; i++) elems[i] = decodeValue(r);
      return new SqlArray(elems, dims, lbounds);
    }
    case T_UNDEFINED: return undefined;
    default: throw new CodecError(`unknown value tag ${tag} at byte ${r.pos - 1}`);
  }
}

function decodeJsonb(r: ByteReader, depth: number): JsonbValue {
  if (depth >= NESTING_MAX) throw new CodecError('jsonb nesting too deep');
  const tag = r.u8();
  switch (tag) {
    case J_NULL: return null;
    case J_TRUE: return true;
    case J_FALSE: return false;
    case J_STRING: return r.string();
    case J_NUMBER: return new JsonbNumber(r.string());
    case J_ARRAY: {
      const n = r.varuint();
      if (n > r.end - r.pos) throw new CodecError('jsonb array exceeds the data');
      const out: JsonbValue[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = decodeJsonb(r, depth + 1);
      return out;
    }
    case J_OBJECT: {
      const n = r.varuint();
      if (n > r.end - r.pos) throw new CodecError('jsonb object exceeds the data');
      const keys: string[] = new Array(n);
      for (let i = 0; i < n; i++) keys[i] = r.string();
      const values: JsonbValue[] = new Array(n);
      for (let i = 0; i < n; i++) values[i] = decodeJsonb(r, depth + 1);
      return new JsonbObject(keys, values);
    }
    default: throw new CodecError(`unknown jsonb tag ${tag} at byte ${r.pos - 1}`);
  }
}

export function encodeRow(w: ByteWriter, row: readonly unknown[]): void {
  w.varuint(row.length);
  for (let i = 0; i < row.length; i++) encodeValue(w, row[i]);
}

export function decodeRow(r: ByteReader): unknown[] {
  const n = r.varuint();
  if (n > r.end - r.pos) throw new CodecError(`row of ${n} columns exceeds the data`);
  const row: unknown[] = new Array(n);
  for (let i = 0; i < n; i++) row[i] = decodeValue(r);
  return row;
}

/** Standalone helpers (catalog images embed single values as base64). */
export function valueToBytes(v: unknown): Uint8Array {
  const w = new ByteWriter(32);
  encodeValue(w, v);
  return w.finish().slice();
}

export function valueFromBytes(b: Uint8Array): unknown {
  const r = new ByteReader(b);
  const v = decodeValue(r);
  if (!r.done) throw new CodecError('trailing bytes after value');
  return v;
}
