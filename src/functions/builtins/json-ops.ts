/**
 * json/jsonb operators registered as scalar functions named by symbol (->, ->>, #>, #>>, @>, <@,
 * ?, ?|, ?&, ||, -, #-) plus the accessor functions that share their semantics
 * (json[b]_extract_path[_text], json[b]_typeof, json[b]_array_length).
 *
 * json values are source text: sub-values are returned as the exact source span (json-text.ts);
 * jsonb values are trees (src/types/json.ts, jsonb-ops.ts). text[] arguments arrive as SqlArray
 * whose elements are strings or null. Missing keys/indexes yield SQL NULL, as in PostgreSQL.
 */
import { DbError } from '../../errors/index.ts';
import { defineScalar, type ScalarFunctionDef } from '../registry.ts';
import { arrayOf, Types } from '../../types/sql-type.ts';
import type { SqlArray } from '../../types/array.ts';
import type { Jsonb } from '../../types/json.ts';
import {
  jsonbArrayLength, jsonbContainedBy, jsonbContains, jsonbExists, jsonbExistsAll, jsonbExistsAny,
  jsonbGetField, jsonbGetFieldText, jsonbGetIndex, jsonbGetIndexText, jsonbGetPath,
  jsonbGetPathText, jsonbTypeof,
} from '../../types/jsonb-ops.ts';
import {
  fieldNode, indexNode, nodeAsText, nodeText, pathNode, scanJson, type JsonNode,
} from './json-text.ts';
import { jsonbConcat, jsonbDeleteIndex, jsonbDeleteKeys, jsonbDeletePath } from './json-modify.ts';

const { json, jsonb, text, int4, bool } = Types;
const textArray = arrayOf(text);

/** Elements of a text[] argument. */
export function textElements(a: unknown): (string | null)[] {
  return (a as SqlArray).elems as (string | null)[];
}

function jsonSpan(src: string, n: JsonNode | null): string | null {
  return n === null ? null : nodeText(src, n);
}

function jsonAsText(src: string, n: JsonNode | null): string | null {
  return n === null ? null : nodeAsText(src, n);
}

function jsonOperatorDefs(): ScalarFunctionDef[] {
  const s = (v: unknown): string => v as string;
  return [
    defineScalar({ name: '->', args: [json, text], returns: json,
      impl: (a) => jsonSpan(s(a[0]), fieldNode(scanJson(s(a[0])), s(a[1]))) }),
    defineScalar({ name: '->', args: [json, int4], returns: json,
      impl: (a) => jsonSpan(s(a[0]), indexNode(scanJson(s(a[0])), a[1] as number)) }),
    defineScalar({ name: '->>', args: [json, text], returns: text,
      impl: (a) => jsonAsText(s(a[0]), fieldNode(scanJson(s(a[0])), s(a[1]))) }),
    defineScalar({ name: '->>', args: [json, int4], returns: text,
      impl: (a) => jsonAsText(s(a[0]), indexNode(scanJson(s(a[0])), a[1] as number)) }),
    defineScalar({ name: '#>', args: [json, textArray], returns: json,
      impl: (a) => jsonSpan(s(a[0]), pathNode(scanJson(s(a[0])), textElements(a[1]))) }),
    defineScalar({ name: '#>>', args: [json, textArray], returns: text,
      impl: (a) => jsonAsText(s(a[0]), pathNode(scanJson(s(a[0])), textElements(a[1]))) }),
  ];
}

