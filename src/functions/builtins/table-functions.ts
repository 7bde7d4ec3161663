/**
 * Set-returning functions usable in FROM (and, through the executor's SRF support, in SELECT):
 * generate_series (int4, int8, numeric, timestamp, timestamptz), generate_subscripts, unnest,
 * json[b]_each[_text], json[b]_array_elements[_text], json[b]_object_keys and jsonb_path_query.
 *
 * Invariants:
 * - `rows` returns a lazy generator, so LIMIT over a huge series stops early; each yielded row
 *   is a fresh array (the executor may keep it).
 * - Column names are PostgreSQL's: a single-column function's column is named after the function
 *   (generate_series, unnest ...), json_each has (key, value).
 * - Series stop before overflowing their type instead of raising, as PostgreSQL's do.
 */
import { DbError } from '../../errors/index.ts';
import { defineTableFunction, type TableFunctionDef } from '../registry.ts';
import { Types, type SqlType } from '../../types/sql-type.ts';
import { SqlArray } from '../../types/array.ts';
import type { Interval } from '../../types/interval.ts';
import { intervalSpan } from '../../types/interval.ts';
import type { Int8 } from '../../types/int.ts';
import { canonInt8 } from '../../types/int.ts';
import { makeNumeric, Numeric, numericAdd, numericCompare, type NumericValue } from '../../types/numeric.ts';
import { timestampPlusInterval, timestamptzPlusInterval } from '../../types/datetime-arith.ts';
import { Jsonb, JsonbObject, type JsonbValue } from '../../types/json.ts';
import { jsonbArrayElements, jsonbObjectKeys, jsonbValueToText } from '../../types/jsonb-ops.ts';
import { nodeAsText, nodeText, scanJson, type JsonNode } from './json-text.ts';
import { runJsonPath } from './json-path-eval.ts';

const { int4, int8, numeric, timestamp, timestamptz, interval, text, json, jsonb, bool } = Types;

function single(name: string, type: SqlType | ((t: readonly SqlType[]) => SqlType)) {
  return (argTypes: readonly SqlType[]) =>
    [{ name, type: typeof type === 'function' ? type(argTypes) : type }];
}

function zeroStep(): DbError {
  return new DbError('invalid_parameter_value', 'step size cannot equal zero');
}

// ---------------------------------------------------------------------------------------------
// generate_series
// ---------------------------------------------------------------------------------------------

function* intSeries(start: number, stop: number, step: number): Generator<unknown[]> {
  if (step === 0) throw zeroStep();
  for (let v = start; step > 0 ? v <= stop : v >= stop; v += step) yield [v];
}

function* int8Series(start: Int8, stop: Int8, step: Int8): Generator<unknown[]> {
  if (step === 0) throw zeroStep();
  if (typeof start === 'number' && typeof stop === 'number' && typeof step === 'number' &&
    Number.isSafeInteger(stop + step)) {
    yield* intSeries(start, stop, step);
    return;
  }
  const max = 9223372036854775807n;
  const min = -9223372036854775808n;
  const s = BigInt(step);
  const end = BigInt(stop);
  for (let v = BigInt(start); s > 0n ? v <= end : v >= end; v += s) {
    yield [canonInt8(v)];
    if (v + s > max || v + s < min) return;
  }
}

function checkNumericArg(v: NumericValue, what: string): void {
  if (v.value.isNaN()) throw new DbError('invalid_parameter_value', `${what} cannot be NaN`);
  if (!v.value.isFinite()) throw new DbError('invalid_parameter_value', `${what} cannot be infinity`);
}

function* numericSeries(start: NumericValue, stop: NumericValue, step: NumericValue): Generator<unknown[]> {
  checkNumericArg(start, 'start value');
  checkNumericArg(stop, 'stop value');
  checkNumericArg(step, 'step size');
  if (step.value.isZero()) throw zeroStep();
  const up = step.value.isPositive();
  for (let v = start; up ? numericCompare(v, stop) <= 0 : numericCompare(v, stop) >= 0; v = numericAdd(v, step)) {
    yield [v];
  }
}

function* timestampSeries(
  start: number, stop: number, step: Interval, add: (us: number, iv: Interval) => number,
): Generator<unknown[]> {
  const span = intervalSpan(step);
  if (span === 0 || span === 0n) throw zeroStep();
  const up = span > 0;
  for (let v = start; up ? v <= stop : v >= stop; v = add(v, step)) yield [v];
}

