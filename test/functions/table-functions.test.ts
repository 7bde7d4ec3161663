/**
 * Set-returning functions through the FunctionRegistry, checked against PostgreSQL 15 output:
 * generate_series, generate_subscripts, unnest, json[b]_each[_text], json[b]_array_elements,
 * json[b]_object_keys and jsonb_path_query.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  FunctionRegistry, type ArgType, type EvalContext, type TableFunctionDef,
} from '../../src/functions/registry.ts';
import { registerExtended } from '../../src/functions/builtins/register-extended.ts';
import { createSimEnv } from '../../src/env/index.ts';
import { defaultTypeContext, type TypeContext } from '../../src/types/context.ts';
import { arrayOf, formatType, sameType, Types, type SqlType } from '../../src/types/sql-type.ts';
import { inputFunction, outputFunction } from '../../src/types/text-io.ts';

const reg = new FunctionRegistry();
registerExtended(reg);

function makeCtx(types: TypeContext): EvalContext {
  return {
    env: createSimEnv({ seed: 11 }), types, txnStartMicros: 0, statementStartMicros: 0,
    setting: () => null, user: 'test', database: 'test', searchPath: ['public'], catalog: null
  };
}
const utc = makeCtx(defaultTypeContext);

function matches(pattern: ArgType, t: SqlType): boolean {
  if (typeof pattern !== 'string') return sameType(pattern, t);
  return pattern === 'anyarray' ? t.elem !== null : true;
}

function find(name: string, types: SqlType[]): TableFunctionDef {
  const def = reg.lookup(name).find((d) => d.kind === 'table' && types.length >= d.minArgs &&
    types.length <= d.args.length && types.every((t, i) => matches(d.args[i] as ArgType, t)));
  assert.ok(def !== undefined && def.kind === 'table', `no table function ${name}(${types.map(formatType)})`);
  return def;
}

/** Runs a table function; returns [column names, rows as text]. */
function srf(name: string, args: [SqlType, string | null][], ctx: EvalContext = utc): [string[], (string | null)[][]] {
  const types = args.map(([t]) => t);
  const def = find(name, types);
  const values = args.map(([t, s]) => (s === null ? null : inputFunction(t)(s, ctx.types)));
  const cols = def.columns(types);
  if (def.strict && values.some((v) => v === null)) return [cols.map((c) => c.name), []];
  const rows = [...def.rows(values, ctx, types)].map((r) =>
    r.map((v, i) => (v === null ? null : outputFunction((cols[i] as { type: SqlType }).type)(v, ctx.types))));
  return [cols.map((c) => c.name), rows];
}

const rowsOf = (r: [string[], (string | null)[][]]): (string | null)[] => r[1].map((x) => x[0] ?? null);
const { int4, int8, numeric, timestamp, timestamptz, interval, text, json, jsonb, bool } = Types;

test('generate_series over integers', () => {
  assert.deepEqual(srf('generate_series', [[int4, '2'], [int4, '4']]), [['generate_series'], [['2'], ['3'], ['4']]]);
  assert.deepEqual(rowsOf(srf('generate_series', [[int4, '5'], [int4, '1'], [int4, '-2']])), ['5', '3', '1']);
  assert.deepEqual(rowsOf(srf('generate_series', [[int4, '4'], [int4, '3']])), []);
  assert.deepEqual(rowsOf(srf('generate_series', [[int4, '2147483646'], [int4, '2147483647']])),
    ['2147483646', '2147483647']);
  assert.deepEqual(rowsOf(srf('generate_series', [[int8, '9223372036854775806'], [int8, '9223372036854775807']])),
    ['9223372036854775806', '9223372036854775807']);
  assert.throws(() => srf('generate_series', [[int4, '1'], [int4, '3'], [int4, '0']]),
    { code: '22023', message: 'step size cannot equal zero' });
});

test('generate_series over numeric', () => {
  assert.deepEqual(rowsOf(srf('generate_series', [[numeric, '0.5'], [numeric, '2'], [numeric, '0.5']])),
    ['0.5', '1.0', '1.5', '2.0']);
  assert.deepEqual(rowsOf(srf('generate_series', [[numeric, '1'], [numeric, '3']])), ['1', '2', '3']);
  assert.throws(() => srf('generate_series', [[numeric, 'NaN'], [numeric, '3']]),
    { code: '22023', message: 'start value cannot be NaN' });
});

