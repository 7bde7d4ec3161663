/**
 * Array function kernels over SqlArray (src/types/array.ts): append/prepend/cat, remove/replace,
 * fill, trim, position(s) and the containment tests behind `@> <@ &&`.
 *
 * Invariants:
 *  - Inputs are never mutated; every result is a fresh SqlArray.
 *  - Element matching for position/remove/replace is IS NOT DISTINCT FROM (NULL finds NULL);
 *    containment/overlap never match NULL elements, as in PostgreSQL.
 *  - append/prepend keep the input's lower bound; cat keeps the first non-empty input's bounds.
 */
import { DbError } from '../../errors/index.ts';
import { SqlArray, ARRAY_DIMS_MAX } from '../../types/array.ts';
import type { Equality } from '../../types/compare.ts';

function isNull(v: unknown): boolean {
  return v === null || v === undefined;
}

function notDistinct(eq: Equality, a: unknown, b: unknown): boolean {
  const an = isNull(a);
  const bn = isNull(b);
  if (an || bn) return an && bn;
  return eq(a, b);
}

function oneDimOnly(v: SqlArray, msg: string): void {
  if (v.dims.length > 1) throw new DbError('feature_not_supported', msg);
}

export function arrayAppend(arr: SqlArray | null, elem: unknown): SqlArray {
  if (arr === null || arr.dims.length === 0) return new SqlArray([elem]);
  if (arr.dims.length !== 1) {
    throw new DbError('data_exception', 'argument must be empty or one-dimensional array');
  }
  return new SqlArray([...arr.elems, elem], [arr.elems.length + 1], [arr.lbounds[0] ?? 1]);
}

export function arrayPrepend(elem: unknown, arr: SqlArray | null): SqlArray {
  if (arr === null || arr.dims.length === 0) return new SqlArray([elem]);
  if (arr.dims.length !== 1) {
    throw new DbError('data_exception', 'argument must be empty or one-dimensional array');
  }
  return new SqlArray([elem, ...arr.elems], [arr.elems.length + 1], [arr.lbounds[0] ?? 1]);
}

function incompatible(detail: string): DbError {
  return new DbError('array_subscript_error', 'cannot concatenate incompatible arrays', { detail });
}

