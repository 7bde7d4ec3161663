/**
 * Character-string functions with PostgreSQL's exact edge-case semantics: lengths, case mapping,
 * substring/overlay/position, replace/translate, trimming, padding, left/right, repeat, reverse,
 * split_part, starts_with, ascii/chr.
 *
 * Invariants:
 *  - Positions and lengths count characters (code points), never UTF-16 units.
 *  - substring(s, start, len): the window [start, start+len) intersected with the string, so a
 *    start <= 0 eats into the length; a negative length is an error.
 *  - lpad/rpad truncate (keeping the leading characters) when the string is already longer.
 *  - lower/upper/initcap use full Unicode case mapping (PostgreSQL with a UTF-8 ctype locale).
 */
import { defineScalar, type FunctionRegistry } from '../registry.ts';
import { Types, type SqlType } from '../../types/sql-type.ts';
import { DbError } from '../../errors/index.ts';
import { charLength, octetLength, bpcharLength } from '../../types/text.ts';
import {
  charSlice, chars, hasSurrogates, charIndex, negativeSubstring, lengthTooLarge, MAX_TEXT_LENGTH,
} from './string-common.ts';

const { text, int4, bool, bytea, bpchar } = Types;

export function substr(s: string, start: number, len: number | null): string {
  if (len === null) return charSlice(s, Math.max(start, 1) - 1, Number.MAX_SAFE_INTEGER);
  if (len < 0) throw negativeSubstring();
  const end = start + len; // exclusive, 1-based
  const from = Math.max(start, 1);
  if (end <= from) return '';
  return charSlice(s, from - 1, end - 1);
}

export function overlay(s: string, repl: string, start: number, len: number): string {
  if (start <= 0 || len < 0) throw negativeSubstring();
  return substr(s, 1, start - 1) + repl + substr(s, start + len, null);
}

export function strpos(s: string, sub: string): number {
  const u = s.indexOf(sub);
  return u < 0 ? 0 : charIndex(s, u) + 1;
}

export function translate(s: string, from: string, to: string): string {
  const f = chars(from);
  const t = chars(to);
  let out = '';
  for (const c of s) {
    const i = f.indexOf(c);
    if (i < 0) out += c;
    else if (i < t.length) out += t[i] as string;
  }
  return out;
}

function trimSet(set: string): Set<string> {
  return new Set(chars(set));
}

export function ltrim(s: string, set: string): string {
  const cs = trimSet(set);
  const a = chars(s);
  let i = 0;
  while (i < a.length && cs.has(a[i] as string)) i++;
  return a.slice(i).join('');
}

export function rtrim(s: string, set: string): string {
  if (set === ' ' && !hasSurrogates(s)) return s.replace(/ +$/, '');
  const cs = trimSet(set);
  const a = chars(s);
  let j = a.length;
  while (j > 0 && cs.has(a[j - 1] as string)) j--;
  return a.slice(0, j).join('');
}

export function btrim(s: string, set: string): string {
  return rtrim(ltrim(s, set), set);
}

function checkLength(n: number): void {
  if (n > MAX_TEXT_LENGTH) throw lengthTooLarge();
}

export function lpad(s: string, len: number, fill: string): string {
  if (len <= 0) return '';
  checkLength(len);
  const n = charLength(s);
  if (n >= len || fill === '') return charSlice(s, 0, len);
  return padding(fill, len - n) + s;
}

export function rpad(s: string, len: number, fill: string): string {
  if (len <= 0) return '';
  checkLength(len);
  const n = charLength(s);
  if (n >= len || fill === '') return charSlice(s, 0, len);
  return s + padding(fill, len - n);
}

/** The first `count` characters of `fill` repeated. */
function padding(fill: string, count: number): string {
  const fc = charLength(fill);
  const full = Math.floor(count / fc);
  return fill.repeat(full) + charSlice(fill, 0, count - full * fc);
}

export function left(s: string, n: number): string {
  if (n >= 0) return charSlice(s, 0, n);
  return charSlice(s, 0, Math.max(0, charLength(s) + n));
}

