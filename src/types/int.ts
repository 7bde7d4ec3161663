/**
 * smallint / integer / bigint: parsing and arithmetic with PostgreSQL's overflow rules.
 *
 * Representation (see sql-type.ts): int2/int4 are JS numbers. int8 is a number when
 * |v| <= 2^53-1 and a bigint otherwise; `canonInt8` restores that canonical form after any
 * bigint computation, so `===`, Map keys and hashing never see both 5 and 5n.
 *
 * Invariants:
 *  - Every function returns a canonical value in range or throws DbError 22003/22012.
 *  - Results are never -0 (normalized with `+ 0` where a -0 could arise).
 *  - Fast paths use only double arithmetic whose exactness is argued at each site; the bigint
 *    path is taken only when a double result is not a safe integer.
 */
import { DbError } from '../errors/index.ts';

export type Int8 = number | bigint;

export const INT2_MIN = -32768;
export const INT2_MAX = 32767;
export const INT4_MIN = -2147483648;
export const INT4_MAX = 2147483647;
export const INT8_MIN = -9223372036854775808n;
export const INT8_MAX = 9223372036854775807n;
const SAFE_MAX_BIG = BigInt(Number.MAX_SAFE_INTEGER);
const SAFE_MIN_BIG = -SAFE_MAX_BIG;

function int2Overflow(): DbError {
  return new DbError('numeric_value_out_of_range', 'smallint out of range');
}
function int4Overflow(): DbError {
  return new DbError('numeric_value_out_of_range', 'integer out of range');
}
function int8Overflow(): DbError {
  return new DbError('numeric_value_out_of_range', 'bigint out of range');
}
export function divisionByZero(): DbError {
  return new DbError('division_by_zero', 'division by zero');
}

// ---------------------------------------------------------------------------------------------
// Canonical int8
// ---------------------------------------------------------------------------------------------

/** Canonical int8: a number whenever it is a safe integer; range-checked. */
export function canonInt8(x: number | bigint): Int8 {
  if (typeof x === 'number') {
    if (Number.isSafeInteger(x)) return x + 0;
    if (!Number.isInteger(x)) throw new DbError('internal_error', 'internal error: non-integer int8');
    return canonInt8(BigInt(x));
  }
  if (x >= SAFE_MIN_BIG && x <= SAFE_MAX_BIG) return Number(x);
  if (x > INT8_MAX || x < INT8_MIN) throw int8Overflow();
  return x;
}

/** True when `v` is a well-formed canonical int8 value (for assertions and tests). */
export function isCanonInt8(v: unknown): v is Int8 {
  if (typeof v === 'number') return Number.isSafeInteger(v) && !Object.is(v, -0);
  if (typeof v === 'bigint') {
    return (v > SAFE_MAX_BIG && v <= INT8_MAX) || (v < SAFE_MIN_BIG && v >= INT8_MIN);
  }
  return false;
}

export function int8ToBigInt(v: Int8): bigint {
  return typeof v === 'bigint' ? v : BigInt(v);
}

// ---------------------------------------------------------------------------------------------
// int2 / int4 arithmetic. Sums/products of in-range values are exact doubles whenever the true
// result is in range; an out-of-range true result rounds to an out-of-range double (rounding is
// monotonic and the bounds are representable), so a plain range check is exact.
// ---------------------------------------------------------------------------------------------

export function int2Check(r: number): number {
  if (r < INT2_MIN || r > INT2_MAX) throw int2Overflow();
  return r;
}
export function int4Check(r: number): number {
  if (r < INT4_MIN || r > INT4_MAX) throw int4Overflow();
  return r;
}

export function int2Add(a: number, b: number): number { return int2Check(a + b); }
export function int2Sub(a: number, b: number): number { return int2Check(a - b); }
export function int2Mul(a: number, b: number): number { return int2Check(a * b + 0); }
export function int2Neg(a: number): number { return int2Check(0 - a); }
export function int2Abs(a: number): number { return int2Check(a < 0 ? -a : a); }
export function int2Div(a: number, b: number): number {
  if (b === 0) throw divisionByZero();
  if (b === -1) return int2Neg(a);
  return (a / b) | 0; // exact: |quotient| < 2^15, truncation toward zero; `| 0` also drops -0
}
export function int2Mod(a: number, b: number): number {
  if (b === 0) throw divisionByZero();
  return (a % b) + 0; // JS % truncates, so the sign follows the dividend as in PostgreSQL
}

export function int4Add(a: number, b: number): number { return int4Check(a + b); }
export function int4Sub(a: number, b: number): number { return int4Check(a - b); }
export function int4Mul(a: number, b: number): number { return int4Check(a * b + 0); }
export function int4Neg(a: number): number { return int4Check(0 - a); }
export function int4Abs(a: number): number { return int4Check(a < 0 ? -a : a); }
export function int4Div(a: number, b: number): number {
  if (b === 0) throw divisionByZero();
  if (b === -1) return int4Neg(a); // the only overflowing case: INT4_MIN / -1
  return (a / b) | 0;
}
export function int4Mod(a: number, b: number): number {
  if (b === 0) throw divisionByZero();
  return (a % b) + 0;
}

