/**
 * Character-position helpers for the string functions. PostgreSQL counts characters (code points
 * in UTF-8), JavaScript strings index UTF-16 units; the two agree unless the string contains a
 * surrogate pair, so every helper takes an allocation-free fast path when it has none.
 */
import { DbError } from '../../errors/index.ts';

const SURROGATE = /[\uD800-\uDFFF]/;

export function hasSurrogates(s: string): boolean {
  return SURROGATE.test(s);
}

/** UTF-16 index of the character at 0-based code-point index `n` (clamped to s.length). */
export function unitIndex(s: string, n: number): number {
  if (n <= 0) return 0;
  if (!hasSurrogates(s)) return n < s.length ? n : s.length;
  let i = 0;
  for (let k = 0; k < n && i < s.length; k++) {
    const c = s.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff && i + 1 < s.length ? 2 : 1;
  }
  return i;
}

/** 0-based code-point index of UTF-16 index `u`. */
export function charIndex(s: string, u: number): number {
  if (!hasSurrogates(s)) return u;
  let n = 0;
  for (let i = 0; i < u && i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) i++;
    n++;
  }
  return n;
}

/** Characters [from, to) by 0-based code-point positions (clamped). */
export function charSlice(s: string, from: number, to: number): string {
  if (!hasSurrogates(s)) return s.slice(Math.max(0, from), Math.max(0, to));
  return s.slice(unitIndex(s, from), unitIndex(s, to));
}

export function chars(s: string): string[] {
  return Array.from(s);
}

/** PostgreSQL caps any text value at 1 GB; a result past that is "requested length too large". */
export const MAX_TEXT_LENGTH = 0x3fffffff;

export function lengthTooLarge(): DbError {
  return new DbError('program_limit_exceeded', 'requested length too large');
}

export function negativeSubstring(): DbError {
  // PostgreSQL uses SQLSTATE 22011 (substring_error), absent from src/errors/sqlstate.ts.
  return new DbError('data_exception', 'negative substring length not allowed');
}

/** An int8 argument as a JS number (bigints are beyond any string length anyway). */
export function int8Arg(v: unknown): number {
  return typeof v === 'bigint' ? (v > 0n ? Number.MAX_SAFE_INTEGER : Number.MIN_SAFE_INTEGER) : (v as number);
}
