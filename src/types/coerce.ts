/**
 * Type resolution: PostgreSQL's select_common_type() for UNION/INTERSECT/EXCEPT, CASE,
 * COALESCE/GREATEST/LEAST, VALUES and ARRAY[...], plus the numeric promotion the arithmetic
 * operators resolve to (int2 + int4 -> int4, int + numeric -> numeric, float4 + int -> float8).
 *
 * Rules (parse_coerce.c):
 *  - all inputs of one type: that type (typmod kept only when every input has the same one);
 *  - unknown-typed literals carry no information; if every input is unknown, the result is text;
 *  - otherwise scan left to right: a type of another category is an error (42804 "UNION types
 *    integer and text cannot be matched"); within a category, switch to the new type when the
 *    current one is not preferred and the cast current -> new is implicit but new -> current is
 *    not;
 *  - finally every input must implicitly cast to the result, else 42846
 *    "UNION could not convert type X to Y".
 */
import { DbError } from '../errors/index.ts';
import {
  Oid, Types, formatType, typeInfo, withTypmod, type SqlType, type TypeCategory,
} from './sql-type.ts';
import { canCoerce } from './cast.ts';

/** pg_type.typcategory (arrays are 'A', unknown is 'X'). */
export function typeCategory(t: SqlType): TypeCategory {
  if (t.elem !== null) return 'A';
  return typeInfo(t.oid)?.category ?? 'U';
}

/** pg_type.typispreferred: float8, text, timestamptz, interval, boolean. */
export function isPreferred(t: SqlType): boolean {
  if (t.elem !== null) return false;
  return typeInfo(t.oid)?.preferred ?? false;
}

/** format_type_be(): the type's name without its modifier. */
function formatTypeBe(t: SqlType): string {
  return formatType(t.typmod < 0 ? t : withTypmod(t, -1));
}

function sameBase(a: SqlType, b: SqlType): boolean {
  if (a.oid !== b.oid) return false;
  if (a.elem === null || b.elem === null) return a.elem === b.elem;
  return sameBase(a.elem, b.elem);
}

/**
 * select_common_type() + select_common_typmod() + the coercibility check of
 * coerce_to_common_type(). `context` names the construct in errors ('UNION', 'CASE', 'VALUES',
 * 'COALESCE', 'ARRAY'). Returns null instead of throwing when `context` is null.
 */
export function commonType(types: readonly SqlType[], context: string): SqlType;
export function commonType(types: readonly SqlType[], context: null): SqlType | null;
export function commonType(types: readonly SqlType[], context: string | null): SqlType | null {
  const first = types[0];
  if (first === undefined) return Types.text;
  let ptype = first;
  if (first.oid !== Oid.unknown && types.every((t) => sameBase(t, first))) {
    return withCommonTypmod(first, types);
  }
  for (let i = 1; i < types.length; i++) {
    const ntype = types[i] as SqlType;
    if (ntype.oid === Oid.unknown || sameBase(ntype, ptype)) continue;
    if (ptype.oid === Oid.unknown) {
      ptype = ntype;
    } else if (typeCategory(ntype) !== typeCategory(ptype)) {
      if (context === null) return null;
      throw new DbError('datatype_mismatch',
        `${context} types ${formatTypeBe(ptype)} and ${formatTypeBe(ntype)} cannot be matched`);
    } else if (!isPreferred(ptype) && canCoerce(ptype, ntype, 'implicit') &&
      !canCoerce(ntype, ptype, 'implicit')) {
      ptype = ntype;
    }
  }
  if (ptype.oid === Oid.unknown) ptype = Types.text;
  const result = withCommonTypmod(ptype, types);
  for (const t of types) {
    if (!canCoerce(t, result, 'implicit')) {
      if (context === null) return null;
      throw new DbError('cannot_coerce',
        `${context} could not convert type ${formatTypeBe(t)} to ${formatTypeBe(result)}`);
    }
  }
  return result;
}

/** select_common_typmod(): the shared typmod when every input has the result type and it. */
function withCommonTypmod(result: SqlType, types: readonly SqlType[]): SqlType {
  let typmod: number | undefined;
  for (const t of types) {
    if (!sameBase(t, result)) return withTypmod(result, -1);
    if (typmod === undefined) typmod = t.typmod;
    else if (typmod !== t.typmod) return withTypmod(result, -1);
  }
  return withTypmod(result, typmod ?? -1);
}

const NUMERIC_RANK = new Map<number, number>([
  [Oid.int2, 0], [Oid.int4, 1], [Oid.int8, 2], [Oid.numeric, 3], [Oid.float4, 4], [Oid.float8, 5],
]);

/** Whether `t` is one of int2/int4/int8/numeric/float4/float8. */
export function isNumericType(t: SqlType): boolean {
  return t.elem === null && NUMERIC_RANK.has(t.oid);
}

/**
 * The type binary arithmetic on `a` and `b` computes in, as PostgreSQL's operator resolution
 * picks it: integers widen to the wider integer (int24pl -> int4, int48pl -> int8); an integer
 * with numeric is numeric; float4 with float4 stays float4, float4 with anything else is float8
 * (float48pl, and numeric/ints cast implicitly to float8, the preferred type); float8 wins.
 */
export function promoteNumeric(a: SqlType, b: SqlType): SqlType {
  const ra = NUMERIC_RANK.get(a.oid);
  const rb = NUMERIC_RANK.get(b.oid);
  if (ra === undefined || rb === undefined || a.elem !== null || b.elem !== null) {
    throw new DbError('datatype_mismatch',
      `cannot combine types ${formatTypeBe(a)} and ${formatTypeBe(b)} in numeric arithmetic`);
  }
  if (ra === 5 || rb === 5) return Types.float8;
  if (ra === 4 || rb === 4) return ra === rb ? Types.float4 : Types.float8;
  const r = Math.max(ra, rb);
  return r === 3 ? Types.numeric : r === 2 ? Types.int8 : r === 1 ? Types.int4 : Types.int2;
}
