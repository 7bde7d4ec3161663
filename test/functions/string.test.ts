/**
 * String functions registered by registerCore, called through a FunctionRegistry. Expected
 * values are PostgreSQL 15 results (many straight from its documentation examples).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, ctx, reg, throwsState } from './harness.ts';
import type { TableFunctionDef } from '../../src/functions/registry.ts';
import { Types, arrayOf, type SqlType } from '../../src/types/sql-type.ts';
import { SqlArray } from '../../src/types/array.ts';
import { parseNumeric } from '../../src/types/numeric.ts';

function rows(name: string, types: SqlType[], ...args: unknown[]): unknown[][] {
  const def = reg.lookup(name).find((d): d is TableFunctionDef => d.kind === 'table' && d.args.length === types.length);
  if (def === undefined) throw new Error(`no table function ${name}`);
  return [...def.rows(args, ctx, types)];
}

const { int4, int8, text, bool, bytea, name, float8, numeric } = Types;
const textArr = arrayOf(text);
const T = (f: string, ...args: unknown[]): unknown => call(f, args.map(() => text), ...args);
const elems = (v: unknown): unknown[] => (v as SqlArray).elems;

test('lengths count characters; octet/bit lengths count UTF-8 bytes', () => {
  assert.equal(T('length', 'jose'), 4);
  assert.equal(T('char_length', '日本語'), 3);
  assert.equal(T('character_length', '😀a'), 2);
  assert.equal(T('octet_length', '日本語'), 9);
  assert.equal(T('bit_length', 'jose'), 32);
  assert.equal(call('length', [Types.bpchar], 'ab   '), 2);
  assert.equal(call('length', [bytea], Uint8Array.of(1, 2, 3)), 3);
});

test('case mapping', () => {
  assert.equal(T('lower', 'TOM'), 'tom');
  assert.equal(T('upper', 'tom'), 'TOM');
  assert.equal(T('initcap', 'hi THOMAS'), 'Hi Thomas');
  assert.equal(T('initcap', 'foo-bar baz_qux'), 'Foo-Bar Baz_Qux');
});

test('substring/substr with PostgreSQL start/length semantics', () => {
  assert.equal(call('substr', [text, int4, int4], 'Thomas', 2, 3), 'hom');
  assert.equal(call('substring', [text, int4, int4], 'Thomas', 0, 3), 'Th');
  assert.equal(call('substring', [text, int4, int4], 'Thomas', -1, 3), 'T');
  assert.equal(call('substring', [text, int4, int4], 'Thomas', -5, 3), '');
  assert.equal(call('substring', [text, int4], 'Thomas', 3), 'omas');
  assert.equal(call('substring', [text, int4], 'Thomas', -3), 'Thomas');
  assert.equal(call('substr', [text, int4, int4], '日本語テキスト', 2, 2), '本語');
  throwsState(() => call('substr', [text, int4, int4], 'Thomas', 1, -1), '22000', 'negative substring length not allowed');
  assert.deepEqual(call('substring', [bytea, int4, int4], Uint8Array.of(1, 2, 3, 4), 2, 2), Uint8Array.of(2, 3));
});

test('overlay, position, strpos, replace, translate', () => {
  assert.equal(call('overlay', [text, text, int4, int4], 'Txxxxas', 'hom', 2, 4), 'Thomas');
  assert.equal(call('overlay', [text, text, int4], 'Txxxxas', 'hom', 2), 'Thomxas');
  assert.equal(T('position', 'Thomas', 'om'), 3); // position(haystack, needle), from POSITION('om' IN 'Thomas')
  assert.equal(T('strpos', 'high', 'ig'), 2);
  assert.equal(T('strpos', 'high', 'z'), 0);
  assert.equal(T('strpos', '日本語', '語'), 3);
  assert.equal(T('replace', 'abcdefabcdef', 'cd', 'XX'), 'abXXefabXXef');
  assert.equal(T('replace', 'abc', '', 'X'), 'abc');
  assert.equal(T('translate', '12345', '143', 'ax'), 'a2x5');
});

test('trim, pad, left/right, repeat, reverse', () => {
  assert.equal(T('btrim', 'xyxtrimyyx', 'xyz'), 'trim');
  assert.equal(T('btrim', '  trim  '), 'trim');
  assert.equal(T('ltrim', 'zzzytest', 'xyz'), 'test');
  assert.equal(T('rtrim', 'testxxzx', 'xyz'), 'test');
  assert.equal(call('lpad', [text, int4, text], 'hi', 5, 'xy'), 'xyxhi');
  assert.equal(call('rpad', [text, int4, text], 'hi', 5, 'xy'), 'hixyx');
  assert.equal(call('lpad', [text, int4], 'hello', 2), 'he');
  assert.equal(call('rpad', [text, int4], 'hello', 2), 'he');
  assert.equal(call('lpad', [text, int4], 'hi', -1), '');
  assert.equal(call('lpad', [text, int4, text], 'hi', 5, ''), 'hi');
  assert.equal(call('left', [text, int4], 'abcde', 2), 'ab');
  assert.equal(call('left', [text, int4], 'abcde', -2), 'abc');
  assert.equal(call('right', [text, int4], 'abcde', 2), 'de');
  assert.equal(call('right', [text, int4], 'abcde', -2), 'cde');
  assert.equal(call('repeat', [text, int4], 'Pg', 4), 'PgPgPgPg');
  assert.equal(call('repeat', [text, int4], 'Pg', -1), '');
  assert.equal(T('reverse', 'abcde'), 'edcba');
});

test('split_part, starts_with, ascii, chr', () => {
  assert.equal(call('split_part', [text, text, int4], 'abc~@~def~@~ghi', '~@~', 2), 'def');
  assert.equal(call('split_part', [text, text, int4], 'abc,def,ghi,jkl', ',', -2), 'ghi');
  assert.equal(call('split_part', [text, text, int4], 'abc', ',', 3), '');
  throwsState(() => call('split_part', [text, text, int4], 'a,b', ',', 0), '22023', 'field position must not be zero');
  assert.equal(T('starts_with', 'alphabet', 'alph'), true);
  assert.equal(T('ascii', 'x'), 120);
  assert.equal(T('ascii', ''), 0);
  assert.equal(call('chr', [int4], 65), 'A');
  assert.equal(call('chr', [int4], 0x1f600), '😀');
  throwsState(() => call('chr', [int4], 0), '54000', 'null character not permitted');
});

test('concat and concat_ws skip NULLs and print values with output functions', () => {
  assert.equal(call('concat', [text, int4, text, int4], 'abcde', 2, null, 22), 'abcde222');
  assert.equal(call('concat_ws', [text, text, int4, text, int4], ',', 'abcde', 2, null, 22), 'abcde,2,22');
  assert.equal(call('concat_ws', [text, text], null, 'a'), null);
  assert.equal(call('concat', [bool, numeric], true, parseNumeric('1.50')), 't1.50');
});

test('format()', () => {
  const fmt = (f: string, ...a: unknown[]): unknown => call('format', [text, ...a.map(() => text)], f, ...a);
  assert.equal(fmt('Hello %s, %1$s', 'World'), 'Hello World, World');
  assert.equal(fmt('INSERT INTO %I VALUES(%L)', 'Foo bar', "O'Reilly"), "INSERT INTO \"Foo bar\" VALUES('O''Reilly')");
  assert.equal(fmt('INSERT INTO %I VALUES(%L)', 'locations', 'C:\\Program Files'),
    "INSERT INTO locations VALUES(E'C:\\\\Program Files')");
  assert.equal(fmt('|%10s|', 'foo'), '|       foo|');
  assert.equal(fmt('|%-10s|', 'foo'), '|foo       |');
  assert.equal(call('format', [text, int4, text], '|%*s|', 10, 'foo'), '|       foo|');
  assert.equal(call('format', [text, int4, text], '|%*s|', -10, 'foo'), '|foo       |');
  assert.equal(fmt('Testing %3$s, %2$s, %1$s', 'one', 'two', 'three'), 'Testing three, two, one');
  assert.equal(fmt('%s %%', 'x'), 'x %');
  assert.equal(fmt('%s|%L', null, null), '|NULL');
  throwsState(() => fmt('%z', 'x'), '22023', 'unrecognized format() type specifier "z"');
  throwsState(() => fmt('%s %s', 'a'), '22023', 'too few arguments for format()');
  throwsState(() => fmt('%I', null), '22004', 'null values cannot be formatted as an SQL identifier');
});

test('quote_ident / quote_literal / quote_nullable', () => {
  assert.equal(T('quote_ident', 'Foo bar'), '"Foo bar"');
  assert.equal(T('quote_ident', 'foo'), 'foo');
  assert.equal(T('quote_ident', 'select'), '"select"');
  assert.equal(T('quote_ident', 'a"b'), '"a""b"');
  assert.equal(T('quote_literal', "O'Reilly"), "'O''Reilly'");
  assert.equal(T('quote_literal', 'a\\b'), "E'a\\\\b'");
  assert.equal(call('quote_literal', [int4], 42), "'42'");
  assert.equal(call('quote_nullable', [text], null), 'NULL');
});

test('hashes, encode/decode, convert, to_hex, unistr', () => {
  const enc = new TextEncoder();
  assert.equal(T('md5', 'abc'), '900150983cd24fb0d6963f7d28e17f72');
  const sha = call('sha256', [bytea], enc.encode('abc')) as Uint8Array;
  assert.equal(Buffer.from(sha).toString('hex'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  const bytes = Uint8Array.of(0x31, 0x32, 0x33, 0, 1);
  assert.equal(call('encode', [bytea, text], bytes, 'base64'), 'MTIzAAE=');
  assert.equal(call('encode', [bytea, text], bytes, 'hex'), '3132330001');
  assert.equal(call('encode', [bytea, text], bytes, 'escape'), '123\\000\x01');
  assert.deepEqual(T('decode', 'MTIzAAE=', 'base64'), bytes);
  assert.deepEqual(T('decode', '31 32', 'hex'), Uint8Array.of(0x31, 0x32));
  assert.deepEqual(T('decode', '123\\000\\001', 'escape'), bytes);
  const long = call('encode', [bytea, text], new Uint8Array(60), 'base64') as string;
  assert.equal(long.split('\n')[0]?.length, 76);
  throwsState(() => T('decode', 'abc', 'hex'), '22023', 'invalid hexadecimal data: odd number of digits');
  throwsState(() => T('decode', 'a', 'foo'), '22023', 'unrecognized encoding: "foo"');
  assert.deepEqual(call('convert_to', [text, name], 'é', 'UTF8'), Uint8Array.of(0xc3, 0xa9));
  assert.deepEqual(call('convert_to', [text, name], 'é', 'LATIN1'), Uint8Array.of(0xe9));
  assert.equal(call('convert_from', [bytea, name], Uint8Array.of(0xc3, 0xa9), 'UTF8'), 'é');
  throwsState(() => call('convert_from', [bytea, name], Uint8Array.of(0xff), 'UTF8'), '22021');
  assert.equal(call('to_hex', [int4], 2147483647), '7fffffff');
  assert.equal(call('to_hex', [int4], -1), 'ffffffff');
  assert.equal(call('to_hex', [int8], -1), 'ffffffffffffffff');
  assert.equal(T('unistr', 'd\\0061t\\+000061'), 'data');
  assert.equal(T('unistr', 'd\\u0061t\\U00000061'), 'data');
  throwsState(() => T('unistr', 'bad\\x'), '22025', 'invalid Unicode escape');
});

test('regexp_match / regexp_matches', () => {
  assert.deepEqual(elems(T('regexp_match', 'foobarbequebaz', 'bar.*que')), ['barbeque']);
  assert.deepEqual(elems(T('regexp_match', 'foobarbequebaz', '(bar)(beque)')), ['bar', 'beque']);
  assert.equal(T('regexp_match', 'abc', 'x'), null);
  throwsState(() => T('regexp_match', 'abc', 'b', 'g'), '22023', 'regexp_match() does not support the "global" option');
  throwsState(() => T('regexp_match', 'abc', 'b', 'z'), '22023', 'invalid regular expression option: "z"');
  const r = rows('regexp_matches', [text, text, text], 'foobarbequebazilbarfbonk', '(b[^b]+)(b[^b]+)', 'g');
  assert.deepEqual(r.map((x) => elems(x[0])), [['bar', 'beque'], ['bazil', 'barf']]);
  assert.equal(rows('regexp_matches', [text, text], 'abcabc', 'b').length, 1);
});

test('regexp_replace including PG15 start/N forms', () => {
  assert.equal(T('regexp_replace', 'foobarbaz', 'b..', 'X'), 'fooXbaz');
  assert.equal(T('regexp_replace', 'foobarbaz', 'b..', 'X', 'g'), 'fooXX');
  assert.equal(T('regexp_replace', 'foobarbaz', 'b(..)', 'X\\1Y', 'g'), 'fooXarYXazY');
  assert.equal(T('regexp_replace', 'Thomas', '.[mN]a.', 'M'), 'ThM');
  assert.equal(T('regexp_replace', 'abc', 'b', '[\\&]'), 'a[b]c');
  const six = [text, text, text, int4, int4, text];
  assert.equal(call('regexp_replace', six, 'A PostgreSQL function', 'a|e|i|o|u', 'X', 1, 0, 'i'), 'X PXstgrXSQL fXnctXXn');
  assert.equal(call('regexp_replace', six, 'A PostgreSQL function', 'a|e|i|o|u', 'X', 1, 3, 'i'), 'A PostgrXSQL function');
  assert.equal(call('regexp_replace', [text, text, text, int4], 'aaa', 'a', 'X', 2), 'aXa');
});

test('regexp_split_to_array / regexp_split_to_table', () => {
  assert.deepEqual(elems(T('regexp_split_to_array', 'hello world', '\\s+')), ['hello', 'world']);
  assert.deepEqual(elems(T('regexp_split_to_array', 'hello world', '\\s*')), ['h', 'e', 'l', 'l', 'o', 'w', 'o', 'r', 'l', 'd']);
  assert.deepEqual(rows('regexp_split_to_table', [text, text], 'the quick  brown', '\\s+').map((x) => x[0]), ['the', 'quick', 'brown']);
  assert.deepEqual(elems(T('regexp_split_to_array', ',a,', ',')), ['', 'a', '']);
});

test('PG15 regexp_like / regexp_count / regexp_instr / regexp_substr', () => {
  assert.equal(T('regexp_like', 'Hello World', 'world$', 'i'), true);
  assert.equal(T('regexp_like', 'Hello World', 'world$'), false);
  assert.equal(T('regexp_count', 'ABCABCAXYaxy', 'A.'), 3);
  assert.equal(call('regexp_count', [text, text, int4, text], 'ABCABCAXYaxy', 'A.', 1, 'i'), 4);
  assert.equal(call('regexp_instr', [text, text, int4, int4], 'number of your street, town zip, FR', '[^,]+', 1, 2), 23);
  assert.equal(call('regexp_instr', [text, text, int4, int4, int4, text, int4], 'ABCDEFGHI', '(c..)(...)', 1, 1, 0, 'i', 2), 6);
  assert.equal(call('regexp_substr', [text, text, int4, int4], 'number of your street, town zip, FR', '[^,]+', 1, 2), ' town zip');
  assert.equal(call('regexp_substr', [text, text, int4, int4, text, int4], 'ABCDEFGHI', '(c..)(...)', 1, 1, 'i', 2), 'FGH');
  assert.equal(T('regexp_substr', 'abc', 'x'), null);
});

test('substring with POSIX and SQL (SIMILAR) patterns', () => {
  assert.equal(T('substring', 'Thomas', '...$'), 'mas');
  assert.equal(T('substring', 'Thomas', 'o(.)a'), 'm');
  assert.equal(T('substring', 'Thomas', 'x'), null);
  assert.equal(T('substring', 'Thomas', '%#"o_a#"_', '#'), 'oma');
});

test('string_to_array / array_to_string / string_to_table', () => {
  assert.deepEqual(elems(T('string_to_array', 'xx~~yy~~zz', '~~', 'yy')), ['xx', null, 'zz']);
  assert.deepEqual(elems(T('string_to_array', 'abc', null)), ['a', 'b', 'c']);
  assert.deepEqual(elems(T('string_to_array', 'abc', '')), ['abc']);
  assert.deepEqual((T('string_to_array', '', ',') as SqlArray).dims, []);
  assert.equal(T('string_to_array', null, ','), null);
  const arr = new SqlArray([1, 2, 3, null, 5]);
  const int4Arr = arrayOf(int4);
  assert.equal(call('array_to_string', [int4Arr, text, text], arr, ',', '*'), '1,2,3,*,5');
  assert.equal(call('array_to_string', [int4Arr, text], arr, ','), '1,2,3,5');
  assert.equal(call('array_to_string', [arrayOf(float8), text], new SqlArray([0.5, 1e-5]), ';'), '0.5;1e-05');
  assert.deepEqual(rows('string_to_table', [text, text], 'a,b', ',').map((x) => x[0]), ['a', 'b']);
  void textArr;
});
