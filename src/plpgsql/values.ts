/**
 * Values held by PL/pgSQL variables: engine-representation scalars and RecordValues (rows with
 * their field names and types), plus assignment coercion with PostgreSQL's rules: an assignment
 * cast when one exists, else conversion through text (plpgsql's exec_cast_value does the same).
 */
import { DbError } from '../errors/index.ts';
import type { FieldInfo } from '../scripting/language.ts';
import { findCast, type CastFn } from '../types/cast.ts';
import type { TypeContext } from '../types/context.ts';
import { formatType, type SqlType } from '../types/sql-type.ts';
import { inputFunction, outputFunction } from '../types/text-io.ts';
import { newRow } from '../exec/new-row.ts';

/** A row value: NEW/OLD, RECORD and %ROWTYPE variables. `values` is aligned with `fields`. */
export class RecordValue {
  readonly fields: readonly FieldInfo[];
  readonly values: unknown[];
  /**
   * A NULL row that still has a structure: NEW in a DELETE trigger, OLD in an INSERT one
   * (fields read as NULL, the record itself IS NULL), as since PostgreSQL 11.
   */
  readonly isNull: boolean;

  constructor(fields: readonly FieldInfo[], values: unknown[], isNull = false) {
    this.fields = fields;
    this.values = values;
    this.isNull = isNull;
  }

  fieldIndex(name: string): number {
    const fields = this.fields;
    for (let i = 0; i < fields.length; i++) if (fields[i]!.name === name) return i;
    return -1;
  }

  static nulls(fields: readonly FieldInfo[]): RecordValue {
    return new RecordValue(fields, newRow(fields.length));
  }
}

const castCache = new Map<string, CastFn>();

function castKey(from: SqlType, to: SqlType): string {
  return `${formatType(from)}>${formatType(to)}`;
}

/** Converts a value of type `from` for storing into a variable or result of type `to`. */
export function coerceValue(v: unknown, from: SqlType, to: SqlType, types: TypeContext): unknown {
  if (v === null || v === undefined) return null;
  if (from === to || (from.oid === to.oid && to.typmod < 0 && from.elem === null)) return v;
  const key = castKey(from, to);
  let fn = castCache.get(key);
  if (fn === undefined) {
    fn = findCast(from, to, 'assignment') ?? viaText(from, to);
    castCache.set(key, fn);
  }
  return fn(v, types);
}

function viaText(from: SqlType, to: SqlType): CastFn {
  let out: ((v: unknown, ctx: TypeContext) => string) | null = null;
  let inp: ((s: string, ctx: TypeContext) => unknown) | null = null;
  try {
    out = outputFunction(from);
    inp = inputFunction(to);
  } catch {
    // Types without text I/O (pseudo-types) have no conversion at all.
  }
  if (out === null || inp === null) {
    return () => {
      throw new DbError('datatype_mismatch', `cannot convert type ${formatType(from)} to ${formatType(to)}`);
    };
  }
  const o = out;
  const i = inp;
  return (v, ctx) => i(o(v, ctx), ctx);
}

/** The text form of a value (RAISE arguments, EXECUTE strings, TG_ARGV). */
export function valueText(v: unknown, type: SqlType, types: TypeContext): string {
  if (v instanceof RecordValue) return recordText(v, types);
  return outputFunction(type)(v, types);
}

/** `(a,b,)`: PostgreSQL's record output (quoting elements with special characters). */
export function recordText(r: RecordValue, types: TypeContext): string {
  const parts = r.values.map((v, i) => {
    if (v === null) return '';
    const s = valueText(v, r.fields[i]!.type, types);
    return s === '' || /[(),"\\\s]/.test(s) ? `"${s.replace(/["\\]/g, (c) => c + c)}"` : s;
  });
  return `(${parts.join(',')})`;
}
