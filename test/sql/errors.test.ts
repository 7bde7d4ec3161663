import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Limits } from '../../src/limits.ts';
import { parse, parseExpression, parseOne, throwsDb } from './helpers.ts';

test('syntax errors carry 1-based positions of the offending token', () => {
  throwsDb(() => parse('SELEC 1'), '42601', 1, 'syntax error at or near "SELEC"');
  throwsDb(() => parse('SELECT a FROM t WHERE'), '42601', 22, 'syntax error at end of input');
  throwsDb(() => parse('SELECT 1 +'), '42601', 11, 'syntax error at end of input');
  throwsDb(() => parse('SELECT a b c FROM t'), '42601', 12, 'syntax error at or near "c"');
  throwsDb(() => parse('SELECT * FROM t WHERE a = = 1'), '42601', 27,
    'syntax error at or near "="');
  throwsDb(() => parse('SELECT (1'), '42601', 10, 'syntax error at end of input');
  throwsDb(() => parse('SELECT 1 FROM t LIMIT 1, 2'), '42601', 24, 'syntax error at or near ","');
  throwsDb(() => parse("SELECT 1; SELEKT 'x'"), '42601', 11, 'syntax error at or near "SELEKT"');
  throwsDb(() => parse('SELECT a < b < c'), '42601', 14, 'syntax error at or near "<"');
  throwsDb(() => parse('CREATE TABLE t (a int,)'), '42601', 23, 'syntax error at or near ")"');
  throwsDb(() => parse('SELECT select'), '42601', 8);
  throwsDb(() => parse('SELECT left FROM t'), '42601', 8);
  throwsDb(() => parse('SELECT 1 SELECT 2'), '42601', 10);
});

test('lexer errors surface through parse', () => {
  throwsDb(() => parse("SELECT 'abc"), '42601', 8, `unterminated quoted string at or near "'abc"`);
  throwsDb(() => parse('SELECT 1 /* open'), '42601', 10);
});

test('parseOne and parseExpression require exactly one item', () => {
  throwsDb(() => parseOne('SELECT 1; SELECT 2'), '42601', 11);
  throwsDb(() => parseOne(''), '42601', 1, 'syntax error at end of input');
  assert.equal(parseOne('SELECT 1;').kind, 'Select');
  throwsDb(() => parseExpression('a b'), '42601', 3, 'syntax error at or near "b"');
  assert.equal(parseExpression('a + 1').kind, 'BinaryOp');
});

test('expression nesting beyond the limit is statement_too_complex', () => {
  const depth = Limits.expressionDepthMax + 10;
  const sql = `SELECT ${'('.repeat(depth)}1${')'.repeat(depth)}`;
  const e = throwsDb(() => parse(sql), '54001');
  assert.ok(e.position !== undefined && e.position > 0);
  throwsDb(() => parse(`SELECT ${'- '.repeat(depth)}1`), '54001');
  throwsDb(() => parse(`SELECT ${'NOT '.repeat(depth)}true`), '54001');
  throwsDb(() => parse(`SELECT ARRAY${'['.repeat(depth)}1${']'.repeat(depth)}`), '54001');
  // Long flat chains are not nesting.
  assert.equal(parse(`SELECT ${Array.from({ length: 5000 }, (_, i) => `a${i}`).join(' + ')}`)
    .length, 1);
  assert.equal(parse(`SELECT 1 WHERE ${Array.from({ length: 5000 }, () => 'a').join(' AND ')}`)
    .length, 1);
  const ok = Math.floor(Limits.expressionDepthMax / 3);
  assert.equal(parse(`SELECT ${'('.repeat(ok)}1${')'.repeat(ok)}`).length, 1);
});

test('query nesting beyond the limit is statement_too_complex', () => {
  const depth = Limits.queryDepthMax + 5;
  const sql = 'SELECT * FROM '.repeat(depth).replaceAll('FROM ', 'FROM (') + 'SELECT 1' +
    ') s'.repeat(depth);
  throwsDb(() => parse(sql), '54001');
  const nested = `SELECT ${'(SELECT '.repeat(depth)}1${')'.repeat(depth)}`;
  throwsDb(() => parse(nested), '54001');
});

test('errors have SQLSTATE and are DbError instances', () => {
  const e = throwsDb(() => parse('DROP NOTHING x'), '42601', 6);
  assert.equal(e.sqlstate, '42601');
});

test('stack exhaustion from deep nesting is reported as 54001, not a RangeError', () => {
  const depth = 5000;
  throwsDb(() => parse(`SELECT ${'f('.repeat(depth)}1${')'.repeat(depth)}`), '54001');
  throwsDb(() => parse(`SELECT * FROM ${'('.repeat(50_000)}a JOIN b ON true${')'.repeat(50_000)}`),
    '54001');
});
