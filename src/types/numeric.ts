/**
 * numeric: arbitrary-precision decimals with PostgreSQL's display-scale and result-scale rules.
 *
 * Representation: a `NumericValue { value, scale }`. `value` is a decimal.js instance of the
 * `Numeric` clone below (NaN and +-Infinity allowed, never -0); `scale` is PostgreSQL's display
 * scale (dscale), i.e. how many fractional digits the value prints with. decimal.js strips
 * trailing zeros, so '1.50' would print as 1.5 without the carried scale.
 *
 * Invariants:
 *  - value.decimalPlaces() <= scale; scale >= 0; scale === 0 for NaN/Infinity.
 *  - value is never -0 (PostgreSQL has no negative zero).
 *  - `Numeric` has precision 1e9 so +, -, * and integer division are exact; everything that
 *    needs a working precision (/, sqrt, exp, ln, power) is computed here with an explicit
 *    precision and rounded to PostgreSQL's result scale. Callers must not call `.div()` etc.
 *    on raw values: use these functions.
 */
import { Decimal } from 'decimal.js';
import { DbError } from '../errors/index.ts';
import { numericPrecision, numericScale } from './sql-type.ts';
import type { Int8 } from './int.ts';
import { canonInt8, divisionByZero } from './int.ts';

export const Numeric = Decimal.clone({
  precision: 1e9,
  rounding: Decimal.ROUND_HALF_UP,
  toExpNeg: -9e15,
  toExpPos: 9e15,
});
export type Numeric = Decimal;

/** Working clone for precision-bound operations; truncating so a final half-up round is exact. */
const Work = Decimal.clone({
  precision: 40, rounding: Decimal.ROUND_DOWN, toExpNeg: -9e15, toExpPos: 9e15,
});

/** PostgreSQL's numeric runtime value: decimal plus display scale. Immutable. */
export class NumericValue {
  readonly value: Numeric;
  readonly scale: number;
  constructor(value: Numeric, scale: number) {
    this.value = value;
    this.scale = scale;
  }
  /** For debugging and template strings; the SQL text form. */
  toString(): string {
    return formatNumeric(this);
  }
}

const MIN_SIG_DIGITS = 16; // NUMERIC_MIN_SIG_DIGITS
const MAX_DISPLAY_SCALE = 1000; // NUMERIC_MAX_DISPLAY_SCALE
const DEC_DIGITS = 4; // digits per NBASE (10000) digit in PostgreSQL's representation

export const NUMERIC_NAN = new NumericValue(new Numeric(NaN), 0);
export const NUMERIC_POS_INF = new NumericValue(new Numeric(Infinity), 0);
export const NUMERIC_NEG_INF = new NumericValue(new Numeric(-Infinity), 0);
export const NUMERIC_ZERO = new NumericValue(new Numeric(0), 0);

/** Builds a value, normalizing -0 and wrong-clone instances. */
export function makeNumeric(value: Decimal, scale: number): NumericValue {
  let v = value;
  if (v.isZero() && v.isNegative()) v = new Numeric(0);
  else if (!(v instanceof Numeric)) v = new Numeric(v);
  return new NumericValue(v, v.isFinite() ? scale : 0);
}

function clampScale(s: number): number {
  return s < 0 ? 0 : s > MAX_DISPLAY_SCALE ? MAX_DISPLAY_SCALE : s;
}

// ---------------------------------------------------------------------------------------------
// Text I/O
// ---------------------------------------------------------------------------------------------

const NUM_RE =
  /^\s*([+-]?)(?:(\d(?:_?\d)*)(?:\.((?:\d(?:_?\d)*)?))?|\.(\d(?:_?\d)*))(?:[eE]([+-]?\d+))?\s*$/;
const SPECIAL_RE = /^\s*([+-]?)(nan|inf|infinity)\s*$/i;

