import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DbError } from '../../src/errors/index.ts';
import { boolCompare, formatBool, parseBool, tryParseBool } from '../../src/types/bool.ts';

test('boolean input accepts PostgreSQL spellings', () => {
  for (const s of ['t', 'true', 'TRUE', ' yes ', 'y', 'on', '1', 'tr', 'ye']) assert.equal(parseBool(s), true, s);
  for (const s of ['f', 'false', 'No', 'n', 'off', 'of', '0', ' fa\n']) assert.equal(parseBool(s), false, s);
  for (const s of ['o', 'x', '', '2', '00', 'truex', 'yess', 'onn']) assert.equal(tryParseBool(s), undefined, s);
  assert.throws(() => parseBool('x'), (e: unknown) => e instanceof DbError && e.code === '22P02' &&
    e.message === 'invalid input syntax for type boolean: "x"');
});

test('boolean output and order', () => {
  assert.equal(formatBool(true), 't');
  assert.equal(formatBool(false), 'f');
  assert.equal(boolCompare(false, true), -1);
  assert.equal(boolCompare(true, true), 0);
});
