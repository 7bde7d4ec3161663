/**
 * real / double precision: PostgreSQL's text I/O, overflow-checked arithmetic and float->int.
 *
 * Representation: JS numbers; float4 values are always Math.fround-ed.
 *
 * Output (float8out/float4out with extra_float_digits > 0, PostgreSQL 12+): the shortest digits
 * that round-trip (Ryu), printed fixed-point when the decimal exponent is in [-4, 15) for float8
 * and [-4, 6) for float4, else as d.ddde+XX with at least two exponent digits (1e+20, 1e-05).
 * With extra_float_digits <= 0 the output is "%.{15|6}+efd g".
 *
 * Arithmetic follows float.h's checks: an infinite result from finite inputs is
 * 'value out of range: overflow'; a zero result from nonzero inputs of * and / is
 * 'value out of range: underflow'; x / 0 is 'division by zero' (unless x is NaN).
 */
import { DbError } from '../errors/index.ts';
import type { Int8 } from './int.ts';
import { canonInt8 } from './int.ts';

function overflow(): DbError {
  return new DbError('numeric_value_out_of_range', 'value out of range: overflow');
}
function underflow(): DbError {
  return new DbError('numeric_value_out_of_range', 'value out of range: underflow');
}
function zeroDivide(): DbError {
  return new DbError('division_by_zero', 'division by zero');
}

// ---------------------------------------------------------------------------------------------
// Input
// ---------------------------------------------------------------------------------------------

const FLOAT_RE = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;
const SPECIAL_RE = /^\s*([+-]?)(inf|infinity|nan)\s*$/i;

/** Parses a float literal; returns undefined on bad syntax (caller words the error). */
function parseFloatText(s: string): number | undefined {
  if (FLOAT_RE.test(s)) return Number(s.trim());
  const m = SPECIAL_RE.exec(s);
  if (m === null) return undefined;
  if ((m[2] ?? '').toLowerCase() === 'nan') return NaN;
  return m[1] === '-' ? -Infinity : Infinity;
}

function hasNonzeroDigit(s: string): boolean {
  const mant = s.split(/[eE]/)[0] ?? '';
  return /[1-9]/.test(mant);
}

export function parseFloat8(s: string): number {
  const v = parseFloatText(s);
  if (v === undefined) {
    throw new DbError('invalid_text_representation',
      `invalid input syntax for type double precision: "${s}"`);
  }
  if ((v === Infinity || v === -Infinity || v === 0) && FLOAT_RE.test(s) &&
    (v !== 0 || hasNonzeroDigit(s))) {
    throw new DbError('numeric_value_out_of_range',
      `"${s}" is out of range for type double precision`);
  }
  return v; // -0 stays -0, as strtod gives it (PostgreSQL prints '-0'::float8 as -0)
}

export function parseFloat4(s: string): number {
  const d = parseFloatText(s);
  if (d === undefined) {
    throw new DbError('invalid_text_representation', `invalid input syntax for type real: "${s}"`);
  }
  const v = Math.fround(d);
  if ((v === Infinity || v === -Infinity || v === 0) && FLOAT_RE.test(s) &&
    (v !== 0 || hasNonzeroDigit(s))) {
    throw new DbError('numeric_value_out_of_range', `"${s}" is out of range for type real`);
  }
  return v; // -0 stays -0 (strtof)
}

// ---------------------------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------------------------

/** Formats sign/digits/exponent the way PostgreSQL's d2s/f2s to_chars does. */
function layout(neg: boolean, digits: string, exp10: number, fixedMax: number): string {
  // digits: significant digits without leading/trailing zeros; value = 0.d1d2.. * 10^(exp10+1)
  const sign = neg ? '-' : '';
  const n = digits.length;
  if (exp10 >= -4 && exp10 < fixedMax) {
    if (exp10 < 0) return `${sign}0.${'0'.repeat(-exp10 - 1)}${digits}`;
    if (n <= exp10 + 1) return sign + digits + '0'.repeat(exp10 + 1 - n);
    return `${sign}${digits.slice(0, exp10 + 1)}.${digits.slice(exp10 + 1)}`;
  }
  const mant = n === 1 ? digits : `${digits[0] ?? ''}.${digits.slice(1)}`;
  const e = Math.abs(exp10);
  return `${sign}${mant}e${exp10 < 0 ? '-' : '+'}${e < 10 ? '0' + e : String(e)}`;
}

/** Splits a JS exponential string "d.ddde±x" into significant digits and exponent. */
function splitExponential(t: string): [string, number] {
  const ePos = t.indexOf('e');
  const mant = t.slice(0, ePos).replace('.', '').replace(/0+$/, '');
  return [mant === '' ? '0' : mant, Number(t.slice(ePos + 1))];
}

function formatSpecial(x: number): string | undefined {
  if (x !== x) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  return undefined;
}

/** float8out. `extraFloatDigits` is the session's extra_float_digits (default 1). */
export function formatFloat8(x: number, extraFloatDigits = 1): string {
  const special = formatSpecial(x);
  if (special !== undefined) return special;
  if (extraFloatDigits > 0) {
    // Fast path: integers below 1e15 print identically in JS and PostgreSQL.
    if (Number.isInteger(x) && x < 1e15 && x > -1e15) return String(x);
    // toExponential() with no argument gives the shortest round-trip digits, like Ryu.
    const [digits, exp10] = splitExponential(Math.abs(x).toExponential());
    return layout(x < 0, digits, exp10, 15);
  }
  return formatG(x, Math.max(1, 15 + extraFloatDigits));
}

