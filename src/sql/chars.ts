/**
 * Character classification and identifier normalization for the lexer (PostgreSQL's scan.l
 * character classes, downcase_identifier and truncate_identifier).
 *
 * Invariants: classification is table-driven for ASCII; every code unit >= 128 counts as an
 * identifier character, as PostgreSQL treats high-bit bytes.
 */
import { Limits } from '../limits.ts';

// Character classes, indexed by char code (< 128); non-ASCII letters count as identifier chars.
const CH_IDENT_START = 1;
const CH_IDENT_CONT = 2;
const CH_DIGIT = 4;
const CH_OP = 8;
const CH_SPACE = 16;
const charClass = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  let cls = 0;
  if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch === '_') {
    cls |= CH_IDENT_START | CH_IDENT_CONT;
  }
  if (ch >= '0' && ch <= '9') cls |= CH_DIGIT | CH_IDENT_CONT;
  if (ch === '$') cls |= CH_IDENT_CONT;
  if ('~!@#^&|`?+-*/%<>='.includes(ch)) cls |= CH_OP;
  if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || ch === '\f' || ch === '\v') {
    cls |= CH_SPACE;
  }
  charClass[c] = cls;
}

/** Interned one-character strings so punctuation and operators allocate nothing. */
export const singleCharStrings: string[] = [];
for (let c = 0; c < 128; c++) singleCharStrings.push(String.fromCharCode(c));

export function isIdentStart(c: number): boolean {
  return c >= 128 ? true : (charClass[c]! & CH_IDENT_START) !== 0;
}
export function isIdentCont(c: number): boolean {
  return c >= 128 ? true : (charClass[c]! & CH_IDENT_CONT) !== 0;
}
export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
export function isOpChar(c: number): boolean {
  return c < 128 && (charClass[c]! & CH_OP) !== 0;
}
export function isSpace(c: number): boolean {
  return c < 128 && (charClass[c]! & CH_SPACE) !== 0;
}

/** Characters that make a trailing +/- part of an operator (scan.l's non-SQL operator chars). */
export function isNonSqlOpChar(c: number): boolean {
  // ~ ! @ # ^ & | ` ? %
  return c === 126 || c === 33 || c === 64 || c === 35 || c === 94 || c === 38 || c === 124 ||
    c === 96 || c === 63 || c === 37;
}

/** Folds ASCII A-Z only (PostgreSQL's downcase_identifier with a multibyte encoding). */
export function downcaseIdentifier(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 65 && c <= 90) return foldAscii(s);
  }
  return s;
}

function foldAscii(s: string): string {
  let ascii = true;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 128) { ascii = false; break; }
  if (ascii) return s.toLowerCase();
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += c >= 65 && c <= 90 ? String.fromCharCode(c + 32) : s[i];
  }
  return out;
}

const encoder = new TextEncoder();

/** Truncates to Limits.identifierBytesMax UTF-8 bytes at a character boundary (NAMEDATALEN). */
export function truncateIdentifier(s: string): string {
  const max = Limits.identifierBytesMax;
  if (s.length * 3 <= max) return s;
  if (encoder.encode(s).length <= max) return s;
  let bytes = 0;
  let i = 0;
  while (i < s.length) {
    const cp = s.codePointAt(i)!;
    const n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (bytes + n > max) break;
    bytes += n;
    i += cp >= 0x10000 ? 2 : 1;
  }
  return s.slice(0, i);
}