function sameDims(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export function arrayCat(a: SqlArray | null, b: SqlArray | null): SqlArray | null {
  if (a === null) return b;
  if (b === null) return a;
  if (a.dims.length === 0) return b;
  if (b.dims.length === 0) return a;
  const na = a.dims.length;
  const nb = b.dims.length;
  const elems = [...a.elems, ...b.elems];
  if (na === nb) {
    if (!sameDims(a.dims.slice(1), b.dims.slice(1))) {
      throw incompatible('Arrays with differing element dimensions are not compatible for concatenation.');
    }
    return new SqlArray(elems, [(a.dims[0] as number) + (b.dims[0] as number), ...a.dims.slice(1)],
      [...a.lbounds]);
  }
  if (na === nb + 1) {
    if (!sameDims(a.dims.slice(1), b.dims)) {
      throw incompatible('Arrays with differing dimensions are not compatible for concatenation.');
    }
    return new SqlArray(elems, [(a.dims[0] as number) + 1, ...a.dims.slice(1)], [...a.lbounds]);
  }
  if (nb === na + 1) {
    if (!sameDims(b.dims.slice(1), a.dims)) {
      throw incompatible('Arrays with differing dimensions are not compatible for concatenation.');
    }
    return new SqlArray(elems, [(b.dims[0] as number) + 1, ...b.dims.slice(1)], [...b.lbounds]);
  }
  throw incompatible(`Arrays of ${na} and ${nb} dimensions are not compatible for concatenation.`);
}

export function arrayRemove(arr: SqlArray, elem: unknown, eq: Equality): SqlArray {
  oneDimOnly(arr, 'removing elements from multidimensional arrays is not supported');
  const kept = arr.elems.filter((e) => !notDistinct(eq, e, elem));
  if (kept.length === arr.elems.length) return arr;
  if (kept.length === 0) return new SqlArray([]);
  return new SqlArray(kept, [kept.length], [arr.lbounds[0] ?? 1]);
}

export function arrayReplace(arr: SqlArray, from: unknown, to: unknown, eq: Equality): SqlArray {
  const elems = arr.elems.map((e) => (notDistinct(eq, e, from) ? to : e));
  return new SqlArray(elems, [...arr.dims], [...arr.lbounds]);
}

export function arrayPosition(arr: SqlArray, elem: unknown, start: number | null, eq: Equality): number | null {
  oneDimOnly(arr, 'searching for elements in multidimensional arrays is not supported');
  if (arr.dims.length === 0) return null;
  const lb = arr.lbounds[0] ?? 1;
  const from = start === null ? 0 : Math.max(0, start - lb);
  for (let i = from; i < arr.elems.length; i++) {
    if (notDistinct(eq, arr.elems[i], elem)) return i + lb;
  }
  return null;
}

export function arrayPositions(arr: SqlArray, elem: unknown, eq: Equality): SqlArray {
  oneDimOnly(arr, 'searching for elements in multidimensional arrays is not supported');
  const lb = arr.lbounds[0] ?? 1;
  const out: number[] = [];
  for (let i = 0; i < arr.elems.length; i++) {
    if (notDistinct(eq, arr.elems[i], elem)) out.push(i + lb);
  }
  return new SqlArray(out);
}

/** array_fill(value, dims [, lbounds]); `withLbounds` tells a NULL lbounds from an absent one. */
export function arrayFill(value: unknown, dims: SqlArray | null, lbounds: SqlArray | null,
  withLbounds: boolean): SqlArray {
  if (dims === null || (withLbounds && lbounds === null)) {
    throw new DbError('null_value_not_allowed', 'dimension array or low bound array cannot be null');
  }
  if (dims.dims.length > 1 || (lbounds !== null && lbounds.dims.length > 1)) {
    throw new DbError('array_subscript_error', 'wrong number of array subscripts',
      { detail: 'Dimension array must be one dimensional.' });
  }
  const d = dims.elems;
  if (d.some(isNull) || (lbounds !== null && lbounds.elems.some(isNull))) {
    throw new DbError('null_value_not_allowed', 'dimension values cannot be null');
  }
  if (lbounds !== null && lbounds.elems.length !== d.length) {
    throw new DbError('array_subscript_error', 'wrong number of array subscripts',
      { detail: 'Low bound array has different size than dimensions array.' });
  }
  if (d.length > ARRAY_DIMS_MAX) {
    throw new DbError('program_limit_exceeded',
      `number of array dimensions (${d.length}) exceeds the maximum allowed (${ARRAY_DIMS_MAX})`);
  }
  const sizes = d.map((x) => Number(x));
  let total = 1;
  for (const s of sizes) total *= Math.max(0, s);
  if (sizes.length === 0 || total === 0) return new SqlArray([]);
  if (total > 134217727) {
    throw new DbError('program_limit_exceeded', 'array size exceeds the maximum allowed (134217727)');
  }
  const lbs = lbounds === null ? sizes.map(() => 1) : lbounds.elems.map((x) => Number(x));
  return new SqlArray(new Array<unknown>(total).fill(value), sizes, lbs);
}

export function trimArray(arr: SqlArray, n: number): SqlArray {
  const len = arr.dims[0] ?? 0;
  if (n < 0 || n > len) {
    throw new DbError('array_subscript_error',
      `number of elements to trim must be between 0 and ${len}`);
  }
  if (n === 0) return arr;
  if (n === len) return new SqlArray([]);
  const inner = arr.elems.length / len;
  const keep = (len - n) * inner;
  return new SqlArray(arr.elems.slice(0, keep), [len - n, ...arr.dims.slice(1)], [...arr.lbounds]);
}

/** Every non-null element of `a` equals some element of `b` (a <@ b). */
export function arrayContainedIn(a: SqlArray, b: SqlArray, eq: Equality): boolean {
  for (const x of a.elems) {
    if (isNull(x)) return false;
    let found = false;
    for (const y of b.elems) {
      if (!isNull(y) && eq(x, y)) { found = true; break; }
    }
    if (!found) return false;
  }
  return true;
}

export function arrayOverlap(a: SqlArray, b: SqlArray, eq: Equality): boolean {
  for (const x of a.elems) {
    if (isNull(x)) continue;
    for (const y of b.elems) {
      if (!isNull(y) && eq(x, y)) return true;
    }
  }
  return false;
}
