/**
 * bytea: input in hex format ('\x0a0b', whitespace allowed between byte pairs) and escape format
 * ('abc\000\377', '\\' for a backslash; other characters as their UTF-8 bytes), output in hex
 * format (bytea_output = 'hex'), bytewise ordering (memcmp, then length) and a hash key.
 */
import { DbError } from '../errors/index.ts';

const HEX = '0123456789abcdef';

function hexVal(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

const isSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

function parseHex(s: string): Uint8Array {
  const out = new Uint8Array((s.length - 2) >> 1);
  let n = 0;
  let i = 2;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (isSpace(c)) { i++; continue; }
    const hi = hexVal(c);
    if (hi < 0) {
      throw new DbError('invalid_parameter_value', `invalid hexadecimal digit: "${s[i]}"`);
    }
    if (i + 1 >= s.length) {
      throw new DbError('invalid_parameter_value', 'invalid hexadecimal data: odd number of digits');
    }
    const lo = hexVal(s.charCodeAt(i + 1));
    if (lo < 0) {
      throw new DbError('invalid_parameter_value', `invalid hexadecimal digit: "${s[i + 1]}"`);
    }
    out[n++] = hi * 16 + lo;
    i += 2;
  }
  return out.slice(0, n);
}

const encoder = new TextEncoder();

function parseEscape(s: string): Uint8Array {
  const bytes = encoder.encode(s);
  const out = new Uint8Array(bytes.length);
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    if (b !== 0x5c) { out[n++] = b; continue; }
    const b1 = bytes[i + 1];
    if (b1 === 0x5c) { out[n++] = 0x5c; i++; continue; }
    const b2 = bytes[i + 2];
    const b3 = bytes[i + 3];
    if (b1 !== undefined && b2 !== undefined && b3 !== undefined && b1 >= 0x30 && b1 <= 0x33 &&
      b2 >= 0x30 && b2 <= 0x37 && b3 >= 0x30 && b3 <= 0x37) {
      out[n++] = ((b1 - 0x30) << 6) | ((b2 - 0x30) << 3) | (b3 - 0x30);
      i += 3;
      continue;
    }
    throw new DbError('invalid_text_representation', 'invalid input syntax for type bytea');
  }
  return out.slice(0, n);
}

/** bytea input (hex when it starts with '\x', else escape format). */
export function parseBytea(s: string): Uint8Array {
  if (s.length >= 2 && s[0] === '\\' && s[1] === 'x') return parseHex(s);
  return parseEscape(s);
}

/** bytea output, hex format: '\x0a0b'. */
export function formatBytea(v: Uint8Array): string {
  const parts = new Array<string>(v.length);
  for (let i = 0; i < v.length; i++) {
    const b = v[i] as number;
    parts[i] = (HEX[b >> 4] as string) + (HEX[b & 15] as string);
  }
  return '\\x' + parts.join('');
}

/** bytea output in escape format (bytea_output = 'escape'). */
export function formatByteaEscape(v: Uint8Array): string {
  let out = '';
  for (const b of v) {
    if (b === 0x5c) out += '\\\\';
    else if (b < 0x20 || b > 0x7e) out += '\\' + b.toString(8).padStart(3, '0');
    else out += String.fromCharCode(b);
  }
  return out;
}

/** memcmp over the common prefix, then the shorter value first. */
export function compareBytea(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** A string equal for equal byte sequences (one char per byte, compact and injective). */
export function byteaHashKey(v: Uint8Array): string {
  let out = '';
  const CHUNK = 8192;
  for (let i = 0; i < v.length; i += CHUNK) {
    out += String.fromCharCode(...v.subarray(i, i + CHUNK));
  }
  return out;
}
