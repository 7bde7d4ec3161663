import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseJson, parseJsonb, formatJsonb, compareJsonb, jsonbHashKey, jsonToJsonb, Jsonb,
} from '../../src/types/json.ts';
import * as O from '../../src/types/jsonb-ops.ts';
import { SeededRandom } from '../../src/env/seeded-random.ts';

const j = parseJsonb;
const norm = (s: string): string => formatJsonb(j(s));

function jsonError(s: string, detail: string): void {
  for (const f of [parseJson, parseJsonb]) {
    assert.throws(() => f(s), (e: unknown) => {
      const err = e as { code: string; message: string; detail?: string };
      assert.equal(err.code, '22P02', s);
      assert.equal(err.message, 'invalid input syntax for type json');
      assert.equal(err.detail, detail, s);
      return true;
    });
  }
}

test('json keeps the original text', () => {
  assert.equal(parseJson('{"b":1,  "a":[1,2]}'), '{"b":1,  "a":[1,2]}');
  assert.equal(parseJson(' 1.50 '), ' 1.50 ');
});

test('jsonb normalization and output', () => {
  assert.equal(norm('{"b":1,"a":[1,2,"x"]}'), '{"a": [1, 2, "x"], "b": 1}');
  assert.equal(norm('{"aa":1,"b":2,"a":3}'), '{"a": 3, "b": 2, "aa": 1}');
  assert.equal(norm('{"a":1,"a":2}'), '{"a": 2}');
  assert.equal(norm('1.0'), '1.0');
  assert.equal(norm('1e2'), '100');
  assert.equal(norm('1.50e1'), '15.0');
  assert.equal(norm('1.0e-2'), '0.010');
  assert.equal(norm('-0'), '0');
  assert.equal(norm('12345678901234567890.123456789'), '12345678901234567890.123456789');
  assert.equal(norm('"a\\u00e9\\n\\t\\"\\\\\\/"'), '"aé\\n\\t\\"\\\\/"');
  assert.equal(norm('"\\u0001"'), '"\\u0001"');
  assert.equal(norm('"\\ud83d\\ude00"'), '"😀"');
  assert.equal(norm(' [ ] '), '[]');
  assert.equal(norm('{}'), '{}');
  assert.equal(norm('null'), 'null');
  assert.equal(norm('[true, false, null]'), '[true, false, null]');
  assert.equal(norm('{"a":{"c":1,"b":[{}]}}'), '{"a": {"b": [{}], "c": 1}}');
  assert.equal(formatJsonb(jsonToJsonb('{"x": 1}')), '{"x": 1}');
});

test('json errors carry PostgreSQL details', () => {
  jsonError('tru', 'Token "tru" is invalid.');
  jsonError('{"a" 1}', 'Expected ":", but found "1".');
  jsonError('[1,2', 'The input string ended unexpectedly.');
  jsonError('', 'The input string ended unexpectedly.');
  jsonError('01', 'Token "01" is invalid.');
  jsonError('{"a":1,}', 'Expected string, but found "}".');
  jsonError('{,}', 'Expected string or "}", but found ",".');
  jsonError('[1 2]', 'Expected "," or "]", but found "2".');
  jsonError('{"a":1 "b"}', 'Expected "," or "}", but found ""b"".');
  jsonError('"\\q"', 'Escape sequence "\\q" is invalid.');
  jsonError('[1] x', 'Expected end of input, but found "x".');
  jsonError('"a\nb"', 'Character with value 0x0a must be escaped.');
  jsonError(']', 'Expected JSON value, but found "]".');
  assert.throws(() => parseJsonb('"\\u0000"'), { code: '22P05' });
  assert.equal(parseJson('"\\u0000"'), '"\\u0000"');
});

test('jsonb ordering', () => {
  const order = ['[]', 'null', '"a"', '"b"', '1', '2.5', '10', 'false', 'true', '[null]', '[1, 2]',
    '[1, 3]', '[1, 2, 3]', '{}', '{"b": 1}', '{"a": 1, "b": 1}', '{"a": 2, "b": 1}'];
  for (let i = 0; i < order.length; i++) {
    for (let k = 0; k < order.length; k++) {
      const c = compareJsonb(j(order[i] as string), j(order[k] as string));
      assert.equal(c, Math.sign(i - k), `${order[i]} vs ${order[k]}`);
    }
  }
  assert.equal(compareJsonb(j('1.0'), j('1')), 0);
  assert.equal(jsonbHashKey(j('{"a": [1.0]}')), jsonbHashKey(j('{"a":[1]}')));
  assert.notEqual(jsonbHashKey(j('"1"')), jsonbHashKey(j('1')));
  assert.equal(compareJsonb(j('{"a":1,"b":2}'), j('{"b":2,"a":1}')), 0);
});

