/**
 * json/jsonb constructors and editing functions: to_json[b], json[b]_build_object,
 * json[b]_build_array, json[b]_object (text[] forms), jsonb_set / jsonb_set_lax / jsonb_insert,
 * json[b]_strip_nulls and jsonb_pretty.
 *
 * json results reproduce PostgreSQL's spacing exactly: build_object/json_object print
 * '{"a" : 1, "b" : 2}', build_array '[1, 2]', to_json of an array '[1,2]' and json_strip_nulls
 * re-emits its input compactly. The VARIADIC "any" builders are non-strict: NULL values become
 * JSON null while NULL keys are errors.
 */
import { DbError } from '../../errors/index.ts';
import { defineScalar, type EvalContext, type ScalarFunctionDef } from '../registry.ts';
import { arrayOf, formatType, Oid, Types, type SqlType } from '../../types/sql-type.ts';
import { Jsonb, makeJsonbObject, quoteJsonString, type JsonbValue } from '../../types/json.ts';
import { jsonKeyText, toJsonbValue, toJsonText } from './json-convert.ts';
import { textElements } from './json-ops.ts';
import { nodeText, scanJson, type JsonNode } from './json-text.ts';
import {
  jsonbInsert, jsonbPretty, jsonbSet, jsonbSetLax, jsonbStripNulls,
} from './json-modify.ts';

const { json, jsonb, text, bool } = Types;
const textArray = arrayOf(text);

function checkKey(value: unknown, type: SqlType | undefined, i: number, jsonbStyle: boolean): void {
  if (value === null || value === undefined) {
    if (jsonbStyle) throw new DbError('invalid_parameter_value', `argument ${i + 1}: key must not be null`);
    throw new DbError('invalid_parameter_value', `argument ${i + 1} cannot be null`,
      { hint: 'Object keys should be text.' });
  }
  if (type !== undefined && (type.elem !== null || type.oid === Oid.json || type.oid === Oid.jsonb ||
    type.oid === Oid.record)) {
    throw new DbError('invalid_parameter_value', 'key value must be scalar, not array, composite, or json');
  }
}

function checkEven(n: number, fn: string): void {
  if (n % 2 !== 0) {
    throw new DbError('invalid_parameter_value', 'argument list must have even number of elements',
      { hint: `The arguments of ${fn}() must consist of alternating keys and values.` });
  }
}

function buildObjectJson(a: unknown[], ctx: EvalContext, types: readonly SqlType[]): string {
  checkEven(a.length, 'json_build_object');
  const parts: string[] = [];
  for (let i = 0; i < a.length; i += 2) {
    const kt = types[i] ?? text;
    checkKey(a[i], kt, i, false);
    parts.push(`${quoteJsonString(jsonKeyText(a[i], kt, ctx.types))} : ` +
      toJsonText(a[i + 1] ?? null, types[i + 1] ?? text, ctx.types));
  }
  return '{' + parts.join(', ') + '}';
}

function buildObjectJsonb(a: unknown[], ctx: EvalContext, types: readonly SqlType[]): Jsonb {
  checkEven(a.length, 'jsonb_build_object');
  const keys: string[] = [];
  const values: JsonbValue[] = [];
  for (let i = 0; i < a.length; i += 2) {
    const kt = types[i] ?? text;
    checkKey(a[i], kt, i, true);
    keys.push(jsonKeyText(a[i], kt, ctx.types));
    values.push(toJsonbValue(a[i + 1] ?? null, types[i + 1] ?? text, ctx.types));
  }
  return new Jsonb(makeJsonbObject(keys, values));
}

/** row_to_json: composite_to_json, with a line feed between top-level fields when pretty. */
function rowToJson(v: unknown, type: SqlType, pretty: boolean, ctx: EvalContext): string {
  const row = type.row;
  if (row === undefined) throw new DbError('feature_not_supported', 'row_to_json of a record of unknown shape is not supported');
  const vals = v as unknown[];
  const parts = row.fields.map((f, i) => `${quoteJsonString(f.name)}:${toJsonText(vals[i] ?? null, f.type, ctx.types)}`);
  return '{' + parts.join(pretty ? ',\n ' : ',') + '}';
}

function buildDefs(): ScalarFunctionDef[] {
  return [
    defineScalar({ name: 'to_json', args: ['anyelement'], returns: json, volatility: 'stable',
      impl: (a, ctx, t) => toJsonText(a[0], t[0] ?? text, ctx.types) }),
    defineScalar({ name: 'to_jsonb', args: ['anyelement'], returns: jsonb, volatility: 'stable',
      impl: (a, ctx, t) => new Jsonb(toJsonbValue(a[0], t[0] ?? text, ctx.types)) }),
    // Polymorphic so that the call sees the composite's fields; non-composites are refused here.
    defineScalar({ name: 'row_to_json', args: ['anyelement', bool], minArgs: 1, volatility: 'stable',
      returns: (t) => {
        if (t[0]?.oid !== Oid.record) {
          throw new DbError('undefined_function', `function row_to_json(${t.map(formatType).join(', ')}) does not exist`);
        }
        return json;
      },
      impl: (a, ctx, t) => rowToJson(a[0], t[0] ?? Types.record, a[1] === true, ctx) }),
    defineScalar({ name: 'json_build_object', args: ['any'], variadic: true, minArgs: 0, strict: false,
      returns: json, volatility: 'stable', impl: buildObjectJson }),
    defineScalar({ name: 'jsonb_build_object', args: ['any'], variadic: true, minArgs: 0, strict: false,
      returns: jsonb, volatility: 'stable', impl: buildObjectJsonb }),
    defineScalar({ name: 'json_build_array', args: ['any'], variadic: true, minArgs: 0, strict: false,
      returns: json, volatility: 'stable',
      impl: (a, ctx, t) => '[' + a.map((v, i) => toJsonText(v, t[i] ?? text, ctx.types)).join(', ') + ']' }),
    defineScalar({ name: 'jsonb_build_array', args: ['any'], variadic: true, minArgs: 0, strict: false,
      returns: jsonb, volatility: 'stable',
      impl: (a, ctx, t) => new Jsonb(a.map((v, i) => toJsonbValue(v, t[i] ?? text, ctx.types))) }),
  ];
}

