/**
 * Math functions registered by registerCore, called through a FunctionRegistry; expected values
 * and error texts are PostgreSQL 15's.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, ctx, resolve, throwsState } from './harness.ts';
import { createSimEnv } from '../../src/env/index.ts';
import { Types } from '../../src/types/sql-type.ts';
import { parseNumeric, formatNumeric, type NumericValue } from '../../src/types/numeric.ts';

const { int2, int4, int8, float8, numeric } = Types;
const num = (s: string): NumericValue => parseNumeric(s);
const N = (f: string, ...a: string[]): string =>
  formatNumeric(call(f, a.map(() => numeric), ...a.map(num)) as NumericValue);
const F = (f: string, ...a: number[]): unknown => call(f, a.map(() => float8), ...a);

test('abs and sign', () => {
  assert.equal(call('abs', [int4], -5), 5);
  assert.equal(call('abs', [int8], -9007199254740993n), 9007199254740993n);
  throwsState(() => call('abs', [int4], -2147483648), '22003', 'integer out of range');
  assert.equal(F('abs', -1.5), 1.5);
  assert.equal(N('abs', '-1.50'), '1.50');
  assert.equal(F('sign', -3), -1);
  assert.equal(N('sign', '0.00'), '0');
});

test('rounding: round/trunc/ceil/floor', () => {
  assert.equal(F('round', 2.5), 2); // rint: half to even
  assert.equal(F('round', 3.5), 4);
  assert.equal(N('round', '2.5'), '3');
  assert.equal(N('round', '-2.5'), '-3');
  assert.equal(formatNumeric(call('round', [numeric, int4], num('1.2345'), 2) as NumericValue), '1.23');
  assert.equal(formatNumeric(call('round', [numeric, int4], num('1234.5'), -2) as NumericValue), '1200');
  assert.equal(F('trunc', -1.7), -1);
  assert.equal(formatNumeric(call('trunc', [numeric, int4], num('1.789'), 2) as NumericValue), '1.78');
  assert.equal(F('ceil', -1.5), -1);
  assert.equal(F('ceiling', 1.2), 2);
  assert.equal(F('floor', -1.5), -2);
  assert.equal(N('floor', '-1.5'), '-2');
  assert.equal(N('ceil', '1.2'), '2');
});

test('mod, div, gcd, lcm, factorial', () => {
  assert.equal(call('mod', [int4, int4], -7, 3), -1);
  assert.equal(call('mod', [int2, int2], 7, 3), 1);
  assert.equal(N('mod', '10.5', '3'), '1.5');
  assert.equal(N('div', '9', '4'), '2');
  assert.equal(N('div', '-9', '4'), '-2');
  assert.equal(call('gcd', [int4, int4], 12, 18), 6);
  assert.equal(call('gcd', [int4, int4], -12, 0), 12);
  assert.equal(call('lcm', [int4, int4], 4, 6), 12);
  assert.equal(call('lcm', [int8, int8], 0, 6), 0);
  assert.equal(N('gcd', '1.5', '0.9'), '0.3');
  assert.equal(N('lcm', '1.5', '0.9'), '4.5');
  throwsState(() => call('gcd', [int4, int4], -2147483648, 0), '22003', 'integer out of range');
  throwsState(() => call('lcm', [int4, int4], 2147483647, 2147483646), '22003', 'integer out of range');
  assert.equal(formatNumeric(call('factorial', [int8], 5) as NumericValue), '120');
  assert.equal(formatNumeric(call('factorial', [int8], 0) as NumericValue), '1');
  throwsState(() => call('factorial', [int8], -1), '22003', 'factorial of a negative number is undefined');
  throwsState(() => N('div', '1', '0'), '22012', 'division by zero');
  throwsState(() => call('mod', [int4, int4], 1, 0), '22012', 'division by zero');
});

test('powers, roots, exponentials and logarithms', () => {
  assert.equal(F('power', 2, 10), 1024);
  assert.equal(F('pow', 9, 0.5), 3);
  throwsState(() => F('power', 0, -1), '2201F', 'zero raised to a negative power is undefined');
  assert.equal(F('sqrt', 2), Math.SQRT2);
  throwsState(() => F('sqrt', -1), '2201F', 'cannot take square root of a negative number');
  throwsState(() => N('sqrt', '-1'), '2201F', 'cannot take square root of a negative number');
  assert.equal(N('sqrt', '2'), '1.414213562373095');
  assert.equal(F('cbrt', 64), 4);
  assert.equal(F('exp', 0), 1);
  assert.equal(F('exp', 1), Math.E);
  throwsState(() => F('exp', -1000), '22003', 'value out of range: underflow');
  throwsState(() => F('exp', 1000), '22003', 'value out of range: overflow');
  assert.equal(F('ln', 1), 0);
  throwsState(() => F('ln', 0), '2201E', 'cannot take logarithm of zero');
  throwsState(() => F('ln', -1), '2201E', 'cannot take logarithm of a negative number');
  throwsState(() => N('ln', '0'), '2201E', 'cannot take logarithm of zero');
  assert.equal(F('log', 100), 2);
  assert.equal(F('log10', 1000), 3);
  assert.equal(N('log', '100'), '2.0000000000000000');
  assert.equal(N('log', '2', '8'), '3.0000000000000000');
  assert.equal(N('log', '2.0', '64.0'), '6.0000000000000000');
  throwsState(() => N('log', '10', '0'), '2201E', 'cannot take logarithm of zero');
  throwsState(() => N('log', '-2', '8'), '2201E', 'cannot take logarithm of a negative number');
});

test('trigonometry, including exact degree variants', () => {
  assert.equal(call('pi', []), Math.PI);
  assert.equal(F('degrees', Math.PI), 180);
  assert.equal(F('radians', 180), Math.PI);
  assert.equal(F('sind', 30), 0.5);
  assert.equal(F('sind', 90), 1);
  assert.equal(F('sind', 180), 0);
  assert.equal(F('sind', -30), -0.5);
  assert.equal(F('cosd', 60), 0.5);
  assert.equal(F('cosd', 90), 0);
  assert.equal(F('cosd', 180), -1);
  assert.equal(F('tand', 45), 1);
  assert.equal(F('tand', 135), -1);
  assert.equal(F('tand', 90), Infinity);
  assert.equal(F('cotd', 45), 1);
  assert.equal(F('asind', 0.5), 30);
  assert.equal(F('asind', 1), 90);
  assert.equal(F('acosd', 0.5), 60);
  assert.equal(F('acosd', -1), 180);
  assert.equal(F('atand', 1), 45);
  assert.equal(F('atan2d', 1, 0), 90);
  assert.equal(F('sin', 0), 0);
  assert.equal(F('cos', 0), 1);
  assert.equal(F('atan2', 1, 1), Math.PI / 4);
  throwsState(() => F('sin', Infinity), '22003', 'input is out of range');
  throwsState(() => F('asin', 2), '22003', 'input is out of range');
  throwsState(() => F('acosh', 0.5), '22003', 'input is out of range');
  assert.equal(F('tanh', 0), 0);
  assert.equal(F('atanh', 1), Infinity);
  assert.ok(Number.isNaN(F('sin', NaN)));
});

test('random() is deterministic per seed and volatile; random(min, max) stays in range', () => {
  const def = resolve('random', []);
  assert.equal(def.volatility, 'volatile');
  const a = createSimEnv({ seed: 7 });
  const b = createSimEnv({ seed: 7 });
  const ca = { ...ctx, env: a };
  const cb = { ...ctx, env: b };
  const xs = [1, 2, 3].map(() => def.impl([], ca, []) as number);
  const ys = [1, 2, 3].map(() => def.impl([], cb, []) as number);
  assert.deepEqual(xs, ys);
  for (const x of xs) assert.ok(x >= 0 && x < 1);
  for (let i = 0; i < 50; i++) {
    const r = call('random', [int4, int4], 1, 6) as number;
    assert.ok(Number.isInteger(r) && r >= 1 && r <= 6);
    const n = call('random', [numeric, numeric], num('1.5'), num('2.25')) as NumericValue;
    assert.equal(n.scale, 2);
    assert.ok(n.value.gte(1.5) && n.value.lte(2.25));
  }
  assert.equal(call('random', [int8, int8], 5, 5), 5);
  throwsState(() => call('random', [int4, int4], 6, 1), '22023', 'lower bound must be less than or equal to upper bound');
  throwsState(() => F('setseed', 0.5), '0A000');
});

test('width_bucket (float8 and numeric)', () => {
  const wb = (x: number, lo: number, hi: number, n: number): unknown =>
    call('width_bucket', [float8, float8, float8, int4], x, lo, hi, n);
  assert.equal(wb(5.35, 0.024, 10.06, 5), 3);
  assert.equal(wb(-1, 0, 10, 5), 0);
  assert.equal(wb(10, 0, 10, 5), 6);
  assert.equal(wb(0, 0, 10, 5), 1);
  assert.equal(wb(9.99, 10, 0, 5), 1);
  throwsState(() => wb(1, 0, 0, 5), '22023', 'lower bound cannot equal upper bound');
  throwsState(() => wb(1, 0, 10, 0), '22023', 'count must be greater than zero');
  assert.equal(call('width_bucket', [numeric, numeric, numeric, int4], num('5.35'), num('0.024'), num('10.06'), 5), 3);
});

test('scale, min_scale, trim_scale', () => {
  assert.equal(call('scale', [numeric], num('8.4100')), 4);
  assert.equal(call('min_scale', [numeric], num('8.4100')), 2);
  assert.equal(N('trim_scale', '8.4100'), '8.41');
  assert.equal(call('scale', [numeric], num('NaN')), null);
});
