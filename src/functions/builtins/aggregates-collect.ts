/**
 * Collecting aggregates: string_agg (text and bytea), array_agg, json_agg/jsonb_agg and
 * json_object_agg/jsonb_object_agg.
 *
 * Invariants:
 * - These are non-strict like PostgreSQL's: array_agg and json_agg keep NULL inputs (as NULL
 *   elements / JSON null); string_agg skips NULL values and treats a NULL delimiter as empty;
 *   the object aggregates reject a NULL key with 'field name must not be null' (22023).
 * - An empty group yields NULL.
 * - Values are accumulated in plain arrays and only joined in `final`, which does not mutate
 *   the state, so window frames may call final repeatedly.
 * - The argument types are known only in `init`, so per-type converters live in the state.
 */
import { DbError } from '../../errors/index.ts';
import { defineAggregate, type AggregateDef, type EvalContext } from '../registry.ts';
import { arrayOf, Types, type SqlType } from '../../types/sql-type.ts';
import { SqlArray } from '../../types/array.ts';
import { Jsonb, makeJsonbObject, quoteJsonString, type JsonbValue } from '../../types/json.ts';
import { jsonKeyText, toJsonbValue, toJsonText } from './json-convert.ts';

class ListState {
  readonly types: readonly SqlType[];
  readonly items: unknown[] = [];
  /** Delimiter preceding each item after the first (string_agg). */
  readonly delims: unknown[] = [];
  constructor(types: readonly SqlType[]) {
    this.types = types;
  }
}

function listInit(types: readonly SqlType[]): unknown {
  return new ListState(types);
}

function stringAggDefs(): AggregateDef[] {
  const step = (s: unknown, args: unknown[]): unknown => {
    const st = s as ListState;
    const v = args[0];
    if (v === null || v === undefined) return st;
    st.items.push(v);
    st.delims.push(args[1] ?? null);
    return st;
  };
  return [
    defineAggregate({ name: 'string_agg', args: [Types.text, Types.text], returns: Types.text, strict: false,
      init: listInit, step,
      final: (s) => {
        const st = s as ListState;
        if (st.items.length === 0) return null;
        let out = st.items[0] as string;
        for (let i = 1; i < st.items.length; i++) out += ((st.delims[i] as string | null) ?? '') + (st.items[i] as string);
        return out;
      } }),
    defineAggregate({ name: 'string_agg', args: [Types.bytea, Types.bytea], returns: Types.bytea, strict: false,
      init: listInit, step,
      final: (s) => {
        const st = s as ListState;
        if (st.items.length === 0) return null;
        const parts: Uint8Array[] = [st.items[0] as Uint8Array];
        for (let i = 1; i < st.items.length; i++) {
          const d = st.delims[i] as Uint8Array | null;
          if (d !== null) parts.push(d);
          parts.push(st.items[i] as Uint8Array);
        }
        return concatBytes(parts);
      } }),
  ];
}

