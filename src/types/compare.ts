/**
 * Ordering, equality and hashing of non-null values, per type, with PostgreSQL's semantics:
 *  - floats: NaN equals NaN and sorts above every other value (incl. Infinity); -0 = 0;
 *  - int8: mixed number/bigint canonical values compare exactly;
 *  - numeric: by value (1.0 = 1.00), NaN above +Infinity;
 *  - text/varchar/name: code-point order = PostgreSQL's "C" collation (the only collation
 *    Oxibase implements); bpchar ignores trailing spaces;
 *  - bool: false < true; interval: PostgreSQL's normalized span (1 mon = 30 days);
 *  - jsonb: PostgreSQL's jsonb ordering (json.ts); arrays: elementwise (array.ts);
 *  - json has no equality or ordering in PostgreSQL: requesting one raises 42883.
 *
 * Hash keys: `hashKeyFor(type)(v)` maps equal values to identical primitives (=== / Map keys)
 * and unequal values to different ones, so hash joins, GROUP BY, DISTINCT and unique indexes can
 * use a Map. Join keys of different types must first be cast to a common type by the planner
 * (an int4 key 1 and a numeric key 1 have different hash keys).
 *
 * Resolution happens once per plan; the returned functions are shared, monomorphic and
 * allocation-free for the scalar types.
 */
import { DbError } from '../errors/index.ts';
import { Oid, formatType, type SqlType } from './sql-type.ts';
import { int8Compare, type Int8 } from './int.ts';
import { floatCompare, floatHashKey } from './float.ts';
import { numericCompare, numericEq, numericHashKey, type NumericValue } from './numeric.ts';
import { boolCompare } from './bool.ts';
import { bpcharCompare, bpcharEq, bpcharHashKey, textCompare } from './text.ts';
import { compareInterval, intervalHashKey, type Interval } from './interval.ts';
import { compareJsonb, jsonbHashKey, type Jsonb } from './json.ts';
import { compareBytea, byteaHashKey } from './bytea.ts';
import { compareArrays, formatArray, type SqlArray } from './array.ts';
import { compareRecords } from './record.ts';

export type Comparator = (a: unknown, b: unknown) => number;
export type Equality = (a: unknown, b: unknown) => boolean;
export type HashKey = string | number | boolean | bigint;
export type HashKeyFn = (v: unknown) => HashKey;

// ---------------------------------------------------------------------------------------------
// Shared per-type functions
// ---------------------------------------------------------------------------------------------

