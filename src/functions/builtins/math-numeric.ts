/**
 * numeric-only math kernels that src/types/numeric.ts does not provide: log(b, x) with
 * PostgreSQL's result scale, gcd/lcm, width_bucket, factorial, random(min, max), scale,
 * min_scale, trim_scale.
 *
 * Invariants:
 *  - Results are NumericValue with PostgreSQL's display scale (gcd/lcm: max of the input scales;
 *    log: at least 16 significant digits; factorial: 0).
 *  - NaN/Infinity inputs follow numeric.c's special-value rules stated at each function.
 */
import { Decimal } from 'decimal.js';
import { DbError } from '../../errors/index.ts';
import {
  Numeric, NumericValue, makeNumeric, NUMERIC_NAN, NUMERIC_POS_INF, NUMERIC_ZERO, type Numeric as NumericT,
} from '../../types/numeric.ts';
import type { Random } from '../../env/index.ts';

const MIN_SIG_DIGITS = 16;
const MAX_DISPLAY_SCALE = 1000;

/** Working precision clone; callers set precision before use. */
const Work = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_UP, toExpNeg: -9e15, toExpPos: 9e15 });

function clampScale(s: number): number {
  return s < 0 ? 0 : s > MAX_DISPLAY_SCALE ? MAX_DISPLAY_SCALE : s;
}

/** Decimal weight of ln(d) for d > 0 (PostgreSQL's estimate_ln_dweight). */
function lnDweight(d: Decimal): number {
  if (d.gte('0.9') && d.lte('1.1')) {
    const x = d.minus(1);
    return x.isZero() ? 0 : x.e;
  }
  const mant = Number(d.toSignificantDigits(15).toExponential().split('e')[0]);
  const ln = Math.log(mant) + d.e * Math.LN10;
  return ln === 0 ? 0 : Math.trunc(Math.log10(Math.abs(ln)));
}

function logError(zero: boolean): DbError {
  return new DbError('invalid_argument_for_logarithm',
    zero ? 'cannot take logarithm of zero' : 'cannot take logarithm of a negative number');
}

function signOf(d: Decimal): number {
  return d.isZero() ? 0 : d.isNegative() ? -1 : 1;
}

/** log(base, x) for numeric (numeric_log / log_var). */
export function numericLog(base: NumericValue, x: NumericValue): NumericValue {
  const b = base.value;
  const v = x.value;
  if (b.isNaN() || v.isNaN()) return NUMERIC_NAN;
  const sb = signOf(b);
  const sv = signOf(v);
  if (sb < 0 || sv < 0) throw logError(false);
  if (sb === 0 || sv === 0) throw logError(true);
  if (!b.isFinite()) return !v.isFinite() ? NUMERIC_NAN : NUMERIC_ZERO;
  if (!v.isFinite()) return NUMERIC_POS_INF;
  if (b.eq(1)) throw new DbError('division_by_zero', 'division by zero');
  const dweight = lnDweight(v) - lnDweight(b);
  const rscale = clampScale(Math.max(MIN_SIG_DIGITS - dweight, base.scale, x.scale));
  Work.set({ precision: Math.max(20, rscale + Math.abs(dweight) + 20) });
  const r = Work.ln(v).div(Work.ln(b));
  return makeNumeric(new Numeric(r).toDecimalPlaces(rscale, Decimal.ROUND_HALF_UP), rscale);
}

const TEN = new NumericValue(new Numeric(10), 0);

export function numericLog10(x: NumericValue): NumericValue {
  return numericLog(TEN, x);
}

// ---------------------------------------------------------------------------------------------
// gcd / lcm
// ---------------------------------------------------------------------------------------------

function gcdDecimal(a: Decimal, b: Decimal): Decimal {
  let x = a.abs();
  let y = b.abs();
  while (!y.isZero()) {
    const t = x.mod(y);
    x = y;
    y = t;
  }
  return x;
}

export function numericGcd(a: NumericValue, b: NumericValue): NumericValue {
  if (!a.value.isFinite() || !b.value.isFinite()) return NUMERIC_NAN;
  return makeNumeric(gcdDecimal(a.value, b.value), Math.max(a.scale, b.scale));
}

export function numericLcm(a: NumericValue, b: NumericValue): NumericValue {
  if (!a.value.isFinite() || !b.value.isFinite()) return NUMERIC_NAN;
  const scale = Math.max(a.scale, b.scale);
  if (a.value.isZero() || b.value.isZero()) return makeNumeric(new Numeric(0), scale);
  const g = gcdDecimal(a.value, b.value);
  return makeNumeric(a.value.div(g).times(b.value).abs(), scale);
}

function intOverflow(bits: number): DbError {
  return new DbError('numeric_value_out_of_range', bits === 32 ? 'integer out of range' : 'bigint out of range');
}

/** gcd for int4 (bits 32) / int8 (bits 64) as bigint; the result must fit the type. */
export function intGcd(a: bigint, b: bigint, bits: number): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) {
    const t = x % y;
    x = y;
    y = t;
  }
  if (x > (1n << BigInt(bits - 1)) - 1n) throw intOverflow(bits);
  return x;
}

export function intLcm(a: bigint, b: bigint, bits: number): bigint {
  if (a === 0n || b === 0n) return 0n;
  const g = intGcd(a, b, bits);
  let r = (a / g) * b;
  if (r < 0n) r = -r;
  if (r > (1n << BigInt(bits - 1)) - 1n) throw intOverflow(bits);
  return r;
}