test('generate_series over timestamps', () => {
  assert.deepEqual(rowsOf(srf('generate_series', [[timestamp, '2008-03-01 00:00'], [timestamp, '2008-03-04 12:00'],
    [interval, '10 hours']])), ['2008-03-01 00:00:00', '2008-03-01 10:00:00', '2008-03-01 20:00:00',
    '2008-03-02 06:00:00', '2008-03-02 16:00:00', '2008-03-03 02:00:00', '2008-03-03 12:00:00',
    '2008-03-03 22:00:00', '2008-03-04 08:00:00']);
  assert.deepEqual(rowsOf(srf('generate_series', [[timestamp, '2024-01-31'], [timestamp, '2024-04-30'],
    [interval, '1 month']])), ['2024-01-31 00:00:00', '2024-02-29 00:00:00', '2024-03-29 00:00:00',
    '2024-04-29 00:00:00']);
  const ny = makeCtx({ ...defaultTypeContext, timeZone: 'America/New_York' });
  assert.deepEqual(rowsOf(srf('generate_series', [[timestamptz, '2024-03-09 12:00-05'],
    [timestamptz, '2024-03-11 12:00-04'], [interval, '1 day']], ny)),
  ['2024-03-09 12:00:00-05', '2024-03-10 12:00:00-04', '2024-03-11 12:00:00-04']);
  assert.throws(() => srf('generate_series', [[timestamp, '2024-01-01'], [timestamp, '2024-01-02'],
    [interval, '0']]), { code: '22023', message: 'step size cannot equal zero' });
});

test('unnest and generate_subscripts', () => {
  assert.deepEqual(srf('unnest', [[arrayOf(int4), '{1,NULL,3}']]), [['unnest'], [['1'], [null], ['3']]]);
  assert.deepEqual(rowsOf(srf('unnest', [[arrayOf(text), '{{a,b},{c,d}}']])), ['a', 'b', 'c', 'd']);
  assert.deepEqual(rowsOf(srf('unnest', [[arrayOf(int4), '{}']])), []);
  assert.deepEqual(rowsOf(srf('generate_subscripts', [[arrayOf(int4), '{-1,-2,-3}'], [int4, '1']])),
    ['1', '2', '3']);
  assert.deepEqual(rowsOf(srf('generate_subscripts', [[arrayOf(int4), '[0:2]={7,8,9}'], [int4, '1'],
    [bool, 'true']])), ['2', '1', '0']);
  assert.deepEqual(rowsOf(srf('generate_subscripts', [[arrayOf(int4), '{{1,2,3},{4,5,6}}'], [int4, '2']])),
    ['1', '2', '3']);
  assert.deepEqual(rowsOf(srf('generate_subscripts', [[arrayOf(int4), '{1}'], [int4, '2']])), []);
});

test('json_each / jsonb_each and the _text variants', () => {
  assert.deepEqual(srf('json_each', [[json, '{"a":"foo", "b":"bar"}']]),
    [['key', 'value'], [['a', '"foo"'], ['b', '"bar"']]]);
  assert.deepEqual(srf('json_each_text', [[json, '{"a":"foo", "b":null}']])[1], [['a', 'foo'], ['b', null]]);
  assert.deepEqual(srf('jsonb_each', [[jsonb, '{"b":[1, 2], "a":{"x":1}}']])[1],
    [['a', '{"x": 1}'], ['b', '[1, 2]']]);
  assert.deepEqual(srf('jsonb_each_text', [[jsonb, '{"a":"foo", "b":true}']])[1], [['a', 'foo'], ['b', 'true']]);
  assert.throws(() => srf('jsonb_each', [[jsonb, '[1]']]),
    { code: '22023', message: 'cannot call jsonb_each on a non-object' });
  assert.throws(() => srf('json_each', [[json, '[1]']]),
    { code: '22023', message: 'cannot deconstruct an array as an object' });
});

test('array elements and object keys', () => {
  assert.deepEqual(srf('json_array_elements', [[json, '[1,true, [2,false]]']]),
    [['value'], [['1'], ['true'], ['[2,false]']]]);
  assert.deepEqual(rowsOf(srf('jsonb_array_elements', [[jsonb, '[1,true, [2,false]]']])), ['1', 'true', '[2, false]']);
  assert.deepEqual(rowsOf(srf('json_array_elements_text', [[json, '["foo", "bar", null]']])), ['foo', 'bar', null]);
  assert.deepEqual(rowsOf(srf('jsonb_array_elements_text', [[jsonb, '["foo", 1]']])), ['foo', '1']);
  assert.throws(() => srf('jsonb_array_elements', [[jsonb, '{"a":1}']]),
    { code: '22023', message: 'cannot extract elements from an object' });
  assert.deepEqual(srf('json_object_keys', [[json, '{"f1":"abc","f2":{"f3":"a", "f4":"b"}}']]),
    [['json_object_keys'], [['f1'], ['f2']]]);
  assert.deepEqual(rowsOf(srf('jsonb_object_keys', [[jsonb, '{"bb":1,"a":2}']])), ['a', 'bb']);
});

test('jsonb_path_query returns one row per item', () => {
  assert.deepEqual(srf('jsonb_path_query', [[jsonb, '{"a":[1,2,3,4,5]}'], [text, '$.a[*] ? (@ >= 2 && @ <= 4)']]),
    [['jsonb_path_query'], [['2'], ['3'], ['4']]]);
  assert.deepEqual(rowsOf(srf('jsonb_path_query', [[jsonb, '{"a":1}'], [text, 'strict $.b'], [jsonb, '{}'],
    [bool, 'true']])), []);
});
