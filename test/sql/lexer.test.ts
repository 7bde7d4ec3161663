import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lex, Tok, tokenize, TokenStream } from '../../src/sql/index.ts';
import { throwsDb } from './helpers.ts';

const kinds = (sql: string): string[] =>
  tokenize(sql).slice(0, -1).map((t) => `${t.type}:${t.value}`);
const values = (sql: string): string[] => tokenize(sql).slice(0, -1).map((t) => t.value);

test('identifiers fold to lower case; quoted ones are kept with "" escapes', () => {
  const toks = tokenize('SELECT FooBar, "FooBar", "a""b", _x$1, café');
  assert.deepEqual(toks.map((t) => t.type), [Tok.Ident, Tok.Ident, Tok.Punct, Tok.QIdent,
    Tok.Punct, Tok.QIdent, Tok.Punct, Tok.Ident, Tok.Punct, Tok.Ident, Tok.EOF]);
  assert.deepEqual(values('SELECT FooBar, "FooBar", "a""b", _x$1, café'),
    ['select', 'foobar', ',', 'FooBar', ',', 'a"b', ',', '_x$1', ',', 'café']);
});

test('identifiers are truncated to 63 bytes', () => {
  const long = 'a'.repeat(70);
  assert.equal(values(long)[0], 'a'.repeat(63));
  assert.equal(values(`"${'é'.repeat(40)}"`)[0], 'é'.repeat(31));
});

test('string constants: doubled quotes, continuation across newlines, no join on one line', () => {
  assert.deepEqual(kinds("'it''s'"), [`${Tok.String}:it's`]);
  assert.deepEqual(values("'a'\n  'b'\n -- c\n 'c'"), ['abc']);
  assert.deepEqual(values("'a' -- c\n 'b'"), ['a', 'b']);
  assert.deepEqual(values("'a' 'b'"), ['a', 'b']);
});

test('escape strings', () => {
  assert.equal(values(String.raw`E'a\nb\t\\\'\x41\101\u00e9\U0001F600z'`)[0],
    "a\nb\t\\'AAé😀z");
  assert.equal(values(String.raw`e'\q'`)[0], 'q');
});

test('unicode strings and identifiers', () => {
  assert.equal(values(String.raw`U&'d\0061t\+000061'`)[0], 'data');
  assert.equal(values(`U&'d!0061t' UESCAPE '!'`)[0], 'dat');
  assert.equal(values(String.raw`U&"\0041b"`)[0], 'Ab');
});

test('dollar quoting', () => {
  assert.deepEqual(kinds('$$a $b$ \'x\'$$'), [`${Tok.String}:a $b$ 'x'`]);
  assert.deepEqual(values('$fn$ select $$x$$ $fn$'), [' select $$x$$ ']);
  assert.deepEqual(kinds('$1 $23'), [`${Tok.Param}:1`, `${Tok.Param}:23`]);
  assert.deepEqual(values('a$b'), ['a$b']);
});

test('bit strings', () => {
  assert.deepEqual(kinds("B'0101' X'1F'"), [`${Tok.BitString}:0101`,
    `${Tok.BitString}:00011111`]);
  throwsDb(() => tokenize("B'012'"), '42601', 1, '"2" is not a valid binary digit');
});

test('numbers', () => {
  assert.deepEqual(kinds('123 1.5 .5 1e10 1.5E-3 1_000_000 0x1F 0o17 0b101 5.'), [
    `${Tok.Integer}:123`, `${Tok.Numeric}:1.5`, `${Tok.Numeric}:.5`, `${Tok.Numeric}:1e10`,
    `${Tok.Numeric}:1.5E-3`, `${Tok.Integer}:1000000`, `${Tok.Integer}:31`, `${Tok.Integer}:15`,
    `${Tok.Integer}:5`, `${Tok.Numeric}:5.`,
  ]);
  assert.deepEqual(values('1..10'), ['1', '..', '10']);
  assert.deepEqual(values('0xFFFFFFFFFFFFFFFF'), ['18446744073709551615']);
  throwsDb(() => tokenize('SELECT 123abc'), '42601', 8,
    'trailing junk after numeric literal at or near "123a"');
});

test('comments, including nested block comments', () => {
  assert.deepEqual(values('a -- x\n b /* c /* d */ e */ f'), ['a', 'b', 'f']);
  assert.deepEqual(values('a--b'), ['a']);
});

test('operators follow scan.l: trailing +/- split off unless non-SQL chars present', () => {
  assert.deepEqual(values('a<-b'), ['a', '<', '-', 'b']);
  assert.deepEqual(values('a=-1'), ['a', '=', '-', '1']);
  assert.deepEqual(values('a>=-1'), ['a', '>=', '-', '1']);
  assert.deepEqual(values('a@-b'), ['a', '@-', 'b']);
  assert.deepEqual(values('a!=b'), ['a', '<>', 'b']);
  assert.deepEqual(values('j->>\'k\''), ['j', '->>', 'k']);
  assert.deepEqual(values('a*/*c*/b'), ['a', '*', 'b']);
  assert.deepEqual(values('a||b'), ['a', '||', 'b']);
  assert.deepEqual(values('a ?| b'), ['a', '?|', 'b']);
});