// ---------------------------------------------------------------------------------------------
// int8 arithmetic. Fast path: both numbers and the double result is a safe integer — then it is
// exact (a true result beyond 2^53-1 can only round to >= 2^53). Otherwise exact bigint math.
// ---------------------------------------------------------------------------------------------

export function int8Add(a: Int8, b: Int8): Int8 {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a + b;
    if (Number.isSafeInteger(r)) return r;
  }
  return int8FromBig(int8ToBigInt(a) + int8ToBigInt(b));
}

export function int8Sub(a: Int8, b: Int8): Int8 {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a - b;
    if (Number.isSafeInteger(r)) return r + 0;
  }
  return int8FromBig(int8ToBigInt(a) - int8ToBigInt(b));
}

export function int8Mul(a: Int8, b: Int8): Int8 {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a * b;
    if (Number.isSafeInteger(r)) return r + 0;
  }
  return int8FromBig(int8ToBigInt(a) * int8ToBigInt(b));
}

export function int8Div(a: Int8, b: Int8): Int8 {
  if (b === 0) throw divisionByZero();
  if (typeof a === 'number' && typeof b === 'number') {
    // a - a % b is an exact multiple of b (fmod is exact), so the division is exact too.
    return (a - (a % b)) / b + 0;
  }
  return int8FromBig(int8ToBigInt(a) / int8ToBigInt(b)); // bigint / truncates toward zero
}

export function int8Mod(a: Int8, b: Int8): Int8 {
  if (b === 0) throw divisionByZero();
  if (typeof a === 'number' && typeof b === 'number') return (a % b) + 0;
  return canonInt8(int8ToBigInt(a) % int8ToBigInt(b));
}

export function int8Neg(a: Int8): Int8 {
  if (typeof a === 'number') return 0 - a;
  return int8FromBig(-a);
}

export function int8Abs(a: Int8): Int8 {
  if (typeof a === 'number') return a < 0 ? -a : a;
  return int8FromBig(a < 0n ? -a : a);
}

function int8FromBig(x: bigint): Int8 {
  if (x >= SAFE_MIN_BIG && x <= SAFE_MAX_BIG) return Number(x);
  if (x > INT8_MAX || x < INT8_MIN) throw int8Overflow();
  return x;
}

/** Range-checks a bigint/integer-valued number into canonical int2/int4/int8 ("smallint out of
 * range" etc.); used by casts between the integer types. */
export function toInt2(v: Int8): number {
  if (typeof v === 'bigint') throw int2Overflow();
  return int2Check(v);
}
export function toInt4(v: Int8): number {
  if (typeof v === 'bigint') throw int4Overflow();
  return int4Check(v);
}

// ---------------------------------------------------------------------------------------------
// Comparison on canonical int8 (mixed number/bigint). A canonical bigint is always outside the
// safe range, so a number/bigint comparison is decided by the bigint's sign: no allocation.
// ---------------------------------------------------------------------------------------------

