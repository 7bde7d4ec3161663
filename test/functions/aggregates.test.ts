/**
 * Aggregates through the FunctionRegistry: result values and types checked against what
 * PostgreSQL 15 returns for the same inputs (values compared in PostgreSQL's text output).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  FunctionRegistry, type AggregateDef, type ArgType, type EvalContext,
} from '../../src/functions/registry.ts';
import { registerExtended } from '../../src/functions/builtins/register-extended.ts';
import { createSimEnv } from '../../src/env/index.ts';
import { defaultTypeContext } from '../../src/types/context.ts';
import { arrayOf, formatType, sameType, Types, type SqlType } from '../../src/types/sql-type.ts';
import { inputFunction, outputFunction } from '../../src/types/text-io.ts';
import { SqlArray } from '../../src/types/array.ts';

const reg = new FunctionRegistry();
registerExtended(reg);

const ctx: EvalContext = {
  env: createSimEnv({ seed: 1 }),
  types: defaultTypeContext,
  txnStartMicros: 0,
  statementStartMicros: 0,
  setting: () => null,
  user: 'test',
  database: 'test',
  searchPath: ['public'], catalog: null
};

function matches(pattern: ArgType, t: SqlType): boolean {
  if (typeof pattern === 'string') {
    if (pattern === 'anyarray') return t.elem !== null;
    if (pattern === 'anynonarray') return t.elem === null;
    return true;
  }
  return sameType(pattern, t);
}

function findAgg(name: string, types: SqlType[]): AggregateDef {
  const def = reg.lookup(name).find((d) => d.kind === 'aggregate' && d.args.length === types.length &&
    d.args.every((p, i) => matches(p, types[i] as SqlType)));
  assert.ok(def !== undefined && def.kind === 'aggregate', `no aggregate ${name}(${types.map(formatType)})`);
  return def;
}

function val(type: SqlType, text: string | null): unknown {
  return text === null ? null : inputFunction(type)(text, ctx.types);
}

/** Runs an aggregate over rows given as PostgreSQL text literals; returns [text output, type]. */
function agg(name: string, types: SqlType[], rows: (string | null)[][]): [string | null, SqlType] {
  const def = findAgg(name, types);
  let state = def.init(types);
  for (const row of rows) {
    const args = row.map((t, i) => val(types[i] as SqlType, t));
    if (def.strict && args.some((a) => a === null)) continue;
    state = def.step(state, args, ctx);
  }
  const result = def.final(state, ctx, types);
  const rt = typeof def.returns === 'function' ? def.returns(types) : def.returns;
  return [result === null ? null : outputFunction(rt)(result, ctx.types), rt];
}

const col = (...xs: (string | null)[]): (string | null)[][] => xs.map((x) => [x]);
const { int2, int4, int8, numeric, float4, float8, interval, text, bool, date } = Types;

test('count(*) and count(x), empty input gives 0', () => {
  assert.deepEqual(agg('count', [], [[], [], []]), ['3', int8]);
  assert.deepEqual(agg('count', [int4], col('1', null, '3')), ['2', int8]);
  assert.deepEqual(agg('count', [int4], []), ['0', int8]);
});

test('sum result types and values', () => {
  assert.deepEqual(agg('sum', [int4], col('1', '2', '3')), ['6', int8]);
  assert.deepEqual(agg('sum', [int2], col('1', '2')), ['3', int8]);
  assert.deepEqual(agg('sum', [int8], col('9223372036854775807', '1')), ['9223372036854775808', numeric]);
  assert.deepEqual(agg('sum', [numeric], col('1.5', '2.25')), ['3.75', numeric]);
  assert.deepEqual(agg('sum', [float8], col('0.1', '0.2')), ['0.30000000000000004', float8]);
  assert.deepEqual(agg('sum', [float4], col('1.5', '2.5')), ['4', float4]);
  assert.deepEqual(agg('sum', [interval], col('1 day', '2 hours')), ['1 day 02:00:00', interval]);
  assert.deepEqual(agg('sum', [int4], []), [null, int8]);
  assert.deepEqual(agg('sum', [int4], col(null)), [null, int8]);
});

