/**
 * jsonb editing with PostgreSQL's rules (jsonfuncs.c): || concatenation, - and #- deletion,
 * jsonb_set / jsonb_set_lax / jsonb_insert, jsonb_strip_nulls and jsonb_pretty.
 *
 * Invariants: jsonb trees are immutable; every edit copies the containers on the edited path and
 * shares the rest. Objects are rebuilt through makeJsonbObject so key order and uniqueness hold.
 * Path elements address object keys by name and array elements by (possibly negative) integer;
 * a non-integer step into an array is an error ('path element at position N is not an integer').
 */
import { DbError } from '../../errors/index.ts';
import { Jsonb, JsonbObject, makeJsonbObject, formatJsonbValue, type JsonbValue } from '../../types/json.ts';

const isContainer = (v: JsonbValue): boolean => Array.isArray(v) || v instanceof JsonbObject;

/** jsonb || jsonb. */
export function jsonbConcat(a: Jsonb, b: Jsonb): Jsonb {
  const x = a.root;
  const y = b.root;
  if (x instanceof JsonbObject && y instanceof JsonbObject) {
    return new Jsonb(makeJsonbObject([...x.keys, ...y.keys], [...x.values, ...y.values]));
  }
  const left = Array.isArray(x) ? x : [x];
  const right = Array.isArray(y) ? y : [y];
  return new Jsonb([...left, ...right]);
}

function deleteFromScalar(): DbError {
  return new DbError('invalid_parameter_value', 'cannot delete from scalar');
}

/** jsonb - text[] (and - text): drops keys from an object or matching strings from an array. */
export function jsonbDeleteKeys(v: Jsonb, keys: readonly (string | null)[]): Jsonb {
  const r = v.root;
  if (!isContainer(r)) throw deleteFromScalar();
  if (keys.length === 0) return v;
  if (Array.isArray(r)) return new Jsonb(r.filter((e) => typeof e !== 'string' || !keys.includes(e)));
  const o = r as JsonbObject;
  const ks: string[] = [];
  const vs: JsonbValue[] = [];
  for (let i = 0; i < o.keys.length; i++) {
    const k = o.keys[i] as string;
    if (keys.includes(k)) continue;
    ks.push(k);
    vs.push(o.values[i] as JsonbValue);
  }
  return new Jsonb(new JsonbObject(ks, vs));
}

/** jsonb - integer. */
export function jsonbDeleteIndex(v: Jsonb, index: number): Jsonb {
  const r = v.root;
  if (!isContainer(r)) throw deleteFromScalar();
  if (!Array.isArray(r)) {
    throw new DbError('invalid_parameter_value', 'cannot delete from object using integer index');
  }
  const i = index < 0 ? r.length + index : index;
  if (i < 0 || i >= r.length) return v;
  return new Jsonb([...r.slice(0, i), ...r.slice(i + 1)]);
}

function checkPath(path: readonly (string | null)[]): string[] {
  path.forEach((p, i) => {
    if (p === null) {
      throw new DbError('null_value_not_allowed', `path element at position ${i + 1} is null`);
    }
  });
  return path as string[];
}

function arrayIndex(step: string, pos: number): number {
  if (!/^\s*[+-]?\d+\s*$/.test(step)) {
    throw new DbError('invalid_text_representation',
      `path element at position ${pos + 1} is not an integer: "${step}"`);
  }
  return Number(step);
}

type Op = 'set' | 'insert-before' | 'insert-after' | 'delete';

/** Applies an edit at path[pos..] under `v`; returns v itself when nothing changes. */
function edit(v: JsonbValue, path: string[], pos: number, op: Op, nv: JsonbValue, create: boolean): JsonbValue {
  const step = path[pos] as string;
  const last = pos === path.length - 1;
  if (v instanceof JsonbObject) {
    const i = v.keys.indexOf(step);
    if (i < 0) {
      if (!last || op === 'delete' || (op === 'set' && !create)) return v;
      return makeJsonbObject([...v.keys, step], [...v.values, nv]);
    }
    const child = v.values[i] as JsonbValue;
    if (!last) return replaceAt(v, i, edit(child, path, pos + 1, op, nv, create));
    if (op === 'delete') {
      return new JsonbObject(v.keys.filter((_, j) => j !== i), v.values.filter((_, j) => j !== i));
    }
    if (op !== 'set') {
      throw new DbError('invalid_parameter_value', 'cannot replace existing key',
        { hint: 'Try using the function jsonb_set to replace key value.' });
    }
    return replaceAt(v, i, nv);
  }
  if (Array.isArray(v)) return editArray(v, path, pos, op, nv, create);
  return v;
}

function replaceAt(o: JsonbObject, i: number, child: JsonbValue): JsonbObject {
  if (o.values[i] === child) return o;
  const values = o.values.slice();
  values[i] = child;
  return new JsonbObject(o.keys, values);
}

