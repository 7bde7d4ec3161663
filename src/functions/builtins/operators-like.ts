/**
 * LIKE / ILIKE pattern matching (`~~ !~~ ~~* !~~*`) and like_escape().
 *
 * A pattern is compiled once into a LikeMatcher and cached (the executor calls the operator per
 * row, usually with the same pattern, so the last pattern is also remembered outside the map).
 * Patterns made only of literals and `%` never touch RegExp: exact / prefix / suffix / contains
 * and a general "segments in order" scan with indexOf, which is correct for `%`-only patterns
 * because leftmost placement of each middle segment never prevents a later match. Patterns
 * with `_` compile to an anchored RegExp in 'su' mode, so `_` is one character (code point) and
 * `%` crosses newlines, as in PostgreSQL.
 *
 * Escapes: backslash is the escape character (like_escape() rewrites other escape characters
 * into backslash form); a pattern ending in the escape character raises 22025.
 * ILIKE lower-cases both the pattern and the subject (PostgreSQL does the same for UTF-8).
 */
import { DbError } from '../../errors/index.ts';

const KIND_EXACT = 0;
const KIND_PREFIX = 1;
const KIND_SUFFIX = 2;
const KIND_CONTAINS = 3;
const KIND_SEGMENTS = 4;
const KIND_REGEX = 5;

export class LikeMatcher {
  readonly kind: number;
  /** The literal for exact/prefix/suffix/contains. */
  readonly lit: string;
  /** KIND_SEGMENTS: first segment (prefix), middles, last segment (suffix). */
  readonly segments: readonly string[];
  readonly re: RegExp | null;
  readonly minLength: number;

  constructor(kind: number, lit: string, segments: readonly string[], re: RegExp | null) {
    this.kind = kind;
    this.lit = lit;
    this.segments = segments;
    this.re = re;
    let min = lit.length;
    for (const s of segments) min += s.length;
    this.minLength = min;
  }

  match(s: string): boolean {
    switch (this.kind) {
      case KIND_EXACT: return s === this.lit;
      case KIND_PREFIX: return s.startsWith(this.lit);
      case KIND_SUFFIX: return s.endsWith(this.lit);
      case KIND_CONTAINS: return s.includes(this.lit);
      case KIND_SEGMENTS: return this.matchSegments(s);
      default: return (this.re as RegExp).test(s);
    }
  }

  private matchSegments(s: string): boolean {
    if (s.length < this.minLength) return false;
    const segs = this.segments;
    const n = segs.length;
    const first = segs[0] as string;
    const last = segs[n - 1] as string;
    if (!s.startsWith(first) || !s.endsWith(last)) return false;
    let pos = first.length;
    const end = s.length - last.length;
    for (let i = 1; i < n - 1; i++) {
      const seg = segs[i] as string;
      const at = s.indexOf(seg, pos);
      if (at < 0 || at + seg.length > end) return false;
      pos = at + seg.length;
    }
    return pos <= end;
  }
}

function endsWithEscape(): DbError {
  return new DbError('invalid_escape_sequence', 'LIKE pattern must not end with escape character');
}

const REGEX_SPECIAL = /[\\^$.*+?()[\]{}|/]/;

function escapeRegexChar(c: string): string {
  return REGEX_SPECIAL.test(c) ? '\\' + c : c;
}

/** Splits a pattern into literal segments separated by `%`, or returns null if it has `_`. */
function splitPercent(p: string): string[] | null {
  const segs: string[] = [];
  let cur = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i] as string;
    if (c === '\\') {
      if (i + 1 >= p.length) throw endsWithEscape();
      cur += p[++i] as string;
    } else if (c === '%') {
      segs.push(cur);
      cur = '';
    } else if (c === '_') {
      return null;
    } else {
      cur += c;
    }
  }
  segs.push(cur);
  return segs;
}

