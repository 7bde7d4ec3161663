/**
 * Text I/O: PostgreSQL's input and output functions for every type in the runtime value
 * representation (see sql-type.ts). These are the exact text formats of the pgwire text
 * protocol, COPY and ::text casts.
 *
 * `inputFunction(type)` / `outputFunction(type)` are resolved once (at plan time) and return a
 * function that is called per value; the functions never receive NULL. Input applies the
 * type's modifier the way PostgreSQL's input functions do (varchar(n)/bpchar(n): error unless the
 * excess is spaces; numeric(p,s): round and check; time/timestamp(p): round to p digits).
 * `lengthCoercion` is the typmod step on its own, shared with cast.ts.
 */
import { DbError } from '../errors/index.ts';
import type { CatalogScope, TypeContext } from './context.ts';
import { Oid, allTypeInfos, formatType, typeInfo, typeOf, type SqlType } from './sql-type.ts';
import { parseBool, formatBool } from './bool.ts';
import { parseInt2, parseInt4, parseInt8, formatInt, type Int8 } from './int.ts';
import { parseFloat4, parseFloat8, formatFloat4, formatFloat8 } from './float.ts';
import { parseNumeric, formatNumeric, applyNumericTypmod, type NumericValue } from './numeric.ts';
import { bpcharCoerce, nameTruncate, truncateChars, varcharCoerce } from './text.ts';
import {
  parseDate, formatDate, parseTime, formatTime, parseTimestamp, formatTimestamp,
  parseTimestamptz, formatTimestamptz, roundTimestamp,
} from './datetime.ts';
import { parseInterval, formatInterval, type Interval } from './interval.ts';
import { parseJson, parseJsonb, formatJsonb, type Jsonb } from './json.ts';
import { parseUuid, formatUuid } from './uuid.ts';
import { parseBytea, formatBytea } from './bytea.ts';
import { parseArray, formatArray, type SqlArray } from './array.ts';
import { formatRecord } from './record.ts';

export type InputFn = (text: string, ctx: TypeContext) => unknown;
export type OutputFn = (value: unknown, ctx: TypeContext) => string;
/** A value-to-value step (typmod coercion, cast); never called with NULL. */
export type ValueFn = (value: unknown, ctx: TypeContext) => unknown;

function unsupported(type: SqlType, what: string): DbError {
  return new DbError('feature_not_supported', `no ${what} function for type ${formatType(type)}`);
}

// ---------------------------------------------------------------------------------------------
// oid: unsigned 32-bit; like oidin, accepts -2147483648..4294967295 (negatives wrap).
// ---------------------------------------------------------------------------------------------

export function parseOid(s: string): number {
  let v: Int8;
  try {
    v = parseInt8(s);
  } catch (e) {
    if (e instanceof DbError && e.code === '22003') {
      throw new DbError('numeric_value_out_of_range', `value "${s}" is out of range for type oid`);
    }
    throw new DbError('invalid_text_representation', `invalid input syntax for type oid: "${s}"`);
  }
  if (typeof v === 'bigint' || v < -2147483648 || v > 4294967295) {
    throw new DbError('numeric_value_out_of_range', `value "${s}" is out of range for type oid`);
  }
  return v >>> 0;
}

// ---------------------------------------------------------------------------------------------
// OID-alias types (regclass, regtype, regproc, regnamespace, regrole): the value is the oid;
// text I/O maps names. Type code has no catalog of its own: names of relations, schemas,
// functions and roles are looked up in the statement's catalog (TypeContext.catalogScope) by a
// stateless resolver the catalog layer installs. Without a scope, or for an unknown oid, output is
// the number, like PostgreSQL for a dropped object.
// ---------------------------------------------------------------------------------------------

export interface RegNameResolver {
  /** Name of the object with `oid` of the given reg type (already quoted/qualified as PostgreSQL prints it), or null. */
  name(scope: CatalogScope, regType: number, oid: number): string | null;
  /** Oid of the object named `text` (regclass 't', regnamespace 'public' ...), or null when unknown. */
  lookup(scope: CatalogScope, regType: number, text: string): number | null;
}

let regResolver: RegNameResolver | null = null;

/** Installed by the catalog layer (src/catalog/system). */
export function setRegNameResolver(r: RegNameResolver | null): void {
  regResolver = r;
}

const REG_NAMES: Record<number, string> = {
  [Oid.regproc]: 'function', [Oid.regclass]: 'relation', [Oid.regtype]: 'type',
  [Oid.regnamespace]: 'schema', [Oid.regrole]: 'role',
};

/** Built-in types by every spelling regtype input accepts: typname and format_type name. */
let typeNames: Map<string, number> | null = null;
function builtinTypeOid(name: string): number | undefined {
  if (typeNames === null) {
    typeNames = new Map();
    for (const t of allTypeInfos()) {
      typeNames.set(t.typname, t.oid);
      typeNames.set(t.name, t.oid);
    }
    for (const [k, v] of [['int', Oid.int4], ['decimal', Oid.numeric], ['varchar', Oid.varchar],
      ['char', Oid.bpchar], ['timestamp', Oid.timestamp], ['time', Oid.time]] as const) typeNames.set(k, v);
  }
  return typeNames.get(name);
}