test('field, index and path access', () => {
  const v = j('{"a": [1, {"b": "x"}, null], "c": "s", "n": null}');
  assert.equal(formatJsonb(O.jsonbGetField(v, 'a') as Jsonb), '[1, {"b": "x"}, null]');
  assert.equal(O.jsonbGetField(v, 'zz'), null);
  assert.equal(O.jsonbGetFieldText(v, 'c'), 's');
  assert.equal(O.jsonbGetFieldText(v, 'n'), null);
  assert.equal((O.jsonbGetField(v, 'n') as Jsonb).root, null);
  const arr = O.jsonbGetField(v, 'a') as Jsonb;
  assert.equal(formatJsonb(O.jsonbGetIndex(arr, -2) as Jsonb), '{"b": "x"}');
  assert.equal(O.jsonbGetIndex(arr, 3), null);
  assert.equal(O.jsonbGetIndexText(arr, 0), '1');
  assert.equal(O.jsonbGetPathText(v, ['a', '1', 'b']), 'x');
  assert.equal(formatJsonb(O.jsonbGetPath(v, ['a', '1']) as Jsonb), '{"b": "x"}');
  assert.equal(O.jsonbGetPath(v, ['a', 'x']), null);
  assert.equal(formatJsonb(O.jsonbGetPath(v, []) as Jsonb), formatJsonb(v));
  assert.equal(O.jsonbGetPathText(j('"str"'), []), 'str');
});

test('containment and existence', () => {
  const c = (a: string, b: string): boolean => O.jsonbContains(j(a), j(b));
  assert.equal(c('{"a":[1,2,{"b":3}],"c":1}', '{"a":[{"b":3}]}'), true);
  assert.equal(c('{"a":1,"b":2}', '{"a":1}'), true);
  assert.equal(c('{"a":1}', '{"a":1,"b":2}'), false);
  assert.equal(c('[1,2,3]', '[3,1]'), true);
  assert.equal(c('[1,2,[1,3]]', '[[1,3]]'), true);
  assert.equal(c('[1,2,[1,3]]', '[1,3]'), false);
  assert.equal(c('["foo","bar"]', '"foo"'), true);
  assert.equal(c('"foo"', '["foo"]'), false);
  assert.equal(c('"foo"', '"foo"'), true);
  assert.equal(c('{"a":1}', '[]'), false);
  assert.equal(c('{"product": "x", "tags": ["a","b"]}', '{"tags": ["b"]}'), true);
  assert.equal(c('{"a":1.0}', '{"a":1}'), true);
  assert.equal(O.jsonbContainedBy(j('{"a":1}'), j('{"a":1,"b":2}')), true);
  assert.equal(O.jsonbExists(j('{"a":1}'), 'a'), true);
  assert.equal(O.jsonbExists(j('["a","b"]'), 'b'), true);
  assert.equal(O.jsonbExists(j('[["a"]]'), 'a'), false);
  assert.equal(O.jsonbExists(j('"a"'), 'a'), true);
  assert.equal(O.jsonbExistsAny(j('{"a":1}'), ['x', 'a']), true);
  assert.equal(O.jsonbExistsAll(j('{"a":1}'), ['x', 'a']), false);
});

test('typeof, lengths, keys and JS conversion', () => {
  assert.deepEqual(['{}', '[]', '""', '1', 'true', 'null'].map((s) => O.jsonbTypeof(j(s))),
    ['object', 'array', 'string', 'number', 'boolean', 'null']);
  assert.equal(O.jsonbArrayLength(j('[1,2,3]')), 3);
  assert.throws(() => O.jsonbArrayLength(j('1')), { code: '22023', message: 'cannot get array length of a scalar' });
  assert.deepEqual(O.jsonbObjectKeys(j('{"bb":1,"a":2}')), ['a', 'bb']);
  assert.deepEqual(O.jsonbToJs(j('{"a":[1,2.5,"x",null,true]}')), { a: [1, 2.5, 'x', null, true] });
  assert.equal(formatJsonb(O.jsToJsonb({ b: [1, 'x', null], a: 1.5, c: 10n })), '{"a": 1.5, "b": [1, "x", null], "c": 10}');
  assert.equal(formatJsonb(O.jsToJsonb(1e21)), '1000000000000000000000');
  assert.equal(formatJsonb(O.jsToJsonb(NaN)), '"NaN"');
  assert.equal(O.jsToJsonb(null).root, null);
});

function randomJson(rnd: SeededRandom, depth: number): string {
  const k = rnd.nextInt(depth > 3 ? 4 : 7);
  switch (k) {
    case 0: return 'null';
    case 1: return rnd.next() < 0.5 ? 'true' : 'false';
    case 2: return String(rnd.nextInt(2000) - 1000) + (rnd.next() < 0.5 ? '.' + String(rnd.nextInt(1000)) : '');
    case 3: return JSON.stringify(String.fromCharCode(...rnd.bytes(rnd.nextInt(5)).map((b) => 32 + (b % 200))));
    case 4: case 5: {
      const n = rnd.nextInt(4);
      return '[' + Array.from({ length: n }, () => randomJson(rnd, depth + 1)).join(',') + ']';
    }
    default: {
      const n = rnd.nextInt(4);
      return '{' + Array.from({ length: n }, () =>
        `${JSON.stringify('k' + rnd.nextInt(5))}:${randomJson(rnd, depth + 1)}`).join(',') + '}';
    }
  }
}

test('jsonb output reparses to an equal value (seeded)', () => {
  const seed = 777;
  const rnd = new SeededRandom(seed);
  for (let i = 0; i < 1000; i++) {
    const text = randomJson(rnd, 0);
    const v = j(text);
    const out = formatJsonb(v);
    const back = j(out);
    assert.equal(formatJsonb(back), out, `seed ${seed} iteration ${i}: ${text}`);
    assert.equal(compareJsonb(back, v), 0, `seed ${seed} iteration ${i}`);
    assert.equal(jsonbHashKey(back), jsonbHashKey(v));
  }
});
