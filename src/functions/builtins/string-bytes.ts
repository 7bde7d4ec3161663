/**
 * Byte-level string functions: md5, sha224/256/384/512, encode/decode (base64, hex, escape),
 * convert_to/convert_from, to_hex, unistr.
 *
 * Invariants:
 *  - Hashes are over the UTF-8 bytes of text (node:crypto is deterministic, so allowed).
 *  - encode(..., 'base64') breaks lines every 76 characters with '\n', as PostgreSQL does;
 *    decode ignores whitespace in base64 and hex input.
 *  - The database encoding is UTF-8; convert_to/convert_from support UTF8 and LATIN1 (plus
 *    SQL_ASCII as "no conversion"), other encodings raise 0A000.
 */
import { createHash } from 'node:crypto';
import { defineScalar, type FunctionRegistry } from '../registry.ts';
import { Types, type SqlType } from '../../types/sql-type.ts';
import { DbError } from '../../errors/index.ts';
import { int8ToBigInt, type Int8 } from '../../types/int.ts';

const { text, bytea, int4, int8, name } = Types;
const encoder = new TextEncoder();
const strictDecoder = new TextDecoder('utf-8', { fatal: true });

function hash(alg: string, data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash(alg).update(data).digest());
}

const HEX = '0123456789abcdef';

export function toHexString(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) {
    const x = b[i] as number;
    s += (HEX[x >> 4] as string) + (HEX[x & 15] as string);
  }
  return s;
}

export function md5Hex(data: Uint8Array): string {
  return toHexString(hash('md5', data));
}

// ---------------------------------------------------------------------------------------------
// encode / decode
// ---------------------------------------------------------------------------------------------

function invalidParam(msg: string, hint?: string): DbError {
  return new DbError('invalid_parameter_value', msg, hint === undefined ? {} : { hint });
}

function base64Encode(b: Uint8Array): string {
  const s = Buffer.from(b.buffer, b.byteOffset, b.length).toString('base64');
  if (s.length <= 76) return s;
  let out = '';
  for (let i = 0; i < s.length; i += 76) out += (i > 0 ? '\n' : '') + s.slice(i, i + 76);
  return out;
}

const B64 = /^[A-Za-z0-9+/]$/;

function base64Decode(s: string): Uint8Array {
  let clean = '';
  let pad = 0;
  for (const c of s) {
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') continue;
    if (c === '=') { pad++; clean += c; continue; }
    if (!B64.test(c) || pad > 0) {
      if (pad > 0 && B64.test(c)) throw badBase64End();
      throw invalidParam(`invalid symbol "${c}" found while decoding base64 sequence`);
    }
    clean += c;
  }
  if (clean.length % 4 !== 0 || pad > 2) throw badBase64End();
  return new Uint8Array(Buffer.from(clean, 'base64'));
}

function badBase64End(): DbError {
  return invalidParam('invalid base64 end sequence',
    'Input data is missing padding, is truncated, or is otherwise corrupted.');
}

function hexDecode(s: string): Uint8Array {
  const out: number[] = [];
  let hi = -1;
  for (const c of s) {
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') continue;
    const v = parseInt(c, 16);
    if (Number.isNaN(v) || c.length !== 1) throw invalidParam(`invalid hexadecimal digit: "${c}"`);
    if (hi < 0) hi = v;
    else { out.push((hi << 4) | v); hi = -1; }
  }
  if (hi >= 0) throw invalidParam('invalid hexadecimal data: odd number of digits');
  return Uint8Array.from(out);
}

function escapeEncode(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) {
    const x = b[i] as number;
    if (x === 0 || x >= 0x80) s += '\\' + x.toString(8).padStart(3, '0');
    else if (x === 0x5c) s += '\\\\';
    else s += String.fromCharCode(x);
  }
  return s;
}

