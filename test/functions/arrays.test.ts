/**
 * Array functions and operators registered by registerCore; expected values are PostgreSQL 15's.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, throwsState } from './harness.ts';
import { Types, arrayOf } from '../../src/types/sql-type.ts';
import { SqlArray } from '../../src/types/array.ts';

const { int4, text } = Types;
const ia = arrayOf(int4);
const ta = arrayOf(text);
const arr = (...xs: unknown[]): SqlArray => new SqlArray(xs);
const shape = (v: unknown): [unknown[], number[], number[]] => {
  const a = v as SqlArray;
  return [a.elems, a.dims, a.lbounds];
};

test('array shape functions', () => {
  const m = new SqlArray([1, 2, 3, 4, 5, 6], [2, 3], [1, 1]);
  assert.equal(call('array_length', [ia, int4], arr(1, 2, 3), 1), 3);
  assert.equal(call('array_length', [ia, int4], arr(1, 2, 3), 2), null);
  assert.equal(call('array_length', [ia, int4], arr(), 1), null);
  const shifted = new SqlArray([1, 2, 3], [3], [0]);
  assert.equal(call('array_lower', [ia, int4], shifted, 1), 0);
  assert.equal(call('array_upper', [ia, int4], shifted, 1), 2);
  assert.equal(call('array_ndims', [ia], m), 2);
  assert.equal(call('array_ndims', [ia], arr()), null);
  assert.equal(call('array_dims', [ia], m), '[1:2][1:3]');
  assert.equal(call('cardinality', [ia], m), 6);
  assert.equal(call('cardinality', [ia], arr()), 0);
});

test('array_append / array_prepend / array_cat and the || operators', () => {
  assert.deepEqual(shape(call('array_append', [ia, int4], arr(1, 2), 3)), [[1, 2, 3], [3], [1]]);
  assert.deepEqual(shape(call('array_append', [ia, int4], null, 3)), [[3], [1], [1]]);
  assert.deepEqual(shape(call('array_prepend', [int4, ia], 1, arr(2, 3))), [[1, 2, 3], [3], [1]]);
  assert.deepEqual(shape(call('array_cat', [ia, ia], arr(1, 2), arr(3, 4))), [[1, 2, 3, 4], [4], [1]]);
  assert.deepEqual(shape(call('array_cat', [ia, ia], null, arr(3))), [[3], [1], [1]]);
  assert.equal(call('array_cat', [ia, ia], null, null), null);
  const m = new SqlArray([1, 2, 3, 4], [2, 2], [1, 1]);
  assert.deepEqual(shape(call('||', [ia, ia], m, arr(5, 6))), [[1, 2, 3, 4, 5, 6], [3, 2], [1, 1]]);
  assert.deepEqual(shape(call('||', [ia, int4], arr(1), 2)), [[1, 2], [2], [1]]);
  assert.deepEqual(shape(call('||', [int4, ia], 0, arr(1))), [[0, 1], [2], [1]]);
  assert.deepEqual(shape(call('||', [ia, int4], arr(1), null)), [[1, null], [2], [1]]);
  throwsState(() => call('||', [ia, ia], m, arr(1, 2, 3)), '2202E', 'cannot concatenate incompatible arrays');
  throwsState(() => call('array_append', [ia, int4], m, 1), '22000', 'argument must be empty or one-dimensional array');
});

test('array_position(s), array_remove, array_replace', () => {
  assert.equal(call('array_position', [ta, text], arr('sun', 'mon', 'tue'), 'mon'), 2);
  assert.equal(call('array_position', [ta, text], arr('sun', 'mon'), 'x'), null);
  assert.equal(call('array_position', [ia, int4, int4], arr(1, 2, 1), 1, 2), 3);
  assert.equal(call('array_position', [ia, int4], arr(1, null), null), 2);
  assert.deepEqual(shape(call('array_positions', [ta, text], arr('A', 'A', 'B', 'A'), 'A'))[0], [1, 2, 4]);
  assert.deepEqual(shape(call('array_remove', [ia, int4], arr(1, 2, 3, 2), 2))[0], [1, 3]);
  assert.deepEqual(shape(call('array_remove', [ia, int4], arr(1, null), null))[0], [1]);
  assert.deepEqual(shape(call('array_replace', [ia, int4, int4], arr(1, 2, 5, 4), 5, 3))[0], [1, 2, 3, 4]);
  throwsState(() => call('array_remove', [ia, int4], new SqlArray([1, 2], [1, 2], [1, 1]), 1), '0A000');
});

test('array_fill and trim_array', () => {
  assert.deepEqual(shape(call('array_fill', [int4, ia, ia], 7, arr(3), arr(2))), [[7, 7, 7], [3], [2]]);
  assert.deepEqual(shape(call('array_fill', [int4, ia], 0, arr(2, 2))), [[0, 0, 0, 0], [2, 2], [1, 1]]);
  throwsState(() => call('array_fill', [int4, ia], 0, null), '22004');
  assert.deepEqual(shape(call('trim_array', [ia, int4], arr(1, 2, 3, 4, 5, 6), 2)), [[1, 2, 3, 4], [4], [1]]);
  throwsState(() => call('trim_array', [ia, int4], arr(1), 2), '2202E', 'number of elements to trim must be between 0 and 1');
});

test('containment and overlap operators', () => {
  assert.equal(call('@>', [ia, ia], arr(1, 4, 3), arr(3, 1, 3)), true);
  assert.equal(call('@>', [ia, ia], arr(1, 4, 3), arr(2)), false);
  assert.equal(call('<@', [ia, ia], arr(2, 2, 7), arr(1, 7, 4, 2, 6)), true);
  assert.equal(call('&&', [ia, ia], arr(1, 4, 3), arr(2, 1)), true);
  assert.equal(call('&&', [ia, ia], arr(1), arr(2)), false);
  assert.equal(call('@>', [ia, ia], arr(1, null), arr(null)), false);
  assert.equal(call('@>', [ia, ia], arr(1), arr()), true);
  assert.equal(call('@>', [ta, ta], arr('a', 'b'), arr('b')), true);
});
