/**
 * Operators registered by registerCore, called through a FunctionRegistry the way the executor
 * does (overload picked by argument types). Expected values are PostgreSQL 15's results.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, returnType, throwsState } from './harness.ts';
import { Types } from '../../src/types/sql-type.ts';
import { parseNumeric, formatNumeric, type NumericValue } from '../../src/types/numeric.ts';

const { int2, int4, int8, float4, float8, numeric, text, bool, bytea } = Types;
const num = (s: string): NumericValue => parseNumeric(s);
const numOp = (op: string, a: string, b: string): string =>
  formatNumeric(call(op, [numeric, numeric], num(a), num(b)) as NumericValue);

test('integer arithmetic: results, result types, truncating division', () => {
  assert.equal(call('+', [int4, int4], 2, 3), 5);
  assert.equal(call('/', [int4, int4], 7, 2), 3);
  assert.equal(call('/', [int4, int4], -7, 2), -3);
  assert.equal(call('%', [int4, int4], -7, 2), -1);
  assert.equal(call('-', [int2, int2], 5, 7), -2);
  assert.equal(returnType('+', [int2, int4]), int4);
  assert.equal(returnType('*', [int4, int8]), int8);
  assert.equal(returnType('/', [int8, int2]), int8);
  assert.equal(returnType('+', [int2, int2]), int2);
  assert.equal(call('*', [int2, int4], 300, 300), 90000);
  assert.equal(call('+', [int8, int8], 9007199254740991, 1), 9007199254740992n);
});

test('integer overflow and division by zero', () => {
  throwsState(() => call('+', [int4, int4], 2147483647, 1), '22003', 'integer out of range');
  throwsState(() => call('*', [int2, int2], 300, 300), '22003', 'smallint out of range');
  throwsState(() => call('-', [int8], -9223372036854775808n), '22003', 'bigint out of range');
  throwsState(() => call('/', [int4, int4], -2147483648, -1), '22003', 'integer out of range');
  throwsState(() => call('/', [int4, int4], 1, 0), '22012', 'division by zero');
  throwsState(() => call('%', [int8, int8], 1, 0), '22012', 'division by zero');
});

test('unary operators and abs', () => {
  assert.equal(call('-', [int4], 5), -5);
  assert.equal(call('+', [int4], 5), 5);
  assert.equal(call('@', [int4], -5), 5);
  assert.equal(call('@', [float8], -2.5), 2.5);
  assert.equal(formatNumeric(call('-', [numeric], num('1.50')) as NumericValue), '-1.50');
  throwsState(() => call('@', [int2], -32768), '22003', 'smallint out of range');
});

test('bitwise operators', () => {
  assert.equal(call('&', [int4, int4], 5, 3), 1);
  assert.equal(call('|', [int4, int4], 5, 3), 7);
  assert.equal(call('#', [int4, int4], 5, 3), 6);
  assert.equal(call('~', [int4], 5), -6);
  assert.equal(call('<<', [int4, int4], 1, 4), 16);
  assert.equal(call('>>', [int4, int4], -16, 2), -4);
  assert.equal(call('<<', [int8, int4], 1, 40), 1099511627776);
  assert.equal(call('&', [int2, int2], 12, 10), 8);
});

test('float arithmetic with PostgreSQL overflow/underflow checks', () => {
  assert.equal(call('+', [float8, float8], 0.1, 0.2), 0.30000000000000004);
  assert.equal(returnType('+', [float4, float8]), float8);
  assert.equal(returnType('*', [float4, float4]), float4);
  throwsState(() => call('*', [float8, float8], 1e308, 10), '22003', 'value out of range: overflow');
  throwsState(() => call('*', [float8, float8], 1e-308, 1e-308), '22003', 'value out of range: underflow');
  throwsState(() => call('/', [float8, float8], 1, 0), '22012', 'division by zero');
  assert.ok(Number.isNaN(call('/', [float8, float8], NaN, 0)));
  assert.equal(call('+', [float8, float8], Infinity, 1), Infinity);
});

test('numeric arithmetic keeps display scale', () => {
  assert.equal(numOp('+', '1.50', '2.5'), '4.00');
  assert.equal(numOp('*', '1.5', '2.25'), '3.375');
  assert.equal(numOp('/', '1', '3'), '0.33333333333333333333');
  assert.equal(numOp('/', '10', '4'), '2.5000000000000000');
  assert.equal(numOp('%', '10', '3'), '1');
  throwsState(() => numOp('/', '1', '0'), '22012', 'division by zero');
});

test('power, square root and cube root operators', () => {
  assert.equal(call('^', [float8, float8], 2, 10), 1024);
  assert.equal(call('^', [float8, float8], 1, Infinity), 1);
  assert.equal(call('^', [float8, float8], NaN, 0), 1);
  throwsState(() => call('^', [float8, float8], 0, -1), '2201F', 'zero raised to a negative power is undefined');
  throwsState(() => call('^', [float8, float8], -8, 1 / 3), '2201F',
    'a negative number raised to a non-integer power yields a complex result');
  assert.equal(numOp('^', '9', '0.5'), '3.0000000000000000');
  assert.equal(call('|/', [float8], 25), 5);
  assert.equal(call('||/', [float8], 27), 3);
  throwsState(() => call('|/', [float8], -1), '2201F', 'cannot take square root of a negative number');
});

test('text concatenation, including non-text operands via output functions', () => {
  assert.equal(call('||', [text, text], 'Post', 'greSQL'), 'PostgreSQL');
  assert.equal(call('||', [text, int4], 'Value: ', 42), 'Value: 42');
  assert.equal(call('||', [numeric, text], num('1.50'), ' EUR'), '1.50 EUR');
  assert.equal(call('||', [bool, text], true, '!'), 'true!');
  assert.equal(call('||', [text, float8], 'x=', 0.1), 'x=0.1');
  assert.equal(call('||', [Types.bpchar, text], 'ab  ', '|'), 'ab|');
  assert.equal(call('||', [text, text], 'a', null), null);
  assert.deepEqual(call('||', [bytea, bytea], Uint8Array.of(1, 2), Uint8Array.of(3)), Uint8Array.of(1, 2, 3));
});

test('LIKE and ILIKE', () => {
  const like = (s: string, p: string): unknown => call('~~', [text, text], s, p);
  assert.equal(like('abc', 'abc'), true);
  assert.equal(like('abc', 'a%'), true);
  assert.equal(like('abc', '_b_'), true);
  assert.equal(like('abc', 'c'), false);
  assert.equal(like('abc', '%b%'), true);
  assert.equal(like('abc', '%c'), true);
  assert.equal(like('abcabc', 'a%c%c'), true);
  assert.equal(like('abc', 'a%b%b'), false);
  assert.equal(like('aa', 'a%a'), true);
  assert.equal(like('a', 'a%a'), false);
  assert.equal(like('a%c', 'a\\%c'), true);
  assert.equal(like('abc', 'a\\%c'), false);
  assert.equal(like('a_c', 'a\\_c'), true);
  assert.equal(like('a\nb', 'a%b'), true);
  assert.equal(like('a\nb', 'a_b'), true);
  assert.equal(like('日本', '_本'), true);
  assert.equal(like('x.y', 'x.y'), true);
  assert.equal(like('xzy', 'x.y'), false);
  assert.equal(call('!~~', [text, text], 'abc', 'abd'), true);
  assert.equal(call('~~*', [text, text], 'ABC', 'a%'), true);
  assert.equal(call('!~~*', [text, text], 'ABC', 'a%'), false);
  throwsState(() => like('abc', 'ab\\'), '22025', 'LIKE pattern must not end with escape character');
});

test('like_escape rewrites a custom escape into backslash form', () => {
  assert.equal(call('like_escape', [text, text], 'a#%', '#'), 'a\\%');
  assert.equal(call('like_escape', [text, text], 'a\\b', ''), 'a\\\\b');
  const pattern = call('like_escape', [text, text], '10#%%', '#') as string;
  assert.equal(call('~~', [text, text], '10% off', pattern), true);
  assert.equal(call('~~', [text, text], '100 off', pattern), false);
  throwsState(() => call('like_escape', [text, text], 'a', 'ab'), '22025', 'invalid escape string');
});

test('POSIX regular expression operators', () => {
  const re = (s: string, p: string): unknown => call('~', [text, text], s, p);
  assert.equal(re('abc', '^a'), true);
  assert.equal(re('abc', '^b'), false);
  assert.equal(call('~*', [text, text], 'ABC', 'abc'), true);
  assert.equal(call('!~', [text, text], 'abc', 'x'), true);
  assert.equal(call('!~*', [text, text], 'ABC', 'b'), false);
  assert.equal(re('foo bar', '\\mbar'), true);
  assert.equal(re('foobar', '\\mbar'), false);
  assert.equal(re('abc123', '^[[:alpha:]]+[[:digit:]]+$'), true);
  assert.equal(re('a\nb', 'a.b'), true);
  assert.equal(re('a]b', '[]]'), true);
  assert.equal(re('abab', '^(ab)\\1$'), true);
  assert.equal(re('x{y', 'x{y'), true);
  throwsState(() => re('a', '('), '2201B', 'invalid regular expression: parentheses () not balanced');
  throwsState(() => re('a', '[a'), '2201B', 'invalid regular expression: brackets [] not balanced');
});

test('SIMILAR TO via similar_to_escape', () => {
  const sim = (s: string, p: string, e?: string): unknown => call('~', [text, text], s,
    e === undefined ? call('similar_to_escape', [text], p) : call('similar_to_escape', [text, text], p, e));
  assert.equal(call('similar_to_escape', [text], 'a%b_'), '^(?:a.*b.)$');
  assert.equal(sim('abc', 'abc'), true);
  assert.equal(sim('abc', 'a'), false);
  assert.equal(sim('abc', '%(b|d)%'), true);
  assert.equal(sim('abc', '(b|c)%'), false);
  assert.equal(sim('a.c', 'a.c'), true);
  assert.equal(sim('abc', 'a.c'), false);
  assert.equal(sim('a%', 'a#%', '#'), true);
  assert.equal(sim('ab', 'a#%', '#'), false);
});
