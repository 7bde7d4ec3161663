/**
 * The date/time template language shared by to_char, to_date and to_timestamp (PostgreSQL's
 * formatting.c "DCH" keywords): tokenizing a template into keywords with their FM/TH modifiers,
 * quoted literals and plain characters.
 *
 * Keywords match case-insensitively, longest first ('HH24' before 'HH', 'Y,YYY' before 'YYYY');
 * the spelling's case picks the case of text output ('MONTH' -> 'JANUARY', 'Month' -> 'January',
 * 'month' -> 'january'). Templates are cached by text since a query repeats the same literal.
 */

export type Casing = 'upper' | 'capital' | 'lower';

export interface KeywordToken {
  readonly kind: 'kw';
  /** Canonical upper-case keyword, e.g. 'HH24', 'MONTH', 'A.M.'. */
  readonly key: string;
  readonly casing: Casing;
  /** FM prefix: no padding (and, for numbers parsed by to_timestamp, variable width). */
  readonly fm: boolean;
  /** TH/th suffix: ordinal suffix, upper or lower case; null when absent. */
  readonly th: 'TH' | 'th' | null;
}

export interface LiteralToken {
  readonly kind: 'lit';
  readonly text: string;
  /** True for text inside double quotes (to_timestamp skips it by length). */
  readonly quoted: boolean;
}

export type TemplateToken = KeywordToken | LiteralToken;

const KEYWORDS = [
  'Y,YYY', 'YYYY', 'YYY', 'YY', 'Y', 'IYYY', 'IYY', 'IY', 'I',
  'HH24', 'HH12', 'HH', 'MI', 'SSSSS', 'SSSS', 'SS', 'MS', 'US',
  'FF1', 'FF2', 'FF3', 'FF4', 'FF5', 'FF6',
  'A.M.', 'P.M.', 'AM', 'PM', 'A.D.', 'B.C.', 'AD', 'BC',
  'MONTH', 'MON', 'MM', 'DAY', 'DY', 'DDD', 'DD', 'D', 'IDDD', 'ID',
  'WW', 'W', 'IW', 'CC', 'J', 'Q', 'RM', 'TZH', 'TZM', 'TZ', 'OF',
].sort((a, b) => b.length - a.length);

function casingOf(s: string): Casing {
  if (s === s.toUpperCase()) return 'upper';
  const first = s.charAt(0);
  return first === first.toUpperCase() ? 'capital' : 'lower';
}

function matchKeyword(t: string, at: number): string | null {
  for (const k of KEYWORDS) {
    if (t.length - at >= k.length && t.slice(at, at + k.length).toUpperCase() === k) return k;
  }
  return null;
}

function tokenize(t: string): TemplateToken[] {
  const out: TemplateToken[] = [];
  let i = 0;
  while (i < t.length) {
    const c = t.charAt(i);
    if (c === '"') {
      let j = i + 1;
      let text = '';
      while (j < t.length && t.charAt(j) !== '"') {
        if (t.charAt(j) === '\\' && j + 1 < t.length) j++;
        text += t.charAt(j);
        j++;
      }
      out.push({ kind: 'lit', text, quoted: true });
      i = j + 1;
      continue;
    }
    if (c === '\\' && i + 1 < t.length && t.charAt(i + 1) === '"') {
      out.push({ kind: 'lit', text: '"', quoted: false });
      i += 2;
      continue;
    }
    let fm = false;
    let j = i;
    for (;;) {
      const two = t.slice(j, j + 2).toUpperCase();
      if (two === 'FM') { fm = true; j += 2; continue; }
      if (two === 'FX' || two === 'TM' || two === 'SP') {
        if (matchKeyword(t, j) === null) { j += 2; continue; }
      }
      break;
    }
    const key = matchKeyword(t, j);
    if (key === null) {
      if (j > i) { i = j; continue; }
      out.push({ kind: 'lit', text: c, quoted: false });
      i++;
      continue;
    }
    const spelled = t.slice(j, j + key.length);
    j += key.length;
    let th: 'TH' | 'th' | null = null;
    const suffix = t.slice(j, j + 2);
    if (suffix === 'TH' || suffix === 'th') {
      th = suffix;
      j += 2;
    }
    out.push({ kind: 'kw', key, casing: casingOf(spelled.replace(/[^A-Za-z]/g, '')), fm, th });
    i = j;
  }
  return out;
}

const cache = new Map<string, TemplateToken[]>();

export function parseTemplate(t: string): TemplateToken[] {
  let toks = cache.get(t);
  if (toks === undefined) {
    toks = tokenize(t);
    if (cache.size >= 256) cache.clear();
    cache.set(t, toks);
  }
  return toks;
}

export const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July',
  'August', 'September', 'October', 'November', 'December'];
export const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
export const ROMAN_MONTHS = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X', 'XI', 'XII'];

export function applyCasing(s: string, casing: Casing): string {
  if (casing === 'upper') return s.toUpperCase();
  if (casing === 'lower') return s.toLowerCase();
  return s.charAt(0).toUpperCase() + s.slice(1).toLowerCase();
}

/** English ordinal suffix of n ('st', 'nd', 'rd', 'th'). */
export function ordinalSuffix(n: number): string {
  const a = Math.abs(n);
  const last2 = a % 100;
  if (last2 >= 11 && last2 <= 13) return 'th';
  switch (a % 10) {
    case 1: return 'st';
    case 2: return 'nd';
    case 3: return 'rd';
    default: return 'th';
  }
}
