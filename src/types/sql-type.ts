/**
 * SQL types. A type is identified by its PostgreSQL OID (so the wire protocol, pg_type and drivers
 * need no mapping) plus a type modifier (`typmod`: varchar/char length, numeric precision/scale,
 * time precision; -1 when absent) and, for arrays, the element type.
 *
 * Runtime value representation (every layer relies on this; see src/types/README.md):
 *   NULL                      -> null
 *   bool                      -> boolean
 *   int2, int4                -> number (always an integer in range)
 *   oid, reg* (regclass, regtype, regproc, regnamespace, regrole) -> number (unsigned 32-bit)
 *   int8                      -> number when |v| <= 2^53-1, else bigint (canonical: never a bigint
 *                                that fits a safe integer, so === and Map keys work)
 *   numeric                   -> NumericValue { value: Decimal, scale } (numeric.ts: decimal.js
 *                                value plus PostgreSQL's display scale, so 1.50 prints as 1.50)
 *   float4, float8            -> number (float4 values are Math.fround-ed)
 *   text, varchar, bpchar, name -> string (bpchar stored padded to its length)
 *   date                      -> number: days since 1970-01-01 (+-Infinity for +-infinity)
 *   time                      -> number: microseconds since midnight
 *   timestamp, timestamptz    -> number: microseconds since 1970-01-01 00:00 UTC (+-Infinity)
 *   interval                  -> Interval { months, days, micros }
 *   json                      -> string (the original text, validated)
 *   jsonb                     -> Jsonb (normalized tree, see json.ts)
 *   uuid                      -> string (lowercase canonical 8-4-4-4-12)
 *   bytea                     -> Uint8Array
 *   arrays                    -> SqlArray (see array.ts) — elements in the element representation
 */

export const Oid = {
  bool: 16,
  bytea: 17,
  char: 18,
  name: 19,
  int8: 20,
  int2: 21,
  int4: 23,
  regproc: 24,
  text: 25,
  oid: 26,
  json: 114,
  xml: 142,
  float4: 700,
  float8: 701,
  unknown: 705,
  bpchar: 1042,
  varchar: 1043,
  date: 1082,
  time: 1083,
  timestamp: 1114,
  timestamptz: 1184,
  interval: 1186,
  timetz: 1266,
  numeric: 1700,
  regclass: 2205,
  regtype: 2206,
  regnamespace: 4089,
  regrole: 4096,
  record: 2249,
  cstring: 2275,
  any: 2276,
  anyarray: 2277,
  void: 2278,
  trigger: 2279,
  anyelement: 2283,
  uuid: 2950,
  jsonb: 3802,
  // Array types.
  _bool: 1000,
  _bytea: 1001,
  _name: 1003,
  _int2: 1005,
  _int4: 1007,
  _text: 1009,
  _bpchar: 1014,
  _varchar: 1015,
  _int8: 1016,
  _float4: 1021,
  _float8: 1022,
  _oid: 1028,
  _timestamp: 1115,
  _date: 1182,
  _time: 1183,
  _timestamptz: 1185,
  _interval: 1187,
  _numeric: 1231,
  _uuid: 2951,
  _json: 199,
  _jsonb: 3807,
  _record: 2287,
} as const;

export type OidValue = (typeof Oid)[keyof typeof Oid];

/** The OID-alias types: stored and compared as oid, printed as a name where one is known. */
export const REG_TYPE_OIDS: readonly number[] = [Oid.regproc, Oid.regclass, Oid.regtype, Oid.regnamespace, Oid.regrole];

/** PostgreSQL type categories (pg_type.typcategory), used by implicit-cast resolution. */
export type TypeCategory = 'B' | 'N' | 'S' | 'D' | 'T' | 'U' | 'A' | 'X' | 'P' | 'R';

export interface TypeInfo {
  readonly oid: number;
  /** Canonical SQL name as format_type() prints it. */
  readonly name: string;
  /** Internal name as pg_type.typname has it. */
  readonly typname: string;
  readonly category: TypeCategory;
  /** Preferred type within its category (float8 for N, text for S, timestamptz for D ...). */
  readonly preferred: boolean;
  /** pg_type.typlen: fixed byte length, or -1 for variable length. */
  readonly len: number;
  readonly arrayOid: number;
  readonly elemOid: number;
}

const infos: TypeInfo[] = [];
const byOid = new Map<number, TypeInfo>();

function def(
  oid: number, name: string, typname: string, category: TypeCategory, preferred: boolean,
  len: number, arrayOid = 0, elemOid = 0,
): void {
  const info: TypeInfo = { oid, name, typname, category, preferred, len, arrayOid, elemOid };
  infos.push(info);
  byOid.set(oid, info);
}