function escapeDecode(s: string): Uint8Array {
  const src = encoder.encode(s);
  const out: number[] = [];
  for (let i = 0; i < src.length; i++) {
    const c = src[i] as number;
    if (c !== 0x5c) { out.push(c); continue; }
    if (src[i + 1] === 0x5c) { out.push(0x5c); i++; continue; }
    const d = [src[i + 1], src[i + 2], src[i + 3]];
    if (d[0] !== undefined && d[0] >= 0x30 && d[0] <= 0x33 && isOct(d[1]) && isOct(d[2])) {
      out.push(((d[0] - 48) << 6) | (((d[1] as number) - 48) << 3) | ((d[2] as number) - 48));
      i += 3;
      continue;
    }
    throw new DbError('invalid_text_representation', 'invalid input syntax for type bytea');
  }
  return Uint8Array.from(out);
}

function isOct(c: number | undefined): boolean {
  return c !== undefined && c >= 0x30 && c <= 0x37;
}

export function encode(b: Uint8Array, fmt: string): string {
  switch (fmt.toLowerCase()) {
    case 'base64': return base64Encode(b);
    case 'hex': return toHexString(b);
    case 'escape': return escapeEncode(b);
    default: throw invalidParam(`unrecognized encoding: "${fmt}"`);
  }
}

export function decode(s: string, fmt: string): Uint8Array {
  switch (fmt.toLowerCase()) {
    case 'base64': return base64Decode(s);
    case 'hex': return hexDecode(s);
    case 'escape': return escapeDecode(s);
    default: throw invalidParam(`unrecognized encoding: "${fmt}"`);
  }
}

// ---------------------------------------------------------------------------------------------
// convert_to / convert_from
// ---------------------------------------------------------------------------------------------

function normalizeEncoding(n: string): string {
  return n.toUpperCase().replace(/[-_ ]/g, '');
}

function convertTo(s: string, enc: string): Uint8Array {
  const e = normalizeEncoding(enc);
  if (e === 'UTF8' || e === 'UNICODE' || e === 'SQLASCII') return encoder.encode(s);
  if (e === 'LATIN1' || e === 'ISO88591') {
    const out = new Uint8Array(s.length);
    let n = 0;
    for (const c of s) {
      const cp = c.codePointAt(0) as number;
      if (cp > 0xff) {
        const bytes = toHexString(encoder.encode(c)).replace(/(..)/g, '0x$1 ').trim();
        throw new DbError('untranslatable_character',
          `character with byte sequence ${bytes} in encoding "UTF8" has no equivalent in encoding "LATIN1"`);
      }
      out[n++] = cp;
    }
    return out.slice(0, n);
  }
  throw unsupportedEncoding(enc, 'destination');
}

function unsupportedEncoding(enc: string, which: string): DbError {
  return new DbError('invalid_parameter_value', `invalid ${which} encoding name "${enc}"`);
}

function convertFrom(b: Uint8Array, enc: string): string {
  const e = normalizeEncoding(enc);
  if (e === 'UTF8' || e === 'UNICODE' || e === 'SQLASCII') {
    try {
      return strictDecoder.decode(b);
    } catch {
      throw invalidUtf8(b);
    }
  }
  if (e === 'LATIN1' || e === 'ISO88591') {
    let s = '';
    for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i] as number);
    return s;
  }
  throw unsupportedEncoding(enc, 'source');
}

/** PostgreSQL reports the first invalid sequence's bytes. */
function invalidUtf8(b: Uint8Array): DbError {
  let i = 0;
  for (; i < b.length; i++) {
    const x = b[i] as number;
    if (x < 0x80) continue;
    const len = x >= 0xf0 ? 4 : x >= 0xe0 ? 3 : x >= 0xc0 ? 2 : 1;
    try {
      strictDecoder.decode(b.subarray(i, i + len));
      i += len - 1;
    } catch {
      break;
    }
  }
  const bad = Array.from(b.subarray(i, Math.min(b.length, i + 2)), (x) => x.toString(16).padStart(2, '0'));
  return new DbError('character_not_in_repertoire',
    `invalid byte sequence for encoding "UTF8": ${bad.map((h) => '0x' + h).join(' ')}`);
}

// ---------------------------------------------------------------------------------------------
// to_hex, unistr
// ---------------------------------------------------------------------------------------------