function likeToRegExp(p: string): RegExp {
  let src = '^';
  for (let i = 0; i < p.length; i++) {
    const c = p[i] as string;
    if (c === '\\') {
      if (i + 1 >= p.length) throw endsWithEscape();
      src += escapeRegexChar(p[++i] as string);
    } else if (c === '%') {
      if (!src.endsWith('.*')) src += '.*'; // %% is the same as %
    } else if (c === '_') {
      src += '.';
    } else {
      src += escapeRegexChar(c);
    }
  }
  return new RegExp(src + '$', 'su');
}

export function compileLike(pattern: string): LikeMatcher {
  const segs = splitPercent(pattern);
  if (segs === null) return new LikeMatcher(KIND_REGEX, '', [], likeToRegExp(pattern));
  const n = segs.length;
  const first = segs[0] as string;
  if (n === 1) return new LikeMatcher(KIND_EXACT, first, [], null);
  const last = segs[n - 1] as string;
  // Drop empty middles produced by %%; they constrain nothing.
  const middles = segs.slice(1, n - 1).filter((s) => s !== '');
  if (middles.length === 0) {
    if (last === '') return new LikeMatcher(KIND_PREFIX, first, [], null);
    if (first === '') return new LikeMatcher(KIND_SUFFIX, last, [], null);
  } else if (middles.length === 1 && first === '' && last === '') {
    return new LikeMatcher(KIND_CONTAINS, middles[0] as string, [], null);
  }
  return new LikeMatcher(KIND_SEGMENTS, '', [first, ...middles, last], null);
}

const CACHE_LIMIT = 2048;

/** A bounded pattern cache that also short-circuits on the most recent pattern. */
export class LikeCache {
  private readonly map = new Map<string, LikeMatcher>();
  private lastPattern: string | null = null;
  private lastMatcher: LikeMatcher | null = null;
  private readonly caseFold: boolean;

  constructor(caseFold: boolean) {
    this.caseFold = caseFold;
  }

  get(pattern: string): LikeMatcher {
    if (pattern === this.lastPattern) return this.lastMatcher as LikeMatcher;
    let m = this.map.get(pattern);
    if (m === undefined) {
      m = compileLike(this.caseFold ? pattern.toLowerCase() : pattern);
      if (this.map.size >= CACHE_LIMIT) this.map.clear();
      this.map.set(pattern, m);
    }
    this.lastPattern = pattern;
    this.lastMatcher = m;
    return m;
  }
}

const likeCache = new LikeCache(false);
const ilikeCache = new LikeCache(true);

export function textLike(s: string, pattern: string): boolean {
  return likeCache.get(pattern).match(s);
}

export function textILike(s: string, pattern: string): boolean {
  return ilikeCache.get(pattern).match(s.toLowerCase());
}

/** bytea LIKE: bytes map 1:1 onto Latin-1 code units, so `_` matches exactly one byte. */
export function byteaToLatin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i] as number);
  return s;
}

export function byteaLike(s: Uint8Array, pattern: Uint8Array): boolean {
  return likeCache.get(byteaToLatin1(pattern)).match(byteaToLatin1(s));
}

function invalidEscapeString(): DbError {
  return new DbError('invalid_escape_sequence', 'invalid escape string', {
    hint: 'Escape string must be empty or one character.',
  });
}

/** like_escape(pattern, escape): rewrites `pattern` to use backslash as its escape character. */
export function likeEscape(pattern: string, escape: string): string {
  const chars = Array.from(escape);
  if (chars.length > 1) throw invalidEscapeString();
  if (chars.length === 0) return pattern.replaceAll('\\', '\\\\'); // escaping disabled
  const e = chars[0] as string;
  if (e === '\\') return pattern;
  let out = '';
  let afterEscape = false;
  for (const c of pattern) {
    if (c === e && !afterEscape) {
      out += '\\';
      afterEscape = true;
    } else if (c === '\\') {
      out += afterEscape ? '\\' : '\\\\';
      afterEscape = false;
    } else {
      out += c;
      afterEscape = false;
    }
  }
  return out;
}
