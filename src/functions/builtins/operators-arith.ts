/**
 * Arithmetic and bitwise operators on the numeric types, registered as scalar functions named by
 * the operator symbol (binary: 2 args, prefix: 1 arg), with exactly the operand/result type
 * combinations PostgreSQL's pg_operator has (int24pl, int48mul, float48div, ...), so that the
 * binder's overload resolution picks the same operator PostgreSQL would.
 *
 * Invariants:
 *  - Integer results are range-checked (22003 "smallint/integer/bigint out of range"); integer
 *    division truncates toward zero; x / 0 and x % 0 raise 22012 — all via src/types/int.ts.
 *  - Mixed-width integer operators compute in the wider type: int2 op int4 -> int4, any op int8
 *    -> int8. float4 op float8 computes (and checks overflow) in float8.
 *  - `%` exists only for same-type integers and numeric (PostgreSQL has no float modulo).
 *  - Shift counts are int4 for every integer width, as in PostgreSQL.
 */
import { defineScalar, type FunctionRegistry } from '../registry.ts';
import { Types, type SqlType } from '../../types/sql-type.ts';
import {
  int2Add, int2Sub, int2Mul, int2Div, int2Mod, int2Neg, int2Abs,
  int4Add, int4Sub, int4Mul, int4Div, int4Mod, int4Neg, int4Abs,
  int8Add, int8Sub, int8Mul, int8Div, int8Mod, int8Neg, int8Abs,
  int2And, int2Or, int2Xor, int2Not, int2Shl, int2Shr,
  int4And, int4Or, int4Xor, int4Not, int4Shl, int4Shr,
  int8And, int8Or, int8Xor, int8Not, int8Shl, int8Shr,
  type Int8,
} from '../../types/int.ts';
import {
  float8Add, float8Sub, float8Mul, float8Div, float4Add, float4Sub, float4Mul, float4Div,
} from '../../types/float.ts';
import {
  numericAdd, numericSub, numericMul, numericDiv, numericMod, numericNeg, numericAbs,
  numericPower, type NumericValue,
} from '../../types/numeric.ts';
import { float8Power, float8Sqrt, float8Cbrt } from './operators-float.ts';

type Bin<T, R> = (a: T, b: T) => R;

function binary<A, B, R>(
  reg: FunctionRegistry, name: string, l: SqlType, r: SqlType, ret: SqlType,
  fn: (a: A, b: B) => R,
): void {
  reg.add(defineScalar({
    name, args: [l, r], returns: ret,
    impl: (args) => fn(args[0] as A, args[1] as B),
    binary: fn as (a: unknown, b: unknown) => unknown,
  }));
}

function unary<A, R>(
  reg: FunctionRegistry, name: string, t: SqlType, ret: SqlType, fn: (a: A) => R,
): void {
  reg.add(defineScalar({ name, args: [t], returns: ret, impl: (args) => fn(args[0] as A) }));
}

function identity<T>(a: T): T {
  return a;
}

const { int2, int4, int8, float4, float8, numeric } = Types;

/** + - * / for one pair of integer operand types computed with one width's functions. */
function intArith(
  reg: FunctionRegistry, l: SqlType, r: SqlType, ret: SqlType,
  add: Bin<number, number> | Bin<Int8, Int8>, sub: Bin<number, number> | Bin<Int8, Int8>,
  mul: Bin<number, number> | Bin<Int8, Int8>, div: Bin<number, number> | Bin<Int8, Int8>,
): void {
  binary(reg, '+', l, r, ret, add as Bin<Int8, Int8>);
  binary(reg, '-', l, r, ret, sub as Bin<Int8, Int8>);
  binary(reg, '*', l, r, ret, mul as Bin<Int8, Int8>);
  binary(reg, '/', l, r, ret, div as Bin<Int8, Int8>);
}

