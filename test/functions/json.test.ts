/**
 * json/jsonb functions and operators through the FunctionRegistry, checked against PostgreSQL 15
 * output (mostly the examples of the PostgreSQL documentation, chapter 9.16).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  FunctionRegistry, type ArgType, type EvalContext, type ScalarFunctionDef,
} from '../../src/functions/registry.ts';
import { registerExtended } from '../../src/functions/builtins/register-extended.ts';
import { createSimEnv } from '../../src/env/index.ts';
import { defaultTypeContext } from '../../src/types/context.ts';
import { arrayOf, formatType, sameType, Types, type SqlType } from '../../src/types/sql-type.ts';
import { inputFunction, outputFunction } from '../../src/types/text-io.ts';

const reg = new FunctionRegistry();
registerExtended(reg);

const ctx: EvalContext = {
  env: createSimEnv({ seed: 3 }), types: defaultTypeContext, txnStartMicros: 0,
  statementStartMicros: 0, setting: () => null, user: 'test', database: 'test', searchPath: ['public'], catalog: null
};

function matches(pattern: ArgType, t: SqlType): boolean {
  if (typeof pattern !== 'string') return sameType(pattern, t);
  return pattern === 'anyarray' ? t.elem !== null : true;
}

function find(name: string, types: SqlType[]): ScalarFunctionDef {
  const def = reg.lookup(name).find((d) => d.kind === 'scalar' && types.length >= d.minArgs &&
    (d.variadic || types.length <= d.args.length) &&
    types.every((t, i) => matches((d.args[Math.min(i, d.args.length - 1)]) as ArgType, t)));
  assert.ok(def !== undefined && def.kind === 'scalar', `no function ${name}(${types.map(formatType)})`);
  return def;
}

function call(name: string, args: [SqlType, string | null][]): string | null {
  const types = args.map(([t]) => t);
  const def = find(name, types);
  const values = args.map(([t, s]) => (s === null ? null : inputFunction(t)(s, ctx.types)));
  if (def.strict && values.some((v) => v === null)) return null;
  const r = def.impl(values, ctx, types);
  const rt = typeof def.returns === 'function' ? def.returns(types) : def.returns;
  return r === null ? null : outputFunction(rt)(r, ctx.types);
}

const { json, jsonb, text, int4, bool, numeric, date, timestamp, timestamptz } = Types;
const textArr = arrayOf(text);
const J = (s: string): [SqlType, string] => [jsonb, s];

test('json operators return source text', () => {
  assert.equal(call('->', [[json, '{"a": {"b":1}}'], [text, 'a']]), '{"b":1}');
  assert.equal(call('->', [[json, '[{"a":"foo"},{"b":"bar"},{"c":"baz"}]'], [int4, '2']]), '{"c":"baz"}');
  assert.equal(call('->', [[json, '[1,2,3]'], [int4, '-1']]), '3');
  assert.equal(call('->>', [[json, '{"a":1,"b":"x\\ny"}'], [text, 'b']]), 'x\ny');
  assert.equal(call('->>', [[json, '{"a":null}'], [text, 'a']]), null);
  assert.equal(call('#>', [[json, '{"a": {"b": ["foo","bar"]}}'], [textArr, '{a,b,1}']]), '"bar"');
  assert.equal(call('#>>', [[json, '{"a": {"b": ["foo","bar"]}}'], [textArr, '{a,b,1}']]), 'bar');
  assert.equal(call('->', [[json, '{"a":1}'], [text, 'z']]), null);
});

test('jsonb operators', () => {
  assert.equal(call('->', [J('{"a": {"b":1}}'), [text, 'a']]), '{"b": 1}');
  assert.equal(call('->>', [J('[1, "two"]'), [int4, '1']]), 'two');
  assert.equal(call('#>>', [J('{"a":[1,{"b":true}]}'), [textArr, '{a,1,b}']]), 'true');
  assert.equal(call('@>', [J('{"a":1, "b":2}'), J('{"b":2}')]), 't');
  assert.equal(call('<@', [J('{"b":2}'), J('{"a":1, "b":2}')]), 't');
  assert.equal(call('@>', [J('[1, 2, [1, 3]]'), J('[1, 3]')]), 'f');
  assert.equal(call('@>', [J('[1, 2, [1, 3]]'), J('[[1, 3]]')]), 't');
  assert.equal(call('?', [J('{"a":1, "b":2}'), [text, 'b']]), 't');
  assert.equal(call('?', [J('["a", "b", "c"]'), [text, 'b']]), 't');
  assert.equal(call('?|', [J('{"a":1, "b":2, "c":3}'), [textArr, '{b,d}']]), 't');
  assert.equal(call('?&', [J('["a", "b", "c"]'), [textArr, '{a,b}']]), 't');
  assert.equal(call('||', [J('["a", "b"]'), J('["a", "d"]')]), '["a", "b", "a", "d"]');
  assert.equal(call('||', [J('{"a": "b"}'), J('{"c": "d"}')]), '{"a": "b", "c": "d"}');
  assert.equal(call('||', [J('[1, 2]'), J('3')]), '[1, 2, 3]');
  assert.equal(call('||', [J('{"a": "b"}'), J('42')]), '[{"a": "b"}, 42]');
  assert.equal(call('-', [J('{"a": "b", "c": "d"}'), [text, 'a']]), '{"c": "d"}');
  assert.equal(call('-', [J('["a", "b", "c", "b"]'), [text, 'b']]), '["a", "c"]');
  assert.equal(call('-', [J('{"a": "b", "c": "d"}'), [textArr, '{a,c}']]), '{}');
  assert.equal(call('-', [J('["a", "b"]'), [int4, '1']]), '["a"]');
  assert.equal(call('#-', [J('["a", {"b":1}]'), [textArr, '{1,b}']]), '["a", {}]');
  assert.throws(() => call('-', [J('{"a":1}'), [int4, '0']]),
    { code: '22023', message: 'cannot delete from object using integer index' });
  assert.throws(() => call('-', [J('1'), [text, 'a']]), { code: '22023', message: 'cannot delete from scalar' });
});

test('accessor functions', () => {
  assert.equal(call('json_typeof', [[json, '-123.4']]), 'number');
  assert.equal(call('jsonb_typeof', [J('null')]), 'null');
  assert.equal(call('json_array_length', [[json, '[1,2,3,{"f1":1,"f2":[5,6]},4]']]), '5');
  assert.equal(call('jsonb_array_length', [J('[]')]), '0');
  assert.throws(() => call('jsonb_array_length', [J('{"a":1}')]),
    { code: '22023', message: 'cannot get array length of a non-array' });
  assert.equal(call('json_extract_path', [[json, '{"f2":{"f3":1},"f4":{"f5":99,"f6":"foo"}}'], [text, 'f4'],
    [text, 'f6']]), '"foo"');
  assert.equal(call('jsonb_extract_path_text', [J('{"f2":{"f3":1},"f4":{"f5":99,"f6":"foo"}}'), [text, 'f4'],
    [text, 'f6']]), 'foo');
});

test('constructors', () => {
  assert.equal(call('to_json', [[text, 'Fred said "Hi."']]), '"Fred said \\"Hi.\\""');
  assert.equal(call('to_jsonb', [[numeric, '1.50']]), '1.50');
  assert.equal(call('to_json', [[arrayOf(int4), '{1,2,3}']]), '[1,2,3]');
  assert.equal(call('to_json', [[arrayOf(int4), '{{1,5},{99,100}}']]), '[[1,5],[99,100]]');
  assert.equal(call('to_json', [[timestamp, '2024-01-02 03:04:05']]), '"2024-01-02T03:04:05"');
  assert.equal(call('to_json', [[timestamptz, '2024-01-02 03:04:05+00']]), '"2024-01-02T03:04:05+00:00"');
  assert.equal(call('to_json', [[date, '2024-01-02']]), '"2024-01-02"');
  assert.equal(call('to_json', [[Types.float8, 'NaN']]), '"NaN"');
  assert.equal(call('to_json', [[bool, 'true']]), 'true');
  assert.equal(call('json_build_array', [[int4, '1'], [int4, '2'], [text, '3'], [int4, '4'], [int4, '5']]),
    '[1, 2, "3", 4, 5]');
  assert.equal(call('json_build_object', [[text, 'foo'], [int4, '1'], [int4, '2'], [jsonb, '{"a":[1]}']]),
    '{"foo" : 1, "2" : {"a": [1]}}');
  assert.equal(call('jsonb_build_object', [[text, 'b'], [int4, '1'], [text, 'a'], [text, null]]),
    '{"a": null, "b": 1}');
  assert.equal(call('jsonb_build_array', [[int4, '1'], [text, null]]), '[1, null]');
  assert.throws(() => call('json_build_object', [[text, 'a']]),
    { code: '22023', message: 'argument list must have even number of elements' });
  assert.throws(() => call('json_build_object', [[text, null], [int4, '1']]),
    { code: '22023', message: 'argument 1 cannot be null' });
  assert.equal(call('json_object', [[textArr, '{a, 1, b, "def", c, 3.5}']]), '{"a" : "1", "b" : "def", "c" : "3.5"}');
  assert.equal(call('json_object', [[textArr, '{a, b}'], [textArr, '{1,2}']]), '{"a" : "1", "b" : "2"}');
  assert.equal(call('jsonb_object', [[textArr, '{a, 1, b, NULL}']]), '{"a": "1", "b": null}');
});

test('jsonb_set, jsonb_insert, jsonb_set_lax, strip nulls, pretty', () => {
  assert.equal(call('jsonb_set', [J('[{"f1":1,"f2":null},2,null,3]'), [textArr, '{0,f1}'], J('[2,3,4]'),
    [bool, 'false']]), '[{"f1": [2, 3, 4], "f2": null}, 2, null, 3]');
  assert.equal(call('jsonb_set', [J('[{"f1":1,"f2":null},2]'), [textArr, '{0,f3}'], J('[2,3,4]')]),
    '[{"f1": 1, "f2": null, "f3": [2, 3, 4]}, 2]');
  assert.equal(call('jsonb_set', [J('[1,2]'), [textArr, '{5}'], J('9')]), '[1, 2, 9]');
  assert.equal(call('jsonb_set', [J('[1,2]'), [textArr, '{-5}'], J('9')]), '[9, 1, 2]');
  assert.equal(call('jsonb_insert', [J('{"a": [0,1,2]}'), [textArr, '{a, 1}'], J('"new_value"')]),
    '{"a": [0, "new_value", 1, 2]}');
  assert.equal(call('jsonb_insert', [J('{"a": [0,1,2]}'), [textArr, '{a, 1}'], J('"new_value"'), [bool, 'true']]),
    '{"a": [0, 1, "new_value", 2]}');
  assert.throws(() => call('jsonb_insert', [J('{"a": 1}'), [textArr, '{a}'], J('2')]),
    { code: '22023', message: 'cannot replace existing key' });
  assert.equal(call('jsonb_set_lax', [J('[{"f1":1,"f2":null},2,null,3]'), [textArr, '{0,f1}'], [jsonb, null]]),
    '[{"f1": null, "f2": null}, 2, null, 3]');
  assert.equal(call('jsonb_set_lax', [J('[{"f1":99,"f2":null},2]'), [textArr, '{0,f3}'], [jsonb, null],
    [bool, 'true'], [text, 'return_target']]), '[{"f1": 99, "f2": null}, 2]');
  assert.equal(call('jsonb_set_lax', [J('{"a":1,"b":2}'), [textArr, '{a}'], [jsonb, null], [bool, 'true'],
    [text, 'delete_key']]), '{"b": 2}');
  assert.throws(() => call('jsonb_set_lax', [J('{"a":1}'), [textArr, '{a}'], [jsonb, null], [bool, 'true'],
    [text, 'raise_exception']]), { code: '22004', message: 'JSON value must not be null' });
  assert.equal(call('json_strip_nulls', [[json, '[{"f1":1, "f2":null}, 2, null, 3]']]), '[{"f1":1},2,null,3]');
  assert.equal(call('jsonb_strip_nulls', [J('[{"f1":1, "f2":null}, 2, null, 3]')]), '[{"f1": 1}, 2, null, 3]');
  assert.equal(call('jsonb_pretty', [J('[{"f1":1,"f2":null}, 2]')]),
    '[\n    {\n        "f1": 1,\n        "f2": null\n    },\n    2\n]');
  assert.equal(call('jsonb_pretty', [J('{}')]), '{\n}');
  assert.equal(call('jsonb_pretty', [J('"x"')]), '"x"');
});

test('SQL/JSON path functions and @? / @@', () => {
  const doc = J('{"a":[1,2,3,4,5]}');
  assert.equal(call('jsonb_path_exists', [doc, [text, '$.a[*] ? (@ >= 2 && @ <= 4)']]), 't');
  assert.equal(call('jsonb_path_match', [doc, [text, 'exists($.a[*] ? (@ >= 2 && @ <= 4))']]), 't');
  assert.equal(call('jsonb_path_query_array', [doc, [text, '$.a[*] ? (@ >= 2 && @ <= 4)']]), '[2, 3, 4]');
  assert.equal(call('jsonb_path_query_first', [doc, [text, '$.a[*] ? (@ > 2)']]), '3');
  assert.equal(call('jsonb_path_query_array', [doc, [text, '$.a[last]']]), '[5]');
  assert.equal(call('jsonb_path_query_array', [doc, [text, '$.a[1 to 2]']]), '[2, 3]');
  assert.equal(call('jsonb_path_query_array', [doc, [text, '$.a.size()']]), '[5]');
  assert.equal(call('jsonb_path_query_array', [J('{"a":{"x":1,"y":"s"}}'), [text, '$.a.*']]), '[1, "s"]');
  assert.equal(call('jsonb_path_query_array', [J('{"x":[{"a":2,"b":"x"},{"a":0,"b":"x"},{"a":3,"b":"y"}]}'),
    [text, '$.x[*] ? (@.a > 1 && @.b == "x").a']]), '[2]');
  assert.equal(call('jsonb_path_query_array', [J('{"k":[{"a":1},{"a":2}]}'), [text, 'lax $.k.a']]), '[1, 2]');
  assert.equal(call('jsonb_path_query_array', [J('{"a":1}'), [text, '$.a + 2 * 3']]), '[7]');
  assert.equal(call('jsonb_path_query_array', [J('{"a":"x"}'), [text, '$."a"']]), '["x"]');
  assert.equal(call('jsonb_path_query_array', [J('{"a":1}'), [text, '$.b']]), '[]');
  assert.throws(() => call('jsonb_path_query_array', [J('{"a":1}'), [text, 'strict $.b']]),
    { code: '2203A', message: 'JSON object does not contain key "b"' });
  assert.equal(call('jsonb_path_exists', [J('{"a":1}'), [text, 'strict $.b'], J('{}'), [bool, 'true']]), null);
  assert.equal(call('jsonb_path_query_first', [J('{"a":[1,2]}'), [text, '$.a[*] ? (@ > $min)'], J('{"min":1}')]),
    '2');
  assert.equal(call('@?', [doc, [text, '$.a[*] ? (@ > 4)']]), 't');
  assert.equal(call('@?', [doc, [text, '$.a[*] ? (@ > 5)']]), 'f');
  assert.equal(call('@@', [doc, [text, '$.a[*] > 4']]), 't');
  assert.equal(call('@@', [J('{"s":"abc"}'), [text, '$.s starts with "ab"']]), 't');
  assert.equal(call('@@', [J('{"a":1}'), [text, '$.a == "1"']]), null);
  assert.throws(() => call('jsonb_path_match', [J('{"a":1}'), [text, '$.a']]),
    { code: '22038', message: 'single boolean result is expected' });
  assert.throws(() => call('jsonb_path_exists', [J('{}'), [text, '$.a ==']]), { code: '42601' });
});
