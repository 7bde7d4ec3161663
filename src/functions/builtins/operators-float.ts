/**
 * double precision math kernels shared by the `^ |/ ||/` operators and math.ts, reproducing
 * PostgreSQL's float.c checks (src/types/float.ts has only + - * /):
 *  - domain errors carry PostgreSQL's SQLSTATE and text (2201E for logarithms, 2201F for power
 *    and square root, 22003 "input is out of range" for trigonometric domains);
 *  - an infinite result from finite input is "value out of range: overflow", a zero result from
 *    nonzero input (where C would set ERANGE) is "value out of range: underflow";
 *  - POSIX pow() special cases that JS Math.pow gets "wrong" (1 ^ Infinity, NaN ^ 0) are fixed.
 *  - The degree-based trig functions give exact results at the "nice" angles (sind(30) = 0.5)
 *    by scaling against the value at a reference angle, as PostgreSQL does.
 */
import { DbError } from '../../errors/index.ts';

function overflow(): DbError {
  return new DbError('numeric_value_out_of_range', 'value out of range: overflow');
}
function underflow(): DbError {
  return new DbError('numeric_value_out_of_range', 'value out of range: underflow');
}
function outOfRange(): DbError {
  return new DbError('numeric_value_out_of_range', 'input is out of range');
}
function isInf(x: number): boolean {
  return x === Infinity || x === -Infinity;
}

/** Rejects an infinite result from finite input. */
function checkOverflow(r: number, x: number): number {
  if (isInf(r) && !isInf(x)) throw overflow();
  return r;
}

export function float8Power(x: number, y: number): number {
  // NaN rules first (POSIX: NaN ^ 0 = 1, 1 ^ NaN = 1).
  if (x !== x) return y !== y || y !== 0 ? NaN : 1;
  if (y !== y) return x !== 1 ? NaN : 1;
  if (x === 0 && y < 0) {
    throw new DbError('invalid_argument_for_power_function',
      'zero raised to a negative power is undefined');
  }
  if (x < 0 && Math.floor(y) !== y && !isInf(y)) {
    throw new DbError('invalid_argument_for_power_function',
      'a negative number raised to a non-integer power yields a complex result');
  }
  if (isInf(y)) {
    const ax = Math.abs(x);
    if (ax === 1) return 1;
    return (ax > 1) === (y > 0) ? Infinity : 0;
  }
  if (isInf(x)) return Math.pow(x, y);
  const r = Math.pow(x, y);
  if (isInf(r)) throw overflow();
  if (r === 0 && x !== 0) throw underflow();
  return r;
}

export function float8Sqrt(x: number): number {
  if (x < 0) {
    throw new DbError('invalid_argument_for_power_function',
      'cannot take square root of a negative number');
  }
  return Math.sqrt(x);
}

export function float8Cbrt(x: number): number {
  const r = Math.cbrt(x);
  checkOverflow(r, x);
  if (r === 0 && x !== 0) throw underflow();
  return r;
}

export function float8Exp(x: number): number {
  if (x !== x) return x;
  if (isInf(x)) return x > 0 ? x : 0;
  const r = Math.exp(x);
  if (isInf(r)) throw overflow();
  if (r === 0) throw underflow();
  return r;
}

function checkLogArg(x: number): void {
  if (x === 0) throw new DbError('invalid_argument_for_logarithm', 'cannot take logarithm of zero');
  if (x < 0) {
    throw new DbError('invalid_argument_for_logarithm',
      'cannot take logarithm of a negative number');
  }
}

export function float8Ln(x: number): number {
  checkLogArg(x);
  const r = Math.log(x);
  checkOverflow(r, x);
  if (r === 0 && x !== 1) throw underflow();
  return r;
}

export function float8Log10(x: number): number {
  checkLogArg(x);
  const r = Math.log10(x);
  checkOverflow(r, x);
  if (r === 0 && x !== 1) throw underflow();
  return r;
}

// ---------------------------------------------------------------------------------------------
// Radian trigonometry
// ---------------------------------------------------------------------------------------------

function periodic(f: (x: number) => number): (x: number) => number {
  return (x: number): number => {
    if (x !== x) return x;
    if (isInf(x)) throw outOfRange();
    return checkOverflow(f(x), x);
  };
}

export const float8Sin = periodic(Math.sin);
export const float8Cos = periodic(Math.cos);
export const float8Tan = periodic(Math.tan);

/** cot(0) is +Infinity in PostgreSQL (no overflow check), so only the input is checked. */
export function float8Cot(x: number): number {
  if (x !== x) return x;
  if (isInf(x)) throw outOfRange();
  return 1 / Math.tan(x);
}

function unitDomain(f: (x: number) => number): (x: number) => number {
  return (x: number): number => {
    if (x !== x) return x;
    if (x < -1 || x > 1) throw outOfRange();
    return f(x);
  };
}

export const float8Asin = unitDomain(Math.asin);
export const float8Acos = unitDomain(Math.acos);

