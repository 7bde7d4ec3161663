import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DbError } from '../../src/errors/index.ts';
import {
  bpcharCoerce, bpcharCompare, bpcharEq, bpcharHashKey, bpcharLength, charLength, nameTruncate,
  octetLength, ownedString, textCompare, varcharCoerce,
} from '../../src/types/text.ts';

function errMsg(fn: () => unknown): string {
  try { fn(); } catch (e) { if (e instanceof DbError) return `${e.code} ${e.message}`; throw e; }
  return 'no error';
}

test('varchar(n) coercion', () => {
  assert.equal(varcharCoerce('abc', 3, false), 'abc');
  assert.equal(varcharCoerce('abc   ', 3, false), 'abc');
  assert.equal(errMsg(() => varcharCoerce('abcd', 3, false)),
    '22001 value too long for type character varying(3)');
  assert.equal(varcharCoerce('abcd', 3, true), 'abc');
  assert.equal(varcharCoerce('😀😀😀', 3, false), '😀😀😀');
  assert.equal(varcharCoerce('😀😀😀😀', 3, true), '😀😀😀');
  assert.equal(varcharCoerce('anything', -1, false), 'anything');
});

test('bpchar(n) coercion pads and compares ignoring trailing spaces', () => {
  assert.equal(bpcharCoerce('ab', 4, false), 'ab  ');
  assert.equal(bpcharCoerce('abcd  ', 4, false), 'abcd');
  assert.equal(errMsg(() => bpcharCoerce('abcde', 4, false)), '22001 value too long for type character(4)');
  assert.equal(bpcharCoerce('abcde', 4, true), 'abcd');
  assert.equal(bpcharCoerce('é', 2, false), 'é ');
  assert.equal(bpcharCompare('a', 'a   '), 0);
  assert.ok(bpcharEq('a ', 'a'));
  assert.equal(bpcharCompare('a', 'ab'), -1);
  assert.equal(bpcharHashKey('a  '), bpcharHashKey('a'));
  assert.equal(bpcharLength('ab  '), 2);
});

test('lengths in characters and bytes', () => {
  assert.equal(charLength('héllo😀'), 6);
  assert.equal(octetLength('héllo😀'), 10);
});

test('text compares in code point order (C collation)', () => {
  assert.equal(textCompare('a', 'b'), -1);
  assert.equal(textCompare('B', 'a'), -1);
  assert.equal(textCompare('abc', 'ab'), 1);
  assert.equal(textCompare('\uffff', '😀'), -1); // U+FFFF < U+1F600 (JS < says otherwise)
  assert.equal(textCompare('😀', '\ue000'), 1);
  assert.equal(textCompare('x', 'x'), 0);
  assert.equal(textCompare('ab', 'a😀'), -1);
  assert.equal(textCompare('a\ue000', 'ab'), 1);
  // Against code points compared one by one, on strings that share prefixes and mix units below
  // the surrogates, astral characters and BMP characters above them (seeded, reproducible).
  const alphabet = ['a', 'b', 'é', '\ud7ff', '\ue000', '\uffff', '😀', '𝄞'];
  let seed = 7;
  const rand = (n: number): number => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  const word = (): string => Array.from({ length: rand(4) }, () => alphabet[rand(alphabet.length)]).join('');
  const byCodePoints = (a: string, b: string): number => {
    const x = [...a].map((c) => c.codePointAt(0)!);
    const y = [...b].map((c) => c.codePointAt(0)!);
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
    return x.length === y.length ? 0 : x.length < y.length ? -1 : 1;
  };
  for (let i = 0; i < 2000; i++) {
    const prefix = word();
    const a = prefix + word();
    const b = prefix + word();
    assert.equal(textCompare(a, b), byCodePoints(a, b), JSON.stringify([a, b]));
  }
});

test('name truncates to 63 bytes without splitting characters', () => {
  assert.equal(nameTruncate('a'.repeat(70)), 'a'.repeat(63));
  assert.equal(nameTruncate('é'.repeat(40)), 'é'.repeat(31));
  assert.equal(nameTruncate('short'), 'short');
});

test('ownedString keeps the exact UTF-16 content of ropes, slices and lone surrogates', () => {
  let rope = '';
  for (let i = 0; i < 40; i++) rope += String.fromCharCode(97 + (i % 26));
  const script = `INSERT INTO t VALUES ('${rope}');`;
  const slice = script.slice(23, 63);
  for (const s of [rope, slice, '', 'short', '\uD83D' + 'x'.repeat(20), 'x'.repeat(20) + '\uDE00', '😀'.repeat(10)]) {
    const owned = ownedString(s);
    assert.equal(owned, s);
    assert.equal(owned.length, s.length);
  }
  assert.equal(ownedString(slice), rope);
});
