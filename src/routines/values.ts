/**
 * The SQL type of an engine-representation value, for parameters a routine passes without
 * declaring their types (host.query('... $1', [v])). Strings are left to inference by the caller.
 */
import { Oid, typeOf, type SqlType } from '../types/sql-type.ts';
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
