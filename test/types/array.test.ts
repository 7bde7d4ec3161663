import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  SqlArray, parseArray, formatArray, compareArrays, arraySubscript, arrayDimsText, arrayHashKey,
} from '../../src/types/array.ts';
import { Types } from '../../src/types/sql-type.ts';
import { SeededRandom } from '../../src/env/seeded-random.ts';

const text = (s: string): SqlArray => parseArray(s, Types.text, (x) => x);
const ints = (s: string): SqlArray => parseArray(s, Types.int4, (x) => Number(x));
const out = (v: SqlArray): string => formatArray(v, (x) => String(x));
const cmpNum = (x: unknown, y: unknown): number => (x as number) - (y as number);

test('parse and format', () => {
  const cases: [string, string][] = [
    ['{1,2,3}', '{1,2,3}'], ['{"a b","c\\"d",NULL,"NULL"}', '{"a b","c\\"d",NULL,"NULL"}'],
    ['{{1,2},{3,4}}', '{{1,2},{3,4}}'], ['[0:2]={1,2,3}', '[0:2]={1,2,3}'], ['{}', '{}'],
    ['{ a , b c }', '{a,"b c"}'], ['{""}', '{""}'], ['{null,NuLl}', '{NULL,NULL}'],
    ['{a\\,b}', '{"a,b"}'], ['{"\\\\"}', '{"\\\\"}'], ['{{a},{b}}', '{{a},{b}}'],
    ['[1:1][3:4]={{x,y}}', '[1:1][3:4]={{x,y}}'], ['{{{1}}}', '{{{1}}}'], ['{"{}"}', '{"{}"}'],
    ['{ab\\ }', '{"ab "}'],
  ];
  for (const [input, expected] of cases) assert.equal(out(text(input)), expected, input);
  const v = ints('{{1,2},{3,4}}');
  assert.deepEqual([v.elems, v.dims, v.lbounds], [[1, 2, 3, 4], [2, 2], [1, 1]]);
  assert.equal(text('{NULL}').elems[0], null);
  assert.equal(text('{"NULL"}').elems[0], 'NULL');
  assert.deepEqual(text('{}').dims, []);
});

test('malformed literals', () => {
  const bad: [string, string][] = [
    ['{{1,2},{3}}', 'Multidimensional arrays must have sub-arrays with matching dimensions.'],
    ['{1,2', 'Unexpected end of input.'],
    ['x', 'Array value must start with "{" or dimension information.'],
    ['{1}x', 'Junk after closing right brace.'],
    ['{1,,2}', 'Unexpected "," character.'],
    ['{{1},2}', 'Unexpected array element.'],
    ['[1:2]={1,2,3}', 'Specified array dimensions do not match array contents.'],
  ];
  for (const [s, detail] of bad) {
    assert.throws(() => text(s), (e: unknown) => {
      const err = e as { code: string; message: string; detail?: string };
      assert.equal(err.code, '22P02');
      assert.equal(err.message, `malformed array literal: "${s}"`);
      assert.equal(err.detail, detail, s);
      return true;
    });
  }
});

test('array_cmp ordering', () => {
  const c = (a: string, b: string): number => compareArrays(ints(a), ints(b), cmpNum);
  assert.equal(c('{1,2,3}', '{1,2,4}'), -1);
  assert.equal(c('{1,2}', '{1,2,3}'), -1);
  assert.equal(c('{1,NULL}', '{1,2}'), 1);
  assert.equal(c('{NULL}', '{NULL}'), 0);
  assert.equal(c('{1,2,3,4}', '{{1,2},{3,4}}'), -1);
  assert.equal(c('{1,2,3}', '[0:2]={1,2,3}'), 1);
  assert.equal(c('{}', '{1}'), -1);
  assert.equal(c('{{1,2},{3,4}}', '{{1,2},{3,4}}'), 0);
});

test('subscripts and dims', () => {
  const v = ints('[0:1][1:2]={{1,2},{3,4}}');
  assert.equal(arraySubscript(v, [1, 2]), 4);
  assert.equal(arraySubscript(v, [2, 1]), null);
  assert.equal(arrayDimsText(v), '[0:1][1:2]');
});

test('round trips of random text arrays (seeded)', () => {
  const seed = 2024;
  const rnd = new SeededRandom(seed);
  const alphabet = ['a', 'b', ' ', '"', '\\', ',', '{', '}', 'N', 'U', 'L', 'é', '\t'];
  for (let i = 0; i < 500; i++) {
    const n = rnd.nextInt(6);
    const elems: unknown[] = [];
    for (let k = 0; k < n; k++) {
      if (rnd.next() < 0.1) { elems.push(null); continue; }
      let s = '';
      const len = rnd.nextInt(5);
      for (let m = 0; m < len; m++) s += alphabet[rnd.nextInt(alphabet.length)];
      elems.push(rnd.next() < 0.05 ? 'NULL' : s);
    }
    const v = new SqlArray(elems);
    const literal = out(v);
    const back = text(literal);
    assert.deepEqual(back.elems, v.elems, `seed ${seed} iteration ${i}: ${literal}`);
    assert.deepEqual(back.dims, v.dims, `seed ${seed} iteration ${i}`);
    assert.equal(compareArrays(back, v, (x, y) => ((x as string) < (y as string) ? -1 : (x as string) > (y as string) ? 1 : 0)), 0);
    assert.equal(arrayHashKey(back, String), arrayHashKey(v, String));
  }
});