test('punctuation', () => {
  assert.deepEqual(kinds('a::int := x => [1:2] .. ;'), [
    `${Tok.Ident}:a`, `${Tok.Punct}:${'::'}`, `${Tok.Ident}:int`,
    `${Tok.Punct}:${':='}`, `${Tok.Ident}:x`, `${Tok.Op}:=>`, `${Tok.Punct}:[`, `${Tok.Integer}:1`,
    `${Tok.Punct}:${':'}`, `${Tok.Integer}:2`, `${Tok.Punct}:]`, `${Tok.Punct}:..`, `${Tok.Punct}:;`,
  ]);
});

test('token positions are 0-based offsets', () => {
  const toks = tokenize("SELECT  'ab',\n  x");
  assert.deepEqual(toks.map((t) => [t.start, t.end]), [[0, 6], [8, 12], [12, 13], [16, 17],
    [17, 17]]);
});

test('unterminated literals report PostgreSQL messages', () => {
  throwsDb(() => tokenize("SELECT 'abc"), '42601', 8,
    `unterminated quoted string at or near "'abc"`);
  throwsDb(() => tokenize('SELECT "abc'), '42601', 8,
    'unterminated quoted identifier at or near ""abc"');
  throwsDb(() => tokenize('SELECT 1 /* x /* y */'), '42601', 10,
    'unterminated /* comment at or near "/* x /* y */"');
  throwsDb(() => tokenize('SELECT $$abc'), '42601', 8,
    'unterminated dollar-quoted string at or near "$$abc"');
  throwsDb(() => tokenize('SELECT ""'), '42601', 8, 'zero-length delimited identifier at or near """"');
});

test('lexes a large INSERT completely, with exact offsets at its end', () => {
  // Speed is measured in bench/, not here; this checks that a 50,000-row statement lexes in full.
  const rows: string[] = [];
  for (let i = 0; i < 50_000; i++) rows.push(`(${i}, 'name ${i}', ${i}.5, NULL, TRUE)`);
  const sql = `INSERT INTO t VALUES ${rows.join(',\n')}`;
  const toks = lex(sql);
  assert.equal(toks.count, 4 + 50_000 * 12);
  const lastParen = toks.count - 2; // the last token is the end marker
  assert.equal(toks.starts[lastParen], sql.length - 1);
  // Values stay indexed like the typed arrays past the growth points.
  assert.equal(toks.values[lastParen - 1], 'true');
  assert.equal(toks.values[4 + 25_000 * 12 + 3], 'name 25000');
});

test('a released stream is reused by the next long script, emptied and with its strings dropped', () => {
  const script = (tag: string, n: number): string =>
    Array.from({ length: n }, (_, i) => `INSERT INTO ${tag} VALUES (${i}, '${tag} ${i}');`).join('\n');
  const a = lex(script('first', 2000));
  const countA = a.count;
  TokenStream.release(a);
  assert.equal(a.count, 0);
  assert.ok(a.values.slice(0, countA).every((v) => v === ''), 'no value of the old script is kept');
  // A shorter long script takes the spare: same arrays, its own tokens, exact offsets.
  const sql = script('second', 1500);
  const b = lex(sql);
  assert.equal(b, a);
  assert.equal(b.count, 1500 * 10 + 1);
  assert.equal(b.values[2], 'second');
  assert.equal(b.values[b.count - 4], 'second 1499');
  assert.equal(b.starts[b.count - 1], sql.length);
  // While it is in use nobody else gets it; a longer script than the spare holds gets new arrays.
  assert.notEqual(lex(script('third', 1500)), b);
  TokenStream.release(b);
  assert.notEqual(lex(script('fourth', 5000)), b);
  // Short texts never take it.
  assert.notEqual(lex('SELECT 1'), b);
});

test('identifiers lexed again by spelling keep their own values (hash collisions included)', () => {
  // "Aa" and "BB" hash alike (31·65 + 97 = 31·66 + 66): they share a cache entry in turn.
  const long = 'x'.repeat(70);
  const sql = `Aa BB Aa bb aa FOO foo Fo twelve_chars THIRTEEN_CHAR Aa BB ${long} ${long}`;
  const values = tokenize(sql).filter((t) => t.type === Tok.Ident).map((t) => t.value);
  assert.deepEqual(values, ['aa', 'bb', 'aa', 'bb', 'aa', 'foo', 'foo', 'fo', 'twelve_chars', 'thirteen_char', 'aa', 'bb',
    'x'.repeat(63), 'x'.repeat(63)]);
  // Starts and ends still come from the text, not the cache.
  const aa = tokenize('aa  Aa').filter((t) => t.type === Tok.Ident);
  assert.deepEqual(aa.map((t) => [t.start, t.end]), [[0, 2], [4, 6]]);
});
