/**
 * Mathematical functions (PostgreSQL's "Mathematical Functions and Operators" table): abs, sign,
 * rounding, mod/div/gcd/lcm, power/roots/exp/log, trigonometry (radian and degree variants),
 * hyperbolic functions, random, width_bucket, factorial and the numeric scale functions.
 *
 * Invariants:
 *  - Overloads mirror pg_proc: float8 and numeric versions where PostgreSQL has both, integer
 *    versions only where PostgreSQL has them (abs, mod, gcd, lcm); other integer calls reach the
 *    numeric/float8 overloads through the binder's implicit casts, as in PostgreSQL.
 *  - random() and random(min, max) are VOLATILE and draw only from ctx.env.random.
 *  - round(float8) rounds half to even (C rint); round(numeric) half away from zero.
 */
import { defineScalar, type FunctionRegistry } from '../registry.ts';
import { Types, type SqlType } from '../../types/sql-type.ts';
import { DbError } from '../../errors/index.ts';
import {
  int2Abs, int4Abs, int8Abs, int2Mod, int4Mod, int8Mod, int8ToBigInt, canonInt8, type Int8,
} from '../../types/int.ts';
import { rint } from '../../types/float.ts';
import {
  numericAbs, numericSign, numericRound, numericTrunc, numericCeil, numericFloor, numericMod,
  numericPower, numericSqrt, numericExp, numericLn, numericDivTrunc, type NumericValue,
} from '../../types/numeric.ts';
import {
  float8Power, float8Sqrt, float8Cbrt, float8Exp, float8Ln, float8Log10, float8Sin, float8Cos,
  float8Tan, float8Cot, float8Asin, float8Acos, float8Atan, float8Atan2, float8Sind, float8Cosd,
  float8Tand, float8Cotd, float8Asind, float8Acosd, float8Atand, float8Atan2d, float8Sinh,
  float8Cosh, float8Tanh, float8Asinh, float8Acosh, float8Atanh, RADIANS_PER_DEGREE,
} from './operators-float.ts';
import { float8Div, float8Mul } from '../../types/float.ts';
import type { Random } from '../../env/index.ts';
import {
  numericLog, numericLog10, numericGcd, numericLcm, intGcd, intLcm, widthBucketFloat8,
  widthBucketNumeric, factorial, randomBigInt, randomNumeric, boundsError, numericScaleOf,
  numericMinScale, numericTrimScale,
} from './math-numeric.ts';

const { int2, int4, int8, float4, float8, numeric } = Types;

type Impl = (a: unknown[]) => unknown;

function fn(reg: FunctionRegistry, name: string, args: SqlType[], returns: SqlType, impl: Impl): void {
  reg.add(defineScalar({ name, args, returns, impl }));
}

function f1(reg: FunctionRegistry, name: string, f: (x: number) => number): void {
  fn(reg, name, [float8], float8, (a) => f(a[0] as number));
}

function n1(reg: FunctionRegistry, name: string, f: (x: NumericValue) => unknown): void {
  fn(reg, name, [numeric], numeric, (a) => f(a[0] as NumericValue));
}

function floatTrunc(x: number): number {
  return x >= 0 ? Math.floor(x) : -Math.floor(-x);
}

function floatSign(x: number): number {
  return x > 0 ? 1 : x < 0 ? -1 : 0;
}