test('avg uses numeric scale rules for exact inputs', () => {
  assert.deepEqual(agg('avg', [int4], col('1', '2')), ['1.5000000000000000', numeric]);
  assert.deepEqual(agg('avg', [int4], col('1', '2', '3')), ['2.0000000000000000', numeric]);
  assert.deepEqual(agg('avg', [numeric], col('1.5', '2.5')), ['2.0000000000000000', numeric]);
  assert.deepEqual(agg('avg', [numeric], col('10', '20', '40')), ['23.3333333333333333', numeric]);
  assert.deepEqual(agg('avg', [float8], col('1', '2')), ['1.5', float8]);
  assert.deepEqual(agg('avg', [interval], col('1 day', '2 days')), ['1 day 12:00:00', interval]);
  assert.deepEqual(agg('avg', [int8], []), [null, numeric]);
});

test('inverse transitions undo steps (moving frames)', () => {
  const def = findAgg('sum', [int4]);
  let s = def.init([int4]);
  s = def.step(s, [5], ctx);
  s = def.step(s, [7], ctx);
  assert.ok(def.inverse);
  s = def.inverse(s, [5], ctx);
  assert.equal(def.final(s, ctx, [int4]), 7);
  s = def.inverse(s, [7], ctx);
  assert.equal(def.final(s, ctx, [int4]), null);
  const avg = findAgg('avg', [numeric]);
  let a = avg.init([numeric]);
  for (const x of ['1', '2', '6']) a = avg.step(a, [val(numeric, x)], ctx);
  a = avg.inverse?.(a, [val(numeric, '1')], ctx);
  assert.equal(outputFunction(numeric)(avg.final(a, ctx, [numeric]), ctx.types), '4.0000000000000000');
  const cnt = findAgg('count', []);
  let c = cnt.init([]);
  c = cnt.step(c, [], ctx);
  c = cnt.inverse?.(c, [], ctx);
  assert.equal(cnt.final(c, ctx, []), 0);
});

test('min/max keep the argument type', () => {
  assert.deepEqual(agg('min', [int4], col('3', '1', '2')), ['1', int4]);
  assert.deepEqual(agg('max', [text], col('apple', 'pear', 'banana')), ['pear', text]);
  assert.deepEqual(agg('max', [numeric], col('1.50', '1.5', '0.9')), ['1.50', numeric]);
  assert.deepEqual(agg('min', [date], col('2024-03-01', '2023-12-31')), ['2023-12-31', date]);
  assert.deepEqual(agg('max', [float8], col('1', 'NaN', 'Infinity')), ['NaN', float8]);
  assert.deepEqual(agg('min', [int4], []), [null, int4]);
});

test('bool and bit aggregates', () => {
  assert.deepEqual(agg('bool_and', [bool], col('true', 'false')), ['f', bool]);
  assert.deepEqual(agg('bool_or', [bool], col('false', null, 'true')), ['t', bool]);
  assert.deepEqual(agg('every', [bool], col('true', 'true')), ['t', bool]);
  assert.deepEqual(agg('bit_and', [int4], col('12', '10')), ['8', int4]);
  assert.deepEqual(agg('bit_or', [int4], col('12', '10')), ['14', int4]);
  assert.deepEqual(agg('bit_xor', [int8], col('12', '10')), ['6', int8]);
});

test('statistics: numeric for exact inputs, float8 for floats', () => {
  assert.deepEqual(agg('stddev', [int4], col('1', '2', '3', '4')), ['1.2909944487358056', numeric]);
  assert.deepEqual(agg('variance', [int4], col('1', '2', '3', '4')), ['1.6666666666666667', numeric]);
  assert.deepEqual(agg('var_pop', [int4], col('1', '2', '3', '4')), ['1.2500000000000000', numeric]);
  assert.deepEqual(agg('stddev_pop', [numeric], col('2', '4', '4', '4', '5', '5', '7', '9')),
    ['2.0000000000000000', numeric]);
  assert.deepEqual(agg('stddev_samp', [int4], col('5')), [null, numeric]);
  assert.deepEqual(agg('var_samp', [int4], col('5', '5')), ['0', numeric]);
  assert.deepEqual(agg('stddev', [float8], col('1', '2', '3', '4')), ['1.2909944487358056', float8]);
  assert.deepEqual(agg('var_pop', [float8], col('1', '2', '3', '4')), ['1.25', float8]);
});

