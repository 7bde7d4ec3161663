/**
 * jsonb operators and conversions for the function library, with PostgreSQL's semantics:
 *   ->  jsonbGetField / jsonbGetIndex        ->> jsonbGetFieldText / jsonbGetIndexText
 *   #>  jsonbGetPath                         #>> jsonbGetPathText
 *   @>  jsonbContains (<@ is the reverse)    ?, ?|, ?& jsonbExists / jsonbExistsAny / jsonbExistsAll
 *   jsonb_typeof, jsonb_array_length, jsonb_object_keys, and JS <-> jsonb conversion.
 *
 * A SQL NULL result is `null`; a JSON null is `new Jsonb(null)` (see json.ts). Inputs are never
 * mutated; results share subtrees with inputs (the trees are immutable by convention).
 */
import { DbError } from '../errors/index.ts';
import {
  compareJsonbValues, formatJsonbValue, Jsonb, JsonbNumber, JsonbObject, makeJsonbObject,
  normalizeNumber, type JsonbValue,
} from './json.ts';

/** Index of `key` in an object's sorted keys, or -1 (linear: objects are usually small). */
function findKey(o: JsonbObject, key: string): number {
  return o.keys.indexOf(key);
}

function fieldOf(v: JsonbValue, key: string): JsonbValue | undefined {
  if (!(v instanceof JsonbObject)) return undefined;
  const i = findKey(v, key);
  return i < 0 ? undefined : v.values[i];
}

function elementOf(v: JsonbValue, index: number): JsonbValue | undefined {
  if (!Array.isArray(v)) return undefined;
  const i = index < 0 ? v.length + index : index;
  return i >= 0 && i < v.length ? v[i] : undefined;
}

/** The text that ->> and #>> return: strings unquoted, JSON null as SQL NULL. */
export function jsonbValueToText(v: JsonbValue): string | null {
  if (v === null) return null;
  if (typeof v === 'string') return v;
  return formatJsonbValue(v);
}

/** jsonb -> text key (SQL NULL when absent or not an object). */
export function jsonbGetField(v: Jsonb, key: string): Jsonb | null {
  const r = fieldOf(v.root, key);
  return r === undefined ? null : new Jsonb(r);
}

/** jsonb -> integer (negative counts from the end). */
export function jsonbGetIndex(v: Jsonb, index: number): Jsonb | null {
  const r = elementOf(v.root, index);
  return r === undefined ? null : new Jsonb(r);
}

export function jsonbGetFieldText(v: Jsonb, key: string): string | null {
  const r = fieldOf(v.root, key);
  return r === undefined ? null : jsonbValueToText(r);
}

export function jsonbGetIndexText(v: Jsonb, index: number): string | null {
  const r = elementOf(v.root, index);
  return r === undefined ? null : jsonbValueToText(r);
}

function walkPath(root: JsonbValue, path: readonly (string | null)[]): JsonbValue | undefined {
  let cur: JsonbValue = root;
  for (const step of path) {
    if (step === null) return undefined;
    if (cur instanceof JsonbObject) {
      const next = fieldOf(cur, step);
      if (next === undefined) return undefined;
      cur = next;
    } else if (Array.isArray(cur)) {
      if (!/^\s*[+-]?\d+\s*$/.test(step)) return undefined;
      const next = elementOf(cur, Number(step));
      if (next === undefined) return undefined;
      cur = next;
    } else {
      return undefined;
    }
  }
  return cur;
}

/** jsonb #> text[]: the empty path returns the value itself. */
export function jsonbGetPath(v: Jsonb, path: readonly (string | null)[]): Jsonb | null {
  const r = walkPath(v.root, path);
  return r === undefined ? null : new Jsonb(r);
}

/** jsonb #>> text[]. */
export function jsonbGetPathText(v: Jsonb, path: readonly (string | null)[]): string | null {
  const r = walkPath(v.root, path);
  return r === undefined ? null : jsonbValueToText(r);
}

const isContainer = (v: JsonbValue): boolean => Array.isArray(v) || v instanceof JsonbObject;

/** PostgreSQL's JsonbDeepContains on subtrees of the same container kind. */
function contains(a: JsonbValue, b: JsonbValue, aRawScalar: boolean, bRawScalar: boolean): boolean {
  if (a instanceof JsonbObject) {
    if (!(b instanceof JsonbObject)) return false;
    if (b.keys.length > a.keys.length) return false;
    for (let i = 0; i < b.keys.length; i++) {
      const av = fieldOf(a, b.keys[i] as string);
      const bv = b.values[i] as JsonbValue;
      if (av === undefined) return false;
      if (isContainer(av) || isContainer(bv)) {
        if (Array.isArray(av) !== Array.isArray(bv)) return false;
        if ((av instanceof JsonbObject) !== (bv instanceof JsonbObject)) return false;
        if (!contains(av, bv, false, false)) return false;
      } else if (compareJsonbValues(av, bv) !== 0) {
        return false;
      }
    }
    return true;
  }
  if (!Array.isArray(a) || !Array.isArray(b)) return false;
  if (aRawScalar && !bRawScalar) return false;
  for (const bv of b) {
    if (!isContainer(bv)) {
      if (!a.some((av) => !isContainer(av) && compareJsonbValues(av, bv) === 0)) return false;
    } else if (!a.some((av) => isContainer(av) &&
      Array.isArray(av) === Array.isArray(bv) && contains(av, bv, false, false))) {
      return false;
    }
  }
  return true;
}

