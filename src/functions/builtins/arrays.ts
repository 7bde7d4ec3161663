/**
 * Array functions and operators: array_length/lower/upper/ndims/dims, cardinality,
 * array_position(s), array_append/prepend/cat, array_remove/replace, array_fill, trim_array, and
 * the operators `@> <@ &&` and `||` (array||array, array||element, element||array).
 *
 * Invariants:
 *  - Signatures follow PostgreSQL 15's pg_proc (anycompatible* for the element-taking ones), and
 *    result types are the resolved array type of the call.
 *  - Element equality comes from src/types/compare.ts for the array's element type (memoized per
 *    type object, so the per-row cost is one WeakMap lookup).
 *  - append/prepend/cat/fill/position are not strict, exactly as in PostgreSQL.
 */
import { defineScalar, type ArgType, type FunctionRegistry } from '../registry.ts';
import { Types, arrayOf, type SqlType } from '../../types/sql-type.ts';
import { SqlArray, arrayLength, arrayLower, arrayUpper, arrayDimsText } from '../../types/array.ts';
import { equalsFor, type Equality } from '../../types/compare.ts';
import {
  arrayAppend, arrayPrepend, arrayCat, arrayRemove, arrayReplace, arrayPosition, arrayPositions,
  arrayFill, trimArray, arrayContainedIn, arrayOverlap,
} from './arrays-core.ts';

const { int4, text, bool } = Types;
const int4Array = arrayOf(int4);

const eqCache = new WeakMap<SqlType, Equality>();

function eqFor(t: SqlType | undefined): Equality {
  const elem = t?.elem ?? t ?? text;
  let eq = eqCache.get(elem);
  if (eq === undefined) {
    eq = equalsFor(elem);
    eqCache.set(elem, eq);
  }
  return eq;
}

const A = (v: unknown): SqlArray => v as SqlArray;
const first = (t: readonly SqlType[]): SqlType => t[0] ?? arrayOf(text);
const second = (t: readonly SqlType[]): SqlType => t[1] ?? arrayOf(text);

function fn(reg: FunctionRegistry, name: string, args: ArgType[], returns: SqlType | ((t: readonly SqlType[]) => SqlType),
  impl: (a: unknown[], t: readonly SqlType[]) => unknown, strict = true): void {
  reg.add(defineScalar({ name, args, returns, strict, impl: (a, _ctx, t) => impl(a, t) }));
}

function registerShape(reg: FunctionRegistry): void {
  fn(reg, 'array_length', ['anyarray', int4], int4, (a) => arrayLength(A(a[0]), a[1] as number));
  fn(reg, 'array_lower', ['anyarray', int4], int4, (a) => arrayLower(A(a[0]), a[1] as number));
  fn(reg, 'array_upper', ['anyarray', int4], int4, (a) => arrayUpper(A(a[0]), a[1] as number));
  fn(reg, 'array_ndims', ['anyarray'], int4, (a) => (A(a[0]).dims.length === 0 ? null : A(a[0]).dims.length));
  fn(reg, 'array_dims', ['anyarray'], text, (a) => arrayDimsText(A(a[0])));
  fn(reg, 'cardinality', ['anyarray'], int4, (a) => A(a[0]).elems.length);
}

function registerSearch(reg: FunctionRegistry): void {
  fn(reg, 'array_position', ['anycompatiblearray', 'anycompatible'], int4,
    (a, t) => (a[0] === null ? null : arrayPosition(A(a[0]), a[1], null, eqFor(t[0]))), false);
  fn(reg, 'array_position', ['anycompatiblearray', 'anycompatible', int4], int4,
    (a, t) => (a[0] === null || a[2] === null ? null :
      arrayPosition(A(a[0]), a[1], a[2] as number, eqFor(t[0]))), false);
  fn(reg, 'array_positions', ['anycompatiblearray', 'anycompatible'], int4Array,
    (a, t) => (a[0] === null ? null : arrayPositions(A(a[0]), a[1], eqFor(t[0]))), false);
}

function registerBuild(reg: FunctionRegistry): void {
  const append = (a: unknown[]): unknown => arrayAppend(a[0] as SqlArray | null, a[1]);
  const prepend = (a: unknown[]): unknown => arrayPrepend(a[0], a[1] as SqlArray | null);
  const cat = (a: unknown[]): unknown => arrayCat(a[0] as SqlArray | null, a[1] as SqlArray | null);
  fn(reg, 'array_append', ['anycompatiblearray', 'anycompatible'], first, append, false);
  fn(reg, 'array_prepend', ['anycompatible', 'anycompatiblearray'], second, prepend, false);
  fn(reg, 'array_cat', ['anycompatiblearray', 'anycompatiblearray'], first, cat, false);
  fn(reg, '||', ['anycompatiblearray', 'anycompatible'], first, append, false);
  fn(reg, '||', ['anycompatible', 'anycompatiblearray'], second, prepend, false);
  fn(reg, '||', ['anycompatiblearray', 'anycompatiblearray'], first, cat, false);
  fn(reg, 'array_remove', ['anycompatiblearray', 'anycompatible'], first,
    (a, t) => (a[0] === null ? null : arrayRemove(A(a[0]), a[1], eqFor(t[0]))), false);
  fn(reg, 'array_replace', ['anycompatiblearray', 'anycompatible', 'anycompatible'], first,
    (a, t) => (a[0] === null ? null : arrayReplace(A(a[0]), a[1], a[2], eqFor(t[0]))), false);
  const fillType = (t: readonly SqlType[]): SqlType => arrayOf(t[0] ?? text);
  fn(reg, 'array_fill', ['anyelement', int4Array], fillType,
    (a) => arrayFill(a[0], a[1] as SqlArray | null, null, false), false);
  fn(reg, 'array_fill', ['anyelement', int4Array, int4Array], fillType,
    (a) => arrayFill(a[0], a[1] as SqlArray | null, a[2] as SqlArray | null, true), false);
  fn(reg, 'trim_array', ['anyarray', int4], first, (a) => trimArray(A(a[0]), a[1] as number));
}

function registerContainment(reg: FunctionRegistry): void {
  fn(reg, '@>', ['anyarray', 'anyarray'], bool, (a, t) => arrayContainedIn(A(a[1]), A(a[0]), eqFor(t[0])));
  fn(reg, '<@', ['anyarray', 'anyarray'], bool, (a, t) => arrayContainedIn(A(a[0]), A(a[1]), eqFor(t[0])));
  fn(reg, '&&', ['anyarray', 'anyarray'], bool, (a, t) => arrayOverlap(A(a[0]), A(a[1]), eqFor(t[0])));
  fn(reg, 'arraycontains', ['anyarray', 'anyarray'], bool,
    (a, t) => arrayContainedIn(A(a[1]), A(a[0]), eqFor(t[0])));
  fn(reg, 'arraycontained', ['anyarray', 'anyarray'], bool,
    (a, t) => arrayContainedIn(A(a[0]), A(a[1]), eqFor(t[0])));
  fn(reg, 'arrayoverlap', ['anyarray', 'anyarray'], bool,
    (a, t) => arrayOverlap(A(a[0]), A(a[1]), eqFor(t[0])));
}

export function registerArrays(reg: FunctionRegistry): void {
  registerShape(reg);
  registerSearch(reg);
  registerBuild(reg);
  registerContainment(reg);
}
