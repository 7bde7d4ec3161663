import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DbError } from '../../src/errors/index.ts';
import { SeededRandom } from '../../src/env/seeded-random.ts';
import { numericTypmod } from '../../src/types/sql-type.ts';
import {
  applyNumericTypmod, formatNumeric, numericAdd, numericCompare, numericDiv, numericExp,
  numericFromFloat8, numericFromInt, numericHashKey, numericLn, numericMod, numericMul,
  numericPower, numericRound, numericSqrt, numericSub, numericToFloat8, numericToInt4,
  numericToInt8, numericTrunc, parseNumeric,
} from '../../src/types/numeric.ts';
import { decimalOf, numericDivInts } from '../../src/types/numeric-int-div.ts';

const p = parseNumeric;
const f = formatNumeric;
function errOf(fn: () => unknown): DbError {
  try { fn(); } catch (e) { if (e instanceof DbError) return e; throw e; }
  assert.fail('expected an error');
}

test('numeric input keeps the display scale', () => {
  assert.equal(f(p('1.50')), '1.50');
  assert.equal(f(p('  -0.00 ')), '0.00');
  assert.equal(f(p('.5')), '0.5');
  assert.equal(f(p('5.')), '5');
  assert.equal(f(p('1e3')), '1000');
  assert.equal(f(p('1.5e-3')), '0.0015');
  assert.equal(f(p('1_000.000_1')), '1000.0001');
  assert.equal(f(p('NaN')), 'NaN');
  assert.equal(f(p('-Infinity')), '-Infinity');
  assert.equal(f(p('inf')), 'Infinity');
  assert.equal(f(p('123456789012345678901234567890.123456789')), '123456789012345678901234567890.123456789');
  assert.equal(errOf(() => p('abc')).message, 'invalid input syntax for type numeric: "abc"');
  assert.equal(errOf(() => p('1..2')).code, '22P02');
});

test('numeric result scales follow PostgreSQL', () => {
  assert.equal(f(numericAdd(p('1.5'), p('2.25'))), '3.75');
  assert.equal(f(numericSub(p('1.50'), p('1.5'))), '0.00');
  assert.equal(f(numericMul(p('1.5'), p('2.25'))), '3.375');
  assert.equal(f(numericDiv(p('1'), p('3'))), '0.33333333333333333333');
  assert.equal(f(numericDiv(p('2'), p('3'))), '0.66666666666666666667');
  assert.equal(f(numericDiv(p('10'), p('4'))), '2.5000000000000000');
  assert.equal(f(numericDiv(p('1.000000000000000000000'), p('3'))), '0.333333333333333333333');
  assert.equal(f(numericDiv(p('-7'), p('2'))), '-3.5000000000000000');
  assert.equal(f(numericMod(p('-7.5'), p('2'))), '-1.5');
  assert.equal(f(numericSqrt(p('2'))), '1.414213562373095');
  assert.equal(f(numericExp(p('1'))), '2.7182818284590452');
  assert.equal(f(numericLn(p('2'))), '0.6931471805599453');
  assert.equal(f(numericPower(p('2'), p('0.5'))), '1.4142135623730950');
  assert.equal(f(numericRound(p('2.5'))), '3');
  assert.equal(f(numericRound(p('-2.5'))), '-3');
  assert.equal(f(numericRound(p('1234.5678'), 2)), '1234.57');
  assert.equal(f(numericRound(p('1250'), -2)), '1300');
  assert.equal(f(numericTrunc(p('-1.99'), 1)), '-1.9');
  assert.equal(errOf(() => numericDiv(p('1'), p('0'))).code, '22012');
  assert.equal(errOf(() => numericMod(p('1'), p('0'))).message, 'division by zero');
  assert.equal(f(numericAdd(p('Infinity'), p('-Infinity'))), 'NaN');
  assert.equal(errOf(() => numericSqrt(p('-1'))).code, '2201F');
});

