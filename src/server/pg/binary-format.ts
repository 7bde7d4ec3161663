/**
 * Binary wire formats (PostgreSQL's typsend/typreceive) for the common types: bool, int2/4/8,
 * float4/8, numeric, text types, json, jsonb, bytea, date, time, timestamp(tz), interval, uuid,
 * oid. Values are in the engine representation (src/types/sql-type.ts) on the way out; on the
 * way in they become values the engine's parameter conversion (fromJs) accepts: text for every
 * type whose text form round-trips exactly, raw bytes for bytea, booleans for bool.
 *
 * Invariants: PostgreSQL's epoch for date/timestamp is 2000-01-01, the engine's is 1970-01-01;
 * infinities map to the int32/int64 extremes as in PostgreSQL.
 */
import { DbError } from '../../errors/index.ts';
import type { TypeContext } from '../../types/context.ts';
import { Oid, formatType, typeOf, type SqlType } from '../../types/sql-type.ts';
import { outputFunction } from '../../types/text-io.ts';
import { formatNumeric, type NumericValue } from '../../types/numeric.ts';
import { formatJsonb, type Jsonb } from '../../types/json.ts';
import type { Interval } from '../../types/interval.ts';
import type { BackendWriter } from './backend.ts';
import { decodeUtf8 } from './frontend.ts';

const PG_EPOCH_DAYS = 10957;
const PG_EPOCH_MICROS = 946_684_800_000_000n;
const INT64_MAX = 0x7fffffffffffffffn;
const INT64_MIN = -0x8000000000000000n;

const BINARY_OIDS = new Set<number>([
  Oid.bool, Oid.int2, Oid.int4, Oid.int8, Oid.float4, Oid.float8, Oid.numeric, Oid.text, Oid.varchar,
  Oid.bpchar, Oid.name, Oid.unknown, Oid.json, Oid.jsonb, Oid.bytea, Oid.date, Oid.time, Oid.timestamp,
  Oid.timestamptz, Oid.interval, Oid.uuid, Oid.oid, Oid.char, Oid.regclass, Oid.regproc,
]);

export function hasBinaryFormat(oid: number): boolean {
  return BINARY_OIDS.has(oid);
}

function noBinary(type: SqlType): DbError {
  return new DbError('feature_not_supported', `binary format is not supported for type ${formatType(type)}`);
}

const scratch = new DataView(new ArrayBuffer(8));
const utf8Encoder = new TextEncoder();

/** Writes one non-null value as Int32 length + binary bytes. */
export function writeBinary(w: BackendWriter, type: SqlType, v: unknown, ctx: TypeContext): void {
  switch (type.oid) {
    case Oid.bool: w.int32(1); w.byte(v ? 1 : 0); return;
    case Oid.int2: w.int32(2); w.int16(v as number); return;
    case Oid.int4: case Oid.oid: case Oid.regclass: case Oid.regproc: w.int32(4); w.int32((v as number) | 0); return;
    case Oid.int8: writeInt64(w, BigInt(v as number | bigint)); return;
    case Oid.float4: scratch.setFloat32(0, v as number); w.int32(4); w.bytes(new Uint8Array(scratch.buffer, 0, 4)); return;
    case Oid.float8: scratch.setFloat64(0, v as number); w.int32(8); w.bytes(new Uint8Array(scratch.buffer, 0, 8)); return;
    case Oid.numeric: writeNumeric(w, formatNumeric(v as NumericValue)); return;
    case Oid.text: case Oid.varchar: case Oid.bpchar: case Oid.name: case Oid.unknown: case Oid.json: case Oid.char:
      w.lengthPrefixedText(v as string); return;
    case Oid.jsonb: {
      // Version byte 1, then the text.
      const bytes = utf8Encoder.encode(formatJsonb(v as Jsonb));
      w.int32(1 + bytes.byteLength);
      w.byte(1);
      w.bytes(bytes);
      return;
    }
    case Oid.bytea: w.int32((v as Uint8Array).byteLength); w.bytes(v as Uint8Array); return;
    case Oid.date: w.int32(4); w.int32(dateToPg(v as number)); return;
    case Oid.time: writeInt64(w, BigInt(v as number)); return;
    case Oid.timestamp: case Oid.timestamptz: writeInt64(w, timestampToPg(v as number)); return;
    case Oid.interval: {
      const iv = v as Interval;
      w.int32(16);
      writeRawInt64(w, BigInt(iv.micros));
      w.int32(iv.days);
      w.int32(iv.months);
      return;
    }
    case Oid.uuid: {
      const hex = (v as string).replace(/-/g, '');
      w.int32(16);
      for (let i = 0; i < 32; i += 2) w.byte(parseInt(hex.slice(i, i + 2), 16));
      return;
    }
    default:
      void ctx;
      throw noBinary(type);
  }
}