export function float8Atan(x: number): number {
  return Math.atan(x);
}
export function float8Atan2(y: number, x: number): number {
  return Math.atan2(y, x);
}

export function float8Sinh(x: number): number {
  return Math.sinh(x);
}
export function float8Cosh(x: number): number {
  return Math.cosh(x);
}
export function float8Tanh(x: number): number {
  return Math.tanh(x);
}
export function float8Asinh(x: number): number {
  return Math.asinh(x);
}
export function float8Acosh(x: number): number {
  if (x < 1) throw outOfRange();
  return Math.acosh(x);
}
export function float8Atanh(x: number): number {
  if (x < -1 || x > 1) throw outOfRange();
  return Math.atanh(x);
}

// ---------------------------------------------------------------------------------------------
// Degree trigonometry: reduce to the first quadrant, then scale against a reference angle so the
// textbook values come out exact.
// ---------------------------------------------------------------------------------------------

export const RADIANS_PER_DEGREE = 0.0174532925199432957692;
const SIN_30 = Math.sin(30 * RADIANS_PER_DEGREE);
const ONE_MINUS_COS_60 = 1 - Math.cos(60 * RADIANS_PER_DEGREE);
const ASIN_0_5 = Math.asin(0.5);
const ACOS_0_5 = Math.acos(0.5);
const ATAN_1_0 = Math.atan(1);

function sind0to30(x: number): number {
  return (Math.sin(x * RADIANS_PER_DEGREE) / SIN_30) * 0.5;
}
function cosd0to60(x: number): number {
  return 1 - ((1 - Math.cos(x * RADIANS_PER_DEGREE)) / ONE_MINUS_COS_60) / 2;
}
function sindQ1(x: number): number {
  return x <= 30 ? sind0to30(x) : cosd0to60(90 - x);
}
function cosdQ1(x: number): number {
  return x <= 60 ? cosd0to60(x) : sind0to30(90 - x);
}
const TAN_45 = sindQ1(45) / cosdQ1(45);
const COT_45 = cosdQ1(45) / sindQ1(45);

function checkDegreeInput(x: number): void {
  if (isInf(x)) throw outOfRange();
}

export function float8Sind(x: number): number {
  if (x !== x) return x;
  checkDegreeInput(x);
  let a = x % 360;
  let sign = 1;
  if (a < 0) { a = -a; sign = -sign; }
  if (a > 180) { a = 360 - a; sign = -sign; }
  if (a > 90) a = 180 - a;
  return sign * sindQ1(a);
}

export function float8Cosd(x: number): number {
  if (x !== x) return x;
  checkDegreeInput(x);
  let a = x % 360;
  let sign = 1;
  if (a < 0) a = -a;
  if (a > 180) a = 360 - a;
  if (a > 90) { a = 180 - a; sign = -sign; }
  return sign * cosdQ1(a);
}

/** Shared quadrant reduction of tand/cotd; returns the signed first-quadrant angle. */
function reduceTangent(x: number): [number, number] {
  let a = x % 360;
  let sign = 1;
  if (a < 0) { a = -a; sign = -sign; }
  if (a > 180) { a = 360 - a; sign = -sign; }
  if (a > 90) { a = 180 - a; sign = -sign; }
  return [a, sign];
}

export function float8Tand(x: number): number {
  if (x !== x) return x;
  checkDegreeInput(x);
  const [a, sign] = reduceTangent(x);
  const r = sign * ((sindQ1(a) / cosdQ1(a)) / TAN_45);
  return r === 0 ? 0 : r; // PostgreSQL forces -0 to 0 here
}

export function float8Cotd(x: number): number {
  if (x !== x) return x;
  checkDegreeInput(x);
  const [a, sign] = reduceTangent(x);
  const r = sign * ((cosdQ1(a) / sindQ1(a)) / COT_45);
  return r === 0 ? 0 : r;
}

function asindQ1(x: number): number {
  if (x <= 0.5) return (Math.asin(x) / ASIN_0_5) * 30;
  return 90 - (Math.acos(x) / ACOS_0_5) * 60;
}
function acosdQ1(x: number): number {
  if (x <= 0.5) return 90 - (Math.asin(x) / ASIN_0_5) * 30;
  return (Math.acos(x) / ACOS_0_5) * 60;
}

export function float8Asind(x: number): number {
  if (x !== x) return x;
  if (x < -1 || x > 1) throw outOfRange();
  return x >= 0 ? asindQ1(x) : -asindQ1(-x);
}

export function float8Acosd(x: number): number {
  if (x !== x) return x;
  if (x < -1 || x > 1) throw outOfRange();
  return x >= 0 ? acosdQ1(x) : 90 + asindQ1(-x);
}

export function float8Atand(x: number): number {
  if (x !== x) return x;
  return (Math.atan(x) / ATAN_1_0) * 45;
}

export function float8Atan2d(y: number, x: number): number {
  if (x !== x || y !== y) return NaN;
  return (Math.atan2(y, x) / ATAN_1_0) * 45;
}
