/**
 * Engine values -> the JSON values the Python side decodes (bootstrap.ts `_hook`). Python keeps
 * what JavaScript cannot: numeric becomes decimal.Decimal, timestamps datetime with their
 * microseconds, int8 an exact int. Results come back through the shared codec (codec.ts) and
 * the type's input function, so they are exact as well.
 */
import { Oid, type SqlType } from '../../types/sql-type.ts';
import { SqlArray } from '../../types/array.ts';
import { NumericValue, formatNumeric } from '../../types/numeric.ts';
import type { Jsonb } from '../../types/json.ts';
import { jsonbToJs } from '../../types/jsonb-ops.ts';
import { outputFunction } from '../../types/text-io.ts';
import type { TypeContext } from '../../types/context.ts';
import type { FieldInfo } from '../language.ts';
import type { ToScript } from '../values.ts';

const identity: ToScript = (v) => v;

/** The converter from the engine representation of `type` to Python's JSON form. */
export function toPythonConverter(type: SqlType): ToScript {
  if (type.elem !== null) {
    const elem = toPythonConverter(type.elem);
    return (v, ctx) => (v instanceof SqlArray ? v.elems.map((e) => (e === null ? null : elem(e, ctx))) : v);
  }
  const text = (): ToScript => {
    const out = outputFunction(type);
    return (v, ctx) => out(v, ctx);
  };
  switch (type.oid) {
    case Oid.bool: case Oid.int2: case Oid.int4: case Oid.int8: case Oid.float4: case Oid.float8:
    case Oid.text: case Oid.varchar: case Oid.bpchar: case Oid.name: case Oid.uuid: case Oid.bytea:
    case Oid.oid: case Oid.unknown:
      return identity;
    case Oid.numeric:
      return (v) => ({ '\u0000m': formatNumeric(v as NumericValue) });
    case Oid.date: {
      const t = text();
      return (v, ctx) => (Number.isFinite(v) ? { '\u0000D': v } : t(v, ctx));
    }
    case Oid.timestamp: {
      const t = text();
      return (v, ctx) => (Number.isFinite(v) ? { '\u0000T': v } : t(v, ctx));
    }
    case Oid.timestamptz: {
      const t = text();
      return (v, ctx) => (Number.isFinite(v) ? { '\u0000Z': v } : t(v, ctx));
    }
    case Oid.json:
      return (v) => JSON.parse(v as string);
    case Oid.jsonb:
      return (v) => jsonbToJs(v as Jsonb);
    default:
      return text();
  }
}

/** Engine row -> dict keyed by column name, in Python's JSON form. */
export function rowToPython(columns: readonly FieldInfo[]):
  (row: readonly unknown[], ctx: TypeContext) => Record<string, unknown> {
  const convs = columns.map((c) => toPythonConverter(c.type));
  return (row, ctx) => {
    const o: Record<string, unknown> = {};
    for (let i = 0; i < columns.length; i++) {
      const v = row[i];
      o[columns[i]!.name] = v === null || v === undefined ? null : convs[i]!(v, ctx);
    }
    return o;
  };
}

/** True for types whose JSON numbers must become Python floats (JSON writes 2.0 as 2). */
export function isFloatType(t: SqlType): boolean {
  return t.elem === null && (t.oid === Oid.float4 || t.oid === Oid.float8);
}