export function right(s: string, n: number): string {
  const len = charLength(s);
  if (n >= 0) return charSlice(s, Math.max(0, len - n), len);
  return charSlice(s, Math.min(len, -n), len);
}

export function repeat(s: string, n: number): string {
  if (n <= 0 || s === '') return '';
  if (s.length * n > MAX_TEXT_LENGTH) throw lengthTooLarge();
  return s.repeat(n);
}

export function reverse(s: string): string {
  return chars(s).reverse().join('');
}

export function splitPart(s: string, delim: string, field: number): string {
  if (field === 0) {
    throw new DbError('invalid_parameter_value', 'field position must not be zero');
  }
  if (s === '') return '';
  if (delim === '') return field === 1 || field === -1 ? s : '';
  const parts = s.split(delim);
  const idx = field > 0 ? field - 1 : parts.length + field;
  return idx >= 0 && idx < parts.length ? (parts[idx] as string) : '';
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

export function initcap(s: string): string {
  let out = '';
  let inWord = false;
  for (const c of s) {
    out += caseMap(c, !inWord);
    inWord = WORD_CHAR.test(c);
  }
  return out;
}

export function ascii(s: string): number {
  return s === '' ? 0 : (s.codePointAt(0) as number);
}

export function chr(code: number): string {
  if (code === 0) throw new DbError('program_limit_exceeded', 'null character not permitted');
  if (code < 0) throw new DbError('program_limit_exceeded', 'character number must be positive');
  if (code > 0x10ffff) {
    throw new DbError('program_limit_exceeded', `requested character too large for encoding: ${code}`);
  }
  if (code >= 0xd800 && code <= 0xdfff) {
    throw new DbError('program_limit_exceeded', `requested character not valid for encoding: ${code}`);
  }
  return String.fromCodePoint(code);
}

type Impl = (a: unknown[]) => unknown;

function fn(reg: FunctionRegistry, fname: string, args: SqlType[], returns: SqlType, impl: Impl): void {
  reg.add(defineScalar({ name: fname, args, returns, impl }));
}

function registerLengths(reg: FunctionRegistry): void {
  for (const n of ['length', 'char_length', 'character_length']) {
    fn(reg, n, [text], int4, (a) => charLength(a[0] as string));
    fn(reg, n, [bpchar], int4, (a) => bpcharLength(a[0] as string));
  }
  fn(reg, 'length', [bytea], int4, (a) => (a[0] as Uint8Array).length);
  fn(reg, 'octet_length', [text], int4, (a) => octetLength(a[0] as string));
  fn(reg, 'octet_length', [bpchar], int4, (a) => octetLength(a[0] as string));
  fn(reg, 'octet_length', [bytea], int4, (a) => (a[0] as Uint8Array).length);
  fn(reg, 'bit_length', [text], int4, (a) => octetLength(a[0] as string) * 8);
  fn(reg, 'bit_length', [bytea], int4, (a) => (a[0] as Uint8Array).length * 8);
}

function registerCase(reg: FunctionRegistry): void {
  fn(reg, 'lower', [text], text, (a) => caseMap(a[0] as string, false));
  fn(reg, 'upper', [text], text, (a) => caseMap(a[0] as string, true));
  fn(reg, 'initcap', [text], text, (a) => initcap(a[0] as string));
}

function registerSubstring(reg: FunctionRegistry): void {
  for (const n of ['substring', 'substr']) {
    fn(reg, n, [text, int4, int4], text, (a) => substr(a[0] as string, a[1] as number, a[2] as number));
    fn(reg, n, [text, int4], text, (a) => substr(a[0] as string, a[1] as number, null));
    fn(reg, n, [bytea, int4, int4], bytea, (a) => byteaSubstr(a[0] as Uint8Array, a[1] as number, a[2] as number));
    fn(reg, n, [bytea, int4], bytea, (a) => byteaSubstr(a[0] as Uint8Array, a[1] as number, null));
  }
  fn(reg, 'overlay', [text, text, int4, int4], text,
    (a) => overlay(a[0] as string, a[1] as string, a[2] as number, a[3] as number));
  fn(reg, 'overlay', [text, text, int4], text,
    (a) => overlay(a[0] as string, a[1] as string, a[2] as number, charLength(a[1] as string)));
  // The parser turns POSITION(needle IN haystack) into position(haystack, needle), as gram.y does.
  fn(reg, 'position', [text, text], int4, (a) => strpos(a[0] as string, a[1] as string));
  fn(reg, 'strpos', [text, text], int4, (a) => strpos(a[0] as string, a[1] as string));
  fn(reg, 'left', [text, int4], text, (a) => left(a[0] as string, a[1] as number));
  fn(reg, 'right', [text, int4], text, (a) => right(a[0] as string, a[1] as number));
}

function byteaSubstr(b: Uint8Array, start: number, len: number | null): Uint8Array {
  if (len !== null && len < 0) throw negativeSubstring();
  const from = Math.max(start, 1);
  const end = len === null ? b.length + 1 : start + len;
  if (end <= from) return new Uint8Array(0);
  return b.slice(from - 1, Math.min(end - 1, b.length));
}

function registerTrim(reg: FunctionRegistry): void {
  fn(reg, 'btrim', [text, text], text, (a) => btrim(a[0] as string, a[1] as string));
  fn(reg, 'btrim', [text], text, (a) => btrim(a[0] as string, ' '));
  fn(reg, 'ltrim', [text, text], text, (a) => ltrim(a[0] as string, a[1] as string));
  fn(reg, 'ltrim', [text], text, (a) => ltrim(a[0] as string, ' '));
  fn(reg, 'rtrim', [text, text], text, (a) => rtrim(a[0] as string, a[1] as string));
  fn(reg, 'rtrim', [text], text, (a) => rtrim(a[0] as string, ' '));
  fn(reg, 'lpad', [text, int4, text], text, (a) => lpad(a[0] as string, a[1] as number, a[2] as string));
  fn(reg, 'lpad', [text, int4], text, (a) => lpad(a[0] as string, a[1] as number, ' '));
  fn(reg, 'rpad', [text, int4, text], text, (a) => rpad(a[0] as string, a[1] as number, a[2] as string));
  fn(reg, 'rpad', [text, int4], text, (a) => rpad(a[0] as string, a[1] as number, ' '));
}

function registerMisc(reg: FunctionRegistry): void {
  fn(reg, 'replace', [text, text, text], text, (a) => {
    const from = a[1] as string;
    return from === '' ? a[0] : (a[0] as string).replaceAll(from, a[2] as string);
  });
  fn(reg, 'translate', [text, text, text], text, (a) => translate(a[0] as string, a[1] as string, a[2] as string));
  fn(reg, 'repeat', [text, int4], text, (a) => repeat(a[0] as string, a[1] as number));
  fn(reg, 'reverse', [text], text, (a) => reverse(a[0] as string));
  fn(reg, 'split_part', [text, text, int4], text, (a) => splitPart(a[0] as string, a[1] as string, a[2] as number));
  fn(reg, 'starts_with', [text, text], bool, (a) => (a[0] as string).startsWith(a[1] as string));
  fn(reg, '^@', [text, text], bool, (a) => (a[0] as string).startsWith(a[1] as string)); // text_starts_with
  fn(reg, 'ascii', [text], int4, (a) => ascii(a[0] as string));
  fn(reg, 'chr', [int4], text, (a) => chr(a[0] as number));
}

export function registerStringBasic(reg: FunctionRegistry): void {
  registerLengths(reg);
  registerCase(reg);
  registerSubstring(reg);
  registerTrim(reg);
  registerMisc(reg);
}

/**
 * PostgreSQL maps case one character at a time (towupper/towlower), so characters whose full
 * Unicode mapping expands to several ('ß' -> 'SS') stay as they are. Pure ASCII takes the fast path.
 */
export function caseMap(s: string, upper: boolean): string {
  const whole = upper ? s.toUpperCase() : s.toLowerCase();
  if (whole.length === s.length) return whole;
  let out = '';
  for (const ch of s) {
    const m = upper ? ch.toUpperCase() : ch.toLowerCase();
    out += m.length === ch.length ? m : ch;
  }
  return out;
}
