/**
 * JSON output: each result set is one JSON array of row objects keyed by column name, written one
 * row per line so line-oriented tools can still work with it:
 *
 *   [
 *   {"id":1,"name":"apple","price":1.50},
 *   {"id":2,"name":"pear","price":null}
 *   ]
 *
 * Numbers are written as exact JSON number literals: bigint (int8 beyond ±(2^53-1)) and numeric
 * print their full decimal digits, never rounded through a double. JSON numbers have no
 * precision limit, so the text is exact; a consumer that parses into doubles (JSON.parse) may
 * round, and should read such columns as text or use a big-number-aware parser. NaN and
 * ±Infinity (float or numeric) have no JSON number form and are written as the strings "NaN",
 * "Infinity", "-Infinity". json/jsonb values are embedded as JSON, arrays as JSON arrays, bytea
 * as its "\\x..." hex text, date/time types as their PostgreSQL text.
 *
 * Invariant: every array written is valid JSON (RFC 8259). Duplicate column names produce
 * duplicate keys, which RFC 8259 permits but most parsers collapse to the last one.
 */
import type { ResultSet } from './format-table.ts';
import { byteaHex, elementOid, formatValueText, jsonText } from './format-value.ts';
import { Oid } from '../types/sql-type.ts';

const jsonNumber = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** A number's text as a JSON number literal when it is one, else as a JSON string. */
function numberLiteral(text: string): string {
  return jsonNumber.test(text) ? text : JSON.stringify(text);
}

export function jsonValue(value: unknown, typeOid: number): string {
  if (value === null || value === undefined) return 'null';
  if (typeOid === Oid.json || typeOid === Oid.jsonb) return jsonText(value, ',', ':');
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return numberLiteral(formatValueText(value, typeOid));
  if (typeof value === 'string') {
    return typeOid === Oid.numeric ? numberLiteral(value) : JSON.stringify(value);
  }
  if (value instanceof Uint8Array) return JSON.stringify(byteaHex(value));
  if (Array.isArray(value)) {
    const elem = elementOid(typeOid);
    // A nested JS array is the next dimension unless the elements are themselves JSON.
    const nestedIsDimension = elem !== Oid.json && elem !== Oid.jsonb;
    const items = value.map((v: unknown) =>
      (Array.isArray(v) && nestedIsDimension ? jsonValue(v, typeOid) : jsonValue(v, elem)));
    return `[${items.join(',')}]`;
  }
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (typeof value === 'object') return jsonText(value, ',', ':');
  return JSON.stringify(String(value));
}

export function formatResultJson(result: ResultSet): string {
  if (result.cells.length === 0) return '[]\n';
  const keys = result.fields.map((f) => JSON.stringify(f.name));
  const lines = result.cells.map((row) =>
    `{${result.fields.map((f, j) => `${keys[j] ?? '""'}:${jsonValue(row[j], f.typeOid)}`).join(',')}}`);
  return `[\n${lines.join(',\n')}\n]\n`;
}