export function int8Compare(a: Int8, b: Int8): number {
  if (typeof a === 'number') {
    if (typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
    return b > 0n ? -1 : 1;
  }
  if (typeof b === 'number') return a > 0n ? 1 : -1;
  return a < b ? -1 : a > b ? 1 : 0;
}
export function int8Eq(a: Int8, b: Int8): boolean { return a === b; }
export function int8Lt(a: Int8, b: Int8): boolean { return int8Compare(a, b) < 0; }
export function int8Le(a: Int8, b: Int8): boolean { return int8Compare(a, b) <= 0; }
export function int8Gt(a: Int8, b: Int8): boolean { return int8Compare(a, b) > 0; }
export function int8Ge(a: Int8, b: Int8): boolean { return int8Compare(a, b) >= 0; }

// ---------------------------------------------------------------------------------------------
// Bitwise and shift operators (&, |, #, ~, <<, >>). As in PostgreSQL (C on x86), shift counts
// are taken modulo the width and shifted-out bits are silently lost (no overflow error).
// ---------------------------------------------------------------------------------------------

function int16(x: number): number { return (x << 16) >> 16; }

export function int2And(a: number, b: number): number { return a & b; }
export function int2Or(a: number, b: number): number { return a | b; }
export function int2Xor(a: number, b: number): number { return a ^ b; }
export function int2Not(a: number): number { return ~a; }
export function int2Shl(a: number, n: number): number { return int16(a << n); }
export function int2Shr(a: number, n: number): number { return a >> n; }

export function int4And(a: number, b: number): number { return a & b; }
export function int4Or(a: number, b: number): number { return a | b; }
export function int4Xor(a: number, b: number): number { return a ^ b; }
export function int4Not(a: number): number { return ~a; }
export function int4Shl(a: number, n: number): number { return a << n; }
export function int4Shr(a: number, n: number): number { return a >> n; }

function isInt32(v: Int8): v is number {
  return typeof v === 'number' && (v | 0) === v;
}

export function int8And(a: Int8, b: Int8): Int8 {
  if (isInt32(a) && isInt32(b)) return a & b;
  return canonInt8(BigInt.asIntN(64, int8ToBigInt(a) & int8ToBigInt(b)));
}
export function int8Or(a: Int8, b: Int8): Int8 {
  if (isInt32(a) && isInt32(b)) return a | b;
  return canonInt8(BigInt.asIntN(64, int8ToBigInt(a) | int8ToBigInt(b)));
}
export function int8Xor(a: Int8, b: Int8): Int8 {
  if (isInt32(a) && isInt32(b)) return a ^ b;
  return canonInt8(BigInt.asIntN(64, int8ToBigInt(a) ^ int8ToBigInt(b)));
}
export function int8Not(a: Int8): Int8 {
  if (isInt32(a)) return ~a;
  return canonInt8(BigInt.asIntN(64, ~int8ToBigInt(a)));
}
export function int8Shl(a: Int8, n: number): Int8 {
  return canonInt8(BigInt.asIntN(64, int8ToBigInt(a) << BigInt(n & 63)));
}
export function int8Shr(a: Int8, n: number): Int8 {
  return canonInt8(int8ToBigInt(a) >> BigInt(n & 63));
}

// ---------------------------------------------------------------------------------------------
// Text input (pg_strtoint16/32/64): surrounding whitespace, optional sign, decimal digits with
// PG16 underscores between digits, and PG16 0x/0o/0b prefixes. Exact for int8 (bigint path).
// ---------------------------------------------------------------------------------------------

const INT_RE = /^\s*([+-]?)(?:0[xX]((?:_?[0-9a-fA-F])+)|0[oO]((?:_?[0-7])+)|0[bB]((?:_?[01])+)|(\d(?:_?\d)*))\s*$/;

function syntaxError(typeName: string, s: string): DbError {
  return new DbError('invalid_text_representation',
    `invalid input syntax for type ${typeName}: "${s}"`);
}
function rangeError(typeName: string, s: string): DbError {
  return new DbError('numeric_value_out_of_range',
    `value "${s}" is out of range for type ${typeName}`);
}

/** Parses to an exact bigint, or null on a syntax error. */
function parseIntText(s: string): bigint | number | null {
  // Fast path: short plain decimal without whitespace/underscores fits a double exactly.
  const len = s.length;
  if (len > 0 && len <= 15) {
    let i = 0;
    let neg = false;
    const c0 = s.charCodeAt(0);
    if (c0 === 45 || c0 === 43) { neg = c0 === 45; i = 1; }
    if (i < len) {
      let n = 0;
      for (; i < len; i++) {
        const c = s.charCodeAt(i) - 48;
        if (c < 0 || c > 9) break;
        n = n * 10 + c;
      }
      if (i === len) return neg ? 0 - n : n;
    }
  }
  const m = INT_RE.exec(s);
  if (m === null) return null;
  const neg = m[1] === '-';
  let digits: string;
  if (m[2] !== undefined) digits = '0x' + m[2];
  else if (m[3] !== undefined) digits = '0o' + m[3];
  else if (m[4] !== undefined) digits = '0b' + m[4];
  else digits = m[5] ?? '';
  const big = BigInt(digits.replaceAll('_', ''));
  return neg ? -big : big;
}

export function parseInt2(s: string): number {
  const v = parseIntText(s);
  if (v === null) throw syntaxError('smallint', s);
  if (typeof v === 'number') {
    if (v < INT2_MIN || v > INT2_MAX) throw rangeError('smallint', s);
    return v;
  }
  if (v < -32768n || v > 32767n) throw rangeError('smallint', s);
  return Number(v);
}

export function parseInt4(s: string): number {
  const v = parseIntText(s);
  if (v === null) throw syntaxError('integer', s);
  if (typeof v === 'number') {
    if (v < INT4_MIN || v > INT4_MAX) throw rangeError('integer', s);
    return v;
  }
  if (v < -2147483648n || v > 2147483647n) throw rangeError('integer', s);
  return Number(v);
}

export function parseInt8(s: string): Int8 {
  const v = parseIntText(s);
  if (v === null) throw syntaxError('bigint', s);
  if (typeof v === 'number') return v;
  if (v < INT8_MIN || v > INT8_MAX) throw rangeError('bigint', s);
  return int8FromBig(v);
}

/** Text output: String() of a bigint has no 'n' suffix, so one function serves all widths. */
export function formatInt(v: Int8): string {
  return String(v);
}