const numberCmp: Comparator = (a, b) =>
  (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
const int8Cmp: Comparator = (a, b) => int8Compare(a as Int8, b as Int8);
const floatCmp: Comparator = (a, b) => floatCompare(a as number, b as number);
const numericCmp: Comparator = (a, b) => numericCompare(a as NumericValue, b as NumericValue);
const textCmp: Comparator = (a, b) => textCompare(a as string, b as string);
const bpcharCmp: Comparator = (a, b) => bpcharCompare(a as string, b as string);
const boolCmp: Comparator = (a, b) => boolCompare(a as boolean, b as boolean);
const intervalCmp: Comparator = (a, b) => compareInterval(a as Interval, b as Interval);
const jsonbCmp: Comparator = (a, b) => compareJsonb(a as Jsonb, b as Jsonb);
const byteaCmp: Comparator = (a, b) => compareBytea(a as Uint8Array, b as Uint8Array);

const strictEq: Equality = (a, b) => a === b;
const floatEq: Equality = (a, b) => a === b || (a !== a && b !== b); // NaN = NaN in PostgreSQL

const identityKey: HashKeyFn = (v) => v as HashKey;
const floatKey: HashKeyFn = (v) => floatHashKey(v as number);
const numericKey: HashKeyFn = (v) => numericHashKey(v as NumericValue);
const bpcharKey: HashKeyFn = (v) => bpcharHashKey(v as string);
const intervalKey: HashKeyFn = (v) => intervalHashKey(v as Interval);
const jsonbKey: HashKeyFn = (v) => jsonbHashKey(v as Jsonb);
const byteaKey: HashKeyFn = (v) => byteaHashKey(v as Uint8Array);

interface TypeOps {
  readonly cmp: Comparator;
  readonly eq: Equality;
  readonly key: HashKeyFn;
}
const ops = new Map<number, TypeOps>();
function def(oids: readonly number[], cmp: Comparator, eq: Equality | null, key: HashKeyFn): void {
  const entry: TypeOps = { cmp, eq: eq ?? ((a, b) => cmp(a, b) === 0), key };
  for (const oid of oids) ops.set(oid, entry);
}

def([Oid.int2, Oid.int4, Oid.oid, Oid.regproc, Oid.regclass, Oid.regtype, Oid.regnamespace,
  Oid.regrole, Oid.date, Oid.time, Oid.timestamp,
  Oid.timestamptz], numberCmp, strictEq, identityKey);
def([Oid.int8], int8Cmp, strictEq, identityKey);
def([Oid.float4, Oid.float8], floatCmp, floatEq, floatKey);
def([Oid.numeric], numericCmp, (a, b) => numericEq(a as NumericValue, b as NumericValue),
  numericKey);
def([Oid.text, Oid.varchar, Oid.name, Oid.char, Oid.unknown, Oid.uuid], textCmp, strictEq,
  identityKey);
def([Oid.bpchar], bpcharCmp, (a, b) => bpcharEq(a as string, b as string), bpcharKey);
def([Oid.bool], boolCmp, strictEq, identityKey);
def([Oid.interval], intervalCmp, null, intervalKey);
def([Oid.jsonb], jsonbCmp, null, jsonbKey);
def([Oid.bytea], byteaCmp, null, byteaKey);

function noOperator(type: SqlType, what: string): DbError {
  return new DbError('undefined_function',
    `could not identify ${what} operator for type ${formatType(type)}`);
}

function opsFor(type: SqlType, what: string): TypeOps {
  if (type.row !== undefined) return recordOps(type);
  const o = ops.get(type.oid);
  if (o === undefined) throw noOperator(type, what);
  return o;
}

/** Composite values of a known shape: fieldwise, through each field type's own operators. */
function recordOps(type: SqlType): TypeOps {
  const fields = type.row!.fields;
  const cmps = fields.map((f) => comparatorFor(f.type));
  const cmp: Comparator = (a, b) => compareRecords(a as unknown[], b as unknown[], cmps);
  const keys = fields.map((f) => hashKeyFor(f.type));
  // compositeKeyFor's encoding, also for one field (where it would return the bare key).
  const key: HashKeyFn = (v) => {
    let out = '';
    for (let i = 0; i < keys.length; i++) {
      const x = (v as unknown[])[i];
      if (x === null || x === undefined) { out += NULL_PART; continue; }
      const k = keys[i]!(x);
      out += typeof k === 'string' ? k.length + ':' + k : String(k) + ';';
    }
    return out;
  };
  return { cmp, eq: (a, b) => cmp(a, b) === 0, key };
}

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

/** Whether values of `type` can be ordered / compared for equality / hashed. */
export function hasOrdering(type: SqlType): boolean {
  if (type.elem !== null) return hasOrdering(type.elem);
  if (type.row !== undefined) return type.row.fields.every((f) => hasOrdering(f.type));
  return ops.has(type.oid);
}

/**
 * Whether `type` orders its (string) values by code point with no other rule (text, varchar,
 * name...: the "C" collation; not bpchar, which ignores trailing spaces). For strings without
 * surrogates or characters from U+E000 up, that is JS's own string order (`<`, `sort()`).
 */
export function ordersByCodePoint(type: SqlType): boolean {
  return type.elem === null && type.row === undefined && ops.get(type.oid)?.cmp === textCmp;
}

/** Total order on non-null values of `type` (negative, zero, positive). */
export function comparatorFor(type: SqlType): Comparator {
  const elem = type.elem;
  if (elem !== null) {
    const elemCmp = comparatorFor(elem);
    return (a, b) => compareArrays(a as SqlArray, b as SqlArray, elemCmp);
  }
  return opsFor(type, 'an ordering').cmp;
}

/** SQL `=` on non-null values of `type` (NaN = NaN for floats, as PostgreSQL). */
export function equalsFor(type: SqlType): Equality {
  const elem = type.elem;
  if (elem !== null) {
    const elemCmp = comparatorFor(elem);
    return (a, b) => compareArrays(a as SqlArray, b as SqlArray, elemCmp) === 0;
  }
  return opsFor(type, 'an equality').eq;
}

/** A primitive key with: equalsFor(type)(a, b) <=> key(a) === key(b) (NaN keys: use a Map). */
export function hashKeyFor(type: SqlType): HashKeyFn {
  const elem = type.elem;
  if (elem !== null) {
    const elemKey = hashKeyFor(elem);
    // Array output quotes elements unambiguously and includes non-default bounds, so the text
    // of the element keys is an injective encoding of the array value.
    return (v) => formatArray(v as SqlArray, (e: unknown) => String(elemKey(e)));
  }
  return opsFor(type, 'an equality').key;
}

const NULL_PART = '\u0001';

/**
 * A key for several columns at once (GROUP BY a, b; composite join keys; unique indexes).
 * `values[cols[i]]` holds the value of `types[i]`; NULLs are allowed and group together.
 * One column: that column's own key (null for NULL). Several: a string in which every string
 * part is length-prefixed and every other part is terminated by ';', so no two distinct tuples
 * share a key.
 */
export function compositeKeyFor(
  types: readonly SqlType[], cols?: readonly number[],
): (values: readonly unknown[]) => HashKey | null {
  const keys = types.map((t) => hashKeyFor(t));
  const idx = cols ?? types.map((_, i) => i);
  const n = keys.length;
  if (n === 1) {
    const k = keys[0] as HashKeyFn;
    const c = idx[0] as number;
    return (values) => {
      const v = values[c];
      return v === null || v === undefined ? null : k(v);
    };
  }
  return (values) => {
    let out = '';
    for (let i = 0; i < n; i++) {
      const v = values[idx[i] as number];
      if (v === null || v === undefined) {
        out += NULL_PART;
        continue;
      }
      const k = (keys[i] as HashKeyFn)(v);
      if (typeof k === 'string') out += k.length + ':' + k;
      else out += String(k) + ';';
    }
    return out;
  };
}