/** jsonb @> jsonb. Top-level scalars act as one-element arrays, as in PostgreSQL. */
export function jsonbContains(a: Jsonb, b: Jsonb): boolean {
  const aScalar = !isContainer(a.root);
  const bScalar = !isContainer(b.root);
  const x = aScalar ? [a.root] : a.root;
  const y = bScalar ? [b.root] : b.root;
  return contains(x, y, aScalar, bScalar);
}

/** jsonb <@ jsonb. */
export function jsonbContainedBy(a: Jsonb, b: Jsonb): boolean {
  return jsonbContains(b, a);
}

/** jsonb ? text: a top-level key, or a string element of a top-level array (or raw scalar). */
export function jsonbExists(v: Jsonb, key: string): boolean {
  const r = v.root;
  if (r instanceof JsonbObject) return findKey(r, key) >= 0;
  if (Array.isArray(r)) return r.some((e) => e === key);
  return r === key;
}

/** jsonb ?| text[] (NULL array elements are ignored). */
export function jsonbExistsAny(v: Jsonb, keys: readonly (string | null)[]): boolean {
  return keys.some((k) => k !== null && jsonbExists(v, k));
}

/** jsonb ?& text[] (NULL array elements are ignored). */
export function jsonbExistsAll(v: Jsonb, keys: readonly (string | null)[]): boolean {
  return keys.every((k) => k === null || jsonbExists(v, k));
}

export type JsonbTypeName = 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null';

export function jsonbTypeofValue(v: JsonbValue): JsonbTypeName {
  if (v === null) return 'null';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'boolean';
  if (v instanceof JsonbNumber) return 'number';
  return Array.isArray(v) ? 'array' : 'object';
}

/** jsonb_typeof. */
export function jsonbTypeof(v: Jsonb): JsonbTypeName {
  return jsonbTypeofValue(v.root);
}

/** jsonb_array_length. */
export function jsonbArrayLength(v: Jsonb): number {
  if (Array.isArray(v.root)) return v.root.length;
  throw new DbError('invalid_parameter_value', isContainer(v.root)
    ? 'cannot get array length of a non-array' : 'cannot get array length of a scalar');
}

/** jsonb_object_keys (in jsonb key order). */
export function jsonbObjectKeys(v: Jsonb): string[] {
  if (v.root instanceof JsonbObject) return [...v.root.keys];
  const what = Array.isArray(v.root) ? 'an array' : 'a scalar';
  throw new DbError('invalid_parameter_value', `cannot call jsonb_object_keys on ${what}`);
}

/** Elements of a jsonb array (jsonb_array_elements); errors on non-arrays like PostgreSQL. */
export function jsonbArrayElements(v: Jsonb): Jsonb[] {
  if (Array.isArray(v.root)) return v.root.map((e) => new Jsonb(e));
  throw new DbError('invalid_parameter_value', isContainer(v.root)
    ? 'cannot extract elements from an object' : 'cannot extract elements from a scalar');
}

/** Plain JS: objects -> objects, arrays -> arrays, numbers -> JS numbers (may round). */
export function jsonbToJs(v: Jsonb): unknown {
  return valueToJs(v.root);
}

function valueToJs(v: JsonbValue): unknown {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (v instanceof JsonbNumber) return Number(v.text);
  if (Array.isArray(v)) return v.map(valueToJs);
  return Object.fromEntries(v.keys.map((k, i) => [k, valueToJs(v.values[i] as JsonbValue)]));
}

/** Duck-typed decimal.js instance (numeric values), without importing decimal.js here. */
function isDecimalLike(v: object): v is { toString(): string; isFinite(): boolean } {
  const d = v as { isFinite?: unknown; toFixed?: unknown; isNaN?: unknown };
  return typeof d.isFinite === 'function' && typeof d.toFixed === 'function' &&
    typeof d.isNaN === 'function';
}

/**
 * Plain JS -> jsonb (to_jsonb): null/undefined -> JSON null, finite numbers / bigint / Decimal
 * -> numbers, NaN and ±Infinity -> strings (as PostgreSQL's to_jsonb(float8)), arrays, plain
 * objects (keys sorted), Jsonb -> itself.
 */
export function jsToJsonb(value: unknown): Jsonb {
  if (value instanceof Jsonb) return value;
  return new Jsonb(jsToValue(value, 0));
}

function jsToValue(v: unknown, depth: number): JsonbValue {
  if (depth > 1000) throw new DbError('statement_too_complex', 'stack depth limit exceeded');
  if (v === null || v === undefined) return null;
  switch (typeof v) {
    case 'boolean': case 'string': return v;
    case 'number':
      if (!Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
      return new JsonbNumber(normalizeNumber(String(v)));
    case 'bigint': return new JsonbNumber(v.toString());
    case 'object': break;
    default: return String(v);
  }
  if (v instanceof Jsonb) return v.root;
  if (v instanceof JsonbNumber || v instanceof JsonbObject) return v;
  if (Array.isArray(v)) return v.map((e) => jsToValue(e, depth + 1));
  if (isDecimalLike(v)) {
    return v.isFinite() ? new JsonbNumber(normalizeNumber(v.toString())) : v.toString();
  }
  const entries = Object.entries(v as Record<string, unknown>);
  return makeJsonbObject(entries.map((e) => e[0]), entries.map((e) => jsToValue(e[1], depth + 1)));
}
