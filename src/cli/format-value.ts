/**
 * Turns the JS values of the embedded API (see the value mapping in src/api/types.ts) back into
 * PostgreSQL's text output, so the CLI prints what psql would print for the same data:
 *   boolean -> t / f; float4/float8 -> float4out/float8out (shortest round-trip digits, 1e+20);
 *   bigint -> its digits; bytea -> \x hex; arrays -> {a,"b c",NULL}; jsonb -> PostgreSQL's jsonb
 *   layout ({"a": 1, "b": [1, 2]}); json -> compact JSON (the original text is not available).
 * NULL is `null` here and the callers decide how to show it (psql prints an empty cell).
 *
 * Invariant: pure functions of (value, type OID); nothing here depends on settings or I/O.
 */
import { formatFloat4, formatFloat8 } from '../types/float.ts';
import { Oid, typeInfo } from '../types/sql-type.ts';

/** Types psql right-aligns in aligned output (psql's column_type_alignment). */
const rightAlignedOids: ReadonlySet<number> = new Set([
  Oid.int2, Oid.int4, Oid.int8, Oid.float4, Oid.float8, Oid.numeric, Oid.oid,
  // xid, cid, xid8, money: not in the type table yet, but psql right-aligns them too.
  28, 29, 5069, 790,
]);

export function isRightAligned(typeOid: number): boolean {
  return rightAlignedOids.has(typeOid);
}

/** The element type of an array type, or 0 when `typeOid` is not an array (or unknown). */
export function elementOid(typeOid: number): number {
  return typeInfo(typeOid)?.elemOid ?? 0;
}

const hexDigits = '0123456789abcdef';

export function byteaHex(bytes: Uint8Array): string {
  let s = '\\x';
  for (const b of bytes) s += (hexDigits[b >> 4] ?? '') + (hexDigits[b & 15] ?? '');
  return s;
}

/**
 * PostgreSQL's text output of a non-null value of type `typeOid`. Unknown OIDs still print
 * sensibly: the value's JS shape decides.
 */
export function formatValueText(value: unknown, typeOid: number): string {
  if (value === null || value === undefined) return '';
  if (typeOid === Oid.json) return jsonText(value, ',', ':');
  if (typeOid === Oid.jsonb) return jsonText(value, ', ', ': ');
  switch (typeof value) {
    case 'string': return value;
    case 'boolean': return value ? 't' : 'f';
    case 'bigint': return value.toString();
    case 'number':
      if (typeOid === Oid.float4) return formatFloat4(value);
      if (typeOid === Oid.float8 || !Number.isInteger(value)) return formatFloat8(value);
      return String(value);
    default: break;
  }
  if (value instanceof Uint8Array) return byteaHex(value);
  if (Array.isArray(value)) return arrayText(value, elementOid(typeOid));
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return jsonText(value, ', ', ': ');
  return String(value);
}

/** Array elements need quoting when they would otherwise be misread by array_in. */
function arrayElementText(text: string): string {
  if (text === '' || /^null$/i.test(text) || /[{}",\\\s]/.test(text)) {
    return `"${text.replace(/[\\"]/g, (m) => `\\${m}`)}"`;
  }
  return text;
}

function arrayText(items: readonly unknown[], elemOid: number): string {
  const parts: string[] = [];
  for (const item of items) {
    if (item === null || item === undefined) parts.push('NULL');
    else if (Array.isArray(item) && !(elemOid === Oid.json || elemOid === Oid.jsonb)) {
      // A nested JS array is the next dimension of the same array, not an element.
      parts.push(arrayText(item, elemOid));
    } else {
      parts.push(arrayElementText(formatValueText(item, elemOid)));
    }
  }
  return `{${parts.join(',')}}`;
}

/**
 * JSON text of a parsed JSON value. jsonb_out puts ", " between elements and ": " after keys;
 * json has no canonical layout (PostgreSQL keeps the input text, which the API does not carry),
 * so it prints compactly. bigint prints its exact digits (JSON numbers have no precision limit).
 */
export function jsonText(value: unknown, itemSep: string, keySep: string): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (Array.isArray(value)) {
    return `[${value.map((v: unknown) => jsonText(v, itemSep, keySep)).join(itemSep)}]`;
  }
  if (value instanceof Uint8Array) return JSON.stringify(byteaHex(value));
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${JSON.stringify(k)}${keySep}${jsonText(v, itemSep, keySep)}`);
    return `{${entries.join(itemSep)}}`;
  }
  return JSON.stringify(String(value));
}