// ---------------------------------------------------------------------------------------------
// width_bucket
// ---------------------------------------------------------------------------------------------

function bucketError(msg: string): DbError {
  // PostgreSQL: 2201G (invalid_argument_for_width_bucket_function), absent from sqlstate.ts.
  return new DbError('invalid_parameter_value', msg);
}

function checkCount(count: number): void {
  if (count <= 0) throw bucketError('count must be greater than zero');
}

function overflowPlusOne(count: number): number {
  if (count >= 2147483647) throw intOverflow(32);
  return count + 1;
}

export function widthBucketFloat8(op: number, lo: number, hi: number, count: number): number {
  checkCount(count);
  if (op !== op || lo !== lo || hi !== hi) {
    throw bucketError('operand, lower bound, and upper bound cannot be NaN');
  }
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) {
    throw bucketError('lower and upper bounds must be finite');
  }
  if (lo === hi) throw bucketError('lower bound cannot equal upper bound');
  const asc = lo < hi;
  if (asc ? op < lo : op > lo) return 0;
  if (asc ? op >= hi : op <= hi) return overflowPlusOne(count);
  const num = asc ? op - lo : lo - op;
  const den = asc ? hi - lo : lo - hi;
  let r = Number.isFinite(den) ? count * (num / den) : count * ((num / 2) / (den / 2));
  r = Math.floor(r);
  if (r >= count) r = count - 1;
  return r + 1;
}

export function widthBucketNumeric(op: NumericValue, lo: NumericValue, hi: NumericValue,
  count: number): number {
  checkCount(count);
  if (op.value.isNaN() || lo.value.isNaN() || hi.value.isNaN()) {
    throw bucketError('operand, lower bound, and upper bound cannot be NaN');
  }
  if (!lo.value.isFinite() || !hi.value.isFinite()) {
    throw bucketError('lower and upper bounds must be finite');
  }
  const o = op.value;
  const l = lo.value;
  const h = hi.value;
  const cmp = l.cmp(h);
  if (cmp === 0) throw bucketError('lower bound cannot equal upper bound');
  const asc = cmp < 0;
  if (asc ? o.lt(l) : o.gt(l)) return 0;
  if (asc ? o.gte(h) : o.lte(h)) return overflowPlusOne(count);
  const num = asc ? o.minus(l) : l.minus(o);
  const den = asc ? h.minus(l) : l.minus(h);
  const r = num.times(count).dividedToIntegerBy(den).toNumber();
  return Math.min(r, count - 1) + 1;
}

// ---------------------------------------------------------------------------------------------
// factorial, random, scale functions
// ---------------------------------------------------------------------------------------------

export function factorial(n: number): NumericValue {
  if (n < 0) {
    throw new DbError('numeric_value_out_of_range', 'factorial of a negative number is undefined');
  }
  if (n > 32177) throw new DbError('numeric_value_out_of_range', 'value overflows numeric format');
  let r = 1n;
  for (let i = 2n; i <= BigInt(n); i++) r *= i;
  return new NumericValue(new Numeric(r.toString()), 0);
}

/** A uniformly random bigint in [0, span] (span >= 0), by rejection sampling on 32-bit words. */
export function randomBigInt(rand: Random, span: bigint): bigint {
  if (span === 0n) return 0n;
  const bits = span.toString(2).length;
  const words = Math.ceil(bits / 32);
  const mask = (1n << BigInt(bits)) - 1n;
  for (;;) {
    let x = 0n;
    for (let i = 0; i < words; i++) x = (x << 32n) | BigInt(rand.nextU32());
    x &= mask;
    if (x <= span) return x;
  }
}

export function boundsError(): DbError {
  return new DbError('invalid_parameter_value', 'lower bound must be less than or equal to upper bound');
}

function checkBound(v: NumericValue, which: string): void {
  if (v.value.isNaN()) throw new DbError('invalid_parameter_value', `${which} bound cannot be NaN`);
  if (!v.value.isFinite()) {
    throw new DbError('invalid_parameter_value', `${which} bound cannot be infinity`);
  }
}

/** random(min, max) for numeric: uniform over the multiples of 10^-scale, scale = max scale. */
export function randomNumeric(rand: Random, min: NumericValue, max: NumericValue): NumericValue {
  checkBound(min, 'lower');
  checkBound(max, 'upper');
  if (min.value.gt(max.value)) throw boundsError();
  const scale = Math.max(min.scale, max.scale);
  const unit = new Numeric(10).pow(scale);
  const lo = min.value.times(unit);
  const span = BigInt(max.value.times(unit).minus(lo).toFixed(0));
  const r = new Numeric(randomBigInt(rand, span).toString()).plus(lo).div(unit);
  return makeNumeric(r, scale);
}

export function numericScaleOf(v: NumericValue): number | null {
  return v.value.isFinite() ? v.scale : null;
}

export function numericMinScale(v: NumericValue): number | null {
  return v.value.isFinite() ? v.value.decimalPlaces() : null;
}

export function numericTrimScale(v: NumericValue): NumericValue {
  if (!v.value.isFinite()) return v;
  return makeNumeric(v.value as NumericT, v.value.decimalPlaces());
}