function registerBasics(reg: FunctionRegistry): void {
  fn(reg, 'abs', [int2], int2, (a) => int2Abs(a[0] as number));
  fn(reg, 'abs', [int4], int4, (a) => int4Abs(a[0] as number));
  fn(reg, 'abs', [int8], int8, (a) => int8Abs(a[0] as Int8));
  fn(reg, 'abs', [float4], float4, (a) => Math.abs(a[0] as number));
  f1(reg, 'abs', Math.abs);
  n1(reg, 'abs', numericAbs);
  f1(reg, 'sign', floatSign);
  n1(reg, 'sign', numericSign);
  // rint() keeps the sign of a zero result (C's rint(-0.4) is -0, which PostgreSQL prints).
  f1(reg, 'round', (x) => {
    const r = rint(x);
    return r === 0 && (x < 0 || Object.is(x, -0)) ? -0 : r;
  });
  n1(reg, 'round', (x) => numericRound(x, 0));
  fn(reg, 'round', [numeric, int4], numeric, (a) => numericRound(a[0] as NumericValue, a[1] as number));
  f1(reg, 'trunc', floatTrunc);
  n1(reg, 'trunc', (x) => numericTrunc(x, 0));
  fn(reg, 'trunc', [numeric, int4], numeric, (a) => numericTrunc(a[0] as NumericValue, a[1] as number));
  for (const name of ['ceil', 'ceiling']) {
    f1(reg, name, Math.ceil);
    n1(reg, name, numericCeil);
  }
  f1(reg, 'floor', Math.floor);
  n1(reg, 'floor', numericFloor);
}

function registerIntegerMath(reg: FunctionRegistry): void {
  fn(reg, 'mod', [int2, int2], int2, (a) => int2Mod(a[0] as number, a[1] as number));
  fn(reg, 'mod', [int4, int4], int4, (a) => int4Mod(a[0] as number, a[1] as number));
  fn(reg, 'mod', [int8, int8], int8, (a) => int8Mod(a[0] as Int8, a[1] as Int8));
  fn(reg, 'mod', [numeric, numeric], numeric, (a) => numericMod(a[0] as NumericValue, a[1] as NumericValue));
  fn(reg, 'div', [numeric, numeric], numeric, (a) => numericDivTrunc(a[0] as NumericValue, a[1] as NumericValue));
  const big = (v: unknown): bigint => int8ToBigInt(v as Int8);
  fn(reg, 'gcd', [int4, int4], int4, (a) => Number(intGcd(big(a[0]), big(a[1]), 32)));
  fn(reg, 'gcd', [int8, int8], int8, (a) => canonInt8(intGcd(big(a[0]), big(a[1]), 64)));
  fn(reg, 'gcd', [numeric, numeric], numeric, (a) => numericGcd(a[0] as NumericValue, a[1] as NumericValue));
  fn(reg, 'lcm', [int4, int4], int4, (a) => Number(intLcm(big(a[0]), big(a[1]), 32)));
  fn(reg, 'lcm', [int8, int8], int8, (a) => canonInt8(intLcm(big(a[0]), big(a[1]), 64)));
  fn(reg, 'lcm', [numeric, numeric], numeric, (a) => numericLcm(a[0] as NumericValue, a[1] as NumericValue));
  fn(reg, 'factorial', [int8], numeric, (a) => factorial(Number(a[0])));
}

function registerPowers(reg: FunctionRegistry): void {
  for (const name of ['power', 'pow']) {
    fn(reg, name, [float8, float8], float8, (a) => float8Power(a[0] as number, a[1] as number));
    fn(reg, name, [numeric, numeric], numeric, (a) => numericPower(a[0] as NumericValue, a[1] as NumericValue));
  }
  f1(reg, 'sqrt', float8Sqrt);
  n1(reg, 'sqrt', numericSqrt);
  f1(reg, 'cbrt', float8Cbrt);
  f1(reg, 'exp', float8Exp);
  n1(reg, 'exp', numericExp);
  f1(reg, 'ln', float8Ln);
  n1(reg, 'ln', numericLn);
  f1(reg, 'log', float8Log10);
  n1(reg, 'log', numericLog10);
  f1(reg, 'log10', float8Log10);
  n1(reg, 'log10', numericLog10);
  fn(reg, 'log', [numeric, numeric], numeric, (a) => numericLog(a[0] as NumericValue, a[1] as NumericValue));
}