function editArray(v: JsonbValue[], path: string[], pos: number, op: Op, nv: JsonbValue, create: boolean): JsonbValue {
  const idx = arrayIndex(path[pos] as string, pos);
  const last = pos === path.length - 1;
  let i = idx < 0 ? v.length + idx : idx;
  if (i < 0 || i >= v.length) {
    if (!last || op === 'delete' || (op === 'set' && !create)) return v;
    // Out of range: prepend when before the start, append when past the end.
    i = i < 0 ? 0 : v.length;
    return [...v.slice(0, i), nv, ...v.slice(i)];
  }
  if (!last) {
    const child = edit(v[i] as JsonbValue, path, pos + 1, op, nv, create);
    if (child === v[i]) return v;
    const copy = v.slice();
    copy[i] = child;
    return copy;
  }
  switch (op) {
    case 'delete': return [...v.slice(0, i), ...v.slice(i + 1)];
    case 'set': { const copy = v.slice(); copy[i] = nv; return copy; }
    case 'insert-before': return [...v.slice(0, i), nv, ...v.slice(i)];
    case 'insert-after': return [...v.slice(0, i + 1), nv, ...v.slice(i + 1)];
  }
}

/** jsonb #- text[]. */
export function jsonbDeletePath(v: Jsonb, path: readonly (string | null)[]): Jsonb {
  if (!isContainer(v.root)) throw new DbError('invalid_parameter_value', 'cannot delete path in scalar');
  const p = checkPath(path);
  if (p.length === 0) return v;
  return new Jsonb(edit(v.root, p, 0, 'delete', null, false));
}

/** jsonb_set(target, path, new_value, create_if_missing). */
export function jsonbSet(v: Jsonb, path: readonly (string | null)[], nv: Jsonb, create: boolean): Jsonb {
  if (!isContainer(v.root)) throw new DbError('invalid_parameter_value', 'cannot set path in scalar');
  const p = checkPath(path);
  if (p.length === 0) return v;
  return new Jsonb(edit(v.root, p, 0, 'set', nv.root, create));
}

/** jsonb_insert(target, path, new_value, insert_after). */
export function jsonbInsert(v: Jsonb, path: readonly (string | null)[], nv: Jsonb, after: boolean): Jsonb {
  if (!isContainer(v.root)) throw new DbError('invalid_parameter_value', 'cannot set path in scalar');
  const p = checkPath(path);
  if (p.length === 0) return v;
  return new Jsonb(edit(v.root, p, 0, after ? 'insert-after' : 'insert-before', nv.root, true));
}

/** jsonb_set_lax: like jsonb_set, with a policy for an SQL NULL new value. */
export function jsonbSetLax(
  v: Jsonb, path: readonly (string | null)[], nv: Jsonb | null, create: boolean, treatment: string,
): Jsonb {
  if (nv !== null) return jsonbSet(v, path, nv, create);
  switch (treatment) {
    case 'raise_exception':
      throw new DbError('null_value_not_allowed', 'JSON value must not be null', {
        detail: 'Exception was raised because null_value_treatment is "raise_exception".',
        hint: 'To avoid, either change the null_value_treatment argument or ensure that an SQL NULL is not passed.',
      });
    case 'use_json_null': return jsonbSet(v, path, new Jsonb(null), create);
    case 'delete_key': return jsonbDeletePath(v, path);
    case 'return_target': return v;
    default:
      throw new DbError('invalid_parameter_value',
        'null_value_treatment must be "delete_key", "return_target", "use_json_null", or "raise_exception"');
  }
}

function stripNulls(v: JsonbValue): JsonbValue {
  if (Array.isArray(v)) return v.map(stripNulls);
  if (!(v instanceof JsonbObject)) return v;
  const ks: string[] = [];
  const vs: JsonbValue[] = [];
  for (let i = 0; i < v.keys.length; i++) {
    const child = v.values[i] as JsonbValue;
    if (child === null) continue;
    ks.push(v.keys[i] as string);
    vs.push(stripNulls(child));
  }
  return new JsonbObject(ks, vs);
}

/** jsonb_strip_nulls: drops object fields whose value is null, recursively (array nulls stay). */
export function jsonbStripNulls(v: Jsonb): Jsonb {
  return new Jsonb(stripNulls(v.root));
}

function indent(level: number): string {
  return '\n' + '    '.repeat(level);
}

/** jsonb_pretty's layout: 4-space indent, "key": value, no space after commas. */
function pretty(v: JsonbValue, level: number, indentFirst: boolean): string {
  const lead = indentFirst ? indent(level) : '';
  if (Array.isArray(v)) {
    let out = lead + '[';
    v.forEach((e, i) => {
      if (i > 0) out += ',';
      out += isContainer(e) ? pretty(e, level + 1, true) : indent(level + 1) + formatJsonbValue(e);
    });
    return out + indent(level) + ']';
  }
  if (v instanceof JsonbObject) {
    let out = lead + '{';
    v.keys.forEach((k, i) => {
      const child = v.values[i] as JsonbValue;
      if (i > 0) out += ',';
      out += indent(level + 1) + formatJsonbValue(k) + ': ' +
        (isContainer(child) ? pretty(child, level + 1, false) : formatJsonbValue(child));
    });
    return out + indent(level) + '}';
  }
  return formatJsonbValue(v);
}

export function jsonbPretty(v: Jsonb): string {
  return pretty(v.root, 0, false);
}