def(Oid.bool, 'boolean', 'bool', 'B', true, 1, Oid._bool);
def(Oid.bytea, 'bytea', 'bytea', 'U', false, -1, Oid._bytea);
def(Oid.char, '"char"', 'char', 'Z' as TypeCategory, false, 1);
def(Oid.name, 'name', 'name', 'S', false, 64, Oid._name);
def(Oid.int8, 'bigint', 'int8', 'N', false, 8, Oid._int8);
def(Oid.int2, 'smallint', 'int2', 'N', false, 2, Oid._int2);
def(Oid.int4, 'integer', 'int4', 'N', false, 4, Oid._int4);
def(Oid.regproc, 'regproc', 'regproc', 'N', false, 4);
def(Oid.text, 'text', 'text', 'S', true, -1, Oid._text);
def(Oid.oid, 'oid', 'oid', 'N', false, 4, Oid._oid);
def(Oid.json, 'json', 'json', 'U', false, -1, Oid._json);
def(Oid.xml, 'xml', 'xml', 'U', false, -1);
def(Oid.float4, 'real', 'float4', 'N', false, 4, Oid._float4);
def(Oid.float8, 'double precision', 'float8', 'N', true, 8, Oid._float8);
def(Oid.unknown, 'unknown', 'unknown', 'X', false, -2);
def(Oid.bpchar, 'character', 'bpchar', 'S', false, -1, Oid._bpchar);
def(Oid.varchar, 'character varying', 'varchar', 'S', false, -1, Oid._varchar);
def(Oid.date, 'date', 'date', 'D', false, 4, Oid._date);
def(Oid.time, 'time without time zone', 'time', 'D', false, 8, Oid._time);
def(Oid.timestamp, 'timestamp without time zone', 'timestamp', 'D', false, 8, Oid._timestamp);
def(Oid.timestamptz, 'timestamp with time zone', 'timestamptz', 'D', true, 8, Oid._timestamptz);
def(Oid.interval, 'interval', 'interval', 'T', true, 16, Oid._interval);
def(Oid.timetz, 'time with time zone', 'timetz', 'D', false, 12);
def(Oid.numeric, 'numeric', 'numeric', 'N', false, -1, Oid._numeric);
def(Oid.regclass, 'regclass', 'regclass', 'N', false, 4);
def(Oid.regtype, 'regtype', 'regtype', 'N', false, 4);
def(Oid.regnamespace, 'regnamespace', 'regnamespace', 'N', false, 4);
def(Oid.regrole, 'regrole', 'regrole', 'N', false, 4);
def(Oid.record, 'record', 'record', 'P', false, -1, Oid._record);
def(Oid.cstring, 'cstring', 'cstring', 'P', false, -2);
def(Oid.any, '"any"', 'any', 'P', false, 4);
def(Oid.anyarray, 'anyarray', 'anyarray', 'P', false, -1);
def(Oid.void, 'void', 'void', 'P', false, 4);
def(Oid.trigger, 'trigger', 'trigger', 'P', false, 4);
def(Oid.anyelement, 'anyelement', 'anyelement', 'P', false, 4);
def(Oid.uuid, 'uuid', 'uuid', 'U', false, 16, Oid._uuid);
def(Oid.jsonb, 'jsonb', 'jsonb', 'U', false, -1, Oid._jsonb);
for (const base of [...infos]) {
  if (base.arrayOid !== 0) {
    def(base.arrayOid, `${base.name}[]`, `_${base.typname}`, 'A', false, -1, 0, base.oid);
  }
}

export function typeInfo(oid: number): TypeInfo | undefined {
  return byOid.get(oid);
}

export function allTypeInfos(): readonly TypeInfo[] {
  return infos;
}

/** A SQL type as the binder and executor see it. Immutable; compare with `sameType`. */
export interface SqlType {
  readonly oid: number;
  /** -1 when absent. varchar/bpchar: max length; numeric: (precision << 16) | scale; time*: precision. */
  readonly typmod: number;
  /** Element type for arrays, else null. */
  readonly elem: SqlType | null;
  /**
   * For `record`: the fields, where the binder knows them (ROW(...), a table's row, a function's
   * OUT parameters). Oxibase has no per-shape composite type oids, so the shape travels with the
   * type instead of through PostgreSQL's typmod registry; it is what field selection, record
   * output and record comparison read.
   */
  readonly row?: RowShape;
}

export interface RecordField {
  readonly name: string;
  readonly type: SqlType;
}

export interface RowShape {
  readonly fields: readonly RecordField[];
  /** The table whose row type this is (for PostgreSQL's "data type t" messages), else null. */
  readonly relName: string | null;
}

/** The record type with known fields. */
export function recordType(fields: readonly RecordField[], relName: string | null = null): SqlType {
  return Object.freeze({ oid: Oid.record, typmod: -1, elem: null, row: Object.freeze({ fields, relName }) });
}

