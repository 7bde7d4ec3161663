/**
 * Regular-expression functions: regexp_match, regexp_matches (set-returning), regexp_replace,
 * regexp_split_to_array / regexp_split_to_table, regexp_like, regexp_count, regexp_instr,
 * regexp_substr (PG15), and the two pattern forms of substring(): POSIX (`substring(s from p)`)
 * and SQL (`substring(s similar p escape e)`).
 *
 * Invariants:
 *  - Patterns compile once through string-regex.ts's cache; matching follows PostgreSQL's
 *    iteration rule: after a zero-length match the next search starts one character later.
 *  - Positions given to or returned from SQL are 1-based character positions.
 *  - Splitting ignores "degenerate" matches (zero-length at the string ends or right after the
 *    previous match), as PostgreSQL does.
 *  - Functions that cannot be global reject the 'g' flag with PostgreSQL's message.
 */
import { DbError } from '../../errors/index.ts';
import { SqlArray } from '../../types/array.ts';
import { parseRegexFlags, regexFor, similarToEscape, type RegexFlags, type CompiledRegex } from './string-regex.ts';
import { unitIndex, charIndex } from './string-common.ts';

/** All matches (or the first) starting the search at UTF-16 index `from`. */
export function findMatches(c: CompiledRegex, s: string, from: number, global: boolean): RegExpExecArray[] {
  const re = c.re;
  re.lastIndex = from;
  const out: RegExpExecArray[] = [];
  for (;;) {
    const m = re.exec(s);
    if (m === null) break;
    out.push(m);
    if (!global) break;
    const end = m.index + m[0].length;
    if (m[0].length === 0) {
      if (end >= s.length) break;
      const code = s.charCodeAt(end);
      re.lastIndex = end + (code >= 0xd800 && code <= 0xdbff ? 2 : 1);
    } else {
      re.lastIndex = end;
    }
  }
  return out;
}

function noGlobal(f: RegexFlags, fname: string, hint?: string): void {
  if (f.global) {
    throw new DbError('invalid_parameter_value', `${fname} does not support the "global" option`,
      hint === undefined ? {} : { hint });
  }
}

function badParam(name: string, v: number): DbError {
  return new DbError('invalid_parameter_value', `invalid value for parameter "${name}": ${v}`);
}

function matchArray(c: CompiledRegex, m: RegExpExecArray): SqlArray {
  if (c.groups === 0) return new SqlArray([m[0]]);
  const elems: (string | null)[] = [];
  for (let i = 1; i <= c.groups; i++) elems.push(m[i] ?? null);
  return new SqlArray(elems);
}

export function regexpMatch(s: string, p: string, flags: string | null): SqlArray | null {
  const f = parseRegexFlags(flags);
  noGlobal(f, 'regexp_match()', 'Use the regexp_matches function instead.');
  const c = regexFor(p, f);
  const m = findMatches(c, s, 0, false)[0];
  return m === undefined ? null : matchArray(c, m);
}

export function regexpMatches(s: string, p: string, flags: string | null): SqlArray[] {
  const f = parseRegexFlags(flags);
  const c = regexFor(p, f);
  return findMatches(c, s, 0, f.global).map((m) => matchArray(c, m));
}

/** Expands \1..\9, \& and \\ in a replacement string. */
function expandReplacement(repl: string, m: RegExpExecArray): string {
  if (!repl.includes('\\')) return repl;
  let out = '';
  for (let i = 0; i < repl.length; i++) {
    const ch = repl[i] as string;
    const next = repl[i + 1];
    if (ch !== '\\' || next === undefined) { out += ch; continue; }
    if (next >= '1' && next <= '9') out += m[Number(next)] ?? '';
    else if (next === '&') out += m[0];
    else if (next === '\\') out += '\\';
    else { out += '\\' + next; }
    i++;
  }
  return out;
}

/**
 * regexp_replace with PG15's start/N. N = 0 replaces every match at or after `start`, N > 0 only
 * the N'th; without N (null) the 'g' flag decides between all and the first.
 */
export function regexpReplace(s: string, p: string, repl: string, start: number, nArg: number | null,
  flags: string | null): string {
  const f = parseRegexFlags(flags);
  if (start <= 0) throw badParam('start', start);
  if (nArg !== null && nArg < 0) throw badParam('n', nArg);
  const n = nArg ?? (f.global ? 0 : 1);
  const c = regexFor(p, f);
  const matches = findMatches(c, s, unitIndex(s, start - 1), n !== 1);
  let out = '';
  let pos = 0;
  let count = 0;
  for (const m of matches) {
    count++;
    if (n > 0 && count !== n) continue;
    out += s.slice(pos, m.index) + expandReplacement(repl, m);
    pos = m.index + m[0].length;
    if (n > 0) break;
  }
  return count === 0 ? s : out + s.slice(pos);
}