export function parseNumeric(s: string): NumericValue {
  const m = NUM_RE.exec(s);
  if (m === null) return parseSpecial(s);
  const sign = m[1] ?? '';
  let intPart = m[2] ?? '';
  let frac = m[3] ?? m[4] ?? '';
  if (intPart.includes('_')) intPart = intPart.replaceAll('_', '');
  if (frac.includes('_')) frac = frac.replaceAll('_', '');
  const expText = m[5];
  let exp = 0;
  if (expText !== undefined) {
    exp = Number(expText);
    if (!(Math.abs(exp) <= 1000)) { // NUMERIC_MAX_PRECISION bounds the exponent in numeric_in
      throw new DbError('invalid_text_representation',
        `invalid input syntax for type numeric: "${s}"`);
    }
  }
  const text = `${sign}${intPart === '' ? '0' : intPart}${frac === '' ? '' : '.' + frac}` +
    (exp !== 0 ? `e${exp}` : '');
  return makeNumeric(new Numeric(text), clampScale(frac.length - exp));
}

function parseSpecial(s: string): NumericValue {
  const m = SPECIAL_RE.exec(s);
  if (m !== null) {
    const word = (m[2] ?? '').toLowerCase();
    if (word === 'nan') {
      if (m[1] === '') return NUMERIC_NAN;
    } else {
      return m[1] === '-' ? NUMERIC_NEG_INF : NUMERIC_POS_INF;
    }
  }
  throw new DbError('invalid_text_representation', `invalid input syntax for type numeric: "${s}"`);
}

export function formatNumeric(v: NumericValue): string {
  const d = v.value;
  if (!d.isFinite()) return d.isNaN() ? 'NaN' : d.isNegative() ? '-Infinity' : 'Infinity';
  return d.toFixed(v.scale);
}

// ---------------------------------------------------------------------------------------------
// Conversions
// ---------------------------------------------------------------------------------------------

export function numericFromInt(v: Int8): NumericValue {
  return new NumericValue(new Numeric(typeof v === 'bigint' ? v.toString() : v), 0);
}

/** float8 -> numeric as PostgreSQL: via "%.15g" (DBL_DIG digits), so 0.1 becomes exactly 0.1. */
export function numericFromFloat8(x: number): NumericValue {
  return numericFromFloat(x, 15);
}
/** float4 -> numeric via "%.6g" (FLT_DIG digits). */
export function numericFromFloat4(x: number): NumericValue {
  return numericFromFloat(x, 6);
}
function numericFromFloat(x: number, digits: number): NumericValue {
  if (Number.isNaN(x)) return NUMERIC_NAN;
  if (x === Infinity) return NUMERIC_POS_INF;
  if (x === -Infinity) return NUMERIC_NEG_INF;
  // %g strips trailing zeros, so the display scale is the normalized value's decimal places.
  const d = new Numeric(x.toPrecision(digits));
  return makeNumeric(d, d.decimalPlaces());
}

function cannotConvert(v: NumericValue, typeName: string): DbError {
  const what = v.value.isNaN() ? 'NaN' : 'infinity';
  return new DbError('feature_not_supported', `cannot convert ${what} to ${typeName}`);
}

/** numeric -> integer: round half away from zero, then range check. */
export function numericToInt8(v: NumericValue): Int8 {
  if (!v.value.isFinite()) throw cannotConvert(v, 'bigint');
  const r = v.value.toDecimalPlaces(0, Decimal.ROUND_HALF_UP);
  if (r.abs().lte(Number.MAX_SAFE_INTEGER)) return r.toNumber() + 0;
  if (r.gt('9223372036854775807') || r.lt('-9223372036854775808')) {
    throw new DbError('numeric_value_out_of_range', 'bigint out of range');
  }
  return canonInt8(BigInt(r.toFixed(0)));
}
export function numericToInt4(v: NumericValue): number {
  if (!v.value.isFinite()) throw cannotConvert(v, 'integer');
  const r = v.value.toDecimalPlaces(0, Decimal.ROUND_HALF_UP);
  if (r.gt(2147483647) || r.lt(-2147483648)) {
    throw new DbError('numeric_value_out_of_range', 'integer out of range');
  }
  return r.toNumber() + 0;
}
export function numericToInt2(v: NumericValue): number {
  if (!v.value.isFinite()) throw cannotConvert(v, 'smallint');
  const r = v.value.toDecimalPlaces(0, Decimal.ROUND_HALF_UP);
  if (r.gt(32767) || r.lt(-32768)) {
    throw new DbError('numeric_value_out_of_range', 'smallint out of range');
  }
  return r.toNumber() + 0;
}

