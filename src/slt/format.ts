/**
 * sqllogictest value rendering, result sorting and MD5 hashing.
 *
 * The runner, not the engine, formats values (README "Record format"): NULL -> `NULL`;
 * `I` -> integer truncated toward zero; `R` -> three decimals; `T` -> the text, `(empty)` for
 * '', and `@` for every character outside 0x20-0x7E. Values arrive in the embedded API's JS
 * mapping (number, bigint, string for numeric/text, boolean, ...).
 *
 * Invariant: rendering is total — any JS value renders to some string, never throws.
 */
import { createHash } from 'node:crypto';

/** Parses the leading numeric part of a string the way SQLite's text->number cast does. */
function leadingNumber(s: string): number {
  const m = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/.exec(s);
  return m === null ? 0 : Number(m[0]);
}

function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') return leadingNumber(v);
  return 0;
}

function renderInteger(v: unknown): string {
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'string' && /^\s*[+-]?\d+\s*$/.test(v)) return BigInt(v.trim()).toString();
  const n = Math.trunc(toNumber(v));
  if (!Number.isFinite(n)) return '0';
  // -0 prints as 0, as %d would.
  return n === 0 ? '0' : n.toFixed(0);
}

function renderReal(v: unknown): string {
  const n = toNumber(v);
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  const s = n.toFixed(3);
  return s === '-0.000' ? '0.000' : s;
}

function textOf(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (v instanceof Uint8Array) return Buffer.from(v).toString('latin1');
  return JSON.stringify(v) ?? '';
}

function renderText(v: unknown): string {
  const s = textOf(v);
  if (s === '') return '(empty)';
  let out = '';
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    out += code >= 0x20 && code <= 0x7e ? ch : '@';
  }
  return out;
}

/** Renders one value for a column of the given type letter. */
export function renderValue(v: unknown, type: string): string {
  if (v === null || v === undefined) return 'NULL';
  if (type === 'I') return renderInteger(v);
  if (type === 'R') return renderReal(v);
  return renderText(v);
}

/** Renders a result's rows; columns beyond `types` render as text. */
export function renderRows(rows: readonly (readonly unknown[])[], types: string): string[][] {
  return rows.map((row) => row.map((v, colIdx) => renderValue(v, types[colIdx] ?? 'T')));
}

/** Byte-wise comparison (strcmp), not locale order: rendered values are ASCII only. */
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Applies a sort mode and flattens to the final value order. Rows sort column by column with
 * strcmp; joining each row with '\x01' gives the same order with one string comparison, because
 * rendered values only hold characters 0x20-0x7E (all greater than the separator).
 */
export function sortedValues(rows: string[][], sort: 'nosort' | 'rowsort' | 'valuesort'): string[] {
  if (sort === 'rowsort') {
    const keyed = rows.map((r) => ({ key: r.join('\x01'), row: r }));
    keyed.sort((x, y) => cmp(x.key, y.key));
    const out: string[] = [];
    for (const k of keyed) for (const v of k.row) out.push(v);
    return out;
  }
  const flat = rows.flat();
  if (sort === 'valuesort') flat.sort(cmp);
  return flat;
}

/** Lowercase hex MD5 of every value followed by '\n'. */
export function hashValues(values: readonly string[]): string {
  const h = createHash('md5');
  if (values.length > 0) h.update(values.join('\n') + '\n');
  return h.digest('hex');
}

const HASH_LINE = /^(\d+) values hashing to ([0-9a-f]{32})$/;

/** Parses an expected block of the form `N values hashing to H`, or null. */
export function parseHashLine(lines: readonly string[]): { count: number; hash: string } | null {
  if (lines.length !== 1) return null;
  const m = HASH_LINE.exec((lines[0] ?? '').trim());
  if (m === null) return null;
  return { count: Number(m[1]), hash: m[2] ?? '' };
}
