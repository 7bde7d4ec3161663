import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorPositionLines, formatError } from '../../src/cli/error-format.ts';
import { DbError } from '../../src/errors/index.ts';

test('psql layout: ERROR with SQLSTATE, LINE, caret under the position', () => {
  const sql = 'select * FORM t';
  const e = new DbError('syntax_error', 'syntax error at or near "FORM"', { position: 10 });
  assert.equal(formatError(e, { statement: sql }), [
    'ERROR:  42601: syntax error at or near "FORM"',
    'LINE 1: select * FORM t',
    '                 ^',
    '',
  ].join('\n'));
});

test('the LINE is the statement line holding the position, numbered from 1', () => {
  const sql = 'select a,\n       b\n  from nowhere';
  const pos = sql.indexOf('nowhere') + 1;
  assert.equal(errorPositionLines(sql, pos), 'LINE 3:   from nowhere\n               ^\n');
});

test('DETAIL, HINT and CONTEXT follow, and scripts get a file:line prefix', () => {
  const e = new DbError('unique_violation', 'duplicate key value violates unique constraint "t_pkey"', {
    detail: 'Key (id)=(1) already exists.', hint: 'Pick another id.', where: 'SQL function "f"',
  });
  assert.equal(formatError(e, { statement: 'insert into t values (1)', prefix: 'oxibase:setup.sql:3: ' }), [
    'oxibase:setup.sql:3: ERROR:  23505: duplicate key value violates unique constraint "t_pkey"',
    'DETAIL:  Key (id)=(1) already exists.',
    'HINT:  Pick another id.',
    'CONTEXT:  SQL function "f"',
    '',
  ].join('\n'));
});

test('position at end of input puts the caret after the text', () => {
  assert.equal(errorPositionLines('select (1', 10), 'LINE 1: select (1\n                 ^\n');
});

test('long lines are cut around the caret with ...', () => {
  const sql = `select ${'x, '.repeat(40)}FORM t`;
  const pos = sql.indexOf('FORM') + 1;
  const [line = '', caret = ''] = errorPositionLines(sql, pos).split('\n');
  assert.ok(line.startsWith('LINE 1: ...'), line);
  assert.ok(line.endsWith('FORM t'), line);
  assert.equal(line.charAt(caret.length - 1), 'F');
  assert.ok(line.length - 'LINE 1: '.length <= 63);
});

test('long lines with an early error are cut on the right', () => {
  const sql = `selec ${'y, '.repeat(40)}`;
  const [line = '', caret = ''] = errorPositionLines(sql, 1).split('\n');
  assert.ok(line.endsWith('...'));
  assert.equal(caret, '        ^');
});

test('non-ASCII before the position keeps the caret aligned (UTF-16 positions)', () => {
  const sql = "select '日本😀' FORM";
  const pos = sql.indexOf('FORM') + 1;
  const [line = '', caret = ''] = errorPositionLines(sql, pos).split('\n');
  assert.equal(line, "LINE 1: select '日本😀' FORM");
  // 日, 本 and 😀 are two columns each.
  assert.equal(caret.length, 'LINE 1: '.length + "select '".length + 6 + "' ".length + 1);
});

test('anything thrown prints: foreign errors with code, plain Errors as internal', () => {
  assert.equal(formatError({ code: '22012', message: 'division by zero', severity: 'ERROR' }),
    'ERROR:  22012: division by zero\n');
  assert.equal(formatError(new TypeError('x is undefined')), 'ERROR:  XX000: internal error: x is undefined\n');
  assert.equal(formatError('boom'), 'ERROR:  XX000: internal error: boom\n');
});