test('regression aggregates take (Y, X)', () => {
  const rows: string[][] = [['1', '1'], ['2', '2'], ['4', '3']];
  const r = (name: string): string | null => agg(name, [float8, float8], rows)[0];
  assert.equal(r('regr_count'), '3');
  assert.equal(r('regr_slope'), '1.5');
  assert.equal(r('regr_intercept'), '-0.6666666666666666');
  assert.equal(r('covar_pop'), '1');
  assert.equal(r('covar_samp'), '1.5');
  assert.equal(r('regr_avgx'), '2');
  assert.equal(r('regr_avgy'), '2.3333333333333335');
  assert.equal(r('regr_sxx'), '2');
  assert.equal(r('regr_sxy'), '3');
  assert.equal(r('corr'), '0.9819805060619659');
  assert.equal(agg('corr', [float8, float8], [['1', '1'], ['1', '2']])[0], null);
  assert.equal(agg('regr_count', [float8, float8], [])[0], '0');
});

test('string_agg, array_agg, json aggregates', () => {
  assert.deepEqual(agg('string_agg', [text, text], [['a', ','], [null, ','], ['b', ';'], ['c', null]]),
    ['a;bc', text]);
  assert.deepEqual(agg('string_agg', [text, text], []), [null, text]);
  assert.deepEqual(agg('array_agg', [int4], col('1', null, '3')), ['{1,NULL,3}', arrayOf(int4)]);
  assert.deepEqual(agg('array_agg', [arrayOf(int4)], col('{1,2}', '{3,4}')),
    ['{{1,2},{3,4}}', arrayOf(int4)]);
  assert.deepEqual(agg('json_agg', [int4], col('1', null, '3')), ['[1, null, 3]', Types.json]);
  assert.deepEqual(agg('json_agg', [text], col('a"b')), ['["a\\"b"]', Types.json]);
  assert.deepEqual(agg('jsonb_agg', [numeric], col('1.50', '2')), ['[1.50, 2]', Types.jsonb]);
  assert.deepEqual(agg('json_object_agg', [text, int4], [['a', '1'], ['b', null]]),
    ['{ "a" : 1, "b" : null }', Types.json]);
  assert.deepEqual(agg('jsonb_object_agg', [text, int4], [['b', '1'], ['a', '2'], ['b', '3']]),
    ['{"a": 2, "b": 3}', Types.jsonb]);
  assert.throws(() => agg('json_object_agg', [text, int4], [[null, '1']]),
    { code: '22023', message: 'field name must not be null' });
});

test('ordered-set aggregates: direct argument first, then the sorted value', () => {
  const sorted = (p: string, xs: string[]): (string | null)[][] => xs.map((x) => [p, x]);
  assert.deepEqual(agg('percentile_cont', [float8, float8], sorted('0.5', ['1', '2', '3', '4'])),
    ['2.5', float8]);
  assert.deepEqual(agg('percentile_cont', [float8, float8], sorted('0.25', ['10', '20', '30'])),
    ['15', float8]);
  assert.deepEqual(agg('percentile_disc', [float8, int4], sorted('0.5', ['1', '2', '3', '4'])),
    ['2', int4]);
  assert.deepEqual(agg('percentile_cont', [float8, interval], sorted('0.5', ['1 hour', '2 hours'])),
    ['01:30:00', interval]);
  assert.deepEqual(agg('percentile_cont', [arrayOf(float8), float8],
    sorted('{0,0.5,1}', ['1', '2', '3', '4'])), ['{1,2.5,4}', arrayOf(float8)]);
  assert.deepEqual(agg('percentile_disc', [float8, int4], sorted('0.5', [])), [null, int4]);
  assert.throws(() => agg('percentile_cont', [float8, float8], sorted('1.5', ['1'])),
    { code: '22003', message: 'percentile value 1.5 is not between 0 and 1' });
  assert.deepEqual(agg('mode', [text], col('a', 'b', 'b', 'c', 'c')), ['b', text]);
  const def = findAgg('percentile_cont', [float8, float8]);
  assert.equal(def.orderedSet, true);
  assert.ok(new SqlArray([1]).elems.length === 1);
});