test('numeric typmod', () => {
  const t = numericTypmod(5, 2);
  assert.equal(f(applyNumericTypmod(p('123.456'), t)), '123.46');
  assert.equal(f(applyNumericTypmod(p('1'), t)), '1.00');
  const e = errOf(() => applyNumericTypmod(p('999.995'), t));
  assert.equal(e.code, '22003');
  assert.equal(e.message, 'numeric field overflow');
  assert.equal(e.detail, 'A field with precision 5, scale 2 must round to an absolute value less than 10^3.');
  assert.equal(errOf(() => applyNumericTypmod(p('1'), numericTypmod(2, 2))).detail,
    'A field with precision 2, scale 2 must round to an absolute value less than 1.');
  assert.equal(f(applyNumericTypmod(p('NaN'), t)), 'NaN');
});

test('numeric conversions', () => {
  assert.equal(numericToInt4(p('2.5')), 3);
  assert.equal(numericToInt4(p('-2.5')), -3);
  assert.equal(errOf(() => numericToInt4(p('2147483647.5'))).message, 'integer out of range');
  assert.equal(errOf(() => numericToInt4(p('NaN'))).message, 'cannot convert NaN to integer');
  assert.equal(numericToInt8(p('9223372036854775807')), 9223372036854775807n);
  assert.equal(errOf(() => numericToInt8(p('9223372036854775807.5'))).message, 'bigint out of range');
  assert.equal(f(numericFromInt(-9223372036854775808n)), '-9223372036854775808');
  assert.equal(f(numericFromFloat8(0.1)), '0.1');
  assert.equal(f(numericFromFloat8(1e20)), '100000000000000000000');
  assert.equal(f(numericFromFloat8(1 / 3)), '0.333333333333333');
  assert.equal(numericToFloat8(p('0.1')), 0.1);
  assert.equal(numericHashKey(p('1.0')), numericHashKey(p('1.00')));
  assert.equal(numericHashKey(p('-0.0')), numericHashKey(p('0')));
  assert.equal(numericCompare(p('NaN'), p('Infinity')), 1);
  assert.equal(numericCompare(p('NaN'), p('NaN')), 0);
  assert.equal(numericCompare(p('1.0'), p('1.00')), 0);
});

test('numeric text round trip and division exactness (seeded)', () => {
  const seed = 7;
  const rng = new SeededRandom(seed);
  const gen = (): string => {
    const intDigits = rng.nextInt(25);
    const fracDigits = rng.nextInt(12);
    let s = rng.nextInt(2) ? '-' : '';
    s += intDigits === 0 ? '0' : String(1 + rng.nextInt(9));
    for (let i = 1; i < intDigits; i++) s += String(rng.nextInt(10));
    if (fracDigits > 0) {
      s += '.';
      for (let i = 0; i < fracDigits; i++) s += String(rng.nextInt(10));
    }
    return s;
  };
  for (let iter = 0; iter < 3000; iter++) {
    const a = gen();
    const b = gen();
    const msg = `seed=${seed} iter=${iter} a=${a} b=${b}`;
    const va = p(a);
    const out = f(va);
    assert.equal(f(p(out)), out, msg);
    assert.equal(numericCompare(p(out), va), 0, msg);
    const vb = p(b);
    if (vb.value.isZero()) continue;
    // q = a / b rounded half away from zero at its scale: |a - q*b| <= |b| * 0.5 ulp.
    const q = numericDiv(va, vb);
    const ulpHalf = p(`0.5e-${q.scale}`).value;
    const err = va.value.minus(q.value.times(vb.value)).abs();
    assert.ok(err.lte(vb.value.abs().times(ulpHalf)), msg);
    // a = trunc(a/b)*b + a % b
    const r = numericMod(va, vb);
    assert.ok(r.value.abs().lt(vb.value.abs()), msg);
  }
});