function jsonbOperatorDefs(): ScalarFunctionDef[] {
  const j = (v: unknown): Jsonb => v as Jsonb;
  return [
    defineScalar({ name: '->', args: [jsonb, text], returns: jsonb,
      impl: (a) => jsonbGetField(j(a[0]), a[1] as string) }),
    defineScalar({ name: '->', args: [jsonb, int4], returns: jsonb,
      impl: (a) => jsonbGetIndex(j(a[0]), a[1] as number) }),
    defineScalar({ name: '->>', args: [jsonb, text], returns: text,
      impl: (a) => jsonbGetFieldText(j(a[0]), a[1] as string) }),
    defineScalar({ name: '->>', args: [jsonb, int4], returns: text,
      impl: (a) => jsonbGetIndexText(j(a[0]), a[1] as number) }),
    defineScalar({ name: '#>', args: [jsonb, textArray], returns: jsonb,
      impl: (a) => jsonbGetPath(j(a[0]), textElements(a[1])) }),
    defineScalar({ name: '#>>', args: [jsonb, textArray], returns: text,
      impl: (a) => jsonbGetPathText(j(a[0]), textElements(a[1])) }),
    defineScalar({ name: '@>', args: [jsonb, jsonb], returns: bool,
      impl: (a) => jsonbContains(j(a[0]), j(a[1])) }),
    defineScalar({ name: '<@', args: [jsonb, jsonb], returns: bool,
      impl: (a) => jsonbContainedBy(j(a[0]), j(a[1])) }),
    defineScalar({ name: '?', args: [jsonb, text], returns: bool,
      impl: (a) => jsonbExists(j(a[0]), a[1] as string) }),
    defineScalar({ name: '?|', args: [jsonb, textArray], returns: bool,
      impl: (a) => jsonbExistsAny(j(a[0]), textElements(a[1])) }),
    defineScalar({ name: '?&', args: [jsonb, textArray], returns: bool,
      impl: (a) => jsonbExistsAll(j(a[0]), textElements(a[1])) }),
    defineScalar({ name: '||', args: [jsonb, jsonb], returns: jsonb,
      impl: (a) => jsonbConcat(j(a[0]), j(a[1])) }),
    defineScalar({ name: '-', args: [jsonb, text], returns: jsonb,
      impl: (a) => jsonbDeleteKeys(j(a[0]), [a[1] as string]) }),
    defineScalar({ name: '-', args: [jsonb, textArray], returns: jsonb,
      impl: (a) => jsonbDeleteKeys(j(a[0]), textElements(a[1])) }),
    defineScalar({ name: '-', args: [jsonb, int4], returns: jsonb,
      impl: (a) => jsonbDeleteIndex(j(a[0]), a[1] as number) }),
    defineScalar({ name: '#-', args: [jsonb, textArray], returns: jsonb,
      impl: (a) => jsonbDeletePath(j(a[0]), textElements(a[1])) }),
  ];
}

function jsonKindName(n: JsonNode): string {
  return n.kind;
}

function jsonArrayLength(src: string): number {
  const n = scanJson(src);
  if (n.kind === 'array') return n.children.length;
  throw new DbError('invalid_parameter_value', n.kind === 'object'
    ? 'cannot get array length of a non-array' : 'cannot get array length of a scalar');
}

function accessorDefs(): ScalarFunctionDef[] {
  return [
    defineScalar({ name: 'json_typeof', args: [json], returns: text,
      impl: (a) => jsonKindName(scanJson(a[0] as string)) }),
    defineScalar({ name: 'jsonb_typeof', args: [jsonb], returns: text,
      impl: (a) => jsonbTypeof(a[0] as Jsonb) }),
    defineScalar({ name: 'json_array_length', args: [json], returns: int4,
      impl: (a) => jsonArrayLength(a[0] as string) }),
    defineScalar({ name: 'jsonb_array_length', args: [jsonb], returns: int4,
      impl: (a) => jsonbArrayLength(a[0] as Jsonb) }),
    defineScalar({ name: 'json_extract_path', args: [json, text], variadic: true, minArgs: 1, returns: json,
      impl: (a) => jsonSpan(a[0] as string, pathNode(scanJson(a[0] as string), a.slice(1) as (string | null)[])) }),
    defineScalar({ name: 'json_extract_path_text', args: [json, text], variadic: true, minArgs: 1, returns: text,
      impl: (a) => jsonAsText(a[0] as string, pathNode(scanJson(a[0] as string), a.slice(1) as (string | null)[])) }),
    defineScalar({ name: 'jsonb_extract_path', args: [jsonb, text], variadic: true, minArgs: 1, returns: jsonb,
      impl: (a) => jsonbGetPath(a[0] as Jsonb, a.slice(1) as (string | null)[]) }),
    defineScalar({ name: 'jsonb_extract_path_text', args: [jsonb, text], variadic: true, minArgs: 1, returns: text,
      impl: (a) => jsonbGetPathText(a[0] as Jsonb, a.slice(1) as (string | null)[]) }),
  ];
}

export function jsonOperatorAndAccessorDefs(): ScalarFunctionDef[] {
  return [...jsonOperatorDefs(), ...jsonbOperatorDefs(), ...accessorDefs()];
}