/** json_object / jsonb_object: pairs from one flat text[] or from parallel key/value arrays. */
function objectPairs(keysArr: unknown, valuesArr: unknown | undefined): [string[], (string | null)[]] {
  const flat = textElements(keysArr);
  let keys: (string | null)[];
  let values: (string | null)[];
  if (valuesArr === undefined) {
    if (flat.length % 2 !== 0) {
      throw new DbError('array_subscript_error', 'array must have even number of elements');
    }
    keys = flat.filter((_, i) => i % 2 === 0);
    values = flat.filter((_, i) => i % 2 === 1);
  } else {
    keys = flat;
    values = textElements(valuesArr);
    if (keys.length !== values.length) {
      throw new DbError('array_subscript_error', 'mismatched array dimensions');
    }
  }
  for (const k of keys) {
    if (k === null) throw new DbError('null_value_not_allowed', 'null value not allowed for object key');
  }
  return [keys as string[], values];
}

function objectDefs(): ScalarFunctionDef[] {
  const jsonText = (a: unknown[]): string => {
    const [keys, values] = objectPairs(a[0], a[1]);
    const parts = keys.map((k, i) => {
      const v = values[i] ?? null;
      return `${quoteJsonString(k)} : ${v === null ? 'null' : quoteJsonString(v)}`;
    });
    return '{' + parts.join(', ') + '}';
  };
  const jsonbValue = (a: unknown[]): Jsonb => {
    const [keys, values] = objectPairs(a[0], a[1]);
    return new Jsonb(makeJsonbObject(keys, values.map((v) => v ?? null)));
  };
  return [
    defineScalar({ name: 'json_object', args: [textArray], returns: json, impl: jsonText }),
    defineScalar({ name: 'json_object', args: [textArray, textArray], returns: json, impl: jsonText }),
    defineScalar({ name: 'jsonb_object', args: [textArray], returns: jsonb, impl: jsonbValue }),
    defineScalar({ name: 'jsonb_object', args: [textArray, textArray], returns: jsonb, impl: jsonbValue }),
  ];
}

/** json_strip_nulls: compact re-emission of the source without null-valued object fields. */
function stripJsonText(src: string, n: JsonNode): string {
  if (n.kind === 'array') return '[' + n.children.map((c) => stripJsonText(src, c)).join(',') + ']';
  if (n.kind !== 'object' || n.keys === null) return nodeText(src, n);
  const parts: string[] = [];
  n.children.forEach((c, i) => {
    if (c.kind === 'null') return;
    parts.push(quoteJsonString(n.keys?.[i] ?? '') + ':' + stripJsonText(src, c));
  });
  return '{' + parts.join(',') + '}';
}

function editDefs(): ScalarFunctionDef[] {
  const j = (v: unknown): Jsonb => v as Jsonb;
  return [
    defineScalar({ name: 'jsonb_set', args: [jsonb, textArray, jsonb, bool], minArgs: 3, returns: jsonb,
      argNames: ['jsonb_in', 'path', 'replacement', 'create_if_missing'],
      impl: (a) => jsonbSet(j(a[0]), textElements(a[1]), j(a[2]), (a[3] ?? true) as boolean) }),
    defineScalar({ name: 'jsonb_set_lax', args: [jsonb, textArray, jsonb, bool, text], minArgs: 3,
      returns: jsonb, strict: false,
      argNames: ['jsonb_in', 'path', 'replacement', 'create_if_missing', 'null_value_treatment'],
      argDefaults: [null, null, null, true, 'use_json_null'],
      impl: (a) => {
        if (a[0] === null || a[1] === null) return null;
        const create = a[3] === undefined ? true : a[3];
        const treatment = a[4] === undefined ? 'use_json_null' : a[4];
        if (create === null || treatment === null) {
          throw new DbError('null_value_not_allowed', 'null_value_treatment must be "delete_key", ' +
            '"return_target", "use_json_null", or "raise_exception"');
        }
        return jsonbSetLax(j(a[0]), textElements(a[1]), (a[2] ?? null) as Jsonb | null,
          create as boolean, treatment as string);
      } }),
    defineScalar({ name: 'jsonb_insert', args: [jsonb, textArray, jsonb, bool], minArgs: 3, returns: jsonb,
      argNames: ['jsonb_in', 'path', 'replacement', 'insert_after'],
      impl: (a) => jsonbInsert(j(a[0]), textElements(a[1]), j(a[2]), (a[3] ?? false) as boolean) }),
    defineScalar({ name: 'jsonb_strip_nulls', args: [jsonb], returns: jsonb,
      impl: (a) => jsonbStripNulls(j(a[0])) }),
    defineScalar({ name: 'json_strip_nulls', args: [json], returns: json,
      impl: (a) => stripJsonText(a[0] as string, scanJson(a[0] as string)) }),
    defineScalar({ name: 'jsonb_pretty', args: [jsonb], returns: text, impl: (a) => jsonbPretty(j(a[0])) }),
  ];
}

export function jsonBuildDefs(): ScalarFunctionDef[] {
  return [...buildDefs(), ...objectDefs(), ...editDefs()];
}