function registerTrig(reg: FunctionRegistry): void {
  reg.add(defineScalar({ name: 'pi', args: [], returns: float8, impl: () => Math.PI }));
  f1(reg, 'degrees', (x) => float8Div(x, RADIANS_PER_DEGREE));
  f1(reg, 'radians', (x) => float8Mul(x, RADIANS_PER_DEGREE));
  const unary: [string, (x: number) => number][] = [
    ['sin', float8Sin], ['cos', float8Cos], ['tan', float8Tan], ['cot', float8Cot],
    ['asin', float8Asin], ['acos', float8Acos], ['atan', float8Atan],
    ['sind', float8Sind], ['cosd', float8Cosd], ['tand', float8Tand], ['cotd', float8Cotd],
    ['asind', float8Asind], ['acosd', float8Acosd], ['atand', float8Atand],
    ['sinh', float8Sinh], ['cosh', float8Cosh], ['tanh', float8Tanh],
    ['asinh', float8Asinh], ['acosh', float8Acosh], ['atanh', float8Atanh],
  ];
  for (const [name, f] of unary) f1(reg, name, f);
  fn(reg, 'atan2', [float8, float8], float8, (a) => float8Atan2(a[0] as number, a[1] as number));
  fn(reg, 'atan2d', [float8, float8], float8, (a) => float8Atan2d(a[0] as number, a[1] as number));
}

function randomInt(rand: Random, lo: Int8, hi: Int8): Int8 {
  const l = int8ToBigInt(lo);
  const h = int8ToBigInt(hi);
  if (l > h) throw boundsError();
  return canonInt8(l + randomBigInt(rand, h - l));
}

function registerRandom(reg: FunctionRegistry): void {
  reg.add(defineScalar({
    name: 'random', args: [], returns: float8, volatility: 'volatile',
    impl: (_a, ctx) => ctx.env.random.next(),
  }));
  reg.add(defineScalar({
    name: 'random', args: [int4, int4], returns: int4, volatility: 'volatile',
    impl: (a, ctx) => randomInt(ctx.env.random, a[0] as number, a[1] as number),
  }));
  reg.add(defineScalar({
    name: 'random', args: [int8, int8], returns: int8, volatility: 'volatile',
    impl: (a, ctx) => randomInt(ctx.env.random, a[0] as Int8, a[1] as Int8),
  }));
  reg.add(defineScalar({
    name: 'random', args: [numeric, numeric], returns: numeric, volatility: 'volatile',
    impl: (a, ctx) => randomNumeric(ctx.env.random, a[0] as NumericValue, a[1] as NumericValue),
  }));
  reg.add(defineScalar({
    name: 'setseed', args: [float8], returns: Types.void, volatility: 'volatile',
    impl: (a) => {
      const s = a[0] as number;
      if (!(s >= -1 && s <= 1)) {
        throw new DbError('numeric_value_out_of_range',
          `setseed parameter ${s} is out of allowed range [-1,1]`);
      }
      throw new DbError('feature_not_supported', 'setseed() is not supported',
        { hint: 'Randomness comes from the database environment, which is seeded at startup.' });
    },
  }));
}

function registerNumericMisc(reg: FunctionRegistry): void {
  fn(reg, 'width_bucket', [float8, float8, float8, int4], int4,
    (a) => widthBucketFloat8(a[0] as number, a[1] as number, a[2] as number, a[3] as number));
  fn(reg, 'width_bucket', [numeric, numeric, numeric, int4], int4,
    (a) => widthBucketNumeric(a[0] as NumericValue, a[1] as NumericValue, a[2] as NumericValue, a[3] as number));
  fn(reg, 'scale', [numeric], int4, (a) => numericScaleOf(a[0] as NumericValue));
  fn(reg, 'min_scale', [numeric], int4, (a) => numericMinScale(a[0] as NumericValue));
  n1(reg, 'trim_scale', numericTrimScale);
}

export function registerMath(reg: FunctionRegistry): void {
  registerBasics(reg);
  registerIntegerMath(reg);
  registerPowers(reg);
  registerTrig(reg);
  registerRandom(reg);
  registerNumericMisc(reg);
}
