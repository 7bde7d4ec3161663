/**
 * Canonical text rendering for the differential tests: turns Oxibase's JS values (docs/api.md
 * mapping) into PostgreSQL's text output format, keyed by the column's type OID, so they compare
 * directly with what node-postgres returns when every type parser is the identity on raw text.
 * json/jsonb are compared as parsed JSON (keys sorted) on both sides.
 */

/** Array type OID -> element type OID (the arrays the engine can return). */
const ARRAY_ELEMENT: Record<number, number> = {
  1000: 16, 1001: 17, 1002: 18, 1003: 19, 1005: 21, 1007: 23, 1016: 20, 1021: 700, 1022: 701,
  1231: 1700, 1009: 25, 1015: 1043, 1014: 1042, 1182: 1082, 1183: 1083, 1115: 1114, 1185: 1184,
  1187: 1186, 2951: 2950, 199: 114, 3807: 3802, 1028: 26, 1270: 1266,
};

const JSON_OIDS = new Set([114, 3802]);

/** Formats a double the way PostgreSQL 15 prints float8 (shortest round trip, %g-like cut-offs). */
export function formatFloat8(v: number): string {
  return formatShortest(v, v.toExponential(), 15);
}

/** Formats a float4 value (already rounded to single precision) the way PostgreSQL prints real. */
export function formatFloat4(v: number): string {
  if (!Number.isFinite(v) || v === 0) return formatShortest(v, '', 6);
  let digits = v.toExponential();
  for (let p = 1; p <= 9; p++) {
    const s = v.toPrecision(p);
    if (Math.fround(Number(s)) === Math.fround(v)) {
      digits = Number(s).toExponential();
      break;
    }
  }
  return formatShortest(v, digits, 6);
}

function formatShortest(v: number, exponential: string, fixedLimit: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(exponential);
  if (m === null) return String(v);
  const sign = m[1]!;
  const digits = m[2]! + (m[3] ?? '');
  const exp = Number(m[4]);
  if (exp < -4 || exp >= fixedLimit) {
    const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = String(Math.abs(exp)).padStart(2, '0');
    return `${sign}${mant}e${exp < 0 ? '-' : '+'}${e}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return `${sign}${digits}${'0'.repeat(exp + 1 - digits.length)}`;
  return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

/** JSON text with object keys sorted, so key order (json vs jsonb, JS objects) does not matter. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'undefined';
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const obj = v as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

function hex(bytes: Uint8Array): string {
  let s = '\\x';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

function quoteArrayElement(s: string): string {
  if (s === '' || /[{}",\\\s]/.test(s) || s.toUpperCase() === 'NULL') {
    return `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
  }
  return s;
}

function renderArray(v: unknown[], elemOid: number | undefined): string {
  const parts = v.map((e) => {
    if (e === null || e === undefined) return 'NULL';
    if (Array.isArray(e) && !(elemOid !== undefined && JSON_OIDS.has(elemOid))) return renderArray(e, elemOid);
    const text = elemOid !== undefined && JSON_OIDS.has(elemOid) ? canonicalJson(e) : renderValue(e, elemOid);
    return quoteArrayElement(text ?? 'NULL');
  });
  return `{${parts.join(',')}}`;
}

/** Renders an Oxibase result value as PostgreSQL's text output for type `oid` (null stays null). */
export function renderValue(v: unknown, oid: number | undefined): string | null {
  if (v === null || v === undefined) return null;
  if (oid !== undefined && JSON_OIDS.has(oid)) return canonicalJson(v);
  if (Array.isArray(v)) return renderArray(v, oid === undefined ? undefined : ARRAY_ELEMENT[oid]);
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (typeof v === 'number') {
    if (oid === 700) return formatFloat4(v);
    if (oid === 701 || !Number.isInteger(v)) return formatFloat8(v);
    return String(v);
  }
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return hex(v);
  if (v instanceof Date) return v.toISOString();
  return canonicalJson(v);
}

/** Normalizes a raw PostgreSQL text value of type `oid` (json/jsonb are re-serialized canonically). */
export function normalizePgText(v: unknown, oid: number): string | null {
  if (v === null || v === undefined) return null;
  const s = String(v);
  if (JSON_OIDS.has(oid)) {
    try {
      return canonicalJson(JSON.parse(s));
    } catch {
      return s;
    }
  }
  if (oid === 199 || oid === 3807) return s; // json[]: left as text (rare)
  return s;
}