/** numeric -> float8 as PostgreSQL (float8in of the text): correctly rounded; overflow errors. */
export function numericToFloat8(v: NumericValue): number {
  const d = v.value;
  if (!d.isFinite()) return d.isNaN() ? NaN : d.isNegative() ? -Infinity : Infinity;
  const x = Number(d.toString());
  if (!Number.isFinite(x) || (x === 0 && !d.isZero())) {
    throw new DbError('numeric_value_out_of_range',
      `"${formatNumeric(v)}" is out of range for type double precision`);
  }
  return x;
}
export function numericToFloat4(v: NumericValue): number {
  const d = v.value;
  if (!d.isFinite()) return d.isNaN() ? NaN : d.isNegative() ? -Infinity : Infinity;
  const x = Math.fround(Number(d.toString()));
  if (!Number.isFinite(x) || (x === 0 && !d.isZero())) {
    throw new DbError('numeric_value_out_of_range',
      `"${formatNumeric(v)}" is out of range for type real`);
  }
  return x;
}

// ---------------------------------------------------------------------------------------------
// Typmod
// ---------------------------------------------------------------------------------------------

/** numeric(p,s) coercion: round to s (half away from zero), then check the integer digits. */
export function applyNumericTypmod(v: NumericValue, typmod: number): NumericValue {
  if (typmod < 0) return v;
  const precision = numericPrecision(typmod);
  const scale = numericScale(typmod);
  const maxDigits = precision - scale;
  const d = v.value;
  if (!d.isFinite()) {
    if (d.isNaN()) return v;
    throw new DbError('numeric_value_out_of_range', 'numeric field overflow', {
      detail: `A field with precision ${precision}, scale ${scale} cannot hold an infinite value.`,
    });
  }
  const r = roundToScale(d, scale, Decimal.ROUND_HALF_UP);
  if (!r.isZero() && r.e + 1 > maxDigits) {
    throw new DbError('numeric_value_out_of_range', 'numeric field overflow', {
      detail: `A field with precision ${precision}, scale ${scale} must round to an absolute ` +
        `value less than ${maxDigits !== 0 ? '10^' + maxDigits : '1'}.`,
    });
  }
  return makeNumeric(r, scale < 0 ? 0 : scale);
}

function roundToScale(d: Decimal, scale: number, rounding: Decimal.Rounding): Decimal {
  if (scale >= 0) return d.toDecimalPlaces(scale, rounding);
  return d.toNearest(new Numeric(`1e${-scale}`), rounding);
}

// ---------------------------------------------------------------------------------------------
// Arithmetic (PostgreSQL's result-scale rules)
// ---------------------------------------------------------------------------------------------

export function numericAdd(a: NumericValue, b: NumericValue): NumericValue {
  return makeNumeric(a.value.plus(b.value), Math.max(a.scale, b.scale));
}
export function numericSub(a: NumericValue, b: NumericValue): NumericValue {
  return makeNumeric(a.value.minus(b.value), Math.max(a.scale, b.scale));
}
export function numericMul(a: NumericValue, b: NumericValue): NumericValue {
  return makeNumeric(a.value.times(b.value), clampScale(a.scale + b.scale));
}
export function numericNeg(a: NumericValue): NumericValue {
  return makeNumeric(a.value.neg(), a.scale);
}
export function numericAbs(a: NumericValue): NumericValue {
  return a.value.isNegative() ? makeNumeric(a.value.neg(), a.scale) : a;
}