export function regexpSplit(s: string, p: string, flags: string | null, fname: string): string[] {
  const f = parseRegexFlags(flags);
  noGlobal(f, fname);
  const c = regexFor(p, f);
  const parts: string[] = [];
  let prevEnd = 0;
  let pieceStart = 0;
  for (const m of findMatches(c, s, 0, true)) {
    const end = m.index + m[0].length;
    if (m.index < s.length && end > prevEnd) {
      parts.push(s.slice(pieceStart, m.index));
      pieceStart = end;
    }
    prevEnd = end;
  }
  parts.push(s.slice(pieceStart));
  return parts;
}

function startIndex(s: string, start: number): number {
  if (start <= 0) throw badParam('start', start);
  return unitIndex(s, start - 1);
}

export function regexpCount(s: string, p: string, start: number, flags: string | null): number {
  const f = parseRegexFlags(flags);
  noGlobal(f, 'regexp_count()');
  const from = startIndex(s, start);
  if (from > s.length) return 0;
  return findMatches(regexFor(p, f), s, from, true).length;
}

interface NthMatch { m: RegExpExecArray; c: CompiledRegex }

const withIndices = new WeakMap<CompiledRegex, CompiledRegex>();

/** The same pattern compiled with the 'd' flag, for exact group offsets (regexp_instr). */
function indexed(c: CompiledRegex): CompiledRegex {
  let d = withIndices.get(c);
  if (d === undefined) {
    d = { re: new RegExp(c.re.source, c.re.flags + 'd'), groups: c.groups };
    withIndices.set(c, d);
  }
  return d;
}

function nthMatch(s: string, p: string, start: number, n: number, flags: string | null,
  subexpr: number, fname: string, needIndices: boolean): NthMatch | null {
  const f = parseRegexFlags(flags);
  noGlobal(f, fname);
  const from = startIndex(s, start);
  if (n <= 0) throw badParam('n', n);
  if (subexpr < 0) throw badParam('subexpr', subexpr);
  let c = regexFor(p, f);
  if (from > s.length || subexpr > c.groups) return null;
  if (needIndices) c = indexed(c);
  const m = findMatches(c, s, from, true)[n - 1];
  return m === undefined ? null : { m, c };
}

/** Start/end (UTF-16) of group `g` of a match, or null when the group did not participate. */
function groupSpan(m: RegExpExecArray, g: number): [number, number] | null {
  if (g === 0) return [m.index, m.index + m[0].length];
  const span = m.indices?.[g];
  return span === undefined ? null : [span[0], span[1]];
}

export function regexpInstr(s: string, p: string, start: number, n: number, endOption: number,
  flags: string | null, subexpr: number): number {
  if (endOption !== 0 && endOption !== 1) throw badParam('endoption', endOption);
  const r = nthMatch(s, p, start, n, flags, subexpr, 'regexp_instr()', subexpr > 0);
  if (r === null) return 0;
  const span = groupSpan(r.m, subexpr);
  if (span === null) return 0;
  return charIndex(s, endOption === 0 ? span[0] : span[1]) + 1;
}

export function regexpSubstr(s: string, p: string, start: number, n: number,
  flags: string | null, subexpr: number): string | null {
  const r = nthMatch(s, p, start, n, flags, subexpr, 'regexp_substr()', false);
  if (r === null) return null;
  return subexpr === 0 ? r.m[0] : r.m[subexpr] ?? null;
}

export function regexpLike(s: string, p: string, flags: string | null): boolean {
  const f = parseRegexFlags(flags);
  noGlobal(f, 'regexp_like()');
  return regexFor(p, f).re.test(s);
}

/** substring(s from pattern): the first parenthesized group if any, else the whole match. */
export function substringRegex(s: string, p: string): string | null {
  const c = regexFor(p, parseRegexFlags(null));
  const m = findMatches(c, s, 0, false)[0];
  if (m === undefined) return null;
  return c.groups > 0 ? m[1] ?? null : m[0];
}

export function substringSimilar(s: string, p: string, esc: string): string | null {
  return substringRegex(s, similarToEscape(p, esc));
}