function seriesDefs(): TableFunctionDef[] {
  const n = (v: unknown): number => v as number;
  return [
    defineTableFunction({ name: 'generate_series', args: [int4, int4, int4], minArgs: 2,
      columns: single('generate_series', int4),
      rows: (a) => intSeries(n(a[0]), n(a[1]), a.length > 2 ? n(a[2]) : 1) }),
    defineTableFunction({ name: 'generate_series', args: [int8, int8, int8], minArgs: 2,
      columns: single('generate_series', int8),
      rows: (a) => int8Series(a[0] as Int8, a[1] as Int8, a.length > 2 ? (a[2] as Int8) : 1) }),
    defineTableFunction({ name: 'generate_series', args: [numeric, numeric, numeric], minArgs: 2,
      columns: single('generate_series', numeric),
      rows: (a) => numericSeries(a[0] as NumericValue, a[1] as NumericValue,
        a.length > 2 ? (a[2] as NumericValue) : ONE) }),
    defineTableFunction({ name: 'generate_series', args: [timestamp, timestamp, interval],
      columns: single('generate_series', timestamp),
      rows: (a) => timestampSeries(n(a[0]), n(a[1]), a[2] as Interval, timestampPlusInterval) }),
    defineTableFunction({ name: 'generate_series', args: [timestamptz, timestamptz, interval],
      volatility: 'stable', columns: single('generate_series', timestamptz),
      rows: (a, ctx) => timestampSeries(n(a[0]), n(a[1]), a[2] as Interval,
        (us, iv) => timestamptzPlusInterval(us, iv, ctx.types)) }),
  ];
}

const ONE: NumericValue = makeNumeric(new Numeric(1), 0);

// ---------------------------------------------------------------------------------------------
// Arrays
// ---------------------------------------------------------------------------------------------

function* subscripts(arr: SqlArray, dim: number, reverse: boolean): Generator<unknown[]> {
  if (dim < 1 || dim > arr.dims.length) return;
  const lower = arr.lbounds[dim - 1] ?? 1;
  const upper = lower + (arr.dims[dim - 1] ?? 0) - 1;
  if (reverse) for (let i = upper; i >= lower; i--) yield [i];
  else for (let i = lower; i <= upper; i++) yield [i];
}

function arrayDefs(): TableFunctionDef[] {
  return [
    defineTableFunction({ name: 'unnest', args: ['anyarray'],
      columns: single('unnest', (t) => t[0]?.elem ?? Types.unknown),
      rows: (a) => (a[0] as SqlArray).elems.map((e) => [e]) }),
    defineTableFunction({ name: 'generate_subscripts', args: ['anyarray', int4, bool], minArgs: 2,
      columns: single('generate_subscripts', int4),
      rows: (a) => subscripts(a[0] as SqlArray, a[1] as number, a.length > 2 && a[2] === true) }),
    // Registered under its qualified name: information_schema is not on the search path, and
    // drivers (pgjdbc's getPrimaryKeys, getIndexInfo) always call it qualified.
    defineTableFunction({ name: 'information_schema._pg_expandarray', args: ['anyarray'],
      columns: (t) => [{ name: 'x', type: t[0]?.elem ?? Types.unknown }, { name: 'n', type: int4 }],
      rows: (a) => expandArray(a[0] as SqlArray) }),
  ];
}

/**
 * PostgreSQL's SQL definition: `$1[s]` and its 1-based position for s over the first dimension;
 * one subscript into a multi-dimensional array is NULL there.
 */
function* expandArray(arr: SqlArray): Generator<unknown[]> {
  const n = arr.dims[0] ?? 0;
  const flat = arr.dims.length === 1;
  for (let i = 0; i < n; i++) yield [flat ? arr.elems[i] ?? null : null, i + 1];
}

// ---------------------------------------------------------------------------------------------
// json / jsonb
// ---------------------------------------------------------------------------------------------

