import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DbError } from '../../src/errors/index.ts';
import { SeededRandom } from '../../src/env/seeded-random.ts';
import {
  INT8_MAX, INT8_MIN, canonInt8, formatInt, int2Div, int2Mul, int2Shl, int4Add, int4Div, int4Mod,
  int4Mul, int4Neg, int8Abs, int8Add, int8And, int8Compare, int8Div, int8Mod, int8Mul, int8Neg,
  int8Not, int8Shl, int8Shr, int8Sub, isCanonInt8, parseInt2, parseInt4, parseInt8, type Int8,
} from '../../src/types/int.ts';

function code(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof DbError, String(e));
    return `${e.code} ${e.message}`;
  }
  return 'no error';
}

test('int4 overflow, division and modulo follow PostgreSQL', () => {
  assert.equal(int4Add(2147483646, 1), 2147483647);
  assert.equal(code(() => int4Add(2147483647, 1)), '22003 integer out of range');
  assert.equal(code(() => int4Mul(65536, 32768)), '22003 integer out of range');
  assert.equal(code(() => int4Div(-2147483648, -1)), '22003 integer out of range');
  assert.equal(code(() => int4Neg(-2147483648)), '22003 integer out of range');
  assert.equal(code(() => int4Div(1, 0)), '22012 division by zero');
  assert.equal(code(() => int4Mod(1, 0)), '22012 division by zero');
  assert.equal(int4Div(-7, 2), -3);
  assert.equal(int4Mod(-7, 2), -1);
  assert.equal(int4Mod(7, -2), 1);
  assert.ok(Object.is(int4Mod(-4, 2), 0));
  assert.ok(Object.is(int4Div(-1, 5), 0));
  assert.ok(Object.is(int4Mul(-1, 0), 0));
  assert.equal(int4Mod(-2147483648, -1), 0);
  assert.equal(code(() => int2Mul(256, 128)), '22003 smallint out of range');
  assert.equal(code(() => int2Div(-32768, -1)), '22003 smallint out of range');
  assert.equal(int2Shl(1, 15), -32768);
});

test('int8 64-bit edges', () => {
  const max = parseInt8('9223372036854775807');
  const min = parseInt8('-9223372036854775808');
  assert.equal(max, INT8_MAX);
  assert.equal(min, INT8_MIN);
  assert.equal(formatInt(max), '9223372036854775807');
  assert.equal(formatInt(min), '-9223372036854775808');
  assert.equal(code(() => int8Add(max, 1)), '22003 bigint out of range');
  assert.equal(code(() => int8Sub(min, 1)), '22003 bigint out of range');
  assert.equal(code(() => int8Mul(min, -1)), '22003 bigint out of range');
  assert.equal(code(() => int8Div(min, -1)), '22003 bigint out of range');
  assert.equal(code(() => int8Neg(min)), '22003 bigint out of range');
  assert.equal(code(() => int8Abs(min)), '22003 bigint out of range');
  assert.equal(int8Mod(min, -1), 0);
  assert.equal(code(() => int8Div(5, 0)), '22012 division by zero');
  assert.equal(code(() => parseInt8('9223372036854775808')),
    '22003 value "9223372036854775808" is out of range for type bigint');
  assert.equal(int8Add(Number.MAX_SAFE_INTEGER, 1), 9007199254740992n);
  assert.equal(int8Sub(9007199254740992n, 1), Number.MAX_SAFE_INTEGER); // back to canonical number
  assert.equal(canonInt8(5n), 5);
  assert.equal(int8Compare(min, -1), -1);
  assert.equal(int8Compare(1, max), -1);
  assert.equal(int8Compare(max, max), 0);
  assert.equal(int8Not(0), -1);
  assert.equal(int8Shl(1, 63), min);
  assert.equal(int8Shr(min, 63), -1);
  assert.equal(int8And(max, 255), 255);
});

test('integer input syntax', () => {
  assert.equal(parseInt4('  42  '), 42);
  assert.equal(parseInt4('-0'), 0);
  assert.ok(Object.is(parseInt4('-0'), 0));
  assert.equal(parseInt4('+7'), 7);
  assert.equal(parseInt4('1_000_000'), 1000000);
  assert.equal(parseInt4('0x1F'), 31);
  assert.equal(parseInt4('0o17'), 15);
  assert.equal(parseInt4('0b101'), 5);
  assert.equal(code(() => parseInt4('abc')), '22P02 invalid input syntax for type integer: "abc"');
  assert.equal(code(() => parseInt4('')), '22P02 invalid input syntax for type integer: ""');
  assert.equal(code(() => parseInt4('1_')), '22P02 invalid input syntax for type integer: "1_"');
  assert.equal(code(() => parseInt4('1.5')), '22P02 invalid input syntax for type integer: "1.5"');
  assert.equal(code(() => parseInt4('99999999999')),
    '22003 value "99999999999" is out of range for type integer');
  assert.equal(code(() => parseInt2('32768')), '22003 value "32768" is out of range for type smallint');
  assert.equal(parseInt2('-32768'), -32768);
  assert.equal(parseInt4('-2147483648'), -2147483648);
  assert.equal(parseInt8(' -9007199254740991 '), -9007199254740991);
  assert.equal(parseInt8('9007199254740993'), 9007199254740993n);
});