function parseReg(regType: number, s: string, ctx: TypeContext): number {
  const t = s.trim();
  if (/^-?[0-9]+$/.test(t)) return parseOid(t);
  if (t === '-') return 0;
  let oid: number | null | undefined = null;
  if (regType === Oid.regtype) {
    const lower = t.toLowerCase().replace(/^pg_catalog\./, '').replace(/\s+/g, ' ');
    oid = builtinTypeOid(lower.replace(/^"(.*)"$/, '$1'));
  }
  const scope = ctx.catalogScope ?? null;
  if ((oid === null || oid === undefined) && scope !== null) oid = regResolver?.lookup(scope, regType, t) ?? null;
  oid ??= null;
  if (oid === null) {
    const what = REG_NAMES[regType] ?? 'object';
    throw new DbError(regType === Oid.regclass ? 'undefined_table' : regType === Oid.regproc ? 'undefined_function' : 'undefined_object',
      `${what} "${t}" does not exist`);
  }
  return oid;
}

function formatReg(regType: number, oid: number, ctx: TypeContext): string {
  // InvalidOid prints as '-' for every reg type (PostgreSQL's regclassout & co.).
  if (oid === 0) return '-';
  if (regType === Oid.regtype) {
    const info = typeInfo(oid);
    if (info !== undefined) return formatType(typeOf(oid));
  }
  const scope = ctx.catalogScope ?? null;
  return (scope !== null ? regResolver?.name(scope, regType, oid) : null) ?? String(oid);
}

// ---------------------------------------------------------------------------------------------
// Base input functions (no typmod), shared instances so call sites stay monomorphic.
// ---------------------------------------------------------------------------------------------

const identityText: InputFn = (s) => s;
const baseInputs = new Map<number, InputFn>([
  [Oid.bool, (s) => parseBool(s)],
  [Oid.int2, (s) => parseInt2(s)],
  [Oid.int4, (s) => parseInt4(s)],
  [Oid.int8, (s) => parseInt8(s)],
  [Oid.oid, (s) => parseOid(s)],
  [Oid.regproc, (s, ctx) => parseReg(Oid.regproc, s, ctx)],
  [Oid.regclass, (s, ctx) => parseReg(Oid.regclass, s, ctx)],
  [Oid.regtype, (s, ctx) => parseReg(Oid.regtype, s, ctx)],
  [Oid.regnamespace, (s, ctx) => parseReg(Oid.regnamespace, s, ctx)],
  [Oid.regrole, (s, ctx) => parseReg(Oid.regrole, s, ctx)],
  [Oid.float4, (s) => parseFloat4(s)],
  [Oid.float8, (s) => parseFloat8(s)],
  [Oid.numeric, (s) => parseNumeric(s)],
  [Oid.text, identityText],
  [Oid.varchar, identityText],
  [Oid.bpchar, identityText],
  [Oid.unknown, identityText],
  [Oid.name, (s) => nameTruncate(s)],
  [Oid.char, (s) => truncateChars(s, 1)],
  [Oid.date, (s, ctx) => parseDate(s, ctx)],
  [Oid.time, (s) => parseTime(s)],
  [Oid.timestamp, (s, ctx) => parseTimestamp(s, ctx)],
  [Oid.timestamptz, (s, ctx) => parseTimestamptz(s, ctx)],
  [Oid.interval, (s) => parseInterval(s)],
  [Oid.json, (s) => parseJson(s)],
  [Oid.jsonb, (s) => parseJsonb(s)],
  [Oid.uuid, (s) => parseUuid(s)],
  [Oid.bytea, (s) => parseBytea(s)],
]);