function registerIntegerArith(reg: FunctionRegistry): void {
  intArith(reg, int2, int2, int2, int2Add, int2Sub, int2Mul, int2Div);
  intArith(reg, int4, int4, int4, int4Add, int4Sub, int4Mul, int4Div);
  intArith(reg, int8, int8, int8, int8Add, int8Sub, int8Mul, int8Div);
  // int24pl/int42pl...: int2 values are valid int4 values, so the int4 kernels are exact.
  intArith(reg, int2, int4, int4, int4Add, int4Sub, int4Mul, int4Div);
  intArith(reg, int4, int2, int4, int4Add, int4Sub, int4Mul, int4Div);
  intArith(reg, int2, int8, int8, int8Add, int8Sub, int8Mul, int8Div);
  intArith(reg, int8, int2, int8, int8Add, int8Sub, int8Mul, int8Div);
  intArith(reg, int4, int8, int8, int8Add, int8Sub, int8Mul, int8Div);
  intArith(reg, int8, int4, int8, int8Add, int8Sub, int8Mul, int8Div);
  binary(reg, '%', int2, int2, int2, int2Mod);
  binary(reg, '%', int4, int4, int4, int4Mod);
  binary(reg, '%', int8, int8, int8, int8Mod);
  unary(reg, '-', int2, int2, int2Neg);
  unary(reg, '-', int4, int4, int4Neg);
  unary(reg, '-', int8, int8, int8Neg);
  unary(reg, '+', int2, int2, identity);
  unary(reg, '+', int4, int4, identity);
  unary(reg, '+', int8, int8, identity);
  unary(reg, '@', int2, int2, int2Abs);
  unary(reg, '@', int4, int4, int4Abs);
  unary(reg, '@', int8, int8, int8Abs);
}

function registerBitwise(reg: FunctionRegistry): void {
  binary(reg, '&', int2, int2, int2, int2And);
  binary(reg, '|', int2, int2, int2, int2Or);
  binary(reg, '#', int2, int2, int2, int2Xor);
  unary(reg, '~', int2, int2, int2Not);
  binary(reg, '<<', int2, int4, int2, int2Shl);
  binary(reg, '>>', int2, int4, int2, int2Shr);
  binary(reg, '&', int4, int4, int4, int4And);
  binary(reg, '|', int4, int4, int4, int4Or);
  binary(reg, '#', int4, int4, int4, int4Xor);
  unary(reg, '~', int4, int4, int4Not);
  binary(reg, '<<', int4, int4, int4, int4Shl);
  binary(reg, '>>', int4, int4, int4, int4Shr);
  binary(reg, '&', int8, int8, int8, int8And);
  binary(reg, '|', int8, int8, int8, int8Or);
  binary(reg, '#', int8, int8, int8, int8Xor);
  unary(reg, '~', int8, int8, int8Not);
  binary(reg, '<<', int8, int4, int8, int8Shl);
  binary(reg, '>>', int8, int4, int8, int8Shr);
}

function registerFloatArith(reg: FunctionRegistry): void {
  const f4: [Bin<number, number>, Bin<number, number>, Bin<number, number>, Bin<number, number>] =
    [float4Add, float4Sub, float4Mul, float4Div];
  const f8: [Bin<number, number>, Bin<number, number>, Bin<number, number>, Bin<number, number>] =
    [float8Add, float8Sub, float8Mul, float8Div];
  const ops = ['+', '-', '*', '/'] as const;
  for (let i = 0; i < 4; i++) {
    const op = ops[i] as string;
    binary(reg, op, float4, float4, float4, f4[i] as Bin<number, number>);
    binary(reg, op, float8, float8, float8, f8[i] as Bin<number, number>);
    // float48pl etc.: a float4 value is exactly representable as float8.
    binary(reg, op, float4, float8, float8, f8[i] as Bin<number, number>);
    binary(reg, op, float8, float4, float8, f8[i] as Bin<number, number>);
  }
  unary(reg, '-', float4, float4, (a: number) => -a);
  unary(reg, '-', float8, float8, (a: number) => -a);
  unary(reg, '+', float4, float4, identity);
  unary(reg, '+', float8, float8, identity);
  unary(reg, '@', float4, float4, Math.abs);
  unary(reg, '@', float8, float8, Math.abs);
  binary(reg, '^', float8, float8, float8, float8Power);
  unary(reg, '|/', float8, float8, float8Sqrt);
  unary(reg, '||/', float8, float8, float8Cbrt);
}

function registerNumericArith(reg: FunctionRegistry): void {
  binary(reg, '+', numeric, numeric, numeric, numericAdd);
  binary(reg, '-', numeric, numeric, numeric, numericSub);
  binary(reg, '*', numeric, numeric, numeric, numericMul);
  binary(reg, '/', numeric, numeric, numeric, numericDiv);
  binary(reg, '%', numeric, numeric, numeric, numericMod);
  binary(reg, '^', numeric, numeric, numeric, numericPower);
  unary(reg, '-', numeric, numeric, numericNeg);
  unary(reg, '+', numeric, numeric, identity<NumericValue>);
  unary(reg, '@', numeric, numeric, numericAbs);
}

export function registerArithmeticOperators(reg: FunctionRegistry): void {
  registerIntegerArith(reg);
  registerBitwise(reg);
  registerFloatArith(reg);
  registerNumericArith(reg);
}
