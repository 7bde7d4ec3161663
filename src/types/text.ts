/**
 * Character types: text, varchar(n), bpchar(n) ("character"), name.
 *
 * All are JS strings. Lengths are in characters = Unicode code points (UTF-8 database encoding),
 * not UTF-16 units. bpchar(n) values are stored padded with spaces to n characters; its
 * comparison, hashing and length ignore trailing spaces. Text ordering is code-point order, i.e.
 * PostgreSQL's "C" collation (byte order of UTF-8), which JS's `<` (UTF-16 unit order) gets
 * wrong only for astral characters vs U+E000..U+FFFF; textCompare fixes that up.
 *
 * Length coercion (PostgreSQL's varchar()/bpchar() functions):
 *  - implicit/assignment: too long is 22001 "value too long for type character varying(n)"
 *    unless every excess character is a space, in which case the value is truncated;
 *  - explicit cast: silently truncated.
 */
import { DbError } from '../errors/index.ts';

// ---------------------------------------------------------------------------------------------
// Code point helpers
// ---------------------------------------------------------------------------------------------

/** Length in characters (code points). */
export function charLength(s: string): number {
  const len = s.length;
  let n = len;
  for (let i = 0; i < len; i++) {
    const c = s.charCodeAt(i);
    // A high surrogate followed by a low one is one character.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < len) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) { n--; i++; }
    }
  }
  return n;
}

/** UTF-16 index just after the first `n` code points (s.length if shorter). */
function indexAfterChars(s: string, n: number): number {
  const len = s.length;
  let i = 0;
  for (let k = 0; k < n && i < len; k++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < len) {
      const d = s.charCodeAt(i + 1);
      i += d >= 0xdc00 && d <= 0xdfff ? 2 : 1;
    } else {
      i++;
    }
  }
  return i;
}

/** The first `n` characters of `s`. */
export function truncateChars(s: string, n: number): string {
  if (s.length <= n) return s;
  return s.slice(0, indexAfterChars(s, n));
}

/** UTF-8 byte length (octet_length). */
export function octetLength(s: string): number {
  let bytes = 0;
  const len = s.length;
  for (let i = 0; i < len; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < len) { bytes += 4; i++; }
    else bytes += 3;
  }
  return bytes;
}

// ---------------------------------------------------------------------------------------------
// Length coercion
// ---------------------------------------------------------------------------------------------

function tooLong(typeName: string, n: number): DbError {
  return new DbError('string_data_right_truncation', `value too long for type ${typeName}(${n})`);
}

function onlySpacesFrom(s: string, start: number): boolean {
  for (let i = start; i < s.length; i++) if (s.charCodeAt(i) !== 32) return false;
  return true;
}

/** Truncates `s` to `n` characters under the assignment/explicit rules; undefined if it fits. */
function clip(s: string, n: number, explicit: boolean, typeName: string): string | undefined {
  if (s.length <= n) return undefined; // UTF-16 length bounds the code-point length
  const cut = indexAfterChars(s, n);
  if (cut >= s.length) return undefined;
  if (!explicit && !onlySpacesFrom(s, cut)) throw tooLong(typeName, n);
  return s.slice(0, cut);
}

/** varchar(n) coercion; `n < 0` means no limit. */
export function varcharCoerce(s: string, n: number, explicit: boolean): string {
  if (n < 0) return s;
  return clip(s, n, explicit, 'character varying') ?? s;
}

/** bpchar(n) coercion: clip like varchar, then pad with spaces to exactly n characters. */
export function bpcharCoerce(s: string, n: number, explicit: boolean): string {
  if (n < 0) return s;
  const clipped = clip(s, n, explicit, 'character');
  if (clipped !== undefined) return clipped;
  if (s.length < n || charLength(s) < n) return s + ' '.repeat(n - charLength(s));
  return s;
}

// ---------------------------------------------------------------------------------------------
// bpchar semantics: trailing spaces are insignificant
// ---------------------------------------------------------------------------------------------

function trimmedEnd(s: string): number {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 32) end--;
  return end;
}

/** rtrim of spaces: bpchar -> text/varchar conversion and bpchar's hash key. */
export function bpcharTrim(s: string): string {
  const end = trimmedEnd(s);
  return end === s.length ? s : s.slice(0, end);
}

/** char_length(bpchar): characters excluding trailing spaces. */
export function bpcharLength(s: string): number {
  return charLength(bpcharTrim(s));
}

// ---------------------------------------------------------------------------------------------
// Stored values
// ---------------------------------------------------------------------------------------------