/** PostgreSQL's NBASE (10^4) weight and first NBASE digit of a nonzero finite value. */
function nbaseWeightAndFirst(d: Decimal): [number, number] {
  if (d.isZero()) return [0, 0];
  const weight = Math.floor(d.e / DEC_DIGITS);
  const digitsInFirst = d.e - weight * DEC_DIGITS + 1; // 1..4 decimal digits
  const words = d.d;
  let sig = String(words[0] ?? 0);
  if (sig.length < digitsInFirst && words.length > 1) sig += String(words[1] ?? 0).padStart(7, '0');
  sig = sig.padEnd(digitsInFirst, '0').slice(0, digitsInFirst);
  return [weight, Number(sig)];
}

/** select_div_scale(): at least 16 significant digits, not less than either input's scale. */
export function numericDivScale(a: NumericValue, b: NumericValue): number {
  const [w1, f1] = nbaseWeightAndFirst(a.value);
  const [w2, f2] = nbaseWeightAndFirst(b.value);
  return divScale(w1, f1, w2, f2, Math.max(a.scale, b.scale));
}

/** select_div_scale() from the operands' NBASE weights and first NBASE digits. */
export function divScale(w1: number, f1: number, w2: number, f2: number, inputScale: number): number {
  let qweight = w1 - w2;
  if (f1 <= f2) qweight--;
  const rscale = Math.max(MIN_SIG_DIGITS - qweight * DEC_DIGITS, inputScale, 0);
  return Math.min(rscale, MAX_DISPLAY_SCALE);
}

/**
 * 10^e as a Numeric, for the exponents divRound uses (|e| <= MAX_DISPLAY_SCALE + 1). Built once
 * each: parsing the two powers was most of a division's cost (an avg() over integers is one).
 */
const POW10 = new Map<number, Numeric>();
function pow10(e: number): Numeric {
  let p = POW10.get(e);
  if (p === undefined) POW10.set(e, (p = new Numeric(`1e${e}`)));
  return p;
}

/** a / b rounded half away from zero at `rscale` fractional digits (exact). */
function divRound(a: Decimal, b: Decimal, rscale: number): Decimal {
  // Truncate with one guard digit, then round: exact because truncation never crosses .5.
  const scaled = a.times(pow10(rscale + 1));
  const q = scaled.dividedToIntegerBy(b);
  return q.times(pow10(-(rscale + 1))).toDecimalPlaces(rscale, Decimal.ROUND_HALF_UP);
}

export function numericDiv(a: NumericValue, b: NumericValue): NumericValue {
  const x = a.value;
  const y = b.value;
  if (x.isNaN() || y.isNaN()) return NUMERIC_NAN;
  if (y.isZero()) throw divisionByZero();
  if (!x.isFinite()) {
    if (!y.isFinite()) return NUMERIC_NAN;
    return x.isNegative() !== y.isNegative() ? NUMERIC_NEG_INF : NUMERIC_POS_INF;
  }
  if (!y.isFinite()) return NUMERIC_ZERO;
  const rscale = numericDivScale(a, b);
  return makeNumeric(divRound(x, y, rscale), rscale);
}

/** Integer quotient truncated toward zero (PostgreSQL's div()). */
export function numericDivTrunc(a: NumericValue, b: NumericValue): NumericValue {
  const x = a.value;
  const y = b.value;
  if (x.isNaN() || y.isNaN()) return NUMERIC_NAN;
  if (y.isZero()) throw divisionByZero();
  if (!x.isFinite()) return !y.isFinite() ? NUMERIC_NAN :
    x.isNegative() !== y.isNegative() ? NUMERIC_NEG_INF : NUMERIC_POS_INF;
  if (!y.isFinite()) return NUMERIC_ZERO;
  return makeNumeric(x.dividedToIntegerBy(y), 0);
}

/** a % b: sign of the dividend, scale max(sa, sb). */
export function numericMod(a: NumericValue, b: NumericValue): NumericValue {
  const x = a.value;
  const y = b.value;
  if (x.isNaN() || y.isNaN()) return NUMERIC_NAN;
  if (y.isZero()) throw divisionByZero();
  if (!x.isFinite()) return NUMERIC_NAN;
  if (!y.isFinite()) return a;
  const q = x.dividedToIntegerBy(y);
  return makeNumeric(x.minus(q.times(y)), Math.max(a.scale, b.scale));
}