const simpleTypes = new Map<number, SqlType>();

/** The unmodified type for an OID (shared instance). */
export function typeOf(oid: number): SqlType {
  let t = simpleTypes.get(oid);
  if (!t) {
    const info = byOid.get(oid);
    const elem = info && info.elemOid !== 0 ? typeOf(info.elemOid) : null;
    t = Object.freeze({ oid, typmod: -1, elem });
    simpleTypes.set(oid, t);
  }
  return t;
}

export function withTypmod(type: SqlType, typmod: number): SqlType {
  if (typmod === type.typmod) return type;
  return Object.freeze(type.row ? { oid: type.oid, typmod, elem: type.elem, row: type.row } : { oid: type.oid, typmod, elem: type.elem });
}

/** The array type whose elements are `elem`. */
export function arrayOf(elem: SqlType): SqlType {
  const info = byOid.get(elem.oid);
  const arrayOid = info?.arrayOid ?? 0;
  if (arrayOid === 0) return Object.freeze({ oid: Oid.anyarray, typmod: -1, elem });
  return elem.typmod === -1 && elem.row === undefined ? typeOf(arrayOid) : Object.freeze({ oid: arrayOid, typmod: -1, elem });
}

export function sameType(a: SqlType, b: SqlType): boolean {
  if (a === b) return true;
  if (a.oid !== b.oid || a.typmod !== b.typmod) return false;
  if (a.row !== undefined && b.row !== undefined && !sameShape(a.row, b.row)) return false;
  if (a.elem === null || b.elem === null) return a.elem === b.elem;
  return sameType(a.elem, b.elem);
}

/** Same field names and types (a record without a known shape matches any, see sameType). */
function sameShape(a: RowShape, b: RowShape): boolean {
  if (a === b) return true;
  if (a.fields.length !== b.fields.length) return false;
  return a.fields.every((f, i) => f.name === b.fields[i]!.name && sameType(f.type, b.fields[i]!.type));
}

export function isArrayType(t: SqlType): boolean {
  return t.elem !== null;
}

export function numericTypmod(precision: number, scale: number): number {
  return ((precision << 16) | (scale & 0xffff)) >>> 0;
}

export function numericPrecision(typmod: number): number {
  return typmod >>> 16;
}

export function numericScale(typmod: number): number {
  const s = typmod & 0xffff;
  return s > 0x7fff ? s - 0x10000 : s;
}

/** format_type(): the SQL spelling of a type including its modifier, e.g. `character varying(20)`. */
export function formatType(t: SqlType): string {
  if (t.elem !== null) return `${formatType(t.elem)}[]`;
  const name = byOid.get(t.oid)?.name ?? `type ${t.oid}`;
  if (t.typmod < 0) return name;
  switch (t.oid) {
    case Oid.varchar:
    case Oid.bpchar:
      return `${name}(${t.typmod})`;
    case Oid.numeric:
      return `numeric(${numericPrecision(t.typmod)},${numericScale(t.typmod)})`;
    case Oid.time:
      return `time(${t.typmod}) without time zone`;
    case Oid.timestamp:
      return `timestamp(${t.typmod}) without time zone`;
    case Oid.timestamptz:
      return `timestamp(${t.typmod}) with time zone`;
    default:
      return name;
  }
}

/** Shared instances for the common types. */
export const Types = {
  bool: typeOf(Oid.bool),
  int2: typeOf(Oid.int2),
  int4: typeOf(Oid.int4),
  int8: typeOf(Oid.int8),
  numeric: typeOf(Oid.numeric),
  float4: typeOf(Oid.float4),
  float8: typeOf(Oid.float8),
  text: typeOf(Oid.text),
  varchar: typeOf(Oid.varchar),
  bpchar: typeOf(Oid.bpchar),
  name: typeOf(Oid.name),
  date: typeOf(Oid.date),
  time: typeOf(Oid.time),
  timestamp: typeOf(Oid.timestamp),
  timestamptz: typeOf(Oid.timestamptz),
  interval: typeOf(Oid.interval),
  json: typeOf(Oid.json),
  jsonb: typeOf(Oid.jsonb),
  uuid: typeOf(Oid.uuid),
  bytea: typeOf(Oid.bytea),
  unknown: typeOf(Oid.unknown),
  record: typeOf(Oid.record),
  void: typeOf(Oid.void),
  oid: typeOf(Oid.oid),
  regclass: typeOf(Oid.regclass),
  regtype: typeOf(Oid.regtype),
  regproc: typeOf(Oid.regproc),
  regnamespace: typeOf(Oid.regnamespace),
  regrole: typeOf(Oid.regrole),
} as const;