function jsonObjectNode(src: string, fn: string): JsonNode {
  const n = scanJson(src);
  if (n.kind === 'object') return n;
  if (fn === 'json_object_keys') {
    throw new DbError('invalid_parameter_value',
      `cannot call json_object_keys on ${n.kind === 'array' ? 'an array' : 'a scalar'}`);
  }
  throw new DbError('invalid_parameter_value',
    n.kind === 'array' ? 'cannot deconstruct an array as an object' : 'cannot deconstruct a scalar');
}

function jsonArrayNode(src: string): JsonNode {
  const n = scanJson(src);
  if (n.kind === 'array') return n;
  throw new DbError('invalid_parameter_value', n.kind === 'object'
    ? 'cannot extract elements from an object' : 'cannot extract elements from a scalar');
}

function jsonbObject(v: Jsonb, fn: string): JsonbObject {
  if (v.root instanceof JsonbObject) return v.root;
  throw new DbError('invalid_parameter_value', `cannot call ${fn} on a non-object`);
}

function jsonDefs(): TableFunctionDef[] {
  const kv = (vt: SqlType) => () => [{ name: 'key', type: text }, { name: 'value', type: vt }];
  const s = (v: unknown): string => v as string;
  return [
    defineTableFunction({ name: 'json_each', args: [json], columns: kv(json),
      rows: (a) => {
        const n = jsonObjectNode(s(a[0]), 'json_each');
        return n.children.map((c, i) => [n.keys?.[i] ?? '', nodeText(s(a[0]), c)]);
      } }),
    defineTableFunction({ name: 'json_each_text', args: [json], columns: kv(text),
      rows: (a) => {
        const n = jsonObjectNode(s(a[0]), 'json_each_text');
        return n.children.map((c, i) => [n.keys?.[i] ?? '', nodeAsText(s(a[0]), c)]);
      } }),
    defineTableFunction({ name: 'jsonb_each', args: [jsonb], columns: kv(jsonb),
      rows: (a) => {
        const o = jsonbObject(a[0] as Jsonb, 'jsonb_each');
        return o.keys.map((k, i) => [k, new Jsonb(o.values[i] as JsonbValue)]);
      } }),
    defineTableFunction({ name: 'jsonb_each_text', args: [jsonb], columns: kv(text),
      rows: (a) => {
        const o = jsonbObject(a[0] as Jsonb, 'jsonb_each_text');
        return o.keys.map((k, i) => [k, jsonbValueToText(o.values[i] as JsonbValue)]);
      } }),
    defineTableFunction({ name: 'json_array_elements', args: [json], columns: single('value', json),
      rows: (a) => jsonArrayNode(s(a[0])).children.map((c) => [nodeText(s(a[0]), c)]) }),
    defineTableFunction({ name: 'json_array_elements_text', args: [json], columns: single('value', text),
      rows: (a) => jsonArrayNode(s(a[0])).children.map((c) => [nodeAsText(s(a[0]), c)]) }),
    defineTableFunction({ name: 'jsonb_array_elements', args: [jsonb], columns: single('value', jsonb),
      rows: (a) => jsonbArrayElements(a[0] as Jsonb).map((e) => [e]) }),
    defineTableFunction({ name: 'jsonb_array_elements_text', args: [jsonb], columns: single('value', text),
      rows: (a) => jsonbArrayElements(a[0] as Jsonb).map((e) => [jsonbValueToText(e.root)]) }),
    defineTableFunction({ name: 'json_object_keys', args: [json], columns: single('json_object_keys', text),
      rows: (a) => (jsonObjectNode(s(a[0]), 'json_object_keys').keys ?? []).map((k) => [k]) }),
    defineTableFunction({ name: 'jsonb_object_keys', args: [jsonb], columns: single('jsonb_object_keys', text),
      rows: (a) => jsonbObjectKeys(a[0] as Jsonb).map((k) => [k]) }),
    defineTableFunction({ name: 'jsonb_path_query', args: [jsonb, text, jsonb, bool], minArgs: 2,
      columns: single('jsonb_path_query', jsonb),
      rows: (a) => {
        const r = runJsonPath(a[0] as Jsonb, a[1] as string, (a[2] ?? null) as Jsonb | null,
          (a[3] ?? false) as boolean);
        return (r ?? []).map((v) => [new Jsonb(v)]);
      } }),
  ];
}

export function tableFunctionDefs(): TableFunctionDef[] {
  return [...seriesDefs(), ...arrayDefs(), ...jsonDefs()];
}