function writeInt64(w: BackendWriter, v: bigint): void {
  w.int32(8);
  writeRawInt64(w, v);
}

function writeRawInt64(w: BackendWriter, v: bigint): void {
  w.int32(Number(BigInt.asIntN(32, v >> 32n)));
  w.int32(Number(BigInt.asIntN(32, v)));
}

function dateToPg(days: number): number {
  if (days === Infinity) return 0x7fffffff;
  if (days === -Infinity) return -0x80000000;
  return days - PG_EPOCH_DAYS;
}

function timestampToPg(micros: number): bigint {
  if (micros === Infinity) return INT64_MAX;
  if (micros === -Infinity) return INT64_MIN;
  return BigInt(micros) - PG_EPOCH_MICROS;
}

/** numeric text ('-12.340', 'NaN', 'Infinity') to PostgreSQL's base-10000 binary form. */
function writeNumeric(w: BackendWriter, text: string): void {
  let sign = 0;
  if (text === 'NaN') sign = 0xc000;
  else if (text === 'Infinity') sign = 0xd000;
  else if (text === '-Infinity') sign = 0xf000;
  if (sign !== 0) {
    w.int32(8); w.int16(0); w.int16(0); w.int16(sign); w.int16(0);
    return;
  }
  let s = text;
  if (s.startsWith('-')) { sign = 0x4000; s = s.slice(1); }
  const dot = s.indexOf('.');
  const intPart = dot < 0 ? s : s.slice(0, dot);
  const fracPart = dot < 0 ? '' : s.slice(dot + 1);
  const dscale = fracPart.length;
  const intPadded = intPart.padStart(Math.ceil(intPart.length / 4) * 4, '0');
  const fracPadded = fracPart.padEnd(Math.ceil(fracPart.length / 4) * 4, '0');
  const digits: number[] = [];
  for (let i = 0; i < intPadded.length; i += 4) digits.push(Number(intPadded.slice(i, i + 4)));
  let weight = digits.length - 1;
  for (let i = 0; i < fracPadded.length; i += 4) digits.push(Number(fracPadded.slice(i, i + 4)));
  let first = 0;
  while (first < digits.length && digits[first] === 0) { first++; weight--; }
  let last = digits.length;
  while (last > first && digits[last - 1] === 0) last--;
  const kept = digits.slice(first, last);
  if (kept.length === 0) weight = 0;
  w.int32(8 + kept.length * 2);
  w.int16(kept.length); w.int16(weight); w.int16(sign); w.int16(dscale);
  for (const d of kept) w.int16(d);
}