export function numericCompare(a: NumericValue, b: NumericValue): number {
  const x = a.value;
  const y = b.value;
  // NaN sorts above everything (including +Infinity) and equals itself.
  if (x.isNaN()) return y.isNaN() ? 0 : 1;
  if (y.isNaN()) return -1;
  return x.cmp(y);
}
export function numericEq(a: NumericValue, b: NumericValue): boolean {
  return numericCompare(a, b) === 0;
}

/** Equal values (any scale) give the same key: decimal.js normalizes trailing zeros. */
export function numericHashKey(v: NumericValue): string {
  return v.value.toString();
}

export function numericSign(a: NumericValue): NumericValue {
  const d = a.value;
  if (d.isNaN()) return NUMERIC_NAN;
  return makeNumeric(new Numeric(d.isZero() ? 0 : d.isNegative() ? -1 : 1), 0);
}

/** round(v, s): half away from zero; negative s rounds left of the point; scale max(s, 0). */
export function numericRound(a: NumericValue, s = 0): NumericValue {
  if (!a.value.isFinite()) return a;
  return makeNumeric(roundToScale(a.value, s, Decimal.ROUND_HALF_UP), clampScale(s));
}
export function numericTrunc(a: NumericValue, s = 0): NumericValue {
  if (!a.value.isFinite()) return a;
  return makeNumeric(roundToScale(a.value, s, Decimal.ROUND_DOWN), clampScale(s));
}
export function numericCeil(a: NumericValue): NumericValue {
  if (!a.value.isFinite()) return a;
  return makeNumeric(a.value.ceil(), 0);
}
export function numericFloor(a: NumericValue): NumericValue {
  if (!a.value.isFinite()) return a;
  return makeNumeric(a.value.floor(), 0);
}

// ---------------------------------------------------------------------------------------------
// Transcendental functions: result scale as PostgreSQL's numeric_sqrt/exp/ln/power choose it;
// computed with enough working digits in the truncating `Work` clone, then rounded half-up.
// ---------------------------------------------------------------------------------------------

function withWork(intDigits: number, rscale: number, f: () => Decimal): Decimal {
  Work.set({ precision: Math.max(1, intDigits + rscale + 4) });
  return new Numeric(f()).toDecimalPlaces(rscale, Decimal.ROUND_HALF_UP);
}

function powerError(message: string): DbError {
  return new DbError('invalid_argument_for_power_function', message);
}

export function numericSqrt(a: NumericValue): NumericValue {
  const d = a.value;
  if (d.isNaN()) return NUMERIC_NAN;
  if (d.isNegative() && !d.isZero()) {
    throw powerError('cannot take square root of a negative number');
  }
  if (!d.isFinite()) return NUMERIC_POS_INF;
  const [weight] = nbaseWeightAndFirst(d);
  const sweight = Math.trunc(((weight + 1) * DEC_DIGITS) / 2) - 1;
  const rscale = clampScale(Math.max(MIN_SIG_DIGITS - sweight, a.scale));
  const r = withWork(Math.max(0, Math.ceil((d.e + 1) / 2)), rscale, () => Work.sqrt(d));
  return makeNumeric(r, rscale);
}

export function numericExp(a: NumericValue): NumericValue {
  const d = a.value;
  if (d.isNaN()) return NUMERIC_NAN;
  if (!d.isFinite()) return d.isNegative() ? NUMERIC_ZERO : NUMERIC_POS_INF;
  let val = d.toNumber() * 0.434294481903252;
  val = Math.max(-2000, Math.min(2000, val));
  const rscale = clampScale(Math.max(MIN_SIG_DIGITS - Math.trunc(val), a.scale));
  const r = withWork(Math.max(0, Math.ceil(val) + 1), rscale, () => Work.exp(d));
  return makeNumeric(r, rscale);
}