const identityOut: OutputFn = (v) => v as string;
const intOut: OutputFn = (v) => formatInt(v as Int8);
const baseOutputs = new Map<number, OutputFn>([
  // void (pg_sleep, functions returning void) prints as the empty string, as PostgreSQL's void_out.
  [Oid.void, () => ''],
  [Oid.bool, (v) => formatBool(v as boolean)],
  [Oid.int2, intOut],
  [Oid.int4, intOut],
  [Oid.int8, intOut],
  [Oid.oid, intOut],
  [Oid.regproc, (v, ctx) => formatReg(Oid.regproc, v as number, ctx)],
  [Oid.regclass, (v, ctx) => formatReg(Oid.regclass, v as number, ctx)],
  [Oid.regtype, (v, ctx) => formatReg(Oid.regtype, v as number, ctx)],
  [Oid.regnamespace, (v, ctx) => formatReg(Oid.regnamespace, v as number, ctx)],
  [Oid.regrole, (v, ctx) => formatReg(Oid.regrole, v as number, ctx)],
  [Oid.float4, (v, ctx) => formatFloat4(v as number, ctx.extraFloatDigits)],
  [Oid.float8, (v, ctx) => formatFloat8(v as number, ctx.extraFloatDigits)],
  [Oid.numeric, (v) => formatNumeric(v as NumericValue)],
  [Oid.text, identityOut],
  [Oid.varchar, identityOut],
  [Oid.bpchar, identityOut],
  [Oid.unknown, identityOut],
  [Oid.name, identityOut],
  [Oid.char, identityOut],
  [Oid.json, identityOut],
  [Oid.date, (v) => formatDate(v as number)],
  [Oid.time, (v) => formatTime(v as number)],
  [Oid.timestamp, (v) => formatTimestamp(v as number)],
  [Oid.timestamptz, (v, ctx) => formatTimestamptz(v as number, ctx)],
  [Oid.interval, (v, ctx) => formatInterval(v as Interval, ctx)],
  [Oid.jsonb, (v) => formatJsonb(v as Jsonb)],
  [Oid.uuid, (v) => formatUuid(v as string)],
  [Oid.bytea, (v) => formatBytea(v as Uint8Array)],
]);

// ---------------------------------------------------------------------------------------------
// Typmod (length) coercion
// ---------------------------------------------------------------------------------------------

/**
 * The typmod step for `type` (PostgreSQL's length-coercion functions varchar(), bpchar(),
 * numeric(), timestamp() ...), or null when the type has no modifier or none applies.
 * `explicit` selects silent truncation for varchar/bpchar (explicit casts).
 */
export function lengthCoercion(type: SqlType, explicit: boolean): ValueFn | null {
  const typmod = type.typmod;
  if (typmod < 0 || type.elem !== null) return null;
  switch (type.oid) {
    case Oid.varchar:
      return (v) => varcharCoerce(v as string, typmod, explicit);
    case Oid.bpchar:
      return (v) => bpcharCoerce(v as string, typmod, explicit);
    case Oid.numeric:
      return (v) => applyNumericTypmod(v as NumericValue, typmod);
    case Oid.time:
    case Oid.timestamp:
    case Oid.timestamptz:
      return typmod >= 6 ? null : (v) => roundTimestamp(v as number, typmod);
    default:
      return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Public resolution
// ---------------------------------------------------------------------------------------------

/**
 * Input functions of scalar types with a typmod, by type oid then typmod. Parameters of a
 * varchar(n) column convert through one on every execution: building its two closures each time
 * was most of the conversion's cost. Bounded, since typmods come from user DDL.
 */
const typmodInputs = new Map<number, Map<number, InputFn>>();
let typmodInputCount = 0;
const TYPMOD_INPUTS_MAX = 1024;

/** The input function for `type`, applying its typmod (assignment semantics). */
export function inputFunction(type: SqlType): InputFn {
  if (type.elem !== null) return arrayInput(type, type.elem);
  const base = baseInputs.get(type.oid);
  if (base === undefined) throw unsupported(type, 'input');
  if (type.typmod < 0) return base;
  const byTypmod = typmodInputs.get(type.oid);
  const known = byTypmod?.get(type.typmod);
  if (known !== undefined) return known;
  const coerce = lengthCoercion(type, false);
  const fn: InputFn = coerce === null ? base : (s, ctx) => coerce(base(s, ctx), ctx);
  if (typmodInputCount < TYPMOD_INPUTS_MAX) {
    if (byTypmod === undefined) typmodInputs.set(type.oid, new Map([[type.typmod, fn]]));
    else byTypmod.set(type.typmod, fn);
    typmodInputCount++;
  }
  return fn;
}

/** The output function for `type`. */
export function outputFunction(type: SqlType): OutputFn {
  if (type.elem !== null) return arrayOutput(type.elem);
  if (type.row !== undefined) {
    const fieldOut = type.row.fields.map((f) => outputFunction(f.type));
    return (v, ctx) => formatRecord(v as unknown[], fieldOut.length, (i, x) => fieldOut[i]!(x, ctx));
  }
  const base = baseOutputs.get(type.oid);
  if (base === undefined) throw unsupported(type, 'output');
  return base;
}

function arrayInput(type: SqlType, elemType: SqlType): InputFn {
  const elemIn = inputFunction(elemType);
  // parseArray's element callback has no context parameter, so one closure per array value.
  return (s, ctx) => parseArray(s, elemType, (e: string) => elemIn(e, ctx));
}

function arrayOutput(elemType: SqlType): OutputFn {
  const elemOut = outputFunction(elemType);
  return (v, ctx) => formatArray(v as SqlArray, (e: unknown) => elemOut(e, ctx));
}

/** Convenience for tests and tools: text -> value -> text with the default context. */
export function roundTripText(type: SqlType, text: string, ctx: TypeContext): string {
  return outputFunction(type)(inputFunction(type)(text, ctx), ctx);
}
