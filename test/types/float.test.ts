import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DbError } from '../../src/errors/index.ts';
import { SeededRandom } from '../../src/env/seeded-random.ts';
import {
  float4Mul, float8Add, float8Div, float8Mul, float8ToInt4, float8ToInt8, floatCompare,
  floatHashKey, formatFloat4, formatFloat8, parseFloat4, parseFloat8, rint,
} from '../../src/types/float.ts';

function msg(fn: () => unknown): string {
  try { fn(); } catch (e) { if (e instanceof DbError) return `${e.code} ${e.message}`; throw e; }
  return 'no error';
}

test('float8 output matches PostgreSQL', () => {
  const cases: [number, string][] = [
    [0.1, '0.1'], [1e20, '1e+20'], [123456789012345680000, '1.2345678901234568e+20'],
    [1e15, '1e+15'], [1e14, '100000000000000'], [123.456, '123.456'], [1e-5, '1e-05'],
    [0.0001, '0.0001'], [-1.5e-10, '-1.5e-10'], [1.7976931348623157e308, '1.7976931348623157e+308'],
    [5e-324, '5e-324'], [NaN, 'NaN'], [Infinity, 'Infinity'], [-Infinity, '-Infinity'],
    [-0, '-0'], [0, '0'], [1 / 3, '0.3333333333333333'], [1e100, '1e+100'], [-42, '-42'],
  ];
  for (const [x, s] of cases) assert.equal(formatFloat8(x), s, `formatFloat8(${x})`);
  assert.equal(formatFloat8(0.1, 0), '0.1');
  assert.equal(formatFloat8(1 / 3, 0), '0.333333333333333');
});

test('float4 output matches PostgreSQL', () => {
  const cases: [number, string][] = [
    [0.1, '0.1'], [1e6, '1e+06'], [123456, '123456'], [1234567, '1.234567e+06'],
    [3.4028234663852886e38, '3.4028235e+38'], [1e-5, '1e-05'], [1 / 3, '0.33333334'],
  ];
  for (const [x, s] of cases) assert.equal(formatFloat4(Math.fround(x)), s, `formatFloat4(${x})`);
});

test('float input', () => {
  assert.equal(parseFloat8(' 1.5 '), 1.5);
  assert.equal(parseFloat8('-Infinity'), -Infinity);
  assert.equal(parseFloat8('inf'), Infinity);
  assert.ok(Number.isNaN(parseFloat8('NaN')));
  assert.equal(parseFloat8('1e-320'), 1e-320);
  assert.equal(msg(() => parseFloat8('abc')), '22P02 invalid input syntax for type double precision: "abc"');
  assert.equal(msg(() => parseFloat8('1e400')), '22003 "1e400" is out of range for type double precision');
  assert.equal(msg(() => parseFloat8('1e-400')), '22003 "1e-400" is out of range for type double precision');
  assert.equal(parseFloat8('0e-400'), 0);
  assert.equal(msg(() => parseFloat4('1e39')), '22003 "1e39" is out of range for type real');
  assert.equal(parseFloat4('0.1'), Math.fround(0.1));
});

test('float arithmetic errors', () => {
  assert.equal(msg(() => float8Add(1.7976931348623157e308, 1.7976931348623157e308)),
    '22003 value out of range: overflow');
  assert.equal(float8Add(Infinity, 1), Infinity);
  assert.equal(msg(() => float8Mul(1e-200, 1e-200)), '22003 value out of range: underflow');
  assert.equal(msg(() => float8Div(1, 0)), '22012 division by zero');
  assert.ok(Number.isNaN(float8Div(NaN, 0)));
  assert.equal(msg(() => float4Mul(1e30, 1e30)), '22003 value out of range: overflow');
});

test('float to int uses rint (half to even)', () => {
  assert.equal(rint(2.5), 2);
  assert.equal(rint(3.5), 4);
  assert.equal(rint(-2.5), -2);
  assert.ok(Object.is(rint(-0.4), 0));
  assert.equal(float8ToInt4(2147483647.4), 2147483647);
  assert.equal(msg(() => float8ToInt4(2147483647.5)), '22003 integer out of range');
  assert.equal(msg(() => float8ToInt4(NaN)), '22003 integer out of range');
  assert.equal(msg(() => float8ToInt8(9223372036854775807)), '22003 bigint out of range');
  assert.equal(float8ToInt8(-9223372036854775808), -9223372036854775808n);
  assert.equal(float8ToInt8(2 ** 53), 9007199254740992n);
});

test('float comparison: NaN above everything, -0 = 0', () => {
  assert.equal(floatCompare(NaN, Infinity), 1);
  assert.equal(floatCompare(NaN, NaN), 0);
  assert.equal(floatCompare(-0, 0), 0);
  assert.equal(floatCompare(-Infinity, 1), -1);
  assert.ok(Object.is(floatHashKey(-0), 0));
});

test('float8 and float4 text round trip exactly (seeded)', () => {
  const seed = 99;
  const rng = new SeededRandom(seed);
  const buf = new DataView(new ArrayBuffer(8));
  for (let iter = 0; iter < 20000; iter++) {
    buf.setUint32(0, rng.nextU32());
    buf.setUint32(4, rng.nextU32());
    const x = iter % 2 ? buf.getFloat64(0) : rng.next() * 10 ** (rng.nextInt(40) - 20);
    if (Number.isNaN(x)) continue;
    const s = formatFloat8(x);
    assert.ok(Object.is(parseFloat8(s), x), `seed=${seed} iter=${iter} x=${x} s=${s}`);
    const y = buf.getFloat32(0);
    if (Number.isNaN(y)) continue;
    const t = formatFloat4(y);
    assert.ok(Object.is(parseFloat4(t), y), `seed=${seed} iter=${iter} y=${y} t=${t}`);
  }
});
