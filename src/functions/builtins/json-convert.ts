/**
 * SQL value -> JSON conversion, as PostgreSQL's datum_to_json / datum_to_jsonb do it: numbers stay
 * bare (NaN and ±Infinity become strings), booleans are JSON booleans, date/time values use the
 * ISO 8601 "XSD" form ("2020-01-02T03:04:05+00:00"), json/jsonb are embedded as is, arrays become
 * JSON arrays and everything else becomes the JSON string of its text output.
 *
 * Two targets: `toJsonText` (json, text with PostgreSQL's spacing rules left to the caller) and
 * `toJsonbValue` (the jsonb tree of src/types/json.ts). Both are pure apart from the session
 * settings in the TypeContext (time zone for timestamptz).
 */
import { Oid, type SqlType } from '../../types/sql-type.ts';
import type { TypeContext } from '../../types/context.ts';
import { outputFunction } from '../../types/text-io.ts';
import {
  Jsonb, JsonbNumber, makeJsonbObject, normalizeNumber, parseJsonb, quoteJsonString, formatJsonb,
  type JsonbValue,
} from '../../types/json.ts';
import { formatDate, formatTime, formatTimestamp } from '../../types/datetime-format.ts';
import { contextZone, utcOffsetSec } from '../../types/timezone.ts';
import { USECS_PER_SEC, pad } from '../../types/datetime-core.ts';
import { SqlArray } from '../../types/array.ts';

const JSON_NUMBER_RE = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

function isNumberType(oid: number): boolean {
  return oid === Oid.int2 || oid === Oid.int4 || oid === Oid.int8 || oid === Oid.float4 ||
    oid === Oid.float8 || oid === Oid.numeric || oid === Oid.oid;
}

/** ISO 8601 offset with minutes (and seconds when needed): '+00:00', '-04:56:02'. */
function isoOffset(offsetSec: number): string {
  const sign = offsetSec < 0 ? '-' : '+';
  const abs = Math.abs(offsetSec);
  const s = abs % 60;
  return `${sign}${pad(Math.floor(abs / 3600), 2)}:${pad(Math.floor((abs % 3600) / 60), 2)}` +
    (s !== 0 ? `:${pad(s, 2)}` : '');
}

/** The XSD text of a date/time value, or null for other types. */
function dateTimeJsonText(value: unknown, oid: number, ctx: TypeContext): string | null {
  switch (oid) {
    case Oid.date: return formatDate(value as number);
    case Oid.time: return formatTime(value as number);
    case Oid.timestamp: {
      const us = value as number;
      return Number.isFinite(us) ? formatTimestamp(us).replace(' ', 'T') : formatTimestamp(us);
    }
    case Oid.timestamptz: {
      const us = value as number;
      if (!Number.isFinite(us)) return formatTimestamp(us);
      const offset = utcOffsetSec(contextZone(ctx), us);
      const local = formatTimestamp(us + offset * USECS_PER_SEC);
      const bc = local.endsWith(' BC');
      const core = (bc ? local.slice(0, -3) : local).replace(' ', 'T') + isoOffset(offset);
      return bc ? core + ' BC' : core;
    }
    default: return null;
  }
}

/** Regroups row-major elements into nested lists following the array's dimensions. */
function nestDims<T>(
  items: T[], dims: readonly number[], level: number, cursor: { at: number }, wrap: (xs: T[]) => T,
): T | null {
  if (dims.length === 0) return null;
  const n = dims[level] ?? 0;
  const out: T[] = [];
  for (let i = 0; i < n; i++) {
    if (level === dims.length - 1) out.push(items[cursor.at++] as T);
    else out.push(nestDims(items, dims, level + 1, cursor, wrap) as T);
  }
  return wrap(out);
}

/** JSON text of a non-null SQL value (to_json); arrays print without spaces like array_to_json. */
export function toJsonText(value: unknown, type: SqlType, ctx: TypeContext): string {
  if (value === null || value === undefined) return 'null';
  if (type.elem !== null && value instanceof SqlArray) {
    const elem = type.elem;
    const items = value.elems.map((e) => toJsonText(e, elem, ctx));
    return nestDims(items, value.dims, 0, { at: 0 }, (xs) => '[' + xs.join(',') + ']') ?? '[]';
  }
  if (type.row !== undefined) {
    // composite_to_json: keys in field order, compact.
    const row = value as unknown[];
    return '{' + type.row.fields.map((f, i) => `${quoteJsonString(f.name)}:${toJsonText(row[i] ?? null, f.type, ctx)}`).join(',') + '}';
  }
  const oid = type.oid;
  if (oid === Oid.bool) return value ? 'true' : 'false';
  if (oid === Oid.json) return value as string;
  if (oid === Oid.jsonb) return formatJsonb(value as Jsonb);
  if (isNumberType(oid)) {
    const s = outputFunction(type)(value, ctx);
    return JSON_NUMBER_RE.test(s) ? s : quoteJsonString(s);
  }
  const dt = dateTimeJsonText(value, oid, ctx);
  if (dt !== null) return quoteJsonString(dt);
  return quoteJsonString(outputFunction(type)(value, ctx));
}

/** jsonb tree of a non-null SQL value (to_jsonb). */
export function toJsonbValue(value: unknown, type: SqlType, ctx: TypeContext): JsonbValue {
  if (value === null || value === undefined) return null;
  if (type.elem !== null && value instanceof SqlArray) {
    const elem = type.elem;
    const items = value.elems.map((e) => toJsonbValue(e, elem, ctx));
    return nestDims<JsonbValue>(items, value.dims, 0, { at: 0 }, (xs) => xs) ?? [];
  }
  if (type.row !== undefined) {
    const row = value as unknown[];
    return makeJsonbObject(type.row.fields.map((f) => f.name), type.row.fields.map((f, i) => toJsonbValue(row[i] ?? null, f.type, ctx)));
  }
  const oid = type.oid;
  if (oid === Oid.bool) return value as boolean;
  if (oid === Oid.jsonb) return (value as Jsonb).root;
  if (oid === Oid.json) return parseJsonb(value as string).root;
  if (isNumberType(oid)) {
    const s = outputFunction(type)(value, ctx);
    return JSON_NUMBER_RE.test(s) ? new JsonbNumber(normalizeNumber(s)) : s;
  }
  const dt = dateTimeJsonText(value, oid, ctx);
  if (dt !== null) return dt;
  return outputFunction(type)(value, ctx);
}

/** The JSON string of an object key (json_build_object/json_object_agg keys must be scalars). */
export function jsonKeyText(value: unknown, type: SqlType, ctx: TypeContext): string {
  if (type.oid === Oid.text || type.oid === Oid.varchar || type.oid === Oid.name) return value as string;
  if (type.oid === Oid.bpchar) return value as string;
  const dt = dateTimeJsonText(value, type.oid, ctx);
  if (dt !== null) return dt;
  return outputFunction(type)(value, ctx);
}