/** float4out: shortest digits that round-trip through float4. */
export function formatFloat4(x: number, extraFloatDigits = 1): string {
  const special = formatSpecial(x);
  if (special !== undefined) return special;
  if (extraFloatDigits > 0) {
    const a = Math.abs(x);
    let t = a.toExponential(8);
    for (let p = 0; p <= 8; p++) {
      const c = a.toExponential(p);
      if (Math.fround(Number(c)) === a) { t = c; break; }
    }
    const [digits, exp10] = splitExponential(t);
    return layout(x < 0, digits, exp10, 6);
  }
  return formatG(x, Math.max(1, 6 + extraFloatDigits));
}

/** C's "%.{p}g". */
function formatG(x: number, p: number): string {
  const [digits, exp10] = splitExponential(Math.abs(x).toExponential(p - 1));
  return layout(x < 0, digits, exp10, p);
}

// ---------------------------------------------------------------------------------------------
// Arithmetic
// ---------------------------------------------------------------------------------------------

export function float8Add(a: number, b: number): number {
  const r = a + b;
  if (r === Infinity || r === -Infinity) {
    if (a - a === 0 && b - b === 0) throw overflow(); // both finite
  }
  return r;
}
export function float8Sub(a: number, b: number): number {
  const r = a - b;
  if (r === Infinity || r === -Infinity) {
    if (a - a === 0 && b - b === 0) throw overflow();
  }
  return r;
}
export function float8Mul(a: number, b: number): number {
  const r = a * b;
  if (r === Infinity || r === -Infinity) {
    if (a - a === 0 && b - b === 0) throw overflow();
  } else if (r === 0 && a !== 0 && b !== 0) {
    throw underflow();
  }
  return r;
}
export function float8Div(a: number, b: number): number {
  if (b === 0 && a === a) throw zeroDivide();
  const r = a / b;
  if (r === Infinity || r === -Infinity) {
    if (a - a === 0) throw overflow();
  } else if (r === 0 && a !== 0 && b - b === 0) {
    throw underflow();
  }
  return r;
}
export function float8Neg(a: number): number { return -a; }
export function float8Abs(a: number): number { return Math.abs(a); }

function float4Check(r: number, a: number, b: number, checkZero: boolean): number {
  const f = Math.fround(r);
  if (f === Infinity || f === -Infinity) {
    if (a - a === 0 && b - b === 0) throw overflow();
  } else if (checkZero && f === 0 && a !== 0 && b !== 0) {
    throw underflow();
  }
  return f;
}
export function float4Add(a: number, b: number): number { return float4Check(a + b, a, b, false); }
export function float4Sub(a: number, b: number): number { return float4Check(a - b, a, b, false); }
export function float4Mul(a: number, b: number): number { return float4Check(a * b, a, b, true); }
export function float4Div(a: number, b: number): number {
  if (b === 0 && a === a) throw zeroDivide();
  const f = Math.fround(a / b);
  if (f === Infinity || f === -Infinity) {
    if (a - a === 0) throw overflow();
  } else if (f === 0 && a !== 0 && b - b === 0) {
    throw underflow();
  }
  return f;
}

/** float8 -> float4 (PostgreSQL's dtof): overflow/underflow checked. */
export function float8ToFloat4(x: number): number {
  const f = Math.fround(x);
  if ((f === Infinity || f === -Infinity) && x - x === 0) throw overflow();
  if (f === 0 && x !== 0) throw underflow();
  return f;
}

// ---------------------------------------------------------------------------------------------
// Comparison: PostgreSQL orders NaN above every other value and equal to itself; -0 = 0.
// ---------------------------------------------------------------------------------------------

export function floatCompare(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  if (a === b) return 0;
  const an = a !== a;
  const bn = b !== b;
  return an ? (bn ? 0 : 1) : -1;
}

export function floatHashKey(v: number): number {
  return v === 0 ? 0 : v; // -0 -> 0; NaN stays NaN (Map keys use SameValueZero: one NaN key)
}

// ---------------------------------------------------------------------------------------------
// float -> integer: rint() (round half to even), then range check.
// ---------------------------------------------------------------------------------------------

/** C rint() in the default rounding mode: round half to even. */
export function rint(x: number): number {
  const r = Math.round(x); // half up (toward +Infinity)
  if (r - x === 0.5 && r % 2 !== 0) return r - 1 + 0;
  return r + 0;
}

export function float8ToInt2(x: number): number {
  const r = rint(x);
  if (!(r >= -32768 && r <= 32767)) {
    throw new DbError('numeric_value_out_of_range', 'smallint out of range');
  }
  return r;
}
export function float8ToInt4(x: number): number {
  const r = rint(x);
  if (!(r >= -2147483648 && r <= 2147483647)) {
    throw new DbError('numeric_value_out_of_range', 'integer out of range');
  }
  return r;
}
export function float8ToInt8(x: number): Int8 {
  const r = rint(x);
  if (!(r >= -9223372036854775808 && r < 9223372036854775808)) {
    throw new DbError('numeric_value_out_of_range', 'bigint out of range');
  }
  return Number.isSafeInteger(r) ? r : canonInt8(BigInt(r));
}

/** int8 -> float8/float4: nearest double (bigints round correctly via Number()). */
export function int8ToFloat8(v: Int8): number {
  return typeof v === 'number' ? v : Number(v);
}
export function int8ToFloat4(v: Int8): number {
  // Double rounding (bigint -> double -> float4) can differ from PostgreSQL's single rounding
  // by one float4 ulp in rare halfway cases beyond 2^53; accepted.
  return Math.fround(typeof v === 'number' ? v : Number(v));
}
