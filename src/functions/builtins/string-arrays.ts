/**
 * Functions between strings and arrays: string_to_array, array_to_string, string_to_table.
 *
 * Invariants:
 *  - string_to_array is not strict: a NULL delimiter splits into single characters, an empty
 *    delimiter yields the whole string as one element, an empty input yields an empty array;
 *    elements equal to null_string become NULL.
 *  - array_to_string visits elements in storage (row-major) order, skipping NULLs unless a
 *    null_string is given; elements print with their type's output function.
 */
import type { EvalContext } from '../registry.ts';
import type { SqlType } from '../../types/sql-type.ts';
import { SqlArray } from '../../types/array.ts';
import { outputFunction } from '../../types/text-io.ts';
import { chars } from './string-common.ts';

export function splitString(s: string, delim: string | null, nullStr: string | null): (string | null)[] {
  if (s === '') return [];
  let parts: string[];
  if (delim === null) parts = chars(s);
  else if (delim === '') parts = [s];
  else parts = s.split(delim);
  if (nullStr === null) return parts;
  return parts.map((p) => (p === nullStr ? null : p));
}

export function stringToArray(s: string, delim: string | null, nullStr: string | null): SqlArray {
  return new SqlArray(splitString(s, delim, nullStr));
}

export function arrayToString(arr: SqlArray, elemType: SqlType, delim: string, nullStr: string | null,
  ctx: EvalContext): string {
  const out = outputFunction(elemType);
  let s = '';
  let first = true;
  for (const e of arr.elems) {
    let piece: string;
    if (e === null || e === undefined) {
      if (nullStr === null) continue;
      piece = nullStr;
    } else {
      piece = typeof e === 'string' ? e : out(e, ctx.types);
    }
    if (!first) s += delim;
    s += piece;
    first = false;
  }
  return s;
}