export function toHex32(v: number): string {
  return (v >>> 0).toString(16);
}

export function toHex64(v: Int8): string {
  return BigInt.asUintN(64, int8ToBigInt(v)).toString(16);
}

function badUnicodeEscape(): DbError {
  return new DbError('invalid_escape_sequence', 'invalid Unicode escape', {
    hint: 'Unicode escapes must be \\XXXX, \\+XXXXXX, \\uXXXX, or \\UXXXXXXXX.',
  });
}

const UNISTR_FORMS: readonly [string, number][] = [['+', 6], ['u', 4], ['U', 8]];

/** Reads the escape after a backslash at `i`; returns [codePoint, nextIndex]. */
function readUnicodeEscape(s: string, i: number): [number, number] {
  let digits = 4;
  let start = i + 1;
  for (const [lead, n] of UNISTR_FORMS) {
    if (s[i + 1] === lead) { digits = n; start = i + 2; break; }
  }
  const hex = s.slice(start, start + digits);
  if (!new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(hex)) throw badUnicodeEscape();
  return [parseInt(hex, 16), start + digits];
}

export function unistr(s: string): string {
  let out = '';
  let pendingHigh = -1;
  let i = 0;
  while (i < s.length) {
    const c = s[i] as string;
    if (c !== '\\') {
      if (pendingHigh >= 0) throw badSurrogate();
      out += c;
      i++;
      continue;
    }
    if (s[i + 1] === '\\') { out += '\\'; i += 2; continue; }
    const [cp, next] = readUnicodeEscape(s, i);
    i = next;
    if (pendingHigh >= 0) {
      if (cp < 0xdc00 || cp > 0xdfff) throw badSurrogate();
      out += String.fromCodePoint(((pendingHigh - 0xd800) << 10) + (cp - 0xdc00) + 0x10000);
      pendingHigh = -1;
    } else if (cp >= 0xd800 && cp <= 0xdbff) {
      pendingHigh = cp;
    } else if (cp >= 0xdc00 && cp <= 0xdfff) {
      throw badSurrogate();
    } else if (cp > 0x10ffff || cp === 0) {
      throw new DbError('invalid_escape_sequence',
        `invalid Unicode code point: ${cp.toString(16).toUpperCase().padStart(4, '0')}`);
    } else {
      out += String.fromCodePoint(cp);
    }
  }
  if (pendingHigh >= 0) throw badSurrogate();
  return out;
}

function badSurrogate(): DbError {
  return new DbError('invalid_escape_sequence', 'invalid Unicode surrogate pair');
}

function fn(reg: FunctionRegistry, n: string, args: SqlType[], returns: SqlType,
  impl: (a: unknown[]) => unknown): void {
  reg.add(defineScalar({ name: n, args, returns, impl }));
}

export function registerStringBytes(reg: FunctionRegistry): void {
  fn(reg, 'md5', [text], text, (a) => md5Hex(encoder.encode(a[0] as string)));
  fn(reg, 'md5', [bytea], text, (a) => md5Hex(a[0] as Uint8Array));
  for (const alg of ['sha224', 'sha256', 'sha384', 'sha512']) {
    fn(reg, alg, [bytea], bytea, (a) => hash(alg, a[0] as Uint8Array));
  }
  fn(reg, 'encode', [bytea, text], text, (a) => encode(a[0] as Uint8Array, a[1] as string));
  fn(reg, 'decode', [text, text], bytea, (a) => decode(a[0] as string, a[1] as string));
  fn(reg, 'convert_to', [text, name], bytea, (a) => convertTo(a[0] as string, a[1] as string));
  fn(reg, 'convert_from', [bytea, name], text, (a) => convertFrom(a[0] as Uint8Array, a[1] as string));
  fn(reg, 'to_hex', [int4], text, (a) => toHex32(a[0] as number));
  fn(reg, 'to_hex', [int8], text, (a) => toHex64(a[0] as Int8));
  fn(reg, 'unistr', [text], text, (a) => unistr(a[0] as string));
}