function concatBytes(parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function pushStep(s: unknown, args: unknown[]): unknown {
  (s as ListState).items.push(args[0] ?? null);
  return s;
}

function arrayAggDef(): AggregateDef {
  return defineAggregate({
    name: 'array_agg', args: ['anynonarray'], strict: false,
    returns: (t) => arrayOf(t[0] ?? Types.unknown),
    init: listInit, step: pushStep,
    final: (s) => {
      const st = s as ListState;
      return st.items.length === 0 ? null : new SqlArray(st.items.slice());
    },
  });
}

/** array_agg(anyarray): stacks equally-shaped arrays into one more dimension. */
function arrayAggArraysDef(): AggregateDef {
  return defineAggregate({
    name: 'array_agg', args: ['anyarray'], strict: false,
    returns: (t) => t[0] ?? Types.unknown,
    init: listInit,
    step: (s, args) => {
      const st = s as ListState;
      const a = args[0] as SqlArray | null | undefined;
      if (a === null || a === undefined) {
        throw new DbError('null_value_not_allowed', 'cannot accumulate null arrays');
      }
      if (a.dims.length === 0) throw new DbError('array_subscript_error', 'cannot accumulate empty arrays');
      const first = st.items[0] as SqlArray | undefined;
      if (first !== undefined && (first.dims.length !== a.dims.length ||
        first.dims.some((d, i) => d !== a.dims[i]) || first.lbounds.some((l, i) => l !== a.lbounds[i]))) {
        throw new DbError('array_subscript_error', 'cannot accumulate arrays of different dimensionality');
      }
      st.items.push(a);
      return st;
    },
    final: (s) => {
      const st = s as ListState;
      const first = st.items[0] as SqlArray | undefined;
      if (first === undefined) return null;
      const elems: unknown[] = [];
      for (const a of st.items) elems.push(...(a as SqlArray).elems);
      return new SqlArray(elems, [st.items.length, ...first.dims], [1, ...first.lbounds]);
    },
  });
}

function jsonAggDefs(): AggregateDef[] {
  const elemType = (st: ListState): SqlType => st.types[0] ?? Types.unknown;
  return [
    defineAggregate({ name: 'json_agg', args: ['anyelement'], returns: Types.json, strict: false,
      init: listInit, step: pushStep,
      final: (s, ctx) => {
        const st = s as ListState;
        if (st.items.length === 0) return null;
        const t = elemType(st);
        return '[' + st.items.map((v) => toJsonText(v, t, ctx.types)).join(', ') + ']';
      } }),
    defineAggregate({ name: 'jsonb_agg', args: ['anyelement'], returns: Types.jsonb, strict: false,
      init: listInit, step: pushStep,
      final: (s, ctx) => {
        const st = s as ListState;
        if (st.items.length === 0) return null;
        const t = elemType(st);
        return new Jsonb(st.items.map((v) => toJsonbValue(v, t, ctx.types)));
      } }),
  ];
}

function objectStep(s: unknown, args: unknown[]): unknown {
  const st = s as ListState;
  const k = args[0];
  if (k === null || k === undefined) {
    throw new DbError('invalid_parameter_value', 'field name must not be null');
  }
  st.items.push(k);
  st.delims.push(args[1] ?? null);
  return st;
}

function keyText(st: ListState, i: number, ctx: EvalContext): string {
  return jsonKeyText(st.items[i], st.types[0] ?? Types.text, ctx.types);
}

function objectAggDefs(): AggregateDef[] {
  return [
    defineAggregate({ name: 'json_object_agg', args: ['any', 'any'], returns: Types.json, strict: false,
      init: listInit, step: objectStep,
      final: (s, ctx) => {
        const st = s as ListState;
        if (st.items.length === 0) return null;
        const vt = st.types[1] ?? Types.text;
        const parts: string[] = [];
        for (let i = 0; i < st.items.length; i++) {
          parts.push(`${quoteJsonString(keyText(st, i, ctx))} : ${toJsonText(st.delims[i], vt, ctx.types)}`);
        }
        return '{ ' + parts.join(', ') + ' }';
      } }),
    defineAggregate({ name: 'jsonb_object_agg', args: ['any', 'any'], returns: Types.jsonb, strict: false,
      init: listInit, step: objectStep,
      final: (s, ctx) => {
        const st = s as ListState;
        if (st.items.length === 0) return null;
        const vt = st.types[1] ?? Types.text;
        const keys: string[] = [];
        const values: JsonbValue[] = [];
        for (let i = 0; i < st.items.length; i++) {
          keys.push(keyText(st, i, ctx));
          values.push(toJsonbValue(st.delims[i], vt, ctx.types));
        }
        return new Jsonb(makeJsonbObject(keys, values));
      } }),
  ];
}

export function collectAggregateDefs(): AggregateDef[] {
  return [...stringAggDefs(), arrayAggDef(), arrayAggArraysDef(), ...jsonAggDefs(), ...objectAggDefs()];
}