test('integer division in doubles matches numeric division: digits, display scale, rounding, sign', () => {
  const rng = new SeededRandom(20261125);
  const same = (a: number, b: number): void => {
    const fast = numericDivInts(a, b);
    const exact = numericDiv(numericFromInt(a), numericFromInt(b));
    assert.equal(f(fast), f(exact), `${a} / ${b}`);
    assert.equal(fast.scale, exact.scale, `${a} / ${b} scale`);
  };
  // Rounding half away from zero at the last digit, carries into the integer part, exact
  // quotients, zero, signs, NBASE weight boundaries, the bounds of the double path and past them.
  const fixed: [number, number][] = [
    [0, 5], [0, -3], [1, 3], [2, 3], [-2, 3], [5, 2], [-5, 2], [7, -2], [-7, -2], [1, 1],
    [9999, 10000], [10000, 9999], [99999999, 1], [1, 9999], [10000, 1], [19999999, 2],
    [2 ** 50, 7], [-(2 ** 50), 3], [2 ** 50 - 1, 2 ** 31], [1, 2 ** 31],
    [2 ** 50 + 1, 3], [1, 2 ** 31 + 1], [Number.MAX_SAFE_INTEGER, 9], [2, 3e9],
  ];
  for (const [a, b] of fixed) same(a, b);
  for (let i = 0; i < 20_000; i++) {
    const a = Math.round((rng.next() - 0.5) * 10 ** rng.nextInt(17));
    const b = Math.max(1, Math.round(rng.next() * 10 ** rng.nextInt(11))) * (rng.next() < 0.2 ? -1 : 1);
    same(a, b);
  }
  // Rounding that carries over trailing nines (truncated: ...980099|5), and a negative quotient.
  assert.equal(f(numericDivInts(110, 201)), '0.54726368159203980100');
  assert.equal(f(numericDivInts(-110, 201)), '-0.54726368159203980100');
  assert.equal(f(numericDivInts(-1, 3)), '-0.33333333333333333333');
});

test('decimals built from digits have the parser\'s representation', () => {
  const rng = new SeededRandom(7);
  const check = (negative: boolean, whole: number, digits: number[]): void => {
    const text = `${negative ? '-' : ''}${whole}${digits.length > 0 ? '.' + digits.join('') : ''}`;
    const built = decimalOf(negative, whole, digits) as unknown as { s: number; e: number; d: number[] };
    const parsed = new (decimalOf(false, 1, []).constructor as new (v: string) => { s: number; e: number; d: number[] })(text);
    const zero = whole === 0 && digits.every((d) => d === 0);
    // Zero has no sign in numeric: built zeros are positive (makeNumeric drops -0 anyway).
    assert.deepEqual({ s: built.s, e: built.e, d: built.d }, { s: zero ? 1 : parsed.s, e: parsed.e, d: parsed.d }, text);
  };
  check(false, 0, []);
  check(false, 0, [0, 0, 0]);
  check(true, 0, [0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3]);
  check(false, 246913, [4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  check(false, 10_000_000, [0, 0, 0, 0, 0, 0, 0]);
  check(true, 2 ** 50, [9, 9, 9, 9, 9, 9, 9, 9]);
  // Only the first `count` digits count (the division reuses one digit buffer).
  assert.equal(decimalOf(false, 12, [3, 4, 9, 9, 9, 9, 9, 9, 9], 2).toString(), '12.34');
  assert.equal(decimalOf(false, 0, [0, 0, 7, 7], 2).toString(), '0');
  for (let i = 0; i < 5000; i++) {
    const whole = rng.next() < 0.3 ? 0 : Math.floor(rng.next() * 10 ** rng.nextInt(16));
    const digits = Array.from({ length: rng.nextInt(30) }, () => (rng.next() < 0.4 ? 0 : rng.nextInt(10)));
    check(rng.next() < 0.5, whole, digits);
  }
});