/** estimate_ln_dweight(): the decimal weight of ln(d), d > 0. */
function estimateLnDweight(d: Decimal): number {
  if (d.gte('0.9') && d.lte('1.1')) {
    const x = d.minus(1);
    return x.isZero() ? 0 : x.e;
  }
  const mant = Number(d.toSignificantDigits(8).toExponential().split('e')[0]);
  const lnVar = Math.log(mant) + d.e * 2.302585092994046;
  return lnVar === 0 ? 0 : Math.trunc(Math.log10(Math.abs(lnVar)));
}

export function numericLn(a: NumericValue): NumericValue {
  const d = a.value;
  if (d.isNaN()) return NUMERIC_NAN;
  if (d.isZero()) throw new DbError('invalid_argument_for_logarithm', 'cannot take logarithm of zero');
  if (d.isNegative()) {
    throw new DbError('invalid_argument_for_logarithm', 'cannot take logarithm of a negative number');
  }
  if (!d.isFinite()) return NUMERIC_POS_INF;
  const dweight = estimateLnDweight(d);
  const rscale = clampScale(Math.max(MIN_SIG_DIGITS - dweight, a.scale));
  const r = withWork(Math.max(0, dweight + 1), rscale, () => Work.ln(d));
  return makeNumeric(r, rscale);
}

/** power(a, b) / a ^ b with power_var's scale rules (integer exponents via power_var_int). */
export function numericPower(a: NumericValue, b: NumericValue): NumericValue {
  const x = a.value;
  const y = b.value;
  if (x.isNaN() || y.isNaN()) {
    // PostgreSQL: 1 ^ NaN = 1 and NaN ^ 0 = 1.
    if ((x.isNaN() ? false : x.eq(1)) || (y.isNaN() ? false : y.isZero())) return numericOne(0);
    return NUMERIC_NAN;
  }
  if (x.isZero() && y.isNegative()) throw powerError('zero raised to a negative power is undefined');
  if (!x.isFinite() || !y.isFinite()) return makeNumeric(Work.pow(x, y), 0);
  const yIsInt = y.isInteger();
  if (x.isNegative() && !yIsInt) {
    throw powerError('a negative number raised to a non-integer power yields a complex result');
  }
  if (x.isZero()) return makeNumeric(new Numeric(y.isZero() ? 1 : 0), yIsInt ? 0 : b.scale);
  let val: number;
  let rscale: number;
  if (yIsInt && y.abs().lte(2147483647)) {
    // power_var_int: log10(result) ~= exp * log10(base)
    const mant = Number(x.abs().toSignificantDigits(8).toExponential().split('e')[0]);
    val = y.toNumber() * (Math.log10(mant) + x.e);
    // PostgreSQL 15's power_var picks the integer-exponent scale from the base alone:
    // max(NUMERIC_MIN_SIG_DIGITS, base dscale) (2::numeric ^ 100 has 16 fractional digits).
    rscale = Math.max(MIN_SIG_DIGITS, a.scale);
  } else {
    const lnBase = Math.log(Number(x.toSignificantDigits(17).toExponential().split('e')[0])) +
      x.e * 2.302585092994046;
    val = lnBase * y.toNumber() * 0.434294481903252;
    rscale = Math.max(MIN_SIG_DIGITS - Math.trunc(clampPow(val)), a.scale, b.scale);
  }
  if (val > 131072 * 1.01 + 10) {
    throw new DbError('numeric_value_out_of_range', 'value overflows numeric format');
  }
  rscale = clampScale(rscale);
  if (val < -(rscale + 2)) return makeNumeric(new Numeric(0), rscale); // underflows to zero
  const r = withWork(Math.max(0, Math.ceil(val) + 1), rscale, () => Work.pow(x, y));
  return makeNumeric(r, rscale);
}

function clampPow(v: number): number {
  return Math.max(-2000, Math.min(2000, v));
}

function numericOne(scale: number): NumericValue {
  return new NumericValue(new Numeric(1), scale);
}

export function numericIsNaN(v: NumericValue): boolean {
  return v.value.isNaN();
}