/** V8 copies substrings and concatenations shorter than this; longer ones may be indirect. */
const INDIRECT_MIN_LENGTH = 13;

/**
 * `s` as a flat string of its own, for storing in a row. Strings built by concatenation (an
 * application's `s += c`, SQL's `||`) are ropes in V8 and substrings of a statement's text are
 * slices of it: stored as they are, a 20-character value built one character at a time kept
 * about 300 bytes of rope, a literal kept its whole script alive, and every comparison read the
 * characters through the indirection (sorting such a column took twice as long). Joining two
 * parts always builds a fresh flat string.
 */
export function ownedString(s: string): string {
  if (s.length < INDIRECT_MIN_LENGTH) return s;
  // One two-part array for every call (it never re-enters): an array literal per stored string
  // was a third of the copy's cost.
  const parts = OWN_PARTS;
  parts[0] = s.slice(0, 1);
  parts[1] = s.slice(1);
  const flat = parts.join('');
  parts[1] = '';
  return flat;
}

const OWN_PARTS: string[] = ['', ''];

// ---------------------------------------------------------------------------------------------
// Comparison in code-point order ("C" collation)
// ---------------------------------------------------------------------------------------------

/** Maps a UTF-16 unit so that unit order equals code-point order at a first difference. */
function fixup(c: number): number {
  if (c >= 0xe000) return c - 0x800; // BMP above the surrogates sorts below astral characters
  if (c >= 0xd800) return c + 0x2000; // surrogates (astral characters) sort last
  return c;
}

function compareRange(a: string, aEnd: number, b: string, bEnd: number): number {
  const n = aEnd < bEnd ? aEnd : bEnd;
  for (let i = 0; i < n; i++) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(i);
    if (ca !== cb) {
      if (ca < 0xd800 || cb < 0xd800) return ca < cb ? -1 : 1;
      return fixup(ca) < fixup(cb) ? -1 : 1;
    }
  }
  return aEnd === bEnd ? 0 : aEnd < bEnd ? -1 : 1;
}

/** A unit at or above the surrogates: the only ones whose unit order can differ from code points'. */
const AT_OR_ABOVE_SURROGATES = /[\uD800-\uFFFF]/;

/**
 * Whether JS's own string order (UTF-16 units) is code-point order for `s` against any string:
 * true when `s` has no unit at or above U+D800, since the first difference then has one below it.
 */
export function unitOrderIsCodePointOrder(s: string): boolean {
  return !AT_OR_ABOVE_SURROGATES.test(s);
}

/**
 * True when every value is a string that JS's own comparison orders by code point (see
 * unitOrderIsCodePointOrder): such a batch sorts with `<` and groups with ===.
 */
export function allCodeUnitOrdered(values: readonly unknown[]): boolean {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'string' || !unitOrderIsCodePointOrder(v)) return false;
  }
  return true;
}

export function textCompare(a: string, b: string): number {
  if (a === b) return 0;
  // The engine's own comparison is native, about twice as fast as the loop on long common
  // prefixes (such as index keys).
  if (unitOrderIsCodePointOrder(a) || unitOrderIsCodePointOrder(b)) return a < b ? -1 : 1;
  return compareRange(a, a.length, b, b.length);
}

export function bpcharCompare(a: string, b: string): number {
  return compareRange(a, trimmedEnd(a), b, trimmedEnd(b));
}

export function bpcharEq(a: string, b: string): boolean {
  const ea = trimmedEnd(a);
  return ea === trimmedEnd(b) && compareRange(a, ea, b, ea) === 0;
}

export function bpcharHashKey(s: string): string {
  return bpcharTrim(s);
}

// ---------------------------------------------------------------------------------------------
// name: identifiers truncated to NAMEDATALEN-1 = 63 bytes, never splitting a character.
// ---------------------------------------------------------------------------------------------

export const NAME_BYTES_MAX = 63;

export function nameTruncate(s: string): string {
  if (s.length <= NAME_BYTES_MAX / 3) return s; // cannot exceed 63 bytes
  let bytes = 0;
  const len = s.length;
  for (let i = 0; i < len; i++) {
    const c = s.charCodeAt(i);
    let w = 1;
    let units = 1;
    if (c >= 0x80) w = c < 0x800 ? 2 : 3;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < len) { w = 4; units = 2; }
    if (bytes + w > NAME_BYTES_MAX) return s.slice(0, i);
    bytes += w;
    i += units - 1;
  }
  return s;
}
