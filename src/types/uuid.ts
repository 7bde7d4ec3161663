/**
 * uuid: input per PostgreSQL's string_to_uuid (canonical, upper case, no hyphens, braces, and a
 * hyphen allowed after any group of four hex digits), output lowercase canonical 8-4-4-4-12.
 * The runtime value is already the canonical string, so equality, ordering and hashing can use
 * plain string comparison (lowercase hex sorts like the bytes, as PostgreSQL's memcmp order).
 */
import { DbError } from '../errors/index.ts';

const HEX = '0123456789abcdef';

function hexVal(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

function syntaxError(s: string): DbError {
  return new DbError('invalid_text_representation', `invalid input syntax for type uuid: "${s}"`);
}

/** Parses a uuid literal to its 16 bytes. */
export function uuidToBytes(s: string): Uint8Array {
  const out = new Uint8Array(16);
  let p = 0;
  const braces = s.charCodeAt(0) === 0x7b;
  if (braces) p++;
  for (let i = 0; i < 16; i++) {
    const hi = hexVal(s.charCodeAt(p));
    const lo = hexVal(s.charCodeAt(p + 1));
    if (hi < 0 || lo < 0) throw syntaxError(s);
    out[i] = hi * 16 + lo;
    p += 2;
    if (s[p] === '-' && i % 2 === 1 && i < 15) p++;
  }
  if (braces) {
    if (s[p] !== '}') throw syntaxError(s);
    p++;
  }
  if (p !== s.length) throw syntaxError(s);
  return out;
}

/** Canonical lowercase 8-4-4-4-12 text of 16 bytes. */
export function uuidFromBytesRaw(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < 16; i++) {
    const b = bytes[i] ?? 0;
    out += (HEX[b >> 4] as string) + (HEX[b & 15] as string);
    if (i === 3 || i === 5 || i === 7 || i === 9) out += '-';
  }
  return out;
}

/** uuid input -> canonical string. */
export function parseUuid(s: string): string {
  return uuidFromBytesRaw(uuidToBytes(s));
}

/** uuid output (the value is already canonical). */
export function formatUuid(v: string): string {
  return v;
}

/**
 * A version-4 (random) UUID from 16 random bytes supplied by the caller (gen_random_uuid): sets
 * the version nibble to 4 and the variant bits to 10xx, per RFC 9562.
 */
export function uuidFromBytes(bytes: Uint8Array): string {
  if (bytes.length !== 16) {
    throw new DbError('internal_error', 'internal error: uuidFromBytes needs 16 bytes');
  }
  const b = Uint8Array.from(bytes);
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  return uuidFromBytesRaw(b);
}

/** uuid ordering (bytewise, as PostgreSQL's uuid_cmp). */
export function compareUuid(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