function readNumeric(b: DataView): string {
  if (b.byteLength < 8) throw badBinary('numeric');
  const ndigits = b.getInt16(0);
  const weight = b.getInt16(2);
  const sign = b.getUint16(4);
  const dscale = b.getInt16(6);
  if (sign === 0xc000) return 'NaN';
  if (sign === 0xd000) return 'Infinity';
  if (sign === 0xf000) return '-Infinity';
  if (ndigits < 0 || b.byteLength !== 8 + ndigits * 2 || dscale < 0) throw badBinary('numeric');
  let intStr = '';
  let fracStr = '';
  for (let i = 0; i < ndigits; i++) {
    const d = b.getInt16(8 + i * 2);
    if (d < 0 || d > 9999) throw badBinary('numeric');
    const pos = weight - i;
    if (pos >= 0) intStr += String(d).padStart(4, '0');
    else fracStr += String(d).padStart(4, '0');
  }
  // Integer groups missing after the last digit (weight beyond ndigits) are zeros.
  for (let pos = weight - ndigits; pos >= 0; pos--) intStr += '0000';
  // Fraction groups skipped before the first digit (negative weight) are zeros.
  if (weight < -1) fracStr = '0000'.repeat(-weight - 1) + fracStr;
  intStr = intStr.replace(/^0+/, '') || '0';
  fracStr = fracStr.padEnd(dscale, '0').slice(0, dscale);
  return `${sign === 0x4000 ? '-' : ''}${intStr}${dscale > 0 ? `.${fracStr}` : ''}`;
}

function badBinary(what: string): DbError {
  return new DbError('invalid_binary_representation', `incorrect binary data format in bind parameter (${what})`);
}

/**
 * A binary Bind parameter of type `oid`, as a value the engine's parameter conversion accepts:
 * booleans, bytes, or exact text that the type's input function reads back.
 */
export function readBinaryParam(oid: number, bytes: Uint8Array, ctx: TypeContext): unknown {
  const b = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const len = bytes.byteLength;
  const fixed = (n: number): void => { if (len !== n) throw badBinary(formatType(typeOf(oid))); };
  switch (oid) {
    case Oid.bool: fixed(1); return bytes[0] !== 0;
    case Oid.int2: fixed(2); return String(b.getInt16(0));
    case Oid.int4: fixed(4); return String(b.getInt32(0));
    case Oid.oid: fixed(4); return String(b.getUint32(0));
    case Oid.int8: fixed(8); return String(b.getBigInt64(0));
    case Oid.float4: fixed(4); return b.getFloat32(0);
    case Oid.float8: fixed(8); return b.getFloat64(0);
    case Oid.numeric: return readNumeric(b);
    case Oid.text: case Oid.varchar: case Oid.bpchar: case Oid.name: case Oid.unknown: case Oid.json: case Oid.char:
      return decodeUtf8(bytes);
    case Oid.jsonb:
      if (len < 1 || bytes[0] !== 1) throw badBinary('jsonb');
      return decodeUtf8(bytes.subarray(1));
    case Oid.bytea: return bytes;
    case Oid.date: {
      fixed(4);
      const d = b.getInt32(0);
      const days = d === 0x7fffffff ? Infinity : d === -0x80000000 ? -Infinity : d + PG_EPOCH_DAYS;
      return outputFunction(typeOf(Oid.date))(days, isoCtx(ctx));
    }
    case Oid.time: fixed(8); return outputFunction(typeOf(Oid.time))(Number(b.getBigInt64(0)), isoCtx(ctx));
    case Oid.timestamp: case Oid.timestamptz: {
      fixed(8);
      const raw = b.getBigInt64(0);
      const micros = raw === INT64_MAX ? Infinity : raw === INT64_MIN ? -Infinity : Number(raw + PG_EPOCH_MICROS);
      return outputFunction(typeOf(oid))(micros, isoCtx(ctx));
    }
    case Oid.interval: {
      fixed(16);
      const micros = b.getBigInt64(0);
      const days = b.getInt32(8);
      const months = b.getInt32(12);
      return `${months} mons ${days} days ${micros} microseconds`;
    }
    case Oid.uuid: {
      fixed(16);
      let hex = '';
      for (let i = 0; i < 16; i++) hex += bytes[i]!.toString(16).padStart(2, '0');
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    }
    default:
      throw noBinary(typeOf(oid));
  }
}

/** Text produced for re-input must not depend on the session's DateStyle / IntervalStyle. */
function isoCtx(ctx: TypeContext): TypeContext {
  return ctx.intervalStyle === 'postgres' ? ctx : { ...ctx, intervalStyle: 'postgres' };
}