// ---------------------------------------------------------------------------------------------
// Property tests against an exact bigint oracle
// ---------------------------------------------------------------------------------------------

const EDGES: bigint[] = [0n, 1n, -1n, 2n, -2n, 2n ** 31n, -(2n ** 31n), 2n ** 31n - 1n,
  2n ** 53n, -(2n ** 53n), 2n ** 53n - 1n, -(2n ** 53n) + 1n, 2n ** 53n + 1n, 2n ** 32n,
  INT8_MAX, INT8_MIN, INT8_MAX - 1n, INT8_MIN + 1n, 3037000499n, -3037000499n, 3037000500n];

function randomInt8(rng: SeededRandom): bigint {
  const pick = rng.nextInt(4);
  if (pick === 0) {
    const e = EDGES[rng.nextInt(EDGES.length)] ?? 0n;
    return BigInt.asIntN(64, e + BigInt(rng.nextInt(5) - 2));
  }
  if (pick === 1) return BigInt(rng.nextInt(2001) - 1000);
  if (pick === 2) {
    const bits = rng.nextInt(64) + 1;
    const v = (BigInt(rng.nextU32()) << 32n) | BigInt(rng.nextU32());
    return BigInt.asIntN(64, v & ((1n << BigInt(bits)) - 1n)) * (rng.nextInt(2) ? 1n : -1n);
  }
  return BigInt.asIntN(64, (BigInt(rng.nextU32()) << 32n) | BigInt(rng.nextU32()));
}

function oracle(r: bigint): string {
  return r > INT8_MAX || r < INT8_MIN ? 'bigint out of range' : r.toString();
}

function actual(f: () => Int8): string {
  try {
    const v = f();
    assert.ok(isCanonInt8(v), `non-canonical result ${String(v)}`);
    return String(v);
  } catch (e) {
    if (e instanceof DbError) return e.message;
    throw e;
  }
}

test('int8 add/sub/mul/div/mod match an exact bigint oracle (seeded)', () => {
  const seed = 0x5eed1234;
  const rng = new SeededRandom(seed);
  for (let iter = 0; iter < 20000; iter++) {
    const a = randomInt8(rng);
    const b = randomInt8(rng);
    const ca = canonInt8(a);
    const cb = canonInt8(b);
    const ctx = () => `seed=${seed} iter=${iter} a=${a} b=${b}`;
    assert.equal(actual(() => int8Add(ca, cb)), oracle(a + b), ctx());
    assert.equal(actual(() => int8Sub(ca, cb)), oracle(a - b), ctx());
    assert.equal(actual(() => int8Mul(ca, cb)), oracle(a * b), ctx());
    assert.equal(actual(() => int8Div(ca, cb)), b === 0n ? 'division by zero' : oracle(a / b), ctx());
    assert.equal(actual(() => int8Mod(ca, cb)), b === 0n ? 'division by zero' : oracle(a % b), ctx());
    assert.equal(int8Compare(ca, cb), a < b ? -1 : a > b ? 1 : 0, ctx());
    assert.equal(actual(() => parseInt8(a.toString())), a.toString(), ctx());
  }
});

test('int4 ops match a bigint oracle (seeded)', () => {
  const seed = 42;
  const rng = new SeededRandom(seed);
  const edges = [0, 1, -1, 2147483647, -2147483648, 46340, -46341, 65536];
  const gen = () => rng.nextInt(3) === 0 ? (edges[rng.nextInt(edges.length)] ?? 0)
    : (rng.nextU32() | 0) >> rng.nextInt(31);
  const o = (r: bigint) => r > 2147483647n || r < -2147483648n ? 'integer out of range' : r.toString();
  const run = (f: () => number) => {
    try { return String(f()); } catch (e) { if (e instanceof DbError) return e.message; throw e; }
  };
  for (let iter = 0; iter < 20000; iter++) {
    const a = gen();
    const b = gen();
    const A = BigInt(a);
    const B = BigInt(b);
    const msg = `seed=${seed} iter=${iter} a=${a} b=${b}`;
    assert.equal(run(() => int4Add(a, b)), o(A + B), msg);
    assert.equal(run(() => int4Mul(a, b)), o(A * B), msg);
    assert.equal(run(() => int4Div(a, b)), b === 0 ? 'division by zero' : o(A / B), msg);
    assert.equal(run(() => int4Mod(a, b)), b === 0 ? 'division by zero' : o(A % B), msg);
  }
});
