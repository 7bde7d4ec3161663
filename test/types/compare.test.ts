import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Types, arrayOf } from '../../src/types/sql-type.ts';
import { comparatorFor, compositeKeyFor, equalsFor, hashKeyFor } from '../../src/types/compare.ts';
import { parseNumeric } from '../../src/types/numeric.ts';
import { INT8_MAX, INT8_MIN } from '../../src/types/int.ts';
import { inputFunction } from '../../src/types/text-io.ts';
import { defaultTypeContext as ctx } from '../../src/types/context.ts';

test('comparators follow PostgreSQL ordering', () => {
  const f8 = comparatorFor(Types.float8);
  const sorted = [NaN, 1, -Infinity, Infinity, -0, 0.5].sort(f8);
  assert.deepEqual(sorted.map(String), ['-Infinity', '0', '0.5', '1', 'Infinity', 'NaN']);
  assert.equal(f8(NaN, NaN), 0);
  const i8 = comparatorFor(Types.int8);
  assert.deepEqual([INT8_MAX, 3, INT8_MIN, -5].sort(i8), [INT8_MIN, -5, 3, INT8_MAX]);
  const num = comparatorFor(Types.numeric);
  assert.equal(num(parseNumeric('1.0'), parseNumeric('1.00')), 0);
  assert.equal(num(parseNumeric('NaN'), parseNumeric('Infinity')), 1);
  assert.equal(comparatorFor(Types.bpchar)('a', 'a   '), 0);
  assert.equal(comparatorFor(Types.text)('a', 'a '), -1);
  assert.equal(comparatorFor(Types.bool)(false, true), -1);
  assert.throws(() => comparatorFor(Types.json), /could not identify an ordering operator for type json/);
});

test('equality and hash keys agree', () => {
  assert.ok(equalsFor(Types.float8)(NaN, NaN));
  assert.ok(equalsFor(Types.float8)(-0, 0));
  assert.equal(hashKeyFor(Types.float8)(-0), hashKeyFor(Types.float8)(0));
  assert.equal(hashKeyFor(Types.numeric)(parseNumeric('1.0')), hashKeyFor(Types.numeric)(parseNumeric('1.00')));
  assert.equal(hashKeyFor(Types.bpchar)('a  '), hashKeyFor(Types.bpchar)('a'));
  const m = new Map<unknown, number>();
  m.set(hashKeyFor(Types.float8)(NaN), 1);
  assert.equal(m.get(hashKeyFor(Types.float8)(NaN)), 1);
});

test('composite keys do not collide', () => {
  const k = compositeKeyFor([Types.text, Types.text]);
  assert.notEqual(k(['a;', 'b']), k(['a', ';b']));
  assert.notEqual(k(['ab', 'c']), k(['a', 'bc']));
  assert.notEqual(k([null, 'x']), k(['', 'x']));
  assert.equal(k([null, 'x']), k([null, 'x']));
  const k2 = compositeKeyFor([Types.int4, Types.numeric, Types.bpchar]);
  assert.equal(k2([1, parseNumeric('2.0'), 'x ']), k2([1, parseNumeric('2'), 'x']));
  assert.notEqual(k2([1, parseNumeric('2'), 'x']), k2([12, parseNumeric('2'), 'x']));
  const single = compositeKeyFor([Types.int4]);
  assert.equal(single([7]), 7);
  assert.equal(single([null]), null);
  const byCol = compositeKeyFor([Types.int4], [2]);
  assert.equal(byCol(['x', 'y', 9]), 9);
});

test('arrays compare elementwise and hash by value', () => {
  const t = arrayOf(Types.numeric);
  const parse = inputFunction(t);
  const a = parse('{1.0,2}', ctx);
  const b = parse('{1.00,2}', ctx);
  const c = parse('{1,3}', ctx);
  assert.equal(comparatorFor(t)(a, b), 0);
  assert.ok(comparatorFor(t)(a, c) < 0);
  assert.equal(hashKeyFor(t)(a), hashKeyFor(t)(b));
  assert.notEqual(hashKeyFor(t)(a), hashKeyFor(t)(c));
});
